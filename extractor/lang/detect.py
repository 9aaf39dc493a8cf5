"""Which language a text is in: its script, then, for Latin script, its function words.

Detection decides which language pack reads a text; a text in a language with no
pack gets no cue rules of another language. Latin-script languages share letters
but not their commonest words ("the", "le", "der", "yang"), so a small profile of
function words per language (`function_words.json`) tells them apart.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from ..errors import ConfigError

_ARABIC = re.compile(r"[\u0600-\u06FF]")
_LATIN = re.compile(r"[A-Za-z]")
_SCRIPTS = {
    "ru": re.compile(r"[\u0400-\u04FF]"),
    "he": re.compile(r"[\u0590-\u05FF]"),
    "zh": re.compile(r"[\u4E00-\u9FFF]"),
}
_WORD = re.compile(r"[^\W\d_]+")
_PROFILES = Path(__file__).resolve().parent / "function_words.json"
# Another Latin-script language wins only with this many different words of its own,
# and more words than English: a line of names ("Lula da Silva", "de Mistura") stays
# English.
_MIN_WORDS = 3


@cache
def _function_words() -> dict[str, frozenset[str]]:
    """Each Latin-script language's function words, English first."""
    try:
        data = json.loads(_PROFILES.read_bytes())
        words = {code: frozenset(data[code]) for code in data if code != "about"}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"function words {_PROFILES} cannot be read: {exc}") from exc
    return {"en": words.pop("en"), **words}


def latin_language(text: str) -> str:
    """The Latin-script language whose function words cover most of the words of `text`.

    English on a tie, and unless the other language has `_MIN_WORDS` different words.
    """
    tokens = _WORD.findall(text.lower())
    profiles = _function_words()
    scores = {code: sum(t in words for t in tokens) for code, words in profiles.items()}
    best = max(scores, key=lambda code: scores[code])  # the first, English, on a tie
    return best if len(profiles[best].intersection(tokens)) >= _MIN_WORDS else "en"


def detect_language(text: str) -> str:
    """ISO 639-1 code from the script, and for Latin script from its function words."""
    sample = text[:5000]
    counts = {"ar": len(_ARABIC.findall(sample)), "en": len(_LATIN.findall(sample))}
    counts.update({code: len(rx.findall(sample)) for code, rx in _SCRIPTS.items()})
    best = max(counts, key=lambda code: counts[code])
    if not counts[best]:
        return "und"
    return latin_language(sample) if best == "en" else best
