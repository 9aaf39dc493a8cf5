"""The actors of one article as the cue stages find them, one entry each.

`ActorBook` holds a speaker phrase ("مصدر مطلع", "a senior US official"; unnamed
sources are `anonymous`), a country or bloc of the gazetteer (names, demonyms:
"القطري" → Qatar), an English capitalized name, or an actor a model named, each
once: a short definite form ("المصدر", "the official", "Mr. Hof", "كيري") is the
latest actor it can refer to (`coreference`), and the fullest name wins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from ..lang.gazetteer import Place
from ..lang.lexicon import Lexicon
from ..models import Actor, ActorKind, Span, unique_id
from ..text.grounding import TextIndex
from ..text.normalize import normalize
from ..text.segment import Segment
from . import filters
from .coreference import Coreference, Entry
from .english_names import equated_names
from .kinds import actor_kind, is_anonymous, kind_noun
from .names import (
    actor_key,
    after_definite,
    core_name,
    title_gender,
    trimmed,
    unwrap,
)
from .places import place_of
from .readers import readers_for
from .rulebook import rule
from .tokens import is_verb


@rule(
    "actors.name-after-title",
    stage="actors",
    purpose="A phrase of a title and a name names the person; the title is the person's role.",
    example="State Department spokesman Charles Redman said on Monday that talks would resume.",
    off=None,
)
def titled_name(phrase: str, lex: Lexicon) -> tuple[str | None, Span] | None:
    """(role, span of the name) of "State Department spokesman Charles Redman", "الرئيس
    التركي رجب طيب أردوغان", as the language writes a title before a name."""
    return readers_for(lex).name_tail(phrase, lex)


def _bare_surname(form: str, lex: Lexicon) -> str | None:
    """The surname of a one-word English name, titled or not ("Mrs. Abedini"), else None."""
    words = core_name(actor_key(form), lex)
    return words[0] if len(words) == 1 else None


def _shared_surnames(drafts: Sequence[NamedActor], lex: Lexicon) -> set[str]:
    """Surnames that two of the model's full person names share ("Saeed Abedini" and
    "Naghmeh Abedini"): "Mrs. Abedini" alone could be either, so a model alias of that
    form is not taken; the cue stage's coreference (titles, gender) decides who it is."""
    full: dict[str, set[tuple[str, ...]]] = {}
    for draft in drafts:
        words = core_name(actor_key(draft.name), lex)
        if draft.kind == "person" and len(words) >= 2:
            full.setdefault(words[-1], set()).add(tuple(words))
    return {surname for surname, names in full.items() if len(names) >= 2}


def _openings(drafts: Sequence[NamedActor]) -> dict[str, set[str]]:
    """First word → the fuller person names a model listed that open with it."""
    opening: dict[str, set[str]] = {}
    for draft in drafts:
        words = normalize(draft.name).split()
        if draft.kind == "person" and len(words) >= 2:
            opening.setdefault(words[0], set()).add(draft.name)
    return opening


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


class ActorBook(Coreference):
    """The actors of one article, built from speaker phrases, with simple coreference.

    `Coreference` holds the entries and answers who a short form refers to; the book
    adds actors to them: from speaker phrases, the gazetteer and a model's names.
    """

    def __init__(self, text: str, lex: Lexicon, places: dict[str, Place] | None = None) -> None:
        super().__init__(text, lex)
        self.places = places or {}  # normalized form -> place
        self.by_place: dict[str, Entry] = {}
        self.model_named: set[str] = set()  # actors only a model named

    def add_named(self, named: Sequence[NamedActor], index: TextIndex, segment: Segment) -> None:
        """Actors a model named, grounded in the segment; their affiliations mapped to ids."""
        drafts = [_Named.of(d) for d in named]
        ids: dict[str, str] = {}
        opening = _openings(drafts)
        shared = (
            _shared_surnames(drafts, self.lex) if "titled-surnames" in self.lex.traits else set()
        )
        # "الحركة", "الحزب" refer back to the movement or party named in full: after it
        for draft in sorted(drafts, key=lambda d: kind_noun(normalize(d.name), self.lex)):
            actor_id = self._add_draft(draft, opening, shared, index, segment)
            if actor_id is not None:
                ids[draft.id] = actor_id
        for draft in drafts:
            mine, target = ids.get(draft.id), ids.get(draft.affiliation or "")
            if mine and target and mine != target:
                entry = next(e for e in self.entries if e.actor.id == mine)
                if entry.actor.affiliation is None:
                    entry.actor.affiliation = target

    def _add_draft(
        self,
        draft: _Named,
        opening: dict[str, set[str]],
        shared: set[str],
        index: TextIndex,
        segment: Segment,
    ) -> str | None:
        """The id of the actor a model's name is, added or found; None if it names nobody."""
        if shared and draft.kind == "person":
            if _bare_surname(draft.name, self.lex) in shared:
                return None  # "Mrs. Abedini": whose, the cue stage's coreference decides
            kept = [a for a in draft.aliases if _bare_surname(a, self.lex) not in shared]
            draft = replace(draft, aliases=tuple(kept))
        draft = self._rewritten(draft, opening)
        if filters.names_nobody(draft.name, self.text, self.lex):
            return None
        grounded = self._grounded(draft, index, segment)
        if grounded is None:
            return None
        span, role = grounded
        surface = self.text[span[0] : span[1]]
        key = actor_key(surface)
        place = self.places.get(key) or self._place_of(key)
        if place is not None:
            return self.place(place, span)
        if filters.describes(surface, key, draft.kind, self.lex):
            return None
        same = next((e for e in self.entries if key in e.forms), None)
        if same is None and kind_noun(key, self.lex):  # "الحركة" after "حركة حماس"
            same = self._refers_to(key)
            known = None if same is not None else self._named_after(key[2:])
            if known is not None:  # "الحركة" where the text says "حركة حماس"
                return self.place(known, span)
            if same is None:
                return None  # a bare "الحركة" is no name of its own
        if same is None and "titled-surnames" in self.lex.traits and draft.kind == "person":
            same = self._same_person(key, surface)
        if same is not None:
            self._add_forms(same, key, surface, draft.aliases, index, segment)
            return same.actor.id
        return self._add_new(draft, span, key, role, index, segment)

    def _rewritten(self, draft: _Named, opening: dict[str, set[str]]) -> _Named:
        """A model's name as the text names the actor: in full, without a verb, a
        conjunction, an unclosed aside or a possessive the model took with it."""
        fuller = self._opened(draft, opening)
        if fuller is not None:  # "الرئيس مون" is "مون جاي إن", "الأمير محمد" the prince
            aliases = [*draft.aliases, draft.name]
            draft = replace(draft, name=fuller, aliases=tuple(aliases))
        first, _, rest = draft.name.partition(" ")
        lex = self.lex
        if (
            rest
            and "verb-first" in lex.traits
            and is_verb(normalize(first), lex, lex.reporting_verbs)
        ):
            # "أوضحت المتحدثة باسم …": the model took the verb too; the name follows it
            draft = replace(draft, name=rest)
        elif "clitics" in lex.traits and rest and first.startswith("وال") and len(first) > 4:
            # "والرئيس أوباما": the conjunction is not part of the name
            draft = replace(draft, name=draft.name[1:])
        return replace(draft, name=trimmed(draft.name))

    def _grounded(
        self, draft: _Named, index: TextIndex, segment: Segment
    ) -> tuple[Span, str | None] | None:
        """Where the segment writes a model's name, and the actor's role, if it does.

        "الرئيس الأميركي دونالد ترامب": of a person, the name is the actor and the title
        before it the role.
        """
        found = index.find(draft.name, segment.start, segment.end)
        if found is None:
            return None
        span = (found.start, found.end)
        role = draft.role
        if draft.kind == "person":
            phrase = self.text[span[0] : span[1]]
            lex = self.lex
            split = titled_name(phrase, lex)
            if split is not None:
                title, (lo, hi) = split
                role = role or title
                span = (span[0] + lo, span[0] + hi)
            elif "clitics" in lex.traits:
                span = after_definite(self.text, span, lex)
        return span, role

    def _add_forms(
        self,
        same: Entry,
        key: str,
        surface: str,
        aliases: Sequence[str],
        index: TextIndex,
        segment: Segment,
    ) -> None:
        """A model's name and its aliases, as the text writes them, as forms of a known actor."""
        if key not in same.forms:
            same.forms.add(key)
            same.actor.aliases.append(surface)
        for alias in aliases:  # "الرئيس مون", taken as the name it begins
            hit = index.find(alias, segment.start, segment.end)
            if hit is not None and actor_key(alias) not in same.forms:
                same.forms.add(actor_key(alias))
                same.actor.aliases.append(self.text[hit.start : hit.end])

    def _add_new(
        self,
        draft: _Named,
        span: Span,
        key: str,
        role: str | None,
        index: TextIndex,
        segment: Segment,
    ) -> str:
        """A new actor of a model's name, with the aliases the segment writes."""
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
        self.entries.append(Entry(actor, {key, *(actor_key(a) for a in aliases)}))
        self.model_named.add(actor.id)
        return actor.id

    def _named_after(self, noun: str) -> Place | None:
        """The gazetteer's body the text names right after a kind noun ("حركة حماس")."""
        letters = "".join(sorted(self.lex.clitic_letters))
        clitic = f"[{letters}]?" if letters else ""
        for form, place in self.places.items():
            if re.search(
                rf"(?<!\w){clitic}{re.escape(noun)} {re.escape(form)}(?!\w)", self._folded
            ):
                return place
        return None

    def _opened(self, draft: _Named, opening: dict[str, set[str]]) -> str | None:
        """The one fuller name a model's "title + one name" (Arabic) begins with, if any.

        A family name written first ("مون جاي إن" → "الرئيس مون") or a prince's given
        name ("محمد بن سلمان" → "الأمير محمد") after a title is the person named in full.
        """
        words = normalize(draft.name).split()
        if "titled-given-names" not in self.lex.traits or draft.kind != "person" or len(words) != 2:
            return None
        if words[0] not in self.lex.title_nouns:
            return None
        names = opening.get(words[1], set())
        return next(iter(names)) if len(names) == 1 else None

    def _place_of(self, key: str) -> Place | None:
        """The place a phrase names with more words than its form: "الولايات المتحدة الأميركية"."""
        return place_of(key, self.places, self.lex)

    def entitle(self, actor_id: str, span: Span) -> None:
        """The title written before an actor's name is its role, and a way to refer to it."""
        entry = next(e for e in self.entries if e.actor.id == actor_id)
        surface = self.text[span[0] : span[1]]
        if entry.actor.role is None and entry.actor.kind == "person":
            entry.actor.role = surface
        entry.forms.add(actor_key(surface))

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
            entry = Entry(actor, {actor_key(surface)})
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
        for first, second in equated_names(self.text, start, end, self.lex):
            keep, gone = self.resolve(first), self.resolve(second)
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
        self._forget()

    def resolve(self, span: Span) -> str:
        """The id of the actor the phrase at `span` names, creating it if it is new.

        "State Department spokesman Charles Redman" names Charles Redman, whose role
        is the rest: the person, not the whole phrase, is the actor.
        """
        start, end = unwrap(self.text, span)
        role = None
        phrase = self.text[start:end]
        split = titled_name(phrase, self.lex)
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
                        entry.actor.kind = actor_kind(key, self.lex)
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
        return title_gender(forms, self.lex)

    def gender_of(self, actor_id: str) -> str | None:
        """ "m" or "f" where one of the actor's forms carries a gendered title, else None."""
        forms = {f for e in self.entries if e.actor.id == actor_id for f in e.forms}
        return title_gender(forms, self.lex)

    def not_an_actor(self, name: str) -> bool:
        """A word for an event or a statement, a number, or a thing: no actor's name."""
        return filters.not_an_actor(name, self.lex)

    def verb_form(self, name: str) -> bool:
        """An Arabic verb of speech or meeting with its object ("قاله"): no actor's name."""
        return filters.verb_form(name, self.lex)

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
        surnames = "titled-surnames" in self.lex.traits
        if target is None and surnames and actor_kind(key, self.lex) == "person":
            target = self._same_person(key, surface)  # "Deputy Secretary of State John Whitehead"
        titled = target is None and surnames
        if titled:
            target = self._titled(key)  # "the Crown Prince" after "Crown Prince Abdullah"
        if target is not None:
            if not titled and fuller_name(target.actor, key, surface, self.lex):
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
            kind=actor_kind(key, self.lex),
            anonymous=is_anonymous(surface, key, self.lex),
        )
        self.entries.append(Entry(actor, {key}))
        return actor.id

    def kind_of(self, key: str) -> ActorKind:
        """The kind a new actor of this normalized phrase would get."""
        return actor_kind(key, self.lex)

    def actors(self) -> list[Actor]:
        return [e.actor for e in self.entries]


@rule(
    "actors.fullest-name-is-the-name",
    stage="actors",
    purpose="Of a person's forms, the fullest is the name; the shorter ones are aliases.",
    example="Mr. Putin said on Monday that talks would resume. "
    "Vladimir V. Putin added that a deal was near.",
    off=False,
)
def fuller_name(actor: Actor, key: str, surface: str, lex: Lexicon) -> bool:
    """ "Vladimir V. Putin" after "Mr. Putin", "جون كيري" after "كيري": the name to keep.

    English counts name words without titles; Arabic the words of a person's name,
    never a definite phrase ("المتحدث …").
    """
    if "titled-surnames" in lex.traits:
        return surface[:1].isupper() and len(core_name(key, lex)) > len(
            core_name(normalize(actor.name), lex)
        )
    return (
        "titled-given-names" in lex.traits
        and actor.kind == "person"
        and not actor.anonymous
        and len(key.split()) > len(normalize(actor.name).split())
        and not key.startswith("ال")
        and not _role_run_on(actor, key)
    )


def _role_run_on(actor: Actor, key: str) -> bool:
    """ "كوريا الجنوبية مون جيه-إن" for "مون جيه-إن", titled "رئيس كوريا الجنوبية": the
    title's complement run into the name, not a fuller name."""
    name = normalize(actor.name)
    extra = key.removesuffix(name).strip()
    return bool(actor.role) and extra != key and normalize(actor.role or "").endswith(extra)
