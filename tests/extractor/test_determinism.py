"""The rules strategy gives the same extraction whatever Python's string-hash seed.

A word list is loaded as a set; where order matters (attribution phrases tried longest
first), ties once fell in the set's order, which changes with PYTHONHASHSEED: "وفقا لما
ذكرته وكالة …" named the agency's speaker "ما ذكرته …" in one process and "ذكرته …" in
another. Each seed runs in its own process, so the set order really differs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

# An attribution phrase ("وفقا لما") that a shorter one of as many words ("وفقا ل")
# also matches, with no reporting verb before it in the sentence.
TEXT = "غادر الوزير العاصمة متجها إلى الكويت، وفقا لما ذكرته وكالة الأنباء المحلية، الأحد.\n"
CODE = """
import json, sys
from extractor import Extractor
with Extractor(strategy="rules", use_cache=False) as ex:
    articles = ex.extract_articles(sys.stdin.read())
print(json.dumps([a.model_dump(mode="json", exclude={"meta"}) for a in articles]))
"""
SEEDS = ("1", "5")  # two seeds that ordered the tied phrases differently


def _extracted(seed: str) -> list[dict[str, object]]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run(
        [sys.executable, "-c", CODE],
        input=TEXT,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    result: list[dict[str, object]] = json.loads(out.stdout)
    return result


@pytest.mark.parametrize("seed", SEEDS[1:])
def test_the_rules_strategy_does_not_depend_on_the_hash_seed(seed: str) -> None:
    first = _extracted(SEEDS[0])
    assert first and first[0]["claims"], "the text must give a claim, or the test proves nothing"
    assert _extracted(seed) == first
