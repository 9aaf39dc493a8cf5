"""`extractor eval …`: JSON scoring, CI gating, and one-line errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from evals.cli import app

runner = CliRunner()

TEXT = "Talks in Oslo\nThe minister said that Norway and Chile will meet in Oslo.\n"


def gold_doc(evidence: str) -> dict:
    return {
        "id": "doc",
        "text_file": "doc.txt",
        "language": "en",
        "articles": [
            {
                "title": "Talks in Oslo",
                "published": None,
                "outlet": None,
                "dateline": None,
                "language": "en",
                "actors": [
                    {
                        "id": "minister",
                        "name": "The minister",
                        "name_en": "minister",
                        "kind": "person",
                        "role": None,
                        "affiliation": None,
                        "anonymous": True,
                        "aliases": [],
                    },
                    {
                        "id": "norway",
                        "name": "Norway",
                        "name_en": "Norway",
                        "kind": "country",
                        "role": None,
                        "affiliation": None,
                        "anonymous": False,
                        "aliases": [],
                    },
                    {
                        "id": "chile",
                        "name": "Chile",
                        "name_en": "Chile",
                        "kind": "country",
                        "role": None,
                        "affiliation": None,
                        "anonymous": False,
                        "aliases": [],
                    },
                ],
                "claims": [
                    {
                        "speakers": ["minister"],
                        "statement": "Norway and Chile will meet",
                        "evidence": evidence,
                        "quote": "indirect",
                    }
                ],
                "meetings": [
                    {
                        "participants": ["norway", "chile"],
                        "mediators": [],
                        "status": "planned",
                        "format": "direct",
                        "date": None,
                        "date_text": None,
                        "location": "Oslo",
                        "topic": None,
                        "evidence": "Norway and Chile will meet in Oslo",
                    }
                ],
            }
        ],
    }


def test_eval_score_json_on_a_crafted_case(tmp_path: Path) -> None:
    gold_dir, pred_dir, corpus = tmp_path / "gold", tmp_path / "pred", tmp_path / "corpus"
    for d in (gold_dir, pred_dir, corpus):
        d.mkdir()
    (corpus / "doc.txt").write_text(TEXT)
    (gold_dir / "doc.json").write_text(
        json.dumps(gold_doc("The minister said that Norway and Chile will meet in Oslo."))
    )
    pred = gold_doc("The minister said that Norway and Chile will meet in Oslo.")
    pred["articles"][0]["meetings"] = []  # one false negative
    (pred_dir / "doc.json").write_text(json.dumps(pred))
    result = runner.invoke(
        app, ["score", str(gold_dir), str(pred_dir), "--corpus", str(corpus), "--json"]
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["actors"]["f1"] == 1.0
    assert scores["claims"]["f1"] == 1.0 and scores["claims"]["attributed_f1"] == 1.0
    assert scores["meetings"]["recall"] == 0.0 and scores["meetings"]["f1"] == 0.0
    assert abs(scores["headline_f1"] - 2 / 3) < 1e-9
    assert set(scores["by_language"]) == {"en"}


def _per_doc(tp: int, ids: range = range(8)) -> dict[str, Any]:
    """Per-document counts as `scores.json` stores them: tp of 5 in each record type."""
    block = {"tp": tp, "fp": 5 - tp, "fn": 5 - tp}
    return {
        f"d{i}": {
            "language": "en",
            "invalid": False,
            "headline_f1": tp / 5,
            "actors": dict(block),
            "claims": {**block, "attributed_tp": tp},
            "meetings": dict(block),
            "tallies": {},
            "grounding": {"hits": 1, "n": 1},
        }
        for i in ids
    }


def _scores(path: Path, tp: int, ids: range = range(8)) -> Path:
    path.write_text(json.dumps({"headline_f1": tp / 5, "per_document": _per_doc(tp, ids)}))
    return path


def test_eval_compare_exits_non_zero_on_a_clear_regression(tmp_path: Path) -> None:
    a, b = _scores(tmp_path / "a.json", 4), _scores(tmp_path / "b.json", 2)
    worse = runner.invoke(app, ["compare", str(a), str(b), "--resamples", "500"])
    assert worse.exit_code == 1, worse.output
    better = runner.invoke(app, ["compare", str(b), str(a), "--resamples", "500"])
    assert better.exit_code == 0, better.output


def test_compare_uses_the_shared_documents_only_and_says_so(tmp_path: Path) -> None:
    a = _scores(tmp_path / "a.json", 4, range(0, 8))
    b = _scores(tmp_path / "b.json", 4, range(4, 12))
    result = runner.invoke(app, ["compare", str(a), str(b), "--resamples", "200", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output.splitlines()[-1])
    assert out["documents"]["shared"] == 4
    assert out["documents"]["only_a"] == ["d0", "d1", "d2", "d3"]
    headline = out["deltas"]["headline_f1"]
    assert headline["a"] == headline["b"] == pytest.approx(0.8) and headline["delta"] == 0.0
    plain = runner.invoke(app, ["compare", str(a), str(b), "--resamples", "200"])
    assert "4 shared documents only" in plain.output


def test_compare_errors_are_not_regressions(tmp_path: Path) -> None:
    a = _scores(tmp_path / "a.json", 4, range(0, 4))
    b = _scores(tmp_path / "b.json", 4, range(4, 8))
    disjoint = runner.invoke(app, ["compare", str(a), str(b)])
    assert disjoint.exit_code == 2 and "share no documents" in disjoint.output
    missing = runner.invoke(app, ["compare", str(tmp_path / "nope"), str(b)])
    assert missing.exit_code == 2 and "not a scores file" in missing.output
    assert "Traceback" not in missing.output


def test_score_refuses_an_empty_prediction_folder(tmp_path: Path) -> None:
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    gold_dir.mkdir()
    pred_dir.mkdir()
    (gold_dir / "doc.json").write_text(json.dumps(gold_doc("x")))
    result = runner.invoke(app, ["score", str(gold_dir), str(pred_dir)])
    assert result.exit_code == 2 and "no prediction for any gold document" in result.output


def _score_case(tmp_path: Path) -> tuple[Path, Path, dict[str, Any]]:
    gold_dir, corpus = tmp_path / "gold", tmp_path / "corpus"
    for d in (gold_dir, corpus):
        d.mkdir()
    (corpus / "doc.txt").write_text(TEXT)
    gold = gold_doc("The minister said that Norway and Chile will meet in Oslo.")
    (gold_dir / "doc.json").write_text(json.dumps(gold))
    return gold_dir, corpus, gold


def test_score_reads_extract_json_output_and_extract_many_lines(tmp_path: Path) -> None:
    # The gold loop closes: what `extract --json` prints (a list of articles) and what
    # `extract-many` writes (JSONL) score as they are, no conversion needed.
    gold_dir, corpus, gold = _score_case(tmp_path)
    pred_dir = tmp_path / "pred"
    pred_dir.mkdir()
    (pred_dir / "doc.json").write_text(json.dumps(gold["articles"]))
    lines = tmp_path / "many.jsonl"
    lines.write_text(json.dumps({"id": "doc", "ok": True, "articles": gold["articles"]}) + "\n")
    for predicted in (pred_dir, lines):
        args = ["score", str(gold_dir), str(predicted), "--corpus", str(corpus), "--json"]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        scores = json.loads(result.output)
        assert scores["headline_f1"] == 1.0 and scores["invalid_outputs"] == {}


def test_score_names_invalid_outputs_and_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    gold_dir, corpus, gold = _score_case(tmp_path)
    lines = tmp_path / "many.jsonl"
    lines.write_text(json.dumps({"id": "doc", "ok": False, "error": "timed out"}) + "\n")
    args = ["score", str(gold_dir), str(lines), "--corpus", str(corpus)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0 and "invalid output doc: extraction failed: timed out" in (
        result.output
    )
    pred_dir = tmp_path / "pred"
    pred_dir.mkdir()
    broken = [{**gold["articles"][0], "claims": [{"speakers": []}]}]
    (pred_dir / "doc.json").write_text(json.dumps(broken))
    result = runner.invoke(app, ["score", str(gold_dir), str(pred_dir), "--corpus", str(corpus)])
    assert result.exit_code == 0 and "invalid output doc: articles[0].claims[0]" in result.output
    for content, says in (("{not json", "not JSON"), ('{"title": "x"}', "neither a gold-shaped")):
        (pred_dir / "doc.json").write_text(content)
        result = runner.invoke(app, ["score", str(gold_dir), str(pred_dir)])
        assert result.exit_code == 2 and says in result.output


def test_score_refuses_a_missing_text(tmp_path: Path) -> None:
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    gold_dir.mkdir()
    pred_dir.mkdir()
    (gold_dir / "doc.json").write_text(json.dumps(gold_doc("x")))
    (pred_dir / "doc.json").write_text(json.dumps(gold_doc("x")))
    result = runner.invoke(app, ["score", str(gold_dir), str(pred_dir), "--corpus", str(tmp_path)])
    assert result.exit_code == 2 and "not found" in result.output


def test_eval_run_counts_documents_as_n_of_total(tmp_path: Path) -> None:
    # The seed's gold and text are in the repo: no ../shared needed, no model (rules).
    result = runner.invoke(
        app,
        ["run", "--strategy", "rules", "--only", "seed-cnn-qatar-hamas", "--runs", str(tmp_path)]
        + ["--fresh"],
    )
    assert result.exit_code == 0, result.output
    assert "1/1" in result.stderr


@pytest.mark.parametrize(
    "content",
    [
        "[" * 100_000,  # deeper than the JSON parser goes
        "[]",
        '{"per_document": {"d0": 3}}',
        '{"per_document": {"d0": {"language": "en"}}}',
        '{"per_document": {"d0": {"language": "en", "actors": "x"}}}',
    ],
)
def test_compare_on_a_malformed_scores_file_is_one_line_exit_2(
    tmp_path: Path, content: str
) -> None:
    good = _scores(tmp_path / "a.json", 4)
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    for args in ([str(good), str(bad)], [str(bad), str(good)]):
        result = runner.invoke(app, ["compare", *args, "--resamples", "100"])
        assert result.exit_code == 2, result.output
        assert "error:" in result.output and "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_check_on_a_deeply_nested_gold_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * 100_000)
    result = runner.invoke(app, ["check", "--gold", str(tmp_path)])
    assert result.exit_code == 2 and "nested too deeply" in result.output


def test_a_bench_variant_is_a_strategy_and_optionally_its_prompt() -> None:
    from evals.bench import parse_variant

    assert parse_variant("cues:v4") == ("cues:v4", {"strategy": "cues", "prompt": "v4"})
    assert parse_variant("rules") == ("rules", {"strategy": "rules"})


def _claims_only(path: Path, attributed: int, ids: range = range(8)) -> Path:
    """A scores file of claims-only gold: 5 matched claims per document, no headline."""
    none = {"tp": 0, "fp": 0, "fn": 0, "precision": None, "recall": None, "f1": None}
    per_doc = {
        f"d{i}": {
            "language": "en",
            "invalid": False,
            "scope": "claims-only",
            "headline_f1": None,
            "actors": dict(none),
            "claims": {"tp": 5, "fp": 0, "fn": 0, "attributed_tp": attributed},
            "meetings": dict(none),
            "tallies": {},
            "grounding": {"hits": 1, "n": 1},
        }
        for i in ids
    }
    path.write_text(json.dumps({"headline_f1": None, "per_document": per_doc}))
    return path


def test_compare_on_claims_only_gold_compares_attributed_claims_and_says_so(
    tmp_path: Path,
) -> None:
    a, b = _claims_only(tmp_path / "a.json", 4), _claims_only(tmp_path / "b.json", 2)
    worse = runner.invoke(app, ["compare", str(a), str(b), "--resamples", "300"])
    assert worse.exit_code == 1, worse.output  # attributed F1 0.8 -> 0.4 everywhere
    assert "no headline; comparing attributed-claim F1" in worse.output
    assert "regression: attributed-claim F1 fell" in worse.output
    as_json = runner.invoke(app, ["compare", str(b), str(a), "--resamples", "300", "--json"])
    assert as_json.exit_code == 0, as_json.output
    result = json.loads(as_json.output.splitlines()[-1])
    assert result["primary"] == "attributed_f1" and result["bootstrap"] is None
    assert result["deltas"]["headline_f1"] == {"a": None, "b": None, "delta": None}
    assert result["by_language"]["en"]["metric"] == "attributed_f1"
    assert [c["delta"] for c in result["changed_documents"]] == [0.4] * 8


def test_score_on_claims_only_gold_prints_no_headline(tmp_path: Path) -> None:
    gold_dir, pred_dir, corpus = tmp_path / "gold", tmp_path / "pred", tmp_path / "corpus"
    for d in (gold_dir, pred_dir, corpus):
        d.mkdir()
    (corpus / "doc.txt").write_text(TEXT)
    evidence = "The minister said that Norway and Chile will meet in Oslo."
    gold = {**gold_doc(evidence), "scope": "claims-only"}
    (gold_dir / "doc.json").write_text(json.dumps(gold))
    pred = gold_doc(evidence)
    pred["articles"][0]["meetings"] = []  # would be a miss under full scope
    (pred_dir / "doc.json").write_text(json.dumps(pred))
    args = ["score", str(gold_dir), str(pred_dir), "--corpus", str(corpus)]
    table = runner.invoke(app, args)
    assert table.exit_code == 0, table.output
    assert "no headline (claims-only gold)" in table.output
    assert "claims-only gold (1 documents)" in table.output
    scores = json.loads(runner.invoke(app, [*args, "--json"]).output)
    assert scores["headline_f1"] is None and scores["meetings"]["f1"] is None
    assert scores["claims"]["attributed_f1"] == 1.0


def test_sets_refuses_an_unknown_set_and_a_partial_baseline(tmp_path: Path) -> None:
    unknown = runner.invoke(app, ["sets", "--strategy", "rules", "--only-set", "nope"])
    assert unknown.exit_code == 2 and "no evaluation set ['nope']" in unknown.output
    partial = runner.invoke(
        app,
        ["sets", "--strategy", "rules", "--only-set", "dev", "--baseline", str(tmp_path / "b")],
    )
    assert partial.exit_code == 2 and "leave out --only-set" in partial.output
    assert not (tmp_path / "b").exists()


def test_sets_table_rows_leave_undefined_figures_blank() -> None:
    from evals.sets import summary_rows

    def figures(headline: float | None, actors: float | None) -> dict[str, Any]:
        return {
            "headline_f1": headline,
            "n_documents": 2,
            "actors": {"f1": actors},
            "claims": {"f1": 0.5, "attributed_f1": 0.25},
            "meetings": {"f1": actors},
        }

    scores = {
        "full": {**figures(0.6, 0.7), "by_language": {"en": figures(0.6, 0.7)}},
        "claims": {**figures(None, None), "by_language": {"en": figures(None, None)}},
    }
    rows = summary_rows(scores)
    assert [(r["set"], r["language"]) for r in rows] == [
        ("full", None),
        ("full", "en"),
        ("claims", None),
        ("claims", "en"),
    ]
    assert rows[0]["headline_f1"] == 0.6 and rows[0]["attributed"] == 0.25
    assert rows[2]["headline_f1"] is rows[2]["actors"] is rows[2]["meetings"] is None
    assert rows[2]["claims"] == 0.5


def test_bench_rules_times_each_tree_on_the_same_texts(tmp_path: Path) -> None:
    # Side by side in one run: here against here, so both rows exist and the first is 1.
    (tmp_path / "a.txt").write_text("The mayor said the bridge would reopen.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Officials met in Doha on Sunday.", encoding="utf-8")
    from evals.runner import ROOT

    result = runner.invoke(
        app, ["bench-rules", "--corpus", str(tmp_path), "--rounds", "1", "--against", str(ROOT)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["documents"] == 2 and report["rounds"] == 1
    assert report["ratio_to_first"][str(ROOT)] == 1.0
    assert all(v > 0 for v in report["median_docs_per_s"].values())


def test_bench_rules_refuses_a_folder_without_texts(tmp_path: Path) -> None:
    result = runner.invoke(app, ["bench-rules", "--corpus", str(tmp_path)])
    assert result.exit_code == 2 and "no .txt inputs" in result.output
