"""A disk cache of raw completions, keyed by everything that shapes the answer.

Stored values are JSON text (never pickles): the raw completion, its usage and the
notes of the run that stored it ("kept after 2 re-asks with problems: …"), so a
cached answer is re-validated and re-grounded by the current code on every read
and says what the live run said. Only parsed outputs are stored; failures and
truncations never are. diskcache (SQLite) makes one directory safe to share
between processes.

Nothing stored is executed or followed. The cache's `Disk` reads a row only as
inline text: a row in pickle mode, or one that names a file (`../file`), is a
miss that is dropped, never unpickled, read or deleted; no value is ever written
to a file of its own. A cache is a convenience, never a reason to fail: a
directory that is read-only, full, not a directory, or a database that is
corrupted (moved aside as `cache.db.corrupt-TIME`) makes the extractor run
without the cache, with one warning.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import diskcache
from diskcache.core import MODE_RAW

CACHE_FORMAT = 1
SIZE_LIMIT = 2**32  # 4 GiB; diskcache evicts least recently stored entries past it
log = logging.getLogger(__name__)


def cache_key(**parts: Any) -> str:
    """SHA-256 of canonical JSON (sorted keys) of every input that shapes the output."""
    canonical = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class UnsafeRow(ValueError):
    """A cache row that is not inline text: planted, or from another program."""


class TextOnlyDisk(diskcache.Disk):  # type: ignore[misc]
    """diskcache's storage, restricted to inline text: no pickles, no files, either way.

    Values and keys are strings kept in the database row itself (`min_file_size` is
    never reached); reading anything else raises `UnsafeRow`, and removing a file is
    a no-op, so a row that names a path outside the cache cannot delete it.
    """

    def put(self, key: Any) -> tuple[Any, bool]:
        if not isinstance(key, str):
            raise TypeError("cache keys are strings")
        return key, True

    def get(self, key: Any, raw: bool) -> Any:
        if not raw or not isinstance(key, str):
            raise UnsafeRow("a cache key that is not text")
        return key

    def store(self, value: Any, read: bool, key: Any = None) -> tuple[int, int, None, str]:
        if read or not isinstance(value, str):
            raise TypeError("cache values are JSON text")
        return len(value), MODE_RAW, None, value

    def fetch(self, mode: int, filename: str | None, value: Any, read: bool) -> str:
        if mode != MODE_RAW or filename is not None or read or not isinstance(value, str):
            raise UnsafeRow(f"a cache row in mode {mode} (only inline text is read)")
        return value

    def remove(self, file_path: str) -> None:
        """Never delete a file: this cache writes none, and a row may name any path."""


@dataclass(frozen=True)
class CachedCompletion:
    raw: str
    notes: list[str]


class CompletionCache:
    """The completion cache, or (after any failure of the disk) no cache at all."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.disabled: str | None = None
        self._cache: diskcache.Cache | None = None
        try:
            self._cache = self._open()
        except sqlite3.DatabaseError as exc:
            if self._move_aside(exc):
                try:
                    self._cache = self._open()
                except Exception as again:  # noqa: BLE001
                    self._disable(again)
            else:
                self._disable(exc)
        except Exception as exc:  # noqa: BLE001  (read-only, not a directory, full)
            self._disable(exc)

    def _open(self) -> diskcache.Cache:
        return diskcache.Cache(
            str(self.directory),
            size_limit=SIZE_LIMIT,
            disk=TextOnlyDisk,
            disk_min_file_size=2**62,
            disk_pickle_protocol=0,
            eviction_policy="least-recently-stored",
        )

    def _move_aside(self, exc: BaseException) -> bool:
        """A corrupted database is moved aside (kept for a look), so the next run is clean."""
        db = self.directory / "cache.db"
        if not db.is_file():
            return False
        aside = db.with_name(f"cache.db.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
        try:
            db.rename(aside)
            for suffix in ("-wal", "-shm"):
                with contextlib.suppress(OSError):
                    db.with_name("cache.db" + suffix).unlink()
        except OSError:
            return False
        log.warning("cache: %s was corrupted (%s); moved it to %s", db, exc, aside.name)
        return True

    def _disable(self, exc: BaseException) -> None:
        """Run without the cache from now on; say so once."""
        if self.disabled is None:
            self.disabled = f"{type(exc).__name__}: {exc}"
            log.warning(
                "cache: running without the cache at %s (%s)", self.directory, self.disabled
            )
        cache, self._cache = self._cache, None
        if cache is not None:
            with contextlib.suppress(Exception):
                cache.close()

    def get(self, key: str) -> CachedCompletion | None:
        if self._cache is None:
            return None
        try:
            value = self._cache.get(key)
        except UnsafeRow:
            self.drop(key)
            return None
        except sqlite3.DatabaseError as exc:
            if "malformed" in str(exc) or "not a database" in str(exc):
                self._disable(exc)
                self._move_aside(exc)
            else:
                self._disable(exc)
            return None
        except Exception as exc:  # noqa: BLE001  (an unreadable cache is no cache)
            self._disable(exc)
            return None
        if value is None:
            return None
        try:
            entry = json.loads(value)
            notes = entry.get("notes", []) if isinstance(entry, dict) else None
            if (
                not isinstance(entry, dict)
                or entry.get("format") != CACHE_FORMAT
                or not isinstance(entry.get("raw"), str)
                or not isinstance(notes, list)
                or not all(isinstance(n, str) for n in notes)
            ):
                raise ValueError("unexpected cache entry shape")
        except (TypeError, ValueError, RecursionError):
            self.drop(key)
            return None
        return CachedCompletion(raw=entry["raw"], notes=list(notes))

    def put(
        self, key: str, raw: str, usage: dict[str, int], notes: list[str] | None = None
    ) -> None:
        """Store a finished answer; a disk that cannot take it turns the cache off."""
        if self._cache is None:
            return
        entry = {"format": CACHE_FORMAT, "raw": raw, "usage": usage, "notes": notes or []}
        try:
            self._cache.set(key, json.dumps(entry, ensure_ascii=False))
        except Exception as exc:  # noqa: BLE001  (full, read-only: the result still stands)
            self._disable(exc)

    def drop(self, key: str) -> None:
        if self._cache is None:
            return
        with contextlib.suppress(Exception):  # a row that cannot be deleted is left to expire
            self._cache.delete(key)

    def info(self) -> dict[str, Any]:
        """Where the cache is, its size on disk, its entries and its cap."""
        size = sum(p.stat().st_size for p in self.directory.glob("cache.db*") if p.is_file())
        entries = None
        if self._cache is not None:
            with contextlib.suppress(Exception):
                entries = len(self._cache)
        return {
            "directory": str(self.directory),
            "bytes": size,
            "entries": entries,
            "size_limit": SIZE_LIMIT,
            "disabled": self.disabled,
        }

    def clear(self) -> int:
        """Remove every entry; the number removed."""
        if self._cache is None:
            return 0
        try:
            return int(self._cache.clear())
        except Exception as exc:  # noqa: BLE001
            self._disable(exc)
            return 0

    def close(self) -> None:
        if self._cache is not None:
            with contextlib.suppress(Exception):
                self._cache.close()
