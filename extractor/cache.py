"""A disk cache of raw completions, keyed by everything that shapes the answer.

Stored values are JSON text (never pickles): the raw completion, its usage and the
notes of the run that stored it ("kept after 2 re-asks with problems: …"), so a
cached answer is re-validated and re-grounded by the current code on every read
and says what the live run said. Only parsed outputs are stored; failures and
truncations never are. A corrupted
entry is dropped and recomputed. diskcache (SQLite) makes one directory safe to
share between processes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import diskcache

CACHE_FORMAT = 1


def cache_key(**parts: Any) -> str:
    """SHA-256 of canonical JSON (sorted keys) of every input that shapes the output."""
    canonical = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CachedCompletion:
    raw: str
    notes: list[str]


class CompletionCache:
    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._cache = diskcache.Cache(str(self.directory), size_limit=2**32)

    def get(self, key: str) -> CachedCompletion | None:
        try:
            value = self._cache.get(key)
        except Exception:  # noqa: BLE001  (an unreadable row is a miss, then dropped)
            self.drop(key)
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
        except (TypeError, ValueError):
            self.drop(key)
            return None
        return CachedCompletion(raw=entry["raw"], notes=list(notes))

    def put(
        self, key: str, raw: str, usage: dict[str, int], notes: list[str] | None = None
    ) -> None:
        entry = {"format": CACHE_FORMAT, "raw": raw, "usage": usage, "notes": notes or []}
        self._cache.set(key, json.dumps(entry, ensure_ascii=False))

    def drop(self, key: str) -> None:
        with contextlib.suppress(Exception):  # a row that cannot be deleted is left to expire
            self._cache.delete(key)

    def close(self) -> None:
        self._cache.close()
