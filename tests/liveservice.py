"""The extraction service on a real uvicorn server on loopback, for tests and the benchmark.

    with running(config) as url:
        httpx.post(f"{url}/v1/extract", json={"text": ...})

In a thread of this process (`running`), or as a separate `extractor serve` process
that a test may kill -9 (`ServeProcess`).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fakeserver import Reply, completion

from extractor.service.app import create_app
from extractor.service.config import ServiceConfig
from extractor.service.server import ServerLimits, bounded_protocol


def actors_answer(body: dict[str, Any], delay: float = 0.0) -> Reply:
    """The cues strategy's calls: a chunk's names, its meetings; two-step's step two: nothing."""
    last = str(body.get("messages", [{}])[-1].get("content", ""))
    if "then the parties" in last:  # names2's meeting question: nothing to change
        return Reply(
            completion('{"meetings":[]}', prompt_tokens=50, completion_tokens=5), delay=delay
        )
    if "Task 2" in last:
        empty = json.dumps({"claims": [], "meetings": []})
        return Reply(completion(empty, prompt_tokens=50, completion_tokens=5), delay=delay)
    if "name_en" not in json.dumps(
        body
    ):  # a names prompt (`names1`, `names2`): names and kinds only
        names = [
            {"name": "Karim Haddad", "kind": "person"},
            {"name": "Joseph Borg", "kind": "person"},
        ]
        content = json.dumps({"outlet": None, "dateline": None, "actors": names})
        return Reply(completion(content, prompt_tokens=50, completion_tokens=20), delay=delay)
    content = json.dumps(
        {
            "outlet": None,
            "dateline": None,
            "actors": [
                {
                    "id": "haddad",
                    "name": "Karim Haddad",
                    "name_en": "Karim Haddad",
                    "kind": "person",
                    "role": None,
                    "affiliation": None,
                    "anonymous": False,
                    "aliases": ["Haddad"],
                },
                {
                    "id": "borg",
                    "name": "Joseph Borg",
                    "name_en": "Joseph Borg",
                    "kind": "person",
                    "role": None,
                    "affiliation": None,
                    "anonymous": False,
                    "aliases": [],
                },
            ],
        }
    )
    return Reply(completion(content, prompt_tokens=50, completion_tokens=20), delay=delay)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running(
    config: ServiceConfig,
    *,
    limit_concurrency: int | None = None,
    limits: ServerLimits | None = None,
) -> Iterator[str]:
    """Serve `create_app(config)` on 127.0.0.1:PORT in a thread; yield its base URL.

    On the service's own protocol (`extractor.service.server`), under `limits`.
    """
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(config),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            access_log=False,
            limit_concurrency=limit_concurrency,
            http=bounded_protocol(limits or ServerLimits()),
            timeout_graceful_shutdown=2,
        )
    )
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive(), "uvicorn did not start"
        assert time.monotonic() < deadline, "uvicorn did not start in 15 s"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def _limit_files(n: int) -> None:
    """In the child: at most `n` open file descriptors (RLIMIT_NOFILE)."""
    import resource  # noqa: PLC0415

    resource.setrlimit(resource.RLIMIT_NOFILE, (n, n))


class ServeProcess:
    """`python -m extractor.cli serve …` in a subprocess, its log in `log_path`."""

    def __init__(
        self, args: list[str], *, env: dict[str, str], log_path: Path, max_files: int = 0
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        root = Path(__file__).resolve().parent.parent
        env = {**env, "PYTHONPATH": os.pathsep.join([str(root), env.get("PYTHONPATH", "")])}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "extractor.cli", "serve", "--port", str(self.port), *args],
            stdout=log_path.open("wb"),
            stderr=subprocess.STDOUT,
            env=env,
            preexec_fn=(lambda: _limit_files(max_files)) if max_files else None,
        )

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log_path.read_text(errors="replace")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError("service did not come up: " + self.log_path.read_text())

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
