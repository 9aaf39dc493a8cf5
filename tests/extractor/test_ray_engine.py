"""Specification of `extract-many --engine ray`: the records of `extract-many`, from Ray Data.

One local Ray session serves the whole module (starting one takes seconds); every
test writes its own input and output. The documents are short synthetic articles
written here, never corpus texts.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

ray = pytest.importorskip(
    "ray", reason="the `ray` extra is not installed (pip install 'extractor-news[ray]')"
)
pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow comes with the `ray` extra")

from extractor.batch.partitions import Partitions  # noqa: E402
from extractor.batch.ray_engine import extract_dataset, row_item  # noqa: E402
from extractor.cli import app  # noqa: E402
from extractor.extract import Extractor  # noqa: E402

runner = CliRunner()

PEOPLE = ["Karim Haddad", "Joseph Borg", "Maria Lopez", "Samir Nasser", "Helen Park", "Omar Said"]
DOCS = [
    {
        "id": f"d{i}",
        "text": (
            f"Talks resume in Valletta\n\n{name}, the foreign minister, said on Monday that the "
            f'talks would resume next week. "We are ready," {name.split()[1]} told reporters. '
            f"{name} met {PEOPLE[(i + 1) % len(PEOPLE)]} in Valletta on Tuesday.\n"
        ),
        "published": f"2024-05-0{i + 1}",
        **({"url": f"https://news.example/{i}"} if i % 2 else {}),
    }
    for i, name in enumerate(PEOPLE)
]
EMPTY = {"id": "empty", "text": "   "}  # an input that can never succeed


@pytest.fixture(scope="module", autouse=True)
def ray_session() -> Iterator[None]:
    """One local Ray session on loopback, its temporary files in a folder of its own."""
    temp = tempfile.mkdtemp(prefix="ray-t")  # short: Ray's socket paths have a length limit
    cache = tempfile.mkdtemp(prefix="ray-cache")
    saved = {k: os.environ.get(k) for k in ("EXTRACTOR_CACHE_DIR", "RAY_worker_niceness")}
    os.environ.update(EXTRACTOR_CACHE_DIR=cache, RAY_worker_niceness="0")
    ray.init(
        num_cpus=3,
        include_dashboard=False,
        _temp_dir=temp,
        _node_ip_address="127.0.0.1",
        logging_level=logging.WARNING,
    )
    yield
    ray.shutdown()
    for key, value in saved.items():
        os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
    shutil.rmtree(temp, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)


def write_jsonl(path: Path, docs: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def comparable(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records sorted by id, every timing left out (they differ from run to run)."""
    out = []
    for record in records:
        record = {k: v for k, v in record.items() if k != "seconds"}
        for article in record.get("articles") or []:
            for timing in ("latency_s", "llm_s"):
                article.get("meta", {}).pop(timing, None)
        out.append(record)
    return sorted(out, key=lambda r: r["id"])


def jsonl_records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def extract_many(*args: str) -> Any:
    result = runner.invoke(app, ["extract-many", *args, "--strategy", "rules"])
    assert result.exit_code in (0, 3), result.output  # 3: some documents failed
    return result


def test_the_ray_engine_writes_the_records_of_extract_many(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [*DOCS, EMPTY])
    extract_many(str(source), "-o", str(tmp_path / "local.jsonl"))
    result = extract_many(str(source), "-o", str(tmp_path / "ray"), "--engine", "ray")

    ray_records = list(Partitions(str(tmp_path / "ray")).records())
    local = comparable(jsonl_records(tmp_path / "local.jsonl"))
    assert comparable(ray_records) == local
    assert sum(len(r["articles"][0]["claims"]) for r in local if r["ok"]) >= len(DOCS)
    assert "6 done, 1 failed, 0 already done" in result.output


def test_a_failed_document_is_recorded_and_not_redone(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [DOCS[0], EMPTY])
    out = tmp_path / "ray"
    first = extract_many(str(source), "-o", str(out), "--engine", "ray", "--workers", "1")
    (failed,) = [r for r in Partitions(str(out)).records() if not r["ok"]]
    assert failed["id"] == "empty"
    assert failed["error"]["type"] == "InputError" and failed["error"]["permanent"] is True
    assert first.exit_code == 3 and "failed empty: InputError" in first.output

    again = extract_many(str(source), "-o", str(out), "--engine", "ray", "--workers", "1")
    assert "0 done, 0 failed, 2 already done" in again.output


def test_an_interrupted_run_resumes_with_every_document_exactly_once(tmp_path: Path) -> None:
    out = tmp_path / "ray"
    half = write_jsonl(tmp_path / "half.jsonl", DOCS[:3])
    extract_many(str(half), "-o", str(out), "--engine", "ray")
    whole = write_jsonl(tmp_path / "all.jsonl", DOCS)
    (out / ".part-killed-00009.jsonl.tmp").write_text('{"id": "d5", "ok"', encoding="utf-8")

    result = extract_many(str(whole), "-o", str(out), "--engine", "ray")

    ids = [r["id"] for r in Partitions(str(out)).records()]
    assert sorted(ids) == sorted(d["id"] for d in DOCS)  # each once: none lost, none twice
    assert "3 done, 0 failed, 3 already done" in result.output


def test_parquet_in_and_out_hold_the_same_records(tmp_path: Path) -> None:
    import pyarrow as pa  # noqa: PLC0415

    rows = [  # every row with every column: pyarrow takes the columns from the first row
        {"url": None, **d, "published": dt.date.fromisoformat(d["published"])} for d in DOCS[:3]
    ]
    source = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(rows), source)
    extract_many(str(write_jsonl(tmp_path / "in.jsonl", DOCS[:3])), "-o", str(tmp_path / "a"))
    extract_many(str(source), "-o", str(tmp_path / "out.parquet"), "--engine", "ray")

    (part,) = Partitions(str(tmp_path / "out.parquet")).files()
    table = pq.read_table(part)
    assert table.column_names == ["id", "sha256", "ok", "record"]
    records = [json.loads(line) for line in table.column("record").to_pylist()]
    for record in records:
        assert record["file"] == str(source)
        record["file"] = str(tmp_path / "in.jsonl")
    assert comparable(records) == comparable(jsonl_records(tmp_path / "a"))


def test_the_python_function_maps_a_dataset_of_documents_to_records() -> None:
    ds = ray.data.from_items([DOCS[0], DOCS[1]])
    settings = Extractor(strategy="rules").settings

    rows = extract_dataset(ds, settings, workers=1).take_all()

    assert sorted(r["id"] for r in rows) == ["d0", "d1"] and all(r["ok"] for r in rows)
    record = json.loads(rows[0]["record"])
    assert record["articles"][0]["claims"] and record["file"] == "dataset"


def test_an_output_of_another_configuration_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "ray"
    out.mkdir()
    other = {"id": "d0", "sha256": "x", "ok": True, "articles": [], "config": "0123456789abcdef"}
    (out / "part-old-00001.jsonl").write_text(json.dumps(other) + "\n", encoding="utf-8")
    source = write_jsonl(tmp_path / "in.jsonl", DOCS[:1])

    result = runner.invoke(
        app, ["extract-many", str(source), "-o", str(out), "--engine", "ray", "--strategy", "rules"]
    )

    assert result.exit_code != 0 and "another configuration" in result.output


def test_a_row_is_read_as_a_jsonl_line_is() -> None:
    item = row_item({"id": 7, "text": "x", "published": dt.datetime(2024, 5, 1), "file": "a.pq"})
    assert (item.id, item.published, str(item.path), item.problem) == (
        "7",
        "2024-05-01",
        "a.pq",
        None,
    )

    bad = row_item({"id": "b", "text": "x", "published": "May 1"})
    assert bad.problem is not None and "must be a real date, YYYY-MM-DD" in bad.problem
    assert bad.id.startswith("dataset:") and bad.id != row_item({"id": "c", "text": 3}).id


def test_a_torn_or_foreign_line_in_a_partition_is_no_record(tmp_path: Path) -> None:
    parts = Partitions(str(tmp_path / "o"))
    parts.write([{"id": "a", "sha256": "h", "ok": True, "record": '{"id": "a"}'}])
    (tmp_path / "o" / "part-x-00002.jsonl").write_text(
        '[1]\n{"id": "b"}\n{"id": ', encoding="utf-8"
    )
    assert [r["id"] for r in parts.records()] == ["a", "b"]


def test_what_the_ray_engine_does_not_do_is_refused_before_it_starts(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", DOCS[:1])
    base = ["extract-many", str(source), "-o", str(tmp_path / "o"), "--engine"]

    for extra in (["ray", "--concurrency", "2"], ["ray", "--format", "csv"], ["spark"]):
        result = runner.invoke(app, [*base, *extra])
        assert result.exit_code != 0 and "--engine" in result.output, extra
    result = runner.invoke(app, [*base, "ray", "--strategy", "cues", "--batch-api"])
    assert result.exit_code == 2 and "--batch-api runs on the local engine" in result.output
    assert not (tmp_path / "o").exists()
