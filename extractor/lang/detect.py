"""Which language a text is in, from its script.

Detection decides which language pack reads a text; a text in a language with no
pack gets no cue rules of another language.
"""

from __future__ import annotations

import re

_ARABIC = re.compile(r"[\u0600-\u06FF]")
_LATIN = re.compile(r"[A-Za-z]")
_SCRIPTS = {
    "ru": re.compile(r"[\u0400-\u04FF]"),
    "he": re.compile(r"[\u0590-\u05FF]"),
    "zh": re.compile(r"[\u4E00-\u9FFF]"),
}


def detect_language(text: str) -> str:
    """ISO 639-1 code from the script; Latin script defaults to English."""
    sample = text[:5000]
    counts = {"ar": len(_ARABIC.findall(sample)), "en": len(_LATIN.findall(sample))}
    counts.update({code: len(rx.findall(sample)) for code, rx in _SCRIPTS.items()})
    best = max(counts, key=lambda code: counts[code])
    return best if counts[best] else "und"
