"""Who a short form refers to: "Mr. Kerry", "كيري", "the Crown Prince", "المصدر" and
"الحركة" name the latest or the only actor they can be.

`Coreference` holds one article's entries (an actor and the normalized forms it is
known by) and answers these questions over them; `ActorBook` adds the actors to it.
Each choice is a named rule (`rulebook`), tried in the order the methods give.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..lang.lexicon import Lexicon
from ..models import Actor
from ..text.normalize import normalize
from .kinds import kind_noun
from .names import (
    core_name,
    ends_with,
    is_title_word,
    modified_title,
    short_titles,
    skips_middle,
    surname_matches,
    title_gender,
)
from .rulebook import rule


@dataclass
class Entry:
    """One actor of the article and the forms it is known by."""

    actor: Actor
    forms: set[str] = field(default_factory=set)  # normalized name and aliases


def _qualified(role: str, title: str, lex: Lexicon) -> bool:
    """ "vice president" is not "president": a title word before the title changes it."""
    before = role[: -len(title)].split()
    return bool(before) and before[-1] in lex.title_qualifiers


def _named_person(entry: Entry) -> bool:
    """A person the text names, not an unnamed source."""
    return entry.actor.kind == "person" and not entry.actor.anonymous


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
        """An English person already listed under another form of the name."""
        return same_person(self, key, surface)

    def bare_title(self, key: str) -> str | None:
        """The title a phrase is made of, alone ("the Crown Prince" → "crown prince"), or None."""
        words = [w.rstrip(".") for w in key.split()]
        if words[:1] == ["the"]:
            words = words[1:]
        if not words or any(not is_title_word(w, self.lex) for w in words) or words == ["of"]:
            return None
        return " ".join(words)

    def _titled(self, key: str) -> Entry | None:
        """The one named person the text gives this title: "the Crown Prince" → Abdullah."""
        return title_alone(self, key)

    def _titled_scan(self, title: str) -> Entry | None:
        found: list[Entry] = []
        for entry in self.entries:
            actor = entry.actor
            if not _named_person(entry):
                continue
            role = normalize(actor.role or "")
            if (
                role == title
                or role.endswith(" " + title)
                and not _qualified(role, title, self.lex)
            ):
                found.append(entry)
                continue
            short = short_titles(self.lex, title)
            for form in entry.forms:
                if form.startswith((title + " ", *short)) and core_name(form, self.lex):
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
        """Whether the text writes two full names ending in `surname` (a couple, a family)."""
        return surname_shared(self, surname)

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
        # "كيري" after "جون كيري"; "أبو زيد" after "أحمد أبو زيد" (one word, or two)
        named = surname_alone(self, words) or compound_surname(self, words)
        if named is not None:
            return named
        if "head-first" in self.lex.traits:  # "المصدر", "المتحدث باسم الجيش"
            return self._arabic_antecedent(key, words)
        return self._english_antecedent(key, words)

    def _arabic_antecedent(self, key: str, words: Sequence[str]) -> Entry | None:
        """The actor a definite Arabic head refers to: "المصدر", "الحركة", "المتحدث باسم الجيش"."""
        head = words[0]
        # "المتحدث باسم الجيش" after "متحدث باسم جيش الاحتلال": a linked complement
        linked = len(words) == 3 and words[1] in self.lex.title_links
        if (len(words) <= 2 or linked) and head.startswith("ال") and len(head) > 3:
            return definite_head(self, words, linked) or kind_noun_back(self, key)
        return None

    def _english_antecedent(self, key: str, words: Sequence[str]) -> Entry | None:
        """The actor a short English phrase refers to: "the official", "Mr. Hof", "these people"."""
        lex = self.lex
        content = [
            w for w in words if w not in lex.determiners and w.rstrip(".") not in lex.name_titles
        ]
        if not content or len(content) > 2:
            return None
        found = these_people(self, words, content) or royal_first_name(self, words, content)
        if found is not None:
            return found
        if len(content) == 1 and self._surname_shared(content[-1].capitalize()):
            return None  # "Mrs. Abedini" could be Saeed or Naghmeh Abedini: see `_same_person`
        return short_reference(self, key, words, content)

    def _fuller_name_of(self, key: str, surface: str) -> Entry | None:
        """An earlier short form ("Mr. Putin", "Putin", "كيري") of the full name `key`.

        In Arabic only a person's: "الحركة" ends no name, but a family name may carry the
        article ("المعلم" of "وليد المعلم") where the full name begins undefined.
        """
        words = key.split()
        arabic = "titled-given-names" in self.lex.traits
        if len(words) < 2 or not (arabic or "titled-surnames" in self.lex.traits):
            return None
        # "?": a name with no title is no fuller form of a titled one here ("Ana Brandt"
        # after "Mrs. Brandt"); `_same_person` decides that pair
        gender = title_gender([key], self.lex) or "?"
        titles = self.lex.title_nouns if arabic else self.lex.name_titles
        for entry in reversed(self.entries):
            if entry.actor.kind in ("country", "organization") or entry.actor.anonymous:
                continue
            if arabic and entry.actor.kind != "person":
                continue
            if not arabic and self._apart(entry, words, surface, gender):
                continue  # "Saeed Abedini", "Mr. Abedini": not "Mrs. Abedini" (Naghmeh)
            for form in entry.forms:
                content = [w for w in form.split() if w.rstrip(".") not in titles]
                if (
                    surname_before_full_name(content, words, arabic)
                    or (arabic and first_words_before_all(content, words))
                    or (arabic and title_and_first_name(form, content, words, titles))
                    or (arabic and name_without_middle(content, words))
                ):
                    return entry
        return None

    def _apart(self, entry: Entry, words: Sequence[str], surface: str, gender: str | None) -> bool:
        """Whether the entry is someone else than the English name `words` (titled `gender`):
        a full name of its own, or a title of the other gender ("Mr." against "Mrs.")."""
        if other_gender(entry.forms, gender, self.lex):
            return True
        return other_full_name(self, entry, words, surface)


@rule(
    "actors.surname-alone",
    stage="actors",
    purpose="A person's last name alone refers to the latest person whose full name ends so.",
    example="قال جون كيري إن المحادثات مثمرة. وأضاف كيري أن الاتفاق قريب.",
    off=None,
)
def surname_alone(co: Coreference, words: Sequence[str]) -> Entry | None:
    """ "كيري" after "جون كيري", "Hof" after "Dennis Hof"."""
    if len(words) != 1:
        return None
    for entry in reversed(co.entries):
        if _named_person(entry):
            name = normalize(entry.actor.name).split()
            if len(name) > 1 and surname_matches(name, words[0], co.lex):
                return entry
    return None


@rule(
    "actors.compound-surname",
    stage="actors",
    purpose="A compound family name (أبو زيد, bin Laden) alone refers to the person whose "
    "full name ends with it.",
    example="قال المتحدث أحمد أبو زيد إن الوزير سافر. وأضاف أبو زيد أن الزيارة ناجحة.",
    off=None,
    language="ar",
)
def compound_surname(co: Coreference, words: Sequence[str]) -> Entry | None:
    """ "أبو زيد" after "أحمد أبو زيد": a name link and a name."""
    if len(words) != 2 or words[0] not in co.lex.name_links:
        return None
    for entry in reversed(co.entries):
        name = normalize(entry.actor.name).split()
        if _named_person(entry) and name[-2:] == list(words) and len(name) > 2:
            return entry
    return None


@rule(
    "actors.definite-head-refers-back",
    stage="actors",
    purpose="A definite Arabic head (المصدر, المتحدث باسم الجيش) refers to the latest actor "
    "named with that head.",
    example="وقال مصدر مطلع إن الوفد وصل. وأضاف المصدر أن المحادثات بدأت.",
    off=None,
    language="ar",
)
def definite_head(co: Coreference, words: Sequence[str], linked: bool) -> Entry | None:
    """ "المصدر" after "مصدر مطلع"; "المتحدث باسم الجيش" after "متحدث باسم جيش الاحتلال"."""
    head = words[0]
    bare = head[2:]
    for entry in reversed(co.entries):
        names = " ".join(entry.forms).split()
        # "الشرق الأوسط" is not "الشرق الأدنى آن باترسون": every word counts
        rest = all(w in names or w.removeprefix("ال") in names for w in words[1:])
        if (
            (bare in names or head in names)
            and rest
            or (
                not linked
                and bare in co.lex.source_nouns
                and entry.actor.anonymous
                and same_number(bare, normalize(entry.actor.name).split()[:1], co.lex)
            )
        ):
            return entry
    return None


@rule(
    "actors.source-agrees-in-number",
    stage="actors",
    purpose='"المصدر" refers back to the latest single unnamed source, "المصادر" to the latest '
    "group: a singular and a plural source are two.",
    example="وقالت مصادر مطلعة إن الوفد وصل. وقال مصدر في الميناء إن السفن تأخرت. "
    "وأضافت المصادر أن المحادثات بدأت.",
    off=True,
    language="ar",
)
def same_number(bare: str, head: Sequence[str], lex: Lexicon) -> bool:
    """Whether a source noun and the first word of an earlier source agree in number."""
    first = head[0].removeprefix("ال") if head else ""
    return (bare in lex.group_nouns) == (first in lex.group_nouns)


@rule(
    "actors.kind-noun-refers-back",
    stage="actors",
    purpose="A bare definite kind noun (الحركة, الحزب) refers to the body the text names "
    "after that noun.",
    example="انتهى اجتماع حركة الجهاد الإسلامي أمس. وقال الجهاد الإسلامي إن الهدنة انتهت. "
    "وأضافت الحركة أنها سترد.",
    off=None,
    language="ar",
)
def kind_noun_back(co: Coreference, key: str) -> Entry | None:
    """ "الحركة" is "حماس" where the text says "حركة حماس"."""
    return co._kind_named(key.split()[0][2:]) if kind_noun(key, co.lex) else None


@rule(
    "actors.these-people",
    stage="actors",
    purpose="'these people' refers to the latest group named with that noun.",
    example="People familiar with the talks said on Monday that a deal was near. "
    "These people said the deal would be signed soon.",
    off=None,
    language="en",
)
def these_people(co: Coreference, words: Sequence[str], content: Sequence[str]) -> Entry | None:
    """ "these people" after "people familiar with the talks"."""
    if words[0] not in co.lex.plural_demonstratives or len(content) != 1:
        return None
    for entry in reversed(co.entries):
        if entry.actor.kind == "group" and any(f.split()[:1] == [content[-1]] for f in entry.forms):
            return entry
    return None


@rule(
    "actors.royal-first-name",
    stage="actors",
    purpose="A royal or a sheikh goes by title and first name: 'Prince Abdullah' is the one "
    "prince named Abdullah.",
    example="Crown Prince Abdullah bin Abdul Aziz said on Monday that the talks were useful. "
    "Prince Abdullah added that a deal was near.",
    off=None,
    language="en",
)
def royal_first_name(co: Coreference, words: Sequence[str], content: Sequence[str]) -> Entry | None:
    """ "Prince Abdullah" after "Crown Prince Abdullah bin Abdul Aziz", not the last word."""
    lex = co.lex
    titles = [w for w in words if w not in lex.determiners and w not in content]
    if len(content) != 1 or not titles or not set(titles) <= lex.first_name_titles:
        return None
    found = []
    for entry in co.entries:
        if not _named_person(entry):
            continue
        for form in entry.forms:
            parts = form.split()
            rest = [w for w in parts if not is_title_word(w.rstrip("."), lex)]
            if len(rest) > 1 and rest[0] == content[0] and titles[-1] in parts:
                found.append(entry)
                break
    return found[0] if len(found) == 1 else None


@rule(
    "actors.short-reference",
    stage="actors",
    purpose="A short English phrase ('the official', 'Mr. Hof') refers to the latest actor "
    "a form of which ends in its last word.",
    example="A senior official said on Monday that talks would resume. "
    "The official added that a deal was near.",
    off=None,
    language="en",
)
def short_reference(
    co: Coreference, key: str, words: Sequence[str], content: Sequence[str]
) -> Entry | None:
    """ "the official" after "a senior official"; "Mr. Hof" after "Dennis Hof"."""
    lex = co.lex
    last = content[-1]
    definite = words[0] in lex.definite_determiners
    gender = title_gender({key}, lex)
    for entry in reversed(co.entries):
        if other_gender(entry.forms, gender, lex):
            continue  # "Mrs. Abedini" is not the "Mr. Abedini" named last
        for form in entry.forms:
            tail = form.split()[-1] if form.split() else ""
            if last == tail and (definite or len(content) == 1 or words[0] in lex.name_titles):
                return entry
    return None


@rule(
    "actors.gender-by-title",
    stage="actors",
    purpose="A name titled Mrs. is not the person titled Mr. (and the other way round).",
    example="Mr. Abedini said on Monday that he was tired. "
    "Mrs. Abedini said on Tuesday that she was afraid.",
    off=False,
    language="en",
)
def other_gender(forms: Iterable[str], gender: str | None, lex: Lexicon) -> bool:
    """Whether a title of the other gender opens one of the entry's forms."""
    return gender is not None and title_gender(forms, lex) not in (None, gender)


@rule(
    "actors.shared-surname",
    stage="actors",
    purpose="Where two full names share a surname, the surname alone is left undecided "
    "rather than given to the first.",
    example="Saeed Abedini said on Monday that he was tired. Naghmeh Abedini said on "
    "Tuesday that the letters stopped. Mrs. Abedini added that she was afraid.",
    off=False,
    language="en",
)
def surname_shared(co: Coreference, surname: str) -> bool:
    """ "Abedini" where the text names Saeed and Naghmeh Abedini: either of them.

    A surname alone then names either of them: `_same_person` leaves it to the
    coreference that reads titles, not to whichever full name came first.
    """
    if not re.fullmatch(r"[A-Z][\w'’-]+", surname):
        return False
    if surname not in co._shared_seen:
        given = re.findall(rf"\b([A-Z][a-z]+) {re.escape(surname)}\b", co.text)
        firsts = {g for g in given if not is_title_word(g.lower(), co.lex)}
        co._shared_seen[surname] = len(firsts) >= 2
    return co._shared_seen[surname]


@rule(
    "actors.same-person-without-titles",
    stage="actors",
    purpose="English forms of one name with or without titles ('Secretary of State John "
    "Kerry', 'John Kerry') are one person.",
    example="Secretary of State John Kerry arrived on Monday. "
    "Deputy Secretary of State John Kerry said the talks were useful.",
    off=None,
    language="en",
)
def same_person(co: Coreference, key: str, surface: str) -> Entry | None:
    """An English person already listed under another form of the name.

    A small model lists "John Kerry", "Secretary of State John Kerry" and "Mr.
    Kerry" as three actors; without their titles they are one name, or a surname
    of it, and one actor.
    """
    lex = co.lex
    core = core_name(key, lex)
    if not core:
        return None
    if len(core) == 1 and co._surname_shared(surface.split()[-1]):
        return None  # "Mrs. Abedini" with "Saeed Abedini" and "Naghmeh Abedini" in the text
    gender = title_gender([key], lex)
    for entry in co.entries:
        if not _named_person(entry) or co._apart(entry, core, surface, gender):
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


@rule(
    "actors.title-alone",
    stage="actors",
    purpose="A title alone ('the Crown Prince') is the one named person the text gives that title.",
    example="Crown Prince Abdullah bin Abdul Aziz arrived on Monday. "
    "The Crown Prince said the talks were useful.",
    off=None,
    language="en",
)
def title_alone(co: Coreference, key: str) -> Entry | None:
    """ "the Crown Prince" → Abdullah.

    A story names "Crown Prince Abdullah bin Abdul Aziz" once, then says "the
    Crown Prince"; the title alone is that person when exactly one person is so
    titled, by role or with the title written before a form of the name.
    """
    title = co.bare_title(key) or modified_title(co.lex, key)
    if title is None:
        return None
    seen = (title, len(co.entries))  # a text saying "the President" 1,000 times: one scan
    if seen not in co._titled_seen:
        co._titled_seen[seen] = co._titled_scan(title)
    return co._titled_seen[seen]


@rule(
    "actors.other-full-name",
    stage="actors",
    purpose="Two full English names that share only the surname are two people, never one actor.",
    example="Saeed Abedini said on Monday that he was tired. Abedini added that the food "
    "was bad. Naghmeh Abedini said on Tuesday that she was afraid.",
    off=False,
    language="en",
)
def other_full_name(co: Coreference, entry: Entry, words: Sequence[str], surface: str) -> bool:
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
        other = core_name(form, co.lex)
        if (
            len(other) >= 2
            and other[-1] == words[-1]
            and other != list(words)
            and not (skips_middle(other, words) or ends_with(other, words))
        ):
            return True
    return False


@rule(
    "actors.surname-before-full-name",
    stage="actors",
    purpose="A full name after its surname alone ('كيري' … 'جون كيري') is the same person.",
    example="قال كيري إن المحادثات مثمرة. وأكد جون كيري أن الاتفاق قريب.",
    off=False,
)
def surname_before_full_name(content: Sequence[str], words: Sequence[str], arabic: bool) -> bool:
    """An earlier form that is the full name's last word: "Mr. Putin", "كيري".

    Not in Arabic where the full name opens with the article: "الحركة" ends no name.
    """
    return (
        len(content) == 1 and content[0] == words[-1] and not (arabic and words[0].startswith("ال"))
    )


@rule(
    "actors.first-words-then-all",
    stage="actors",
    purpose="Arabic gives a name's first words and later the whole: two words or more that "
    "begin the name are the same person.",
    example="وقال الوزير يوسف بن علوي إن المحادثات مثمرة. وأكد يوسف بن علوي عبد الله أن "
    "الاتفاق قريب.",
    off=False,
    language="ar",
)
def first_words_before_all(content: Sequence[str], words: Sequence[str]) -> bool:
    """ "يوسف بن علوي" … "يوسف بن علوي عبد الله"."""
    n = min(len(content), len(words))
    return n >= 2 and len(content) != len(words) and list(words[:n]) == list(content[:n])


@rule(
    "actors.title-and-first-name",
    stage="actors",
    purpose="An Arabic title and one name ('الرئيس مون') is the person whose full name "
    "begins with that name.",
    example="وقال الرئيس مون إن المحادثات مثمرة. وأكد مون جاي إن أن الاتفاق قريب.",
    off=False,
    language="ar",
)
def title_and_first_name(
    form: str, content: Sequence[str], words: Sequence[str], titles: frozenset[str]
) -> bool:
    """ "الرئيس مون" then "مون جاي إن": a title and the name's first word."""
    return list(content) == list(words[:1]) and len(form.split()) == 2 and form.split()[0] in titles


@rule(
    "actors.name-without-middle",
    stage="actors",
    purpose="An Arabic name less its middle names is the same person as the full name.",
    example="وقال الوزير محمد ظريف إن المحادثات مثمرة. وأكد محمد جواد ظريف أن الاتفاق قريب.",
    off=False,
    language="ar",
)
def name_without_middle(content: Sequence[str], words: Sequence[str]) -> bool:
    """ "محمد ظريف" is "محمد جواد ظريف"."""
    n = min(len(content), len(words))
    return n >= 2 and skips_middle(words, content)
