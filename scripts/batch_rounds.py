"""What `extract-many --batch-api` costs per document: requests and rounds, per model strategy.

    python scripts/batch_rounds.py [--corpus ../shared/corpus/dev] [--json OUT.json]

For each model strategy (cues with names2 and names1, two-step with v4), the corpus
goes through the batch mode against the fake Batch endpoint of `tests/fakebatch.py`
(the fake model: names found in the text, the first allowed answer to each
question, one names answer in three re-asked), on loopback, and once live against
the same fake model. Printed per strategy: the live calls per document, the
requests each document sent in the batch (one per round it waited, re-asks
included), the rounds the whole batch took, and whether the records were the live
ones (timings aside). The counts depend on the fake model's answers (a real model
re-asks more or less often, and names other actors, so it asks other questions):
they measure the shape of the rounds, not a provider's bill.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fakebatch import FakeBatchServer  # noqa: E402

from extractor.batch.batch_api import BatchOptions, run_batch_api  # noqa: E402
from extractor.batch.run import BatchItem, read_records, run_batch  # noqa: E402
from extractor.extract import Extractor  # noqa: E402
from extractor.llm.batches import BatchClient  # noqa: E402

STRATEGIES = [("cues", "names2"), ("cues", "names1"), ("two-step", "v4")]


def _records(path: Path) -> dict[str, Any]:
    out = {}
    for record in read_records(path):
        record.pop("seconds", None)
        for article in record.get("articles", []):
            article["meta"].pop("latency_s", None)
            article["meta"].pop("llm_s", None)
        out[record["id"]] = record
    return out


def _spread(values: list[int]) -> dict[str, float]:
    return {
        "mean": round(statistics.mean(values), 2),
        "median": statistics.median(values),
        "max": max(values),
        "min": min(values),
    }


def measure(corpus: Path, strategy: str, prompt: str, tmp: Path) -> dict[str, Any]:
    """One strategy over the corpus: live, then as a batch; the counts and the comparison."""
    items = [
        BatchItem(id=p.stem, path=p, text=p.read_text(encoding="utf-8"))
        for p in sorted(corpus.glob("*.txt"))
    ]
    with FakeBatchServer() as server:
        settings = dict(strategy=strategy, prompt=prompt, base_url=server.base_url, model="m")
        with Extractor(**settings, cache_dir=tmp / "live-cache") as ex:
            run_batch(ex.extract_articles, items, tmp / "live.jsonl", config=ex.fingerprint())
        live = _records(tmp / "live.jsonl")
        with Extractor(**settings, cache_dir=tmp / "batch-cache") as ex:
            report = run_batch_api(
                ex,
                items,
                tmp / "batch.jsonl",
                client=BatchClient(base_url=server.base_url, api_key=None),
                options=BatchOptions(poll_interval=0.01, poll_max=0.01),
                config=ex.fingerprint(),
            )
        batch = _records(tmp / "batch.jsonl")
        calls = [sum(a["meta"]["llm_calls"] for a in live[i.id]["articles"]) for i in items]
        requests = [report.waits.get(item.id, 0) for item in items]
        done_by = [sum(r <= k for r in requests) for k in range(1, report.rounds + 1)]
        per_doc = {
            item.id: {
                "articles": len(live[item.id]["articles"]),
                "live_calls": calls[n],
                "batch_requests": requests[n],
            }
            for n, item in enumerate(items)
        }
        return {
            "strategy": strategy,
            "prompt": prompt,
            "documents": len(items),
            "live_calls_per_document": _spread(calls),
            "batch_requests_per_document": _spread(requests),
            "batch_rounds": report.rounds,
            "batch_requests": report.requests,
            "batches_created": len(server.inputs),
            "documents_done_after_round": done_by,
            "records_identical_to_live": batch == live,
            "ok": sum(r["ok"] for r in batch.values()),
            "per_document": per_doc,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "dev")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"no corpus at {args.corpus}")
    rows = []
    for strategy, prompt in STRATEGIES:
        with tempfile.TemporaryDirectory() as tmp:
            row = measure(args.corpus, strategy, prompt, Path(tmp))
        rows.append(row)
        live, sent = row["live_calls_per_document"], row["batch_requests_per_document"]
        print(
            f"{strategy:9} {prompt:7} {row['documents']} docs: live calls/doc mean {live['mean']} "
            f"(max {live['max']}); batch requests/doc mean {sent['mean']} (max {sent['max']}); "
            f"{row['batch_rounds']} rounds, {row['batch_requests']} requests; "
            f"records identical to live: {row['records_identical_to_live']}"
        )
        print(f"  documents done after each round: {row['documents_done_after_round']}")
    if args.json:
        result = {"corpus": args.corpus.name, "backend": "tests/fakebatch.py", "rows": rows}
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
