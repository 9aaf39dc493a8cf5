"""`extract-many` on Ray Data: the same records, from an actor pool on one machine or a cluster.

Users with a corpus already in Parquet or JSONL (a year of an outlet, a GDELT-sized
feed) hand it to Ray Data; `extract_dataset` maps it through a pool of actors, each
of which builds one `Extractor` in its constructor, so the backend, the cache and
the lexicons are loaded once per worker, never per row. Each row goes through the
per-document code of `extract-many` (`run._extract_item`), so a record written here
is the record `extract-many` writes: the same fields, the same failures.

The command line's runner (`extract-many --engine ray`) adds `extract-many`'s
contract with its output, over a folder of partitions instead of one file:

* resume: a document whose id and text hash are already done in any partition is
  skipped (a transient failure is retried, as in `extract-many`); an output of
  another configuration is refused (`ConfigError`), or set aside with `restart`;
* the results stream back to this process, which writes them in partitions of up to
  `partition_rows` records (`part-*.jsonl`, or `part-*.parquet` when the output is
  named `*.parquet`), each under a temporary name, synced, then renamed: a run
  killed at any point leaves only whole partitions, so every document ends up in
  the output exactly once;
* one process at a time on a local output (an flock, as `extract-many` takes).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.json as pajson
import ray
import ray.data
from ray.data.expressions import col

from ..errors import ConfigError, InputError
from ..extract import Extractor
from ..settings import Settings
from ..text.inputs import BYTES_PER_CHAR_LIMIT
from .partitions import PARQUET_COLUMNS as RESULT_SCHEMA
from .partitions import Partitions
from .run import BatchItem, BatchSummary, _extract_item, _is_done, config_hash, output_lock
from .sources import _item

# A partition is written at least this often (seconds): what a killed run can lose.
PARTITION_SECONDS = 10.0
# JSON readers would turn "2024-05-01" into a timestamp; the contract's fields are text.
_TEXT_FIELDS = pa.schema([("published", pa.string()), ("url", pa.string())])


class ExtractBatch:
    """The actor of the pool: one `Extractor` per worker, used for every row it is given."""

    def __init__(
        self,
        settings: Settings,
        published: str | None = None,
        config: str | None = None,
        done: Collection[tuple[str, str]] = (),
    ) -> None:
        self.extractor = Extractor(settings)  # backend, cache and lexicons: once per worker
        self.published = published
        self.config = config
        self.done = frozenset(done)
        self.max_bytes = settings.max_chars * BYTES_PER_CHAR_LIMIT

    def extract(self, text: str, **kw: Any) -> list[Any]:
        published = kw.get("published", self.published)
        return self.extractor.extract_articles(text, published=published)

    def __call__(self, batch: pa.Table) -> pa.Table:
        rows: dict[str, list[Any]] = {name: [] for name in RESULT_SCHEMA.names}
        for row in batch.to_pylist():
            item = row_item(row)
            digest = hashlib.sha256((item.text or "").encode("utf-8", "surrogatepass")).hexdigest()
            record = None
            if (item.id, digest) not in self.done:  # skipped rows stay, with no record
                record = _extract_item(
                    self.extract,
                    item,
                    digest,
                    around=None,
                    key=self.config,
                    max_bytes=self.max_bytes,
                )
            rows["id"].append(item.id)
            rows["sha256"].append(digest)
            rows["ok"].append(None if record is None else bool(record["ok"]))
            rows["record"].append(
                None if record is None else json.dumps(record, ensure_ascii=False)
            )
        return pa.table(rows, schema=RESULT_SCHEMA)


def row_item(row: dict[str, Any]) -> BatchItem:
    """The item of one document row, validated exactly as a line of a JSONL source is.

    The row travels as its JSON line through `sources._item`, so every field that
    `extract-many` reads from a line (`id`, `text`, `published`, `url`, `meta`) is
    read here the same way. `file` names where the row came from (the record's
    `file`). A row that is no article is an item that fails, with an id made from
    its content (a dataset row has no line number).
    """
    source = Path(str(row.pop("file", None) or "dataset"))
    line = json.dumps(row, ensure_ascii=False, default=_json_value)
    item = _item(source, 0, line)
    if item.problem is not None:
        digest = hashlib.sha256(line.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        item = replace(item, id=f"{source}:{digest}", problem=item.problem.replace(" line 0", ""))
    return item


def _json_value(value: object) -> object:
    """A Parquet date (or a timestamp at midnight) as YYYY-MM-DD; anything else as text."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def extract_dataset(
    ds: ray.data.Dataset,
    settings: Settings | None = None,
    *,
    workers: int = 2,
    published: str | None = None,
    done: Collection[tuple[str, str]] = (),
    batch_size: int = 8,
) -> ray.data.Dataset:
    """The records of a dataset of documents, from a pool of `workers` actors.

    `ds` holds one row per document: `id`, `text`, and optionally `published`
    (YYYY-MM-DD), `url`, `meta`, and `file` (its source, the record's `file`).
    The result has one row per document: `id`, `sha256` (of its text), `ok`, and
    `record`, the JSON line `extract-many` writes for it (a failure included).
    Documents whose `(id, sha256)` is in `done` are left out. Lazy, as every Ray
    Data transformation: nothing runs until the result is consumed or written.
    """
    extracted = _extracted(ds, settings or Settings.resolve(), workers, published, done, batch_size)
    return extracted.filter(expr=col("record").is_not_null())


def _extracted(
    ds: ray.data.Dataset,
    settings: Settings,
    workers: int,
    published: str | None,
    done: Collection[tuple[str, str]],
    batch_size: int,
    config: str | None = None,
) -> ray.data.Dataset:
    """Every row's result, the skipped ones with `record` null (counted by the runner)."""
    if workers < 1:
        raise ConfigError(f"workers must be at least 1, got {workers}")
    # Blocks of one batch each: a JSONL file is read as one block, and a block goes to
    # one actor, so without this one worker would get the whole file.
    ds = ds.repartition(target_num_rows_per_block=batch_size)
    return ds.map_batches(
        ExtractBatch,
        fn_constructor_kwargs={
            "settings": settings,
            "published": published,
            "config": config,
            "done": frozenset(done),
        },
        compute=ray.data.ActorPoolStrategy(size=workers),
        batch_size=batch_size,
        batch_format="pyarrow",
        num_cpus=1,
    )


def read_documents(sources: list[str]) -> ray.data.Dataset:
    """The documents of JSONL and Parquet sources (paths or URIs pyarrow reads), as one dataset.

    Each row gets a `file` column: the source it came from, as `extract-many`
    writes it into the record.
    """
    if not sources:
        raise InputError("no sources given", reason="missing")
    parts = []
    for source in sources:
        if source.rstrip("/").endswith(".parquet"):
            ds = ray.data.read_parquet(source)
        else:
            options = pajson.ParseOptions(
                explicit_schema=_TEXT_FIELDS, unexpected_field_behavior="infer"
            )
            ds = ray.data.read_json(source, parse_options=options)
        parts.append(ds.add_column("file", _constant(source), batch_format="pyarrow"))
    return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]


def _constant(value: str) -> Callable[[pa.Table], pa.Array]:
    return lambda batch: pa.array([value] * batch.num_rows, type=pa.string())


def start(address: str | None = None, *, workers: int = 2, **options: Any) -> bool:
    """Connect to the cluster at `address` (`ray://HOST:10001`, `auto`), or start one here.

    Already connected (a notebook, a test's session): nothing to do (False). A local session
    has no dashboard, and one CPU more than the machine's (or than `workers`): each
    actor holds one, and Ray Data's read tasks need one free to feed them, or the
    pool waits forever for rows. Ray's progress bars and plan logs are off: the
    runner shows its own progress.
    """
    ray.data.DataContext.get_current().enable_progress_bars = False
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    if ray.is_initialized():
        return False
    if address is None:
        # Ray starts its workers at nice 15; here they do the work itself, and on a
        # shared machine they would yield it to everyone else.
        os.environ.setdefault("RAY_worker_niceness", "0")
        cpus = max(os.cpu_count() or 1, workers) + 1
        options = {"num_cpus": cpus, "include_dashboard": False, **options}
    ray.init(address=address, logging_level=logging.WARNING, **options)
    return True


def run_ray(
    extractor: Extractor,
    sources: list[str],
    out: str,
    *,
    workers: int = 2,
    address: str | None = None,
    published: str | None = None,
    restart: bool = False,
    partition_rows: int = 1000,
    on_progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> BatchSummary:
    """`extract-many` over `sources` on Ray into the partitions of `out`, resumably.

    `on_total` hears how many documents there are, `on_progress` how many more
    are finished or skipped. Ctrl-C stops the run; every partition written stays.
    """
    started = time.monotonic()
    config = {**extractor.fingerprint(), "published": published}
    key = config_hash(config)
    parts = Partitions(out)
    lock = output_lock(Path(parts.root)) if parts.local else contextlib.nullcontext()
    with lock:
        done = _done_keys(parts, key, restart)
        started_here = start(address, workers=workers)
        summary = BatchSummary()
        try:
            ds = read_documents(sources)
            results = _extracted(ds, extractor.settings, workers, published, done, 8, key)
            summary.total = ds.count()
            if on_total:
                on_total(summary.total)
            _consume(results, parts, summary, partition_rows, on_progress)
        except KeyboardInterrupt:
            summary.interrupted = True
            summary.not_started = summary.total - summary.done - summary.failed - summary.skipped
        finally:
            if started_here:
                ray.shutdown()
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


def _done_keys(parts: Partitions, key: str, restart: bool) -> set[tuple[str, str]]:
    """The (id, sha256) of every document done in the output; another configuration refused."""
    records = list(parts.records())
    others = sorted({str(r.get("config")) for r in records if r.get("config") != key})
    if others and not restart:
        raise ConfigError(
            f"{parts.out} holds results of another configuration ({', '.join(others)}; this "
            f"run is {key}); use another output, or --restart to set it aside"
        )
    if others:
        aside = f"{parts.root.rstrip('/')}.{time.strftime('%Y%m%dT%H%M%S')}.previous"
        parts.fs.move(parts.root, aside)
        return set()
    return {(str(r.get("id")), str(r["sha256"])) for r in records if _is_done(r)}


def _consume(
    results: ray.data.Dataset,
    parts: Partitions,
    summary: BatchSummary,
    partition_rows: int,
    on_progress: Callable[[int], None] | None,
) -> None:
    """Stream the results here, writing a partition every `partition_rows` or 10 seconds.

    A killed run loses at most the last 10 seconds of work (redone when it is run again).
    """
    pending: list[dict[str, Any]] = []
    flushed = time.monotonic()
    for batch in results.iter_batches(batch_format="pyarrow", batch_size=None):
        table = pa.table(batch)
        for row in table.to_pylist():
            if row["record"] is None:
                summary.skipped += 1
                continue
            pending.append(row)
            if row["ok"]:
                summary.done += 1
            else:
                summary.failed += 1
                error = json.loads(row["record"]).get("error") or {}
                summary.failures.append({"id": row["id"], **error})
        if on_progress:
            on_progress(table.num_rows)
        if pending and (
            len(pending) >= partition_rows or time.monotonic() - flushed > PARTITION_SECONDS
        ):
            parts.write(pending)
            pending, flushed = [], time.monotonic()
    if pending:
        parts.write(pending)
