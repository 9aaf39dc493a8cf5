"""Specification of the flat CSV tables of a batch (`extract-many --format csv`)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from extractor.batch.tables import (
    ACTOR_COLUMNS,
    CLAIM_COLUMNS,
    MEETING_COLUMNS,
    table_paths,
    to_frames,
    write_tables,
)

ARTICLE = {
    "title": "Talks",
    "published": "2023-10-09",
    "language": "ar",
    "actors": [
        {
            "id": "kerry",
            "name": "كيري",
            "name_en": "John Kerry",
            "kind": "person",
            "role": "Secretary of State",
            "affiliation": "usa",
            "anonymous": False,
            "mentions": [[3, 7], [40, 44]],
        },
        {"id": "lavrov", "name": "Lavrov", "name_en": "Lavrov", "anonymous": False},
        {"id": "usa", "name": "الولايات المتحدة", "name_en": "USA", "kind": "country"},
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


def read(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh))


RECORDS = {
    "doc": {"ok": True, "url": "https://example.org/talks", "articles": [ARTICLE]},
    "bad": {"ok": False, "error": {"type": "InputError"}},
}


def test_actors_claims_and_meetings_become_flat_rows_next_to_the_jsonl(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    paths = write_tables(out, RECORDS)
    assert paths == table_paths(out)
    assert [p.name for p in paths.values()] == [
        "out.actors.csv",
        "out.claims.csv",
        "out.meetings.csv",
    ]
    actors, claims, meetings = (read(p) for p in paths.values())
    assert list(actors[0]) == ACTOR_COLUMNS
    assert list(claims[0]) == CLAIM_COLUMNS and list(meetings[0]) == MEETING_COLUMNS
    assert claims[0]["speaker_ids"] == "kerry" and claims[0]["speakers"] == "كيري (John Kerry)"
    assert (claims[0]["start"], claims[0]["end"]) == ("3", "14")
    assert meetings[0]["participant_ids"] == "kerry; lavrov"
    assert meetings[0]["participants"] == "كيري (John Kerry); Lavrov"
    assert len(claims) == 1 and len(meetings) == 1  # the failed record has no rows


def test_every_row_says_which_document_url_language_and_article(tmp_path: Path) -> None:
    paths = write_tables(tmp_path / "o.jsonl", RECORDS)
    for path in paths.values():
        for row in read(path):
            assert (row["id"], row["url"], row["article"]) == (
                "doc",
                "https://example.org/talks",
                "1",
            )
            assert (row["language"], row["published"], row["title"]) == (
                "ar",
                "2023-10-09",
                "Talks",
            )


def test_actors_table_counts_mentions_and_names_the_affiliation(tmp_path: Path) -> None:
    actors = read(write_tables(tmp_path / "o.jsonl", RECORDS)["actors"])
    kerry, lavrov, _ = actors
    assert (kerry["actor_id"], kerry["name"], kerry["name_en"]) == ("kerry", "كيري", "John Kerry")
    assert (kerry["kind"], kerry["role"], kerry["mentions"]) == (
        "person",
        "Secretary of State",
        "2",
    )
    assert (kerry["affiliation_id"], kerry["affiliation"]) == ("usa", "الولايات المتحدة (USA)")
    assert (lavrov["anonymous"], kerry["anonymous"]) == ("false", "false")


def test_bom_writes_utf8_with_a_byte_order_mark_for_spreadsheets(tmp_path: Path) -> None:
    path = write_tables(tmp_path / "o.jsonl", RECORDS, bom=True)["claims"]
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert read(path, "utf-8-sig")[0]["speakers"] == "كيري (John Kerry)"


def test_a_cell_a_spreadsheet_would_run_is_prefixed_as_text(tmp_path: Path) -> None:
    claims_path = write_tables(tmp_path / "o.jsonl", RECORDS)["claims"]
    assert read(claims_path)[0]["statement"] == '\'=HYPERLINK("http://evil")'


def test_to_frames_loads_the_tables_in_one_line(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    out = tmp_path / "o.jsonl"
    out.write_text(
        "\n".join(json.dumps({"id": k, **v}, ensure_ascii=False) for k, v in RECORDS.items())
        + "\n",
        encoding="utf-8",
    )
    frames = to_frames(out)
    assert set(frames) == {"actors", "claims", "meetings"}
    assert all(isinstance(f, pd.DataFrame) for f in frames.values())
    claims = frames["claims"]
    assert list(claims.columns) == CLAIM_COLUMNS
    # raw values, not spreadsheet-escaped text; claims join actors on their ids
    assert claims.loc[0, "statement"] == '=HYPERLINK("http://evil")'
    joined = claims.merge(frames["actors"], left_on="speaker_ids", right_on="actor_id")
    assert joined.loc[0, "name_en"] == "John Kerry"
