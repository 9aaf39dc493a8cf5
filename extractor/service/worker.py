"""The background worker: threads that claim documents from the job store and extract them.

It runs inside the service process, so one command serves both the API and the
jobs; any number of replicas can run it against one store. Each thread claims one
document at a time under a lease, a heartbeat thread renews the leases this worker
holds, and a result is written only while the lease is still held (`JobStore.finish`),
so a document whose worker died runs again elsewhere and is never recorded twice.

A store that fails (a full disk, a database gone) kills no thread: claims back off
(doubling up to `max_backoff_s`), and a result that cannot be written is kept and
written again with back-off while its lease is kept. A lease is renewed only for a
document held by a thread that is alive: the heartbeat renews those documents by id,
never "everything this worker ever claimed", and starts a new thread in place of one
that died, so a dead thread's document expires and runs again on any replica.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..batch.run import error_record
from ..models import Article
from .jobs import Claimed, JobStore

log = logging.getLogger("extractor.service")

Extract = Callable[[Claimed], list[Article]]


@dataclass
class WorkerStats:
    """What the metrics read: counts by outcome and failures by error type."""

    done: int = 0
    failed: int = 0
    lost: int = 0  # results discarded because the lease was gone (cancelled, taken over)
    failures: dict[str, int] = field(default_factory=dict)


class Worker:
    """`threads` extraction threads and one heartbeat over a `JobStore`."""

    def __init__(
        self,
        store: JobStore,
        extract: Extract,
        *,
        threads: int = 2,
        lease_s: float = 30.0,
        poll_s: float = 0.5,
        max_backoff_s: float = 30.0,
        on_result: Callable[[Claimed, dict[str, Any], list[Article]], None] | None = None,
    ) -> None:
        self.store = store
        self.extract = extract
        self.threads = max(1, threads)
        self.lease_s = lease_s
        self.poll_s = poll_s
        self.max_backoff_s = max(poll_s, max_backoff_s)
        self.on_result = on_result
        self.id = f"{uuid.uuid4().hex[:12]}"
        self.stats = WorkerStats()
        self._failing: dict[int, str] = {}  # thread slot → the store error it backs off from
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._threads: list[threading.Thread] = []
        self._beat: threading.Thread | None = None
        self._held: dict[int, int] = {}  # thread slot → the document (pk) it works on
        self._lock = threading.Lock()

    def start(self) -> None:
        for n in range(self.threads):
            self._threads.append(self._spawn(n))
        self._beat = threading.Thread(target=self._heartbeat, name="extractor-lease", daemon=True)
        self._beat.start()

    def _spawn(self, slot: int) -> threading.Thread:
        thread = threading.Thread(
            target=self._run, args=(slot,), name=f"extractor-worker-{slot}", daemon=True
        )
        thread.start()
        return thread

    def wake(self) -> None:
        """New work was submitted here: look now instead of at the next poll."""
        self._wake.set()

    def health(self) -> str:
        """What /readyz says of this worker: ok, threads dead, or backing off a store error."""
        if not self._threads:
            return "not running"
        dead = sum(1 for t in self._threads if not t.is_alive())
        if dead and not self._stop.is_set():
            return f"{dead} of {len(self._threads)} threads dead"
        failing = sorted(set(self._failing.values()))
        if failing:
            return f"backing off from store errors ({', '.join(failing)})"
        return "ok"

    def stop(self, grace_s: float = 5.0) -> None:
        """Stop claiming, let documents in flight finish for `grace_s`, give back the rest."""
        self._stop.set()
        self._wake.set()
        deadline = time.monotonic() + grace_s
        for thread in [*self._threads, *([self._beat] if self._beat else [])]:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        try:
            released = self.store.release(self.id)
        except Exception:  # noqa: BLE001  (the store is gone: the leases expire by themselves)
            released = 0
        if released:
            log.info("worker %s gave back %d document(s) in flight", self.id, released)

    def _heartbeat(self) -> None:
        while not self._stop.wait(self.lease_s / 3):
            self.beat()

    def beat(self) -> None:
        """Renew the leases of live threads' documents; replace a thread that died."""
        with self._lock:
            for slot, thread in enumerate(self._threads):
                if not thread.is_alive() and not self._stop.is_set():
                    lost = self._held.pop(slot, None)
                    log.error("worker thread %d died (document #%s not renewed)", slot, lost)
                    self._threads[slot] = self._spawn(slot)
            pks = sorted(self._held.values())
        if not pks:
            return
        try:
            self.store.renew(self.id, self.lease_s, pks=pks)
        except Exception as exc:  # noqa: BLE001  (a store hiccup: try again next beat)
            log.warning("lease renewal failed: %s", type(exc).__name__)

    def _backoff(self, slot: int, delay: float, exc: Exception, what: str) -> float:
        """Note a store failure, wait `delay` (or until stopped); the next, longer delay."""
        self._failing[slot] = type(exc).__name__
        log.warning("%s failed: %s; retrying in %.1fs", what, type(exc).__name__, delay)
        self._stop.wait(delay)
        return min(self.max_backoff_s, delay * 2)

    def _run(self, slot: int) -> None:
        delay = self.poll_s
        while not self._stop.is_set():
            try:
                claimed = self.store.claim(self.id, self.lease_s)
            except Exception as exc:  # noqa: BLE001  (store unreachable or full: back off)
                delay = self._backoff(slot, delay, exc, "claim")
                continue
            delay = self.poll_s
            self._failing.pop(slot, None)
            if claimed is None:
                self._wake.wait(self.poll_s)
                self._wake.clear()
                continue
            with self._lock:
                self._held[slot] = claimed.pk
            try:
                self._process(slot, claimed)
            finally:
                with self._lock:
                    self._held.pop(slot, None)

    def _finish(self, slot: int, claimed: Claimed, record: dict[str, Any]) -> bool | None:
        """Write the result, again and again with back-off while the store fails (the
        lease kept: this thread is alive and working); None if stopped first."""
        delay = self.poll_s
        while True:
            try:
                kept = self.store.finish(self.id, claimed.pk, record)
            except Exception as exc:  # noqa: BLE001  (a full disk: keep the result, retry)
                if self._stop.is_set():
                    return None  # stop() gives the document back (or its lease expires)
                delay = self._backoff(slot, delay, exc, f"recording document #{claimed.pk}")
                continue
            self._failing.pop(slot, None)
            return kept

    def _process(self, slot: int, claimed: Claimed) -> None:
        started = time.monotonic()
        record: dict[str, Any] = {
            "id": claimed.doc_id,
            "sha256": claimed.sha256,
            **claimed.passed_through,  # the document's url and meta, untouched
        }
        articles: list[Article] = []
        try:
            articles = self.extract(claimed)
            record.update(ok=True, articles=[a.model_dump(mode="json") for a in articles])
        except Exception as exc:  # noqa: BLE001  (recorded with its type; the job goes on)
            record.update(ok=False, error=error_record(exc))
        record["seconds"] = round(time.monotonic() - started, 3)
        kept = self._finish(slot, claimed, record)
        if kept is None:
            return
        with self._lock:
            if not kept:
                self.stats.lost += 1
            elif record["ok"]:
                self.stats.done += 1
            else:
                self.stats.failed += 1
                kind = str(record["error"].get("type", "Exception"))
                self.stats.failures[kind] = self.stats.failures.get(kind, 0) + 1
        # ids and timings only: article text never reaches the log
        log.info(
            "job %s document #%d %s in %.3fs (attempt %d)",
            claimed.job_id,
            claimed.pk,
            "discarded (lease lost)" if not kept else ("done" if record["ok"] else "failed"),
            record["seconds"],
            claimed.attempt,
        )
        if kept and self.on_result is not None:
            try:
                self.on_result(claimed, record, articles)
            except Exception as exc:  # noqa: BLE001  (metrics only: the result is recorded)
                log.warning("on_result failed: %s", type(exc).__name__)
