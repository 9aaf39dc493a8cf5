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
from extractor.evals import find_text, numbers_only, prediction_doc, score_run  # noqa: E402
from extractor.extract import Extractor  # noqa: E402
from extractor.gold import load_gold_dir  # noqa: E402
from extractor.replay import cassette  # noqa: E402
from extractor.scoring import score_corpus  # noqa: E402

CORPUS = [ROOT.parent / "shared" / "corpus" / "dev", ROOT.parent / "shared" / "examples"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prompt", default="v3")
    parser.add_argument("--only", action="append")
    parser.add_argument("--max-reasks", type=int, default=None)
    parser.add_argument("--replay", action="store_true",
                        help="re-derive the baseline from the cassettes (no model): after a "
                             "deliberate change to parsing, grounding or scoring")
    args = parser.parse_args()
    if args.replay:
        return replay(args)
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
    baseline = numbers_only(scores)
    baseline["meta"] = {"prompt": args.prompt, "prompt_hash": ex.prompt.hash,
                        "max_reasks": ex.settings.max_reasks,
                        "model": "qwen2.5-coder-1.5b-instruct-q4_k_m (embedded)",
                        "live_seconds_per_document": seconds,
                        "live_seconds_total": round(sum(v or 0 for v in seconds.values()), 1),
                        "usage": _usage(records)}
    (run_dir / "meta.json").write_text(json.dumps(baseline["meta"], indent=1) + "\n")
    score_run(run_dir, ROOT / "evals" / "gold", CORPUS)  # scores.json + report.html
    out = ROOT / "evals" / "baselines" / f"{tag}-embedded.json"
    if not args.only:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(baseline, ensure_ascii=False, indent=1) + "\n")
    print(json.dumps({k: baseline[k] for k in ("headline_f1", "grounding_rate", "invalid_rate")}))


def replay(args: argparse.Namespace) -> None:
    from extractor.runtime import EMBEDDED_MODEL_NAME  # noqa: PLC0415

    tag = args.prompt if args.max_reasks is None else f"{args.prompt}-r{args.max_reasks}"
    out = ROOT / "evals" / "baselines" / f"{tag}-embedded.json"
    old_meta = json.loads(out.read_text(encoding="utf-8")).get("meta", {}) if out.is_file() else {}
    options = {"prompt": args.prompt, "use_cache": False, "base_url": "http://127.0.0.1:9/v1",
               "model": EMBEDDED_MODEL_NAME, "compact_json": True, "transport_attempts": 1}
    if args.max_reasks is not None:
        options["max_reasks"] = args.max_reasks
    ex = Extractor(**options)
    gold = load_gold_dir(ROOT / "evals" / "gold")
    pairs = []
    live = latest_records(ROOT / "evals" / "runs" / f"record-{tag}" / "predictions.jsonl")
    replay_dir = ROOT / "evals" / "runs" / f"replay-{tag}"
    replay_dir.mkdir(parents=True, exist_ok=True)
    (replay_dir / "predictions.jsonl").unlink(missing_ok=True)
    writer = JsonlWriter(replay_dir / "predictions.jsonl")
    started = time.monotonic()
    for doc_id, g in sorted(gold.items()):
        path = find_text(g["text_file"], CORPUS)
        data = path.read_bytes()
        cass = ROOT / "cassettes" / f"eval-{tag}" / f"{doc_id}.yaml"
        pred = None
        if cass.is_file():
            with cassette(cass, data, record_mode="none"):
                try:
                    arts = ex.extract_articles(data.decode("utf-8"))
                    pred = {"id": doc_id, "text_file": g["text_file"],
                            "language": g.get("language"),
                            "articles": [a.model_dump(mode="json") for a in arts]}
                except Exception:  # noqa: BLE001
                    pred = None
        # Same shape as a live run (live seconds kept), so runs compare side by side.
        writer.append({"id": doc_id, "ok": pred is not None,
                       "articles": pred["articles"] if pred else None,
                       "seconds": (live.get(doc_id) or {}).get("seconds")})
        pairs.append((g, pred, data.decode("utf-8")))
    writer.close()
    baseline = numbers_only(score_corpus(pairs))
    baseline["meta"] = {**old_meta, "replay_seconds_total": round(time.monotonic() - started, 1)}
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
