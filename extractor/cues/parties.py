"""Meetings of an article: the sentences with a meeting trigger, and who takes part.

The meeting stage (`meetings`) reads a sentence's trigger, status and format; here
the actors the sentence names become its participants or mediators. Who speaks in
the sentence reports the meeting, an unnamed source or an outlet is nobody's party,
a place after "in" is where, not who; two named people are the parties rather than
their countries, and one side named twice ("الوفد الحوثي", "الحوثيين") is one party.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from ..lang.lexicon import Lexicon
from ..models import Actor, Claim, Meeting, Span
from ..text.dates import date_in
from ..text.normalize import normalize
from ..text.segment import Sentence
from .article_actors import MIN_MENTIONS, locative
from .meetings import is_trigger, meeting_cue, one_record_each
from .speech import SpeechCue
from .tokens import tokens

_MAX_PARTICIPANTS = 4


def speaking_in(
    sentences: Sequence[Sentence],
    cues: Sequence[SpeechCue],
    claims: Sequence[Claim],
    actors: Sequence[Actor],
    place_ids: dict[str, str],
) -> dict[int, set[str]]:
    """Sentence start → the actors who speak in it: they report its meeting, not meet.

    Only where the sentence names the speaker as such: "وسيذهب غريفيث، بحسب ما قاله،
    إلى مسقط" goes himself.
    """
    starts = [s.start for s in sentences]
    said_by = _said_by(sentences, starts, cues, claims, actors)
    named_in: dict[int, list[tuple[str, Span]]] = {}  # sentence start -> (actor, mention)
    for actor in actors:
        if actor.id not in place_ids:
            for m in actor.mentions:
                k = bisect_right(starts, m[0]) - 1
                if k >= 0:
                    named_in.setdefault(starts[k], []).append((actor.id, m))
    return {
        start: {
            aid
            for aid, m in named_in.get(start, [])
            if any(s <= m[0] < e or m[0] <= s < m[1] for s, e in spans)
        }
        for start, spans in said_by.items()
    }


def _said_by(
    sentences: Sequence[Sentence],
    starts: Sequence[int],
    cues: Sequence[SpeechCue],
    claims: Sequence[Claim],
    actors: Sequence[Actor],
) -> dict[int, list[Span]]:
    """Sentence start → the speaker phrases of its cue, and its second speaker's mentions."""
    said_by: dict[int, list[Span]] = {}
    for cue in cues:
        said_by.setdefault(sentences[cue.sentence].start, []).extend(
            sp.span for sp in cue.speakers if sp.span is not None
        )
    for claim in claims:  # the second speaker of "…، بينما قالت X إن …" speaks too
        k = bisect_right(starts, claim.span[0]) - 1 if claim.span else -1
        if k >= 0 and claim.span and claim.span[0] != starts[k]:
            lo, hi = claim.span
            said_by.setdefault(starts[k], []).extend(
                m for a in actors if a.id in claim.speakers for m in a.mentions if lo <= m[0] < hi
            )
    return said_by


def meeting_parties(
    text: str,
    actors: Sequence[Actor],
    place_ids: dict[str, str],
    model_named: set[str],
    lex: Lexicon,
) -> dict[str, list[Span]]:
    """Actor id → the mentions by which it may take part in a meeting.

    An unnamed source is nobody's party, and an outlet interviews or reports: none
    takes part in the meetings stated. Nor, where it is named as where ("met in
    Beijing", "talks at the White House"), does a place.
    """
    not_parties = {a.id for a in actors if a.anonymous or a.kind == "media"}
    # An actor only a model named and the text names once is a weak party: a small model
    # lists common nouns ("المصالح", "the interests") among the names.
    not_parties |= {
        a.id
        for a in actors
        if a.id in model_named and len(a.mentions) < MIN_MENTIONS and a.kind != "person"
    }
    parties = {a.id: a.mentions for a in actors if a.id not in not_parties}
    for aid in parties:  # "met in Beijing", "talks at the White House": where, not who
        if aid in place_ids or lex.language == "en":
            parties[aid] = [m for m in parties[aid] if not locative(text, m, lex)]
    return parties


def meetings_of(
    text: str,
    sentences: Sequence[Sentence],
    lex: Lexicon,
    spans: dict[str, list[Span]],
    backup: set[str],
    speaking: dict[int, set[str]],
    actors: dict[str, Actor] | None = None,
    pronoun_subject: dict[int, str] | None = None,
    places: Sequence[Span] = (),
) -> list[Meeting]:
    """Meetings of sentences with a trigger and two to four actors in them.

    Actors found only as capitalized names (`backup`) take part only where the other
    actors are too few: a sentence that names countries and people usually lists
    the parties by one of the two, and gold lists them once. For the same reason,
    where two named people meet, they are the parties, not their countries
    ("Saudi Arabia's Crown Prince Abdullah met Vice President Bush after U.S. forces
    struck an Iranian platform" is Abdullah and Bush).
    """
    actors = actors or {}
    persons = {aid for aid, a in actors.items() if a.kind == "person"}
    meetings: list[Meeting] = []
    for n, sent in enumerate(sentences):
        cue = meeting_cue(text, sent.start, sent.end, lex, n)
        if cue is None:
            continue
        present = _named_in(sent, spans, persons)
        subject = (pronoun_subject or {}).get(n)  # "He met leaders in Baghdad"
        if subject is not None and subject in spans and subject not in present:
            present.insert(0, subject)
        mediators = _mediators(present, cue.mediator_at, spans)
        participants = [
            aid
            for aid in present
            if aid not in mediators and aid not in speaking.get(sent.start, set())
        ]
        participants = _parties_of(text, sent, participants, spans, backup, actors)
        if not 2 <= len(participants) <= _MAX_PARTICIPANTS:
            continue  # a list of many actors is a roster, not a meeting we can read
        fmt = "indirect" if mediators and cue.format == "unknown" else cue.format
        meetings.append(
            Meeting(
                participants=participants,
                mediators=mediators,
                status=cue.status,
                format=fmt,
                location=_place_in(text, sent, lex, places),
                date_text=date_in(sent.text, lex.language),
                evidence=sent.text,
                span=(sent.start, sent.end),
            )
        )
    return one_record_each(meetings)


def _mediators(
    present: Sequence[str], mediator_at: Sequence[Span], spans: dict[str, list[Span]]
) -> list[str]:
    """The actors named right after a mediator marker ("بوساطة X", "mediated by X")."""
    return [
        aid
        for aid in present
        if any(m[0] <= s < m[1] + 2 or s == m[0] for m in mediator_at for s, _ in spans[aid])
    ]


def _parties_of(
    text: str,
    sent: Sentence,
    participants: list[str],
    spans: dict[str, list[Span]],
    backup: set[str],
    actors: dict[str, Actor],
) -> list[str]:
    """The parties among the actors a meeting sentence names, one per side.

    Backup actors only where the others are too few, one side named twice counts
    once, a country named only in its person's title meets through him, and two
    named people are the parties rather than their countries.
    """
    people = [aid for aid in participants if _named_person_id(actors.get(aid))]
    main = [aid for aid in participants if aid not in backup]
    if len(main) >= 2 and len(people) < 2:
        participants = main
    participants = _one_side(participants, actors)
    # "ويرافق المعلم … نائب وزير الخارجية السوري": a person and the country he serves
    # are one side; the country counts through him
    served = {
        actors[aid].affiliation: aid
        for aid in participants
        if aid in actors and actors[aid].affiliation
    }
    participants = [
        aid
        for aid in participants
        if aid not in served or not _only_in_title(text, sent, spans[aid], spans[served[aid]])
    ]
    people = [aid for aid in participants if _named_person_id(actors.get(aid))]
    if len(people) >= 2:
        participants = people
    return participants


def _place_in(text: str, sent: Sentence, lex: Lexicon, at: Sequence[Span]) -> str | None:
    """Where a meeting sentence says it is: the first place after "in"/"at"/"في" near a
    trigger ("الاجتماع الثلاثي الأخير بشأن سوريا في الدوحة", "met … in China").

    The same words that make a place no party make it the location; a sentence that
    names no place so gives none, and a city the gazetteer does not hold is not read.
    """
    toks = tokens(text, sent.start, sent.end)
    near = [
        (t.start, toks[min(len(toks) - 1, n + _PLACE_REACH)].end)
        for n, t in enumerate(toks)
        if is_trigger(t.word, lex)
    ]
    for span in at:
        if (
            sent.start <= span[0] < sent.end
            and any(lo < span[0] < hi for lo, hi in near)
            and locative(text, span, lex)
        ):
            return text[span[0] : span[1]]
    return None


_PLACE_REACH = 10  # words after a trigger where "in X" / "في X" says where it is


def _only_in_title(text: str, sent: Sentence, country: list[Span], person: list[Span]) -> bool:
    """Whether a sentence names the country only in the title before its person's name.

    "نائب وزير الخارجية السوري فيصل المقداد": Syria takes part through him; but "أعلن
    وزير الخارجية الإيراني عباس عراقجي أن إيران والولايات المتحدة ستجتمعان" names Iran
    as a party of its own.
    """
    names = [n for n in person if sent.start <= n[0] < sent.end]
    return all(
        any(m[1] <= n[0] and re.fullmatch(r"[\s،,]*", text[m[1] : n[0]]) for n in names)
        for m in country
        if sent.start <= m[0] < sent.end
    )


def _named_in(sent: Sentence, spans: dict[str, list[Span]], people: set[str]) -> list[str]:
    """The actors a sentence names, in order of first listing.

    A person's mention inside another person's longer one (ids in `people`) does not
    count: "Aung San" in "Aung San Suu Kyi" is not her father (but "الروسي" in "وزير
    الخارجية الروسي" is Russia). One sort and one sweep, however many mentions.
    """
    found = sorted(
        (s, -e, aid)
        for aid, where in spans.items()
        for s, e in where
        if sent.start <= s and e <= sent.end
    )
    named: set[str] = set()
    start, reach, owner = -1, -1, ""  # the mention reaching furthest so far, and whose
    for s, neg_e, aid in found:
        e = -neg_e
        inside = owner != aid and e <= reach and (start < s or e < reach)
        if not (inside and aid in people and owner in people):
            named.add(aid)
        if e > reach:
            start, reach, owner = s, e, aid
    return [aid for aid in spans if aid in named]


_NISBA_ENDINGS = ("يتين", "يتان", "يين", "يون", "يان", "يه", "ي", "ين", "ون")


def _stems(name: str) -> frozenset[str]:
    """An Arabic name's words without the article and the adjective's endings.

    "الوفد الحوثي" → {وفد, حوث}; "الحوثيين" → {حوث}; "اليمن", "اليمني" → {يمن}.
    """
    out = set()
    for word in normalize(name).split():
        word = word.removeprefix("ال")
        for ending in _NISBA_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                word = word[: -len(ending)]
                break
        if len(word) >= 3:
            out.add(word)
    return frozenset(out)


def _one_side(participants: list[str], actors: dict[str, Actor]) -> list[str]:
    """Two names of one side are one party, the fuller: "الوفد الحوثي" is "الحوثيين"'s.

    A sentence that names a delegation by its side's adjective names the side too; a
    meeting of the two would be the side meeting itself.
    """
    stems = {
        aid: _stems(actors[aid].name)
        for aid in participants
        if aid in actors and re.search("[\u0600-\u06ff]", actors[aid].name)
    }
    return [
        aid
        for aid in participants
        if not any(other != aid and stems.get(aid) and stems[aid] < stems[other] for other in stems)
    ]


def _named_person_id(actor: Actor | None) -> bool:
    return actor is not None and actor.kind == "person" and not actor.anonymous
