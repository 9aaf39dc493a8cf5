"""What `extract-many` was asked to read: files, glob patterns, and JSONL article sets.

A pattern that matches nothing, or a path that does not exist, is an error before
any work starts, never a batch of "no such file" failures. The same file named
twice (`a.txt` and `./a.txt`, or by two patterns) is one item.

A `.jsonl` source holds one article per line, `{"id", "text", "published"?,
"url"?}`, so each article carries its own date. A line that is not such an
object is an item of its own that fails with an `InputError` (recorded once, and
skipped on later runs until the line changes), so one bad line never hides the
others. Lines are read one at a time, each to a bounded length.
"""

from __future__ import annotations

import glob
import json
import os
import stat
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..models import is_date
from ..text.inputs import DEFAULT_MAX_BYTES
from .run import BatchItem

_MAGIC = set("*?[")


def expand_sources(patterns: list[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[BatchItem]:
    """Every item the patterns name, in order, each once; InputError for one naming nothing."""
    items: list[BatchItem] = []
    seen: set[str] = set()
    for pattern in patterns:
        if _MAGIC & set(pattern):
            matches = sorted(m for m in glob.glob(pattern, recursive=True) if Path(m).is_file())
            if not matches:
                raise InputError(f"{pattern}: the pattern matches no files", reason="missing")
        else:
            if not os.path.lexists(pattern):
                raise InputError(f"{pattern}: no such file", reason="missing")
            matches = [pattern]
        for match in matches:
            key = os.path.realpath(match)
            if key in seen:
                continue
            seen.add(key)
            path = Path(match)
            if path.suffix.lower() == ".jsonl" and path.is_file():
                items.extend(jsonl_items(path, max_line_bytes=max_bytes))
            else:
                items.append(BatchItem(id=str(path), path=path))
    return items


def jsonl_items(path: Path, *, max_line_bytes: int = DEFAULT_MAX_BYTES) -> list[BatchItem]:
    """One item per line of a JSONL article set; a bad line is an item that fails."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path}: not a regular file", reason="not_a_file")
    items: list[BatchItem] = []
    ids: set[str] = set()
    with path.open("rb") as fh:
        number = 0
        while True:
            raw = fh.readline(max_line_bytes + 1)
            if not raw:
                break
            number += 1
            if len(raw) > max_line_bytes:
                while raw and not raw.endswith(b"\n"):  # skip the rest of the long line
                    raw = fh.readline(1 << 20)
                items.append(
                    _bad(path, number, f"over the input limit of {max_line_bytes:,} bytes")
                )
                continue
            line = raw.decode("utf-8", errors="replace").strip()
            if not line:
                continue
            item = _item(path, number, line)
            if item.problem is None and item.id in ids:
                item = _bad(path, number, f"id {item.id!r} appears twice", line)
            ids.add(item.id)
            items.append(item)
    return items


def _bad(path: Path, number: int, problem: str, line: str = "") -> BatchItem:
    return BatchItem(
        id=f"{path}:{number}",
        path=path,
        text=line,
        problem=f"{path} line {number}: {problem}",
    )


def _item(path: Path, number: int, line: str) -> BatchItem:
    try:
        data: Any = json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        return _bad(path, number, "not valid JSON", line)
    if not isinstance(data, dict):
        return _bad(path, number, "not a JSON object with id and text", line)
    doc_id, text = data.get("id"), data.get("text")
    if not isinstance(doc_id, str | int) or isinstance(doc_id, bool) or str(doc_id) == "":
        return _bad(path, number, "no id (a string or number)", line)
    if not isinstance(text, str):
        return _bad(path, number, "no text (a string)", line)
    published, url = data.get("published"), data.get("url")
    if published is not None and not (isinstance(published, str) and is_date(published)):
        return _bad(path, number, f"published must be YYYY-MM-DD, got {published!r}", line)
    if url is not None and not isinstance(url, str):
        return _bad(path, number, "url must be a string", line)
    return BatchItem(id=str(doc_id), path=path, text=text, published=published, url=url)
