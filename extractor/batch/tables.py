"""Flat tables of a batch's results: one row per claim, one row per meeting (CSV).

    extractor extract-many 'news/*.txt' -o out.jsonl --format csv
    → out.jsonl, out.claims.csv, out.meetings.csv

Built from the latest record of each item, so a rerun rewrites them whole. Actor
ids become names (the English name too where it differs). A cell that a
spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) is
prefixed with an apostrophe: text from an article or a model is data, never code.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

from ..errors import OutputError

CLAIM_COLUMNS = [
    "id",
    "article",
    "title",
    "published",
    "speakers",
    "quote",
    "statement",
    "evidence",
    "start",
    "end",
]
MEETING_COLUMNS = [
    "id",
    "article",
    "title",
    "published",
    "participants",
    "mediators",
    "status",
    "format",
    "date",
    "date_text",
    "location",
    "topic",
    "evidence",
    "start",
    "end",
]
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def table_paths(out_path: Path) -> tuple[Path, Path]:
    stem = out_path.with_suffix("") if out_path.suffix == ".jsonl" else out_path
    return stem.with_name(stem.name + ".claims.csv"), stem.with_name(stem.name + ".meetings.csv")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _names(ids: list[str], actors: dict[str, dict[str, Any]]) -> str:
    out = []
    for aid in ids:
        actor = actors.get(aid, {})
        name = str(actor.get("name") or aid)
        english = actor.get("name_en")
        out.append(f"{name} ({english})" if english and english != name else name)
    return "; ".join(out)


def rows(records: dict[str, dict[str, Any]]) -> tuple[list[list[str]], list[list[str]]]:
    """Claim rows and meeting rows of every successful record, in id order."""
    claims: list[list[str]] = []
    meetings: list[list[str]] = []
    for doc_id in sorted(records):
        record = records[doc_id]
        if record.get("ok") is not True or not isinstance(record.get("articles"), list):
            continue
        for k, article in enumerate(record["articles"], 1):
            if not isinstance(article, dict):
                continue
            actors: dict[str, dict[str, Any]] = {
                str(a.get("id")): a for a in article.get("actors", []) if isinstance(a, dict)
            }
            head = [doc_id, k, article.get("title"), article.get("published")]
            for c in article.get("claims", []):
                span = c.get("span") or [None, None]
                claims.append(
                    [
                        _cell(v)
                        for v in (
                            *head,
                            _names(c.get("speakers", []), actors),
                            c.get("quote"),
                            c.get("statement"),
                            c.get("evidence"),
                            *span[:2],
                        )
                    ]
                )
            for m in article.get("meetings", []):
                span = m.get("span") or [None, None]
                meetings.append(
                    [
                        _cell(v)
                        for v in (
                            *head,
                            _names(m.get("participants", []), actors),
                            _names(m.get("mediators", []), actors),
                            m.get("status"),
                            m.get("format"),
                            m.get("date"),
                            m.get("date_text"),
                            m.get("location"),
                            m.get("topic"),
                            m.get("evidence"),
                            *span[:2],
                        )
                    ]
                )
    return claims, meetings


def write_tables(out_path: Path, records: dict[str, dict[str, Any]]) -> tuple[Path, Path]:
    """Write both CSV tables next to the JSONL (each replaced whole, atomically)."""
    claims, meetings = rows(records)
    paths = table_paths(out_path)
    for path, columns, body in zip(
        paths, (CLAIM_COLUMNS, MEETING_COLUMNS), (claims, meetings), strict=True
    ):
        partial = path.with_name(path.name + ".partial")
        try:
            with partial.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(columns)
                writer.writerows(body)
                fh.flush()
                os.fsync(fh.fileno())
            partial.replace(path)
        except OSError as exc:
            raise OutputError(
                f"{path}: cannot write the table ({exc.strerror or exc})", path=str(path)
            ) from None
    return paths
