"""Batches that never lose finished work, and never report unwritten work as done.

Each result is appended to a JSONL file the moment it is finished, as one write on
an O_APPEND descriptor followed by fsync, so a crash (even kill -9) loses at most
the items in flight. A short or failed write or fsync (a full disk) is an
`OutputError` that stops the batch: nothing is "done" that is not on disk.

A batch is a contract with its output file:

* resume is keyed on the item (id and SHA-256 of its text) and on the configuration
  (`config`: model, endpoint, strategy, prompt, lexicon and schema hashes): a run
  with another configuration on the same output refuses (`ConfigError`), unless
  `restart` moves the old file aside;
* one process at a time: a second one on the same output refuses (`OutputError`;
  an flock on `OUTPUT.lock`) instead of doubling the cost;
* a line that is not a JSON object (torn by a crash, or valid JSON of another
  shape) is skipped; a success without its articles is redone;
* an input that is permanently bad (an `InputError`: not text, empty, too long)
  is recorded once, and skipped on later runs until its text changes; transient
  failures are retried on the next run;
* Ctrl-C stops taking new items, waits for the ones in flight, writes them, and
  says so (`BatchSummary.interrupted`).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, ExtractorError, InputError, OutputError
from ..llm.redact import redact_text
from ..text.inputs import DEFAULT_MAX_BYTES, read_bytes, text_of

# Failures that another run cannot fix: recorded once, skipped until the text changes.
PERMANENT = ("InputError",)
UNREADABLE = "unreadable"  # the digest of an input that cannot be read at all


@dataclass(frozen=True)
class BatchItem:
    """One input: a file, or (from a JSONL input) a text with its own date."""

    id: str
    path: Path
    text: str | None = None
    published: str | None = None
    url: str | None = None
    problem: str | None = None  # a JSONL line that is not an article: recorded, once
    meta: dict[str, Any] | None = None  # the caller's own object, copied into the record


@dataclass
class BatchSummary:
    total: int = 0
    skipped: int = 0
    done: int = 0
    failed: int = 0
    seconds: float = 0.0
    failures: list[dict[str, Any]] = field(default_factory=list)
    interrupted: bool = False
    not_started: int = 0


def sha256_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """SHA-256 of a file's bytes, read to the limit (a file that cannot be read: "")."""
    try:
        return hashlib.sha256(read_bytes(path, max_bytes)).hexdigest()
    except InputError:
        return ""


def config_hash(config: dict[str, Any]) -> str:
    """A short hash of the configuration that shapes every result of a batch."""
    canonical = json.dumps(config, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def read_records(path: Path) -> list[dict[str, Any]]:
    """Every complete JSON-object line of a results file; anything else is skipped.

    A line cut by a crash, or valid JSON that is not an object (`[]`, `3`, `"x"`),
    is simply not a record: its item is not done.
    """
    if not path.is_file():
        return []
    records = []
    with path.open("rb") as fh:
        for raw in fh:
            line = raw.decode("utf-8", errors="replace").strip()
            if not line:
                continue
            try:
                record = json.loads(line)
            except (json.JSONDecodeError, RecursionError):
                continue
            if isinstance(record, dict):
                records.append(record)
    return records


def _is_done(record: dict[str, Any]) -> bool:
    """A success with its articles, or a failure that no rerun can fix."""
    if not isinstance(record.get("sha256"), str) or not record.get("sha256"):
        return False
    if record.get("ok") is True:
        return isinstance(record.get("articles"), list)
    error = record.get("error")
    return (
        record.get("ok") is False
        and isinstance(error, dict)
        and error.get("type") in PERMANENT
        and error.get("permanent") is True
    )


class JsonlWriter:
    """Appends whole lines atomically; thread-safe; a failed write raises OutputError."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(
                f"{path}: cannot write the output ({exc.strerror or exc})", path=str(path)
            ) from None
        size = os.fstat(self._fd).st_size
        if size:
            with path.open("rb") as fh:
                fh.seek(size - 1)
                if fh.read(1) != b"\n":  # a torn line from a crash: close it off
                    self._write(b"\n")

    def _write(self, data: bytes) -> None:
        """Every byte, then fsync; a short write is continued, a failed one raised."""
        view = memoryview(data)
        try:
            while view:
                written = os.write(self._fd, view)
                if written <= 0:
                    raise OSError(errno.EIO, "write returned 0 bytes")
                view = view[written:]
            os.fsync(self._fd)
        except OSError as exc:
            raise OutputError(
                f"{self.path}: writing a result failed ({exc.strerror or exc}); "
                "it is not done and will be redone",
                path=str(self.path),
            ) from None

    def append(self, record: dict[str, Any]) -> None:
        data = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            self._write(data)

    def close(self) -> None:
        os.close(self._fd)


@contextlib.contextmanager
def output_lock(out_path: Path) -> Iterator[None]:
    """Hold an exclusive flock on `OUTPUT.lock`: a second batch on the same output refuses."""
    lock_path = out_path.with_name(out_path.name + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(
            f"{lock_path}: cannot create the lock ({exc.strerror or exc})", path=str(lock_path)
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(
                f"{out_path}: another batch is writing this output (lock {lock_path.name}); "
                "wait for it or choose another output",
                path=str(out_path),
            ) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock


def configs_path(out_path: Path) -> Path:
    """Where a batch output keeps the configurations its hashes stand for."""
    return out_path.with_name(out_path.name + ".configs.json")


def _remember_config(out_path: Path, key: str, config: dict[str, Any]) -> None:
    """Add `config` under its hash to the output's configurations file (best effort)."""
    path = configs_path(out_path)
    try:
        known = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        if not isinstance(known, dict) or known.get(key) == config:
            return
        known[key] = config
        path.write_text(json.dumps(known, ensure_ascii=False, indent=1), encoding="utf-8")
    except (OSError, ValueError):
        pass  # only the refusal message is poorer without it


def _differences(out_path: Path, others: list[str], config: str) -> str:
    """What differs between the output's configuration and this run's, in words."""
    try:
        known = json.loads(configs_path(out_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    mine = known.get(config) if isinstance(known, dict) else None
    theirs = known.get(others[0]) if isinstance(known, dict) else None
    if not isinstance(mine, dict) or not isinstance(theirs, dict):
        return f"{', '.join(others)}; this run is {config}"
    changed = [
        f"{k}: {theirs.get(k)!r} there, {mine.get(k)!r} now"
        for k in sorted(set(mine) | set(theirs))
        if mine.get(k) != theirs.get(k)
    ]
    return "; ".join(changed) or f"{', '.join(others)}; this run is {config}"


def _check_config(
    out_path: Path, records: list[dict[str, Any]], config: str | None, restart: bool
) -> list[dict[str, Any]]:
    """Refuse (or, with `restart`, set aside) an output written under another configuration."""
    if config is None or not records:
        return records
    others = {str(r.get("config")) for r in records if r.get("config") != config}
    if not others:
        return records
    if not restart:
        raise ConfigError(
            f"{out_path} holds results of another configuration "
            f"({_differences(out_path, sorted(others), config)}); use another output, or "
            "--restart to set it aside"
        )
    aside = out_path.with_name(f"{out_path.name}.{time.strftime('%Y%m%dT%H%M%S')}.previous")
    try:
        out_path.rename(aside)
    except OSError as exc:
        raise OutputError(
            f"{out_path}: cannot set the old results aside ({exc.strerror or exc})",
            path=str(out_path),
        ) from None
    return []


def error_record(exc: BaseException) -> dict[str, Any]:
    """A failure as the `error` of a results line: its type and message, plus its data."""
    if isinstance(exc, ExtractorError):
        to_dict = getattr(exc, "to_dict", None)
        error: dict[str, Any] = (
            to_dict()
            if callable(to_dict)
            else {"type": type(exc).__name__, "message": exc.public_message()}
        )
        reason = getattr(exc, "reason", None)
        if isinstance(reason, str):
            error.setdefault("reason", reason)
        if isinstance(exc, InputError):
            error["permanent"] = True
        return error
    # not one of ours (a bug): its type, and its text without any key in it
    return {"type": type(exc).__name__, "message": redact_text(str(exc))[:500]}


def run_batch(
    extract: Callable[..., list[Any]],
    items: Iterable[BatchItem],
    out_path: Path,
    *,
    concurrency: int = 1,
    on_progress: Callable[[BatchItem, dict[str, Any]], None] | None = None,
    around: Callable[[BatchItem], AbstractContextManager[object]] | None = None,
    config: dict[str, Any] | None = None,
    restart: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_skipped: Callable[[int], None] | None = None,
) -> BatchSummary:
    """Extract every item not already done into `out_path` (JSONL), resumably.

    `extract` maps a text to a list of pydantic articles; an item with its own
    `published` date is extracted as `extract(text, published=...)`. Errors raised
    by it are recorded, never raised: one bad item never stops a batch. Errors of
    the output itself (`OutputError`) and of the contract (`ConfigError`) are
    raised. `around` opens a context for each item's extraction (the eval harness
    records or replays one cassette per document that way). `on_skipped` is told
    how many items were already done, so a progress bar can count them.
    """
    if not isinstance(concurrency, int) or isinstance(concurrency, bool) or concurrency < 1:
        raise ConfigError(f"concurrency must be at least 1, got {concurrency!r}")
    unique: dict[str, BatchItem] = {}
    for item in items:
        unique.setdefault(item.id, item)  # the same input listed twice is done once
    todo_items = list(unique.values())
    summary = BatchSummary(total=len(todo_items))
    started = time.monotonic()
    with output_lock(out_path):
        key = config_hash(config) if config is not None else None
        if key is not None and config is not None:
            _remember_config(out_path, key, config)
        records = _check_config(out_path, read_records(out_path), key, restart)
        done = {(r.get("id"), r.get("sha256")) for r in records if _is_done(r)}
        todo: list[tuple[BatchItem, str]] = []
        for item in todo_items:
            if item.text is not None:
                digest = hashlib.sha256(item.text.encode("utf-8", "surrogatepass")).hexdigest()
            else:
                digest = sha256_file(item.path, max_bytes) or UNREADABLE
            if (item.id, digest) in done:
                summary.skipped += 1
            else:
                todo.append((item, digest))
        if on_skipped and summary.skipped:
            on_skipped(summary.skipped)
        writer = JsonlWriter(out_path)
        try:
            _run(extract, todo, writer, summary, concurrency, on_progress, around, key, max_bytes)
        finally:
            writer.close()
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


def _run(
    extract: Callable[..., list[Any]],
    todo: list[tuple[BatchItem, str]],
    writer: JsonlWriter,
    summary: BatchSummary,
    concurrency: int,
    on_progress: Callable[[BatchItem, dict[str, Any]], None] | None,
    around: Callable[[BatchItem], AbstractContextManager[object]] | None,
    key: str | None,
    max_bytes: int,
) -> None:
    queue = deque(todo)
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        pending: dict[Future[dict[str, Any]], BatchItem] = {}
        while queue or pending:
            while queue and len(pending) < concurrency and not summary.interrupted:
                item, digest = queue.popleft()
                future = pool.submit(
                    _extract_item,
                    extract,
                    item,
                    digest,
                    around=around,
                    key=key,
                    max_bytes=max_bytes,
                )
                pending[future] = item
            try:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            except KeyboardInterrupt:
                if summary.interrupted:
                    raise  # a second Ctrl-C: stop waiting for the items in flight
                summary.interrupted = True
                summary.not_started = len(queue)
                queue.clear()
                continue
            for future in finished:
                item = pending.pop(future)
                record = future.result()
                writer.append(record)  # an OutputError here stops the batch
                if record["ok"]:
                    summary.done += 1
                else:
                    summary.failed += 1
                    summary.failures.append({"id": item.id, **record["error"]})
                if on_progress:
                    on_progress(item, record)


def _extract_item(
    extract: Callable[..., list[Any]],
    item: BatchItem,
    digest: str,
    *,
    around: Callable[[BatchItem], AbstractContextManager[object]] | None,
    key: str | None,
    max_bytes: int,
) -> dict[str, Any]:
    """One item's results line: its articles, or the error that stopped it (never raised)."""
    t0 = time.monotonic()
    record: dict[str, Any] = {"id": item.id, "file": str(item.path), "sha256": digest}
    if item.url:
        record["url"] = item.url
    if item.meta is not None:
        record["meta"] = item.meta
    if key is not None:
        record["config"] = key
    try:
        if item.problem is not None:
            raise InputError(item.problem, reason="jsonl")
        published = item.published
        if item.text is None:
            data = read_bytes(item.path, max_bytes)
            record["sha256"] = hashlib.sha256(data).hexdigest()  # what was extracted
            text, _, page_date = text_of(data, str(item.path))
            published = published or page_date  # an HTML page's own date
        else:
            text = item.text
        with around(item) if around else nullcontext():
            articles = extract(text) if published is None else extract(text, published=published)
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


def latest_records(path: Path) -> dict[str, dict[str, Any]]:
    """The last record of each id (a later success replaces an earlier failure)."""
    latest: dict[str, dict[str, Any]] = {}
    for record in read_records(path):
        if record.get("ok") or record.get("id") not in latest:
            latest[str(record.get("id"))] = record
    return latest
