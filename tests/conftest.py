"""Shared fixtures and guards: tests are offline, loopback only, and never start the model.

* `corpus_dirs` skips (saying why) where the dev corpus in ../shared is absent.
* Every test gets its own cache folder and no API keys from the environment.
* `postgres_url` is a throwaway PostgreSQL cluster for the session (or
  $EXTRACTOR_TEST_POSTGRES_URL); it skips, saying why, where none can start.
* A guard fails any test that opens a socket to anything but loopback, or that
  starts the embedded model server, unless it is marked `live`.
"""

from __future__ import annotations

import glob
import ipaddress
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from paths import CORPUS, EXAMPLES, ROOT

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


@pytest.fixture
def corpus_dirs() -> list[Path]:
    if not CORPUS.is_dir():
        pytest.skip(
            f"the dev corpus is not here ({CORPUS}); it lives in ../shared, "
            "outside the repository, and is never committed"
        )
    return [CORPUS, EXAMPLES, ROOT / "examples"]


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read or write the user's cache, nor see their API keys."""
    monkeypatch.setenv("EXTRACTOR_CACHE_DIR", str(tmp_path / "cache"))
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "EXTRACTOR_API_KEY",
        "EXTRACTOR_BASE_URL",
        "EXTRACTOR_MODEL",
        "EXTRACTOR_PROMPT",
        "EXTRACTOR_GGUF",
        "EXTRACTOR_PROMPTS",
        "EXTRACTOR_DATABASE_URL",
        "EXTRACTOR_API_KEYS",
        "EXTRACTOR_API_KEYS_FILE",
        "EXTRACTOR_CORS_ORIGINS",
        "EXTRACTOR_STRATEGY",
    ):
        monkeypatch.delenv(name, raising=False)


def is_loopback(host: object) -> bool:
    if not isinstance(host, str):
        return False
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


class OfflineViolation(AssertionError):
    """A test tried to leave the machine, or to start the real model without `live`."""


@pytest.fixture(autouse=True)
def _offline(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if request.node.get_closest_marker("live"):
        yield
        return
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(sock: socket.socket, address: Any) -> None:
        if sock.family == getattr(socket, "AF_UNIX", None):
            return
        host = address[0] if isinstance(address, tuple) else address
        if not is_loopback(host):
            raise OfflineViolation(f"test opened a socket to {address!r}: tests stay on loopback")

    def connect(sock: socket.socket, address: Any) -> None:
        check(sock, address)
        real_connect(sock, address)

    def connect_ex(sock: socket.socket, address: Any) -> int:
        check(sock, address)
        return real_connect_ex(sock, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not is_loopback(host if isinstance(host, str) else str(host)):
            raise OfflineViolation(f"test looked up {host!r}: tests stay on loopback")
        return real_getaddrinfo(host, *args, **kwargs)

    def no_model(*args: Any, **kwargs: Any) -> Any:
        raise OfflineViolation("test started the embedded model without the `live` marker")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr("extractor.llm.runtime.start_server", no_model)
    monkeypatch.setattr("extractor.extract.start_server", no_model)
    yield


def _start_postgres() -> tuple[str, list[str], str]:
    """initdb + pg_ctl in a temporary folder, as a non-root user; (url, stop command, dir)."""
    initdb = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb")) or [shutil.which("initdb") or ""]
    if not initdb[-1] or not os.path.exists(initdb[-1]):
        raise RuntimeError("no PostgreSQL server binaries (apt-get install postgresql)")
    bindir = os.path.dirname(initdb[-1])
    folder = tempfile.mkdtemp(prefix="extractor-pg-")
    data = os.path.join(folder, "data")
    prefix: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: use its own account
        runuser = shutil.which("runuser")
        if runuser is None:
            raise RuntimeError("running as root and no runuser to become the postgres user")
        prefix = [runuser, "-u", "postgres", "--"]
        shutil.chown(folder, "postgres")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    run = {"check": True, "capture_output": True, "timeout": 60}
    subprocess.run([*prefix, initdb[-1], "-D", data, "-A", "trust", "-U", "test"], **run)
    options = f"-k {folder} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off"
    log = os.path.join(folder, "log")
    subprocess.run(
        [*prefix, f"{bindir}/pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "start"], **run
    )
    stop = [*prefix, f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"]
    return f"postgresql+psycopg://test@127.0.0.1:{port}/postgres", stop, folder


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    given = os.environ.get("EXTRACTOR_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    try:
        url, stop, folder = _start_postgres()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        pytest.skip(f"no PostgreSQL server could start here: {exc} {detail[-200:]!r}")
    try:
        yield url
    finally:
        subprocess.run(stop, capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty job store: a SQLite file, and a fresh database on the session's PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    import uuid

    import psycopg

    base = request.getfixturevalue("postgres_url")
    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
    return base.rsplit("/", 1)[0] + "/" + name
