"""`extract-many --batch-api`: the model's calls as rounds of an OpenAI Batch, same records.

A model strategy asks in sequence (the names, then the questions those answers
raise), so a batch runs in rounds. Each round reads every unfinished document
against a `CollectingLLM`: answers the batch already holds are replayed as the
live call would have parsed them; the first missing one is noted and stops that
document (`Pending`). The round's requests go up as one Batch input file
(`custom_id` = the cache key), and its output and errors files come back into the
work folder `OUT.batch/`. When no document waits any longer, a last pass writes
the records through `run.run_batch`, the same writer, resume and configuration
contract as `extract-many`; so the records are the live run's, and the disk cache
ends as a live run leaves it (a later live run hits it).

A request in the errors file, or answered with another status, is sent again in
the next round, at most `max_tries` times in all; then its document is recorded as
failed with the reason. An expired or cancelled batch keeps the lines it finished;
the rest go again. `OUT.batch/manifest.json` records each round's file and batch
ids as soon as the server gives them, so a run stopped while a batch is under way
resumes by polling that batch, never by sending it again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import time
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from ..errors import ConfigError, InputError, OutputError
from ..extract import Extractor
from ..llm.batches import FINISHED, BatchClient, BatchState, CollectingLLM, Pending, request_line
from ..llm.batches import result_lines as _result_lines
from ..llm.cache import CachedCompletion, CompletionCache
from ..text.inputs import DEFAULT_MAX_BYTES, read_bytes, text_of
from .answers import AnswerStore
from .run import (
    UNREADABLE,
    BatchItem,
    BatchSummary,
    config_hash,
    output_lock,
    read_records,
    run_batch,
    sha256_file,
)


@dataclass(frozen=True)
class BatchOptions:
    """How a batch is sent and waited for."""

    poll_interval: float = 30.0  # the first wait between polls; it grows by half each time
    poll_max: float = 600.0
    window: str = "24h"  # the completion window asked for (OpenAI accepts only 24h)
    max_rounds: int = 64
    max_tries: int = 3  # times one request is sent before its document fails
    max_lines: int = 50_000  # per input file (OpenAI's limit), a round takes several beyond
    max_file_bytes: int = 190_000_000  # per input file (OpenAI's limit is 200 MB)


class Batch(BaseModel):
    """One submitted batch: its round, its local input file and the server's ids, once known."""

    number: int
    round: int
    input: str
    requests: int
    file_id: str | None = None
    batch_id: str | None = None
    status: str | None = None
    collected: bool = False


class Manifest(BaseModel):
    """The state a stopped batch resumes from (no keys, no texts: ids and reasons)."""

    format: int = 1
    batches: list[Batch] = Field(default_factory=list)
    tries: dict[str, list[str]] = Field(default_factory=dict)  # custom_id: why it came back
    waits: dict[str, int] = Field(default_factory=dict)  # document id: rounds it had a request


@dataclass
class BatchReport:
    """The records' summary, and what the batch cost in rounds and requests."""

    summary: BatchSummary
    rounds: int = 0
    requests: int = 0
    waits: dict[str, int] = field(default_factory=dict)


class RoundCache(CompletionCache):
    """The disk cache as a live run sees it, though the batch's answers came rounds ago.

    A key the batch answered reads as a miss unless this document's current pass
    wrote it, so its call is replayed from the batch's answer and counted (usage,
    attempts, notes) as the live call was; entries from before the batch still hit,
    as they would live. Writes go through: the cache ends as a live run leaves it.
    """

    def __init__(self, inner: CompletionCache, answered: Container[str]) -> None:
        # Not the base initializer: this wraps an open cache, it opens none.
        self.inner, self.answered = inner, answered
        self.directory, self.disabled = inner.directory, inner.disabled
        self.written: set[str] = set()

    @contextlib.contextmanager
    def document(self) -> Iterator[None]:
        """One document's pass: what it writes, it may read back (as live)."""
        self.written = set()
        yield

    def get(self, key: str) -> CachedCompletion | None:
        if key in self.answered and key not in self.written:
            return None
        return self.inner.get(key)

    def put(
        self, key: str, raw: str, usage: dict[str, int], notes: list[str] | None = None
    ) -> None:
        self.written.add(key)
        self.inner.put(key, raw, usage, notes)

    def drop(self, key: str) -> None:
        self.inner.drop(key)

    def info(self) -> dict[str, Any]:
        return self.inner.info()

    def clear(self) -> int:
        return self.inner.clear()

    def close(self) -> None:
        self.inner.close()


def work_folder(out_path: Path) -> Path:
    """Where a batch output keeps its manifest and its rounds' files."""
    return out_path.with_name(out_path.name + ".batch")


def run_batch_api(
    extractor: Extractor,
    items: Iterable[BatchItem],
    out_path: Path,
    *,
    client: BatchClient,
    options: BatchOptions = BatchOptions(),
    published: str | None = None,
    config: dict[str, Any] | None = None,
    restart: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_event: Callable[[str], None] | None = None,
    on_progress: Callable[[BatchItem, dict[str, Any]], None] | None = None,
    on_skipped: Callable[[int], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> BatchReport:
    """Rounds of batches until no document waits, then the records into `out_path`."""
    inner = _refuse(extractor)
    unique: dict[str, BatchItem] = {}
    for item in items:
        unique.setdefault(item.id, item)  # the same input listed twice is done once
    key = config_hash(config) if config is not None else None
    work = work_folder(out_path)
    work.mkdir(parents=True, exist_ok=True)
    with output_lock(work / "manifest.json"):
        manifest = _load(work)
        answers = AnswerStore(work / "answers.sqlite")
        cache = RoundCache(inner, answers)
        collector = CollectingLLM(
            model=extractor.identity()[0],
            mode=extractor.settings.mode,
            compact_json=extractor.settings.grammar_backend,
            answers=answers,
            base_url=extractor.settings.base_url,
        )
        runner = Extractor(extractor.settings.with_(use_cache=False), llm=collector)
        runner.cache = cache  # the only cache it reads: no second one is opened

        def extract(text: str, **kw: Any) -> list[Any]:
            return runner.extract_articles(text, published=kw.get("published", published))

        todo = _todo(list(unique.values()), out_path, key, restart, max_bytes)
        session = _Session(client, work, manifest, answers, options, sleep, on_event)
        rounds, sent = session.rounds(extract, todo, collector, cache, max_bytes)
        collector.final = True
        collector.given_up = session.given_up()
        summary = run_batch(
            extract,
            list(unique.values()),
            out_path,
            around=lambda item: cache.document(),
            config=config,
            restart=restart,
            max_bytes=max_bytes,
            on_progress=on_progress,
            on_skipped=on_skipped,
        )
        _save(work, manifest)
        answers.close()
    return BatchReport(summary=summary, rounds=rounds, requests=sent, waits=dict(manifest.waits))


def _refuse(extractor: Extractor) -> CompletionCache:
    """What a batch cannot do, said before anything is sent; else the extractor's cache."""
    s = extractor.settings
    if s.strategy == "rules":
        raise ConfigError("--batch-api is for the model strategies; rules calls no model")
    if extractor.cache is None:
        raise ConfigError("--batch-api needs the cache (its requests are named by cache keys)")
    if s.embedded:
        raise ConfigError("--batch-api needs a server with the Batch API (--base-url or OpenAI)")
    return extractor.cache


def _todo(
    items: list[BatchItem], out_path: Path, key: str | None, restart: bool, max_bytes: int
) -> list[BatchItem]:
    """The items the output does not hold yet (under this configuration)."""
    records = read_records(out_path)
    others = {r.get("config") for r in records if key is not None and r.get("config") != key}
    if others and not restart:
        raise ConfigError(
            f"{out_path} holds results of another configuration; use another output, or "
            "--restart to set it aside (nothing was sent)"
        )
    done = {
        (r.get("id"), r.get("sha256"))
        for r in records
        if r.get("config") == key
        and (r.get("ok") is True or (r.get("error") or {}).get("permanent") is True)
    }
    out = []
    for item in items:
        if item.text is not None:
            digest = hashlib.sha256(item.text.encode("utf-8", "surrogatepass")).hexdigest()
        else:
            digest = sha256_file(item.path, max_bytes) or UNREADABLE
        if (item.id, digest) not in done:
            out.append(item)
    return out


def _document(item: BatchItem, max_bytes: int) -> tuple[str, dict[str, Any]] | None:
    """The item's text and date as `run_batch` reads them; None when it cannot be read."""
    if item.problem is not None:
        return None
    if item.text is not None:
        return item.text, ({"published": item.published} if item.published else {})
    try:
        text, _, page_date = text_of(read_bytes(item.path, max_bytes), str(item.path))
    except InputError:
        return None
    date = item.published or page_date
    return text, ({"published": date} if date else {})


def _discover(
    extract: Callable[..., list[Any]],
    todo: list[BatchItem],
    cache: RoundCache,
    max_bytes: int,
    spill: Callable[[], None],
) -> set[str]:
    """Read each document as far as the answers go; the ids of those left waiting.

    `spill` is told after each document, to write out a full input file.
    """
    waiting = set()
    for item in todo:
        document = _document(item, max_bytes)
        if document is None:
            continue  # the last pass records why
        text, kw = document
        with cache.document():
            try:
                extract(text, **kw)
            except Pending:
                waiting.add(item.id)
            except Exception:  # noqa: BLE001  (the last pass records every failure)
                pass
        spill()
    return waiting


@dataclass
class _Session:
    """One run's conversation with the Batch API, and the manifest it keeps up to date."""

    client: BatchClient
    work: Path
    manifest: Manifest
    answers: AnswerStore
    options: BatchOptions
    sleep: Callable[[float], None]
    on_event: Callable[[str], None] | None

    def tell(self, line: str) -> None:
        if self.on_event is not None:
            self.on_event(line)

    def rounds(
        self,
        extract: Callable[..., list[Any]],
        todo: list[BatchItem],
        collector: CollectingLLM,
        cache: RoundCache,
        max_bytes: int,
    ) -> tuple[int, int]:
        """Rounds until no document waits (or the cap): the rounds and requests sent."""
        rounds = sent = 0
        self.finish_open()
        while self.round() < self.options.max_rounds:
            collector.requests, collector.given_up = {}, self.given_up()
            spool = _Spool(self, self.round() + 1)
            take = functools.partial(spool.take, collector.requests)  # emptied in place
            waiting = _discover(extract, todo, cache, max_bytes, take)
            spool.flush()
            if not spool.sent:
                break
            for doc in waiting:
                self.manifest.waits[doc] = self.manifest.waits.get(doc, 0) + 1
            rounds, sent = rounds + 1, sent + len(spool.sent)
            todo = [item for item in todo if item.id in waiting]
            self.tell(
                f"round {spool.round}: {len(spool.sent)} requests for {len(waiting)} documents"
            )
            self.finish_open()
        return rounds, sent

    def round(self) -> int:
        return self.manifest.batches[-1].round if self.manifest.batches else 0

    def given_up(self) -> dict[str, str]:
        """Requests sent `max_tries` times without an answer, with the last reason."""
        return {
            cid: f"{reasons[-1]} (sent {len(reasons)} times)"
            for cid, reasons in self.manifest.tries.items()
            if len(reasons) >= self.options.max_tries and cid not in self.answers
        }

    def write(self, number: int, requests: dict[str, dict[str, Any]]) -> None:
        """One input file of the round, recorded before anything is sent."""
        part = len(self.manifest.batches) + 1
        path = self.work / f"batch-{part:04d}.input.jsonl"
        lines = [json.dumps(request_line(k, v), ensure_ascii=False) for k, v in requests.items()]
        _write(path, "".join(line + "\n" for line in lines))
        batch = Batch(number=part, round=number, input=path.name, requests=len(lines))
        self.manifest.batches.append(batch)
        _save(self.work, self.manifest)

    def finish_open(self) -> None:
        """Send what is not sent, wait for what is not collected, and collect it."""
        open_ = [b for b in self.manifest.batches if not b.collected]
        for batch in open_:
            if batch.file_id is None:
                batch.file_id = self.client.upload(self.work / batch.input)
                _save(self.work, self.manifest)
            if batch.batch_id is None:
                batch.batch_id = self.client.create(
                    batch.file_id, self.options.window, {"extractor_batch": str(batch.number)}
                )
                _save(self.work, self.manifest)
        for batch in open_:
            assert batch.batch_id is not None
            self.collect(batch, self.wait(batch.batch_id))

    def wait(self, batch_id: str) -> BatchState:
        """Poll until the batch is completed, failed, expired or cancelled (growing waits)."""
        delay = self.options.poll_interval
        while True:
            state = self.client.retrieve(batch_id)
            if state.status in FINISHED:
                self.tell(f"batch {batch_id}: {state.status}")
                return state
            self.tell(f"batch {batch_id}: {state.status}; next look in {delay:.0f} s")
            self.sleep(delay)
            delay = min(delay * 1.5, self.options.poll_max)

    def collect(self, batch: Batch, state: BatchState) -> None:
        """Keep the batch's answers; note why each other request came back without one."""
        texts = []
        for kind, file_id in (("output", state.output_file_id), ("errors", state.error_file_id)):
            if file_id:
                text = self.client.content(file_id)
                _write(self.work / f"batch-{batch.number:04d}.{kind}.jsonl", text)
                texts.append(text)
        lines = _result_lines("\n".join(texts))
        self.answers.put_many((x.custom_id, x.body) for x in lines if x.body is not None)
        tries = self.manifest.tries
        for line in lines:
            if line.body is None:
                tries.setdefault(line.custom_id, []).append(line.problem or "error")
        why = f"batch {state.status}" + (f": {'; '.join(state.errors)}" if state.errors else "")
        for cid in _asked(self.work / batch.input) - {x.custom_id for x in lines}:
            tries.setdefault(cid, []).append(f"no result ({why})")
        batch.status, batch.collected = state.status, True
        _save(self.work, self.manifest)


@dataclass
class _Spool:
    """A round's requests on their way to input files within the server's limits."""

    session: _Session
    round: int
    pending: dict[str, dict[str, Any]] = field(default_factory=dict)
    size: int = 0
    sent: set[str] = field(default_factory=set)

    def take(self, requests: dict[str, dict[str, Any]]) -> None:
        """Move the noted requests here (each once); write a file when one is full."""
        for cid, body in requests.items():
            if cid not in self.sent and cid not in self.pending:
                self.pending[cid] = body
                self.size += len(json.dumps(body, ensure_ascii=False).encode()) + 120
        requests.clear()
        options = self.session.options
        if len(self.pending) >= options.max_lines or self.size >= options.max_file_bytes:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.session.write(self.round, self.pending)
            self.sent.update(self.pending)
            self.pending, self.size = {}, 0


def _asked(path: Path) -> set[str]:
    """The custom_ids of a round's input file."""
    out = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(ValueError, TypeError):
            out.add(str(json.loads(raw)["custom_id"]))
    return out


def _load(work: Path) -> Manifest:
    path = work / "manifest.json"
    if not path.is_file():
        return Manifest()
    try:
        return Manifest.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OutputError(
            f"{path}: not a batch manifest ({type(exc).__name__}); move it aside to start over",
            path=str(path),
        ) from None


def _save(work: Path, manifest: Manifest) -> None:
    _write(work / "manifest.json", manifest.model_dump_json(indent=1))


def _write(path: Path, text: str) -> None:
    """Whole or not at all: a temporary file, fsync, then rename."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})", path=str(path)) from None


def run_sources(
    extractor: Extractor,
    sources: list[str],
    out_path: Path,
    options: BatchOptions,
    published: str | None,
    restart: bool,
    on_event: Callable[[str], None],
) -> BatchReport:
    """`extract-many --batch-api`: the sources, through the configured server's Batch API."""
    from ..text.inputs import BYTES_PER_CHAR_LIMIT  # noqa: PLC0415
    from .sources import expand_sources  # noqa: PLC0415

    s = extractor.settings
    max_bytes = s.max_chars * BYTES_PER_CHAR_LIMIT
    items = expand_sources(sources, max_bytes=max_bytes)
    if not items:
        raise InputError("the sources hold no articles", reason="empty")
    return run_batch_api(
        extractor,
        items,
        out_path,
        client=BatchClient(base_url=s.base_url, api_key=s.api_key),
        options=options,
        published=published,
        config={**extractor.fingerprint(), "published": published},
        restart=restart,
        max_bytes=max_bytes,
        on_event=on_event,
    )
