"""Who is calling: API keys kept as SHA-256 digests, the bind rule, per-key limits.

Keys are bearer tokens, kept only as digests and compared in constant time; a job
belongs to the digest of the key that made it, so another key sees a 404.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.security import HTTPAuthorizationCredentials

from ..errors import ConfigError, RateLimitedError, UnauthorizedError

ANONYMOUS = "local"  # the owner of every job when no keys are configured (loopback only)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.strip().encode("utf-8")).hexdigest()


def load_keys(env_value: str | None = None, keys_file: Path | None = None) -> tuple[str, ...]:
    """API keys as SHA-256 digests, from a comma-separated value and/or a keys file.

    A keys file has one key per line, or `sha256:HEX` for a key kept only as its digest
    (so the file need not hold secrets); blank lines and `#` comments are skipped.
    """
    digests: list[str] = []
    for raw in (env_value or "").split(","):
        if raw.strip():
            digests.append(key_digest(raw))
    if keys_file is not None:
        try:
            lines = Path(keys_file).read_text(encoding="utf-8").splitlines()
        except OSError:
            raise ConfigError(f"API keys file not readable: {keys_file}") from None
        for number, line in enumerate(lines, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("sha256:"):
                digest = line.removeprefix("sha256:").strip().lower()
                if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
                    raise ConfigError(f"{keys_file}:{number}: sha256: needs 64 hex digits")
                digests.append(digest)
            else:
                digests.append(key_digest(line))
    return tuple(dict.fromkeys(digests))


def is_loopback_host(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, keys: tuple[str, ...]) -> None:
    """With no API keys, only loopback: an open service must not be reachable by others."""
    if not keys and not is_loopback_host(host):
        raise ConfigError(
            f"refusing to bind {host} without API keys: set EXTRACTOR_API_KEYS or "
            "--api-keys-file, or bind 127.0.0.1"
        )


def owner_of(keys: tuple[str, ...], credentials: HTTPAuthorizationCredentials | None) -> str:
    """The owner a request acts for: its key's digest, or ANONYMOUS when no keys are set."""
    if not keys:
        return ANONYMOUS
    if credentials is None or not credentials.credentials:
        raise UnauthorizedError(
            "an API key is required (Authorization: Bearer KEY)", reason="missing_key"
        )
    digest = key_digest(credentials.credentials)
    found = False
    for known in keys:  # every digest is compared: the time does not say which matched
        found |= hmac.compare_digest(digest, known)
    if not found:
        raise UnauthorizedError("unknown API key", reason="unknown_key")
    return digest[:32]


class InflightLimiter:
    """At most `limit` requests in flight per key; the next one is told to retry (429)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    @contextmanager
    def slot(self, owner: str) -> Iterator[None]:
        with self._lock:
            if self._counts.get(owner, 0) >= self.limit:
                raise RateLimitedError(
                    f"more than {self.limit} requests in flight for this key", retry_after=1
                )
            self._counts[owner] = self._counts.get(owner, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                self._counts[owner] -= 1
