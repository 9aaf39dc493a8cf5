"""The server under hostile clients: idle and slow connections, floods, a repeating log.

Every test is on loopback, bounded in sockets (at most ~130) and in time (a few
seconds: the limits are shortened), and closes what it opened.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest
from liveservice import ServeProcess, running

from extractor.errors import ConfigError
from extractor.service.config import ServiceConfig
from extractor.service.server import RepeatFilter, ServerLimits
from extractor.settings import Settings

SHORT = ServerLimits(header_timeout_s=1.0, body_timeout_s=1.0, max_connections_per_client=60)


@contextmanager
def serving(tmp_path: Path, limits: ServerLimits = SHORT) -> Iterator[str]:
    config = ServiceConfig(
        extractor=Settings(strategy="rules", use_cache=False),
        database_url=f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
        poll_s=0.05,
    )
    with running(config, limits=limits) as url:
        yield url


def connect(url: str, stack: ExitStack, source: str | None = None) -> socket.socket:
    """A connection to the server, from another loopback address than 127.0.0.1 if given."""
    host, port = url.removeprefix("http://").split(":")
    address = (source, 0) if source else None
    sock = socket.create_connection((host, int(port)), timeout=5, source_address=address)
    stack.callback(sock.close)
    return sock


def closed_by_server(sock: socket.socket, within: float) -> bytes | None:
    """What the server sent before closing, or None if it kept the socket open `within` s."""
    sock.settimeout(within)
    received = b""
    try:
        while chunk := sock.recv(4096):
            received += chunk
    except TimeoutError:
        return None
    except ConnectionResetError:
        pass
    return received


def healthz_seconds(url: str) -> float:
    started = time.monotonic()
    response = httpx.get(f"{url}/healthz", timeout=5)
    assert response.status_code == 200
    return time.monotonic() - started


def test_idle_sockets_and_a_slowloris_are_closed_and_healthz_still_answers(tmp_path):
    with serving(tmp_path) as url, ExitStack() as stack:
        idle = [connect(url, stack) for _ in range(50)]
        slow = connect(url, stack)
        slow.sendall(b"GET /healthz HTTP/1.1\r\n")
        assert healthz_seconds(url) < 1.0
        # one header line every 0.2 s: always active, never done
        started = time.monotonic()
        closed = False
        for n in range(20):
            try:
                slow.sendall(f"X-Slow-{n}: 1\r\n".encode())
            except OSError:
                closed = True
                break
            time.sleep(0.2)
        assert closed or closed_by_server(slow, within=1.0) is not None
        assert time.monotonic() - started < 3.0  # closed after ~1 s, not held
        assert all(closed_by_server(s, within=2.0) is not None for s in idle)
        assert healthz_seconds(url) < 1.0


def test_a_begun_request_that_times_out_is_told_408(tmp_path):
    with serving(tmp_path) as url, ExitStack() as stack:
        sock = connect(url, stack)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        answer = closed_by_server(sock, within=3.0)
    assert answer is not None and answer.startswith(b"HTTP/1.1 408")


def test_a_body_that_never_arrives_whole_is_cut_off_with_408(tmp_path):
    with serving(tmp_path) as url, ExitStack() as stack:
        sock = connect(url, stack)
        head = (
            b"POST /v1/extract HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n"
        )
        sock.sendall(head + b'{"text": "')
        started = time.monotonic()
        for _ in range(15):  # a byte every 0.2 s: active, yet 3 s for 15 of 1000 bytes
            try:
                sock.sendall(b"a")
            except OSError:
                break
            time.sleep(0.2)
        answer = closed_by_server(sock, within=3.0)
        assert time.monotonic() - started < 4.0
        assert answer is not None and b" 408 " in answer.split(b"\r\n")[0]
        assert healthz_seconds(url) < 1.0


def test_connections_over_the_per_client_cap_are_closed_at_once(tmp_path):
    limits = ServerLimits(max_connections_per_client=20)
    with serving(tmp_path, limits) as url, ExitStack() as stack:
        socks = [connect(url, stack) for _ in range(30)]
        time.sleep(0.3)
        refused = [s for s in socks if closed_by_server(s, within=0.2) is not None]
        assert len(refused) == 10  # the 21st to the 30th
        for s in socks:
            s.close()
        time.sleep(0.3)
        assert healthz_seconds(url) < 1.0


def test_connections_over_the_servers_cap_are_closed_at_once(tmp_path):
    limits = ServerLimits(max_connections=40, max_connections_per_client=0)
    with serving(tmp_path, limits) as url, ExitStack() as stack:
        socks = [connect(url, stack) for _ in range(120)]
        time.sleep(0.3)
        held = [s for s in socks if closed_by_server(s, within=0.1) is None]
        assert len(held) == 40
        for s in socks:
            s.close()
        time.sleep(0.3)
        assert healthz_seconds(url) < 1.0


def test_a_keep_alive_client_is_served_again_and_again(tmp_path):
    with serving(tmp_path) as url, httpx.Client() as client:
        for _ in range(3):
            assert client.get(f"{url}/healthz").status_code == 200
            time.sleep(0.3)  # under the header timeout between requests: kept


def test_a_repeated_error_is_logged_once_per_interval_with_a_count():
    now = [0.0]
    repeat = RepeatFilter(interval_s=60, clock=lambda: now[0])

    def record(message: str, level: int = logging.ERROR) -> logging.LogRecord:
        return logging.LogRecord("asyncio", level, __file__, 1, message, None, None)

    emfile = "socket.accept() out of system resource: [Errno 24] Too many open files"
    passed = [repeat.filter(record(emfile)) for _ in range(10_000)]
    assert passed.count(True) == 1
    assert repeat.filter(record("another error"))
    assert all(repeat.filter(record("GET /healthz", logging.INFO)) for _ in range(5))
    now[0] = 61.0
    last = record(emfile)
    assert repeat.filter(last)
    assert "(and 9999 more like it in the last 61s)" in last.getMessage()


def test_limits_come_from_the_environment_and_bad_values_are_refused():
    limits = ServerLimits.from_env(
        {"EXTRACTOR_HEADER_TIMEOUT_S": "5", "EXTRACTOR_MAX_CONNECTIONS_PER_CLIENT": "0"}
    )
    assert (limits.header_timeout_s, limits.max_connections_per_client) == (5.0, 0)
    assert limits.body_timeout_s == ServerLimits().body_timeout_s
    for bad in ("ten", "-1"):
        with pytest.raises(ConfigError, match="EXTRACTOR_BODY_TIMEOUT_S"):
            ServerLimits.from_env({"EXTRACTOR_BODY_TIMEOUT_S": bad})


def test_a_flood_at_the_descriptor_limit_leaves_healthz_answering_and_the_log_small(tmp_path):
    """`extractor serve` with 256 descriptors; 300 idle connections from one client
    (127.0.0.2); another client (127.0.0.1) is still answered at once."""
    args = ["--strategy", "rules", "--database-url", f"sqlite:///{tmp_path / 'jobs.sqlite3'}"]
    log_path = tmp_path / "serve.log"
    server = ServeProcess(args, env=dict(os.environ), log_path=log_path, max_files=256)
    try:
        server.wait_ready()
        with ExitStack() as stack:
            for _ in range(300):
                try:
                    connect(server.url, stack, source="127.0.0.2")
                except OSError:  # refused or reset under the flood: what counts is the server
                    pass
            time.sleep(2.0)
            started = time.monotonic()
            answer = httpx.get(f"{server.url}/healthz", timeout=3)
            assert answer.status_code == 200
            assert time.monotonic() - started < 1.0
        assert server.proc.poll() is None
    finally:
        server.stop()
    log = log_path.read_text(errors="replace")
    assert "Too many open files" not in log
    assert log.count("connection refused") <= 2  # ~200 refusals: one line a minute per cap
    assert len(log) < 20_000, log[-2000:]
