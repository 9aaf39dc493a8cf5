"""Completion webhooks: signed, retried with backoff, never raised, dropped once stopping."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from typing import Any

from extractor.service.schemas import JobCounts, JobStatus
from extractor.service.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, Webhooks, sign, verify

STATUS = JobStatus(
    job_id="j1",
    status="done",
    strategy="rules",
    total=1,
    counts=JobCounts(done=1),
    created_at=datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
    finished_at=datetime(2026, 1, 5, 9, 31, tzinfo=UTC),
)


def _receiver(code: int) -> tuple[ThreadingHTTPServer, list[dict[str, Any]]]:
    calls: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            calls.append({"headers": dict(self.headers), "body": body, "at": time.monotonic()})
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Thread(target=server.serve_forever, daemon=True).start()
    return server, calls


def test_the_signature_covers_the_timestamp_and_the_body():
    signature = sign("k", "100", b"{}")
    assert signature.startswith("sha256=") and verify("k", "100", b"{}", signature)
    assert not verify("k", "101", b"{}", signature)  # a replay with a new timestamp
    assert not verify("k", "100", b"{ }", signature)
    assert not verify("other", "100", b"{}", signature)


def test_a_receiver_that_keeps_failing_is_tried_a_few_times_with_backoff_then_given_up():
    server, calls = _receiver(503)
    hooks = Webhooks("k", tries=3, backoff_s=0.1)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        future = hooks.send(url, STATUS)
        assert future is not None and future.result(timeout=10) is False
    finally:
        hooks.close()
        server.shutdown()
    assert len(calls) == 3
    gaps = [b["at"] - a["at"] for a, b in zip(calls, calls[1:], strict=False)]
    assert gaps[0] >= 0.09 and gaps[1] >= 0.19  # 0.1 s, then doubled
    for call in calls:
        headers = call["headers"]
        assert verify("k", headers[TIMESTAMP_HEADER], call["body"], headers[SIGNATURE_HEADER])


def test_an_unreachable_receiver_is_a_logged_failure_not_an_exception():
    hooks = Webhooks("k", tries=2, backoff_s=0.01, timeout_s=1.0)
    try:
        future = hooks.send("http://127.0.0.1:9/hook", STATUS)  # nothing listens on port 9
        assert future is not None and future.result(timeout=10) is False
    finally:
        hooks.close()


def test_nothing_is_sent_once_the_service_is_stopping():
    hooks = Webhooks("k")
    hooks.close()
    assert hooks.send("http://127.0.0.1:9/hook", STATUS) is None
