"""The outermost ASGI layer: body-size limit, security headers, request metrics."""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import TooLargeError
from .http_errors import error_response
from .metrics import Metrics

log = logging.getLogger("extractor.service")

# Metric labels come from fixed sets only: a method is whatever token a client puts on
# its request line, so an unknown one is "other", or /metrics grows with every new one.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def method_label(method: str) -> str:
    return method if method in METHODS else "other"


def status_label(status: int) -> str:
    """The status class ("2xx" … "5xx"): what alerts are written against."""
    return f"{status // 100}xx" if 100 <= status <= 599 else "other"


class Guard:
    """Outermost layer: body-size limit (413), security headers, request metrics.

    The body is counted as it arrives, so a chunked upload without Content-Length
    is cut off at the limit too (413, however the route reads it). Metric labels are a
    fixed set: the route's template (`/v1/jobs/{job_id}`, never ids; "unmatched"), a
    known method or "other", the status class.
    """

    def __init__(self, app: ASGIApp, *, limit: int, metrics: Metrics) -> None:
        self.app = app
        self.limit = limit
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status_box = [500]
        sent = [False]

        async def send_wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_box[0] = message["status"]
                sent[0] = True
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        length = next((v for k, v in scope.get("headers", []) if k == b"content-length"), None)
        too_big = False
        if length is not None:
            try:
                too_big = int(length) > self.limit
            except ValueError:
                too_big = False
        received = [0]

        async def receive_limited() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                received[0] += len(message.get("body", b""))
                if received[0] > self.limit:
                    raise TooLargeError(
                        f"request body over {self.limit} bytes", reason="body_too_large"
                    )
            return message

        try:
            if too_big:
                raise TooLargeError(
                    f"request body over {self.limit} bytes", reason="body_too_large"
                )
            await self.app(scope, receive_limited, send_wrapped)
        except TooLargeError as exc:
            if sent[0]:
                raise
            await error_response(exc)(scope, receive, send_wrapped)
        except Exception as exc:
            # Answered here, not re-raised: the server would log a traceback, and an
            # exception's message may quote the input. The type is enough to look for it.
            if sent[0]:
                raise
            log.error("unhandled %s", type(exc).__name__)
            await error_response(exc)(scope, receive, send_wrapped)
        finally:
            self._count(scope, status_box[0], time.perf_counter() - started)

    def _count(self, scope: Scope, status: int, seconds: float) -> None:
        # the template without converters: `{doc_id}`, not `{doc_id:path}`
        label = getattr(scope.get("route"), "path_format", None) or "unmatched"
        method = method_label(scope.get("method", ""))
        self.metrics.requests.labels(method, label, status_label(status)).inc()
        self.metrics.latency.labels(label).observe(seconds)
