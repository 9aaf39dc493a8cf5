"""Render a scored run as one self-contained HTML page.

The page is meant to be opened from disk or attached to a CI run, so it has no
external assets: bars are CSS widths and styles are inline in a <style> block.
Document texts are shown with gold and predicted evidence spans marked so a
reader can see at a glance where the extractor and the labeler disagree.
Claims-only gold (RECORDS.md §3) has no headline and no actor or meeting figures:
those cells read "–", and the summary counts the documents of each scope.
"""

from __future__ import annotations

import json
from typing import Any

from extractor.models import Document
from extractor.text.grounding import TextIndex
from extractor.view import cut_highlight, escape, is_rtl

from .counts import RECORD_TYPES
from .gold import Case
from .pairing import evidence_span as _locate
from .scoring import is_claims_only

_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#111}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .5em}
th{background:#f3f4f6}.bar{background:#e5e7eb;width:12em;height:.9em;display:inline-block}
.bar span{display:block;height:100%;background:#2563eb}.num{text-align:right}
.text{white-space:pre-wrap;line-height:2;border:1px solid #ddd;padding:1em;background:#fafafa}
.gc{background:#fde68a}.gm{background:#bbf7d0}.gc.gm{background:#fdba74}
.pc{border-bottom:3px solid #2563eb}.pm{border-top:3px solid #dc2626}
.legend span{padding:0 .4em;margin-right:.5em}
"""

_LEGEND = (
    '<p class="legend"><span class="gc">gold claim</span><span class="gm">gold meeting</span>'
    '<span class="gc gm">gold claim + meeting</span><span class="pc">predicted claim</span>'
    '<span class="pm">predicted meeting</span></p>'
)

# Span flags, in the order their CSS class names are emitted.
_FLAGS = (
    ("gold", "claims", "gc"),
    ("gold", "meetings", "gm"),
    ("pred", "claims", "pc"),
    ("pred", "meetings", "pm"),
)


_e = escape  # the library's one escaper (extractor/view.py)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "–" if value is None else _e(value)


def _counts(d: dict[str, Any], keys: tuple[str, ...] = ("tp", "fp", "fn")) -> str:
    """Escaped "a/b/c" of integer counts, so even a hand-edited run file cannot inject markup."""
    return "/".join(_fmt(d.get(k)) for k in keys)


def _anchor(doc_id: str) -> str:
    return "doc-" + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in doc_id)


def _bar(value: float | None) -> str:
    width = 0.0 if value is None else max(0.0, min(1.0, value)) * 100
    return f'<span class="bar"><span style="width:{width:.1f}%"></span></span> {_fmt(value)}'


def _summary(scores: dict[str, Any]) -> str:
    rows = []
    for t in RECORD_TYPES:
        s = scores.get(t, {})
        rows.append(
            f"<tr><th>{t}</th><td>{_bar(s.get('precision'))}</td><td>{_bar(s.get('recall'))}</td>"
            f"<td>{_bar(s.get('f1'))}</td><td class=num>{_counts(s)}"
            "</td></tr>"
        )
    claims = scores.get("claims", {})
    rows.append(
        f"<tr><th>claims (attributed)</th><td>{_bar(claims.get('attributed_precision'))}</td>"
        f"<td>{_bar(claims.get('attributed_recall'))}</td>"
        f"<td>{_bar(claims.get('attributed_f1'))}</td><td></td></tr>"
    )
    arts = scores.get("articles", {})
    scope = scores.get("scope")
    facts = {
        "headline F1": scores.get("headline_f1"),
        **(
            {"gold scope (full / claims-only documents)": _counts(scope, ("full", "claims-only"))}
            if isinstance(scope, dict)
            else {}
        ),
        "grounding rate": scores.get("grounding_rate"),
        "invalid rate": scores.get("invalid_rate"),
        "documents": scores.get("n_documents"),
        "articles gold / predicted / paired": " / ".join(
            str(arts.get(k)) for k in ("gold", "predicted", "paired")
        ),
    }
    fact_rows = "".join(f"<tr><th>{_e(k)}</th><td>{_fmt(v)}</td></tr>" for k, v in facts.items())
    return (
        f"<h2>Summary</h2><table>{fact_rows}</table>"
        "<table><tr><th></th><th>precision</th><th>recall</th><th>F1</th><th>tp/fp/fn</th></tr>"
        + "".join(rows)
        + "</table>"
        + _accuracies(scores)
    )


def _accuracies(scores: dict[str, Any]) -> str:
    """Field accuracies over matched pairs, one row per record type."""
    rows = []
    for group in ("actors", "claims", "meetings", "articles"):
        items = {
            k: v
            for k, v in scores.get(group, {}).items()
            if k.endswith("_acc") or k == "mediators_f1"
        }
        cells = " ".join(f"{_e(k)}: {_fmt(v)}" for k, v in items.items())
        rows.append(f"<tr><th>{group}</th><td>{cells}</td></tr>")
    return "<h3>Field accuracy over matched pairs</h3><table>" + "".join(rows) + "</table>"


def _language_table(scores: dict[str, Any]) -> str:
    head = (
        "<tr><th>language</th><th>docs</th><th>headline F1</th><th>actors F1</th>"
        "<th>claims F1</th><th>attributed F1</th><th>meetings F1</th><th>grounding</th>"
        "<th>invalid</th></tr>"
    )
    rows = []
    for lang, s in sorted(scores.get("by_language", {}).items()):
        rows.append(
            f"<tr><td>{_e(lang)}</td><td class=num>{_fmt(s.get('n_documents'))}</td>"
            f"<td class=num>{_fmt(s.get('headline_f1'))}</td>"
            + "".join(
                f"<td class=num>{_fmt(s.get(t, {}).get('f1'))}</td>" for t in ("actors", "claims")
            )
            + f"<td class=num>{_fmt(s.get('claims', {}).get('attributed_f1'))}</td>"
            f"<td class=num>{_fmt(s.get('meetings', {}).get('f1'))}</td>"
            f"<td class=num>{_fmt(s.get('grounding_rate'))}</td>"
            f"<td class=num>{_fmt(s.get('invalid_rate'))}</td></tr>"
        )
    return "<h2>By language</h2><table>" + head + "".join(rows) + "</table>"


def _document_table(per_doc: dict[str, Any]) -> str:
    head = (
        "<tr><th>document</th><th>lang</th><th>headline F1</th>"
        + "".join(f"<th>{t} F1 (tp/fp/fn)</th>" for t in RECORD_TYPES)
        + "<th>articles g/p/paired</th><th>invalid</th></tr>"
    )
    rows = []
    for doc_id, d in per_doc.items():
        cells = "".join(
            "<td class=num>–</td>"
            if is_claims_only(d) and t != "claims"
            else f"<td class=num>{_fmt(d[t]['f1'])} ({_counts(d[t])})</td>"
            for t in RECORD_TYPES
        )
        a = d.get("articles", {})
        rows.append(
            f'<tr><td><a href="#{_anchor(doc_id)}">{_e(doc_id)}</a></td><td>{_e(d["language"])}'
            f"</td><td class=num>{_fmt(d['headline_f1'])}</td>{cells}"
            f"<td class=num>{_counts(a, ('gold', 'predicted', 'paired'))}</td>"
            f"<td>{'yes' if d.get('invalid') else ''}</td></tr>"
        )
    return "<h2>Documents</h2><table>" + head + "".join(rows) + "</table>"


def evidence_spans(doc: Document | None, index: TextIndex, side: str) -> list[tuple[int, int, str]]:
    """(start, end, record type) of every claim/meeting evidence of a document found in text.

    Predicted spans are trusted when valid (`side == "pred"`); gold is always located.
    """
    if doc is None:
        return []
    spans = []
    for article in doc.articles:
        for kind, records in (("claims", article.claims), ("meetings", article.meetings)):
            for rec in records:
                found = _locate(index, rec.evidence, rec.span if side == "pred" else None)
                if found:
                    spans.append((found[0], found[1], kind))
    return spans


def highlight(text: str, gold: list[tuple[int, int, str]], pred: list[tuple[int, int, str]]) -> str:
    """Escaped text cut at every span boundary; each piece carries the classes covering it."""
    marks = [
        (s, e, css)
        for side, spans in (("gold", gold), ("pred", pred))
        for s, e, kind in spans
        for sd, k, css in _FLAGS
        if sd == side and k == kind
    ]
    return cut_highlight(text, marks, [css for _, _, css in _FLAGS])


def _listing(d: dict[str, Any]) -> str:
    """Missed (FN) and spurious (FP) records of a document, per type."""
    items = []
    for t in RECORD_TYPES:
        for label, key in (("missed", "missed"), ("spurious", "spurious")):
            entries = d.get(t, {}).get(key, [])
            if entries:
                lis = "".join(f"<li>{_e(x)}</li>" for x in entries)
                items.append(
                    f"<details><summary>{t} {label} ({len(entries)})</summary>"
                    f"<ul>{lis}</ul></details>"
                )
    return "".join(items)


def _document_section(doc_id: str, d: dict[str, Any], case: Case | None) -> str:
    lang = str(d.get("language") or "")
    direction = ' dir="rtl"' if lang and is_rtl(lang) else ""
    if case is None:
        body = "<p><em>text not available</em></p>"
    else:
        index = TextIndex(case.text)
        gold = evidence_spans(case.gold, index, "gold")
        pred = evidence_spans(case.pred, index, "pred")
        body = (
            f'<div class="text" lang="{_e(lang)}"{direction}>'
            f"{highlight(case.text, gold, pred)}</div>"
        )
    return (
        f'<section id="{_anchor(doc_id)}"><h3>{_e(doc_id)}</h3>'
        f"<p>headline F1 {_fmt(d.get('headline_f1'))}</p>"
        f'<div lang="{_e(lang)}"{direction}>{_listing(d)}</div>{body}</section>'
    )


def render_html(
    scores: dict[str, Any], cases: dict[str, Case], meta: dict[str, Any] | None = None
) -> str:
    """The whole report: summary, per-language and per-document tables, highlighted texts."""
    per_doc = scores.get("per_document", {})
    about = json.dumps(meta or {}, ensure_ascii=False, indent=1, sort_keys=True)
    sections = "".join(_document_section(k, d, cases.get(k)) for k, d in per_doc.items())
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>extractor scores</title><style>{_CSS}</style></head><body>"
        f"<h1>Extraction scores</h1><pre>{_e(about)}</pre>"
        f"{_summary(scores)}{_language_table(scores)}{_document_table(per_doc)}"
        f"<h2>Texts</h2>{_LEGEND}{sections}</body></html>"
    )
