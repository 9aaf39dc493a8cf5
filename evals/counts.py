"""The numbers a score is pooled from: counts, tallies and their ratios (RECORDS.md §3).

Counts, not ratios, are what get stored per document, because micro averages,
per-language figures and the bootstrap all need to re-pool them.

Conventions this module fixes (the spec leaves them open):

* 0/0 ratios: when a record type has no gold and no predicted records
  (tp = fp = fn = 0), precision = recall = F1 = 1.0 — saying nothing about
  nothing is right. Any other 0 denominator gives 0.0 (an empty prediction
  against gold has precision 0, a prediction against empty gold has recall 0).
  F1 is computed as 2tp / (2tp + fp + fn), which agrees with 2PR/(P+R).
* Accuracies over matched pairs are None (JSON null) when there are no pairs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

RECORD_TYPES = ("actors", "claims", "meetings")

T = TypeVar("T")


@dataclass
class Counts:
    """TP/FP/FN of one record type; kept as integers so they can be re-pooled."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class Tally:
    """A running mean (`hits / n`): accuracy when hits are 0/1, mean F1 otherwise."""

    hits: float = 0.0
    n: int = 0

    def add(self, value: float | bool) -> None:
        self.hits += float(value)
        self.n += 1

    def mean(self) -> float | None:
        return self.hits / self.n if self.n else None


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 under the module's 0/0 convention (see module doc)."""
    if tp + fp + fn == 0:
        return {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": precision, "recall": recall, "f1": 2 * tp / (2 * tp + fp + fn)}


def set_f1(pred: set[str], gold: set[str]) -> float:
    """F1 of two sets of ids (1.0 when both are empty)."""
    tp = len(pred & gold)
    return prf(tp, len(pred) - tp, len(gold) - tp)["f1"]


def per_type(factory: Callable[[], T]) -> dict[str, T]:
    return {t: factory() for t in RECORD_TYPES}


@dataclass
class Listing(Generic[T]):
    """Per record type: what was matched, missed (FN) and spurious (FP), for reading."""

    matched: dict[str, list[T]] = field(default_factory=lambda: per_type(list))
    missed: dict[str, list[str]] = field(default_factory=lambda: per_type(list))
    spurious: dict[str, list[str]] = field(default_factory=lambda: per_type(list))


@dataclass
class ArticleScore:
    """Counts, tallies and listings of one (predicted, gold) article pair."""

    counts: dict[str, Counts] = field(default_factory=lambda: per_type(Counts))
    attributed_tp: int = 0
    tallies: dict[str, Tally] = field(default_factory=dict)
    listing: Listing[dict[str, Any]] = field(default_factory=Listing)

    @property
    def matched_records(self) -> int:
        return sum(c.tp for c in self.counts.values())

    def tally(self, name: str, value: float | bool) -> None:
        self.tallies.setdefault(name, Tally()).add(value)
