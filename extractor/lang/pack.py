"""A language pack: what the cue stages need to read one language, found by its code.

A supported language is a folder `extractor/lang/<code>/` holding its lexicon; the
gazetteer is shared, each pack seeing the forms its language writes. Callers ask
`pack_for(code)` instead of branching on language codes, and a text in a language
with no pack gets no cue rules of another language.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .gazetteer import Gazetteer, load_gazetteer
from .lexicon import Lexicon, languages, load_lexicon


@dataclass(frozen=True)
class LanguagePack:
    """One supported language: its ISO 639-1 code, cue lexicon and view of the gazetteer."""

    code: str
    lexicon: Lexicon
    gazetteer: Gazetteer


@cache
def pack_for(code: str) -> LanguagePack | None:
    """The pack of `code` ("ar", "en"), or None for a language no folder supports."""
    if code not in languages():
        return None
    return LanguagePack(code, load_lexicon(code), load_gazetteer(code))
