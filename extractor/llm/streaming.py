"""A streamed answer under a watchdog, gathered back into one chat completion.

Time is measured by progress, not by a fixed timeout: answers are streamed, and a
watchdog cuts the connection only when no token came for `stall_timeout` seconds
(after a first-token allowance, `timeout`, for prompt processing), when the
request's deadline passes, or when the response outgrows `max_response_bytes`
(counted decompressed: a small gzip body may inflate a thousandfold). A slow local
model that is still producing tokens is never killed. A connection the server
drops mid-answer (a reset, a broken chunk, a stream that ends without its finish)
is `Dropped`, with the number of tokens that came before.

Nothing here imports an LLM SDK: stream events are read by their attributes, and
`client.py` turns the gathered completion into the SDK's type and parses it.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import zlib
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


class Dropped(Exception):
    """The connection broke before the answer was whole; `tokens` events had come.

    The HTTP library raises its own protocol or read error for a reset or a broken
    chunk, and nothing at all for a close-delimited stream that just stops: both
    become this, so the client retries one that broke before its first token (like a
    dropped connection) and reports the others as the transport failures they are.
    """

    def __init__(self, tokens: int, reason: str) -> None:
        super().__init__(reason)
        self.tokens = tokens


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
        """Called when headers arrive: take the socket (kept-alive too) and cap the body.

        A compressed body is inflated here, in bounded steps, and the cap counts what
        comes out: httpx would inflate each received chunk whole, unbounded. Only
        gzip and deflate (what the client asks for) are accepted; any other coding
        is cut before its body is read.
        """
        self._adopt(response.extensions.get("network_stream"))
        codings = [
            c.strip().lower()
            for c in response.headers.get_list("content-encoding", split_commas=True)
            if c.strip().lower() not in ("", "identity")
        ]
        inflate = None
        if codings:
            if len(codings) > 1 or codings[0] not in _INFLATE:
                self.cut("encoding", f"the response's content-encoding {codings} is not accepted")
                raise _Cut(self.reason)
            inflate = _Inflate(codings[0])
            del response.headers["content-encoding"]  # inflated here: httpx must not again
        response.stream = _CappedStream(cast(Any, response.stream), self, inflate)

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


_INFLATE = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
_STEP = 1 << 16  # bytes inflated at a time: a bomb never inflates past the cap + this


class _Inflate:
    """gzip or deflate, inflated at most `_STEP` bytes at a time."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self.inflater = zlib.decompressobj(_INFLATE[coding])
        self.started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            out = self.inflater.decompress(data, _STEP)
        except zlib.error:
            if self.coding != "deflate" or self.started:
                raise
            # "deflate" is often sent raw, without the zlib header (as httpx allows)
            self.inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self.inflater.decompress(data, _STEP)
        self.started = True
        yield out
        while self.inflater.unconsumed_tail:
            yield self.inflater.decompress(self.inflater.unconsumed_tail, _STEP)

    def flush(self) -> bytes:
        return self.inflater.flush()


class _CappedStream(httpx.SyncByteStream):
    """A response body that counts its (inflated) bytes against the watchdog's cap."""

    def __init__(
        self, inner: httpx.SyncByteStream, watchdog: Watchdog, inflate: _Inflate | None = None
    ) -> None:
        self.inner = inner
        self.watchdog = watchdog
        self.inflate = inflate

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.inner:
            if self.inflate is None:
                self.watchdog.count(len(chunk))
                yield chunk
                continue
            try:
                for piece in self.inflate.feed(chunk):
                    self.watchdog.count(len(piece))
                    yield piece
            except zlib.error as exc:
                raise httpx.DecodingError(f"the response does not inflate: {exc}") from exc
        if self.inflate is not None:
            tail = self.inflate.flush()
            self.watchdog.count(len(tail))
            yield tail

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
    """Read the stream to its end (each event is progress) as one chat completion's fields.

    A stream that breaks (the HTTP library's transport error) or ends without a
    finish reason (the connection closed early) is `Dropped`.
    """
    gathered = _Gathered()
    try:
        for chunk in stream:
            gathered.add(chunk)
            watchdog.progress()
            if on_token is not None:
                on_token(watchdog.tokens)
    except (httpx.TransportError, httpx.DecodingError) as exc:
        raise Dropped(watchdog.tokens, f"{type(exc).__name__}: {exc}") from exc
    if gathered.finish is None:
        raise Dropped(watchdog.tokens, "the stream ended before the answer finished")
    return gathered.completion(model)


class _Gathered:
    """The streamed events of one answer, added up."""

    def __init__(self) -> None:
        self.content: list[str] = []
        self.arguments: list[str] = []
        self.tool_name: str | None = None
        self.finish: str | None = None
        self.usage: dict[str, Any] | None = None
        self.ident, self.created = "stream", 0

    def add(self, chunk: Any) -> None:
        self.ident, self.created = chunk.id or self.ident, chunk.created or self.created
        if chunk.usage is not None:
            self.usage = chunk.usage.model_dump()
        for choice in chunk.choices[:1]:
            delta = choice.delta
            if delta.content:
                self.content.append(delta.content)
            for call in delta.tool_calls or []:
                if call.function is not None:
                    self.tool_name = call.function.name or self.tool_name
                    self.arguments.append(call.function.arguments or "")
            self.finish = choice.finish_reason or self.finish

    def completion(self, model: str) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": "".join(self.content) or None}
        if self.arguments:
            message["tool_calls"] = [
                {
                    "id": "call_0",
                    "type": "function",
                    "function": {
                        "name": self.tool_name or "",
                        "arguments": "".join(self.arguments),
                    },
                }
            ]
        return _completion(self.ident, self.created, model, message, self.finish, self.usage)


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
