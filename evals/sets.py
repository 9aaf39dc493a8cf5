"""The evaluation sets side by side: one strategy, three gold sets, one baseline.

A change to the cue stages can help the project's own dev gold and hurt text it was
never tuned on, so `extractor eval sets` scores a strategy on every set at once:

* `dev`: the project's gold (`evals/gold/`), texts from `../shared/corpus/dev`,
  `../shared/examples` and `examples/` (as `eval run` finds them);
* `dev-ar2`: `../shared/corpus/dev-ar2`, 20 more Arabic articles, each `X.txt` with
  its `X.gold.json` beside it, labeled to the same contract;
* `polnear-dev`: `../shared/corpus/polnear/dev/{gold,text}`, PolNeAR's dev split,
  labeled by others and claims-only (RECORDS.md §3), so it has claim and
  attributed-claim F1 and no headline.

`../shared` is the team's read-only folder beside the repository (a CI clone gets a
copy there too); nothing of it is committed. Each set is an ordinary run
(`runner.run_eval`), in `evals/runs/<name>/<set>/`, so its report and `eval compare`
work as for any run. The baseline holds each set's `numbers_only` scores (counts,
never text) and a meta block.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .gold import GoldError
from .runner import GOLD_DIR, ROOT, SHARED_DIR, default_corpus_dirs, numbers_only

FIGURES = ("headline_f1", "actors", "claims", "attributed", "meetings")


@dataclass(frozen=True)
class EvalSet:
    """One gold set: where its gold files are and where their texts are looked up.

    `needs` are the folders that must be there for the set to be measured at all
    (`corpus_dirs` keeps only the lookup folders that exist, like `eval run`'s).
    """

    name: str
    gold_dir: Path
    corpus_dirs: tuple[Path, ...]
    needs: tuple[Path, ...]

    def missing(self) -> list[Path]:
        """The folders of `needs` that are absent (in ../shared, say, on a bare clone)."""
        return [d for d in self.needs if not d.is_dir()]

    def describe(self) -> dict[str, Any]:
        """Its folders relative to the repository (`../shared/…`), for a baseline's meta."""
        return {
            "gold": _relative(self.gold_dir),
            "corpus": [_relative(d) for d in self.corpus_dirs],
        }


def _relative(path: Path) -> str:
    """A path as seen from the repository root, so a baseline names no one's home folder."""
    return Path(os.path.relpath(path, ROOT)).as_posix()


def eval_sets(shared: Path = SHARED_DIR) -> list[EvalSet]:
    """The three sets, in the order they are reported."""
    corpus = shared / "corpus"
    polnear = corpus / "polnear" / "dev"
    dev = tuple(default_corpus_dirs(shared=shared))
    ar2 = corpus / "dev-ar2"
    return [
        EvalSet("dev", GOLD_DIR, dev, (GOLD_DIR, corpus / "dev")),
        EvalSet("dev-ar2", ar2, (ar2,), (ar2,)),
        EvalSet(
            "polnear-dev",
            polnear / "gold",
            (polnear / "text",),
            (polnear / "gold", polnear / "text"),
        ),
    ]


SET_NAMES = tuple(s.name for s in eval_sets())


def select_sets(only: Sequence[str] | None = None, shared: Path = SHARED_DIR) -> list[EvalSet]:
    """The sets named in `only` (all when empty); GoldError for an unknown or absent set.

    A missing folder is an error, not a skip: a side-by-side table that silently lost
    a set would read as if the strategy had been measured on it.
    """
    sets = eval_sets(shared)
    unknown = sorted(set(only or ()) - {s.name for s in sets})
    if unknown:
        raise GoldError(f"no evaluation set {unknown}; the sets are {list(SET_NAMES)}")
    chosen = [s for s in sets if not only or s.name in only]
    missing = [f"{s.name}: {folder}" for s in chosen for folder in s.missing()]
    if missing:
        raise GoldError(
            f"absent: {'; '.join(missing)} (the corpus lives in {shared}, beside the "
            "repository, and is never committed)"
        )
    return chosen


def baseline(scores: dict[str, dict[str, Any]], meta: dict[str, Any]) -> dict[str, Any]:
    """The committed form of a sets run: per set, its scores without text; and `meta`."""
    return {"meta": meta, "sets": {name: numbers_only(s) for name, s in scores.items()}}


def _figures(s: dict[str, Any]) -> dict[str, float | None]:
    return {
        "headline_f1": s.get("headline_f1"),
        "actors": s.get("actors", {}).get("f1"),
        "claims": s.get("claims", {}).get("f1"),
        "attributed": s.get("claims", {}).get("attributed_f1"),
        "meetings": s.get("meetings", {}).get("f1"),
    }


def summary_rows(scores: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per set, then one per language of that set: label, documents, `FIGURES`.

    A figure is None where it is not defined (claims-only gold: no headline, no actors,
    no meetings), so a table leaves it blank instead of printing a meaningless number.
    A set of claims-only gold adds an "as labeled" row: its claims against the gold as
    converted, one claim per labeled relation (`evals.conventions`).
    """
    rows = []
    for name, s in scores.items():
        rows.append({"set": name, "language": None, "documents": s.get("n_documents")})
        rows[-1].update(_figures(s))
        for lang, by in sorted((s.get("by_language") or {}).items()):
            rows.append({"set": name, "language": lang, "documents": by.get("n_documents")})
            rows[-1].update(_figures(by))
        labeled = s.get("claims_as_labeled")
        if labeled:
            rows.append({"set": name, "language": "as labeled", "documents": None})
            rows[-1].update({k: None for k in FIGURES})
            rows[-1].update(claims=labeled["f1"], attributed=labeled["attributed_f1"])
    return rows
