"""The rules-only strategy: cues in, records out, no model — milliseconds per article.

The floor every model strategy must beat, and the fallback a user can choose when no
model is available. Claims come from the cue stage (`cues.py`): one claim per
sentence of reported speech, the sentence as evidence, `statement` = the evidence
(no model writes a paraphrase here). Speakers become actors: unnamed sources
("مصدر مطلع", "a senior US official") are `anonymous`; a short definite form ("المصدر",
"the official", "Mr. Hof") is the same actor as the latest one it can refer to; an
implicit subject ("وأضاف", "he added") is the previous speaker.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from .assemble import detect_language, mentions, title_of, unique_id
from .cues import SpeechCue, sentence_cue, speech_cues, tokens
from .dates import find_published
from .drafts import ActorDraft
from .grounding import TextIndex
from .lexicon import Gazetteer, Lexicon, Place, load_gazetteer, load_lexicon
from .meetings import meeting_cue
from .models import Actor, ActorKind, Article, Claim, Meeting, Span
from .normalize import normalize
from .segment import Segment, Sentence

_MAX_PARTICIPANTS = 4
_MIN_MENTIONS = 2
_AR_CLITICS = ("", "و", "ب", "ل", "ف", "ك", "وب", "ول", "فب", "فل")

_TITLES = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "sir",
    "gen",
    "sen",
    "rep",
    "gov",
    "prof",
    "president",
    "secretary",
    "minister",
    "senator",
    "king",
    "prince",
    "sheikh",
    "general",
}
_ORG_WORDS = {
    "department",
    "house",
    "ministry",
    "party",
    "council",
    "committee",
    "agency",
    "league",
    "union",
    "bank",
    "commission",
    "organization",
    "organisation",
    "army",
    "front",
    "movement",
    "congress",
    "senate",
    "administration",
    "foundation",
    "institute",
    "university",
    "center",
    "centre",
    "corporation",
    "company",
    "group",
    "office",
    "court",
    "hill",
    "forces",
    "command",
    "press",
    "times",
    "post",
    "news",
}
_NOT_NAMES = {
    "the",
    "a",
    "an",
    "but",
    "and",
    "in",
    "on",
    "at",
    "as",
    "for",
    "with",
    "from",
    "by",
    "to",
    "of",
    "after",
    "before",
    "when",
    "while",
    "if",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "their",
    "its",
    "our",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "mr",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
}
_NAME_WORD = re.compile(r"[A-Z][\w'’.-]*$|[A-Z]\.$")
_CONNECTORS = {"al", "bin", "ibn", "de", "la", "van", "von", "der", "of", "for"}
_DETERMINERS = {
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "another",
    "one",
    "two",
    "three",
    "several",
    "some",
    "many",
    "other",
}


@dataclass
class _Entry:
    actor: Actor
    forms: set[str] = field(default_factory=set)  # normalized name and aliases


class ActorBook:
    """The actors of one article, built from speaker phrases, with simple coreference."""

    def __init__(self, text: str, lex: Lexicon, places: dict[str, Place] | None = None) -> None:
        self.text, self.lex = text, lex
        self.entries: list[_Entry] = []
        self.places = places or {}  # normalized form -> place
        self.by_place: dict[str, _Entry] = {}
        self.model_named: set[str] = set()  # actors only a model named

    def add_named(self, drafts: Sequence[ActorDraft], index: TextIndex, segment: Segment) -> None:
        """Actors a model named, grounded in the segment; their affiliations mapped to ids."""
        ids: dict[str, str] = {}
        for draft in drafts:
            found = index.find(draft.name, segment.start, segment.end)
            if found is None:
                continue
            span = (found.start, found.end)
            key = normalize(self.text[span[0] : span[1]])
            if key in self.places:
                ids[draft.id] = self.place(self.places[key], span)
                continue
            same = next((e for e in self.entries if key in e.forms), None)
            if same is not None:
                ids[draft.id] = same.actor.id
                continue
            surface = self.text[span[0] : span[1]]
            aliases = []
            for alias in draft.aliases:
                hit = index.find(alias, segment.start, segment.end)
                if hit is not None and normalize(self.text[hit.start : hit.end]) != key:
                    aliases.append(self.text[hit.start : hit.end])
            actor = Actor(
                id=unique_id(draft.id, {e.actor.id for e in self.entries}),
                name=surface,
                name_en=draft.name_en or surface,
                kind=draft.kind,
                role=draft.role,
                anonymous=draft.anonymous,
                aliases=list(dict.fromkeys(aliases)),
            )
            entry = _Entry(actor, {key, *(normalize(a) for a in aliases)})
            self.entries.append(entry)
            ids[draft.id] = actor.id
            self.model_named.add(actor.id)
        for draft in drafts:
            mine, target = ids.get(draft.id), ids.get(draft.affiliation or "")
            if mine and target and mine != target:
                entry = next(e for e in self.entries if e.actor.id == mine)
                if entry.actor.affiliation is None:
                    entry.actor.affiliation = target

    def place(self, place: Place, span: Span) -> str:
        """The actor of a country or bloc, written at `span`, created on first mention."""
        surface = self.text[span[0] : span[1]]
        entry = self.by_place.get(place.name_en)
        if entry is None:
            actor = Actor(
                id=unique_id(place.name_en, {e.actor.id for e in self.entries}),
                name=surface,
                name_en=place.name_en,
                kind="organization" if place.kind == "organization" else "country",
            )
            entry = _Entry(actor, {normalize(surface)})
            self.entries.append(entry)
            self.by_place[place.name_en] = entry
        elif normalize(surface) not in entry.forms:
            entry.forms.add(normalize(surface))
            entry.actor.aliases.append(surface)
        return entry.actor.id

    def resolve(self, span: Span) -> str:
        """The id of the actor the phrase at `span` names, creating it if it is new."""
        start, end = _unwrap(self.text, span)
        surface = self.text[start:end]
        key = normalize(surface)
        for entry in reversed(self.entries):
            if key in entry.forms:
                return entry.actor.id
        if key in self.places:  # "قطر قالت", "Washington said": the country speaks
            return self.place(self.places[key], (start, end))
        target = self._refers_to(key) or self._fuller_name_of(key)
        if target is not None:
            if len(key.split()) > len(normalize(target.actor.name).split()) and (
                self.lex.language == "en" and surface[:1].isupper()
            ):  # "Vladimir V. Putin" after "Mr. Putin": the fullest name is the name
                target.actor.aliases.append(target.actor.name)
                target.actor.name = target.actor.name_en = surface
                target.forms.add(key)
                return target.actor.id
            target.forms.add(key)
            if surface not in target.actor.aliases and surface != target.actor.name:
                target.actor.aliases.append(surface)
            return target.actor.id
        actor = Actor(
            id=unique_id(surface, {e.actor.id for e in self.entries}),
            name=surface,
            name_en=surface,
            kind=self._kind(key),
            anonymous=self._anonymous(surface, key),
        )
        self.entries.append(_Entry(actor, {key}))
        return actor.id

    def _refers_to(self, key: str) -> _Entry | None:
        """The latest actor a short definite phrase refers to ("المصدر", "the official", "Hof")."""
        words = key.split()
        if not words:
            return None
        for entry in reversed(self.entries):  # "كيري" after "جون كيري": a surname
            if entry.actor.kind == "person" and not entry.actor.anonymous and len(words) == 1:
                name = normalize(entry.actor.name).split()
                if len(name) > 1 and name[-1] == words[0]:
                    return entry
        if self.lex.language == "ar":
            head = words[0]
            if len(words) <= 2 and head.startswith("ال") and len(head) > 3:
                bare = head[2:]
                for entry in reversed(self.entries):
                    names = " ".join(entry.forms).split()
                    if (
                        bare in names
                        or head in names
                        or (bare in self.lex.source_nouns and entry.actor.anonymous)
                    ):
                        return entry
            return None
        content = [w for w in words if w not in _DETERMINERS and w.rstrip(".") not in _TITLES]
        if not content or len(content) > 2:
            return None
        last = content[-1]
        definite = words[0] in ("the", "this", "that")
        for entry in reversed(self.entries):
            for form in entry.forms:
                tail = form.split()[-1] if form.split() else ""
                if last == tail and (definite or len(content) == 1 or words[0] in _TITLES):
                    return entry
        return None

    def _fuller_name_of(self, key: str) -> _Entry | None:
        """An earlier short form ("Mr. Putin", "Putin") of the full name `key` (English)."""
        words = key.split()
        if self.lex.language != "en" or len(words) < 2:
            return None
        for entry in reversed(self.entries):
            if entry.actor.kind in ("country", "organization") or entry.actor.anonymous:
                continue
            for form in entry.forms:
                content = [w for w in form.split() if w.rstrip(".") not in _TITLES]
                if len(content) == 1 and content[0] == words[-1]:
                    return entry
        return None

    def _kind(self, key: str) -> ActorKind:
        lex = self.lex
        words = key.split()
        if lex.language == "ar":  # "الوكالة" is a "وكالة": compare without the article
            words = [w.removeprefix("ال") if len(w) > 4 else w for w in words]
        if lex.language == "en" and words and words[-1] in _ORG_WORDS:
            return "organization"
        if any(w in lex.media_nouns for w in words) or key in lex.media_nouns:
            return "media"
        if any(w in lex.organization_nouns for w in words) or key in lex.organization_nouns:
            return "organization"
        if any(w in lex.group_nouns for w in words[:2]):
            return "group"
        return "person"

    def _anonymous(self, surface: str, key: str) -> bool:
        words = key.split()
        lex = self.lex
        sourced = any(
            w in lex.source_nouns or w.removeprefix("ال") in lex.source_nouns for w in words
        )
        if lex.language == "en":
            named = any(w[:1].isupper() for w in surface.split()[1:]) or (
                surface[:1].isupper()
                and words[0] not in _DETERMINERS
                and words[0] not in lex.source_nouns
            )
            return sourced and not named
        return sourced

    def place_ids(self) -> set[str]:
        return {e.actor.id for e in self.by_place.values()}

    def actors(self) -> list[Actor]:
        return [e.actor for e in self.entries]


def _unwrap(text: str, span: Span) -> Span:
    """A name as written, without quotation marks around it («رويترز» → رويترز)."""
    start, end = span
    while start < end and text[start] in "«“\"'„‹":
        start += 1
    while end > start and text[end - 1] in "»”\"'›":
        end -= 1
    return start, end


def rules_article(
    index: TextIndex,
    segment: Segment,
    sentences: Sequence[Sentence],
    *,
    published: str | None = None,
    named: Sequence[ActorDraft] = (),
) -> Article:
    """One article from its sentences by rules: actors, claims and meetings, all grounded.

    `named` are actors a model read in the text (the `cues` strategy): they join the
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
                if named
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
    cues = speech_cues(text, [(s.start, s.end) for s in sentences], lex)
    article.claims = _claims(cues, sentences, book)
    article.claims = _interview(text, sentences, lex, book, article.claims)
    found = place_mentions(text, segment, gazetteer)
    for span, place in found:
        book.place(place, span)
    named_only: set[str] = set()  # actors found only as capitalized names
    if language == "en":
        taken = [span for span, _ in found]
        known = {e.actor.id for e in book.entries}
        for span in english_names(text, sentences):
            if not any(s <= span[0] < e or span[0] <= s < span[1] for s, e in taken):
                book.resolve(span)
        named_only = {e.actor.id for e in book.entries} - known
    article.actors = book.actors()
    place_ids = {e.actor.id: name for name, e in book.by_place.items()}
    for actor in article.actors:
        if actor.id in place_ids:  # word-bounded and case-kept, not every folded substring
            actor.mentions = [span for span, p in found if p.name_en == place_ids[actor.id]]
        else:
            forms = [actor.name, *actor.aliases]
            actor.mentions = mentions(index, forms, segment.start, segment.end)
    # Who speaks in a sentence reports the meeting, and an unnamed source is nobody's
    # party: neither takes part in the meetings the sentence states.
    not_parties = {a.id for a in article.actors if a.anonymous}
    speaking: dict[int, set[str]] = {}
    for claim in article.claims:
        if claim.span is not None:
            speaking.setdefault(claim.span[0], set()).update(
                s for s in claim.speakers if s not in book.place_ids()
            )
    article.meetings = _meetings(
        text,
        sentences,
        lex,
        {a.id: a.mentions for a in article.actors if a.id not in not_parties},
        named_only,
        speaking,
    )
    for actor in article.actors:  # a country is named by its name, not by an adjective
        if actor.id in place_ids:
            _canonical_name(actor, places_by_name[place_ids[actor.id]])
    _prune(article, book.model_named)
    return article


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


def _canonical_name(actor: Actor, place: Place) -> None:
    """Name a country by its first listed form the text uses ("قطر" over "القطري")."""
    written = [actor.name, *actor.aliases]
    order = {normalize(f): k for k, f in enumerate(place.forms)}
    best = min(written, key=lambda w: order.get(normalize(w), len(order)))
    if best != actor.name:
        actor.aliases = [w for w in written if w != best]
        actor.name = best


def english_names(text: str, sentences: Sequence[Sentence]) -> list[Span]:
    """Runs of two or more capitalized words ("Vladimir V. Putin", "State Department").

    A run may hold initials and lower-case connectors ("bin", "of") between capitals;
    leading function words ("The", "But") are not part of it. Single capitalized
    words are left to coreference ("Putin" after "Vladimir V. Putin").
    """
    out: list[Span] = []
    for sent in sentences:
        toks = tokens(text, sent.start, sent.end)
        i = 0
        while i < len(toks):
            j = i
            run: list[int] = []
            while j < len(toks):
                raw = text[toks[j].start : toks[j].end]
                if _NAME_WORD.match(raw) and (toks[j].word not in _NOT_NAMES or run):
                    run.append(j)
                elif (
                    run
                    and toks[j].word in _CONNECTORS
                    and j + 1 < len(toks)
                    and (_NAME_WORD.match(text[toks[j + 1].start : toks[j + 1].end]))
                ):
                    pass
                else:
                    break
                if toks[j].after and toks[j].after.strip(".") and j > i:
                    j += 1
                    break  # a comma or a quote ends the name
                j += 1
            while run and toks[run[0]].word in _NOT_NAMES:
                run.pop(0)
            while run and toks[run[-1]].word in _NOT_NAMES | _CONNECTORS:
                run.pop()
            caps = [
                k for k in run if not re.fullmatch(r"[A-Z]\.", text[toks[k].start : toks[k].end])
            ]
            if len(caps) >= 2 and not all(toks[k].word in _NOT_NAMES for k in run):
                out.append((toks[run[0]].start, toks[run[-1]].end))
            i = max(j, i + 1)
    return out


def place_mentions(text: str, segment: Segment, gazetteer: Gazetteer) -> list[tuple[Span, Place]]:
    """Every word-bounded mention of a country or bloc in the segment, in reading order.

    English forms match case-sensitively ("US", never "us"); Arabic forms match whole
    words after normalization, with the clitics و ب ل ف ك fused in front ("وقطر",
    "للسعودية").
    """
    out: list[tuple[Span, Place]] = []
    chunk = text[segment.start : segment.end]
    if gazetteer.language == "en":
        for place in gazetteer.places:
            for form in place.forms:
                for m in re.finditer(rf"(?<![\w.]){re.escape(form)}(?![\w])", chunk):
                    out.append(((segment.start + m.start(), segment.start + m.end()), place))
    else:
        toks = tokens(text, segment.start, segment.end)
        forms = [(normalize(f).split(), p) for p in gazetteer.places for f in p.forms]
        forms.sort(key=lambda fp: len(fp[0]), reverse=True)
        taken: set[int] = set()
        for i in range(len(toks)):
            if i in taken:
                continue
            for words, place in forms:
                n = len(words)
                window = [t.word for t in toks[i : i + n]]
                if len(window) < n or window[1:] != words[1:]:
                    continue
                head = window[0]
                variants = {c + words[0] for c in _AR_CLITICS}
                if words[0].startswith("ال"):
                    variants |= {c + "ل" + words[0][1:] for c in ("", "و", "ف")}  # للسعودية
                if head in variants:
                    start = toks[i].start + (len(head) - len(words[0]) if head != words[0] else 0)
                    out.append(((start, toks[i + n - 1].end), place))
                    taken.update(range(i, i + n))
                    break
    out.sort(key=lambda sp: sp[0])
    return out


def _meetings(
    text: str,
    sentences: Sequence[Sentence],
    lex: Lexicon,
    spans: dict[str, list[Span]],
    backup: set[str],
    speaking: dict[int, set[str]],
) -> list[Meeting]:
    """Meetings of sentences with a trigger and two to four actors in them.

    Actors found only as capitalized names (`backup`) take part only where the other
    actors are too few: a sentence that names countries and people usually lists
    the parties by one of the two, and gold lists them once.
    """
    meetings: list[Meeting] = []
    for n, sent in enumerate(sentences):
        cue = meeting_cue(text, sent.start, sent.end, lex, n)
        if cue is None:
            continue
        present = [
            aid
            for aid, where in spans.items()
            if any(sent.start <= s and e <= sent.end for s, e in where)
        ]
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
        main = [aid for aid in participants if aid not in backup]
        if len(main) >= 2:
            participants = main
        if not 2 <= len(participants) <= _MAX_PARTICIPANTS:
            continue  # a list of many actors is a roster, not a meeting we can read
        fmt = "indirect" if mediators and cue.format == "unknown" else cue.format
        same = next(
            (
                m
                for m in meetings
                if set(m.participants) == set(participants) and m.status == cue.status
            ),
            None,
        )
        if same is not None:
            same.mediators = sorted(set(same.mediators) | set(mediators))
            continue
        meetings.append(
            Meeting(
                participants=participants,
                mediators=mediators,
                status=cue.status,
                format=fmt,
                evidence=sent.text,
                span=(sent.start, sent.end),
            )
        )
    return meetings


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


def _claims(
    cues: Sequence[SpeechCue], sentences: Sequence[Sentence], book: ActorBook
) -> list[Claim]:
    claims: list[Claim] = []
    previous: list[str] = []
    for cue in cues:
        speakers: list[str] = []
        for speaker in cue.speakers:
            if speaker.implicit or speaker.span is None:
                speakers += [p for p in previous if p not in speakers]
            else:
                actor_id = book.resolve(speaker.span)
                if actor_id not in speakers:
                    speakers.append(actor_id)
        if not speakers:
            continue  # reported speech whose speaker the text does not let us name
        sent = sentences[cue.sentence]
        claims.append(
            Claim(
                speakers=speakers,
                statement=sent.text,
                evidence=sent.text,
                quote=cue.quote,
                span=(sent.start, sent.end),
                alignment="exact",
            )
        )
        previous = speakers
    return claims
