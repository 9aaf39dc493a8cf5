"""Meetings of an article: the sentences with a meeting trigger, and who takes part.

The meeting stage (`meetings`) reads a sentence's trigger, status and format; here
the actors the sentence names become its participants or mediators. Who speaks in
the sentence reports the meeting, an unnamed source or an outlet is nobody's party,
a place after "in" is where, not who; two named people are the parties rather than
their countries, and one side named twice ("الوفد الحوثي", "الحوثيين") is one party.
Each such decision is a named rule (`rulebook`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from ..budget import UNLIMITED, Budget
from ..lang.lexicon import Lexicon
from ..models import Actor, Claim, Meeting, Span
from ..text.dates import date_in
from ..text.normalize import normalize
from ..text.segment import Sentence
from .article_actors import MIN_MENTIONS, locative
from .meetings import is_trigger, meeting_cue, one_record_each, without_prefix
from .rulebook import rule
from .spans import Mentions, by_sentence
from .speech import SpeechCue
from .tokens import tokens
from .venues import place_in

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
        if not _place_in_speaker(actor.id, place_ids):
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
        said_by.setdefault(sentences[cue.sentence].start, []).extend(_speaker_phrases(cue))
    for claim in claims:  # the second speaker of "…، بينما قالت X إن …" speaks too
        k = bisect_right(starts, claim.span[0]) - 1 if claim.span else -1
        if k >= 0 and claim.span and _said_later_in(claim.span, starts[k]):
            lo, hi = claim.span
            said_by.setdefault(starts[k], []).extend(
                m for a in actors if a.id in claim.speakers for m in a.mentions if lo <= m[0] < hi
            )
    return said_by


@rule(
    "meetings.place-in-speaker-still-meets",
    stage="meetings",
    purpose="A country in the speaker's phrase ('Kenya's minister said') may still meet",
    example="Kenya's foreign minister said talks with Uganda were held in Kampala.",
    off=False,
)
def _place_in_speaker(actor_id: str, place_ids: dict[str, str]) -> bool:
    return actor_id in place_ids


@rule(
    "meetings.speaker-is-no-party",
    stage="meetings",
    purpose="Whoever speaks in a sentence reports its meeting: no party to it",
    example="Kenya and Uganda held talks in Kampala, President John Mwangi said.",
    off=(),
)
def _speaker_phrases(cue: SpeechCue) -> tuple[Span, ...]:
    return tuple(sp.span for sp in cue.speakers if sp.span is not None)


@rule(
    "meetings.second-speaker-is-no-party",
    stage="meetings",
    purpose="The speaker of a claim that starts mid-sentence ('…، بينما قالت X') reports too",
    example=(
        "John Mwangi said he met Paul Okello and Peter Otieno in Kampala, "
        "while Peter Otieno said the port would reopen."
    ),
    off=False,
)
def _said_later_in(claim: Span, sentence_start: int) -> bool:
    return claim[0] != sentence_start


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
    not_parties = {a.id for a in actors if _unnamed_source(a) or _medium(a)}
    # An actor only a model named and the text names once is a weak party: a small model
    # lists common nouns ("المصالح", "the interests") among the names.
    not_parties |= {
        a.id
        for a in actors
        if a.id in model_named and len(a.mentions) < MIN_MENTIONS and a.kind != "person"
    }
    parties = {a.id: a.mentions for a in actors if a.id not in not_parties}
    for aid in parties:  # "met in Beijing", "talks at the White House": where, not who
        if aid in place_ids or "letter-case" in lex.traits:
            parties[aid] = [m for m in parties[aid] if not _named_as_where(text, m, lex)]
    return parties


@rule(
    "meetings.unnamed-source-is-no-party",
    stage="meetings",
    purpose="An unnamed source ('an official', 'مصدر') is nobody's party",
    example="An official said the port would reopen. Kenya and Uganda met an official in Kampala.",
    off=False,
)
def _unnamed_source(actor: Actor) -> bool:
    return actor.anonymous


@rule(
    "meetings.medium-is-no-party",
    stage="meetings",
    purpose="An outlet interviews or reports: it never takes part in a meeting it states",
    example=(
        "وقال الوزير لـ«الحياة» إن الوضع صعب. "
        "والتقى وفد من «الحياة» وزيري خارجية مصر وقطر في القاهرة."
    ),
    off=False,
)
def _medium(actor: Actor) -> bool:
    return actor.kind == "media"


@rule(
    "meetings.place-named-as-where",
    stage="meetings",
    purpose="A place named after 'in', 'at' or 'في' is where the meeting is, not who meets",
    example="Kenya and Uganda held talks in Qatar on Monday.",
    off=False,
)
def _named_as_where(text: str, mention: Span, lex: Lexicon) -> bool:
    return locative(text, mention, lex)


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
    *,
    budget: Budget = UNLIMITED,
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
    index, at = Mentions(spans), by_sentence(sentences, places)  # looked up per sentence
    meetings: list[Meeting] = []
    for n, sent in enumerate(sentences):
        budget.check("meetings")
        cue = meeting_cue(text, sent.start, sent.end, lex, n)
        if cue is None or _interview(text, cue.trigger, actors, lex):
            continue
        present = _named_in(sent, index, persons)
        subject = _pronoun_party((pronoun_subject or {}).get(n), spans, present)
        if subject is not None:  # "He met leaders in Baghdad"
            present.insert(0, subject)
        present = _between(text, sent, present, index, lex) or present
        mediators = _mediators(present, cue.mediator_at, index)
        reporting = set() if _own_meeting(text, sent, lex) else speaking.get(sent.start, set())
        participants = [aid for aid in present if aid not in mediators and aid not in reporting]
        participants = _parties_of(text, sent, participants, index, backup, actors, lex)
        if len(participants) < 2 or _roster(participants):
            continue
        fmt = "indirect" if _mediated_is_indirect(mediators, cue.format) else cue.format
        fmt = "direct" if _face_to_face_unless_said(fmt) else fmt
        meetings.append(
            Meeting(
                participants=participants,
                mediators=mediators,
                status=cue.status,
                format=fmt,
                location=place_in(text, sent, lex, at.get(n, [])),
                date_text=_date_in(sent, lex),
                evidence=sent.text,
                span=(sent.start, sent.end),
            )
        )
    return one_record_each(meetings)


@rule(
    "meetings.speaker-reports-own-meeting",
    stage="meetings",
    language="ar",
    purpose="'عن لقائه بـ…', 'اللقاء الذي جمعه بـ…': a meeting word that carries the "
    "speaker's pronoun is his own meeting: the speaker takes part",
    example="وقال وزير النقل عمر حداد إن اللقاء الذي جمعه بوزير المالية خالد نصار كان مثمرا.",
    off=False,
)
def _own_meeting(text: str, sent: Sentence, lex: Lexicon) -> bool:
    toks = tokens(text, sent.start, sent.end)
    for n, t in enumerate(toks):
        if _trigger_with_pronoun(t.word, lex) and not text[t.start : t.end].endswith("ة"):
            return True
        if (
            is_trigger(t.word, lex)
            and n + 2 < len(toks)
            and toks[n + 1].word in lex.relative_pronouns
            and len(toks[n + 2].word) > 3
            and toks[n + 2].word.endswith(lex.possessive_suffixes)
        ):
            return True
    return False


def _trigger_with_pronoun(word: str, lex: Lexicon) -> bool:
    """ "لقاءه", "لقائه", "زيارته": a meeting noun with a possessive pronoun (its folded
    ending ه may be a ة, "وزارة": the caller reads the word as written)."""
    for suffix in lex.possessive_suffixes:
        stem = word.removesuffix(suffix)
        if stem == word or len(stem) < 3:
            continue
        forms = {stem, stem[:-1] + "ه" if stem.endswith("ت") else stem}
        forms |= {stem[:-1] + "ء"} if stem.endswith("ي") else set()
        if any(is_trigger(f, lex) for f in forms):
            return True
    return False


_INTERVIEW_REACH = 30  # characters after a trigger where the medium it is held with stands


@rule(
    "meetings.interview-is-no-meeting",
    stage="meetings",
    purpose="'في لقاء مع بي بي سي', 'an interview with Reuters': a trigger with a medium "
    "right after it is an interview, no meeting",
    example="وقال وزير النقل إن الميناء سيغلق. وأضاف في لقاء مع «إذاعة الشرق» أن مصر وقطر ستتفقان.",
    off=False,
)
def _interview(text: str, trigger: Span, actors: dict[str, Actor], lex: Lexicon) -> bool:
    """A medium named after "with" within reach of the trigger: "لقاء أجراه مع قناة …"."""
    lo, hi = trigger[1], trigger[1] + _INTERVIEW_REACH
    return any(
        a.kind == "media"
        and any(
            lo <= m[0] < hi and set(normalize(text[lo : m[0]]).split()) & lex.with_words
            for m in a.mentions
        )
        for a in actors.values()
    )


_BETWEEN_REACH = 10  # words after "between"/"بين" that name the parties


@rule(
    "meetings.parties-between",
    stage="meetings",
    purpose="'talks between X and Y': the actors named after 'between'/'بين' right after "
    "the trigger, up to a preposition, are the parties, not the others the sentence names",
    example="Kenya said on Monday that talks between Uganda and Rwanda began in Kampala.",
    off=(),
)
def _between(
    text: str, sent: Sentence, present: Sequence[str], spans: Mentions, lex: Lexicon
) -> list[str]:
    """The parties a "between" phrase names after a trigger ("محادثات سرية بين السعودية
    والحوثيين", "a meeting between A and B"), where it names two or more."""
    toks = tokens(text, sent.start, sent.end)
    for n, t in enumerate(toks):
        if not is_trigger(t.word, lex):
            continue
        for m in range(n + 1, min(len(toks), n + 3)):  # "talks between", "محادثات سرية بين"
            if toks[m].word in lex.between_words:
                # "بين الحوثيين والسعوديين دون حضور …": the list ends at a preposition
                reach = toks[m + 1 : m + 1 + _BETWEEN_REACH]
                n = next((n for n, t in enumerate(reach) if t.word in lex.name_breaks), len(reach))
                lo, hi = toks[m].end, reach[n - 1].end if n else toks[m].end
                named = [a for a in present if spans.starting_in(a, lo, hi)]
                return named if len(named) >= 2 else []
    return []


@rule(
    "meetings.pronoun-subject-meets",
    stage="meetings",
    purpose="'He met …': the person the pronoun continues is a party of the meeting",
    example=(
        "President John Mwangi arrived in Kampala on Sunday. "
        "He met President Paul Okello on Monday."
    ),
    off=None,
)
def _pronoun_party(
    subject: str | None, spans: dict[str, list[Span]], present: Sequence[str]
) -> str | None:
    return subject if subject is not None and subject in spans and subject not in present else None


@rule(
    "meetings.roster-is-no-meeting",
    stage="meetings",
    purpose="More than four parties is a roster, not a meeting the cues can read",
    example="Kenya, Uganda, Rwanda, Burundi and Tanzania held talks in Arusha.",
    off=False,
)
def _roster(participants: Sequence[str]) -> bool:
    return len(participants) > _MAX_PARTICIPANTS


@rule(
    "meetings.mediated-is-indirect",
    stage="meetings",
    purpose="A meeting with a mediator and no format marker is indirect",
    example="Kenya and Uganda held talks brokered by Qatar in Kampala.",
    off=False,
)
def _mediated_is_indirect(mediators: Sequence[str], fmt: str) -> bool:
    return bool(mediators) and fmt == "unknown"


@rule(
    "meetings.direct-unless-a-go-between",
    stage="meetings",
    purpose="The parties of a meeting, talks or a visit meet face to face unless the text "
    "names a go-between: direct where no indirect marker and no mediator stands",
    example="Kenya and Uganda held talks in Kampala on Monday.",
    off=False,
)
def _face_to_face_unless_said(fmt: str) -> bool:
    """RECORDS.md §1: `indirect` = through a mediator. A sentence that says neither
    "indirect" nor who carries the messages states parties that sit together."""
    return fmt == "unknown"


@rule(
    "meetings.date-in-sentence",
    stage="meetings",
    purpose="The day the meeting sentence names ('on Monday', 'الأحد') is the meeting's",
    example="Kenya and Uganda held talks in Kampala on Monday.",
    off=None,
)
def _date_in(sent: Sentence, lex: Lexicon) -> str | None:
    return date_in(sent.text, lex.language)


def _mediators(present: Sequence[str], mediator_at: Sequence[Span], spans: Mentions) -> list[str]:
    """The actors named right after a mediator marker ("بوساطة X", "mediated by X")."""
    return [
        aid
        for aid in present
        if any(spans.starting_in(aid, m[0], max(m[1] + 2, m[0] + 1)) for m in mediator_at)
    ]


def _parties_of(
    text: str,
    sent: Sentence,
    participants: list[str],
    spans: Mentions,
    backup: set[str],
    actors: dict[str, Actor],
    lex: Lexicon,
) -> list[str]:
    """The parties among the actors a meeting sentence names, one per side.

    Backup actors only where the others are too few, one side named twice counts
    once, a country named only in its person's title meets through him, and two
    named people are the parties rather than their countries.
    """
    people = [aid for aid in participants if _named_person_id(actors.get(aid))]
    main = [aid for aid in participants if aid not in backup]
    if _backup_aside(main, people):
        participants = main
    participants = _one_side(participants, actors, lex)
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
        if aid not in served
        or not _only_in_title(
            text,
            sent,
            spans.starting_in(aid, sent.start, sent.end),
            spans.starting_in(served[aid], sent.start, sent.end),
        )
    ]
    sides = {actors[aid].affiliation for aid in participants if aid in actors}
    participants = [
        aid for aid in participants if not _its_member_meets(aid, sides, actors.get(aid))
    ]
    people = [aid for aid in participants if _named_person_id(actors.get(aid))]
    if _people_are_the_parties(people):
        participants = people
    return participants


@rule(
    "meetings.member-speaks-for-its-side",
    stage="meetings",
    purpose="A body a participant belongs to is his side, not a second party: a "
    "spokesman of a movement in its talks is one side",
    example=(
        "Hamas spokesman Ali Nasser said the port would reopen. "
        "Ali Nasser joined the talks of Hamas in Doha on Monday."
    ),
    off=False,
)
def _its_member_meets(aid: str, sides: set[str | None], actor: Actor | None) -> bool:
    """A country meets through its person only where its title names it alone
    (`meetings.country-through-its-person`); a movement or body always."""
    return aid in sides and actor is not None and actor.kind != "country"


@rule(
    "meetings.backup-only-when-few",
    stage="meetings",
    purpose="Actors found only as capitalized names take part only where the others are few",
    example="Kenya and Uganda held talks with Acme Mining in Kampala.",
    off=False,
)
def _backup_aside(main: Sequence[str], people: Sequence[str]) -> bool:
    return len(main) >= 2 and len(people) < 2


@rule(
    "meetings.two-people-are-the-parties",
    stage="meetings",
    purpose="Where two named people meet, they are the parties, not their countries",
    example="Kenya's President John Mwangi met Uganda's President Paul Okello in Kampala.",
    off=False,
)
def _people_are_the_parties(people: Sequence[str]) -> bool:
    return len(people) >= 2


@rule(
    "meetings.country-through-its-person",
    stage="meetings",
    purpose="A country named only in its person's title takes part through him, not as well",
    example=(
        "وقال نائب وزير الخارجية السوري فيصل المقداد إن الوضع صعب. "
        "والتقى نائب وزير الخارجية السوري فيصل المقداد وزير الخارجية القطري في دمشق."
    ),
    off=False,
)
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


def _named_in(sent: Sentence, spans: Mentions, people: set[str]) -> list[str]:
    """The actors a sentence names, in order of first listing.

    A person's mention inside another person's longer one (ids in `people`) does not
    count: "Aung San" in "Aung San Suu Kyi" is not her father (but "الروسي" in "وزير
    الخارجية الروسي" is Russia). One sort and one sweep, however many mentions.
    """
    mentioned = spans.all_starting_in(sent.start, sent.end + 1)
    found = sorted((s, -e, aid) for s, e, aid in mentioned if e <= sent.end)
    named: set[str] = set()
    start, reach, owner = -1, -1, ""  # the mention reaching furthest so far, and whose
    for s, neg_e, aid in found:
        e = -neg_e
        inside = owner != aid and e <= reach and (start < s or e < reach)
        if not (inside and _person_in_a_person(aid, owner, people)):
            named.add(aid)
        if e > reach:
            start, reach, owner = s, e, aid
    return spans.in_listing_order(named)


@rule(
    "meetings.person-within-a-person",
    stage="meetings",
    purpose="A person's name inside another's ('Aung San' in 'Aung San Suu Kyi') is not named",
    example="Maria Elena said the port would reopen. Maria Elena Lopez met Juan Perez in Lima.",
    off=False,
)
def _person_in_a_person(aid: str, owner: str, people: set[str]) -> bool:
    return aid in people and owner in people


def _stems(name: str, lex: Lexicon) -> frozenset[str]:
    """An Arabic name's words without the article and the adjective's endings.

    "الوفد الحوثي" → {وفد, حوث}; "الحوثيين" → {حوث}; "اليمن", "اليمني" → {يمن}.
    """
    out = set()
    for word in normalize(name).split():
        word = without_prefix(word, lex.article_prefixes)
        for ending in lex.side_stem_endings:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                word = word[: -len(ending)]
                break
        if len(word) >= 3:
            out.add(word)
    return frozenset(out)


def _one_side(participants: list[str], actors: dict[str, Actor], lex: Lexicon) -> list[str]:
    """Two names of one side are one party, the fuller: "الوفد الحوثي" is "الحوثيين"'s.

    A sentence that names a delegation by its side's adjective names the side too; a
    meeting of the two would be the side meeting itself.
    """
    stems = {
        aid: _stems(actors[aid].name, lex)
        for aid in participants
        if aid in actors and re.search("[\u0600-\u06ff]", actors[aid].name)
    }
    return [aid for aid in participants if not _side_named_more_fully(aid, stems)]


@rule(
    "meetings.one-side-named-twice",
    stage="meetings",
    language="ar",
    purpose="Two names of one side ('الوفد الحوثي', 'الحوثيين') are one party, the fuller",
    example="وقالت الحكومة اليمنية إن الوضع صعب. والتقت الحكومة اليمنية والسعودية في الرياض.",
    off=False,
)
def _side_named_more_fully(aid: str, stems: dict[str, frozenset[str]]) -> bool:
    return any(other != aid and stems.get(aid) and stems[aid] < stems[other] for other in stems)


def _named_person_id(actor: Actor | None) -> bool:
    return actor is not None and actor.kind == "person" and not actor.anonymous
