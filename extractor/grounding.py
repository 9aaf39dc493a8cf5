"""Find what the model wrote in the input: exact, then normalized, then fuzzy.

Grounding is code, not trust. Every name and evidence is located in the input and
reported with its offsets and how it was found (`alignment`), so a user can tell a
verbatim match from a repaired one, and anything not found is rejected, not kept.
Normalized search runs on the RECORDS.md §3 folding (hamza forms, diacritics,
tatweel, ta marbuta, Arabic-Indic digits) with an index map back to input offsets;
Arabic clitics (و ف ب ل ال) fused to a word are covered because the search is a
substring search.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from .normalize import normalize, normalize_with_map

FUZZY_MIN = 88.0


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    alignment: str  # "exact" | "normalized" | "fuzzy"


@lru_cache(maxsize=64)
def _normalized(text: str) -> tuple[str, tuple[int, ...]]:
    folded, index = normalize_with_map(text)
    return folded, tuple(index)


def _to_original(index: tuple[int, ...], text: str, lo: int, hi: int) -> tuple[int, int]:
    start = index[lo]
    end = index[hi - 1] + 1
    # Extend over diacritics/tatweel that folding dropped at the end of the match.
    while end < len(text) and normalize(text[end]) == "" and not text[end].isspace():
        end += 1
    return start, end


def locate(needle: str, text: str, lo: int = 0, hi: int | None = None) -> Match | None:
    """Where `needle` occurs in text[lo:hi], as input offsets; None if nowhere close."""
    hi = len(text) if hi is None else hi
    needle = needle.strip()
    if not needle:
        return None
    pos = text.find(needle, lo, hi)
    if pos >= 0:
        return Match(pos, pos + len(needle), "exact")
    folded, index = _normalized(text)
    target = normalize(needle)
    if not target:
        return None
    # Restrict the normalized search to the window [lo, hi) of the input.
    n_lo = _first_at_or_after(index, lo)
    n_hi = _first_at_or_after(index, hi)
    pos = folded.find(target, n_lo, n_hi)
    if pos >= 0:
        start, end = _to_original(index, text, pos, pos + len(target))
        return Match(start, end, "normalized")
    if len(target) < 4:
        return None
    window = folded[n_lo:n_hi]
    found = fuzz.partial_ratio_alignment(target, window, score_cutoff=FUZZY_MIN)
    if found is None or found.dest_end <= found.dest_start:
        return None
    # A window shorter than the needle makes rapidfuzz align the window inside the
    # needle ("Doha ta" scores 100 for "Doha talks"): score the whole needle instead.
    if fuzz.ratio(target, window[found.dest_start : found.dest_end]) < FUZZY_MIN:
        return None
    start, end = _to_original(index, text, n_lo + found.dest_start, n_lo + found.dest_end)
    return Match(start, end, "fuzzy")


def _first_at_or_after(index: tuple[int, ...], offset: int) -> int:
    from bisect import bisect_left

    return bisect_left(index, offset)


def find_all(needle: str, text: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """Every normalized occurrence of `needle` in text[lo:hi] (for actor mentions)."""
    hi = len(text) if hi is None else hi
    target = normalize(needle)
    if not target:
        return []
    folded, index = _normalized(text)
    n_lo = _first_at_or_after(index, lo)
    n_hi = _first_at_or_after(index, hi)
    spans = []
    pos = folded.find(target, n_lo, n_hi)
    while pos >= 0:
        spans.append(_to_original(index, text, pos, pos + len(target)))
        pos = folded.find(target, pos + len(target), n_hi)
    return spans
