"""Specification of the pathological-input benchmark (`extractor eval bench --pathological`)."""

from __future__ import annotations

from evals.pathological import STRATEGIES, bench_pathological, inputs


def test_every_input_has_the_size_of_the_ordinary_article() -> None:
    texts = inputs(3000)
    assert "ordinary" in texts and len(texts) >= 6
    assert {len(t) for t in texts.values()} == {3000}


def test_the_report_gives_a_ratio_to_the_ordinary_article_per_strategy() -> None:
    report = bench_pathological(2)
    assert set(report["runs"]) == set(STRATEGIES)
    for strategy, row in report["runs"].items():
        assert row["ordinary"]["ratio"] == 1.0
        assert all(cell["s_per_100kb"] > 0 for cell in row.values())
        assert all((cell["llm_calls"] > 0) == (strategy != "rules") for cell in row.values())
    assert report["worst_ratio"] == max(
        c["ratio"] for row in report["runs"].values() for c in row.values()
    )
