"""A real OpenAI-compatible HTTP server for tests, answering from a script of behaviours.

    with FakeServer() as server:
        server.push(Status(429), Reply(completion('{"name": "x"}')))
        llm = LLM(model="m", base_url=server.base_url, api_key=None)
        ...
        assert len(server.requests) == 2

Loopback only (127.0.0.1, port 0), one daemon thread per connection, shut down at
exit. Every request to POST /v1/chat/completions takes the next behaviour from the
queue; when the queue is empty, `server.default` answers (a behaviour, or a callable
taking the parsed request body and returning one). Behaviours:

* `Status(code, headers=None, body=None)`: an HTTP error (429 with or without a
  Retry-After header, 500/502/503, 400/401, ...) with an OpenAI-style error body;
* `Reply(payload, delay=0.0)`: 200 with a JSON payload (see `completion`), after a delay;
* `Hang(seconds)`: read the request, then say nothing for `seconds` (≤ 3) and close,
  so a client with a shorter timeout gets a read timeout;
* `Close()`: drop the connection without any response.
* `Drip(gap)`: 200 headers, then one byte every `gap` seconds that never completes an
  event (a hostile or broken server), until the client goes away.
* `Slow(payload, gap)`: a streamed answer whose tokens come `gap` seconds apart.
* `Cut(payload, events, reset=False, chunked=True)`: a 200 answer dropped part-way: a
  streamed one after `events` events (0: right after the headers), an unstreamed one
  after half its body (its Content-Length promised all of it). `reset` ends with a TCP
  reset (RST), else a plain close (FIN); `chunked` frames the stream, so the cut is a
  broken chunk, else the stream (without `[DONE]`) just ends.
* `Encoded(payload, encoding)`: the answer compressed (gzip or deflate) with that
  Content-Encoding, streamed or not as asked.

A request with `"stream": true` gets its `Reply` as server-sent events (one event per
few characters of content, then finish_reason, then usage, then `[DONE]`), as
llama.cpp, vLLM and OpenAI send them; `huge_reply(n)` is a payload of n bytes.

`GET /v1/models` answers a one-model list (what a readiness probe asks), unless the
server was stopped.

`refused_url()` gives a base URL where nothing listens (connection refused).

`server.stop()` kills the server in the middle of a test, as a crashed backend
would: it stops listening (new connections are refused) and closes every open
connection, so a client's kept-alive connection cannot keep getting answers.
"""

from __future__ import annotations

import gzip
import json
import socket
import struct
import threading
import zlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MAX_SLEEP = 3.0  # no behaviour may keep a test waiting longer than this


@dataclass(frozen=True)
class Status:
    code: int
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None


@dataclass(frozen=True)
class Reply:
    payload: dict[str, Any]
    delay: float = 0.0


@dataclass(frozen=True)
class Hang:
    seconds: float = 2.0


@dataclass(frozen=True)
class Close:
    pass


@dataclass(frozen=True)
class Drip:
    gap: float = 0.5


@dataclass(frozen=True)
class Slow:
    payload: dict[str, Any]
    gap: float = 0.2


@dataclass(frozen=True)
class Cut:
    payload: dict[str, Any]
    events: int = 0
    reset: bool = False
    chunked: bool = True


@dataclass(frozen=True)
class Encoded:
    payload: dict[str, Any]
    encoding: str = "gzip"


Behaviour = Status | Reply | Hang | Close | Drip | Slow | Cut | Encoded
Default = Behaviour | Callable[[dict[str, Any]], Behaviour]

_counter = 0
_counter_lock = threading.Lock()


def completion(
    content: str,
    finish_reason: str = "stop",
    prompt_tokens: int = 10,
    completion_tokens: int = 5,
    model: str = "m",
) -> dict[str, Any]:
    """An OpenAI `chat.completion` object whose single choice says `content`."""
    global _counter
    with _counter_lock:
        _counter += 1
        n = _counter
    return {
        "id": f"chatcmpl-fake-{n}",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish_reason,
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def stream_events(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The `chat.completion.chunk` events that stream a `completion` payload.

    Four characters per event, as a tokenizer would, but never more than 64 events.
    """
    choice = payload["choices"][0]
    content = choice["message"].get("content") or ""
    size = max(4, -(-len(content) // 64))
    base = {
        "id": payload["id"],
        "object": "chat.completion.chunk",
        "created": payload["created"],
        "model": payload["model"],
    }
    pieces = [content[i : i + size] for i in range(0, len(content), size)] or [""]
    events = [
        {**base, "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
        for piece in pieces
    ]
    events.append(
        {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": choice["finish_reason"]}]}
    )
    events.append({**base, "choices": [], "usage": payload.get("usage")})
    return events


def huge_reply(size: int) -> dict[str, Any]:
    """A completion whose content is `size` bytes of one JSON string."""
    return completion('{"name":"' + "x" * size + '","count":1}')


def free_port() -> int:
    """A loopback port that nothing listens on (bound, then closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def refused_url() -> str:
    return f"http://127.0.0.1:{free_port()}/v1"


def _error_body(code: int) -> dict[str, Any]:
    return {
        "error": {
            "message": f"fake server says {code}",
            "type": "fake_error",
            "param": None,
            "code": str(code),
        }
    }


class FakeServer:
    """Context manager: a scripted chat-completions server on 127.0.0.1."""

    def __init__(self, default: Default | None = None) -> None:
        self.default: Default = default or Status(500, body=_error_body(500))
        self.requests: list[dict[str, Any]] = []
        self.paths: list[str] = []  # each request's path, with its query (GET /v1/models too)
        self._queue: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self.base_url = ""

    # -- scripting
    def push(self, *behaviours: Behaviour) -> FakeServer:
        with self._lock:
            self._queue.extend(behaviours)
        return self

    def reply(self, content: str, finish_reason: str = "stop", **usage: int) -> FakeServer:
        return self.push(Reply(completion(content, finish_reason, **usage)))

    def reset(self) -> None:
        """Forget the script and the requests seen so far."""
        with self._lock:
            self._queue.clear()
            self.requests.clear()
            self.paths.clear()

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def _next(self, body: dict[str, Any]) -> Behaviour:
        with self._lock:
            self.requests.append(body)
            if self._queue:
                return self._queue.popleft()
            default = self.default
        return default(body) if callable(default) else default

    # -- lifecycle
    def __enter__(self) -> FakeServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass  # keep test output clean

            def setup(self) -> None:
                super().setup()
                with server._lock:
                    server._connections.add(self.connection)

            def finish(self) -> None:
                with server._lock:
                    server._connections.discard(self.connection)
                try:
                    super().finish()
                except OSError:
                    pass  # the connection was closed by stop()

            def do_GET(self) -> None:  # noqa: N802
                if server._stopping.is_set():
                    self._drop()
                elif self.path.split("?")[0].rstrip("/") == "/v1/models":
                    with server._lock:
                        server.paths.append(self.path)
                    self._send(200, {"object": "list", "data": [{"id": "m", "object": "model"}]})
                else:
                    self._send(404, _error_body(404))

            def do_POST(self) -> None:  # noqa: N802
                if server._stopping.is_set():  # stopped: answer nothing, like a dead server
                    self._drop()
                    return
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                with server._lock:
                    server.paths.append(self.path)
                if self.path.split("?")[0].rstrip("/") != "/v1/chat/completions":
                    self._send(404, _error_body(404))
                    return
                try:
                    body = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    body = {"_unparsable": raw.decode("utf-8", "replace")}
                behaviour = server._next(body)
                if isinstance(behaviour, Close):
                    self._drop()
                elif isinstance(behaviour, Hang):
                    server._stopping.wait(min(behaviour.seconds, MAX_SLEEP))
                    self._drop()
                elif isinstance(behaviour, Status):
                    self._send(
                        behaviour.code,
                        behaviour.body or _error_body(behaviour.code),
                        behaviour.headers,
                    )
                elif isinstance(behaviour, Drip):
                    self._drip(behaviour.gap)
                elif isinstance(behaviour, Slow):
                    self._events(behaviour.payload, behaviour.gap)
                elif isinstance(behaviour, Cut):
                    self._cut(behaviour, streamed=bool(body.get("stream")))
                elif isinstance(behaviour, Encoded):
                    self._encoded(behaviour, streamed=bool(body.get("stream")))
                else:
                    if behaviour.delay:
                        server._stopping.wait(min(behaviour.delay, MAX_SLEEP))
                    if body.get("stream"):
                        self._events(behaviour.payload, 0.0)
                    else:
                        self._send(200, behaviour.payload)

            def _events(self, payload: dict[str, Any], gap: float) -> None:
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    for event in stream_events(payload):
                        if gap and server._stopping.wait(min(gap, MAX_SLEEP)):
                            break
                        self.wfile.write(b"data: " + json.dumps(event).encode() + b"\n\n")
                        self.wfile.flush()
                    self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
                except OSError:
                    pass
                self.close_connection = True

            def _cut(self, cut: Cut, *, streamed: bool) -> None:
                events = [
                    b"data: " + json.dumps(e).encode() + b"\n\n" for e in stream_events(cut.payload)
                ]
                whole = json.dumps(cut.payload).encode()
                try:
                    self.send_response(200)
                    if streamed:
                        self.send_header("Content-Type", "text/event-stream")
                        if cut.chunked:
                            self.send_header("Transfer-Encoding", "chunked")
                        self.end_headers()
                        for event in events[: cut.events]:
                            framed = b"%x\r\n%s\r\n" % (len(event), event)
                            self.wfile.write(framed if cut.chunked else event)
                        if cut.chunked:  # a chunk promised, never finished
                            self.wfile.write(b"400\r\ndata: {")
                    else:
                        self.send_header("Content-Type", "application/json")
                        self.send_header("Content-Length", str(len(whole)))
                        self.end_headers()
                        self.wfile.write(whole[: len(whole) // 2])
                    self.wfile.flush()
                except OSError:
                    pass
                self.close_connection = True
                if cut.reset:  # SO_LINGER 0: close() sends RST, not FIN
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                    )
                    self.connection.close()
                else:
                    self._drop()

            def _encoded(self, encoded: Encoded, *, streamed: bool) -> None:
                if streamed:
                    data = b"".join(
                        b"data: " + json.dumps(e).encode() + b"\n\n"
                        for e in stream_events(encoded.payload)
                    )
                    data += b"data: [DONE]\n\n"
                else:
                    data = json.dumps(encoded.payload).encode()
                if encoded.encoding == "gzip":
                    data = gzip.compress(data, compresslevel=9)
                else:
                    data = zlib.compress(data, 9)
                try:
                    self.send_response(200)
                    kind = "text/event-stream" if streamed else "application/json"
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Encoding", encoded.encoding)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    self.wfile.flush()
                except OSError:
                    pass
                self.close_connection = True

            def _drip(self, gap: float) -> None:
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    self.wfile.flush()
                    while not server._stopping.wait(min(gap, MAX_SLEEP)):
                        self.wfile.write(b":")  # a comment byte: never a whole event
                        self.wfile.flush()
                except OSError:
                    pass
                self.close_connection = True

            def _send(
                self, code: int, payload: dict[str, Any], headers: dict[str, str] | None = None
            ) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                    self.wfile.flush()
                except OSError:
                    self.close_connection = True  # the client went away (it timed out)

            def _drop(self) -> None:
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        self._httpd = httpd
        host, port = httpd.server_address[:2]
        self.base_url = f"http://{host}:{port}/v1"
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-openai",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Die now: refuse new connections and cut the open ones (idempotent)."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
