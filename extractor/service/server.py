"""The HTTP server under hostile clients: read timeouts, connection caps, a quiet log.

uvicorn bounds a keep-alive connection between requests (`timeout_keep_alive`) and
can answer 503 past a number of connections (`limit_concurrency`), but it waits for
request headers and bodies forever and accepts sockets until the process runs out of
file descriptors. So a few hundred idle or slow ("slowloris") connections hold the
service, and at the descriptor limit every `accept()` fails and is logged. This
module adds what a server facing the internet needs, as a small subclass of uvicorn's
h11 protocol (`BoundedH11Protocol`):

* a header-read timeout: a connection must deliver a complete request head within
  `header_timeout_s` of connecting (or of its previous response), however slowly it
  trickles bytes; then it is closed (after a `408` if it had sent part of a request);
* a body-read timeout: a body must arrive whole within `body_timeout_s` of its head;
  then `408` and the connection is closed;
* a cap on open connections, in all and per client address: a connection over a cap
  is closed at once, before it costs more than its socket, and the cap and the accept
  backlog are sized from the descriptor limit, so the process never reaches it;
* `RepeatFilter`: a warning or error repeated within `interval_s` is logged once, then
  once more with the count of those left out ("Too many open files" ×10,000 is one
  line a minute, not hundreds of MB).
"""

from __future__ import annotations

import logging
import os
import resource
import time
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from ..errors import ConfigError

log = logging.getLogger("extractor.service")

_TIMEOUT_408 = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: 16\r\nconnection: close\r\n\r\nrequest timeout\n"
)
_RESERVED_FDS = 64  # the store, the model, logs, the worker's sockets: kept free


def _soft_file_limit() -> int | None:
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return None if soft == resource.RLIM_INFINITY else int(soft)


def default_backlog() -> int:
    """How many connections one wake-up of the event loop accepts (and `listen()` queues).

    asyncio accepts up to this many sockets in a row before any `connection_made` can
    close one over a cap, so it is kept to an eighth of the descriptor limit.
    """
    soft = _soft_file_limit()
    return 2048 if soft is None else max(16, min(2048, soft // 8))


def default_max_connections() -> int:
    """1,000 connections, or fewer where a burst of accepts would reach the descriptor limit."""
    soft = _soft_file_limit()
    if soft is None:
        return 1000
    return max(16, min(1000, soft - _RESERVED_FDS - 2 * default_backlog()))


@dataclass(frozen=True)
class ServerLimits:
    """What one client may hold of the server; 0 turns a cap off."""

    header_timeout_s: float = 10.0
    body_timeout_s: float = 60.0
    keep_alive_s: float = 5.0
    max_connections: int = 0  # 0: `default_max_connections()` when the server starts
    backlog: int = 0  # 0: `default_backlog()`
    max_connections_per_client: int = 100
    log_interval_s: float = 60.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ServerLimits:
        """The defaults, changed by `EXTRACTOR_<FIELD>` (`EXTRACTOR_HEADER_TIMEOUT_S=5`)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for item in fields(cls):
            raw = env.get(f"EXTRACTOR_{item.name.upper()}")
            if raw is None:
                continue
            kind = int if item.type in ("int", int) else float
            try:
                values[item.name] = kind(raw)
            except ValueError:
                raise ConfigError(f"EXTRACTOR_{item.name.upper()} is not a number") from None
            if values[item.name] < 0:
                raise ConfigError(f"EXTRACTOR_{item.name.upper()} must not be negative")
        return cls(**values)


class BoundedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with read timeouts and connection caps (`ServerLimits`)."""

    limits: ClassVar[ServerLimits] = ServerLimits()

    _timer: Any = None
    _phase: Any = None  # the client's h11 state the running timer is for
    _partial = False  # bytes of a request head arrived in this phase

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        refused = self._over_cap()
        if refused:
            log.warning("connection refused: %s", refused)
            transport.close()
            return
        self._watch()

    def _over_cap(self) -> str | None:
        cap = self.limits.max_connections or default_max_connections()
        if len(self.connections) > cap:
            return f"{cap} connections open (the server's cap)"
        per_client = self.limits.max_connections_per_client
        host = self.client[0] if self.client else None
        if per_client and host is not None:
            same = sum(1 for c in self.connections if _host(c) == host)
            if same > per_client:
                return f"{per_client} connections open from one client address (the cap)"
        return None

    def data_received(self, data: bytes) -> None:
        self._partial = True
        super().data_received(data)
        self._watch()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel()
        super().connection_lost(exc)

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _watch(self) -> None:
        """Time what the client owes now: a request head (IDLE), a body (SEND_BODY), or nothing."""
        state = self.conn.their_state
        if state is self._phase or self.transport.is_closing():
            return
        self._cancel()
        self._phase = state
        self._partial = False
        if state is h11.IDLE and self.limits.header_timeout_s > 0:
            self._timer = self.loop.call_later(self.limits.header_timeout_s, self._expired, state)
        elif state is h11.SEND_BODY and self.limits.body_timeout_s > 0:
            self._timer = self.loop.call_later(self.limits.body_timeout_s, self._expired, state)

    def _expired(self, state: Any) -> None:
        self._timer = None
        if self.transport.is_closing() or self.conn.their_state is not state:
            return
        if state is h11.IDLE:
            if self._partial:  # a request begun and never finished: say why it ends
                self.transport.write(_TIMEOUT_408)
        elif self.cycle is not None and not self.cycle.response_started:
            self.cycle.keep_alive = False
            self.transport.write(_TIMEOUT_408)
        log.debug("closed a connection that sent no whole request in time")
        self.transport.close()


def _host(protocol: object) -> str | None:
    client = getattr(protocol, "client", None)
    return str(client[0]) if client else None


def bounded_protocol(limits: ServerLimits) -> type[BoundedH11Protocol]:
    """The protocol class uvicorn makes per connection, bound to these limits."""
    return type("BoundedH11Protocol", (BoundedH11Protocol,), {"limits": limits})


class RepeatFilter(logging.Filter):
    """Let a warning or error through once per `interval_s`; then say how many were left out.

    Records are alike when their logger, level, message and exception type match.
    Lower levels always pass (an access log line is one per request anyway).
    """

    def __init__(self, interval_s: float = 60.0, clock: Any = time.monotonic) -> None:
        super().__init__()
        self.interval_s = interval_s
        self.clock = clock
        self._seen: dict[tuple[Any, ...], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        exc = record.exc_info[1] if record.exc_info else None
        key = (record.name, record.levelno, record.getMessage()[:300], type(exc).__name__)
        now = self.clock()
        last, left_out = self._seen.get(key, (float("-inf"), 0))
        if now - last < self.interval_s:
            self._seen[key] = (last, left_out + 1)
            return False
        if len(self._seen) > 1000:  # bounded, whatever the messages
            self._seen.clear()
        self._seen[key] = (now, 0)
        if left_out:
            record.msg = f"{record.msg} (and {left_out} more like it in the last {now - last:.0f}s)"
        return True


def quiet_repeats(interval_s: float) -> None:
    """A `RepeatFilter` on every handler of the root and uvicorn loggers (one each, so a
    record two handlers write is counted once by each)."""
    for name in ("", "uvicorn", "uvicorn.error", "uvicorn.access"):
        for handler in logging.getLogger(name).handlers:
            handler.addFilter(RepeatFilter(interval_s))


def serve(app: Any, *, host: str, port: int, limits: ServerLimits, log_level: str) -> None:
    """Run uvicorn with `limits` until interrupted."""
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        access_log=True,
        http=bounded_protocol(limits),
        timeout_keep_alive=int(max(1, limits.keep_alive_s)),
        backlog=limits.backlog or default_backlog(),
    )
    quiet_repeats(limits.log_interval_s)
    uvicorn.Server(config).run()
