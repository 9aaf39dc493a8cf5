"""A streamed answer under a watchdog, gathered back into one chat completion.

Time is measured by progress, not by a fixed timeout: answers are streamed, and a
watchdog cuts the connection only when no token came for `stall_timeout` seconds
(after a first-token allowance, `timeout`, for prompt processing), when the
request's deadline passes, or when the response outgrows `max_response_bytes`. A
slow local model that is still producing tokens is never killed.

Nothing here imports an LLM SDK: stream events are read by their attributes, and
`client.py` turns the gathered completion into the SDK's type and parses it.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

import httpx2 as httpx  # the HTTP library of openai>=3 (a maintained httpx fork)


class _Cut(Exception):
    """Raised inside the response stream when the watchdog's byte cap is passed."""


class Stopped(Exception):
    """The watchdog cut the request: `kind` is timeout, stalled, deadline or too_large.

    Only "timeout" (no first token: the server may have dropped the request) is
    retried; a stream that stalled mid-answer, a passed deadline or an oversized
    answer would fail the same way again.
    """

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind


class Watchdog:
    """Cuts a request's socket when it stalls, outlives its deadline or grows too big.

    httpx's read timeout restarts on every byte, so a server dripping one byte at a
    time holds a client forever, and a non-streamed answer from a slow model looks
    like a stall. Progress here is a parsed stream event (a token), not a byte. The
    socket is captured at connect time (httpcore's trace hook) and shut down from
    this thread, which wakes the blocked read at once.
    """

    def __init__(
        self, *, first_token: float, stall: float, deadline_at: float | None, max_bytes: int
    ) -> None:
        self.first_token = first_token
        self.stall = stall
        self.deadline_at = deadline_at
        self.max_bytes = max_bytes
        self.reason: str | None = None
        self.kind = ""
        self.tokens = 0
        self.bytes = 0
        self._started = time.monotonic()
        self._last: float | None = None
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="llm-watchdog", daemon=True)

    def __enter__(self) -> Watchdog:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()

    # -- hooks
    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event == "connection.connect_tcp.complete":
            self._adopt(info.get("return_value"))

    def adopt_response(self, response: httpx.Response) -> None:
        """Called when headers arrive: take the socket (kept-alive too) and cap the body."""
        self._adopt(response.extensions.get("network_stream"))
        response.stream = _CappedStream(cast(Any, response.stream), self)

    def progress(self) -> None:
        self.tokens += 1
        self._last = time.monotonic()

    def count(self, size: int) -> None:
        self.bytes += size
        if self.bytes > self.max_bytes:
            self.cut("too_large", f"the response passed {self.max_bytes} bytes")
            raise _Cut(self.reason)

    def cut(self, kind: str, reason: str) -> None:
        with self._lock:
            if self.reason is None:
                self.kind, self.reason = kind, reason
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):  # already closed: nothing to wake
                sock.shutdown(socket.SHUT_RDWR)

    # -- internals
    def _adopt(self, stream: Any) -> None:
        sock = stream.get_extra_info("socket") if stream is not None else None
        if isinstance(sock, socket.socket):
            with self._lock:
                self._sockets.append(sock)
            if self.reason is not None:
                self.cut(self.kind, self.reason)

    def _run(self) -> None:
        while not self._done.wait(0.1):
            now = time.monotonic()
            if self.deadline_at is not None and now >= self.deadline_at:
                self.cut("deadline", f"the deadline passed after {now - self._started:.0f} s")
            elif self._last is None and now - self._started > self.first_token:
                self.cut("timeout", f"no token in the first {self.first_token:g} s")
            elif self._last is not None and now - self._last > self.stall:
                self.cut("stalled", f"no token for {self.stall:g} s after {self.tokens} (stalled)")
            if self.reason is not None:
                return


class _CappedStream(httpx.SyncByteStream):
    """A response body that counts its bytes against the watchdog's cap."""

    def __init__(self, inner: httpx.SyncByteStream, watchdog: Watchdog) -> None:
        self.inner = inner
        self.watchdog = watchdog

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.inner:
            self.watchdog.count(len(chunk))
            yield chunk

    def close(self) -> None:
        self.inner.close()


class WatchdogHooks:
    """httpx hooks that hand each request's socket and body to its thread's watchdog."""

    def __init__(self, http_client: Any) -> None:
        self._local = threading.local()
        http_client.event_hooks["request"].append(self._on_request)
        http_client.event_hooks["response"].append(self._on_response)

    @contextlib.contextmanager
    def watching(self, watchdog: Watchdog) -> Iterator[Watchdog]:
        """This thread's requests under `watchdog`; a failure after a cut is `Stopped`."""
        self._local.watchdog = watchdog
        try:
            with watchdog:
                try:
                    yield watchdog
                except Exception as exc:
                    if watchdog.reason is not None:
                        raise Stopped(watchdog.kind, watchdog.reason) from exc
                    raise
        finally:
            self._local.watchdog = None

    def _on_request(self, request: httpx.Request) -> None:
        watchdog = getattr(self._local, "watchdog", None)
        if watchdog is not None:
            request.extensions["trace"] = watchdog.trace

    def _on_response(self, response: httpx.Response) -> None:
        watchdog = getattr(self._local, "watchdog", None)
        if watchdog is not None:
            watchdog.adopt_response(response)


def gathered_completion(
    stream: Iterable[Any],
    model: str,
    watchdog: Watchdog,
    on_token: Callable[[int], None] | None,
) -> dict[str, Any]:
    """Read the stream to its end (each event is progress) as one chat completion's fields."""
    content: list[str] = []
    arguments: list[str] = []
    tool_name, finish, usage, ident, created = None, None, None, "stream", 0
    for chunk in stream:
        ident, created = chunk.id or ident, chunk.created or created
        if chunk.usage is not None:
            usage = chunk.usage.model_dump()
        for choice in chunk.choices[:1]:
            delta = choice.delta
            if delta.content:
                content.append(delta.content)
            for call in delta.tool_calls or []:
                if call.function is not None:
                    tool_name = call.function.name or tool_name
                    arguments.append(call.function.arguments or "")
            finish = choice.finish_reason or finish
        watchdog.progress()
        if on_token is not None:
            on_token(watchdog.tokens)
    message: dict[str, Any] = {"role": "assistant", "content": "".join(content) or None}
    if arguments:
        message["tool_calls"] = [
            {
                "id": "call_0",
                "type": "function",
                "function": {"name": tool_name or "", "arguments": "".join(arguments)},
            }
        ]
    return _completion(ident, created, model, message, finish, usage)


def _completion(
    ident: str,
    created: int,
    model: str,
    message: dict[str, Any],
    finish: str | None,
    usage: dict[str, Any] | None,
) -> dict[str, Any]:
    """A chat completion's fields, with a finish reason the SDK's type accepts."""
    known = ("stop", "length", "tool_calls", "content_filter", "function_call")
    return {
        "id": ident,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": finish if finish in known else "stop",
            }
        ],
        "usage": usage,
    }
