"""Eval runs: extract the gold set (live, recording cassettes, or replaying them), score, save.

A run lives in one folder (`evals/runs/<name>/`): `predictions.jsonl` (resumable,
one line per document, in the format `extract-many` writes), `scores.json`,
`meta.json` and `report.html`. Run folders hold article evidence, so they stay out
of git; only score summaries without text (`numbers_only`) are committed, as
baselines. Live runs, recordings and replays all go through `run_eval`, so the
three cannot drift apart: they differ only in the extractor and in the cassette
opened around each document.
"""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from extractor.batch.run import BatchItem, latest_records, run_batch
from extractor.models import Article, Document

from .counts import RECORD_TYPES, prf
from .gold import GoldError, cases, load_gold_dir, parse_document, text_path
from .predictions import read_predictions
from .report import render_html
from .scoring import aggregate, is_claims_only, score_corpus
from .stats import bootstrap_attributed, bootstrap_diff

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "evals" / "gold"
RUNS_DIR = ROOT / "evals" / "runs"
CASSETTES_DIR = ROOT / "cassettes"
# The team's read-only folder beside the repository (corpus texts, never committed).
SHARED_DIR = ROOT.parent / "shared"


def default_corpus_dirs(extra: Sequence[Path] = (), shared: Path = SHARED_DIR) -> list[Path]:
    """Where gold texts are looked up: given folders first, then ../shared and examples/."""
    dirs = [*extra, shared / "corpus" / "dev", shared / "examples", ROOT / "examples"]
    return [d for d in dirs if d.is_dir()]


def prediction(record: dict[str, Any] | None, gold: Document) -> Document | None:
    """A batch record as a prediction `Document`; None when extraction failed or it is invalid."""
    if not record or not record.get("ok"):
        return None
    data = {
        "id": gold.id,
        "text_file": gold.text_file,
        "language": gold.language,
        "articles": record.get("articles") or [],
    }
    return parse_document(data)


def usage_of(records: Sequence[dict[str, Any]]) -> dict[str, float]:
    """Tokens, LLM calls and seconds summed over batch records (the one place that sums them)."""
    total = {
        "prompt_tokens": 0.0,
        "completion_tokens": 0.0,
        "llm_calls": 0.0,
        "llm_s": 0.0,
        "seconds": 0.0,
    }
    for record in records:
        total["seconds"] += float(record.get("seconds") or 0.0)
        for article in record.get("articles") or []:
            meta = article.get("meta") or {}
            usage = meta.get("usage") or {}
            total["prompt_tokens"] += usage.get("prompt_tokens", 0)
            total["completion_tokens"] += usage.get("completion_tokens", 0)
            total["llm_calls"] += meta.get("llm_calls", 0)
            total["llm_s"] += meta.get("llm_s", 0.0)
    return {k: round(v, 2) for k, v in total.items()}


def write_meta(run_dir: Path, meta: dict[str, Any]) -> None:
    """The one writer of a run's `meta.json`."""
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "meta.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # unreadable, not JSON, or nested too deep
        return {}
    return data if isinstance(data, dict) else {}


def _select(gold: dict[str, Document], only: Sequence[str] | None) -> dict[str, Document]:
    if not only:
        return gold
    unknown = sorted(set(only) - set(gold))
    if unknown:
        raise GoldError(f"no gold document with id {unknown}")
    return {k: v for k, v in gold.items() if k in set(only)}


def score_run(
    run_dir: Path, gold_dir: Path, corpus_dirs: Sequence[Path], only: Sequence[str] | None = None
) -> dict[str, Any]:
    """(Re-)score a run folder's predictions; write `scores.json` and `report.html`."""
    gold = _select(load_gold_dir(gold_dir), only)
    records = latest_records(run_dir / "predictions.jsonl")
    preds = {doc_id: prediction(records.get(doc_id), doc) for doc_id, doc in gold.items()}
    scored = cases(gold, preds, corpus_dirs)
    scores = score_corpus(scored)
    (run_dir / "scores.json").write_text(
        json.dumps(scores, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    report = render_html(
        scores, {c.gold.id: c for c in scored}, meta=_read_json(run_dir / "meta.json")
    )
    (run_dir / "report.html").write_text(report, encoding="utf-8")
    return scores


def score_dirs(gold_dir: Path, predicted: Path, corpus_dirs: Sequence[Path]) -> dict[str, Any]:
    """Score predictions (a folder of `<id>.json`, gold-shaped or `extract --json`, or an
    `extract-many` JSONL file) against a gold folder; see `evals.predictions`.

    `invalid_outputs` names each document scored as empty, and why.
    """
    gold = load_gold_dir(gold_dir)
    found = read_predictions(predicted, gold)
    missing = {i: "no prediction" for i in gold if i not in found.documents}
    scores = score_corpus(cases(gold, found.documents, corpus_dirs))
    scores["invalid_outputs"] = dict(sorted({**missing, **found.invalid}.items()))
    return scores


Wrap = Callable[[BatchItem], AbstractContextManager[object]]


def run_eval(
    extract: Callable[[str], list[Article]],
    *,
    gold_dir: Path,
    corpus_dirs: Sequence[Path],
    run_dir: Path,
    meta: dict[str, Any],
    concurrency: int = 1,
    on_progress: Callable[[BatchItem, dict[str, Any]], None] | None = None,
    only: Sequence[str] | None = None,
    around: Wrap | None = None,
    on_total: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Extract every gold document (resuming a crashed run), then score and save.

    `around` opens a context per document (a cassette, to record or replay);
    `on_total` hears how many documents the run has, before the first one starts.
    """
    gold = _select(load_gold_dir(gold_dir), only)
    items = [
        BatchItem(id=doc_id, path=text_path(doc, corpus_dirs))
        for doc_id, doc in sorted(gold.items())
    ]
    if on_total is not None:
        on_total(len(items))
    run_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    summary = run_batch(
        extract,
        items,
        run_dir / "predictions.jsonl",
        concurrency=concurrency,
        on_progress=on_progress,
        around=around,
    )
    records = latest_records(run_dir / "predictions.jsonl")
    done = [records[i.id] for i in items if i.id in records]
    write_meta(
        run_dir,
        {
            **meta,
            "wall_s_this_invocation": round(time.monotonic() - started, 2),
            "documents": len(items),
            "skipped_already_done": summary.skipped,
            "failed": summary.failed,
            "failures": summary.failures,
            "usage": usage_of(done),
            "seconds_per_document": {r["id"]: r.get("seconds") for r in done},
            "python": platform.python_version(),
        },
    )
    return score_run(run_dir, gold_dir, corpus_dirs, only)


@contextmanager
def _cassette_for(item: BatchItem, folder: Path, mode: str) -> Iterator[object]:
    from .replay import cassette  # noqa: PLC0415  (vcrpy only where cassettes are used)

    with cassette(folder / f"{item.id}.yaml", item.path.read_bytes(), record_mode=mode) as c:
        yield c


def cassettes(folder: Path, mode: str) -> Wrap:
    """Open one cassette per document: `mode` "all" records, "none" replays."""
    return lambda item: _cassette_for(item, folder, mode)


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
            if isinstance(value, dict) and key in RECORD_TYPES:
                value = {
                    k: v for k, v in value.items() if k not in ("matched", "missed", "spurious")
                }
            slim[key] = value
        out["per_document"][doc_id] = slim
    result: dict[str, Any] = json.loads(json.dumps(out))
    return result


def load_scores(run: Path) -> dict[str, Any]:
    """A run folder's `scores.json`, or a scores/baseline file; GoldError when unusable."""
    path = run / "scores.json" if run.is_dir() else run
    data = _read_json(path)
    per_document = data.get("per_document")
    if not isinstance(per_document, dict) or not per_document:
        raise GoldError(f"{path}: not a scores file with per-document counts")
    for doc_id, entry in per_document.items():
        try:  # every entry must be what the scorer wrote: it is pooled as such
            if not isinstance(entry, dict) or not isinstance(entry.get("language"), str):
                raise TypeError("no language")
            aggregate([entry])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise GoldError(
                f"{path}: per-document entry {str(doc_id)[:60]!r} is malformed ({exc!r:.80})"
            ) from None
    return data


def restrict(scores: dict[str, Any], ids: Sequence[str]) -> dict[str, Any]:
    """The corpus figures of `scores` recomputed on the documents `ids` only."""
    docs = [scores["per_document"][i] for i in ids]
    out = aggregate(docs)
    languages = sorted({d["language"] for d in docs})
    out["by_language"] = {
        lang: aggregate([d for d in docs if d["language"] == lang]) for lang in languages
    }
    out["per_document"] = {i: scores["per_document"][i] for i in ids}
    return out


def doc_primary(entry: dict[str, Any]) -> float | None:
    """The one number of a `per_document` entry: headline F1, or for claims-only gold
    (which has none) attributed-claim F1 from the entry's claim counts."""
    if not is_claims_only(entry):
        value: float | None = entry.get("headline_f1")
        return value
    c = entry["claims"]
    att = c.get("attributed_tp", 0)
    return prf(att, c["tp"] + c["fp"] - att, c["tp"] + c["fn"] - att)["f1"]


def compare(a: dict[str, Any], b: dict[str, Any], *, n: int = 10_000) -> dict[str, Any]:
    """B − A on the documents both scored: per-type deltas, paired bootstrap, what changed.

    Both sides are recomputed on the shared documents, so a headline is never set
    beside another computed on a different set; `documents` says what was left out.

    `primary` names the figure a verdict rests on: `headline_f1` (its bootstrap over
    the shared full-scope documents, as the headline itself) when any shared document
    is full scope, else `attributed_f1`, since claims-only gold has no headline
    (RECORDS.md §3); then `bootstrap` is None and `bootstrap_attributed` decides.
    A changed document is one whose headline (attributed F1 when claims-only) moved.
    """
    only_a = sorted(set(a["per_document"]) - set(b["per_document"]))
    only_b = sorted(set(b["per_document"]) - set(a["per_document"]))
    common = sorted(set(a["per_document"]) & set(b["per_document"]))
    if not common:
        raise GoldError("the two runs share no documents")
    a, b = restrict(a, common), restrict(b, common)
    full = [
        i
        for i in common
        if not is_claims_only(a["per_document"][i]) and not is_claims_only(b["per_document"][i])
    ]
    deltas = _deltas(a, b)
    changed = _changed_documents(a, b, common)
    return {
        "documents": {
            "shared": len(common),
            "ids": common,
            "only_a": only_a,
            "only_b": only_b,
            "full_scope": len(full),
        },
        "primary": "headline_f1" if full else "attributed_f1",
        "deltas": deltas,
        "bootstrap": bootstrap_diff(a["per_document"], b["per_document"], n=n) if full else None,
        "bootstrap_attributed": bootstrap_attributed(a["per_document"], b["per_document"], n=n),
        "changed_documents": changed,
        "by_language": {
            lang: _language_delta(a["by_language"], b["by_language"], lang)
            for lang in sorted(set(b["by_language"]))
        },
    }


def _deltas(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """The headline and every figure of each record type (not the raw counts), as deltas."""
    deltas: dict[str, Any] = {"headline_f1": _delta(a, b, ("headline_f1",))}
    for kind in RECORD_TYPES:
        fields = [
            k
            for k, v in (b.get(kind) or {}).items()
            if (isinstance(v, int | float) or v is None) and k not in ("tp", "fp", "fn")
        ]
        deltas[kind] = {f: _delta(a, b, (kind, f)) for f in fields}
    return deltas


def _changed_documents(
    a: dict[str, Any], b: dict[str, Any], common: Sequence[str]
) -> list[dict[str, Any]]:
    """The documents whose one number (`doc_primary`) moved, largest drop first."""
    changed = []
    for doc_id in common:
        da = doc_primary(a["per_document"][doc_id])
        db = doc_primary(b["per_document"][doc_id])
        if da != db:
            changed.append(
                {
                    "id": doc_id,
                    "a": da,
                    "b": db,
                    "delta": None if da is None or db is None else round(db - da, 4),
                }
            )
    changed.sort(key=lambda c: c["delta"] if c["delta"] is not None else 0)
    return changed


def _language_delta(a: dict[str, Any], b: dict[str, Any], lang: str) -> dict[str, Any]:
    """Headline delta of one language, or attributed-claim F1 where it has no headline."""
    if _get(a, (lang, "headline_f1")) is None and _get(b, (lang, "headline_f1")) is None:
        return {"metric": "attributed_f1", **_delta(a, b, (lang, "claims", "attributed_f1"))}
    return {"metric": "headline_f1", **_delta(a, b, (lang, "headline_f1"))}


def run_cost(run: Path, ids: Sequence[str]) -> dict[str, float] | None:
    """Tokens, calls and seconds of a run folder on the documents `ids` (None: no records)."""
    path = run / "predictions.jsonl"
    if not run.is_dir() or not path.is_file():
        return None
    records = latest_records(path)
    return usage_of([records[i] for i in ids if i in records])


def _delta(a: dict[str, Any], b: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    va, vb = _get(a, path), _get(b, path)
    diff = None if va is None or vb is None else round(vb - va, 4)
    return {"a": va, "b": vb, "delta": diff}


def _get(d: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(d, dict):
            return None
        d = d.get(key)
    return d
