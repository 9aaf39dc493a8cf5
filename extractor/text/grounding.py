"""The one text finder: where a string occurs in the input, exactly, normalized or fuzzily.

Grounding is code, not trust, and the scorer must agree with the grounder about
what "the same text" is, so both use `TextIndex`. It folds the input once
(RECORDS.md §3 normalization: hamza forms, diacritics, tatweel, ta marbuta,
Arabic-Indic digits) with an index map back to input offsets, and reports every
match as input offsets plus how it was found (`alignment`): a user can tell a
verbatim match from a repaired one. Arabic clitics (و ف ب ل ال) fused to a word
are covered because the search is a substring search.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from ..models import Alignment
from .normalize import normalize, normalize_with_map

FUZZY_MIN = 88.0


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    alignment: Alignment


class TextIndex:
    """An input text and its normalized form, built once per text."""

    def __init__(self, text: str) -> None:
        self.text = text
        folded, index = normalize_with_map(text)
        self.folded = folded
        self.index = index

    def find(
        self, needle: str, lo: int = 0, hi: int | None = None, *, fuzzy: bool = True
    ) -> Match | None:
        """Where `needle` (stripped) occurs in text[lo:hi]: exact, then normalized, then fuzzy."""
        hi = len(self.text) if hi is None else hi
        needle = needle.strip()
        if not needle:
            return None
        pos = self.text.find(needle, lo, hi)
        if pos >= 0:
            return Match(pos, pos + len(needle), "exact")
        target = normalize(needle)
        if not target:
            return None
        n_lo, n_hi = self._window(lo, hi)
        pos = self.folded.find(target, n_lo, n_hi)
        if pos >= 0:
            start, end = self._to_original(pos, pos + len(target))
            return Match(start, end, "normalized")
        if not fuzzy or len(target) < 4:
            return None
        window = self.folded[n_lo:n_hi]
        found = fuzz.partial_ratio_alignment(target, window, score_cutoff=FUZZY_MIN)
        if found is None or found.dest_end <= found.dest_start:
            return None
        # A window shorter than the needle makes rapidfuzz align the window inside the
        # needle ("Doha ta" scores 100 for "Doha talks"): score the whole needle instead.
        if fuzz.ratio(target, window[found.dest_start : found.dest_end]) < FUZZY_MIN:
            return None
        start, end = self._to_original(n_lo + found.dest_start, n_lo + found.dest_end)
        return Match(start, end, "fuzzy")

    def contains(self, needle: str) -> bool:
        """Verbatim or normalized containment anywhere: the grounding-rate test."""
        return self.find(needle, fuzzy=False) is not None

    def find_all(self, needle: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
        """Every normalized occurrence of `needle` in text[lo:hi] (for actor mentions)."""
        hi = len(self.text) if hi is None else hi
        target = normalize(needle)
        if not target:
            return []
        n_lo, n_hi = self._window(lo, hi)
        spans = []
        pos = self.folded.find(target, n_lo, n_hi)
        while pos >= 0:
            spans.append(self._to_original(pos, pos + len(target)))
            pos = self.folded.find(target, pos + len(target), n_hi)
        return spans

    def _window(self, lo: int, hi: int) -> tuple[int, int]:
        """The normalized-text range that covers the input range [lo, hi)."""
        return bisect_left(self.index, lo), bisect_left(self.index, hi)

    def _to_original(self, lo: int, hi: int) -> tuple[int, int]:
        start = self.index[lo]
        end = self.index[hi - 1] + 1
        # Extend over diacritics/tatweel that folding dropped at the end of the match.
        while (
            end < len(self.text) and not self.text[end].isspace() and not normalize(self.text[end])
        ):
            end += 1
        return start, end


def mentions(index: TextIndex, forms: Sequence[str], lo: int, hi: int) -> list[tuple[int, int]]:
    """Every occurrence of an actor's forms in text[lo:hi], in order.

    An alias inside an occurrence of the full name ("الحداد" in "سامر الحداد") is the
    same mention, not a second one. One sweep over spans sorted by start (longest
    first), so a name repeated ten thousand times costs n log n, not n².
    """
    spans: set[tuple[int, int]] = set()
    for form in forms:
        spans.update(index.find_all(form, lo, hi))
    kept: list[tuple[int, int]] = []
    reach = -1
    for s, e in sorted(spans, key=lambda span: (span[0], -span[1])):
        if e <= reach:
            continue  # inside an earlier, longer mention
        kept.append((s, e))
        reach = e
    return kept
