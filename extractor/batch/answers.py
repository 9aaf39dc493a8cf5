"""The answers a batch brought back, on disk: a corpus's answers need no memory.

One SQLite table in the batch's work folder, custom_id → the response body as JSON
text (never a pickle). Written when a round's output file is collected, in one
transaction, before the manifest marks that batch collected; collecting it again
after a crash writes the same rows.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import OutputError


class AnswerStore(Mapping[str, dict[str, Any]]):
    """custom_id → response body, read and written through SQLite."""

    def __init__(self, path: Path) -> None:
        try:
            self._db = sqlite3.connect(path, check_same_thread=False)
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS answers (custom_id TEXT PRIMARY KEY, body TEXT)"
            )
            self._db.commit()
        except sqlite3.Error as exc:
            raise OutputError(
                f"{path}: cannot keep the batch's answers ({exc})", path=str(path)
            ) from None

    def put_many(self, rows: Iterable[tuple[str, dict[str, Any]]]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO answers VALUES (?, ?)",
                ((cid, json.dumps(body, ensure_ascii=False)) for cid, body in rows),
            )

    def __getitem__(self, key: str) -> dict[str, Any]:
        row = self._db.execute("SELECT body FROM answers WHERE custom_id = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        body = json.loads(row[0])
        if not isinstance(body, dict):
            raise KeyError(key)
        return body

    def __contains__(self, key: object) -> bool:
        found = self._db.execute("SELECT 1 FROM answers WHERE custom_id = ?", (key,)).fetchone()
        return found is not None

    def __iter__(self) -> Iterator[str]:
        return (row[0] for row in self._db.execute("SELECT custom_id FROM answers"))

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM answers").fetchone()[0])

    def close(self) -> None:
        self._db.close()
