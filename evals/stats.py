"""Statistics over per-document counts: the paired bootstrap of two runs.

Counts, not ratios, are stored per document (`scoring.DocScore.to_dict`), because
micro averages and resamples both need to re-pool them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .counts import RECORD_TYPES
from .scoring import is_claims_only

Matrix = Any


def _count_array(per_doc: dict[str, dict[str, Any]], ids: list[str]) -> Matrix:
    """Shape (docs, types, [tp, fp, fn])."""
    return np.array(
        [[[per_doc[i][t][k] for k in ("tp", "fp", "fn")] for t in RECORD_TYPES] for i in ids],
        dtype=np.float64,
    ).reshape(len(ids), len(RECORD_TYPES), 3)


def _headline(sums: Matrix) -> Matrix:
    """Headline F1 of pooled counts shaped (..., types, 3), vectorized with the 0/0 rule."""
    tp, fp, fn = sums[..., 0], sums[..., 1], sums[..., 2]
    denom = 2 * tp + fp + fn
    f1 = np.where(denom > 0, 2 * tp / np.where(denom > 0, denom, 1), 1.0)
    return f1.mean(axis=-1)


def _paired(a: Matrix, b: Matrix, stat: Any, n: int, seed: int) -> dict[str, Any]:
    """stat(B) − stat(A) over `n` resamples of documents (axis 0), pooled per resample."""
    docs = a.shape[0]
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(docs, np.full(docs, 1 / docs), size=n).astype(float)
    diffs = stat(np.tensordot(weights, b, axes=1)) - stat(np.tensordot(weights, a, axes=1))
    observed = stat(b.sum(axis=0)) - stat(a.sum(axis=0))
    low, high = np.percentile(diffs, [2.5, 97.5])
    return {
        "n_documents": docs,
        "n_resamples": n,
        "observed": float(observed),
        "mean": float(diffs.mean()),
        "low": float(low),
        "high": float(high),
    }


def _shared(per_doc_a: dict[str, Any], per_doc_b: dict[str, Any]) -> list[str]:
    ids = sorted(set(per_doc_a) & set(per_doc_b))
    if not ids:
        raise ValueError("the two runs share no documents")
    return ids


def bootstrap_diff(
    per_doc_a: dict[str, dict[str, Any]],
    per_doc_b: dict[str, dict[str, Any]],
    n: int = 10000,
    seed: int = 0,
) -> dict[str, Any]:
    """Paired bootstrap of headline F1, run B minus run A, over shared documents.

    Each resample draws documents with replacement and recomputes micro F1 from
    pooled counts for both runs, so the interval reflects how much the
    difference depends on which documents happened to be in the set. The unit
    is the document, not the article (the spec says articles): articles of one
    input share a text and an extraction call, so they are not independent.

    Claims-only documents have no headline (RECORDS.md §3) and are left out, as
    the headline of a mixed set leaves them out; ValueError when no full-scope
    document is shared (compare attributed claims instead: `bootstrap_attributed`).
    """
    ids = [
        i
        for i in _shared(per_doc_a, per_doc_b)
        if not is_claims_only(per_doc_a[i]) and not is_claims_only(per_doc_b[i])
    ]
    if not ids:
        raise ValueError("no shared full-scope documents: claims-only gold has no headline")
    a, b = _count_array(per_doc_a, ids), _count_array(per_doc_b, ids)
    return _paired(a, b, _headline, n, seed)


def _attributed_counts(per_doc: dict[str, dict[str, Any]], ids: list[str]) -> Matrix:
    """Shape (docs, [attributed_tp, predicted claims, gold claims])."""
    rows = []
    for i in ids:
        c = per_doc[i]["claims"]
        rows.append([c.get("attributed_tp", 0), c["tp"] + c["fp"], c["tp"] + c["fn"]])
    return np.array(rows, dtype=np.float64)


def _attributed_f1(sums: Matrix) -> Matrix:
    att, pred, gold = sums[..., 0], sums[..., 1], sums[..., 2]
    denom = pred + gold
    return np.where(denom > 0, 2 * att / np.where(denom > 0, denom, 1), 1.0)


def bootstrap_attributed(
    per_doc_a: dict[str, dict[str, Any]],
    per_doc_b: dict[str, dict[str, Any]],
    n: int = 10000,
    seed: int = 0,
) -> dict[str, Any]:
    """Paired bootstrap of attributed-claim F1 (B − A), re-pooled per resample like headline.

    An attributed claim is a matched claim whose speaker is right: precision is
    attributed_tp over predicted claims (tp + fp), recall over gold claims (tp + fn).
    """
    ids = _shared(per_doc_a, per_doc_b)
    a, b = _attributed_counts(per_doc_a, ids), _attributed_counts(per_doc_b, ids)
    return _paired(a, b, _attributed_f1, n, seed)
