"""The background worker: threads that claim documents from the job store and extract them.

It runs inside the service process, so one command serves both the API and the
jobs; any number of replicas can run it against one store. Each thread claims one
document at a time under a lease, a heartbeat thread renews the leases this worker
holds, and a result is written only while the lease is still held (`JobStore.finish`),
so a document whose worker died runs again elsewhere and is never recorded twice.
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
        on_result: Callable[[Claimed, dict[str, Any], list[Article]], None] | None = None,
    ) -> None:
        self.store = store
        self.extract = extract
        self.threads = max(1, threads)
        self.lease_s = lease_s
        self.poll_s = poll_s
        self.on_result = on_result
        self.id = f"{uuid.uuid4().hex[:12]}"
        self.stats = WorkerStats()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        for n in range(self.threads):
            thread = threading.Thread(target=self._run, name=f"extractor-worker-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)
        beat = threading.Thread(target=self._heartbeat, name="extractor-lease", daemon=True)
        beat.start()
        self._threads.append(beat)

    def wake(self) -> None:
        """New work was submitted here: look now instead of at the next poll."""
        self._wake.set()

    def stop(self, grace_s: float = 5.0) -> None:
        """Stop claiming, let documents in flight finish for `grace_s`, give back the rest."""
        self._stop.set()
        self._wake.set()
        deadline = time.monotonic() + grace_s
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        try:
            released = self.store.release(self.id)
        except Exception:  # noqa: BLE001  (the store is gone: the leases expire by themselves)
            released = 0
        if released:
            log.info("worker %s gave back %d document(s) in flight", self.id, released)

    def _heartbeat(self) -> None:
        while not self._stop.wait(self.lease_s / 3):
            try:
                self.store.renew(self.id, self.lease_s)
            except Exception as exc:  # noqa: BLE001  (a store hiccup: try again next beat)
                log.warning("lease renewal failed: %s", type(exc).__name__)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                claimed = self.store.claim(self.id, self.lease_s)
            except Exception as exc:  # noqa: BLE001  (store unreachable: wait, then retry)
                log.warning("claim failed: %s", type(exc).__name__)
                claimed = None
            if claimed is None:
                self._wake.wait(self.poll_s)
                self._wake.clear()
                continue
            self._process(claimed)

    def _process(self, claimed: Claimed) -> None:
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
        kept = self.store.finish(self.id, claimed.pk, record)
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
            self.on_result(claimed, record, articles)
