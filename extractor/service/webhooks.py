"""Completion webhooks: a small signed JSON POSTed when a job finishes.

    POST <webhook_url>
    X-Extractor-Timestamp: 1767605472
    X-Extractor-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>." + body, with the secret>
    {"event": "job.finished", "job": {<the job's status, as GET /v1/jobs/{id}>}}

The receiver recomputes the HMAC with the shared secret (`EXTRACTOR_WEBHOOK_SECRET`)
and refuses an old timestamp, so a forged or replayed call is told apart. Only
URLs under a prefix the operator allows are accepted at submission (422 otherwise),
and redirects are not followed (one could lead anywhere).

Delivery runs on its own small thread pool, so a slow receiver never holds a
worker: a few tries with exponential backoff, then it is logged and dropped. It is
at most once per job across replicas (the one that marks the job finished sends
it), and best effort: a replica stopped before it delivers loses the call.
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from urllib.parse import urlsplit

from .schemas import JobStatus

log = logging.getLogger("extractor.service")

SIGNATURE_HEADER = "X-Extractor-Signature"
TIMESTAMP_HEADER = "X-Extractor-Timestamp"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header's value for `body` sent at `timestamp`."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, "sha256")
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiver does (constant-time), shown here so tests and docs agree."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


class Webhooks:
    """Sends completion calls in the background; `tries` attempts, backoff doubling."""

    def __init__(
        self,
        secret: str | None,
        *,
        tries: int = 4,
        backoff_s: float = 1.0,
        timeout_s: float = 5.0,
    ) -> None:
        self._secret = secret
        self.tries = max(1, tries)
        self.backoff_s = backoff_s
        self.timeout_s = timeout_s
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="extractor-webhook")
        self._stopping = threading.Event()

    def send(self, url: str, status: JobStatus) -> Future[bool] | None:
        """Queue the call (None when stopping: the service is going down)."""
        if self._stopping.is_set():
            log.warning("job %s webhook not sent: the service is stopping", status.job_id)
            return None
        body = json.dumps(
            {"event": "job.finished", "job": status.model_dump(mode="json")},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
        try:
            return self._pool.submit(self._deliver, url, body, status.job_id)
        except RuntimeError:  # shut down between the check and the submit
            return None

    def _deliver(self, url: str, body: bytes, job_id: str) -> bool:
        import httpx2  # noqa: PLC0415  (the HTTP library the service already has)

        host = urlsplit(url).netloc  # the log names the host only: a path may hold a token
        for attempt in range(1, self.tries + 1):
            timestamp = str(int(time.time()))
            headers = {"Content-Type": "application/json", TIMESTAMP_HEADER: timestamp}
            if self._secret:
                headers[SIGNATURE_HEADER] = sign(self._secret, timestamp, body)
            try:
                response = httpx2.post(url, content=body, headers=headers, timeout=self.timeout_s)
                outcome = f"HTTP {response.status_code}"
                if 200 <= response.status_code < 300:
                    log.info("job %s webhook to %s delivered (try %d)", job_id, host, attempt)
                    return True
            except httpx2.HTTPError as exc:
                outcome = type(exc).__name__
            if attempt < self.tries and self._stopping.wait(self.backoff_s * 2 ** (attempt - 1)):
                break
        log.warning("job %s webhook to %s not delivered: %s", job_id, host, outcome)
        return False

    def close(self) -> None:
        """Stop retrying; calls not yet started are dropped."""
        self._stopping.set()
        self._pool.shutdown(wait=False, cancel_futures=True)
