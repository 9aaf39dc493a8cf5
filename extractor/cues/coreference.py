"""Who a short form refers to: "Mr. Kerry", "كيري", "the Crown Prince", "المصدر" and
"الحركة" name the latest or the only actor they can be.

`Coreference` holds one article's entries (an actor and the normalized forms it is
known by) and answers these questions over them; `ActorBook` adds the actors to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..lang.lexicon import Lexicon
from ..models import Actor
from ..text.normalize import normalize
from .kinds import kind_noun
from .names import core_name, ends_with, is_title_word, skips_middle, title_gender


@dataclass
class Entry:
    """One actor of the article and the forms it is known by."""

    actor: Actor
    forms: set[str] = field(default_factory=set)  # normalized name and aliases


def _qualified(role: str, title: str, lex: Lexicon) -> bool:
    """ "vice president" is not "president": a title word before the title changes it."""
    before = role[: -len(title)].split()
    return bool(before) and before[-1] in lex.title_qualifiers


class Coreference:
    """An article's entries and who a short form among them refers to.

    Answers that scan the text are memoized by the number of entries, which grows with
    each new actor; `_forget` clears them when a merge takes one away.
    """

    def __init__(self, text: str, lex: Lexicon) -> None:
        self.text, self.lex = text, lex
        self.entries: list[Entry] = []
        self._titled_seen: dict[tuple[str, int], Entry | None] = {}  # (title, entries) → answer
        self._folded_text: str | None = None
        self._unquoted_text: str | None = None
        self._kind_seen: dict[tuple[str, int], Entry | None] = {}  # (noun, entries) → answer
        self._shared_seen: dict[str, bool] = {}  # surname → two full names end in it

    def _forget(self) -> None:
        """Drop the memoized answers about entries: two of them became one."""
        self._titled_seen.clear()
        self._kind_seen.clear()

    def _same_person(self, key: str, surface: str) -> Entry | None:
        """An English person already listed under another form of the name.

        A small model lists "John Kerry", "Secretary of State John Kerry" and "Mr.
        Kerry" as three actors; without their titles they are one name, or a surname
        of it, and one actor.
        """
        lex = self.lex
        core = core_name(key, lex)
        if not core:
            return None
        if len(core) == 1 and self._surname_shared(surface.split()[-1]):
            return None  # "Mrs. Abedini" with "Saeed Abedini" and "Naghmeh Abedini" in the text
        gender = title_gender([key], lex)
        for entry in self.entries:
            if entry.actor.kind != "person" or entry.actor.anonymous:
                continue
            if self._apart(entry, core, surface, gender):
                continue
            for form in entry.forms:
                other = core_name(form, lex)
                if other and (
                    other == core
                    or (len(core) == 1 and other[-1] == core[0])
                    or (len(other) == 1 and core[-1] == other[0])
                    # "Suu Kyi" ends "Aung San Suu Kyi"; "Aung San" (her father) does not
                    or (min(len(core), len(other)) >= 2 and ends_with(core, other))
                ):
                    return entry
        return None

    def bare_title(self, key: str) -> str | None:
        """The title a phrase is made of, alone ("the Crown Prince" → "crown prince"), or None."""
        words = [w.rstrip(".") for w in key.split()]
        if words[:1] == ["the"]:
            words = words[1:]
        if not words or any(not is_title_word(w, self.lex) for w in words) or words == ["of"]:
            return None
        return " ".join(words)

    def _titled(self, key: str) -> Entry | None:
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

    def _titled_scan(self, title: str) -> Entry | None:
        found: list[Entry] = []
        for entry in self.entries:
            actor = entry.actor
            if actor.kind != "person" or actor.anonymous:
                continue
            role = normalize(actor.role or "")
            if (
                role == title
                or role.endswith(" " + title)
                and not _qualified(role, title, self.lex)
            ):
                found.append(entry)
                continue
            for form in entry.forms:
                if form.startswith(title + " ") and core_name(form, self.lex):
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

    def _surname_shared(self, surname: str) -> bool:
        """Whether the text writes two full names ending in `surname` (a couple, a family).

        A surname alone then names either of them: `_same_person` leaves it to the
        coreference that reads titles, not to whichever full name came first.
        """
        if not re.fullmatch(r"[A-Z][\w'’-]+", surname):
            return False
        if surname not in self._shared_seen:
            given = re.findall(rf"\b([A-Z][a-z]+) {re.escape(surname)}\b", self.text)
            firsts = {g for g in given if not is_title_word(g.lower(), self.lex)}
            self._shared_seen[surname] = len(firsts) >= 2
        return self._shared_seen[surname]

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

    def _kind_named(self, noun: str) -> Entry | None:
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

    def _refers_to(self, key: str) -> Entry | None:
        """The latest actor a short definite phrase refers to ("المصدر", "the official", "Hof")."""
        words = key.split()
        if not words:
            return None
        named = self._by_surname(words)
        if named is not None:
            return named
        if self.lex.language == "ar":
            return self._arabic_antecedent(key, words)
        return self._english_antecedent(key, words)

    def _by_surname(self, words: list[str]) -> Entry | None:
        """The latest person whose name ends with the phrase: "كيري", "أبو زيد"."""
        for entry in reversed(self.entries):  # "كيري" after "جون كيري": a surname
            if entry.actor.kind == "person" and not entry.actor.anonymous and len(words) == 1:
                name = normalize(entry.actor.name).split()
                if len(name) > 1 and name[-1] == words[0]:
                    return entry
            if (  # "أبو زيد" after "أحمد أبو زيد": a compound surname
                entry.actor.kind == "person"
                and not entry.actor.anonymous
                and len(words) == 2
                and words[0] in self.lex.name_links
                and normalize(entry.actor.name).split()[-2:] == words
                and len(normalize(entry.actor.name).split()) > 2
            ):
                return entry
        return None

    def _arabic_antecedent(self, key: str, words: Sequence[str]) -> Entry | None:
        """The actor a definite Arabic head refers to: "المصدر", "الحركة", "المتحدث باسم الجيش"."""
        head = words[0]
        # "المتحدث باسم الجيش" after "متحدث باسم جيش الاحتلال": a linked complement
        linked = len(words) == 3 and words[1] in self.lex.title_links
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
            if kind_noun(key, self.lex):  # "الحركة" is "حماس" where the text says "حركة حماس"
                return self._kind_named(bare)
        return None

    def _english_antecedent(self, key: str, words: Sequence[str]) -> Entry | None:
        """The actor a short English phrase refers to: "the official", "Mr. Hof", "these people"."""
        lex = self.lex
        content = [
            w for w in words if w not in lex.determiners and w.rstrip(".") not in lex.name_titles
        ]
        if not content or len(content) > 2:
            return None
        last = content[-1]
        if words[0] in lex.plural_demonstratives and len(content) == 1:
            for entry in reversed(self.entries):  # "these people" after "people familiar …"
                if entry.actor.kind == "group" and any(
                    f.split()[:1] == [last] for f in entry.forms
                ):
                    return entry
        by_first = self._royal_first_name(words, content)
        if by_first is not None:
            return by_first
        definite = words[0] in lex.definite_determiners
        gender = title_gender({key}, lex)
        if len(content) == 1 and self._surname_shared(last.capitalize()):
            return None  # "Mrs. Abedini" could be Saeed or Naghmeh Abedini: see `_same_person`
        for entry in reversed(self.entries):
            if gender is not None and title_gender(entry.forms, lex) not in (None, gender):
                continue  # "Mrs. Abedini" is not the "Mr. Abedini" named last
            for form in entry.forms:
                tail = form.split()[-1] if form.split() else ""
                if last == tail and (definite or len(content) == 1 or words[0] in lex.name_titles):
                    return entry
        return None

    def _royal_first_name(self, words: Sequence[str], content: Sequence[str]) -> Entry | None:
        """ "Prince Abdullah" after "Crown Prince Abdullah bin Abdul Aziz": a royal or a
        sheikh goes by title and first name, not by the last word of the name."""
        lex = self.lex
        titles = [w for w in words if w not in lex.determiners and w not in content]
        if len(content) != 1 or not titles or not set(titles) <= lex.first_name_titles:
            return None
        found = []
        for entry in self.entries:
            if entry.actor.kind != "person" or entry.actor.anonymous:
                continue
            for form in entry.forms:
                parts = form.split()
                rest = [w for w in parts if not is_title_word(w.rstrip("."), lex)]
                if len(rest) > 1 and rest[0] == content[0] and titles[-1] in parts:
                    found.append(entry)
                    break
        return found[0] if len(found) == 1 else None

    def _fuller_name_of(self, key: str, surface: str) -> Entry | None:
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
        gender = title_gender([key], self.lex) or "?"
        for entry in reversed(self.entries):
            if entry.actor.kind in ("country", "organization") or entry.actor.anonymous:
                continue
            if arabic and entry.actor.kind != "person":
                continue
            if not arabic and self._apart(entry, words, surface, gender):
                continue  # "Saeed Abedini", "Mr. Abedini": not "Mrs. Abedini" (Naghmeh)
            for form in entry.forms:
                titles = self.lex.title_nouns if arabic else self.lex.name_titles
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
                if arabic and n >= 2 and skips_middle(words, content):
                    return entry  # "محمد ظريف" is "محمد جواد ظريف"
        return None

    def _apart(self, entry: Entry, words: Sequence[str], surface: str, gender: str | None) -> bool:
        """Whether the entry is someone else than the English name `words` (titled `gender`):
        a full name of its own, or a title of the other gender ("Mr." against "Mrs.")."""
        if gender is not None and title_gender(entry.forms, self.lex) not in (None, gender):
            return True
        return self._other_full_name(entry, words, surface)

    def _other_full_name(self, entry: Entry, words: Sequence[str], surface: str) -> bool:
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
            other = core_name(form, self.lex)
            if (
                len(other) >= 2
                and other[-1] == words[-1]
                and other != list(words)
                and not (skips_middle(other, words) or ends_with(other, words))
            ):
                return True
        return False
