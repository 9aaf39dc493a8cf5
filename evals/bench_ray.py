"""Rules-only documents per second: `extract-many` in one process, and on Ray with 1 and 2 workers.

    extractor eval bench-ray [--limit N] [--rounds R] [--save evals/baselines/bench-ray.json]

The three runs take turns on the same JSONL input, in one sitting, so a noisy
machine slows them alike. Each run is timed two ways:

* `wall_s`: from the call to the last record written, start-up included (for Ray:
  starting the actors, each of which builds its `Extractor`; the Ray session itself
  is started once, before, and reported apart as `ray_start_s`);
* `docs_per_s`: the steady rate, from the first result to the last, so start-up is
  outside it: (documents - the first result's) / (last - first).

The ratios are what to read: `speedup_2_workers` (target >= 1.6) and
`overhead_1_worker` (time per document on one Ray worker over `extract-many`'s,
target <= 1.2), on both timings (`_wall`: start-up included).
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from extractor import Extractor


class Clock:
    """When each result arrived, counted in documents."""

    def __init__(self) -> None:
        self.t0 = time.monotonic()
        self.marks: list[tuple[float, int]] = []

    def tick(self, n: int = 1) -> None:
        self.marks.append((time.monotonic(), n))

    def report(self) -> dict[str, float]:
        first, first_n = self.marks[0]
        last = self.marks[-1][0]
        total = sum(n for _, n in self.marks)
        steady = (total - first_n) / (last - first) if last > first else 0.0
        return {
            "wall_s": round(last - self.t0, 2),
            "first_result_s": round(first - self.t0, 2),
            "docs_per_s": round(steady, 2),
            "wall_docs_per_s": round(total / (last - self.t0), 2),
        }


def write_input(texts: Sequence[Path], out: Path) -> None:
    with out.open("w", encoding="utf-8") as fh:
        for path in texts:
            line = {"id": path.stem, "text": path.read_text(encoding="utf-8")}
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")


def run_local(source: Path, out: Path) -> dict[str, float]:
    """`extract-many` as the command line runs it: one process, one document at a time."""
    from extractor.batch.run import run_batch  # noqa: PLC0415
    from extractor.batch.sources import jsonl_items  # noqa: PLC0415

    clock = Clock()
    with Extractor(strategy="rules") as extractor:
        run_batch(
            lambda text, **kw: extractor.extract_articles(text, published=kw.get("published")),
            jsonl_items(source),
            out,
            on_progress=lambda item, record: clock.tick(),
            config={**extractor.fingerprint(), "published": None},
        )
    return clock.report()


def run_on_ray(source: Path, out: Path, workers: int) -> dict[str, float]:
    """`extract-many --engine ray --workers N` on the running Ray session."""
    from extractor.batch.ray_engine import run_ray  # noqa: PLC0415

    clock = Clock()
    with Extractor(strategy="rules") as extractor:
        run_ray(extractor, [str(source)], str(out), workers=workers, on_progress=clock.tick)
    return clock.report()


def ray_throughput(
    texts: Sequence[Path], rounds: int = 1, progress: Callable[[str], None] = print
) -> dict[str, Any]:
    """The report: each run's timings per round, their medians, and the ratios."""
    from extractor.batch.ray_engine import start  # noqa: PLC0415

    if not texts:
        raise ValueError("no texts to time")
    t0 = time.monotonic()
    start(workers=2)
    report: dict[str, Any] = {
        "documents": len(texts),
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 1) for x in os.getloadavg()],  # a shared machine?
        "ray_start_s": round(time.monotonic() - t0, 2),
    }
    runs: dict[str, list[dict[str, float]]] = {"local": [], "ray1": [], "ray2": []}
    with tempfile.TemporaryDirectory(prefix="bench-ray-") as tmp:
        source = Path(tmp) / "in.jsonl"
        write_input(texts, source)
        for r in range(rounds):
            for name in runs:
                out = Path(tmp) / f"{name}-{r}"
                if name == "local":
                    result = run_local(source, out.with_suffix(".jsonl"))
                else:
                    result = run_on_ray(source, out, int(name[-1]))
                progress(f"round {r + 1}: {name}: {result}")
                runs[name].append(result)
    median = {
        name: {key: statistics.median(x[key] for x in results) for key in results[0]}
        for name, results in runs.items()
    }
    report.update(runs=runs, median=median)
    report["load_average_after"] = [round(x, 1) for x in os.getloadavg()]
    # speedup: documents/s of 2 workers over 1; overhead: time per document on one
    # worker over extract-many's (its documents/s over Ray's), 1.0 = none.
    report["ratios"] = {
        f"{name}{suffix}": round(median[a][key] / median[b][key], 3)
        for name, a, b in (
            ("speedup_2_workers", "ray2", "ray1"),
            ("overhead_1_worker", "local", "ray1"),
        )
        for key, suffix in (("docs_per_s", ""), ("wall_docs_per_s", "_wall"))
    }
    return report
