"""Countries and blocs of the gazetteer as the text mentions them ("قطر", "القطري", "US").

Found by the gazetteer's forms alone, in reading order; the actor of a place is then
named by the form the gazetteer lists first among those the text uses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from ..lang.gazetteer import Gazetteer, Place
from ..lang.lexicon import Lexicon, load_lexicon
from ..models import Actor, Span
from ..text.normalize import normalize
from ..text.segment import Segment
from .names import is_nisba
from .rulebook import rule
from .tokens import tokens


@cache
def _arabic_heads(
    gazetteer: Gazetteer, clitics: frozenset[str], conjunctions: frozenset[str]
) -> dict[str, list[tuple[list[str], Place]]]:
    """Each written first word (with its clitics) → the forms it can start, longest first.

    One dictionary look-up per token instead of a pass over every form: the cost of
    finding places stays linear in the text. `clitics` go before a form ("وقطر",
    "فبالسعودية"), `conjunctions` before its article turned ل ("وللسعودية").
    """
    forms = [(normalize(f).split(), p) for p in gazetteer.places for f in p.forms]
    forms.sort(key=lambda fp: len(fp[0]), reverse=True)
    heads: dict[str, list[tuple[list[str], Place]]] = {}
    for words, place in forms:
        variants = {c + words[0] for c in ("", *clitics)}
        if words[0].startswith("ال"):
            variants |= {c + "ل" + words[0][1:] for c in ("", *conjunctions)}  # للسعودية
        for variant in variants:
            heads.setdefault(variant, []).append((words, place))
    return heads


@cache
def _cased_patterns(gazetteer: Gazetteer) -> list[tuple[str, re.Pattern[str], Place]]:
    """Each form of a letter-case language with its word-bounded pattern, compiled once
    (a pattern per form per article overflowed `re`'s cache and was recompiled)."""
    return [
        (form, re.compile(rf"(?<![\w.]){re.escape(form)}(?![\w])"), place)
        for place in gazetteer.places
        for form in place.forms
    ]


def place_mentions(
    text: str, segment: Segment, gazetteer: Gazetteer, lex: Lexicon | None = None
) -> list[tuple[Span, Place]]:
    """Every word-bounded mention of a country or bloc in the segment, in reading order.

    English forms match case-sensitively ("US", never "us"); Arabic forms match whole
    words after normalization, with the clitics و ب ل ف ك fused in front ("وقطر",
    "للسعودية"), as the language's pack (`lex`, by default its own) lists them.
    """
    out: list[tuple[Span, Place]] = []
    chunk = text[segment.start : segment.end]
    lex = lex or load_lexicon(gazetteer.language)
    if "letter-case" in lex.traits:
        found = [
            ((segment.start + m.start(), segment.start + m.end()), place)
            for form, pattern, place in _cased_patterns(gazetteer)
            if form in chunk  # a substring test first: most forms are not in an article
            for m in pattern.finditer(chunk)
        ]
        reach = -1  # the end of the last form taken
        for span, place in sorted(found, key=lambda sp: (sp[0][0], -sp[0][1])):
            if not within_longer(span, reach):
                out.append((span, place))
                reach = span[1]
    else:
        toks = tokens(text, segment.start, segment.end)
        heads = _arabic_heads(gazetteer, lex.place_clitics, lex.conjunction_letters)
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


_CREDIT_MARK = re.compile(r"\([^)\n]{1,30}\)\s*[-–—]+|(?<=\s)[-–—]+(?=\s)")
_BULLETS = " \t*•▪◦·"
DATELINE_WORDS = 5  # "أتلانتا، الولايات المتحدة الأمريكية (CNN) --": a place, never a clause
DATELINE_REACH = 200  # characters: five words of place and their marks fit well inside


@rule(
    "actors.dateline-place",
    stage="actors",
    purpose="The place of a dateline or credit line ('VIENNA (Agency) -', 'CITY - Outlet') "
    "says where the story was filed: it is no mention of an actor.",
    example="مسقط - «الوكالة»: قال وزير الخارجية سامر الحداد إن الميناء سيفتح.",
    off=False,
)
def in_dateline(text: str, span: Span) -> bool:
    """Is the place at `span` the dateline of its line, or a short credit line's place?

    A dateline opens a line with a few words of place, then a dash, an outlet in
    brackets and a dash, or the date ("CITY, COUNTRY (Outlet) –", "CITY - Outlet",
    "CITY 25 …"); a credit line is a line of five words at most with a dash or a
    colon ("Outlet - CITY", "CITY: Author"). Either says where the story was filed,
    not who is in it.
    """
    start = text.rfind("\n", 0, span[0]) + 1
    if span[0] - start > DATELINE_REACH:
        return False  # past a dateline's few words: read no further (a long line stays linear)
    end = text.find("\n", span[1], start + 2 * DATELINE_REACH)
    line = text[start : start + 2 * DATELINE_REACH if end == -1 else end]
    short = end != -1 or len(text) <= start + 2 * DATELINE_REACH
    if short and len(line.split()) <= DATELINE_WORDS and re.search(r"(?<=\s)[-–—]+(?=\s)|:", line):
        return True
    lead = len(line) - len(line.lstrip(_BULLETS))
    head = line[lead:]
    offset = start + lead
    if span[0] < offset:
        return False
    if head[span[1] - offset :].lstrip()[:1].isdigit():
        return span[0] == offset  # "CITY 25 …": the date right after the line's first place
    mark = _CREDIT_MARK.search(head, span[1] - offset)
    return mark is not None and len(head[: mark.start()].split()) <= DATELINE_WORDS


CREDIT_LINE_WORDS = 6  # "المصدر: CNN Arabic", "Reporting by Jane Doe; Editing by X"


def credit_line(text: str, span: Span, lex: Lexicon) -> bool:
    """Is `span` on a short line that opens with a credit label and a colon ("Source:")?"""
    start = text.rfind("\n", 0, span[0]) + 1
    end = text.find("\n", span[1])
    line = text[start : len(text) if end == -1 else end].strip()
    label, colon, _ = line.partition(":")
    if not colon or len(line.split()) > CREDIT_LINE_WORDS:
        return False
    return normalize(label.strip()) in lex.credit_labels


@rule(
    "actors.country-only-an-adjective",
    stage="actors",
    purpose="A country only ever written as the adjective of another noun ('الأزمة السورية') "
    "qualifies that noun; it is no actor unless it speaks, meets or has members.",
    example="وقال سامر الحداد إن الأزمة السورية طويلة.",
    off=False,
)
def only_adjective(mentions: Sequence[Span], text: str, place: Place, lex: Lexicon) -> bool:
    """Every mention is a demonym form by a noun it qualifies.

    The place's first listed form is its name ("السعودية", though shaped like an
    adjective); its other forms with an adjective's ending are the adjective.
    """
    name = normalize(place.forms[0]) if place.forms else ""
    for start, end in mentions:
        word = normalize(text[start:end])
        if word == name or " " in word or not is_nisba(word, lex):
            return False
        if not _qualifies(text, (start, end), lex):
            return False
    return bool(mentions)


def _qualifies(text: str, span: Span, lex: Lexicon) -> bool:
    """The adjective stands by a noun: after it where phrases open with their head
    ("الأزمة السورية"), before a lower-case one elsewhere ("British officials")."""
    if "head-first" in lex.traits:
        before = text[max(0, span[0] - 24) : span[0]].split()
        return bool(before) and before[-1].isalpha()
    after = text[span[1] : span[1] + 24].split()
    word = after[0].rstrip(",.;:") if after else ""
    return word.isalpha() and word.islower()


@rule(
    "actors.longest-place-form",
    stage="actors",
    purpose="Of two forms of the gazetteer at one place, the longest wins: 'South Sudan' "
    "is not Sudan.",
    example="South Sudan said on Monday that the border would open.",
    off=False,
    language="en",
)
def within_longer(span: Span, reach: int) -> bool:
    """A form that starts inside the longer one taken before it ("Sudan" of "South Sudan")."""
    return span[0] < reach


@rule(
    "actors.country-by-its-first-form",
    stage="actors",
    purpose="A country is named by the first form the gazetteer lists among those the "
    "text uses, not by an adjective.",
    example="وقال الوزير القطري إن قطر تدعم الحوار.",
    off=None,
)
def canonical_name(actor: Actor, place: Place) -> None:
    """Name a country by its first listed form the text uses ("قطر" over "القطري")."""
    written = [actor.name, *actor.aliases]
    order = {normalize(f): k for k, f in enumerate(place.forms)}
    best = min(written, key=lambda w: order.get(normalize(w), len(order)))
    if best != actor.name:
        actor.aliases = [w for w in written if w != best]
        actor.name = best


def place_of(key: str, places: dict[str, Place], lex: Lexicon) -> Place | None:
    """The place a phrase names with more words than the gazetteer's form, if any.

    "الولايات المتحدة الأميركية": a country with its own adjective; "The Russians": the
    demonym with its article; "نفت إسرائيل التوصل إلى تهدئة" → "إسرائيل التوصل": the
    verb's object run on in verb–subject order.
    """
    words = key.split()
    place = the_demonym(words, places, lex)
    if place is not None:
        return place
    for cut in range(len(words) - 1, 0, -1):
        place = places.get(" ".join(words[:cut]))
        if place is None:
            continue
        rest = words[cut:]
        if own_adjective(rest, place, places) or object_after_country(rest, lex):
            return place
    return None


@rule(
    "actors.the-demonym",
    stage="actors",
    purpose="'The Russians' is the country, as 'Russians' is: the article does not make "
    "another actor.",
    example="The Russians said on Monday that the talks would resume.",
    off=None,
    language="en",
)
def the_demonym(words: Sequence[str], places: dict[str, Place], lex: Lexicon) -> Place | None:
    """ "The Russians have used …": the demonym is the country."""
    if "article-word" in lex.traits and len(words) >= 2 and words[0] == "the":
        return places.get(" ".join(words[1:]))
    return None


@rule(
    "actors.country-with-its-adjective",
    stage="actors",
    purpose="A country's name followed by its own adjective is the country.",
    example="وقالت الولايات المتحدة الأميركية إن العقوبات ستستمر.",
    off=False,
)
def own_adjective(rest: Sequence[str], place: Place, places: dict[str, Place]) -> bool:
    """ "الولايات المتحدة الأميركية": every word after the name is a form of the place."""
    return all(places.get(w) is place for w in rest)


@rule(
    "actors.country-before-its-object",
    stage="actors",
    purpose="In verb–subject order a definite noun after a country's name is the verb's "
    "object, no part of the name.",
    example="ونفت إسرائيل التوصل إلى تهدئة مع الفصائل.",
    off=False,
    language="ar",
)
def object_after_country(rest: Sequence[str], lex: Lexicon) -> bool:
    """ "نفت إسرائيل التوصل" → Israel: one definite word, not an adjective."""
    return (
        "clitics" in lex.traits
        and len(rest) == 1
        and rest[0].startswith("ال")
        and not is_nisba(rest[0], lex)
    )
