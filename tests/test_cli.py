"""The command line: one-line errors with meaningful exit codes, JSON scoring, CI gating."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from extractor.cli import app

runner = CliRunner()

TEXT = "Talks in Oslo\nThe minister said that Norway and Chile will meet in Oslo.\n"


def gold_doc(evidence: str) -> dict:
    return {
        "id": "doc", "text_file": "doc.txt", "language": "en",
        "articles": [{
            "title": "Talks in Oslo", "published": None, "outlet": None, "dateline": None,
            "language": "en",
            "actors": [
                {"id": "minister", "name": "The minister", "name_en": "minister",
                 "kind": "person", "role": None, "affiliation": None, "anonymous": True,
                 "aliases": []},
                {"id": "norway", "name": "Norway", "name_en": "Norway", "kind": "country",
                 "role": None, "affiliation": None, "anonymous": False, "aliases": []},
                {"id": "chile", "name": "Chile", "name_en": "Chile", "kind": "country",
                 "role": None, "affiliation": None, "anonymous": False, "aliases": []},
            ],
            "claims": [{"speakers": ["minister"], "statement": "Norway and Chile will meet",
                        "evidence": evidence, "quote": "indirect"}],
            "meetings": [{"participants": ["norway", "chile"], "mediators": [],
                          "status": "planned", "format": "direct", "date": None,
                          "date_text": None, "location": "Oslo", "topic": None,
                          "evidence": "Norway and Chile will meet in Oslo"}],
        }],
    }


def test_empty_file_is_one_line_error_with_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    result = runner.invoke(app, ["extract", str(empty)])
    assert result.exit_code == 2
    assert "error:" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_non_utf8_file_names_the_byte_offset(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Talks\n\xff\xfe broken")
    result = runner.invoke(app, ["extract", str(bad)])
    assert result.exit_code == 2
    assert "byte 6" in result.output and "bad.txt" in result.output


def test_missing_file_and_unknown_prompt_are_clear(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2 and "no such file" in result.output
    ok = tmp_path / "ok.txt"
    ok.write_text(TEXT)
    result = runner.invoke(app, ["extract", str(ok), "--prompt", "no-such-prompt",
                                 "--base-url", "http://127.0.0.1:9/v1"])
    assert result.exit_code == 2 and "unknown prompt" in result.output


def test_eval_score_json_on_a_crafted_case(tmp_path: Path) -> None:
    gold_dir, pred_dir, corpus = tmp_path / "gold", tmp_path / "pred", tmp_path / "corpus"
    for d in (gold_dir, pred_dir, corpus):
        d.mkdir()
    (corpus / "doc.txt").write_text(TEXT)
    (gold_dir / "doc.json").write_text(json.dumps(gold_doc(
        "The minister said that Norway and Chile will meet in Oslo.")))
    pred = gold_doc("The minister said that Norway and Chile will meet in Oslo.")
    pred["articles"][0]["meetings"] = []  # one false negative
    (pred_dir / "doc.json").write_text(json.dumps(pred))
    result = runner.invoke(app, ["eval", "score", str(gold_dir), str(pred_dir),
                                 "--corpus", str(corpus), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["actors"]["f1"] == 1.0
    assert scores["claims"]["f1"] == 1.0 and scores["claims"]["attributed_f1"] == 1.0
    assert scores["meetings"]["recall"] == 0.0 and scores["meetings"]["f1"] == 0.0
    assert abs(scores["headline_f1"] - 2 / 3) < 1e-9
    assert set(scores["by_language"]) == {"en"}


def test_eval_compare_exits_non_zero_on_a_clear_regression(tmp_path: Path) -> None:
    def per_doc(tp: int) -> dict:
        return {f"d{i}": {t: {"tp": tp, "fp": 5 - tp, "fn": 5 - tp} for t in
                          ("actors", "claims", "meetings")} | {"headline_f1": tp / 5}
                for i in range(8)}

    def scores(tp: int) -> dict:
        block = {"tp": 8 * tp, "fp": 8 * (5 - tp), "fn": 8 * (5 - tp), "f1": tp / 5}
        return {"headline_f1": tp / 5, "actors": block, "claims": block, "meetings": block,
                "by_language": {}, "per_document": per_doc(tp)}

    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(scores(4)))
    b.write_text(json.dumps(scores(2)))
    worse = runner.invoke(app, ["eval", "compare", str(a), str(b), "--resamples", "500"])
    assert worse.exit_code == 1, worse.output
    better = runner.invoke(app, ["eval", "compare", str(b), str(a), "--resamples", "500"])
    assert better.exit_code == 0, better.output
