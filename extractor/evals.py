"""The eval harness: extract the gold set, score it, save the run, compare runs.

A run lives in one folder (`evals/runs/<name>/`): `predictions.jsonl` (resumable,
one line per document), `scores.json`, `meta.json` and `report.html`. Run folders
hold article evidence, so they stay out of git; only small score summaries are
committed.
"""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .batch import BatchItem, latest_records, run_batch
from .gold import find_text, load_gold_dir
from .report import render_html
from .scoring import bootstrap_diff, score_corpus

TYPES = ("actors", "claims", "meetings")


def gold_items(gold: dict[str, dict], corpus_dirs: list[Path]) -> list[BatchItem]:
    items = []
    for doc_id, doc in sorted(gold.items()):
        path = find_text(doc["text_file"], corpus_dirs)
        if path is None:
            raise FileNotFoundError(f"text {doc['text_file']!r} of gold {doc_id!r} not found "
                                    f"in {[str(d) for d in corpus_dirs]}")
        items.append(BatchItem(id=doc_id, path=path))
    return items


def prediction_doc(record: dict[str, Any], gold_doc: dict[str, Any]) -> dict[str, Any] | None:
    """A batch record in the gold files' shape; None when extraction failed (invalid)."""
    if not record or not record.get("ok"):
        return None
    return {"id": gold_doc["id"], "text_file": gold_doc["text_file"],
            "language": gold_doc.get("language"), "articles": record["articles"]}


def score_run(run_dir: Path, gold_dir: Path, corpus_dirs: list[Path],
              only: list[str] | None = None) -> dict[str, Any]:
    """Score a run folder's predictions against the gold set (or the `only` documents);
    write scores and report."""
    gold = load_gold_dir(gold_dir)
    if only:
        gold = {k: v for k, v in gold.items() if k in set(only)}
    records = latest_records(run_dir / "predictions.jsonl")
    pairs, texts, preds = [], {}, {}
    for doc_id, gold_doc in sorted(gold.items()):
        path = find_text(gold_doc["text_file"], corpus_dirs)
        text = path.read_text(encoding="utf-8") if path else ""
        pred = prediction_doc(records.get(doc_id, {}), gold_doc)
        pairs.append((gold_doc, pred, text))
        texts[doc_id] = text
        preds[doc_id] = pred
    scores = score_corpus(pairs)
    (run_dir / "scores.json").write_text(json.dumps(scores, ensure_ascii=False, indent=1))
    meta = _read_json(run_dir / "meta.json")
    report = render_html({"scores": scores, "predictions": preds, "gold": gold, "meta": meta},
                         texts)
    (run_dir / "report.html").write_text(report, encoding="utf-8")
    return scores


def score_dirs(gold_dir: Path, pred_dir: Path, corpus_dirs: list[Path]) -> dict[str, Any]:
    """Score prediction files shaped like the gold files (same file names)."""
    gold = load_gold_dir(gold_dir)
    pairs = []
    for doc_id, gold_doc in sorted(gold.items()):
        path = find_text(gold_doc["text_file"], corpus_dirs)
        text = path.read_text(encoding="utf-8") if path else ""
        pred_path = pred_dir / f"{doc_id}.json"
        pred = None
        if pred_path.is_file():
            try:
                pred = json.loads(pred_path.read_text(encoding="utf-8"))
            except json.JSONDecodeError:
                pred = None
        pairs.append((gold_doc, pred, text))
    return score_corpus(pairs)


def run_eval(
    extract: Callable[[str], list[Any]],
    *,
    gold_dir: Path,
    corpus_dirs: list[Path],
    run_dir: Path,
    meta: dict[str, Any],
    concurrency: int = 1,
    on_progress: Callable[..., None] | None = None,
    only: list[str] | None = None,
) -> dict[str, Any]:
    """Extract every gold document (resuming a crashed run), then score and save."""
    gold = load_gold_dir(gold_dir)
    if only:
        gold = {k: v for k, v in gold.items() if k in set(only)}
    items = gold_items(gold, corpus_dirs)
    run_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    summary = run_batch(extract, items, run_dir / "predictions.jsonl",
                        concurrency=concurrency, on_progress=on_progress)
    wall = time.monotonic() - started
    records = latest_records(run_dir / "predictions.jsonl")
    usage = {"prompt_tokens": 0, "completion_tokens": 0}
    llm_s = 0.0
    for record in records.values():
        for article in record.get("articles") or []:
            m = article.get("meta") or {}
            for k in usage:
                usage[k] += (m.get("usage") or {}).get(k, 0)
            llm_s += m.get("llm_s", 0.0)
    meta = {**meta, "wall_s_this_invocation": round(wall, 2), "documents": len(items),
            "skipped_already_done": summary.skipped, "failed": summary.failed,
            "failures": summary.failures, "usage": usage, "llm_s": round(llm_s, 2),
            "python": platform.python_version()}
    (run_dir / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1))
    return score_run(run_dir, gold_dir, corpus_dirs, only)


def numbers_only(scores: dict[str, Any]) -> dict[str, Any]:
    """Scores without the per-document record listings, which quote article text.

    This is what gets committed (baselines): counts and rates, never corpus text.
    """
    out = {k: v for k, v in scores.items() if k != "per_document"}
    out["per_document"] = {}
    for doc_id, doc in scores.get("per_document", {}).items():
        slim: dict[str, Any] = {}
        for key, value in doc.items():
            if key == "articles":
                continue
            if isinstance(value, dict) and key in TYPES:
                value = {k: v for k, v in value.items()
                         if k not in ("matched", "missed", "spurious")}
            slim[key] = value
        out["per_document"][doc_id] = slim
    return json.loads(json.dumps(out))


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def load_scores(run: Path) -> dict[str, Any]:
    path = run / "scores.json" if run.is_dir() else run
    return json.loads(path.read_text(encoding="utf-8"))


def compare(a: dict[str, Any], b: dict[str, Any], *, n: int = 10_000) -> dict[str, Any]:
    """Per-type and per-field deltas (B − A), a paired bootstrap, and what changed."""
    deltas: dict[str, Any] = {"headline_f1": _delta(a, b, ("headline_f1",))}
    for kind in TYPES:
        fields = [k for k, v in (b.get(kind) or {}).items()
                  if isinstance(v, int | float) or v is None]
        deltas[kind] = {f: _delta(a, b, (kind, f)) for f in fields
                        if f not in ("tp", "fp", "fn")}
    common = sorted(set(a.get("per_document", {})) & set(b.get("per_document", {})))
    pa = {k: a["per_document"][k] for k in common}
    pb = {k: b["per_document"][k] for k in common}
    boot = bootstrap_diff(pa, pb, n=n)
    changed = []
    for doc_id in common:
        da, db = pa[doc_id].get("headline_f1"), pb[doc_id].get("headline_f1")
        if da != db:
            changed.append({"id": doc_id, "a": da, "b": db,
                            "delta": None if da is None or db is None else round(db - da, 4)})
    changed.sort(key=lambda c: c["delta"] if c["delta"] is not None else 0)
    return {"deltas": deltas, "bootstrap": boot, "changed_documents": changed,
            "by_language": {lang: _delta(a.get("by_language", {}), b.get("by_language", {}),
                                         (lang, "headline_f1"))
                            for lang in sorted(set(b.get("by_language", {})))}}


def _delta(a: dict[str, Any], b: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    va, vb = _get(a, path), _get(b, path)
    diff = None if va is None or vb is None else round(vb - va, 4)
    return {"a": va, "b": vb, "delta": diff}


def _get(d: dict[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(d, dict):
            return None
        d = d.get(key)  # type: ignore[assignment]
    return d
