"""The rules strategy on the dev set reproduces its committed numbers exactly (no model, ~2 s).

Any change to the lexicons, the cue or meeting stage, segmentation, grounding or
scoring that moves a number fails here until the baseline is rewritten on purpose
(`extractor eval run --strategy rules --fresh --baseline evals/baselines/rules-dev.json`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from paths import GOLD_DIR, ROOT

from evals.runner import numbers_only, run_eval
from extractor import Extractor

BASELINE = ROOT / "evals" / "baselines" / "rules-dev.json"


@pytest.mark.skipif(not BASELINE.is_file(), reason="no rules baseline yet")
def test_rules_strategy_reproduces_its_baseline(corpus_dirs: list[Path], tmp_path: Path) -> None:
    with Extractor(strategy="rules", use_cache=False) as ex:
        scores = run_eval(
            ex.extract_articles,
            gold_dir=GOLD_DIR,
            corpus_dirs=corpus_dirs,
            run_dir=tmp_path / "rules",
            meta={},
        )
    recorded = {k: v for k, v in json.loads(BASELINE.read_text()).items() if k != "meta"}
    assert numbers_only(scores) == recorded
