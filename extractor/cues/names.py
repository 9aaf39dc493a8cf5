"""The shape of a name: how an actor's mention is compared, and where a name ends.

Helpers every actor stage shares, over the language pack's word lists: a mention's
key ("#الجهاد_الاسلامي" is "الجهاد الاسلامي"), an English name without its titles,
the name at the end of a titled phrase ("State Department spokesman Charles Redman",
"الرئيس التركي رجب طيب أردوغان"), and the gender a title gives it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

from ..lang.lexicon import Lexicon, load_lexicon
from ..models import Span
from ..text.normalize import normalize
from .rulebook import rule

# Names stay whole when their letters are decomposed ("José" as "Jose" + U+0301) or
# when the text was decoded with the wrong charset ("PeÃ±a" for "Peña", "Ã" itself
# maybe decomposed): a UTF-8 letter read as Latin-1 is "Ã"/"Â" and a sign of U+0080–U+00BF
_MOJIBAKE = "(?:[ÃÂ]|A\u0303|A\u0302)[\u0080-\u00bf]"


@cache
def name_word(articles: tuple[str, ...]) -> re.Pattern[str]:
    """A capitalized word, an initial, or an Arabic name with its article ("al-Assad"),
    `articles` as the language writes them before a capital."""
    article = "|".join(map(re.escape, articles))
    opening = rf"(?:[A-Z]|(?:{article})-[A-Z])" if articles else "[A-Z]"
    return re.compile(rf"{opening}(?:{_MOJIBAKE}|[\w\u0300-\u036f'’.-])*$|[A-Z]\.$")


def actor_key(surface: str) -> str:
    """How an actor's mention is compared: normalized, a hashtag read as its words.

    "حركة #الجهاد_الاسلامي" and "حركة الجهاد الإسلامي" are one movement; news sites
    write names as hashtags in running text.
    """
    return " ".join(normalize(surface).replace("#", " ").replace("_", " ").split())


def after_definite(text: str, span: Span, lex: Lexicon) -> Span:
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
    if lead == 0 or len(rest) < 2 or rest[0] in lex.name_links:
        return span
    pairs = zip(rest, rest[1:], strict=False)
    if any(w.startswith("ال") and prev not in lex.name_links for prev, w in pairs):
        return span  # "السيد حسن نصر الله", "الطلب إهانة": not a title's complement
    return span[0] + words[lead].start(), span[1]


def trimmed(name: str) -> str:
    """A model's name without an unclosed aside or a possessive: "Joseph Crowley (D-N.Y",
    "Putin’s"."""
    if "(" in name and ")" not in name:
        name = name[: name.index("(")]
    name = name.strip()
    for mark in ("’s", "'s"):
        if name.endswith(mark) and len(name) > len(mark) + 1:
            name = name[: -len(mark)]
    return name


def skips_middle(a: Sequence[str], b: Sequence[str]) -> bool:
    """One name is the other less middle names: same first and last word, in order."""
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if len(short) < 2 or len(short) == len(long) or short[0] != long[0] or short[-1] != long[-1]:
        return False
    rest = iter(long[1:-1])
    return all(w in rest for w in short[1:-1])


def ends_with(a: Sequence[str], b: Sequence[str]) -> bool:
    """One word list ends with the other."""
    n = min(len(a), len(b))
    return list(a[-n:]) == list(b[-n:])


def title_gender(forms: Iterable[str], lex: Lexicon) -> str | None:
    """ "f" or "m" where one of a person's forms opens with a gendered title ("Mrs")."""
    for form in forms:
        title = form.split()[0].rstrip(".") if form.split() else ""
        if title in lex.female_titles:
            return "f"
        if title in lex.male_titles:
            return "m"
    return None


def is_nisba(word: str, lex: Lexicon) -> bool:
    """A relational adjective: "اليمني", "الأميركية", "الدوليون" (normalized ة → ه)."""
    return word.endswith(lex.nisba_endings)


def is_title_word(word: str, lex: Lexicon) -> bool:
    """A word of an English title: "Mr", "President", and "foreign", "of" in longer ones."""
    return word in lex.name_titles or word in lex.title_words


def core_name(key: str, lex: Lexicon) -> list[str]:
    """A normalized English name without leading titles or a possessive: its name words."""
    words = [w.removesuffix("'s").removesuffix("’s").rstrip(".") for w in key.split()]
    while words and is_title_word(words[0], lex):
        words.pop(0)
    return words


def name_tail(phrase: str, lex: Lexicon | None = None) -> tuple[str | None, Span] | None:
    """(role, span of the name in the phrase) when an English phrase ends in a name after its title.

    "State Department spokesman Charles Redman", "The BBC's Paul Reynolds": a lower-case
    word or a possessive, then two or more capitalized words, which are the name.
    Without `lex`, the English pack's (a name's shape is English here).
    """
    lex = lex or load_lexicon("en")
    connectors, name = lex.name_connectors, name_word(lex.name_articles)
    words = list(re.finditer(r"\S+", phrase))
    cut = None
    for k, m in enumerate(words[:-2]):
        w = m.group()
        if (w[:1].islower() and w not in connectors) or w.endswith(("'s", "’s")):
            cut = k
    if cut is None:
        return None
    tail = words[cut + 1 :]
    if not all(name.match(m.group().strip(",")) or m.group() in connectors for m in tail):
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
        m = _past_complement(folded, k + 1, lex)
        rest = folded[m:]
        if (
            len(rest) < 2
            or rest[0] in lex.title_links  # "متحدث باسم …": a preposition, no name
            or rest[0].startswith(lex.definite_clitics)
            or any(w.removeprefix("و") in lex.title_nouns | lex.source_nouns for w in rest)
            or any(ch.isdigit() for w in rest for ch in w)
            or any(w in lex.speaker_stops for w in rest)
        ):
            return None
        role = phrase[: words[m].start()].strip(" ،,")
        return role or None, (words[m].start(), len(phrase))
    return None


@rule(
    "actors.title-complement-before-name",
    stage="actors",
    language="ar",
    purpose='"المتحدثة باسم الخارجية هيذر ناورت", "رئيس كوريا الجنوبية مون جيه": the '
    "title's complement (a link word, a noun and its adjective) is the role, the two or "
    "more words after it the name",
    example="وقال رئيس غينيا الاستوائية عمر حداد إن الميناء سيغلق.",
    off=None,
)
def _complement_end(folded: Sequence[str], m: int, lex: Lexicon) -> int | None:
    """Where a title's complement that starts at word m ends, or None without one."""
    n = m + 1 if m < len(folded) and folded[m] in lex.title_links else m
    if n >= len(folded) or n + 1 >= len(folded):
        return None
    if not folded[n].startswith("ال"):
        # "كوريا الجنوبية", "وزارة الخارجية": a noun with its definite complement
        if not folded[n + 1].startswith("ال") or not (
            n > m or is_nisba(folded[n + 1], lex) or folded[n] in lex.organization_nouns
        ):
            return None
        n += 1
    elif n == m:
        return None
    while n < len(folded) and folded[n].startswith("ال"):
        n += 1
    return n if len(folded) - n >= 2 else None


def _past_complement(folded: Sequence[str], m: int, lex: Lexicon) -> int:
    """The first word after a title's definite adjectives and its complements (from word m)."""
    while m < len(folded) and folded[m].startswith("ال"):
        m += 1
    end = _complement_end(folded, m, lex)
    while end is not None and end > m:
        m = end
        end = _complement_end(folded, m, lex)
    return m


def unwrap(text: str, span: Span) -> Span:
    """A name as written, without quotation marks around it («رويترز» → رويترز); a
    mark that closes a name quoted inside it stays ("وكالة «رويترز»")."""
    start, end = span
    while start < end and text[start] in "«“\"'„‹":
        start += 1
    while end > start and text[end - 1] in "»”\"'›" and not _closes_inside(text[start:end]):
        end -= 1
    return start, end


@rule(
    "actors.short-title",
    stage="actors",
    language="en",
    purpose='"Sen. Tomas Pell" … "the senator": a title written short ("Sen.", "Gov.") is the '
    "title in full when a title alone looks for its holder",
    example="Sen. Tomas Pell spoke in the port on Monday. The senator said the port is safe.",
    off=(),
)
def short_titles(lex: Lexicon, title: str) -> tuple[str, ...]:
    """How a name opens with `title` written short: "sen. ", "sen "."""
    shorts = [short for short, full in lex.title_abbreviations if full == title]
    return tuple(f"{short}. " for short in shorts) + tuple(f"{short} " for short in shorts)


@rule(
    "actors.modified-title",
    stage="actors",
    language="en",
    purpose='"the Vermont senator" after "Senator Tomas Pell": one modifier before a title '
    "alone still names its one holder",
    example="Senator Tomas Pell spoke in the port on Monday. The Vermont senator said the port "
    "is safe.",
    off=None,
)
def modified_title(lex: Lexicon, key: str) -> str | None:
    """The title of "the Vermont senator": one word before a title, itself no title word."""
    words = [w.rstrip(".") for w in key.split()]
    words = words[1:] if words[:1] == ["the"] else words
    if len(words) != 2:
        return None
    modifier, title = words
    if is_title_word(modifier, lex) or modifier in lex.noun_openers:
        return None
    return title if is_title_word(title, lex) else None


def _closes_inside(name: str) -> bool:
    """Whether the closing mark ending `name` closes one opened inside it, after its start."""
    return name[-1] == "»" and name.count("«") >= name.count("»") and not name.startswith("«")


@rule(
    "actors.surname-spelled-otherwise",
    stage="actors",
    language="ar",
    purpose="A foreign surname alone, spelled with another letter for one sound (غ/ج: "
    "'موراغ', 'موراج'), refers to the latest person whose full name ends with it",
    example="قال الباحث أوليفر ستارج إن المحادثات مثمرة. وأضاف ستارغ أن الاتفاق قريب.",
    off=False,
)
def spelled_alike(a: str, b: str, lex: Lexicon) -> bool:
    """Whether two words differ only by letters of one group of the pack's
    `letter_variants`, in words of four letters or more."""
    if len(a) != len(b) or len(a) < 4:
        return False
    for group in lex.letter_variants:
        a, b = (w.translate({ord(c): group[0] for c in group}) for w in (a, b))
    return a == b


@rule(
    "actors.family-name-first",
    stage="actors",
    purpose="A name whose given name is hyphenated ('مون جيه-إن', 'Moon Jae-in') puts the "
    "family name first: that word alone refers to the person",
    example="قال الرئيس الكوري مون جيه-إن إن المحادثات مثمرة. وأضاف مون أن الاتفاق قريب.",
    off=False,
)
def family_name_first(name: Sequence[str], word: str) -> bool:
    return len(name) == 2 and name[0] == word and "-" in name[1].strip("-")


def surname_matches(name: Sequence[str], word: str, lex: Lexicon) -> bool:
    """Whether `word` alone is the family name of the full `name` (its words, normalized)."""
    return name[-1] == word or spelled_alike(name[-1], word, lex) or family_name_first(name, word)
