"""Words of a sentence and the shapes the cue stages read in them — code only.

A `Token` is a word with its edge punctuation split off, so a rule can ask where a
quotation opens («), where a clause ends (، ,) and what the word is, normalized.
The word tests here (a verb with its clitics, a nisba adjective, a relay prefix, a
quoted name) are shared by the speech, actor and meeting stages.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..lang.lexicon import CLOSE_QUOTES, OPEN_QUOTES, Lexicon
from ..text.normalize import normalize

_EDGE = "\"'“”‘’«»„‹›()[]{}<>،,.;:!?؟؛…-–—|/\\*"
_CLAUSE_END = (",", "،", ";", "؛", ":", "—", "–", "(", ")")


@dataclass(frozen=True)
class Token:
    start: int  # of the word without edge punctuation, in input offsets
    end: int
    word: str  # normalized
    before: str  # punctuation stuck to its left ("«", '"')
    after: str  # punctuation stuck to its right (",", '."', ":")


def tokens(text: str, start: int, end: int) -> list[Token]:
    """Words of text[start:end] with their edge punctuation split off."""
    out = []
    for m in re.finditer(r"\S+", text[start:end]):
        word = m.group()
        # "إسرائيلي:قوله": a colon between letters, its space lost, still ends a word
        cuts = [
            k + 1
            for k in range(1, len(word) - 1)
            if word[k] == ":" and word[k - 1].isalpha() and word[k + 1].isalpha()
        ]
        bounds = [0, *cuts, len(word)]
        for lo, hi in itertools.pairwise(bounds):
            raw = word[lo:hi]
            core = raw.strip(_EDGE)
            if not core:
                continue
            lead = raw.index(core)
            s = start + m.start() + lo + lead
            out.append(
                Token(s, s + len(core), normalize(core), raw[:lead], raw[lead + len(core) :])
            )
    return out


def is_verb(word: str, lex: Lexicon, verbs: frozenset[str]) -> bool:
    """`word` is one of `verbs`, possibly with the clitics و/ف and the future س (Arabic)."""
    if word in verbs:
        return True
    if "clitics" not in lex.traits:
        return False
    for prefix in ("و", "ف"):
        if word.startswith(prefix) and word[1:] in verbs:
            return True
    if word[:1] == "ل" and word[1:2] in ("ي", "ت") and word[1:] in verbs:
        return True  # "ليقول: «…»", "ليؤكد أن": a present verb after لام, going on
    rest = word[1:] if word[:1] in ("و", "ف") else word
    return rest.startswith("س") and rest[1:] in verbs


def with_object(word: str, lex: Lexicon, verbs: frozenset[str]) -> bool:
    """`word` is one of `verbs` with an object pronoun ("قاله", "أكدته"): a suffix of the
    lexicon's `object_suffixes` (Arabic; a language without them has no such verb)."""
    return any(
        word.endswith(end) and len(word) - len(end) >= 3 and is_verb(word[: -len(end)], lex, verbs)
        for end in lex.object_suffixes
    )


def is_nisba(word: str) -> bool:
    """A relational adjective: "اليمني", "الأميركية", "الدوليون" (normalized ة → ه)."""
    return word.endswith(("ي", "يه", "يون", "يين", "يان", "يتان", "يتين"))


def starts_quote(t: Token) -> bool:
    """A quotation mark opens at this word: a quotation, or a quoted name, starts here."""
    return any(q in t.before for q in OPEN_QUOTES)


def wrapped(t: Token) -> bool:
    """A name inside quotation marks («رويترز»), not the start of a quotation."""
    return starts_quote(t) and any(q in t.after for q in CLOSE_QUOTES)


def quoted_name(toks: Sequence[Token], j: int, max_words: int = 4) -> int | None:
    """The last token of a short quoted name opening at j («أحرار الشام»), if it is one.

    A quotation runs on or ends its sentence; a quoted name closes within a few words,
    with no comma or full stop inside, and the sentence goes on after it. Arabic
    papers quote names so; in English a short quotation ('said "yes" and left') would
    look the same, so only Arabic reads it as a name.
    """
    if not starts_quote(toks[j]):
        return None
    for k in range(j, min(j + max_words, len(toks))):
        t = toks[k]
        if any(q in t.after for q in CLOSE_QUOTES):
            rest = t.after.strip("".join(CLOSE_QUOTES))
            return k if k + 1 < len(toks) and not rest else None
        if t.after.strip():
            return None
    return None


def ends_clause(t: Token) -> bool:
    """Punctuation after the word closes its clause: no phrase runs on past it."""
    return any(p in t.after for p in _CLAUSE_END)


def is_relay(t: Token, lex: Lexicon) -> bool:
    """A word opened by a relay prefix ("لـ«رويترز»"): the medium told, not the speaker."""
    raw = t.before + t.word
    return any(raw.startswith(p) for p in lex.relay_prefixes) or (
        t.word.startswith("ل") and t.before.startswith("«")
    )


CALENDAR = frozenset(  # English day and month names: dates, never names
    [
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
    ]
)
