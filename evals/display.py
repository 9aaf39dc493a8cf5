"""What `extractor eval …` prints for a person: score tables and comparisons.

Machine-readable output (`--json`, baselines) is written by the commands; these
tables are for reading, with a dash (or a blank) where a figure is undefined.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table

from extractor.cli import err, out


def sets_table(scores: dict[str, dict[str, Any]]) -> None:
    """Sets (and their languages) as rows, F1 of each figure as columns; blank = undefined."""
    from .sets import FIGURES, summary_rows  # noqa: PLC0415

    table = Table("set", "docs", "headline", *FIGURES[1:], title="F1 per set and language")
    for row in summary_rows(scores):
        label = row["set"] if row["language"] is None else f"  {row['language']}"
        docs = "" if row["documents"] is None else str(row["documents"])
        table.add_row(label, docs, *(fmt(row[k], blank="") for k in FIGURES))
    out.print(table)
    out.print("  blank: not defined on claims-only gold (RECORDS.md §3)")
    if any(row["language"] == "as labeled" for row in summary_rows(scores)):
        out.print(
            "  claims-only gold is scored one claim per sentence (RECORDS.md §2); "
            "'as labeled': one claim per labeled relation"
        )


def _scope_note(scores: dict[str, Any]) -> str | None:
    """What a score's `scope` block means, in words (None for a set of full-scope gold)."""
    scope = scores.get("scope")
    if not isinstance(scope, dict):
        return None
    only = scope.get("claims-only", 0)
    if not scope.get("full"):
        return f"claims-only gold ({only} documents): claim and attributed-claim F1, no headline"
    return (
        f"headline, actors and meetings over the {scope['full']} full-scope documents; "
        f"{only} claims-only documents count for claims only"
    )


def scores_table(scores: dict[str, Any]) -> None:
    headline = scores.get("headline_f1")
    title = "no headline (claims-only gold)" if headline is None else f"headline F1 {headline:.3f}"
    table = Table("", "P", "R", "F1", title=title)
    for kind in ("actors", "claims", "meetings"):
        s = scores.get(kind, {})
        table.add_row(kind, fmt(s.get("precision")), fmt(s.get("recall")), fmt(s.get("f1")))
    claims = scores.get("claims", {})
    table.add_row(
        "claims (attributed)",
        fmt(claims.get("attributed_precision")),
        fmt(claims.get("attributed_recall")),
        fmt(claims.get("attributed_f1")),
    )
    out.print(table)
    for lang, s in sorted((scores.get("by_language") or {}).items()):
        out.print(
            f"  {lang}: headline {fmt(s.get('headline_f1'))}  actors {fmt(s['actors']['f1'])}  "
            f"claims {fmt(s['claims']['f1'])}  attributed {fmt(s['claims'].get('attributed_f1'))}  "
            f"meetings {fmt(s['meetings']['f1'])}"
        )
    note = _scope_note(scores)
    if note:
        out.print(f"  {note}")
    out.print(
        f"  grounding rate {scores.get('grounding_rate')}  invalid rate "
        f"{scores.get('invalid_rate')}  documents {scores.get('n_documents')}"
    )


def print_comparison(result: dict[str, Any], by_attributed: bool) -> None:
    """A comparison for a person: the intervals, the fields, the changed documents.

    On claims-only gold there is no headline: the attributed-claim interval is the verdict.
    """
    shared = result["documents"]
    if shared["only_a"] or shared["only_b"]:
        err.print(
            f"note: compared on the {shared['shared']} shared documents only "
            f"(left out: A {shared['only_a']}, B {shared['only_b']})"
        )
    d = result["deltas"]
    if by_attributed:
        out.print(
            "claims-only gold: no headline; comparing attributed-claim F1 "
            f"({shared['shared']} documents)"
        )
    else:
        head = result["bootstrap"]
        out.print(
            f"headline F1 {fmt(d['headline_f1']['a'])} → {fmt(d['headline_f1']['b'])} "
            f"(Δ {head['observed']:+.3f}, 95% CI [{head['low']:+.3f}, {head['high']:+.3f}],"
            f" {head['n_documents']} documents)"
        )
        if shared["full_scope"] < shared["shared"]:
            out.print(
                f"  headline over the {shared['full_scope']} full-scope documents; "
                f"{shared['shared'] - shared['full_scope']} claims-only documents count "
                "for claims only"
            )
    att = result["bootstrap_attributed"]
    claims = d["claims"]["attributed_f1"]
    out.print(
        f"attributed-claim F1 {claims['a']:.3f} → {claims['b']:.3f} "
        f"(Δ {att['observed']:+.3f}, 95% CI [{att['low']:+.3f}, {att['high']:+.3f}])"
    )
    table = Table("type", "field", "A", "B", "Δ")
    for kind in ("actors", "claims", "meetings"):
        for field_name, v in d[kind].items():
            if v["a"] is None and v["b"] is None:
                continue
            table.add_row(kind, field_name, fmt(v["a"]), fmt(v["b"]), fmt(v["delta"], sign=True))
    out.print(table)
    for c in result["changed_documents"]:
        out.print(f"  {c['id']}: {fmt(c['a'])} → {fmt(c['b'])} ({fmt(c['delta'], sign=True)})")


def fmt(value: Any, sign: bool = False, blank: str = "–") -> str:
    if value is None:
        return blank
    return f"{value:+.3f}" if sign else f"{value:.3f}"
