"""Issue 30's check of the Ray engine on polnear/train: the records of extract-many, exactly once.

    python scripts/check_ray.py [--limit N] [--workers 2]

1. Writes the texts of ../shared/corpus/polnear/train/text as a JSONL input in a
   temporary folder (never in the repository).
2. `extract-many --strategy rules` (one process) and `extract-many --engine ray`
   on it: the records must be the same, compared after sorting by id, every field
   but the timings (`seconds`, and each article's `meta.latency_s` / `llm_s`).
3. A Ray run killed mid-run, once its first partition is written (SIGKILL to its
   whole process group: the driver and the local Ray cluster, as a crash would), then
   run again: every document must be in the output exactly once, with the same records.

Prints a JSON report; exit 1 when a check fails, 0 (and says so) where the corpus
is absent. Needs the `ray` extra.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "polnear" / "train" / "text"
CLI = [sys.executable, "-c", "from extractor.cli import main; main()", "extract-many"]


def write_input(folder: Path, out: Path, limit: int | None) -> int:
    """The corpus texts as one JSONL line each (`id`: the file name without .txt)."""
    texts = sorted(folder.glob("*.txt"))[:limit]
    with out.open("w", encoding="utf-8") as fh:
        for path in texts:
            line = {"id": path.stem, "text": path.read_text(encoding="utf-8")}
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    return len(texts)


def records(out: Path) -> list[dict[str, Any]]:
    """Every record of a JSONL file, or of the partitions of a folder."""
    files = sorted(out.glob("part-*.jsonl")) if out.is_dir() else [out]
    lines = [line for f in files for line in f.read_text(encoding="utf-8").splitlines()]
    return [json.loads(line) for line in lines if line.strip()]


def comparable(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sorted by id, the timings left out."""
    for record in found:
        record.pop("seconds", None)
        for article in record.get("articles") or []:
            for timing in ("latency_s", "llm_s"):
                article.get("meta", {}).pop(timing, None)
    return sorted(found, key=lambda r: r["id"])


def run(args: list[str], env: dict[str, str]) -> float:
    t0 = time.monotonic()
    done = subprocess.run([*CLI, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode not in (0, 3):
        sys.exit(f"extract-many {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return round(time.monotonic() - t0, 1)


def killed_then_resumed(source: Path, out: Path, total: int, env: dict[str, str], workers: str):
    """SIGKILL a Ray run once its first partition is written (on a quiet machine the
    second may already hold the rest: partitions land every 1,000 records or 10 s);
    run it again to the end."""
    args = [str(source), "-o", str(out), "--engine", "ray", "--workers", workers]
    args += ["--strategy", "rules"]
    proc = subprocess.Popen(
        [*CLI, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    written = 0
    while proc.poll() is None and written == 0:
        time.sleep(0.5)
        written = len(records(out)) if out.is_dir() else 0
    finished_first = proc.poll() is not None
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = len(records(out))
    seconds = run(args, env)
    return {"written_when_killed": before, "finished_before_kill": finished_first}, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N texts")
    parser.add_argument("--workers", default="2")
    options = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: the polnear corpus is not here ({CORPUS}); it lives in ../shared")
        return 0
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="check-ray-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "EXTRACTOR_CACHE_DIR": str(work / "cache")}
        source = work / "train.jsonl"
        total = report["documents"] = write_input(CORPUS, source, options.limit)
        local = comparable(records_of_run(work / "local.jsonl", source, env, report, "local"))
        ray_args = ["--engine", "ray", "--workers", options.workers]
        ray = comparable(records_of_run(work / "ray", source, env, report, "ray", ray_args))
        report["same_records"] = ray == local
        report["different_ids"] = [a["id"] for a, b in zip(local, ray, strict=False) if a != b][:5]
        kill, report["resume_seconds"] = killed_then_resumed(
            source, work / "killed", total, env, options.workers
        )
        report.update(kill)
        # the kill proves something only if it came with part of the output written
        report["killed_mid_run"] = 0 < kill["written_when_killed"] < total
        resumed = comparable(records(work / "killed"))
        counts = Counter(r["id"] for r in resumed)
        report["resumed_ids"] = len(counts)
        report["resumed_ids_twice"] = sorted(i for i, n in counts.items() if n > 1)[:5]
        report["resumed_exactly_once"] = len(counts) == total and not report["resumed_ids_twice"]
        report["resumed_same_records"] = resumed == local
    print(json.dumps(report, indent=1))
    checks = ("same_records", "killed_mid_run", "resumed_exactly_once", "resumed_same_records")
    return 0 if all(report[c] for c in checks) else 1


def records_of_run(
    out: Path,
    source: Path,
    env: dict[str, str],
    report: dict[str, Any],
    name: str,
    extra: list[str] | None = None,
) -> list[dict[str, Any]]:
    report[f"{name}_seconds"] = run(
        [str(source), "-o", str(out), "--strategy", "rules", *(extra or [])], env
    )
    return records(out)


if __name__ == "__main__":
    sys.exit(main())
