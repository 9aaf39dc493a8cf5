"""Specification of batch sources: files, globs and JSONL article sets, each item once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.batch.sources import expand_sources, jsonl_items
from extractor.errors import InputError


def test_a_glob_that_matches_nothing_is_an_error(tmp_path: Path) -> None:
    # Before: the pattern itself became an item that failed "no such file".
    with pytest.raises(InputError, match="matches no files"):
        expand_sources([str(tmp_path / "*.txt")])


def test_a_missing_literal_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        expand_sources([str(tmp_path / "nope.txt")])


def test_the_same_file_named_twice_is_one_item(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.txt").write_text("x")
    monkeypatch.chdir(tmp_path)
    items = expand_sources(["a.txt", "./a.txt", "*.txt"])
    assert [i.id for i in items] == ["a.txt"]


def test_a_jsonl_set_gives_one_item_per_article_with_its_own_date(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    lines = [
        {"id": "n1", "text": "First story.", "published": "2023-10-09", "url": "http://x/1"},
        {"id": 2, "text": "Second story."},
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n", encoding="utf-8")
    items = expand_sources([str(path)])
    assert [(i.id, i.text, i.published, i.url) for i in items] == [
        ("n1", "First story.", "2023-10-09", "http://x/1"),
        ("2", "Second story.", None, None),
    ]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("not json", "not valid JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"text": "x"}', "no id"),
        ('{"id": "a"}', "no text"),
        ('{"id": "a", "text": "x", "published": "2023-02-30"}', "published"),
        ("[" * 100_000, "not valid JSON"),  # deep nesting is one bad line, not a crash
    ],
)
def test_a_bad_line_is_an_item_that_fails_without_hiding_the_others(
    tmp_path: Path, line: str, problem: str
) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text(line + "\n" + json.dumps({"id": "ok", "text": "Fine."}) + "\n")
    items = jsonl_items(path)
    assert len(items) == 2 and items[1].id == "ok" and items[1].problem is None
    assert items[0].problem is not None and problem in items[0].problem
    assert "line 1" in items[0].problem


def test_a_line_over_the_limit_is_a_bad_item_read_no_further(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text(
        json.dumps({"id": "big", "text": "x" * 5000}) + "\n" + '{"id":"s","text":"y"}\n'
    )
    items = jsonl_items(path, max_line_bytes=1000)
    assert "over the input limit" in (items[0].problem or "")
    assert items[1].id == "s"


def test_a_repeated_id_in_a_set_is_a_bad_item(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text('{"id":"a","text":"x"}\n{"id":"a","text":"y"}\n')
    items = jsonl_items(path)
    assert items[0].problem is None and "appears twice" in (items[1].problem or "")


def test_a_folder_is_its_article_files_with_ids_from_their_names(tmp_path: Path) -> None:
    for name in ("b.txt", "a.html", "c", "SHA256SUMS", "a.gold.json", "notes.csv", "README"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    notes: list[str] = []
    items = expand_sources([str(tmp_path)], notes=notes)
    assert [i.id for i in items] == ["a", "b", "c"]
    left_out = sorted(Path(n.split(":")[0]).name for n in notes)
    assert left_out == ["README", "SHA256SUMS", "a.gold.json", "notes.csv"]
    assert all("not an article file" in n for n in notes)


def test_a_glob_leaves_out_files_that_are_no_articles_with_a_note(tmp_path: Path) -> None:
    for name in ("1.txt", "2.txt", "SHA256SUMS"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    notes: list[str] = []
    items = expand_sources([str(tmp_path / "*")], notes=notes)
    assert [Path(i.path).name for i in items] == ["1.txt", "2.txt"]
    assert len(notes) == 1 and "SHA256SUMS" in notes[0]
    # named explicitly, any file is read: the naming says it is meant
    assert len(expand_sources([str(tmp_path / "SHA256SUMS")])) == 1


def test_a_folder_without_article_files_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "SHA256SUMS").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="holds no article files"):
        expand_sources([str(tmp_path)])


def test_same_stems_in_a_folder_keep_their_suffix_as_ids(tmp_path: Path) -> None:
    for name in ("a.txt", "a.html"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [i.id for i in expand_sources([str(tmp_path)])] == ["a.html", "a.txt"]
