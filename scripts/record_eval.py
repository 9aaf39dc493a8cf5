"""Run the eval live on the embedded model and record its traffic into cassettes.

    python scripts/record_eval.py --prompt v3 [--only ar-01 --only en-17]

One cassette per gold document (cassettes/eval-<prompt>/<id>.yaml, responses sealed
with the article's key), predictions in evals/runs/record-<prompt>/predictions.jsonl
(resumable: a rerun skips documents already recorded), and the scores with their
counts in evals/baselines/<prompt>-embedded.json — which the replay test must
reproduce exactly. Wall time of the live run goes into the baseline's meta.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.batch import JsonlWriter, latest_records  # noqa: E402
from extractor.evals import find_text, prediction_doc  # noqa: E402
from extractor.extract import Extractor  # noqa: E402
from extractor.gold import load_gold_dir  # noqa: E402
from extractor.replay import cassette  # noqa: E402
from extractor.scoring import score_corpus  # noqa: E402

CORPUS = [ROOT.parent / "shared" / "corpus" / "dev", ROOT.parent / "shared" / "examples"]


def strip_listings(scores: dict) -> dict:
    """Keep numbers only: per-document listings quote article text, which stays out of git."""
    out = {k: v for k, v in scores.items() if k != "per_document"}
    out["per_document"] = {
        doc: {k: v for k, v in d.items() if k in ("headline_f1", "counts", "actors", "claims",
                                                   "meetings", "language")}
        for doc, d in scores.get("per_document", {}).items()
    }
    return json.loads(json.dumps(out, default=lambda o: None))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prompt", default="v3")
    parser.add_argument("--only", action="append")
    parser.add_argument("--max-reasks", type=int, default=None)
    args = parser.parse_args()
    gold = load_gold_dir(ROOT / "evals" / "gold")
    if args.only:
        gold = {k: v for k, v in gold.items() if k in args.only}
    options = {"prompt": args.prompt, "use_cache": False}
    if args.max_reasks is not None:
        options["max_reasks"] = args.max_reasks
    ex = Extractor(**options)
    ex._backend()  # start the embedded server before any cassette is open
    tag = args.prompt if args.max_reasks is None else f"{args.prompt}-r{args.max_reasks}"
    run_dir = ROOT / "evals" / "runs" / f"record-{tag}"
    run_dir.mkdir(parents=True, exist_ok=True)
    preds_path = run_dir / "predictions.jsonl"
    done = {k for k, r in latest_records(preds_path).items() if "seconds" in r}
    writer = JsonlWriter(preds_path)
    order = sorted(gold, key=lambda k: find_text(gold[k]["text_file"], CORPUS).stat().st_size)
    for doc_id in order:
        path = find_text(gold[doc_id]["text_file"], CORPUS)
        cass = ROOT / "cassettes" / f"eval-{tag}" / f"{doc_id}.yaml"
        if doc_id in done and cass.is_file():
            continue
        data = path.read_bytes()
        t0 = time.monotonic()
        record = {"id": doc_id, "file": path.name}
        with cassette(cass, data, record_mode="all"):
            try:
                articles = ex.extract_articles(data.decode("utf-8"))
                record.update(ok=True, articles=[a.model_dump(mode="json") for a in articles])
            except Exception as exc:  # noqa: BLE001  (a failed document is scored invalid)
                record.update(ok=False, error={"type": type(exc).__name__, "message": str(exc)})
        record["seconds"] = round(time.monotonic() - t0, 2)
        writer.append(record)
        print(f"{doc_id}: {record['seconds']}s ok={record['ok']}", flush=True)
    writer.close()
    records = latest_records(preds_path)
    pairs = []
    for doc_id, g in sorted(gold.items()):
        text = find_text(g["text_file"], CORPUS).read_text(encoding="utf-8")
        pairs.append((g, prediction_doc(records.get(doc_id, {}), g), text))
    scores = score_corpus(pairs)
    seconds = {k: r.get("seconds") for k, r in records.items()}
    baseline = strip_listings(scores)
    baseline["meta"] = {"prompt": args.prompt, "prompt_hash": ex.prompt.hash,
                        "max_reasks": ex.settings.max_reasks,
                        "model": "qwen2.5-coder-1.5b-instruct-q4_k_m (embedded)",
                        "live_seconds_per_document": seconds,
                        "live_seconds_total": round(sum(v or 0 for v in seconds.values()), 1),
                        "usage": _usage(records)}
    out = ROOT / "evals" / "baselines" / f"{tag}-embedded.json"
    if not args.only:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(baseline, ensure_ascii=False, indent=1) + "\n")
    print(json.dumps({k: baseline[k] for k in ("headline_f1", "grounding_rate", "invalid_rate")}))


def _usage(records: dict) -> dict:
    total = {"prompt_tokens": 0, "completion_tokens": 0, "llm_calls": 0}
    for r in records.values():
        for a in r.get("articles") or []:
            m = a.get("meta") or {}
            total["prompt_tokens"] += m.get("usage", {}).get("prompt_tokens", 0)
            total["completion_tokens"] += m.get("usage", {}).get("completion_tokens", 0)
            total["llm_calls"] += m.get("llm_calls", 0)
    return total


if __name__ == "__main__":
    main()
