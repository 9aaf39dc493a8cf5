"""Text normalization from RECORDS.md §3, shared by grounding and scoring.

One function does the folding so that the scorer and the grounder can never
disagree about what "the same text" means. `normalize_with_map` also returns,
for every normalized character, the offset of the input character it came
from: grounding searches the normalized text and reports original offsets.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_DIACRITICS = {chr(c) for c in range(0x064B, 0x0653)} | {"\u0670"}
_TATWEEL = "\u0640"
# Zero-width and format characters that change no word: a zero-width space, word
# joiner or BOM inside "Has\u200bsan" (pasted from the web) would make two names of
# one. ZWNJ/ZWJ only steer the shaping of Arabic letters; a Persian ZWNJ marks a
# morpheme break, and its word matches without it too. Folding drops them for
# matching only: the input, and every span into it, keeps them.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_LETTER_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Extended (Persian) digits
    }
)


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    out = []
    for c in unicodedata.normalize("NFKC", ch).casefold():
        if c in _DIACRITICS or c == _TATWEEL or c in _INVISIBLE:
            continue
        out.append(c.translate(_LETTER_FOLD))
    return "".join(out)


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Normalize `text`; return it with a map from each output char to its input offset.

    Whitespace runs collapse to one space and the result is stripped, so the map
    is what lets a match in normalized text be reported as an input span.
    """
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        for c in folded:
            if c.isspace():
                if not chars or chars[-1] == " ":
                    continue
                c = " "
            chars.append(c)
            index.append(i)
    if chars and chars[-1] == " ":
        chars.pop()
        index.pop()
    return "".join(chars), index


def normalize(text: str) -> str:
    """The spec's normalization: NFKC, casefold, whitespace, Arabic letter folding
    (and zero-width characters dropped).

    Short strings (words, names: the cue stages normalize every token) are remembered,
    since a text repeats its words; long ones are folded each time.
    """
    if len(text) <= _SHORT:
        return _normalize_short(text)
    return normalize_with_map(text)[0]


_SHORT = 64


@lru_cache(maxsize=65536)
def _normalize_short(text: str) -> str:
    return normalize_with_map(text)[0]
