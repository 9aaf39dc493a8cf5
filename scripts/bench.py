"""Benchmark the seed extraction on the embedded model, side by side in one run.

    python scripts/bench.py [--prompt v3] [--max-reasks 0] [--skip-assembly]

Measures, in one process and one sitting (these machines are noisy, so read the
ratios): model assembly + verification (into a temporary EXTRACTOR_HOME), server
load, a cold extraction (fresh server, empty cache), a warm extraction (same server,
prefix cache warm, disk cache off), and a disk-cache hit. Prints a JSON report.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prompt", default=None)
    parser.add_argument("--max-reasks", type=int, default=None)
    parser.add_argument("--skip-assembly", action="store_true")
    args = parser.parse_args()
    text = (ROOT / "examples" / "seed-cnn-qatar-hamas.txt").read_text(encoding="utf-8")
    report: dict[str, object] = {}
    from extractor import runtime  # noqa: PLC0415

    if not args.skip_assembly:
        with tempfile.TemporaryDirectory() as home:
            os.environ["EXTRACTOR_HOME"] = home
            t0 = time.monotonic()
            runtime.embedded_gguf()
            report["assembly_and_verify_s"] = round(time.monotonic() - t0, 2)
            os.environ.pop("EXTRACTOR_HOME")
    t0 = time.monotonic()
    runtime.start_server()
    report["server_load_s"] = round(time.monotonic() - t0, 2)
    from extractor import Extractor  # noqa: PLC0415

    options = {k: v for k, v in {"prompt": args.prompt, "max_reasks": args.max_reasks}.items()
               if v is not None}
    with tempfile.TemporaryDirectory() as cache:
        runs = {}
        for label, use_cache in (("cold", False), ("warm", False)):
            ex = Extractor(use_cache=use_cache, **options)
            t0 = time.monotonic()
            arts = ex.extract_articles(text)
            runs[label] = _measure(arts, time.monotonic() - t0)
        ex = Extractor(cache_dir=Path(cache), **options)
        ex.extract_articles(text)  # fill the disk cache
        t0 = time.monotonic()
        arts = ex.extract_articles(text)
        runs["cache_hit"] = _measure(arts, time.monotonic() - t0)
    report["runs"] = runs
    cold, warm, hit = runs["cold"], runs["warm"], runs["cache_hit"]
    report["ratios"] = {
        "cold_total_over_warm": round((cold["wall_s"] + report["server_load_s"]
                                       + report.get("assembly_and_verify_s", 0))
                                      / warm["wall_s"], 2),
        "warm_over_cache_hit": round(warm["wall_s"] / max(hit["wall_s"], 1e-6), 1),
        "share_outside_llm_warm": round(1 - warm["llm_s"] / warm["wall_s"], 4),
    }
    print(json.dumps(report, indent=1))


def _measure(articles: list, wall: float) -> dict[str, float]:
    usage = [a.meta.usage for a in articles]
    return {
        "wall_s": round(wall, 3),
        "llm_s": round(sum(a.meta.llm_s for a in articles), 3),
        "prompt_tokens": sum(u.prompt_tokens for u in usage),
        "completion_tokens": sum(u.completion_tokens for u in usage),
        "llm_calls": sum(a.meta.llm_calls for a in articles),
        "cache_hits": sum(a.meta.cache_hits for a in articles),
        "articles": len(articles),
    }


if __name__ == "__main__":
    main()
