"""What `extract-many` was asked to read: files, glob patterns, and JSONL article sets.

A pattern that matches nothing, or a path that does not exist, is an error before
any work starts, never a batch of "no such file" failures. The same file named
twice (`a.txt` and `./a.txt`, or by two patterns) is one item.

A `.jsonl` source holds one article per line, an `InputDocument` (`{"id", "text",
"published"?, "url"?, "meta"?}`, the service's job documents too), so each article
carries its own date, and its url and meta travel into its results line. A line that is not such an
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

from pydantic import ValidationError

from ..errors import InputError
from ..text.inputs import DEFAULT_MAX_BYTES
from .documents import InputDocument, problem_of
from .run import BatchItem

_MAGIC = set("*?[")


# What a folder or a glob counts as an article file: text and HTML, or no suffix at all
# (many corpora name files by number), except the checksum and notice files that sit
# beside them. A file named explicitly is always read: its naming says it is meant.
ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".xhtml", ".md"})
_NOT_ARTICLES = frozenset(
    {"sha256sums", "sha1sums", "md5sums", "checksums", "readme", "license", "notice", "copying"}
)


def expand_sources(
    patterns: list[str], *, max_bytes: int = DEFAULT_MAX_BYTES, notes: list[str] | None = None
) -> list[BatchItem]:
    """Every item the patterns name, in order, each once; InputError for one naming nothing.

    A folder stands for its article files (ids: their names without the suffix); a
    glob or folder match that is no article file (`SHA256SUMS`, `x.json`, an image) is
    left out with a line in `notes`.
    """
    items: list[BatchItem] = []
    seen: set[str] = set()
    for pattern in patterns:
        matches, by_stem = _matches(pattern, notes)
        for match in matches:
            key = os.path.realpath(match)
            if key in seen:
                continue
            seen.add(key)
            path = Path(match)
            if path.suffix.lower() == ".jsonl" and path.is_file():
                items.extend(jsonl_items(path, max_line_bytes=max_bytes))
            else:
                items.append(BatchItem(id=by_stem.get(match, str(path)), path=path))
    return items


def _matches(pattern: str, notes: list[str] | None) -> tuple[list[str], dict[str, str]]:
    """The files a pattern names, and for a folder's files their ids (file stems)."""
    if _MAGIC & set(pattern):
        found = sorted(m for m in glob.glob(pattern, recursive=True) if Path(m).is_file())
        if not found:
            raise InputError(f"{pattern}: the pattern matches no files", reason="missing")
        return _articles_only(found, pattern, notes), {}
    if not os.path.lexists(pattern):
        raise InputError(f"{pattern}: no such file", reason="missing")
    if not Path(pattern).is_dir():
        return [pattern], {}
    found = sorted(str(p) for p in Path(pattern).iterdir() if p.is_file())
    kept = _articles_only(found, pattern, notes)
    if not kept:
        raise InputError(f"{pattern}: the folder holds no article files", reason="missing")
    stems = [Path(m).stem for m in kept]
    ids = {
        m: (st if stems.count(st) == 1 else Path(m).name) for m, st in zip(kept, stems, strict=True)
    }
    return kept, ids


def _articles_only(found: list[str], pattern: str, notes: list[str] | None) -> list[str]:
    kept = []
    for match in found:
        path = Path(match)
        suffix = path.suffix.lower()
        bare = not suffix and path.name.lower() not in _NOT_ARTICLES
        if suffix in ARTICLE_SUFFIXES or suffix == ".jsonl" or bare:
            kept.append(match)
        elif notes is not None:
            notes.append(f"{match}: left out of {pattern}: not an article file (text or HTML)")
    return kept


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
    try:
        doc = InputDocument.model_validate(data)
    except ValidationError as exc:
        return _bad(path, number, problem_of(list(exc.errors(include_input=False))), line)
    return BatchItem(
        id=doc.id, path=path, text=doc.text, published=doc.published, url=doc.url, meta=doc.meta
    )
