"""The state behind the routes: the job store, an extractor per strategy, the worker.

Jobs run in a `Worker` inside this process; the store is the truth, so a restarted
(or second) replica picks up where the first left off. No log line carries article
text (ids, sizes and timings only).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from typing import Any

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..errors import ConflictError, ExtractorError, InputError, RateLimitedError
from ..extract import Extractor, published_day
from ..llm.client import LLM
from ..models import Article
from ..text.inputs import check_text
from .auth import InflightLimiter
from .config import ServiceConfig
from .jobs import Claimed, JobStore, NewDocument, Submission
from .metrics import Metrics
from .schemas import Health, JobCreated, JobRequest, JobStatus
from .webhooks import Webhooks
from .worker import Worker

log = logging.getLogger("extractor.service")

_WRITE_FAILURE_S = 30.0  # a failed write keeps /readyz unready this long (Retry-After too)


class Service:
    """The state behind the routes: store, extractors per strategy, worker, limits, metrics."""

    def __init__(self, config: ServiceConfig) -> None:
        self.config = config
        self.store = JobStore(config.store_url(), max_attempts=config.max_attempts)
        self.webhooks = Webhooks(config.webhook_secret)
        self._janitor_stop = threading.Event()
        self.metrics = Metrics(self._queue_depth)
        self.limiter = InflightLimiter(config.max_inflight_per_key)
        self._extractors: dict[str, Extractor] = {}
        self._lock = threading.Lock()
        self.worker = Worker(
            self.store,
            self._extract_claimed,
            threads=config.worker_threads,
            lease_s=config.lease_s,
            poll_s=config.poll_s,
            on_result=self._job_result,
        )
        self._write_failed: tuple[float, str] | None = None  # (when, error type)
        self.backend_state = "not needed" if config.extractor.strategy == "rules" else "starting"

    # -- lifecycle
    def start(self) -> None:
        if self.config.run_worker:
            self.worker.start()
            threading.Thread(target=self._janitor, name="extractor-janitor", daemon=True).start()
        if self.config.extractor.strategy != "rules":
            threading.Thread(target=self._warm_up, name="extractor-warm-up", daemon=True).start()

    def stop(self) -> None:
        self._janitor_stop.set()
        if self.config.run_worker:
            self.worker.stop()
        self.webhooks.close()  # after the worker: its last completions may still send
        with self._lock:
            for extractor in self._extractors.values():
                extractor.close()
        self.store.close()

    def _warm_up(self) -> None:
        """Load the model (or make the client) now, so the first request does not wait."""
        try:
            self.extractor(None).backend()
            self.backend_state = "loaded"
        except ExtractorError as exc:
            self.backend_state = f"failed ({type(exc).__name__})"
            log.warning("backend did not start: %s", type(exc).__name__)

    def _queue_depth(self) -> float:
        try:
            return float(self.store.queue_depth())
        except Exception:  # noqa: BLE001  (a scrape must not fail because the store is down)
            return float("nan")

    # -- extraction
    def extractor(self, strategy: str | None) -> Extractor:
        """The extractor of a strategy the service serves; InputError (422) for any other."""
        settings = self.config.extractor
        name = self.config.check_strategy(strategy)
        with self._lock:
            if name not in self._extractors:
                self._extractors[name] = Extractor(settings.with_(strategy=name))
            return self._extractors[name]

    def _extract_claimed(self, claimed: Claimed) -> list[Article]:
        started = time.perf_counter()
        extractor = self.extractor(claimed.strategy)
        try:
            return extractor.extract_articles(
                claimed.text, published=claimed.published, main_only=claimed.main_only
            )
        except ExtractorError as exc:
            self.metrics.failures.labels(type(exc).__name__).inc()
            raise
        finally:
            log.debug(
                "extracted %d chars in %.3fs", len(claimed.text), time.perf_counter() - started
            )

    def _job_result(
        self, claimed: Claimed, record: dict[str, Any], articles: list[Article]
    ) -> None:
        self.metrics.documents.labels("job", "done" if record["ok"] else "failed").inc()
        self.metrics.articles(articles)
        self._complete(claimed.job_id)

    # -- readiness
    def readiness(self) -> Health:
        checks = {"store": self._store_check()}
        checks["backend"] = self._backend_check()
        checks["worker"] = self.worker.health() if self.config.run_worker else "not needed"
        ok = all(v in ("ok", "not needed") for v in checks.values())
        return Health(status="ok" if ok else "unavailable", checks=checks)

    def _store_check(self) -> str:
        """Readable and writable: a full disk answers reads but fails writes.

        A submit whose write failed in the last `_WRITE_FAILURE_S` seconds (and none
        written since) says unwritable, as does a failing probe write: on SQLite the
        probe reuses the pages it freed last time, so only real writes see a database
        that cannot grow. After the interval the probe decides again (and a submit
        that fails again renews the interval).
        """
        if not self.store.ping():
            return "unreachable"
        failed = self._write_failed
        if failed is not None and time.monotonic() - failed[0] < _WRITE_FAILURE_S:
            return f"unwritable ({failed[1]})"
        problem = self.store.unwritable()
        return f"unwritable ({problem})" if problem else "ok"

    def _backend_check(self) -> str:
        if self.backend_state != "loaded":
            return self.backend_state
        llm = self.extractor(None)._llm
        if not isinstance(llm, LLM) or llm.base_url is None:  # the OpenAI API: reachable
            return "ok"
        import httpx2  # noqa: PLC0415

        try:
            response = httpx2.get(llm.models_url(), timeout=2.0)
        except httpx2.HTTPError as exc:
            return f"unreachable ({type(exc).__name__})"
        return "ok" if response.status_code == 200 else f"unhealthy (HTTP {response.status_code})"

    # -- jobs
    def new_job(
        self, owner: str, request: JobRequest, idempotency_key: str | None = None
    ) -> tuple[JobCreated, bool]:
        """The job of a submission, and whether it is new (False: the key's earlier one)."""
        digest = hashlib.sha256(request.model_dump_json().encode("utf-8")).hexdigest()
        if idempotency_key is not None:
            earlier = self.store.by_idempotency_key(owner, idempotency_key)
            if earlier is not None:
                return _same_request(earlier, digest), False
        documents = self._documents(request)
        strategy = self.config.check_strategy(request.strategy)
        webhook_url = self.config.check_webhook(request.webhook_url)
        self._check_backlog(owner, len(documents))
        submission = Submission(strategy, request.main_only, idempotency_key, digest, webhook_url)
        try:
            job_id = self.store.create_job(
                owner, documents, strategy=strategy, submission=submission
            )
        except IntegrityError:  # the same key, submitted at the same moment: one job made
            earlier = self.store.by_idempotency_key(owner, idempotency_key or "")
            if earlier is None:
                raise
            return _same_request(earlier, digest), False
        except SQLAlchemyError as exc:  # a full disk: 503 (http_errors), and not ready
            self._write_failed = (time.monotonic(), type(exc).__name__)
            raise
        self._write_failed = None
        log.info("job %s created: %d document(s), strategy %s", job_id, len(documents), strategy)
        self.worker.wake()
        return JobCreated(job_id=job_id, total=len(documents)), True

    def _documents(self, request: JobRequest) -> list[NewDocument]:
        if len(request.documents) > self.config.max_documents:
            raise InputError(
                f"a job holds at most {self.config.max_documents} documents", reason="too_many"
            )
        max_chars = self.config.extractor.max_chars
        seen: set[str] = set()
        documents = []
        for doc in request.documents:
            if doc.id in seen:
                raise InputError(f"document id {doc.id!r} appears twice", reason="duplicate_id")
            seen.add(doc.id)
            try:
                check_text(doc.text, max_chars=max_chars)
                published_day(doc.published)  # a real day, within bounds
            except InputError as exc:
                raise InputError(f"document {doc.id!r}: {exc}", reason=exc.reason) from None
            digest = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
            documents.append(
                NewDocument(doc.id, doc.text, digest, doc.published, doc.url, doc.meta)
            )
        return documents

    def _check_backlog(self, owner: str, documents: int) -> None:
        """429 when this key already has its share of the queue (another key's is its own)."""
        jobs_cap = self.config.max_queued_jobs_per_key
        docs_cap = self.config.max_queued_documents_per_key
        if documents > docs_cap:
            raise InputError(
                f"a job of this key may hold at most {docs_cap} documents", reason="too_many"
            )
        jobs, open_documents = self.store.backlog(owner)
        if jobs >= jobs_cap:
            raise RateLimitedError(
                f"this key has {jobs} unfinished jobs (at most {jobs_cap}); "
                "submit again when some have finished",
                reason="queued_jobs",
                retry_after=30,
            )
        if open_documents + documents > docs_cap:
            raise RateLimitedError(
                f"this key has {open_documents} documents queued or running, and this job "
                f"would take it over {docs_cap}; submit again when some have finished",
                reason="queued_documents",
                retry_after=30,
            )

    def cancel(self, owner: str, job_id: str) -> JobStatus:
        self.store.cancel(owner, job_id)
        self._complete(job_id)
        return self.store.status(owner, job_id)

    def _complete(self, job_id: str) -> None:
        """Mark the job finished if it is; send its webhook if this call did (once)."""
        try:
            finished = self.store.complete(job_id)
        except SQLAlchemyError as exc:  # the janitor's sweep finishes it later
            log.warning("job %s: completion not recorded (%s)", job_id, type(exc).__name__)
            return
        if finished is not None and finished.webhook_url:
            self.webhooks.send(finished.webhook_url, finished)

    def _janitor(self, every_s: float = 5.0) -> None:
        """Finish jobs whose last document failed out of attempts; purge expired ones."""
        next_purge = 0.0
        while not self._janitor_stop.wait(every_s):
            due = time.monotonic() >= next_purge
            try:
                self.sweep(purge=due)
            except Exception as exc:  # noqa: BLE001  (the store is down: the next round retries)
                log.warning("job store sweep failed: %s", type(exc).__name__)
                continue
            if due:
                next_purge = time.monotonic() + 60

    def sweep(self, *, purge: bool = True) -> int:
        """One round of the janitor: completions, then (if due) the retention; jobs purged."""
        self.store.give_up_exhausted()
        for job_id in self.store.unfinished_jobs():
            self._complete(job_id)
        hours = self.config.retention_hours
        if not purge or hours is None:
            return 0
        purged = self.store.purge_finished(hours * 3600)
        if purged:
            log.info("retention: %d finished job(s) older than %gh purged", purged, hours)
        return purged


def _same_request(earlier: tuple[str, str | None, int], digest: str) -> JobCreated:
    """The earlier job of an idempotency key, if this request is the same; 409 if not."""
    job_id, earlier_digest, total = earlier
    if earlier_digest != digest:
        raise ConflictError(
            f"Idempotency-Key was used for job {job_id} with another body; "
            "use a new key for a new request",
            reason="idempotency_key",
        )
    return JobCreated(job_id=job_id, total=total)
