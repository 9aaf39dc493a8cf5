"""Batches that never lose finished work.

Each result is appended to a JSONL file the moment it is finished, as one write on
an O_APPEND descriptor followed by fsync, so a crash (even kill -9) loses at most
the items in flight. A rerun reads the file, skips every item already done with
the same text (by SHA-256), and finishes the rest. Failures are recorded next to
successes with their typed error, and retried on the next run.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ExtractionError
from .inputs import read_input


@dataclass(frozen=True)
class BatchItem:
    id: str
    path: Path


@dataclass
class BatchSummary:
    total: int = 0
    skipped: int = 0
    done: int = 0
    failed: int = 0
    seconds: float = 0.0
    failures: list[dict[str, Any]] = field(default_factory=list)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_records(path: Path) -> list[dict[str, Any]]:
    """Every complete JSON line of a results file; a torn last line is ignored."""
    if not path.is_file():
        return []
    records = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a line cut by a crash: its item is simply not done
    return records


class JsonlWriter:
    """Appends whole lines atomically; thread-safe."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        size = os.fstat(self._fd).st_size
        if size:
            with path.open("rb") as fh:
                fh.seek(size - 1)
                if fh.read(1) != b"\n":  # a torn line from a crash: close it off
                    os.write(self._fd, b"\n")

    def append(self, record: dict[str, Any]) -> None:
        data = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            os.write(self._fd, data)
            os.fsync(self._fd)

    def close(self) -> None:
        os.close(self._fd)


def error_record(exc: BaseException) -> dict[str, Any]:
    """A failure as the `error` of a results line: its type and message, plus its data."""
    if isinstance(exc, ExtractionError):
        return exc.to_dict()
    return {"type": type(exc).__name__, "message": str(exc)}


def run_batch(
    extract: Callable[[str], list[Any]],
    items: Iterable[BatchItem],
    out_path: Path,
    *,
    concurrency: int = 1,
    on_progress: Callable[[BatchItem, dict[str, Any]], None] | None = None,
    around: Callable[[BatchItem], AbstractContextManager[object]] | None = None,
) -> BatchSummary:
    """Extract every item not already done into `out_path` (JSONL), resumably.

    `extract` maps a text to a list of pydantic articles. Errors raised by it are
    recorded, never raised: one bad item never stops a batch. `around` opens a
    context for each item's extraction (the eval harness records or replays one
    cassette per document that way).
    """
    items = list(items)
    done = {(r.get("id"), r.get("sha256")) for r in read_records(out_path) if r.get("ok")}
    summary = BatchSummary(total=len(items))
    started = time.monotonic()
    todo: list[tuple[BatchItem, str]] = []
    for item in items:
        digest = sha256_file(item.path) if item.path.is_file() else ""
        if (item.id, digest) in done:
            summary.skipped += 1
        else:
            todo.append((item, digest))
    writer = JsonlWriter(out_path)

    def work(item: BatchItem, digest: str) -> dict[str, Any]:
        t0 = time.monotonic()
        record: dict[str, Any] = {"id": item.id, "file": str(item.path), "sha256": digest}
        try:
            with around(item) if around else nullcontext():
                articles = extract(read_input(item.path)[0])
            failed = next((a.error for a in articles if a.error is not None), None)
            # An article that failed makes the item not done (a rerun redoes it, its
            # finished articles then come from the cache), but its finished articles
            # are written all the same: nothing that was paid for is thrown away.
            record.update(ok=failed is None, articles=[a.model_dump(mode="json") for a in articles])
            if failed is not None:
                record["error"] = failed.model_dump(mode="json")
        except Exception as exc:  # noqa: BLE001  (recorded with its type, batch goes on)
            record.update(ok=False, error=error_record(exc))
        record["seconds"] = round(time.monotonic() - t0, 3)
        return record

    try:
        with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
            pending: dict[Future[dict[str, Any]], BatchItem] = {}
            queue = list(todo)
            while queue or pending:
                while queue and len(pending) < max(1, concurrency):
                    item, digest = queue.pop(0)
                    pending[pool.submit(work, item, digest)] = item
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    item = pending.pop(future)
                    record = future.result()
                    writer.append(record)
                    if record["ok"]:
                        summary.done += 1
                    else:
                        summary.failed += 1
                        summary.failures.append({"id": item.id, **record["error"]})
                    if on_progress:
                        on_progress(item, record)
    finally:
        writer.close()
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


def latest_records(path: Path) -> dict[str, dict[str, Any]]:
    """The last record of each id (a later success replaces an earlier failure)."""
    latest: dict[str, dict[str, Any]] = {}
    for record in read_records(path):
        if record.get("ok") or record.get("id") not in latest:
            latest[str(record.get("id"))] = record
    return latest
