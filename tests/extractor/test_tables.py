"""Specification of the flat CSV tables of a batch (`extract-many --format csv`)."""

from __future__ import annotations

import csv
from pathlib import Path

from extractor.batch.tables import CLAIM_COLUMNS, MEETING_COLUMNS, table_paths, write_tables

ARTICLE = {
    "title": "Talks",
    "published": "2023-10-09",
    "actors": [
        {"id": "kerry", "name": "كيري", "name_en": "John Kerry"},
        {"id": "lavrov", "name": "Lavrov", "name_en": "Lavrov"},
    ],
    "claims": [
        {
            "speakers": ["kerry"],
            "quote": "direct",
            "statement": '=HYPERLINK("http://evil")',
            "evidence": "He said it.",
            "span": [3, 14],
        }
    ],
    "meetings": [
        {
            "participants": ["kerry", "lavrov"],
            "mediators": [],
            "status": "held",
            "format": "in_person",
            "evidence": "They met.",
            "span": [20, 29],
        }
    ],
}


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_claims_and_meetings_become_flat_rows_next_to_the_jsonl(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    records = {
        "doc": {"ok": True, "articles": [ARTICLE]},
        "bad": {"ok": False, "error": {"type": "InputError"}},
    }
    claims_path, meetings_path = write_tables(out, records)
    assert (claims_path, meetings_path) == table_paths(out)
    assert claims_path.name == "out.claims.csv" and meetings_path.name == "out.meetings.csv"
    claims, meetings = read(claims_path), read(meetings_path)
    assert list(claims[0]) == CLAIM_COLUMNS and list(meetings[0]) == MEETING_COLUMNS
    assert claims[0]["speakers"] == "كيري (John Kerry)"
    assert (claims[0]["start"], claims[0]["end"]) == ("3", "14")
    assert meetings[0]["participants"] == "كيري (John Kerry); Lavrov"
    assert len(claims) == 1 and len(meetings) == 1  # the failed record has no rows


def test_a_cell_a_spreadsheet_would_run_is_prefixed_as_text(tmp_path: Path) -> None:
    claims_path, _ = write_tables(tmp_path / "o.jsonl", {"d": {"ok": True, "articles": [ARTICLE]}})
    assert read(claims_path)[0]["statement"] == '\'=HYPERLINK("http://evil")'
