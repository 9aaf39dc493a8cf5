"""Which of many spans contain a given one, in log time.

The cue stages ask, for each mention of a name, whether an earlier or longer
mention already covers it. With a name repeated thousands of times, testing each
mention against every other is quadratic; sorting the spans once and keeping the
furthest end reached so far answers each question with a bisection.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Mapping, Sequence

from ..models import Span
from ..text.segment import Sentence


class SpanCover:
    """A fixed set of spans, asked whether one of them contains a range."""

    def __init__(self, spans: Iterable[Span]) -> None:
        ordered = sorted(set(spans))
        self._starts = [s for s, _ in ordered]
        self._reach = list(itertools.accumulate((e for _, e in ordered), max))

    def covers(self, start: int, end: int) -> bool:
        """Whether some span (s, e) has s <= start and end <= e."""
        i = bisect.bisect_right(self._starts, start) - 1
        return i >= 0 and self._reach[i] >= end

    def any_starts_in(self, lo: int, hi: int) -> bool:
        """Whether some span starts in [lo, hi)."""
        i = bisect.bisect_left(self._starts, lo)
        return i < len(self._starts) and self._starts[i] < hi


class Mentions:
    """Each actor's mention spans, sorted once, asked which start in a range.

    A meeting sentence asks which actors it names and where; scanning every
    mention of every actor for each sentence is quadratic in a long text.
    """

    def __init__(self, spans: Mapping[str, Sequence[Span]]) -> None:
        self._by = {aid: sorted(where) for aid, where in spans.items()}
        self._starts = {aid: [s for s, _ in where] for aid, where in self._by.items()}
        self._all = sorted((s, e, aid) for aid, where in spans.items() for s, e in where)
        self._all_starts = [s for s, _, _ in self._all]
        self._order = {aid: n for n, aid in enumerate(spans)}

    def in_listing_order(self, ids: Iterable[str]) -> list[str]:
        """The given actor ids in the order the actors were listed."""
        return sorted(ids, key=self._order.__getitem__)

    def starting_in(self, aid: str, lo: int, hi: int) -> list[Span]:
        """The actor's mentions that start in [lo, hi), in order."""
        starts = self._starts.get(aid, [])
        where = self._by.get(aid, [])
        return where[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]

    def all_starting_in(self, lo: int, hi: int) -> list[tuple[int, int, str]]:
        """Every (start, end, actor id) mention that starts in [lo, hi), in order."""
        first = bisect.bisect_left(self._all_starts, lo)
        return self._all[first : bisect.bisect_left(self._all_starts, hi)]


def by_sentence(sentences: Sequence[Sentence], spans: Sequence[Span]) -> dict[int, list[Span]]:
    """Sentence number → the spans that start in it, each list in the order given.

    One pass over the spans instead of one per sentence. Sentences come in order
    and apart; were they ever not, each sentence filters all spans, as before.
    """
    out: dict[int, list[Span]] = {}
    if any(a.end > b.start for a, b in itertools.pairwise(sentences)):
        for n, sent in enumerate(sentences):
            out[n] = [span for span in spans if sent.start <= span[0] < sent.end]
        return out
    starts = [sent.start for sent in sentences]
    for span in spans:
        n = bisect.bisect_right(starts, span[0]) - 1
        if n >= 0 and span[0] < sentences[n].end:
            out.setdefault(n, []).append(span)
    return out
