"""Actors found by code: speaker phrases, countries and names, with simple coreference.

`ActorBook` holds one article's actors as the cue stages find them: a speaker phrase
("مصدر مطلع", "a senior US official"; unnamed sources are `anonymous`), a country or
bloc of the gazetteer (names, demonyms: "القطري" → Qatar), an English capitalized
name, or an actor a model named. A short definite form ("المصدر", "the official",
"Mr. Hof", "كيري") is the latest actor it can refer to, and the fullest name wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Protocol

from ..lang.lexicon import Gazetteer, Lexicon, Place
from ..models import Actor, ActorKind, Span, unique_id
from ..text.grounding import TextIndex
from ..text.normalize import normalize
from ..text.segment import Segment, Sentence
from .descriptions import is_description
from .tokens import CALENDAR, Token, is_nisba, is_verb, tokens, with_object

NAME_LINKS = frozenset(  # a name word after these is half of a compound ("عبد الرحمن")
    normalize(w)
    for w in ("بن", "ابن", "آل", "عبد", "أبو", "أبي", "ولد", "bin", "ibn", "al", "abdul", "abu")
)
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
    *CALENDAR,
}
_FEMALE = {"mrs", "ms", "miss", "madam", "mme", "lady", "queen", "princess", "sister"}
_MALE = {"mr", "sir", "lord", "king", "prince", "brother", "father"}
# A capitalized word, an initial, or an Arabic name with its article ("al-Assad")
# Names stay whole when their letters are decomposed ("José" as "Jose" + U+0301) or
# when the text was decoded with the wrong charset ("PeÃ±a" for "Peña", "Ã" itself
# maybe decomposed): a UTF-8 letter read as Latin-1 is "Ã"/"Â" and a sign of U+0080–U+00BF
_MOJIBAKE = "(?:[ÃÂ]|A\u0303|A\u0302)[\u0080-\u00bf]"
_NAME_WORD = re.compile(
    rf"(?:[A-Z]|(?:al|el|as|ad|an|ar|at|az|ash)-[A-Z])(?:{_MOJIBAKE}|[\w\u0300-\u036f'’.-])*$"
    r"|[A-Z]\.$"
)
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


def actor_key(surface: str) -> str:
    """How an actor's mention is compared: normalized, a hashtag read as its words.

    "حركة #الجهاد_الاسلامي" and "حركة الجهاد الإسلامي" are one movement; news sites
    write names as hashtags in running text.
    """
    return " ".join(normalize(surface).replace("#", " ").replace("_", " ").split())


@dataclass
class _Entry:
    actor: Actor
    forms: set[str] = field(default_factory=set)  # normalized name and aliases


def _after_definite(text: str, span: Span) -> Span:
    """An Arabic person's name without the definite words a model took from the title
    before it: "(لشؤون) الشرق الأدنى آن باترسون" → "آن باترسون".

    A name's own words carry no article (but "عبد الرحمن"); two or more of them after
    definite words are the name, and the definite words a complement of the title.
    """
    words = list(re.finditer(r"\S+", text[span[0] : span[1]]))
    folded = [normalize(w.group()) for w in words]
    lead = 0
    while lead < len(folded) and folded[lead].startswith("ال"):
        lead += 1
    rest = folded[lead:]
    if lead == 0 or len(rest) < 2 or rest[0] in NAME_LINKS:
        return span
    pairs = zip(rest, rest[1:], strict=False)
    if any(w.startswith("ال") and prev not in NAME_LINKS for prev, w in pairs):
        return span  # "السيد حسن نصر الله", "الطلب إهانة": not a title's complement
    return span[0] + words[lead].start(), span[1]


_NAME_PARTICLES = frozenset(
    ("of", "the", "and", "for", "de", "da", "del", "di", "du", "la", "le", "van", "von", "der")
    + ("bin", "ibn", "al", "el", "y", "on", "in", "at")
)


def _common_word(name: str) -> bool:
    """Whether an English name holds a lower-case word that no name has ("merchant").

    Particles ("Secretary of State", "Ludwig van Beethoven") and "al-Assad" are names'.
    """
    return any(
        w[:1].islower() and w.lower() not in _NAME_PARTICLES and not re.match(r"(?:al|el|bin)-", w)
        for w in name.split()
    )


def _trimmed(name: str) -> str:
    """A model's name without an unclosed aside or a possessive: "Joseph Crowley (D-N.Y",
    "Putin’s"."""
    if "(" in name and ")" not in name:
        name = name[: name.index("(")]
    name = name.strip()
    for mark in ("’s", "'s"):
        if name.endswith(mark) and len(name) > len(mark) + 1:
            name = name[: -len(mark)]
    return name


def _skips_middle(a: Sequence[str], b: Sequence[str]) -> bool:
    """One name is the other less middle names: same first and last word, in order."""
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if len(short) < 2 or len(short) == len(long) or short[0] != long[0] or short[-1] != long[-1]:
        return False
    rest = iter(long[1:-1])
    return all(w in rest for w in short[1:-1])


def _ends_with(a: Sequence[str], b: Sequence[str]) -> bool:
    """One word list ends with the other."""
    n = min(len(a), len(b))
    return list(a[-n:]) == list(b[-n:])


def _title_gender(forms: Iterable[str]) -> str | None:
    """ "f" or "m" where one of a person's forms opens with a gendered title ("Mrs")."""
    for form in forms:
        title = form.split()[0].rstrip(".") if form.split() else ""
        if title in _FEMALE:
            return "f"
        if title in _MALE:
            return "m"
    return None


def _bare_surname(form: str) -> str | None:
    """The surname of a one-word English name, titled or not ("Mrs. Abedini"), else None."""
    words = core_name(actor_key(form))
    return words[0] if len(words) == 1 else None


def _shared_surnames(drafts: Sequence[NamedActor]) -> set[str]:
    """Surnames that two of the model's full person names share ("Saeed Abedini" and
    "Naghmeh Abedini"): "Mrs. Abedini" alone could be either, so a model alias of that
    form is not taken; the cue stage's coreference (titles, gender) decides who it is."""
    full: dict[str, set[tuple[str, ...]]] = {}
    for draft in drafts:
        words = core_name(actor_key(draft.name))
        if draft.kind == "person" and len(words) >= 2:
            full.setdefault(words[-1], set()).add(tuple(words))
    return {surname for surname, names in full.items() if len(names) >= 2}


class NamedActor(Protocol):
    """An actor a model named, as the cue stage reads it (the names step's draft is one)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def name_en(self) -> str: ...
    @property
    def kind(self) -> ActorKind: ...
    @property
    def role(self) -> str | None: ...
    @property
    def affiliation(self) -> str | None: ...
    @property
    def anonymous(self) -> bool: ...
    @property
    def aliases(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class _Named:
    """A model-named actor as the book rewrites it (its name trimmed, its aliases kept)."""

    id: str
    name: str
    name_en: str
    kind: ActorKind
    role: str | None
    affiliation: str | None
    anonymous: bool
    aliases: tuple[str, ...]

    @classmethod
    def of(cls, draft: NamedActor) -> _Named:
        return cls(
            draft.id,
            draft.name,
            draft.name_en,
            draft.kind,
            draft.role,
            draft.affiliation,
            draft.anonymous,
            tuple(draft.aliases),
        )


_AR_LINKS = frozenset(normalize(w) for w in ("باسم", "في", "لدى", "عن"))  # title → its body
_HEAD_LINKS = frozenset(("for", "at", "in", "of", "from", "with", "to", "on", "close", "familiar"))


_CAPITALIZED = r"(?:[A-Z][\w'.-]*\s+){0,3}[A-Z][\w'.-]*"
_KNOWN_AS = re.compile(  # "X, also known as Y", "X, better known as Y"
    rf"({_CAPITALIZED}),\s+(?:also\s+|better\s+|more\s+commonly\s+)?known\s+as\s+({_CAPITALIZED})"
)


class ActorBook:
    """The actors of one article, built from speaker phrases, with simple coreference."""

    def __init__(self, text: str, lex: Lexicon, places: dict[str, Place] | None = None) -> None:
        self.text, self.lex = text, lex
        self.entries: list[_Entry] = []
        self.places = places or {}  # normalized form -> place
        self.by_place: dict[str, _Entry] = {}
        self.model_named: set[str] = set()  # actors only a model named
        self._titled_seen: dict[tuple[str, int], _Entry | None] = {}  # (title, entries) → answer
        self._folded_text: str | None = None
        self._unquoted_text: str | None = None
        self._kind_seen: dict[tuple[str, int], _Entry | None] = {}  # (noun, entries) → answer
        self._shared_seen: dict[str, bool] = {}  # surname → two full names end in it

    def add_named(self, named: Sequence[NamedActor], index: TextIndex, segment: Segment) -> None:
        """Actors a model named, grounded in the segment; their affiliations mapped to ids."""
        drafts = [_Named.of(d) for d in named]
        ids: dict[str, str] = {}
        opening: dict[str, set[str]] = {}  # first word -> the fuller person names it opens
        for draft in drafts:
            words = normalize(draft.name).split()
            if draft.kind == "person" and len(words) >= 2:
                opening.setdefault(words[0], set()).add(draft.name)
        shared = _shared_surnames(drafts) if self.lex.language == "en" else set()
        # "الحركة", "الحزب" refer back to the movement or party named in full: after it
        for draft in sorted(drafts, key=lambda d: self._kind_noun(normalize(d.name))):
            if shared and draft.kind == "person":
                if _bare_surname(draft.name) in shared:
                    continue  # "Mrs. Abedini": whose, the cue stage's coreference decides
                kept = [a for a in draft.aliases if _bare_surname(a) not in shared]
                draft = replace(draft, aliases=tuple(kept))
            fuller = self._opened(draft, opening)
            if fuller is not None:  # "الرئيس مون" is "مون جاي إن", "الأمير محمد" the prince
                aliases = [*draft.aliases, draft.name]
                draft = replace(draft, name=fuller, aliases=tuple(aliases))
            first, _, rest = draft.name.partition(" ")
            lex = self.lex
            if (
                rest
                and lex.language == "ar"
                and is_verb(normalize(first), lex, lex.reporting_verbs)
            ):
                # "أوضحت المتحدثة باسم …": the model took the verb too; the name follows it
                draft = replace(draft, name=rest)
            elif lex.language == "ar" and rest and first.startswith("وال") and len(first) > 4:
                # "والرئيس أوباما": the conjunction is not part of the name
                draft = replace(draft, name=draft.name[1:])
            draft = replace(draft, name=_trimmed(draft.name))
            if lex.language == "en" and self._only_opening(draft.name):
                continue  # "Alas," "Meanwhile": a capital that only starts sentences
            if (
                self.not_an_actor(draft.name)
                or self.verb_form(draft.name)
                or normalize(draft.name).partition(" ")[0] in lex.relative_pronouns
                or re.search(r"\s[-–—]\s", draft.name)  # "قمة (ترامب - كيم)": a pairing
            ):
                continue  # "التي قام بها …": a relative clause, not a name
            found = index.find(draft.name, segment.start, segment.end)
            if found is None:
                continue
            span = (found.start, found.end)
            role = draft.role
            if draft.kind == "person":  # "الرئيس الأميركي دونالد ترامب": the name is the actor
                phrase = self.text[span[0] : span[1]]
                split = name_tail(phrase) if lex.language == "en" else arabic_name_tail(phrase, lex)
                if split is not None:
                    title, (lo, hi) = split
                    role = role or title
                    span = (span[0] + lo, span[0] + hi)
                elif lex.language == "ar":
                    span = _after_definite(self.text, span)
            key = actor_key(self.text[span[0] : span[1]])
            place = self.places.get(key) or self._place_of(key)
            if place is not None:
                ids[draft.id] = self.place(place, span)
                continue
            if draft.kind == "person" and is_description(
                self.text[span[0] : span[1]], lex.language, lex.title_nouns
            ):
                continue  # "وزير الخارجية الأميركي": a description, which the names prompt excludes
            if lex.language == "en" and _common_word(self.text[span[0] : span[1]]):
                continue  # "Russian merchant": a description in capitals' clothing
            if lex.language == "ar" and " " not in key and key.startswith("ال") and is_nisba(key):
                continue  # "الكورية": an adjective no country of the gazetteer owns
            same = next((e for e in self.entries if key in e.forms), None)
            if same is None and self._kind_noun(key):  # "الحركة" after "حركة حماس"
                same = self._refers_to(key)
                known = None if same is not None else self._named_after(key[2:])
                if known is not None:  # "الحركة" where the text says "حركة حماس"
                    ids[draft.id] = self.place(known, span)
                    continue
                if same is None:
                    continue  # a bare "الحركة" is no name of its own
            if same is None and self.lex.language == "en" and draft.kind == "person":
                same = self._same_person(key, self.text[span[0] : span[1]])
            if same is not None:
                ids[draft.id] = same.actor.id
                if key not in same.forms:
                    same.forms.add(key)
                    same.actor.aliases.append(self.text[span[0] : span[1]])
                for alias in draft.aliases:  # "الرئيس مون", taken as the name it begins
                    hit = index.find(alias, segment.start, segment.end)
                    if hit is not None and actor_key(alias) not in same.forms:
                        same.forms.add(actor_key(alias))
                        same.actor.aliases.append(self.text[hit.start : hit.end])
                continue
            surface = self.text[span[0] : span[1]]
            aliases = []
            for alias in draft.aliases:
                hit = index.find(alias, segment.start, segment.end)
                if hit is not None and actor_key(self.text[hit.start : hit.end]) != key:
                    aliases.append(self.text[hit.start : hit.end])
            actor = Actor(
                id=unique_id(draft.id, {e.actor.id for e in self.entries}),
                name=surface,
                name_en=draft.name_en or surface,
                kind=draft.kind,
                role=role,
                anonymous=draft.anonymous,
                aliases=list(dict.fromkeys(aliases)),
            )
            entry = _Entry(actor, {key, *(actor_key(a) for a in aliases)})
            self.entries.append(entry)
            ids[draft.id] = actor.id
            self.model_named.add(actor.id)
        for draft in drafts:
            mine, target = ids.get(draft.id), ids.get(draft.affiliation or "")
            if mine and target and mine != target:
                entry = next(e for e in self.entries if e.actor.id == mine)
                if entry.actor.affiliation is None:
                    entry.actor.affiliation = target

    def _named_after(self, noun: str) -> Place | None:
        """The gazetteer's body the text names right after a kind noun ("حركة حماس")."""
        for form, place in self.places.items():
            if re.search(rf"(?<!\w)[وفبل]?{re.escape(noun)} {re.escape(form)}(?!\w)", self._folded):
                return place
        return None

    def _opened(self, draft: _Named, opening: dict[str, set[str]]) -> str | None:
        """The one fuller name a model's "title + one name" (Arabic) begins with, if any.

        A family name written first ("مون جاي إن" → "الرئيس مون") or a prince's given
        name ("محمد بن سلمان" → "الأمير محمد") after a title is the person named in full.
        """
        words = normalize(draft.name).split()
        if self.lex.language != "ar" or draft.kind != "person" or len(words) != 2:
            return None
        if words[0] not in self.lex.title_nouns:
            return None
        names = opening.get(words[1], set())
        return next(iter(names)) if len(names) == 1 else None

    def _place_of(self, key: str) -> Place | None:
        """A country written with its own adjective: "الولايات المتحدة الأميركية".

        Or with the verb's object run on in verb–subject order ("نفت إسرائيل التوصل
        إلى تهدئة" → "إسرائيل التوصل"): a definite noun, not an adjective, after the
        country's name is no part of it.
        """
        words = key.split()
        if self.lex.language == "en" and len(words) >= 2 and words[0] == "the":
            # "The Russians have used …": the demonym is the country, as "Russians" is
            place = self.places.get(" ".join(words[1:]))
            if place is not None:
                return place
        for cut in range(len(words) - 1, 0, -1):
            place = self.places.get(" ".join(words[:cut]))
            if place is None:
                continue
            rest = words[cut:]
            if all(self.places.get(w) is place for w in rest):
                return place
            if (
                self.lex.language == "ar"
                and len(rest) == 1
                and rest[0].startswith("ال")
                and not is_nisba(rest[0])
            ):
                return place
        return None

    def entitle(self, actor_id: str, span: Span) -> None:
        """The title written before an actor's name is its role, and a way to refer to it."""
        entry = next(e for e in self.entries if e.actor.id == actor_id)
        surface = self.text[span[0] : span[1]]
        if entry.actor.role is None and entry.actor.kind == "person":
            entry.actor.role = surface
        entry.forms.add(actor_key(surface))

    def _same_person(self, key: str, surface: str) -> _Entry | None:
        """An English person already listed under another form of the name.

        A small model lists "John Kerry", "Secretary of State John Kerry" and "Mr.
        Kerry" as three actors; without their titles they are one name, or a surname
        of it, and one actor.
        """
        core = core_name(key)
        if not core:
            return None
        if len(core) == 1 and self._surname_shared(surface.split()[-1]):
            return None  # "Mrs. Abedini" with "Saeed Abedini" and "Naghmeh Abedini" in the text
        gender = _title_gender([key])
        for entry in self.entries:
            if entry.actor.kind != "person" or entry.actor.anonymous:
                continue
            if self._apart(entry, core, surface, gender):
                continue
            for form in entry.forms:
                other = core_name(form)
                if other and (
                    other == core
                    or (len(core) == 1 and other[-1] == core[0])
                    or (len(other) == 1 and core[-1] == other[0])
                    # "Suu Kyi" ends "Aung San Suu Kyi"; "Aung San" (her father) does not
                    or (min(len(core), len(other)) >= 2 and _ends_with(core, other))
                ):
                    return entry
        return None

    def bare_title(self, key: str) -> str | None:
        """The title a phrase is made of, alone ("the Crown Prince" → "crown prince"), or None."""
        words = [w.rstrip(".") for w in key.split()]
        if words[:1] == ["the"]:
            words = words[1:]
        if not words or any(w not in _TITLE_WORDS for w in words) or words == ["of"]:
            return None
        return " ".join(words)

    def _titled(self, key: str) -> _Entry | None:
        """The one named person the text gives this title: "the Crown Prince" → Abdullah.

        A story names "Crown Prince Abdullah bin Abdul Aziz" once, then says "the
        Crown Prince"; the title alone is that person when exactly one person is so
        titled, by role or with the title written before a form of the name.
        """
        title = self.bare_title(key)
        if title is None:
            return None
        seen = (title, len(self.entries))  # a text saying "the President" 1,000 times: one scan
        if seen not in self._titled_seen:
            self._titled_seen[seen] = self._titled_scan(title)
        return self._titled_seen[seen]

    def _titled_scan(self, title: str) -> _Entry | None:
        found: list[_Entry] = []
        for entry in self.entries:
            actor = entry.actor
            if actor.kind != "person" or actor.anonymous:
                continue
            role = normalize(actor.role or "")
            if role == title or role.endswith(" " + title) and not _qualified(role, title):
                found.append(entry)
                continue
            for form in entry.forms:
                if form.startswith(title + " ") and core_name(form):
                    found.append(entry)
                    break
            else:
                for surface in [actor.name, *actor.aliases]:
                    pattern = r"(?<![\w-])" + r"\s+".join(map(re.escape, title.split()))
                    pattern += r"\s+" + r"\s+".join(map(re.escape, surface.split()))
                    if re.search(pattern, self.text, flags=re.IGNORECASE):
                        found.append(entry)
                        break
        return found[0] if len(found) == 1 else None

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
            entry = _Entry(actor, {actor_key(surface)})
            self.entries.append(entry)
            self.by_place[place.name_en] = entry
        elif actor_key(surface) not in entry.forms:
            entry.forms.add(actor_key(surface))
            entry.actor.aliases.append(surface)
        return entry.actor.id

    def known_as(self, start: int, end: int) -> None:
        """One actor for two names the text equates: "Mahmoud Abbas, also known as Abu
        Mazen", "Burma, also known as Myanmar" — else the two become two actors, and
        meet each other."""
        if self.lex.language != "en":
            return
        for m in _KNOWN_AS.finditer(self.text, start, end):
            keep, gone = self.resolve(m.span(1)), self.resolve(m.span(2))
            if keep != gone:
                self._merge(keep, gone)

    def _merge(self, keep_id: str, gone_id: str) -> None:
        keep = next(e for e in self.entries if e.actor.id == keep_id)
        gone = next(e for e in self.entries if e.actor.id == gone_id)
        keep.forms |= gone.forms
        for alias in [gone.actor.name, *gone.actor.aliases]:
            if alias != keep.actor.name and alias not in keep.actor.aliases:
                keep.actor.aliases.append(alias)
        self.entries.remove(gone)
        for entry in self.entries:
            if entry.actor.affiliation == gone_id:
                entry.actor.affiliation = keep_id
        for name, entry in list(self.by_place.items()):
            if entry is gone:
                self.by_place[name] = keep
        self.model_named.discard(gone_id)
        self._titled_seen.clear()
        self._kind_seen.clear()

    def resolve(self, span: Span) -> str:
        """The id of the actor the phrase at `span` names, creating it if it is new.

        "State Department spokesman Charles Redman" names Charles Redman, whose role
        is the rest: the person, not the whole phrase, is the actor.
        """
        start, end = _unwrap(self.text, span)
        role = None
        phrase = self.text[start:end]
        split = (
            name_tail(phrase) if self.lex.language == "en" else arabic_name_tail(phrase, self.lex)
        )
        if split is not None:
            role, (lo, hi) = split
            start, end = start + lo, start + hi
        actor_id = self._resolve(start, end)
        self.model_named.discard(actor_id)  # the cue stages found it too: not the model's alone
        if role:
            entry = next(e for e in self.entries if e.actor.id == actor_id)
            if entry.actor.role is None and entry.actor.kind == "person":
                entry.actor.role = role
        return actor_id

    def body(self, span: Span, name: Span) -> str:
        """The id of the body an Arabic kind-noun phrase names ("حركة «أحرار الشام»").

        The same body as an actor already known by the name after the kind noun ("أحرار
        الشام"), or by the phrase's first words or the whole with more ("مجلس الأمن" of
        "مجلس الأمن الدولي"); otherwise a new one, as any phrase.
        """
        key = actor_key(self.text[span[0] : span[1]])
        inner = actor_key(self.text[name[0] : name[1]].strip('«»"“” '))
        words = key.split()
        place = self.places.get(inner)  # "حركة حماس", "حزب الله اللبناني": a known body
        for n in range(len(words), 1, -1):
            place = place or self.places.get(" ".join(words[:n]))
        if place is not None:
            return self.place(place, span)
        for entry in reversed(self.entries):
            person = entry.actor.kind == "person" and not entry.actor.anonymous
            for form in entry.forms:
                other = form.split()
                n = min(len(other), len(words))
                if form == inner or (not person and n >= 2 and other[:n] == words[:n]):
                    if person:  # "أحرار الشام" said …: a body, as "حركة" tells
                        entry.actor.kind = self._kind(key)
                    surface = self.text[span[0] : span[1]]
                    if key not in entry.forms and surface != entry.actor.name:
                        entry.forms.add(key)
                        entry.actor.aliases.append(surface)
                    self.model_named.discard(entry.actor.id)
                    return entry.actor.id
        place = self.places.get(key) or self._place_of(key)
        if place is not None:
            return self.place(place, span)
        # not `resolve`: "الجيش السوري" is no short reference back to "المتحدث باسم الجيش
        # السوري الحر، إبراهيم الجباوي"; the kind noun makes it a body of its own
        return self._new(self.text[span[0] : span[1]], key)

    def gender(self, span: Span) -> str | None:
        """ "m" or "f" where the article gives a person's name a gendered title, else None.

        Any form of the actor counts: "Margaret Hassan" is "f" where the text also says
        "Mrs Hassan"; the title may stand just before the name, outside its span.
        """
        key = actor_key(self.text[span[0] : span[1]])
        before = self.text[max(0, span[0] - 6) : span[0]].split()
        forms = {key}
        if before:
            forms.add(f"{before[-1].lower()} {key}")
        for entry in self.entries:
            if key in entry.forms:
                forms |= entry.forms
        return _title_gender(forms)

    def _surname_shared(self, surname: str) -> bool:
        """Whether the text writes two full names ending in `surname` (a couple, a family).

        A surname alone then names either of them: `_same_person` leaves it to the
        coreference that reads titles, not to whichever full name came first.
        """
        if not re.fullmatch(r"[A-Z][\w'’-]+", surname):
            return False
        if surname not in self._shared_seen:
            given = re.findall(rf"\b([A-Z][a-z]+) {re.escape(surname)}\b", self.text)
            firsts = {g for g in given if g.lower() not in _TITLE_WORDS}
            self._shared_seen[surname] = len(firsts) >= 2
        return self._shared_seen[surname]

    def gender_of(self, actor_id: str) -> str | None:
        """ "m" or "f" where one of the actor's forms carries a gendered title, else None."""
        forms = {f for e in self.entries if e.actor.id == actor_id for f in e.forms}
        return _title_gender(forms)

    def not_an_actor(self, name: str) -> bool:
        """A word for an event or a statement ("اجتماع", "المشاورات", "the talks"), a number,
        or the name of a thing or a place ("Nobel Peace Prize", "Glienicke Bridge").

        A small model lists them as actors; no person or body is named so.
        """
        key = normalize(name)
        bare = " ".join(w.removeprefix("ال") if len(w) > 4 else w for w in key.split())
        lex = self.lex
        nouns = lex.meeting_triggers | lex.statement_nouns
        words = key.split()
        if words and words[0] in ("the", "a", "an"):
            words = words[1:]
        return (
            key in nouns
            or key in lex.pronoun_subjects  # a model lists "He"
            or bare in nouns
            or " ".join(words) in nouns
            or not any(ch.isalpha() for ch in key)
            or (len(words) > 1 and words[-1] in lex.thing_heads)  # "Nobel Peace Prize"
        )

    @property
    def _folded(self) -> str:
        if self._folded_text is None:
            self._folded_text = normalize(self.text)
        return self._folded_text

    def _unquoted(self) -> str:
        """The folded text without quotation marks: "موقع «الحدث نيوز»" names the site."""
        if self._unquoted_text is None:
            self._unquoted_text = re.sub(r"\s+", " ", re.sub(r"[«»\"“”„]", "", self._folded))
        return self._unquoted_text

    def _kind_named(self, noun: str) -> _Entry | None:
        """The latest actor the text names after this noun ("حركة" → "حركة حماس"), memoized."""
        memo = (noun, len(self.entries))
        if memo not in self._kind_seen:
            self._kind_seen[memo] = next(
                (
                    e
                    for e in reversed(self.entries)
                    if f"{noun} {normalize(e.actor.name)}" in self._unquoted()
                ),
                None,
            )
        return self._kind_seen[memo]

    def _kind_noun(self, key: str) -> bool:
        """One definite Arabic word for a kind of body: "الحركة", "الحزب", "الوزارة"."""
        return (
            self.lex.language == "ar"
            and " " not in key
            and key.startswith("ال")
            and any(
                k in self.lex.organization_nouns or k in self.lex.media_nouns
                for k in (key, key[2:])
            )  # "الموقع" after "موقع «الحدث نيوز»" too
        )

    def _only_opening(self, name: str) -> bool:
        """One English word written only to open a sentence, and then with a comma.

        "Alas, …", "Meanwhile, …": capitalized for its place, not because it names
        someone, though a model lists it as a person. A name is written elsewhere too,
        or followed by its verb ("Putin said").
        """
        if " " in name.strip() or not name[:1].isupper():
            return False
        word = re.escape(name.strip())
        found = [m.start() for m in re.finditer(rf"\b{word}\b(?!,)", self.text)]
        if found:  # "Putin said": a name opens the sentence and its verb follows
            return False
        openers = [m.start() for m in re.finditer(rf"\b{word},", self.text)]
        return bool(openers) and all(self._opens(at) for at in openers)

    def _opens(self, at: int) -> bool:
        """Offset `at` starts a line, a sentence or a quotation."""
        before = self.text[max(0, at - 80) : at]
        kept = before.rstrip()
        return not kept or "\n" in before[len(kept) :] or kept[-1] in ".!?:\"“‘'(—-"

    def verb_form(self, name: str) -> bool:
        """An Arabic verb of speech or meeting, with its object pronoun ("قاله", "التقاه").

        A small model lists the word of "بحسب ما قاله" as a person; a one-word name
        that the lexicon knows as a verb names nobody.
        """
        key = normalize(name)
        lex = self.lex
        if lex.language != "ar" or " " in key:
            return False
        verbs = lex.reporting_verbs | lex.meeting_triggers
        return is_verb(key, lex, verbs) or with_object(key, lex, verbs)

    def _resolve(self, start: int, end: int) -> str:
        surface = self.text[start:end]
        key = actor_key(surface)
        for entry in reversed(self.entries):
            if key in entry.forms:
                return entry.actor.id
        place = self.places.get(key) or self._place_of(key)
        if place is not None:  # "قطر قالت", "Washington said": the country speaks
            return self.place(place, (start, end))
        target = self._refers_to(key) or self._fuller_name_of(key, surface)
        if target is None and self.lex.language == "en" and self._kind(key) == "person":
            target = self._same_person(key, surface)  # "Deputy Secretary of State John Whitehead"
        if target is None and self.lex.language == "en":
            target = self._titled(key)  # "the Crown Prince" after "Crown Prince Abdullah"
        if target is not None:
            if (
                self.lex.language == "en"
                and surface[:1].isupper()
                and len(core_name(key)) > len(core_name(normalize(target.actor.name)))
            ) or (
                self.lex.language == "ar"
                and target.actor.kind == "person"
                and not target.actor.anonymous
                and len(key.split()) > len(normalize(target.actor.name).split())
                and not key.startswith("ال")
            ):  # "Vladimir V. Putin" after "Mr. Putin": the fullest name is the name
                target.actor.aliases.append(target.actor.name)
                target.actor.name = target.actor.name_en = surface
                target.forms.add(key)
                return target.actor.id
            target.forms.add(key)
            if surface not in target.actor.aliases and surface != target.actor.name:
                target.actor.aliases.append(surface)
            return target.actor.id
        return self._new(surface, key)

    def _new(self, surface: str, key: str) -> str:
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
            if (  # "أبو زيد" after "أحمد أبو زيد": a compound surname
                entry.actor.kind == "person"
                and not entry.actor.anonymous
                and len(words) == 2
                and words[0] in NAME_LINKS
                and normalize(entry.actor.name).split()[-2:] == words
                and len(normalize(entry.actor.name).split()) > 2
            ):
                return entry
        if self.lex.language == "ar":
            head = words[0]
            # "المتحدث باسم الجيش" after "متحدث باسم جيش الاحتلال": a linked complement
            linked = len(words) == 3 and words[1] in _AR_LINKS
            if (len(words) <= 2 or linked) and head.startswith("ال") and len(head) > 3:
                bare = head[2:]
                for entry in reversed(self.entries):
                    names = " ".join(entry.forms).split()
                    # "الشرق الأوسط" is not "الشرق الأدنى آن باترسون": every word counts
                    rest = all(w in names or w.removeprefix("ال") in names for w in words[1:])
                    if (
                        (bare in names or head in names)
                        and rest
                        or (not linked and bare in self.lex.source_nouns and entry.actor.anonymous)
                    ):
                        return entry
                if self._kind_noun(key):  # "الحركة" is "حماس" where the text says "حركة حماس"
                    return self._kind_named(bare)
            return None
        content = [w for w in words if w not in _DETERMINERS and w.rstrip(".") not in _TITLES]
        if not content or len(content) > 2:
            return None
        last = content[-1]
        if words[0] in ("these", "those") and len(content) == 1:
            for entry in reversed(self.entries):  # "these people" after "people familiar …"
                if entry.actor.kind == "group" and any(
                    f.split()[:1] == [last] for f in entry.forms
                ):
                    return entry
        by_first = self._royal_first_name(words, content)
        if by_first is not None:
            return by_first
        definite = words[0] in ("the", "this", "that")
        gender = _title_gender({key})
        if len(content) == 1 and self._surname_shared(last.capitalize()):
            return None  # "Mrs. Abedini" could be Saeed or Naghmeh Abedini: see `_same_person`
        for entry in reversed(self.entries):
            if gender is not None and _title_gender(entry.forms) not in (None, gender):
                continue  # "Mrs. Abedini" is not the "Mr. Abedini" named last
            for form in entry.forms:
                tail = form.split()[-1] if form.split() else ""
                if last == tail and (definite or len(content) == 1 or words[0] in _TITLES):
                    return entry
        return None

    def _royal_first_name(self, words: Sequence[str], content: Sequence[str]) -> _Entry | None:
        """ "Prince Abdullah" after "Crown Prince Abdullah bin Abdul Aziz": a royal or a
        sheikh goes by title and first name, not by the last word of the name."""
        titles = [w for w in words if w not in _DETERMINERS and w not in content]
        if len(content) != 1 or not titles or not set(titles) <= _FIRST_NAME_TITLES:
            return None
        found = []
        for entry in self.entries:
            if entry.actor.kind != "person" or entry.actor.anonymous:
                continue
            for form in entry.forms:
                parts = form.split()
                rest = [w for w in parts if w.rstrip(".") not in _TITLE_WORDS]
                if len(rest) > 1 and rest[0] == content[0] and titles[-1] in parts:
                    found.append(entry)
                    break
        return found[0] if len(found) == 1 else None

    def _fuller_name_of(self, key: str, surface: str) -> _Entry | None:
        """An earlier short form ("Mr. Putin", "Putin", "كيري") of the full name `key`.

        In Arabic only a person's: "الحركة" ends no name, but a family name may carry the
        article ("المعلم" of "وليد المعلم") where the full name begins undefined. Arabic
        also gives a name's first words and later the whole ("يوسف بن علوي" … "يوسف بن
        علوي عبد الله"): two words or more that begin the name are the same person.
        """
        words = key.split()
        arabic = self.lex.language == "ar"
        if len(words) < 2 or self.lex.language not in ("en", "ar"):
            return None
        # "?": a name with no title is no fuller form of a titled one here ("Ana Brandt"
        # after "Mrs. Brandt"); `_same_person` decides that pair
        gender = _title_gender([key]) or "?"
        for entry in reversed(self.entries):
            if entry.actor.kind in ("country", "organization") or entry.actor.anonymous:
                continue
            if arabic and entry.actor.kind != "person":
                continue
            if not arabic and self._apart(entry, words, surface, gender):
                continue  # "Saeed Abedini", "Mr. Abedini": not "Mrs. Abedini" (Naghmeh)
            for form in entry.forms:
                titles = self.lex.title_nouns if arabic else _TITLES
                content = [w for w in form.split() if w.rstrip(".") not in titles]
                if (
                    len(content) == 1
                    and content[0] == words[-1]
                    and not (arabic and words[0].startswith("ال"))
                ):
                    return entry
                n = min(len(content), len(words))
                if arabic and n >= 2 and len(content) != len(words) and words[:n] == content[:n]:
                    return entry
                if (  # "الرئيس مون" then "مون جاي إن": a title and the name's first word
                    arabic
                    and content == words[:1]
                    and len(form.split()) == 2
                    and form.split()[0] in titles
                ):
                    return entry
                if arabic and n >= 2 and _skips_middle(words, content):
                    return entry  # "محمد ظريف" is "محمد جواد ظريف"
        return None

    @staticmethod
    def _apart(entry: _Entry, words: Sequence[str], surface: str, gender: str | None) -> bool:
        """Whether the entry is someone else than the English name `words` (titled `gender`):
        a full name of its own, or a title of the other gender ("Mr." against "Mrs.")."""
        if gender is not None and _title_gender(entry.forms) not in (None, gender):
            return True
        return ActorBook._other_full_name(entry, words, surface)

    @staticmethod
    def _other_full_name(entry: _Entry, words: Sequence[str], surface: str) -> bool:
        """Whether the entry already has a full English name that `words` is not.

        Two full names that share only the surname are two people (a couple, a
        family): the surname alone goes to one of them, never both into one actor.
        Only a capitalized first name makes a full name ("warm-and-fuzzy Trump" does
        not).
        """
        given = surface.split()[-2:-1]
        if not given or not given[0][:1].isupper():
            return False
        for form in entry.forms:
            other = core_name(form)
            if (
                len(other) >= 2
                and other[-1] == words[-1]
                and other != list(words)
                and not (_skips_middle(other, words) or _ends_with(other, words))
            ):
                return True
        return False

    def kind_of(self, key: str) -> ActorKind:
        """The kind a new actor of this normalized phrase would get."""
        return self._kind(key)

    def _kind(self, key: str) -> ActorKind:
        lex = self.lex
        words = key.split()
        if lex.language == "ar":  # "الوكالة" is a "وكالة": compare without the article
            words = [w.removeprefix("ال") if len(w) > 4 else w for w in words]
        head = self._head_source(words)
        if head is not None:  # "مصدر في القنصلية", "a spokesman for the ministry": a person
            return "group" if head in lex.group_nouns else "person"
        if lex.language == "en" and words and words[-1] in _ORG_WORDS:
            return "organization"
        if any(w in lex.media_nouns for w in words) or key in lex.media_nouns:
            return "media"
        if (
            any(w in lex.organization_nouns or "ال" + w in lex.organization_nouns for w in words)
            or key in lex.organization_nouns
        ):  # "الخارجية الإيرانية": the lexicon writes some kind nouns with their article
            return "organization"
        if any(w in lex.group_nouns for w in words[:2]):
            return "group"
        return "person"

    def _head_source(self, words: Sequence[str]) -> str | None:
        """The source or title noun that heads a phrase, before any body it belongs to.

        The head decides the kind: "مصدر مسؤول في القنصلية" is a person of the consulate,
        not the consulate; "officials at the embassy" are a group. Arabic puts the head
        first; English may put determiners and adjectives before it, and the body
        after a preposition.
        """
        lex = self.lex
        if lex.language == "ar":
            first = words[0] if words else ""
            bare = first[1:] if first[:1] in ("و", "ف") else first  # "ومصدر"; "وزير" stays
            for w in (first, bare, first.removeprefix("ال"), bare.removeprefix("ال")):
                if w in lex.source_nouns or w in lex.title_nouns or "ال" + w in lex.title_nouns:
                    return w
            return None
        for w in words:
            if w in _HEAD_LINKS:
                return None
            if w in lex.source_nouns:
                return w
        return None

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

    def actors(self) -> list[Actor]:
        return [e.actor for e in self.entries]


# titles a royal or a sheikh bears before the first name alone: "Prince Abdullah"
_FIRST_NAME_TITLES = frozenset(
    ("king", "queen", "prince", "princess", "crown", "sheikh", "sheik", "emir", "sultan")
)
_TITLE_WORDS = _TITLES | {
    "of",
    "state",
    "foreign",
    "prime",
    "vice",
    "deputy",
    "former",
    "crown",
    "chief",
    "envoy",
    "ambassador",
    "spokesman",
    "spokeswoman",
    "chancellor",
    "premier",
    "defense",
    "defence",
    "interior",
    "finance",
    "justice",
    "treasury",
    "commerce",
    "trade",
    "energy",
    "health",
    "home",
}


def _qualified(role: str, title: str) -> bool:
    """ "vice president" is not "president": a title word before the title changes it."""
    before = role[: -len(title)].split()
    return bool(before) and before[-1] in {"vice", "deputy", "former", "crown", "prime"}


def core_name(key: str) -> list[str]:
    """A normalized English name without leading titles or a possessive: its name words."""
    words = [w.removesuffix("'s").removesuffix("’s").rstrip(".") for w in key.split()]
    while words and words[0] in _TITLE_WORDS:
        words.pop(0)
    return words


def name_tail(phrase: str) -> tuple[str | None, Span] | None:
    """(role, span of the name in the phrase) when an English phrase ends in a name after its title.

    "State Department spokesman Charles Redman", "The BBC's Paul Reynolds": a lower-case
    word or a possessive, then two or more capitalized words, which are the name.
    """
    words = list(re.finditer(r"\S+", phrase))
    cut = None
    for k, m in enumerate(words[:-2]):
        w = m.group()
        if (w[:1].islower() and w not in _CONNECTORS) or w.endswith(("'s", "’s")):
            cut = k
    if cut is None:
        return None
    tail = words[cut + 1 :]
    if not all(_NAME_WORD.match(m.group().strip(",")) or m.group() in _CONNECTORS for m in tail):
        return None
    role = phrase[: tail[0].start()].strip(" ,")
    if role.lower().startswith("the "):
        role = role[4:]
    return role.removesuffix("'s").removesuffix("’s") or None, (tail[0].start(), len(phrase))


def arabic_name_tail(phrase: str, lex: Lexicon) -> tuple[str | None, Span] | None:
    """(role, span of the name in the phrase) when an Arabic phrase joins a name and a title.

    "الرئيس التركي رجب طيب أردوغان", "المتحدث باسم الخارجية المصرية المستشار أحمد
    أبو زيد": after the last title noun and its definite adjectives come two or more
    words, the first without the article, none a title, digit or source noun.
    """
    words = list(re.finditer(r"\S+", phrase))
    folded = [normalize(m.group()) for m in words]
    for k in range(2, min(4, len(words))):  # "داود شهاب المتحدث باسم الحركة": name, then post
        if folded[k] in lex.title_nouns and folded[k].startswith("ال"):
            head = folded[:k]
            if not head[0].startswith("ال") and not any(
                w in lex.title_nouns or w in lex.source_nouns or w in lex.speaker_stops
                for w in head
            ):
                cut = words[k - 1].end()
                return phrase[words[k].start() :].strip(" ،,") or None, (0, cut)
            break
    for k in range(len(words) - 2, -1, -1):
        if folded[k] not in lex.title_nouns:
            continue
        m = k + 1
        while m < len(words) and folded[m].startswith("ال"):
            m += 1
        rest = folded[m:]
        if (
            len(rest) < 2
            or rest[0] == normalize("باسم")  # "متحدث باسم …": a preposition, no name
            or rest[0].startswith(tuple(normalize(p) for p in ("بال", "لل", "كال", "وال", "فال")))
            or any(w in lex.title_nouns or w in lex.source_nouns for w in rest)
            or any(ch.isdigit() for w in rest for ch in w)
            or any(w in lex.speaker_stops for w in rest)
        ):
            return None
        role = phrase[: words[m].start()].strip(" ،,")
        return role or None, (words[m].start(), len(phrase))
    return None


def _unwrap(text: str, span: Span) -> Span:
    """A name as written, without quotation marks around it («رويترز» → رويترز)."""
    start, end = span
    while start < end and text[start] in "«“\"'„‹":
        start += 1
    while end > start and text[end - 1] in "»”\"'›":
        end -= 1
    return start, end


def canonical_name(actor: Actor, place: Place) -> None:
    """Name a country by its first listed form the text uses ("قطر" over "القطري")."""
    written = [actor.name, *actor.aliases]
    order = {normalize(f): k for k, f in enumerate(place.forms)}
    best = min(written, key=lambda w: order.get(normalize(w), len(order)))
    if best != actor.name:
        actor.aliases = [w for w in written if w != best]
        actor.name = best


# Function words a name never capitalizes inside it: a run that does is a headline in
# title case ("Lone Player Stands During National Anthem While Rest Of His Team …").
# fmt: off
_TITLE_CASE = frozenset((
    "Of", "To", "In", "On", "At", "For", "With", "And", "By", "During", "While", "About",
    "Despite", "After", "Before", "From", "Into", "Over", "Is", "Are", "Was", "Were", "Will",
    "Has", "Have", "Had", "His", "Her", "Their", "Its", "Your", "You", "Our", "My", "We", "It",
    "Can", "Could", "Would", "Should", "As", "Not",
))
# fmt: on


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
                if toks[j].after and toks[j].after.strip("."):  # "with Mr Blair, Mr Abbas"
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
            whole = text[toks[run[0]].start : toks[run[-1]].end] if run else ""
            if (
                len(caps) >= 2
                and not all(toks[k].word in _NOT_NAMES for k in run)
                and not whole.isupper()  # "FULL TEXT", "BREAKING NEWS": a heading
                and not any(text[toks[k].start : toks[k].end] in _TITLE_CASE for k in run[1:])
            ):
                end = toks[run[-1]].end
                if text[end - 2 : end] in ("'s", "’s"):  # "President Bashar al-Assad's"
                    end -= 2
                out.append((toks[run[0]].start, end))
            elif len(run) == 1 and _ACRONYM.fullmatch(whole) and not _shouting(text, sent):
                end = toks[run[0]].end
                end += "." in whole and text[end : end + 1] == "."  # "C.I.A." keeps its dot
                out.append((toks[run[0]].start, end))  # "FIFA", "C.I.A."
            i = max(j, i + 1)
    return out


# An organization named by its initials: "FIFA", "BBC", "C.I.A."; not units, zones or
# diseases
_NOT_ACRONYMS = "CEO|GDP|USD|EUR|GMT|EST|UTC|PST|EDT|CST|COVID|AIDS|HIV|SARS|DNA|ATM|FAQ|PDF"
_ACRONYM = re.compile(rf"(?!(?:{_NOT_ACRONYMS})$)(?:[A-Z]{{3,6}}|(?:[A-Z]\.){{2,3}}[A-Z]\.?)")


def _shouting(text: str, sent: Sentence) -> bool:
    """A line mostly in capitals ("INJURED IN FLORIDA NIGHTCLUB SHOOTING"): no acronyms."""
    words = re.findall(r"[A-Za-z]{4,}", text[sent.start : sent.end])
    return bool(words) and sum(w.isupper() for w in words) * 2 >= len(words)


@cache
def _arabic_heads(gazetteer: Gazetteer) -> dict[str, list[tuple[list[str], Place]]]:
    """Each written first word (with its clitics) → the forms it can start, longest first.

    One dictionary look-up per token instead of a pass over every form: the cost of
    finding places stays linear in the text.
    """
    forms = [(normalize(f).split(), p) for p in gazetteer.places for f in p.forms]
    forms.sort(key=lambda fp: len(fp[0]), reverse=True)
    heads: dict[str, list[tuple[list[str], Place]]] = {}
    for words, place in forms:
        variants = {c + words[0] for c in _AR_CLITICS}
        if words[0].startswith("ال"):
            variants |= {c + "ل" + words[0][1:] for c in ("", "و", "ف")}  # للسعودية
        for variant in variants:
            heads.setdefault(variant, []).append((words, place))
    return heads


def place_mentions(text: str, segment: Segment, gazetteer: Gazetteer) -> list[tuple[Span, Place]]:
    """Every word-bounded mention of a country or bloc in the segment, in reading order.

    English forms match case-sensitively ("US", never "us"); Arabic forms match whole
    words after normalization, with the clitics و ب ل ف ك fused in front ("وقطر",
    "للسعودية").
    """
    out: list[tuple[Span, Place]] = []
    chunk = text[segment.start : segment.end]
    if gazetteer.language == "en":
        found = [
            ((segment.start + m.start(), segment.start + m.end()), place)
            for place in gazetteer.places
            for form in place.forms
            for m in re.finditer(rf"(?<![\w.]){re.escape(form)}(?![\w])", chunk)
        ]
        reach = -1  # the longest form wins: "South Sudan" is not Sudan, nor "Guinea-Bissau" Guinea
        for span, place in sorted(found, key=lambda sp: (sp[0][0], -sp[0][1])):
            if span[0] >= reach:
                out.append((span, place))
                reach = span[1]
    else:
        toks = tokens(text, segment.start, segment.end)
        heads = _arabic_heads(gazetteer)
        taken: set[int] = set()
        for i, tok in enumerate(toks):
            if i in taken:
                continue
            for words, place in heads.get(tok.word, ()):
                n = len(words)
                window = [t.word for t in toks[i : i + n]]
                if len(window) < n or window[1:] != words[1:]:
                    continue
                head = window[0]
                start = tok.start + (len(head) - len(words[0]) if head != words[0] else 0)
                out.append(((start, toks[i + n - 1].end), place))
                taken.update(range(i, i + n))
                break
    out.sort(key=lambda sp: sp[0])
    return out


_AR_PARTICLES = frozenset(  # prepositions and particles: where a name ends
    normalize(w)
    for w in (
        *("في", "على", "إلى", "الى", "من", "عن", "مع", "حول", "بعد", "قبل", "منذ", "عند"),
        *("لدى", "أمام", "ضد", "عبر", "نحو", "بين", "دون", "ثم", "أو", "لكن", "بل", "حتى"),
        *("كما", "باسم", "خلال", "إن", "أن", "قد", "لا", "لم", "لن", "ما", "هو", "هي"),
        *("مرات", "مرة", "نظير", "نظيره", "نظيرها", "نظيريه", "نظراء", "نظرائه"),
    )
)
_AR_CLITIC = ("و", "ف", "ب", "ل", "ك")


def _ar_bare(word: str) -> str:
    """A word without a one-letter clitic (و ف ب ل ك)."""
    return word[1:] if word[:1] in _AR_CLITIC and len(word) > 3 else word


# Names that normalization folds into particles (ي/ى, أ/آ/ا): "علي" is "على", "بان" is
# "بأن". As written, after a title, they are the names.
_SPELLED_NAMES = frozenset(("علي", "بان", "آن"))
_AR_TITLE_LINKS = frozenset(normalize(w) for w in ("في", "إلى", "الى", "لدى", "باسم", "عن"))
_MAX_COMPLEMENTS = 5


def _title_complements(toks: Sequence[Token], i: int, lex: Lexicon) -> int:
    """Where the complements of the title at `i` end (the first token after them).

    Definite words ("الخارجية الأميركي", "حكومة الاحتلال", "للأمن القومي"), and a
    preposition or a ل-construct with its object: "المبعوث الأممي إلى سورية",
    "لشؤون الشرق الأدنى", "المتحدث باسم الخارجية". An indefinite word is taken only
    as such an object, so the name after the title is never swallowed.
    """
    j = i + 1
    while j < len(toks) and j - i <= _MAX_COMPLEMENTS and not toks[j - 1].after.strip():
        w = toks[j].word
        if any(q in toks[j].before for q in '«"“'):
            break
        nxt = toks[j + 1] if j + 1 < len(toks) and not toks[j].after.strip() else None
        if nxt is not None and any(q in nxt.before for q in '«"“'):
            nxt = None
        if w in _AR_TITLE_LINKS:  # (before the article test: "إلى" folds to "الي")
            if nxt is None or not re.fullmatch(r"[\u0621-\u064a]+", nxt.word):
                break
            j += 2  # "إلى سورية": the preposition and its object
            continue
        if w.startswith("ال") or w in lex.organization_nouns or w.startswith(normalize("لل")):
            j += 1
            continue
        if j == i + 1 and len(w) >= 5 and w.endswith(("ته", "يه", "ها", "هم")):
            j += 1  # "ووزير خارجيته خالد العطية": the post, owned by the one just named
            continue
        if nxt is None:
            break
        if w[:1] == "ل" and len(w) > 3 and nxt.word.startswith("ال"):
            j += 1  # "لشؤون" heads the definite words after it
            continue
        break
    return j


def _surname_at(
    toks: Sequence[Token], k: int, name: Sequence[int], stops: frozenset[str], nouns: frozenset[str]
) -> bool:
    """Whether the definite word at `k` closes the name begun before it: "عادل الجبير،".

    A family name often carries the article. It is taken only as the name's last word,
    right before the comma that closes an apposition (or, after two words, before a
    particle or stop word), after at least one undefined word, and never a day, a title,
    a kind noun or a stop word: before a full stop, "واستقبل الشيخ خالد الوفد." ends
    with the verb's object.
    """
    w = toks[k].word
    nxt = toks[k + 1].word if k + 1 < len(toks) and not toks[k].after.strip() else ""
    # or, after a given name and a father's, before a word no object continues with:
    # "الرئيس الراحل محمد أنور السادات مصدر تنديد"
    closed = toks[k].after.strip()[:1] in ("،", ",") or (
        len(name) >= 2 and (nxt in stops or nxt in _AR_PARTICLES)
    )
    return (
        bool(name)
        and closed
        and w not in stops
        and w not in nouns
        and w[2:] not in nouns
        and bool(re.fullmatch(r"[\u0621-\u064a]{4,}", w))
    )


def arabic_titled_names(
    text: str, sentences: Sequence[Sentence], lex: Lexicon
) -> list[tuple[Span, Span]]:
    """(title, name) where a title announces a name: "وزير الخارجية الأميركي أنتوني
    بلينكن", "رئيس حكومة الاحتلال، بنيامين نتنياهو،", "الشيخ محمد بن عبد الرحمن".

    Arabic has no capitals; a title noun and its definite complements ("الخارجية
    الأميركي", "حكومة الاحتلال") are what announce a person's name. The name is the
    words after them, set off by a comma or not: one to five words without the article
    (but "عبد الرحمن", "آل ثاني") and without a clitic before an article or a title
    ("بالرياض", "لرئيس"), none a particle, title, source noun, stop word, verb of
    speech or meeting, or digit. A one-word name must end at punctuation ("الرئيس
    أوباما،"): otherwise it is as likely the next clause's first word.
    """
    out: list[tuple[Span, Span]] = []  # (title, name)
    stops = lex.speaker_stops | lex.complementizers | lex.relative_pronouns | lex.source_nouns
    verbs = lex.reporting_verbs | lex.meeting_triggers
    kinds = lex.title_nouns | lex.organization_nouns | lex.group_nouns | lex.media_nouns
    nouns = kinds | lex.source_nouns  # no family name is one of these ("الوفد")
    for sent in sentences:
        toks = tokens(text, sent.start, sent.end)
        listed = False  # a title announced a name earlier in this sentence
        covered = 0  # "مساعدة الوزير …": a title inside another's complements is not another
        for i, t in enumerate(toks):
            if i < covered:
                continue
            # "وزير الخارجية الأميركي جون كيري، والروسي سيرجي لافروف": in a list of
            # titled names, "and the Russian" stands for the title it repeats
            elided = listed and t.word.startswith("وال") and is_nisba(t.word)
            if not elided and (
                t.after.strip()
                or (t.word not in lex.title_nouns and _ar_bare(t.word) not in lex.title_nouns)
            ):
                continue
            j = i + 1 if elided else _title_complements(toks, i, lex)
            covered = j
            if j >= len(toks) or (toks[j - 1].after.strip() and toks[j - 1].after.strip() != "،"):
                continue  # a full stop or a quotation after the title: no name follows
            name: list[int] = []
            stopped = False  # the name ended at a word that cannot be part of it
            for k in range(j, min(j + 5, len(toks))):
                w = toks[k].word
                bare = _ar_bare(w)
                linked = bool(name) and toks[name[-1]].word in NAME_LINKS
                spelled = text[toks[k].start : toks[k].end] in _SPELLED_NAMES
                if spelled and not toks[k].before.strip():
                    name.append(k)  # "علي شمخاني", "بان كي مون", as spelled
                    if toks[k].after.strip():
                        break
                    continue
                if w.startswith("ال") and not linked and _surname_at(toks, k, name, stops, nouns):
                    name.append(k)  # "عادل الجبير،", "خالد بن محمد العطية،"
                    stopped = True
                    break
                if (
                    (w.startswith("ال") and not linked)
                    or (name and w[:1] == "و")  # "أنتوني بلينكن ومساعدته": someone else
                    or (bare != w and (bare.startswith("ال") or bare in lex.title_nouns))
                    or w in _AR_PARTICLES
                    or bare in _AR_PARTICLES  # "بنظرائه"
                    or w.startswith(normalize("لل"))  # "لليمن"
                    or w in lex.title_nouns
                    or w in stops
                    or is_verb(w, lex, verbs)
                    or not re.fullmatch(r"[\u0621-\u064a]+", w)
                    or any(q in toks[k].before for q in '«"“(')  # "فبراير (شباط)"
                ):
                    stopped = True
                    break
                name.append(k)
                if toks[k].after.strip():
                    break  # a comma or a full stop ends the name
            while name and toks[name[-1]].word in NAME_LINKS:
                name.pop()
            linked = any(toks[n].word in NAME_LINKS for n in name)
            ended = stopped or bool(name) and bool(toks[name[-1]].after.strip())
            if (
                not name
                or (len(name) == 1 and not toks[name[0]].after.strip())
                or (len(name) > 3 and not linked)  # "سامح شكري اتصالين هاتفيين": words run on
                or not ended
            ):
                continue
            title = (
                t.start + len(t.word) - len(_ar_bare(t.word))
                if t.word not in lex.title_nouns
                else t.start,
                toks[j - 1].end,
            )
            out.append((title, (toks[name[0]].start, toks[name[-1]].end)))
            listed = True
    return sorted(set(out))


_MEDIA_KINDS = frozenset(normalize(w) for w in ("وكالة", "صحيفة", "قناة", "شبكة", "إذاعة"))
_MAX_ORG_WORDS = 4  # complements after the kind noun: "منظمة حظر الأسلحة الكيماوية"


def _org_complements(toks: Sequence[Token], j: int, stops: frozenset[str]) -> int:
    """Where the definite words completing an organization's kind noun end.

    "مجلس الأمن الدولي", "وزارة الخارجية الأميركية"; one undefined noun may open the
    construct when a definite word follows it ("منظمة حظر الأسلحة"); a quoted name is
    the name ("صحيفة «الوطن» السورية"). Words end at punctuation, a stop word or a
    relative pronoun ("المجلس الذي").
    """
    start = j
    while j < len(toks) and j - start < _MAX_ORG_WORDS and not toks[j - 1].after.strip("» "):
        t = toks[j]
        if t.word in stops or any(q in t.before for q in '"“('):
            break
        if "«" in t.before:  # a quoted name, up to its closing mark
            k = j
            while k < len(toks) and "»" not in toks[k].after and k - j < _MAX_ORG_WORDS:
                k += 1
            if k == len(toks) or "»" not in toks[k].after:
                break
            j = k + 1
            continue
        if t.word.startswith("ال") and not t.word.startswith(normalize("لل")):
            if j > start and is_nisba(toks[j - 1].word) and not is_nisba(t.word):
                break  # "المالطية الخبر": after the adjective, the verb's object
            j += 1
            continue
        nxt = toks[j + 1] if j + 1 < len(toks) and not t.after.strip() else None
        if j == start and nxt is not None and nxt.word.startswith("ال") and len(t.word) >= 3:
            j += 1  # "منظمة حظر الأسلحة": an undefined noun of the construct
            continue
        break
    return j


# "نظيره", "نظيرته", "نظرائه", "بنظرائه": his counterpart(s), normalized; not the dual
# "نظيريه الروسي والأمريكي", two people the text names
_COUNTERPART = re.compile(r"^[وفبل]?(?:نظير|نظراء|نظراي)(?:ه|ها|هم|هما|ته|تها)$")


def arabic_counterparts(text: str, sentences: Sequence[Sentence], lex: Lexicon) -> list[Span]:
    """Counterparts the text leaves unnamed: "باجتماع مع نظرائه الخليجيين", "يلتقي نظيره
    الروسي", "مع نظرائه من مجلس التعاون الخليجي".

    The other side of a minister's talks is often named only so; the phrase, from the
    counterpart noun (without its clitic) to its adjectives or its "من" complement, is
    the actor. A counterpart named right after ("نظيره الكوبي برونو دورديغيز") is that
    person, found by the name.
    """
    stops = lex.speaker_stops | lex.relative_pronouns | lex.complementizers
    out: list[Span] = []
    for sent in sentences:
        toks = tokens(text, sent.start, sent.end)
        for i, t in enumerate(toks):
            if not _COUNTERPART.match(t.word) or t.after.strip():
                continue
            j = i + 1
            while j < len(toks) and toks[j].word.startswith("ال") and is_nisba(toks[j].word):
                j += 1
                if toks[j - 1].after.strip():
                    break
            if j == i + 1 and j < len(toks) and toks[j].word == normalize("من"):
                j = _org_complements(toks, j + 1, stops)
                if j == i + 2:
                    continue  # "نظيره من" with nothing after
            if j == i + 1:
                continue  # "نظيره" alone: whose, the text says elsewhere
            last = toks[j - 1]
            if j < len(toks) and not last.after.strip() and not _ends_phrase(toks[j], stops):
                continue  # a name follows: the counterpart is that person
            lead = 1 if t.word[:1] in "وفبل" and not t.word.startswith("نظ") else 0
            out.append((t.start + lead, last.end))
    return out


def _ends_phrase(t: Token, stops: frozenset[str] | set[str]) -> bool:
    """Whether a word after a counterpart's adjectives is no name: a particle or a verb's
    next argument ("في الدوحة", "يوم الاثنين"), or a definite word."""
    return t.word in stops or t.word.startswith("ال") or _ar_bare(t.word).startswith("ال")


def arabic_organizations(
    text: str, sentences: Sequence[Sentence], lex: Lexicon
) -> list[tuple[Span, Span]]:
    """Organizations and outlets a kind noun names: "مجلس الأمن الدولي", "وزارة
    الخارجية الأميركية", "الحكومة التركية", "وكالة الأناضول", "صحيفة «الوطن» السورية".

    Arabic has no capitals; a body is named by its kind noun and the definite words or
    the quoted name that complete it. A definite kind noun alone is a common noun ("the
    government"): it names one body with a relational adjective ("الحكومة التركية").
    After a title the construct is the post, not a body ("وزير الخارجية الأميركي",
    "رئيس حكومة الاحتلال"), so it is skipped there; after "باسم" it is the body spoken for.
    Each comes with its name after the kind noun ("أحرار الشام" of "حركة «أحرار الشام»").
    """
    stops = lex.speaker_stops | lex.relative_pronouns | lex.complementizers
    heads = {w for w in lex.organization_nouns | _MEDIA_KINDS if " " not in w}
    out: list[tuple[Span, Span]] = []
    for sent in sentences:
        toks = tokens(text, sent.start, sent.end)
        i = 0
        while i < len(toks):
            t = toks[i]
            bare = _ar_bare(t.word)
            prev = toks[i - 1] if i and not toks[i - 1].after.strip() else None
            after_title = prev is not None and (
                prev.word in lex.title_nouns or _ar_bare(prev.word) in lex.title_nouns
            )
            head = bare if bare in heads else t.word if t.word in heads else None
            definite = head is None and bare.startswith("ال") and bare[2:] in heads
            if after_title or t.after.strip() or (head is None and not definite):
                i += 1
                continue
            if definite or (head or "").startswith("ال"):
                j = i + 1
                while j < len(toks) and toks[j].word.startswith("ال") and is_nisba(toks[j].word):
                    j += 1
                    if toks[j - 1].after.strip():
                        break
            else:
                j = _org_complements(toks, i + 1, stops)
            if j > i + 1:
                end = toks[j - 1].end
                if text[end : end + 1] == "»":
                    end += 1  # the quoted name's closing mark
                raw = text[t.start : t.end]
                lead = 0
                if bare != t.word and bare in heads:  # "ووزارة": the body without its clitic
                    lead = next((k for k in range(len(raw)) if normalize(raw[k:]) == bare), 0)
                body = (t.start + lead, end)
                first = toks[i + 1]
                # a definite kind noun's adjective is no name: "التركية" of "الحكومة التركية"
                plain = definite or (head or "").startswith("ال")
                named = body if plain else (first.start - ("«" in first.before), end)
                out.append((body, named))
                i = j
            else:
                i += 1
    return out
