"""Predictions to score, in every shape the tool writes them.

`eval score` takes a folder or a file beside a gold folder, and reads:

* a folder of `<gold id>.json` files, each either gold-shaped (`{"id", "articles"}`,
  the `Document` model) or what `extractor extract --json` prints (a list of
  articles);
* an `extract-many` JSONL file (`{"id", "ok", "articles", …}` per line; a failed line
  is an invalid output).

An output whose records fail validation is an invalid output, scored as empty
(RECORDS.md §3), and named with its first problem. What cannot be read at all (not
JSON, neither shape, no prediction for any gold id) is a `GoldError` that says why:
the command exits 2 instead of scoring zeros as if they meant something.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from extractor.models import Document

from .gold import GoldError, validation_problems


@dataclass
class Predictions:
    """Predictions by gold id (None: invalid output) and why each invalid one is."""

    documents: dict[str, Document | None] = field(default_factory=dict)
    invalid: dict[str, str] = field(default_factory=dict)


def read_predictions(source: Path, gold: dict[str, Document]) -> Predictions:
    """The predictions in `source` (a folder or a JSONL file) for the gold documents."""
    found = _from_jsonl(source, gold) if source.is_file() else _from_folder(source, gold)
    if not any(doc_id in found.documents for doc_id in gold):
        example = next(iter(gold), "ID")
        raise GoldError(
            f"{source}: no prediction for any gold document (expected {example}.json files, "
            "or an extract-many JSONL file with their ids)"
        )
    return found


def _from_folder(folder: Path, gold: dict[str, Document]) -> Predictions:
    out = Predictions()
    for doc_id, doc in gold.items():
        path = folder / f"{doc_id}.json"
        if not path.is_file():
            continue
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError) as exc:
            raise GoldError(f"{path}: not JSON ({exc})") from exc
        _validate(out, doc_id, _as_document(data, doc, str(path)))
    return out


def extract_many_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) of each line of an `extract-many` JSONL output; a file that
    cannot be read, a line that is no JSON or has no string id is a GoldError."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read ({exc})") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise GoldError(f"{path}, line {n}: not JSON ({exc})") from exc
        if not isinstance(record, dict) or not isinstance(record.get("id"), str):
            raise GoldError(f"{path}, line {n}: not an extract-many line (no string id)")
        yield n, record


def _from_jsonl(path: Path, gold: dict[str, Document]) -> Predictions:
    out = Predictions()
    for n, record in extract_many_lines(path):
        doc_id = record["id"]
        if doc_id not in gold:
            continue
        if not record.get("ok", True):
            out.documents[doc_id] = None
            out.invalid[doc_id] = f"extraction failed: {record.get('error') or 'no reason'}"
            continue
        where = f"{path}, line {n}"
        _validate(out, doc_id, _as_document(record.get("articles"), gold[doc_id], where))
    return out


def _as_document(data: Any, gold: Document, where: str) -> dict[str, Any]:
    """Gold-shaped data of a prediction: a Document's fields, or a list of articles."""
    if isinstance(data, list):
        return {"id": gold.id, "text_file": gold.text_file, "articles": data}
    if isinstance(data, dict) and "articles" in data:
        return {**data, "id": gold.id}
    raise GoldError(
        f"{where}: neither a gold-shaped document ({{'id', 'articles'}}) nor a list of "
        "articles (extract --json)"
    )


def _validate(out: Predictions, doc_id: str, data: dict[str, Any]) -> None:
    try:
        out.documents[doc_id] = Document.model_validate(data)
    except ValidationError as exc:
        out.documents[doc_id] = None
        out.invalid[doc_id] = "; ".join(validation_problems(exc)[:2])
