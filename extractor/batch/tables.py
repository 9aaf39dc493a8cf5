"""Flat tables of a batch's results: actors, claims and meetings, one row each (CSV).

    extractor extract-many 'news/*.txt' -o out.jsonl --format csv [--bom]
    → out.jsonl, out.actors.csv, out.claims.csv, out.meetings.csv

A researcher loads each in one line (`pandas.read_csv("out.claims.csv")`, or
`to_frames("out.jsonl")`). Every row carries its document's `id`, `url`, `language`,
article number, title, date and the caller's `meta` (as JSON text), and records
name their actors by id (the `actor_id` of actors.csv) next to their display names,
so claims join actors without parsing names. Built from the latest record of each
item, so a rerun rewrites them whole. A cell that a spreadsheet would run as a
formula (starting with =, +, -, @, tab or CR) is prefixed with an apostrophe: text
from an article or a model is data, never code. `--bom` writes UTF-8 with a
byte-order mark, which spreadsheet tools need to read Arabic as UTF-8.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ConfigError, OutputError

HEAD_COLUMNS = ["id", "url", "language", "article", "title", "published", "meta"]
ACTOR_COLUMNS = [
    *HEAD_COLUMNS,
    "actor_id",
    "name",
    "name_en",
    "kind",
    "role",
    "affiliation_id",
    "affiliation",
    "anonymous",
    "mentions",
]
CLAIM_COLUMNS = [
    *HEAD_COLUMNS,
    "speaker_ids",
    "speakers",
    "quote",
    "statement",
    "evidence",
    "start",
    "end",
]
MEETING_COLUMNS = [
    *HEAD_COLUMNS,
    "participant_ids",
    "participants",
    "mediator_ids",
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
TABLES = {"actors": ACTOR_COLUMNS, "claims": CLAIM_COLUMNS, "meetings": MEETING_COLUMNS}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
Row = list[Any]


def table_paths(out_path: Path) -> dict[str, Path]:
    """Where each table of a batch output goes: `out.actors.csv`, `out.claims.csv`, …"""
    stem = out_path.with_suffix("") if out_path.suffix == ".jsonl" else out_path
    return {name: stem.with_name(f"{stem.name}.{name}.csv") for name in TABLES}


def _cell(value: object) -> str:
    if isinstance(value, bool):
        value = str(value).lower()
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


def _meta(record: dict[str, Any]) -> str | None:
    """The document's `meta` as compact JSON text (a table cell), or empty."""
    meta = record.get("meta")
    return None if meta is None else json.dumps(meta, ensure_ascii=False, sort_keys=True)


def _articles(records: dict[str, dict[str, Any]]) -> Iterator[tuple[list[Any], dict[str, Any]]]:
    """(head cells, article) of every successful record's articles, in id order."""
    for doc_id in sorted(records):
        record = records[doc_id]
        if record.get("ok") is not True or not isinstance(record.get("articles"), list):
            continue
        for k, article in enumerate(record["articles"], 1):
            if isinstance(article, dict):
                head = [doc_id, record.get("url"), article.get("language"), k]
                tail = [article.get("title"), article.get("published"), _meta(record)]
                yield [*head, *tail], article


def rows(records: dict[str, dict[str, Any]]) -> dict[str, list[Row]]:
    """The rows of each table, from batch records (failed ones have none), raw values."""
    out: dict[str, list[Row]] = {name: [] for name in TABLES}
    for head, article in _articles(records):
        actors = {str(a.get("id")): a for a in article.get("actors", []) if isinstance(a, dict)}
        for a in actors.values():
            affiliation = a.get("affiliation")
            cells = (
                *head,
                a.get("id"),
                a.get("name"),
                a.get("name_en"),
                a.get("kind"),
                a.get("role"),
                affiliation,
                _names([affiliation], actors) if affiliation else None,
                bool(a.get("anonymous")),
                len(a.get("mentions") or []),
            )
            out["actors"].append(list(cells))
        for c in article.get("claims", []):
            speakers = list(c.get("speakers", []))
            span = c.get("span") or [None, None]
            cells = (
                *head,
                "; ".join(speakers),
                _names(speakers, actors),
                c.get("quote"),
                c.get("statement"),
                c.get("evidence"),
                *span[:2],
            )
            out["claims"].append(list(cells))
        for m in article.get("meetings", []):
            parties, mediators = list(m.get("participants", [])), list(m.get("mediators", []))
            span = m.get("span") or [None, None]
            cells = (
                *head,
                "; ".join(parties),
                _names(parties, actors),
                "; ".join(mediators),
                _names(mediators, actors),
                *(m.get(k) for k in ("status", "format", "date", "date_text", "location")),
                m.get("topic"),
                m.get("evidence"),
                *span[:2],
            )
            out["meetings"].append(list(cells))
    return out


def write_tables(
    out_path: Path, records: dict[str, dict[str, Any]], *, bom: bool = False
) -> dict[str, Path]:
    """Write every table next to the JSONL (each replaced whole, atomically)."""
    paths = table_paths(out_path)
    for name, body in rows(records).items():
        path = paths[name]
        partial = path.with_name(path.name + ".partial")
        try:
            with partial.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(TABLES[name])
                writer.writerows([_cell(v) for v in row] for row in body)
                fh.flush()
                os.fsync(fh.fileno())
            partial.replace(path)
        except OSError as exc:
            raise OutputError(
                f"{path}: cannot write the table ({exc.strerror or exc})", path=str(path)
            ) from None
    return paths


def to_frames(output: Path) -> dict[str, Any]:
    """The tables of a batch output (`extract-many -o output`) as pandas DataFrames.

    `{"actors": …, "claims": …, "meetings": …}`, with the CSV tables' columns; needs
    pandas (`pip install pandas`), which the library does not otherwise use.
    """
    try:
        import pandas as pd  # noqa: PLC0415
    except ImportError as exc:
        raise ConfigError("to_frames needs pandas: pip install pandas") from exc
    from .run import latest_records  # noqa: PLC0415

    return {
        name: pd.DataFrame(body, columns=TABLES[name])
        for name, body in rows(latest_records(output)).items()
    }
