"""Records from the cue stages: the `rules` strategy, and `cues` over a model's actors.

The floor every model strategy must beat, and the fallback a user can choose when no
model is available. Claims come from the cue stage (`cues.py`): one claim per
sentence of reported speech, the sentence as evidence, `statement` = the evidence
(no model writes a paraphrase here); an implicit subject ("وأضاف", "he added") is the
previous speaker; an interview's answers are the interviewee's. Actors come from
`actors.py`, meetings from the meeting stage (`meetings.py`) over those actors.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence

from ..lang.detect import detect_language
from ..lang.lexicon import OPEN_QUOTES, Lexicon, Place, load_gazetteer, load_lexicon
from ..models import Actor, Article, Claim, Meeting, QuoteKind, Span
from ..text.dates import date_in, find_published, resolve_date
from ..text.grounding import TextIndex, mentions
from ..text.headlines import headline_span, title_of
from ..text.normalize import normalize
from ..text.segment import Segment, Sentence
from .actors import (
    NAME_LINKS,
    ActorBook,
    NamedActor,
    arabic_counterparts,
    arabic_organizations,
    arabic_titled_names,
    canonical_name,
    english_names,
    name_tail,
    place_mentions,
)
from .meetings import is_trigger, meeting_cue, one_record_each
from .phrases import Speaker
from .quotes import quoted_share
from .speech import IMPLICIT_REACH as REACH
from .speech import (
    PERSONAL,
    SpeechCue,
    Unnamed,
    sentence_cue,
    speech_cues,
    unnamed_cues,
)
from .tokens import Token, is_verb, tokens

_MAX_PARTICIPANTS = 4
_MIN_MENTIONS = 2


def rules_article(
    index: TextIndex,
    segment: Segment,
    sentences: Sequence[Sentence],
    *,
    published: str | None = None,
    named: Sequence[NamedActor] | None = None,
) -> Article:
    """One article from its sentences by rules: actors, claims and meetings, all grounded.

    `named` are actors a model read in the text (the `cues` strategy; None for `rules`,
    which asks no model): they join the
    actor book first, with their English names, so speakers and meeting parties can
    be resolved to them ("كيري" → "جون كيري", John Kerry).
    """
    text = index.text
    language = detect_language(text[segment.start : segment.end])
    header = text[segment.start : min(segment.end, segment.start + 600)]
    article = Article(
        title=title_of(text, segment),
        published=published or find_published(header),
        language=language,
        span=(segment.start, segment.end),
        notes=[
            *segment.notes,
            (
                "cues strategy: actors named by the model, claims and meetings by cues"
                if named is not None
                else "rules strategy: no model"
            )
            + "; statements are the evidence sentences",
        ],
    )
    if language not in ("ar", "en"):
        article.notes.append(f"no cue lexicon for language {language!r}: nothing extracted")
        return article
    lex = load_lexicon(language)
    gazetteer = load_gazetteer(language)
    places = {normalize(f): p for p in gazetteer.places for f in p.forms}
    places_by_name = {p.name_en: p for p in gazetteer.places}
    book = ActorBook(text, lex, places)
    if named:
        book.add_named(named, index, segment)
    book.known_as(segment.start, segment.end)
    cues = speech_cues(text, [(s.start, s.end) for s in sentences], lex)
    headline = headline_span(text, segment)
    if headline is not None:  # the headline restates the body's claims: none of its own
        cues = [c for c in cues if not headline[0] <= sentences[c.sentence].start < headline[1]]
    names = english_names(text, sentences) if language == "en" else []
    titled: set[str] = set()  # Arabic names a title announces, listed before the speakers
    if language == "ar":  # so "السفيرة الأميركية" can refer to the ambassador named in full
        known = {e.actor.id for e in book.entries}
        for title, span in arabic_titled_names(text, sentences, lex):
            book.entitle(book.resolve(span), title)
        titled = {e.actor.id for e in book.entries} - known
    people = _people(text, names, book)  # what "he"/"she" can be, for claims and meetings
    article.claims = _claims(cues, sentences, book, people)
    article.claims = _interview(text, sentences, lex, book, article.claims)
    bodies: set[str] = set()
    if language == "ar":  # bodies by their kind nouns, after the speakers that name them
        known = {e.actor.id for e in book.entries}
        for span, name in arabic_organizations(text, sentences, lex):
            book.body(span, name)
        for span in arabic_counterparts(text, sentences, lex):
            book.resolve(span)  # "نظرائه الخليجيين": the unnamed other side of talks
        bodies = {e.actor.id for e in book.entries} - known
    found = place_mentions(text, segment, gazetteer)
    for span, place in found:
        book.place(place, span)
    named_only: set[str] = set()  # actors found only as capitalized names
    if language == "en":
        taken = [span for span, _ in found]
        known = {e.actor.id for e in book.entries}
        for span in names:
            split = name_tail(text[span[0] : span[1]])  # "Saudi Arabia's Crown Prince …"
            name = (span[0] + split[1][0], span[0] + split[1][1]) if split else span
            if book.not_an_actor(text[name[0] : name[1]]):
                continue  # "Congressional Gold Medal", "Cold War"
            if _PARTY_MEMBER.search(text, max(0, span[0] - 4), span[1] + 1):
                continue  # "Dan Kildee, a Michigan Democrat": what he is, not who
            if not any(s <= name[0] < e or name[0] <= s < name[1] for s, e in taken):
                book.resolve(span)
        named_only = {e.actor.id for e in book.entries} - known
    else:  # a titled name or a body that does not speak is a backup party, like a
        # capitalized one: "الخارجية الإيرانية" speaks for Iran, the party
        named_only = (titled | bodies) - {s for c in article.claims for s in c.speakers}
    article.actors = book.actors()
    place_ids = {e.actor.id: name for name, e in book.by_place.items()}
    _affiliate(article.actors, places, book)
    _surnames(index, segment, article.actors, set(place_ids), places, lex)
    for actor in article.actors:
        if actor.id in place_ids:  # word-bounded and case-kept, not every folded substring
            actor.mentions = [span for span, p in found if p.name_en == place_ids[actor.id]]
        else:
            forms = [actor.name, *actor.aliases]
            actor.mentions = mentions(index, forms, segment.start, segment.end)
    for actor in article.actors:
        if actor.id not in place_ids and any(_told(text, m, lex) for m in actor.mentions):
            actor.kind = "media"
    # Who speaks in a sentence reports the meeting, an unnamed source is nobody's party,
    # and an outlet interviews or reports: none takes part in the meetings stated.
    not_parties = {a.id for a in article.actors if a.anonymous or a.kind == "media"}
    # (Only where the sentence names the speaker as such: "وسيذهب غريفيث، بحسب ما قاله،
    # إلى مسقط" goes himself.)
    said_by: dict[int, list[Span]] = {}
    for cue in cues:
        said_by.setdefault(sentences[cue.sentence].start, []).extend(
            sp.span for sp in cue.speakers if sp.span is not None
        )
    starts = [s.start for s in sentences]
    for claim in article.claims:  # the second speaker of "…، بينما قالت X إن …" speaks too
        k = bisect_right(starts, claim.span[0]) - 1 if claim.span else -1
        if k >= 0 and claim.span and claim.span[0] != starts[k]:
            lo, hi = claim.span
            said_by.setdefault(starts[k], []).extend(
                m
                for a in article.actors
                if a.id in claim.speakers
                for m in a.mentions
                if lo <= m[0] < hi
            )
    named_in: dict[int, list[tuple[str, Span]]] = {}  # sentence start -> (actor, mention)
    for actor in article.actors:
        if actor.id not in place_ids:
            for m in actor.mentions:
                k = bisect_right(starts, m[0]) - 1
                if k >= 0:
                    named_in.setdefault(starts[k], []).append((actor.id, m))
    speaking = {
        start: {
            aid
            for aid, m in named_in.get(start, [])
            if any(s <= m[0] < e or m[0] <= s < m[1] for s, e in spans)
        }
        for start, spans in said_by.items()
    }
    # An actor only a model named and the text names once is a weak party: a small model
    # lists common nouns ("المصالح", "the interests") among the names.
    not_parties |= {
        a.id
        for a in article.actors
        if a.id in book.model_named and len(a.mentions) < _MIN_MENTIONS and a.kind != "person"
    }
    parties = {a.id: a.mentions for a in article.actors if a.id not in not_parties}
    for aid in parties:  # "met in Beijing", "talks at the White House": where, not who
        if aid in place_ids or lex.language == "en":
            parties[aid] = [m for m in parties[aid] if not _locative(text, m, lex)]
    by_id = {a.id: a for a in article.actors}
    he = _pronoun_subjects(sentences, people, book) if people else {}
    article.meetings = _meetings(
        text, sentences, lex, parties, named_only, speaking, by_id, he, [s for s, _ in found]
    )
    for meeting in article.meetings:  # "الأحد" against the article's date (RECORDS.md §1)
        meeting.date = resolve_date(meeting.date_text, article.published, meeting.status)
    for actor in article.actors:  # a country is named by its name, not by an adjective
        if actor.id in place_ids:
            canonical_name(actor, places_by_name[place_ids[actor.id]])
    # a place only ever named as where things happen ("in Vienna") is no actor
    where = {
        aid
        for aid in place_ids
        if (a := by_id.get(aid)) is not None
        and a.mentions
        and all(_locative(text, m, lex) for m in a.mentions)
    }
    _prune(article, book.model_named | where)
    return article


def unnamed_speech(
    index: TextIndex, segment: Segment, sentences: Sequence[Sentence]
) -> list[Unnamed]:
    """Cue sentences the rules leave out for want of a speaker, for a model to name.

    Only sentences no claim of `rules_article` covers are asked about; the headline's
    are none (it restates the body).
    """
    text = index.text
    language = detect_language(text[segment.start : segment.end])
    if language not in ("ar", "en"):
        return []
    lex = load_lexicon(language)
    headline = headline_span(text, segment)
    out = []
    for cue in unnamed_cues(text, [(s.start, s.end) for s in sentences], lex):
        sent = sentences[cue.sentence]
        if cue.cue is None or (headline is not None and headline[0] <= sent.start < headline[1]):
            continue
        toks = tokens(text, cue.cue[0], sent.end)
        said = toks[:2] if len(toks) > 1 and not toks[0].after.strip() else toks[:1]
        if len(said) == 2 and said[1].word in lex.complementizers:
            said = said[:1]
        description = text[said[0].start : said[-1].end]
        evidence = text[sent.start : sent.end].rstrip(" ،,")
        out.append(
            Unnamed(
                cue.sentence,
                description,
                evidence,
                (sent.start, sent.start + len(evidence)),
                cue.quote,
            )
        )
    return out


def _surnames(
    index: TextIndex,
    segment: Segment,
    actors: Sequence[Actor],
    place_ids: set[str],
    places: dict[str, Place],
    lex: Lexicon,
) -> None:
    """A person's last name, written alone ("Shultz", "كيري"), is an alias of that person.

    Stories name a person in full once, then by surname; the surname is a form the
    text uses for the actor (RECORDS.md `aliases`), so its mentions count where the
    person meets or is mentioned again. Only a surname no other actor shares, that is
    not a country or a title, and not the second half of a compound ("آل ثاني").
    """
    people = [a for a in actors if a.kind == "person" and not a.anonymous and a.id not in place_ids]
    last: dict[str, list[Actor]] = {}
    for actor in people:
        words = actor.name.split()
        if len(words) < 2 or normalize(words[-2]) in NAME_LINKS:
            continue
        word = words[-1].strip(".,،")
        key = normalize(word)
        if (
            len(key) < 3
            or key in places
            or key in lex.title_nouns
            or key in lex.speaker_stops
            or (lex.language == "en" and not word[:1].isupper())
        ):
            continue
        last.setdefault(key, []).append(actor)
    taken = {normalize(f) for a in actors for f in [a.name, *a.aliases]}
    for key, owners in last.items():
        if len(owners) != 1 or key in taken:
            continue
        actor = owners[0]
        word = actor.name.split()[-1].strip(".,،")
        full = mentions(index, [actor.name, *actor.aliases], segment.start, segment.end)
        alone = [
            span
            for span in index.find_all(word, segment.start, segment.end)
            if _whole_word(index.text, span, lex.language)
            and not any(s <= span[0] and span[1] <= e for s, e in full)
        ]
        if alone:
            actor.aliases.append(index.text[alone[0][0] : alone[0][1]])


def _whole_word(text: str, span: Span, language: str) -> bool:
    """No letter touches the span, but an Arabic clitic و ف ب ل may open it ("وكيري").

    In English a capitalized word next to it makes it part of another name ("White
    House" is not Mr. White).
    """
    start, end = span
    if end < len(text) and text[end].isalpha():
        return False
    if language == "en":
        if not text[start : start + 1].isupper():
            return False  # "black or white" is not Mr. White
        after = text[end : end + 30].split()[:1]
        before = text[max(0, start - 30) : start].split()[-1:]
        if any(w[:1].isupper() for w in after) or any(
            w[:1].isupper() and not w.endswith((".", ",", ":", ";")) for w in before
        ):
            return False
    if start and text[start - 1].isalpha():
        clitic = text[start - 1] in "وفبل"
        return clitic and (start < 2 or not text[start - 2].isalpha())
    return True


def _affiliate(actors: Sequence[Actor], places: dict[str, Place], book: ActorBook) -> None:
    """A person whose role names a country belongs to it ("وزير الخارجية القطري", "Russian
    Foreign Minister"): the country is the affiliation, when the article has it as an actor.
    """
    for actor in actors:
        if actor.kind != "person" or not actor.role or actor.affiliation:
            continue
        for word in actor.role.split():
            place = places.get(normalize(word.strip(",.،")))
            entry = book.by_place.get(place.name_en) if place else None
            if entry is not None and entry.actor.id != actor.id:
                actor.affiliation = entry.actor.id
                break


_LOCATIVE = {"en": frozenset(("in", "at", "inside")), "ar": frozenset((normalize("في"),))}


def _locative(text: str, span: Span, lex: Lexicon) -> bool:
    """Named right after "in"/"at (the)"/"في": where the meeting is, not who meets."""
    before = text[max(0, span[0] - 16) : span[0]].split()
    if lex.language == "en" and before and before[-1].lower() == "the":
        before = before[:-1]
    return bool(before) and normalize(before[-1]) in _LOCATIVE.get(lex.language, frozenset())


_TOLD = re.compile(r"(?:^|\s)لـ*[«\"“]$")  # "لـ«", "ل«": the preposition, then the quoted name


def _told(text: str, span: Span, lex: Lexicon) -> bool:
    """The name is the medium told: "قال لـ«الشرق الأوسط»", "في حديث لـ«الحياة»".

    Arabic news writes the outlet a speaker talked to as لـ before its quoted name,
    after a verb of speech or a word for a statement, a few words back ("الحوار مع
    وزير الخارجية جون كيري لـ«…»"); "التابعة لـ«حزب الله»" belongs, it does not tell.
    Whatever is told so is a medium, never a party to the meetings it reports,
    whatever kind a model gave it.
    """
    if lex.language == "en":  # "he told the Guardian" (a person is told without "the")
        words = text[max(0, span[0] - 12) : span[0]].split()
        named = text[span[0] : span[1]].split()[:1]
        return words[-2:] == ["told", "the"] or (words[-1:] == ["told"] and named == ["the"])
    if lex.language != "ar":
        return False
    before = text[max(0, span[0] - 80) : span[0]]
    opening = _TOLD.search(before)
    if opening is None:
        return False
    words = [normalize(w.strip('،,.«»"“”()')) for w in before[: opening.start()].split()[-8:]]
    return any(
        is_verb(w, lex, lex.reporting_verbs) or w.removeprefix("ال") in lex.statement_nouns
        for w in words
    )


def _prune(article: Article, model_named: set[str]) -> None:
    """Drop actors only a model named that the article neither quotes, meets nor repeats.

    A small model lists every name it sees; an actor the story is about is mentioned
    more than once, or speaks, or takes part in a meeting.
    """
    used = {s for c in article.claims for s in c.speakers}
    used |= {p for m in article.meetings for p in [*m.participants, *m.mediators]}
    used |= {a.affiliation for a in article.actors if a.affiliation}
    keep = [
        a
        for a in article.actors
        if a.id not in model_named or a.id in used or len(a.mentions) >= _MIN_MENTIONS
    ]
    kept = {a.id for a in keep}
    for actor in keep:
        if actor.affiliation not in kept:
            actor.affiliation = None
    article.actors = keep


def _meetings(
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
        mediators = [
            aid
            for aid in present
            if any(
                m[0] <= s < m[1] + 2 or s == m[0] for m in cue.mediator_at for s, _ in spans[aid]
            )
        ]
        participants = [
            aid
            for aid in present
            if aid not in mediators and aid not in speaking.get(sent.start, set())
        ]
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
            and _locative(text, span, lex)
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


_QUESTION = re.compile(r"^\s*(?:\*|س\s*[:/-]|Q\s*[:.]|Question\s*:)")


def _interview(
    text: str, sentences: Sequence[Sentence], lex: Lexicon, book: ActorBook, claims: list[Claim]
) -> list[Claim]:
    """An interview's answers are the interviewee's claims, one per sentence (direct).

    An interview is an article with three or more question paragraphs ("* …", "س: …",
    "Q: …"); the answers are the paragraphs between them. The interviewee is the
    speaker the headline names before a colon ("X: …"), else the most frequent named
    speaker. Questions are the outlet's words, not claims.
    """
    starts = [s.start for s in sentences]
    paragraphs = []
    for sent in sentences:
        line_start = text.rfind("\n", 0, sent.start) + 1
        paragraphs.append(line_start)
    questions = {p for p in set(paragraphs) if _QUESTION.match(text[p : p + 20])}
    if len(questions) < 3:
        return claims
    head = sentence_cue(text, sentences[0].start, sentences[0].end, lex, 0, headline=True)
    who = None
    if head is not None and head.speakers[0].span is not None:
        who = book.resolve(head.speakers[0].span)
    else:
        counts = Counter(s for c in claims for s in c.speakers if not _anonymous_id(book, s))
        who = counts.most_common(1)[0][0] if counts else None
    if who is None:
        return claims
    have = {c.span for c in claims}
    out = list(claims)
    answering = False
    for sent, para in zip(sentences, paragraphs, strict=True):
        if para in questions:
            answering = True
            continue
        if not answering or sent.start == starts[0] or (sent.start, sent.end) in have:
            continue
        if len(sent.text.split()) < 3:
            continue
        out.append(
            Claim(
                speakers=[who],
                statement=sent.text,
                evidence=sent.text,
                quote="direct",
                span=(sent.start, sent.end),
                alignment="exact",
            )
        )
    out.sort(key=lambda c: c.span or (0, 0))
    return out


def _anonymous_id(book: ActorBook, actor_id: str) -> bool:
    return any(e.actor.id == actor_id and e.actor.anonymous for e in book.entries)


def _name_title_holder(book: ActorBook, people: Sequence[Span], span: Span) -> None:
    """Before "the Crown Prince" speaks, list the titled name the text gave him earlier.

    The rules list capitalized names after the claims; a title alone ("the Crown
    Prince, who …, replied") would otherwise become an actor of its own, not the
    "Crown Prince Abdullah bin Abdul Aziz" named in the sentence before.
    """
    title = book.bare_title(normalize(book.text[span[0] : span[1]]))
    if title is None:
        return
    for lo, hi in reversed(people):
        if hi > span[0]:
            continue
        split = name_tail(book.text[lo:hi])  # "Saudi Arabia's Crown Prince Abdullah …"
        name = (lo + split[1][0], lo + split[1][1]) if split else (lo, hi)
        if normalize(book.text[name[0] : name[1]]).startswith(title + " "):
            book.resolve(name)
            return


# "a Michigan Democrat", "an Ohio Republican": an apposition describing a person's party
_PARTY_MEMBER = re.compile(r"\ban?\s+(?:[A-Z][\w.-]*\s+){0,2}(?:Democrat|Republican|Independent)\b")


def _people(text: str, names: Sequence[Span], book: ActorBook) -> list[Span]:
    """Name spans that are people (not places or organizations): what "he"/"she" can be."""
    out = []
    for span in names:
        key = normalize(text[span[0] : span[1]])
        if key not in book.places and book.kind_of(key) == "person":
            out.append(span)
    # after the first mention, news names a person by the surname alone ("Trump landed
    # in Phoenix"), which no capitalized run finds: the surname of a full name found
    surnames = {
        text[s:e].split()[-1]
        for s, e in out
        if len(text[s:e].split()) >= 2 and re.fullmatch(r"[A-Z][a-z]{2,}", text[s:e].split()[-1])
    }
    taken = set(out)
    for surname in surnames:
        for m in re.finditer(rf"(?<![\w.-]){re.escape(surname)}(?![\w-])", text):
            if not any(s <= m.start() < e for s, e in taken):
                out.append((m.start(), m.end()))
    return sorted(out)


def _opening_end(sent: Sentence) -> int:
    """Where a sentence's second word starts: a name that starts by then opens it."""
    starts = [m.start() for m in itertools.islice(re.finditer(r"\S+", sent.text), 2)]
    return sent.start + (starts[-1] if starts else 0)


# "In response to international pressure, Suu Kyi presided …": a short fronted phrase,
# its comma, then the subject
_FRONTED_PHRASE = re.compile(r"\s*[A-Z][^,.;:\"“”]{0,60},\s+")


def _fronted_end(sent: Sentence, lex: Lexicon) -> int | None:
    """Where the subject after a sentence's fronted phrase starts, if it has one.

    The phrase opens with a preposition or an adverb of the lexicon ("In response …,",
    "Later,"): "Mr Blair held talks with his counterpart, Ariel Sharon" has a subject
    of its own before the comma.
    """
    m = _FRONTED_PHRASE.match(sent.text)
    first = sent.text.split(maxsplit=1)[0].lower() if sent.text.strip() else ""
    return sent.start + m.end() if m and first in lex.fronting_words else None


def _opens(sent: Sentence, span: Span, lex: Lexicon) -> bool:
    """Whether a name is its sentence's subject: it opens it, or follows a fronted phrase."""
    if sent.start <= span[0] <= _opening_end(sent):
        return True
    at = _fronted_end(sent, lex)  # "Before meeting with Bush, the Crown Prince paid …"
    if at is not None and sent.text[at - sent.start :].startswith("the "):
        at += 4
    return span[0] == at


def _pronoun_subjects(
    sentences: Sequence[Sentence], people: Sequence[Span], book: ActorBook
) -> dict[int, str]:
    """Sentences that open with "He"/"She" → the person it continues (English).

    The person who opened one of the three sentences before, as for "he said": a
    meeting's subject is a party ("He met leaders in Baghdad").
    """
    out: dict[int, str] = {}
    last: Span | None = None
    pos = 0
    for n, sent in enumerate(sentences):
        # "He met …", "During his stay in Washington, he was to meet …": the subject
        first = re.match(r"\s*(?:But|And|Then)?\s*(He|She)\b", sent.text) or re.match(
            r"\s*[A-Z][^,.;:\"“”]{0,60},\s+(he|she)\b", sent.text
        )
        if first and last is not None and last[0] >= sentences[max(0, n - 3)].start:
            pronoun = first.group(1).lower()
            if book.gender(last) in (None, _GENDER[pronoun]):
                out[n] = book.resolve(last)
        opening = _opening_end(sent)
        while pos < len(people) and people[pos][0] < sent.end:
            span = people[pos]
            if sent.start <= span[0] <= opening or _opens(sent, span, book.lex):
                last = span  # a person who opens a sentence (or its clause) is its subject
            pos += 1
    return out


def _named_person(
    people: Sequence[Span],
    sentences: Sequence[Sentence],
    lo: int,
    cue: SpeechCue,
    book: ActorBook,
    pronoun: str | None,
) -> Span | None:
    """The last person who is a sentence's subject since the previous claim (3 sentences back).

    A subject opens its sentence ("Mr. Obama made clear …", "But Mr. Blair …"); a
    name further in is usually an object or an aside, not whom "he" continues. "He"
    is not a person the article calls Mrs or Ms, nor "she" one it calls Mr.
    """
    found = None
    for n in range(max(lo + 1, cue.sentence - 3, 0), cue.sentence + 1):
        sent = sentences[n]
        end = cue.cue[0] if n == cue.sentence and cue.cue else sent.end
        for p in people:
            opens = _opens(sent, p, book.lex) and p[1] <= end
            if opens and (pronoun is None or book.gender(p) in (None, _GENDER[pronoun])):
                found = p
    return found


def _gendered_mention(
    people: Sequence[Span],
    sentences: Sequence[Sentence],
    lo: int,
    cue: SpeechCue,
    book: ActorBook,
    pronoun: str,
    previous: Sequence[str],
) -> Span | None:
    """The last person named since the previous claim whose title gives the pronoun's
    gender, where no previous speaker is known to have it.

    "The latest footage showed Mrs Hassan asking …. She also urged …": Mrs Hassan is
    named as an object, not a subject, but "she" cannot be the spokesman who spoke
    before while a woman the text calls Mrs is at hand.
    """
    want = _GENDER[pronoun]
    if any(book.gender_of(actor_id) == want for actor_id in previous):
        return None
    first = sentences[max(lo + 1, cue.sentence - 3, 0)].start
    end = cue.cue[0] if cue.cue else sentences[cue.sentence].end
    found = None
    for p in people:
        if first <= p[0] and p[1] <= end and book.gender(p) == want:
            found = p
    return found


_GENDER = {"he": "m", "she": "f"}


def _claims(
    cues: Sequence[SpeechCue],
    sentences: Sequence[Sentence],
    book: ActorBook,
    people: Sequence[Span] = (),
) -> list[Claim]:
    """One claim per cue; an implicit subject is the previous speaker, "he"/"she" a person.

    "he said" right after a claim continues its speaker; after narration that names a
    person ("Mr. Obama made clear …. '…,' he said") it is that person.
    """
    claims: list[Claim] = []
    previous: list[str] = []
    last = -REACH - 1  # sentence of the previous claim
    for cue in cues:
        speakers: list[str] = []
        for speaker in cue.speakers:
            if speaker.implicit or speaker.span is None:
                person = None
                if speaker.pronoun in PERSONAL and last < cue.sentence - 1:
                    person = _named_person(
                        people, sentences, last, cue, book, speaker.pronoun
                    ) or _gendered_mention(
                        people, sentences, last, cue, book, speaker.pronoun, previous
                    )
                if person is not None:
                    speakers.append(book.resolve(person))
                elif last >= cue.sentence - REACH or speaker.pronoun in PERSONAL:
                    speakers += [p for p in previous if p not in speakers]
            elif book.not_an_actor(phrase := book.text[speaker.span[0] : speaker.span[1]]) or (
                book.verb_form(phrase)
            ):
                # "who in 2010 said": a number is nobody; "بحسب ما قاله": a verb's pronoun
                # is no name; the subject is someone before
                if last >= cue.sentence - REACH:
                    speakers += [p for p in previous if p not in speakers]
            else:
                if book.lex.language == "en":
                    _name_title_holder(book, people, speaker.span)
                actor_id = book.resolve(speaker.span)
                if speaker.role is not None:
                    book.entitle(actor_id, speaker.role)
                if actor_id not in speakers:
                    speakers.append(actor_id)
        if not speakers:
            continue  # reported speech whose speaker the text does not let us name
        sent = sentences[cue.sentence]
        second = _contrasted(book.text, sent, book.lex, cue.cue) if cue.cue is not None else None
        if second is None and cue.cue is not None:
            second = _quoted_after_colon(book.text, sent, book.lex, cue)
        begin = sent.start
        # "…، ليقول: «…»": narration, then what the speaker named before says
        if (
            cue.cue is not None
            and cue.speakers[0].implicit
            and _quoted_after_colon(book.text, sent, book.lex, cue, at=cue.cue[0]) is not None
        ):
            begin = cue.cue[0]
        end = sent.end if second is None else second[0]
        evidence = book.text[begin:end].rstrip(" ،,")
        claims.append(
            Claim(
                speakers=speakers,
                statement=evidence,
                evidence=evidence,
                quote=cue.quote,
                span=(begin, begin + len(evidence)),
                alignment="exact",
            )
        )
        previous, last = speakers, cue.sentence
        if second is not None:  # "…، بينما قالت خطيبة خاشقجي إنها …": a second speaker
            start, other = second
            others = [book.resolve(sp.span) for sp in other.speakers if sp.span is not None]
            others = others or speakers  # ", but he denied": the same person speaks again
            claims.append(
                Claim(
                    speakers=list(dict.fromkeys(others)),
                    statement=book.text[start : sent.end],
                    evidence=book.text[start : sent.end],
                    quote=other.quote,
                    span=(start, sent.end),
                    alignment="exact",
                )
            )
            previous = claims[-1].speakers
    return claims


_CONTRAST = {
    "ar": frozenset(normalize(w) for w in ("بينما", "وبينما", "فيما", "وفيما")),
    "en": frozenset(("while", "whereas", "and", "but")),  # after a comma: ", and Y warned"
}
_COORDINATING = frozenset(("and", "but"))  # a new clause only where its subject comes first


def _quoted_after_colon(
    text: str, sent: Sentence, lex: Lexicon, cue: SpeechCue, at: int | None = None
) -> tuple[int, SpeechCue] | None:
    """A ", VERB: «…»" clause: where it starts, as a cue of the same speaker.

    "…، وليس العمل العسكري، مضيفًا: «إننا …»": a verb of speech set off by a comma
    and opening a quotation with a colon states a quotation of its own (RECORDS.md §2,
    separate sentences of reported speech); "قائلاً في بيان أصدره: «…»" goes on with
    the statement it follows. With `at`, only the verb at that offset counts.
    """
    if lex.language != "ar" or cue.cue is None:
        return None
    toks = tokens(text, sent.start, sent.end)
    for k, t in enumerate(toks[1:], start=1):
        if (at is None and t.start <= cue.cue[0]) or (at is not None and t.start != at):
            continue
        if "،" not in toks[k - 1].after and "," not in toks[k - 1].after:
            continue
        if not (
            is_verb(t.word, lex, lex.reporting_verbs)
            or is_verb(t.word, lex, lex.continuation_verbs)
        ):
            continue
        rest = text[t.end : sent.end].lstrip()
        if rest.startswith(":") and rest[1:].lstrip().startswith(OPEN_QUOTES):
            piece = text[t.start : sent.end]
            share, _ = quoted_share(piece)
            kind: QuoteKind = "direct" if share >= 0.5 else "indirect"
            return t.start, SpeechCue(cue.sentence, (t.start, t.end), (Speaker(None, True),), kind)
    return None


def _same_subject(cue: SpeechCue, toks: Sequence[Token], j: int) -> bool:
    """Does the clause at token `j` open with "he"/"she" as its subject of a reporting verb?

    ", but he denied that …" is a statement of its own (RECORDS.md §2: separate
    sentences of reported speech), by the person the sentence is about; ", but said
    …", with no subject of its own, goes on with the first statement.
    """
    speaker = cue.speakers[0]
    return (
        len(cue.speakers) == 1
        and speaker.implicit
        and speaker.pronoun in PERSONAL
        and toks[j].word == speaker.pronoun
        and cue.cue is not None
        and j + 1 < len(toks)
        and cue.cue[0] == toks[j + 1].start
    )


def _contrasted(
    text: str, sent: Sentence, lex: Lexicon, first: Span
) -> tuple[int, SpeechCue] | None:
    """A second clause of reported speech with a speaker of its own, and where it starts.

    "نفت السلطات السعودية …، بينما قالت الرئاسة التركية إن …", "X said A, while Y said
    B", "X emphasized A, and rights groups warned B": two speakers, so two claims
    (RECORDS.md §2: two statements of two sources).
    """
    toks = tokens(text, sent.start, sent.end)
    for k, t in enumerate(toks[1:-1], start=1):
        if t.start <= first[0]:
            continue  # the sentence's own cue comes after: one speaker
        j = k + 1
        if lex.language == "ar" and t.word == normalize("في") and toks[j].word == normalize("حين"):
            j += 1  # "في حين"
        elif t.word not in _CONTRAST.get(lex.language, frozenset()):
            continue
        if j >= len(toks) or (lex.language == "en" and "," not in toks[k - 1].after):
            continue
        if lex.language == "ar" and not is_verb(toks[j].word, lex, lex.reporting_verbs):
            continue
        cue = sentence_cue(text, toks[j].start, sent.end, lex, 0, 0)
        if cue is None or not cue.speakers:
            continue
        if t.word in _COORDINATING and _same_subject(cue, toks, j):
            if t.word == "and":
                continue  # "X voiced A, and he pronounced B": one sentence, one claim
            return t.start, cue  # ", but he denied that …": his second statement
        if any(sp.span is None for sp in cue.speakers):
            continue
        first_span = cue.speakers[0].span
        if t.word in _COORDINATING and (first_span is None or first_span[0] != toks[j].start):
            continue  # ", but said the Israelis were …": the same subject goes on
        return t.start, cue
    return None
