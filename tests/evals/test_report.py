"""Specification of the HTML report: self-contained, escaped, spans visible, RTL for Arabic."""

from __future__ import annotations

import re
from typing import Any

from evals.gold import Case, GoldDocument
from evals.report import evidence_spans, highlight, render_html
from evals.scoring import score_corpus
from extractor.models import Document
from extractor.text.grounding import TextIndex

EN_TEXT = "Blinken met <script>alert(1)</script> leaders in Doha. Blinken said talks went well."
AR_TEXT = "قال الوزير إن المحادثات ستستأنف. التقى الوزير بقادة حماس في الدوحة."


def _actor(aid: str, name: str) -> dict[str, Any]:
    return {
        "id": aid,
        "name": name,
        "name_en": name,
        "kind": "person",
        "role": None,
        "affiliation": None,
        "anonymous": False,
        "aliases": [],
    }


def _doc(
    doc_id: str, language: str, actors: list[dict], claims: list[dict], meetings: list[dict]
) -> dict[str, Any]:
    return {
        "id": doc_id,
        "text_file": f"{doc_id}.txt",
        "language": language,
        "articles": [
            {
                "title": "T & <b>",
                "published": None,
                "outlet": None,
                "dateline": None,
                "language": language,
                "actors": actors,
                "claims": claims,
                "meetings": meetings,
            }
        ],
    }


Run = tuple[dict[str, Any], dict[str, Case], dict[str, Any]]


def _run() -> Run:
    en_gold = _doc(
        "en-x",
        "en",
        [_actor("b", "Blinken"), _actor("s", "<script>")],
        [
            {
                "speakers": ["b"],
                "statement": "s",
                "quote": "indirect",
                "evidence": "Blinken said talks went well.",
            }
        ],
        [
            {
                "participants": ["b", "s"],
                "mediators": [],
                "status": "held",
                "format": "direct",
                "date": None,
                "date_text": None,
                "location": "Doha",
                "topic": None,
                "evidence": "Blinken met <script>alert(1)</script> leaders",
            }
        ],
    )
    en_pred = _doc(
        "en-x",
        "en",
        [_actor("b", "Blinken"), _actor("z", "<img src=x>")],
        [
            {
                "speakers": ["b"],
                "statement": "s",
                "quote": "indirect",
                "evidence": "said talks went well.",
            }
        ],
        [],
    )
    ar_gold = _doc(
        "ar-x",
        "ar",
        [_actor("m", "الوزير")],
        [
            {
                "speakers": ["m"],
                "statement": "s",
                "quote": "indirect",
                "evidence": "قال الوزير إن المحادثات ستستأنف.",
            }
        ],
        [],
    )
    cases = {
        "en-x": Case(Document.model_validate(en_gold), Document.model_validate(en_pred), EN_TEXT),
        "ar-x": Case(Document.model_validate(ar_gold), None, AR_TEXT),
    }
    scores = score_corpus(list(cases.values()))
    return scores, cases, {"model": "<b>qwen</b>", "note": "a & b"}


def test_report_is_self_contained_and_escaped() -> None:
    scores, cases, meta = _run()
    page = render_html(scores, cases, meta)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;qwen&lt;/b&gt;" in page  # meta is escaped too
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # no external assets
    assert "<link" not in page


def test_report_has_summary_language_and_document_tables() -> None:
    scores, cases, meta = _run()
    page = render_html(scores, cases, meta)
    for heading in ("Summary", "By language", "Documents", "Texts"):
        assert f"<h2>{heading}</h2>" in page
    assert 'href="#doc-en-x"' in page and 'id="doc-en-x"' in page
    assert 'href="#doc-ar-x"' in page and 'id="doc-ar-x"' in page
    assert "<td>ar</td>" in page and "<td>en</td>" in page
    assert 'style="width:' in page  # CSS bars


def test_arabic_document_is_right_to_left() -> None:
    scores, cases, meta = _run()
    page = render_html(scores, cases, meta)
    ar_section = page[page.index('id="doc-ar-x"') :]
    en_section = page[page.index('id="doc-en-x"') : page.index('id="doc-ar-x"')]
    assert 'dir="rtl"' in ar_section
    assert 'dir="rtl"' not in en_section


def test_gold_and_predicted_spans_are_marked_with_overlap() -> None:
    text = "0123456789ABCDEFGHIJ"
    out = highlight(text, gold=[(0, 10, "claims")], pred=[(5, 15, "claims")])
    assert out == (
        '<span class="gc">01234</span><span class="gc pc">56789</span>'
        '<span class="pc">ABCDE</span>FGHIJ'
    )
    # a gold meeting inside a gold claim gets both background classes
    assert '<span class="gc gm">23</span>' in highlight(
        text, [(0, 5, "claims"), (2, 4, "meetings")], []
    )


def test_evidence_spans_of_both_sides() -> None:
    _, cases, _ = _run()
    index = TextIndex(EN_TEXT)
    gold = evidence_spans(cases["en-x"].gold, index, "gold")
    pred = evidence_spans(cases["en-x"].pred, index, "pred")
    # "Blinken met " 12 + "<script>alert(1)</script>" 25 + " leaders" 8 = 45;
    # the claim starts after " in Doha. " at 55 and runs 29 chars to the end (84).
    assert sorted(gold) == [(0, 45, "meetings"), (55, 84, "claims")]
    assert pred == [(63, 84, "claims")]  # "Blinken " (8 chars) later
    assert evidence_spans(None, index, "pred") == []


def test_missing_text_is_said_not_crashed() -> None:
    scores, cases, meta = _run()
    page = render_html(scores, {"en-x": cases["en-x"]}, meta)
    assert "text not available" in page


def test_claims_only_gold_shows_no_headline_nor_actor_and_meeting_figures() -> None:
    _, cases, meta = _run()
    en = cases["en-x"]
    gold = GoldDocument.model_validate({**en.gold.model_dump(), "scope": "claims-only"})
    scores = score_corpus([Case(gold, en.pred, en.text)])
    page = render_html(scores, {"en-x": Case(gold, en.pred, en.text)}, meta)
    assert "<tr><th>headline F1</th><td>–</td></tr>" in page
    assert "<th>gold scope (full / claims-only documents)</th><td>0/1</td>" in page
    row = page[page.index('<a href="#doc-en-x">') :]
    row = row[: row.index("</tr>")]
    assert row.count("<td class=num>–</td>") == 3  # headline, actors, meetings
