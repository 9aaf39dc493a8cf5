"""Benchmark the seed extraction on the embedded model, side by side in one run.

    extractor eval bench [--max-reasks 0] [--skip-assembly]
    extractor eval bench --strategies two-step,cues:v4,cues,rules [--dev]

Measures, in one process and one sitting (these machines are noisy, so read the
ratios): model assembly + verification (into a temporary EXTRACTOR_HOME), server
load, a cold extraction (fresh server, empty cache), a warm extraction (same server,
prefix cache warm, disk cache off), and a disk-cache hit.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from extractor import Article, Extractor
from extractor.errors import ExtractorError
from extractor.llm import runtime

SEED = Path(__file__).resolve().parent.parent / "examples" / "seed-cnn-qatar-hamas.txt"


def bench_seed(options: dict[str, Any], *, assembly: bool = True) -> dict[str, Any]:
    """The report: seconds per stage, tokens per run, and the ratios between them."""
    text = SEED.read_text(encoding="utf-8")
    report: dict[str, Any] = {"options": options}
    if assembly:
        old = os.environ.get("EXTRACTOR_HOME")
        with tempfile.TemporaryDirectory() as home:
            os.environ["EXTRACTOR_HOME"] = home
            try:
                t0 = time.monotonic()
                runtime.embedded_gguf()
                report["assembly_and_verify_s"] = round(time.monotonic() - t0, 2)
            finally:
                if old is None:
                    os.environ.pop("EXTRACTOR_HOME", None)
                else:
                    os.environ["EXTRACTOR_HOME"] = old
    t0 = time.monotonic()
    runtime.start_server()
    report["server_load_s"] = round(time.monotonic() - t0, 2)
    runs: dict[str, dict[str, float]] = {}
    for label in ("cold", "warm"):
        with Extractor(use_cache=False, **options) as ex:
            t0 = time.monotonic()
            articles = ex.extract_articles(text)
            runs[label] = _measure(articles, time.monotonic() - t0)
    with tempfile.TemporaryDirectory() as cache, Extractor(cache_dir=Path(cache), **options) as ex:
        ex.extract_articles(text)  # fill the disk cache
        t0 = time.monotonic()
        articles = ex.extract_articles(text)
        runs["cache_hit"] = _measure(articles, time.monotonic() - t0)
    report["runs"] = runs
    cold, warm, hit = runs["cold"], runs["warm"], runs["cache_hit"]
    report["ratios"] = {
        "cold_total_over_warm": round(
            (cold["wall_s"] + report["server_load_s"] + report.get("assembly_and_verify_s", 0))
            / warm["wall_s"],
            2,
        ),
        "warm_over_cache_hit": round(warm["wall_s"] / max(hit["wall_s"], 1e-6), 1),
        "share_outside_llm_warm": round(1 - warm["llm_s"] / warm["wall_s"], 4),
    }
    return report


def _measure(articles: list[Article], wall: float) -> dict[str, float]:
    metas = [a.meta for a in articles if a.meta is not None]
    return {
        "wall_s": round(wall, 3),
        "llm_s": round(sum(m.llm_s for m in metas), 3),
        "prompt_tokens": sum(m.usage.prompt_tokens for m in metas),
        "completion_tokens": sum(m.usage.completion_tokens for m in metas),
        "llm_calls": sum(m.llm_calls for m in metas),
        "cache_hits": sum(m.cache_hits for m in metas),
        "articles": len(articles),
    }


def import_times(roots: list[Path], runs: int = 9) -> dict[str, Any]:
    """Median seconds of `import extractor` in fresh interpreters, one per source root.

    The roots alternate run by run, so a noisy machine slows them alike; the ratio
    of each root to the first is what to read.
    """
    import statistics
    import subprocess
    import sys

    code = "import time; t = time.perf_counter(); import extractor; print(time.perf_counter() - t)"
    seconds: dict[str, list[float]] = {str(r): [] for r in roots}
    for _ in range(runs):
        for root in roots:
            out = subprocess.run(
                [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
            )
            seconds[str(root)].append(float(out.stdout.strip()))
    medians = {k: statistics.median(v) for k, v in seconds.items()}
    first = medians[str(roots[0])]
    return {
        "runs": runs,
        "median_s": {k: round(v, 4) for k, v in medians.items()},
        "ratio_to_first": {k: round(v / first, 3) for k, v in medians.items()},
    }


def parse_variant(spec: str) -> tuple[str, dict[str, Any]]:
    """ "cues:v4" -> ("cues:v4", {"strategy": "cues", "prompt": "v4"}); "rules" -> no prompt."""
    strategy, _, prompt = spec.partition(":")
    return spec, {"strategy": strategy, **({"prompt": prompt} if prompt else {})}


def bench_strategies(
    strategies: list[str],
    options: dict[str, Any],
    documents: Sequence[Path] = (),
    on_progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """The seed (or `documents`) under each strategy, side by side in one process.

    A variant is `strategy` or `strategy:prompt` ("two-step", "cues:v4", "cues").
    The server is started and warmed first (one short extraction), the disk cache is
    off, and the variants take turns document by document, so a noisy machine slows
    them alike; the ratios to the first variant are what to read.
    """
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in documents] or [
        (SEED.name, SEED.read_text(encoding="utf-8"))
    ]
    runtime.start_server()
    with Extractor(use_cache=False, strategy="rules", **options) as ex:
        ex.extract_article("Warm-up\nThe minister said the talks would resume on Monday.\n")
    variants = [parse_variant(spec) for spec in strategies]
    extractors: dict[str, Extractor] = {}
    totals: dict[str, list[Article]] = {name: [] for name, _ in variants}
    walls = dict.fromkeys(totals, 0.0)
    failed: dict[str, list[str]] = {name: [] for name in totals}
    try:
        for name, chosen in variants:  # inside the try: a bad variant closes the others
            extractors[name] = Extractor(use_cache=False, **{**options, **chosen})
        for doc, text in texts:
            for name, ex in extractors.items():
                t0 = time.monotonic()
                try:
                    totals[name] += ex.extract_articles(text)
                except ExtractorError as exc:
                    failed[name].append(f"{doc}: {type(exc).__name__}")
                walls[name] += time.monotonic() - t0
                if on_progress:
                    on_progress(f"{doc} {name}: {walls[name]:.0f} s so far")
    finally:
        for ex in extractors.values():
            ex.close()
    runs = {name: _measure(totals[name], walls[name]) for name in totals}
    first = runs[variants[0][0]]
    ratios = {
        s: {
            "wall": round(r["wall_s"] / max(first["wall_s"], 1e-9), 3),
            "completion_tokens": round(
                r["completion_tokens"] / max(first["completion_tokens"], 1), 3
            ),
        }
        for s, r in runs.items()
    }
    return {
        "options": options,
        "documents": [doc for doc, _ in texts],
        "runs": runs,
        "failed": failed,
        "ratio_to_first": ratios,
    }


_RULES_CHILD = """
import json, sys, time
from pathlib import Path
from extractor import Extractor
paths = [Path(p) for p in json.loads(sys.argv[1])]
texts = [p.read_text(encoding="utf-8") for p in paths]
with Extractor(strategy="rules", use_cache=False) as ex:
    ex.extract_articles(texts[0])  # packs and tables loaded before the clock starts
    t = time.perf_counter()
    for text in texts:
        ex.extract_articles(text)
    seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "documents": len(texts), "chars": sum(map(len, texts))}))
"""


def rules_throughput(roots: list[Path], texts: Sequence[Path], rounds: int = 3) -> dict[str, Any]:
    """Rules-only documents per second of each source tree on the same texts, one process.

    Each round runs every tree once in a fresh interpreter (cwd = the tree, so its
    `extractor` is the one imported), the trees taking turns, so a noisy machine slows
    them alike; the median of the rounds and the ratio of each tree to the first are
    what to read. Loading (imports, packs) is outside the clock: one document is
    extracted before it starts.
    """
    import json
    import statistics
    import subprocess
    import sys

    if not texts:
        raise ValueError("no texts to time")
    arg = json.dumps([str(p.resolve()) for p in texts])
    per_root: dict[str, list[float]] = {str(r): [] for r in roots}
    chars = 0
    for _ in range(rounds):
        for root in roots:
            out = subprocess.run(
                [sys.executable, "-c", _RULES_CHILD, arg],
                cwd=root,
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(out.stdout.strip().splitlines()[-1])
            per_root[str(root)].append(result["documents"] / result["seconds"])
            chars = result["chars"]
    medians = {k: statistics.median(v) for k, v in per_root.items()}
    first = medians[str(roots[0])]
    return {
        "documents": len(texts),
        "chars": chars,
        "rounds": rounds,
        "docs_per_s": {k: [round(x, 2) for x in v] for k, v in per_root.items()},
        "median_docs_per_s": {k: round(v, 2) for k, v in medians.items()},
        "ratio_to_first": {k: round(v / first, 3) for k, v in medians.items()},
    }
