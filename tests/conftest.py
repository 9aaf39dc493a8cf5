"""Shared fixtures and guards: tests are offline, loopback only, and never start the model.

* `corpus_dirs` skips (saying why) where the dev corpus in ../shared is absent.
* Every test gets its own cache folder and no API keys from the environment.
* A guard fails any test that opens a socket to anything but loopback, or that
  starts the embedded model server, unless it is marked `live`.
"""

from __future__ import annotations

import ipaddress
import socket
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
    monkeypatch.setattr("extractor.runtime.start_server", no_model)
    monkeypatch.setattr("extractor.extract.start_server", no_model)
    yield
