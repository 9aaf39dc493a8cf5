"""The rules strategy on every evaluation set reproduces its committed numbers exactly.

The same sets as `extractor eval sets` (`evals/sets.py`): the dev gold, dev-ar2 and
PolNeAR dev (claims-only), 127 documents, no model. Any change to the lexicons, the
cue or meeting stage, segmentation, grounding or scoring that moves a number on any
set fails here until the baseline is rewritten on purpose:
`extractor eval sets --strategy rules --fresh --baseline evals/baselines/rules-sets.json`.
The texts live in ../shared, outside the repository; without them this skips.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from paths import ROOT, SHARED

from evals.runner import numbers_only, run_eval
from evals.sets import SET_NAMES, eval_sets, select_sets
from extractor import Extractor

BASELINE = ROOT / "evals" / "baselines" / "rules-sets.json"


def test_the_baseline_holds_every_set() -> None:
    recorded = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert tuple(recorded["sets"]) == SET_NAMES
    assert set(recorded["meta"]["sets"]) == set(SET_NAMES)


def test_rules_strategy_reproduces_its_baseline_on_every_set(tmp_path: Path) -> None:
    missing = [str(folder) for s in eval_sets(SHARED) for folder in s.missing()]
    if missing:
        pytest.skip(
            f"the evaluation corpus is not here ({', '.join(missing)}); it lives in "
            f"{SHARED}, outside the repository, and is never committed"
        )
    recorded = json.loads(BASELINE.read_text(encoding="utf-8"))["sets"]
    with Extractor(strategy="rules", use_cache=False) as ex:
        for s in select_sets(shared=SHARED):
            scores = run_eval(
                ex.extract_articles,
                gold_dir=s.gold_dir,
                corpus_dirs=s.corpus_dirs,
                run_dir=tmp_path / s.name,
                meta={},
            )
            assert numbers_only(scores) == recorded[s.name], f"set {s.name} moved"
