"""Compare two recorded runs on the documents both finished, with a paired bootstrap.

    python scripts/compare_runs.py evals/runs/record-v3-r0 evals/runs/record-v4-r0 \
        --out evals/baselines/compare-v3-v4.json

Scores both runs' predictions (as recorded) on the shared documents only, then
reports per-type deltas, the paired bootstrap 95% interval of the headline change,
and the cost of each run (tokens, seconds) on those documents. Numbers only.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.batch import latest_records  # noqa: E402
from extractor.evals import compare, find_text, numbers_only, prediction_doc  # noqa: E402
from extractor.gold import load_gold_dir  # noqa: E402
from extractor.scoring import score_corpus  # noqa: E402

CORPUS = [ROOT.parent / "shared" / "corpus" / "dev", ROOT / "examples"]


def cost(records: dict, ids: list[str]) -> dict:
    out = {"seconds": 0.0, "prompt_tokens": 0, "completion_tokens": 0, "llm_calls": 0}
    for doc_id in ids:
        record = records[doc_id]
        out["seconds"] += record.get("seconds", 0.0)
        for article in record.get("articles") or []:
            meta = article.get("meta") or {}
            out["prompt_tokens"] += meta.get("usage", {}).get("prompt_tokens", 0)
            out["completion_tokens"] += meta.get("usage", {}).get("completion_tokens", 0)
            out["llm_calls"] += meta.get("llm_calls", 0)
    out["seconds"] = round(out["seconds"], 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("run_a", type=Path)
    parser.add_argument("run_b", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    gold = load_gold_dir(ROOT / "evals" / "gold")
    a = latest_records(args.run_a / "predictions.jsonl")
    b = latest_records(args.run_b / "predictions.jsonl")
    shared = sorted(k for k in gold
                    if k in a and k in b and "seconds" in a[k] and "seconds" in b[k])
    scores = {}
    for name, records in (("a", a), ("b", b)):
        pairs = []
        for doc_id in shared:
            g = gold[doc_id]
            text = find_text(g["text_file"], CORPUS).read_text(encoding="utf-8")
            pairs.append((g, prediction_doc(records[doc_id], g), text))
        scores[name] = score_corpus(pairs)
    result = compare(scores["a"], scores["b"])
    report = {
        "a": str(args.run_a.name), "b": str(args.run_b.name), "documents": shared,
        "headline": {"a": scores["a"]["headline_f1"], "b": scores["b"]["headline_f1"]},
        "bootstrap": result["bootstrap"], "deltas": result["deltas"],
        "by_language": result["by_language"],
        "cost": {"a": cost(a, shared), "b": cost(b, shared)},
        "scores": {"a": numbers_only(scores["a"]), "b": numbers_only(scores["b"])},
    }
    if args.out:
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    print(json.dumps({k: report[k] for k in ("a", "b", "headline", "bootstrap", "cost")},
                     indent=1))


if __name__ == "__main__":
    main()
