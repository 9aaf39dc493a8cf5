"""`extractor eval …`: the harness's commands, plugged into the `extractor` command line.

Registered through the `extractor.commands` entry point, so the library never
imports the harness. Exit codes: 0 fine, 1 regression (`compare`), 2 bad input
(a missing folder, an unreadable run, gold that does not validate), 3 extraction
failures in a run, 4 model unavailable.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.table import Table

from extractor.cli import (
    BaseUrl,
    Constrain,
    Gguf,
    MaxReasks,
    Model,
    NoCache,
    PromptOpt,
    StrategyOpt,
    err,
    fail,
    make_extractor,
    out,
    progress_bar,
)
from extractor.errors import ConfigError, ExtractorError, InputError

if TYPE_CHECKING:
    from extractor import Extractor

app = typer.Typer(no_args_is_help=True, help="Score extractions against hand-labeled gold.")

GoldDir = Annotated[Path | None, typer.Option("--gold", help="Folder of gold JSON files.")]
Corpus = Annotated[list[Path] | None, typer.Option(help="Where texts are (repeatable).")]
Only = Annotated[list[str] | None, typer.Option(help="Only these document ids (repeatable).")]
RunsDir = Annotated[Path | None, typer.Option("--runs", help="Folder of run folders.")]
Name = Annotated[str | None, typer.Option(help="Run name (default: derived from settings).")]
Baseline = Annotated[
    Path | None,
    typer.Option(help="Also write the scores without text (counts only) to this baseline file."),
]


def _guard(exc: Exception) -> NoReturn:
    """Expected harness failures as one line: bad gold or runs are input errors (exit 2)."""
    from .gold import GoldError  # noqa: PLC0415

    if isinstance(exc, ExtractorError):
        fail(exc)
    if isinstance(exc, GoldError | OSError):
        fail(InputError(str(exc), reason="eval"))
    if isinstance(exc, RecursionError):  # JSON nested deeper than the parser goes
        fail(InputError("an input file is nested too deeply to read", reason="eval"))
    raise exc


def _meta(ex: Extractor, name: str) -> dict[str, Any]:
    model, endpoint = ex.identity()
    s = ex.settings
    return {
        "run": name,
        "strategy": s.strategy,
        "prompt": ex.prompt.name,
        "prompt_hash": ex.prompt.hash,
        "model": model,
        "endpoint": endpoint,
        "mode": s.mode,
        "max_reasks": s.max_reasks,
        "constrained": s.constrained,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }


def _execute(
    ex: Extractor,
    run_dir: Path,
    label: str,
    *,
    gold_dir: Path,
    corpus_dirs: list[Path],
    only: list[str] | None = None,
    concurrency: int = 1,
    around: Any = None,
    fresh: bool = False,
) -> dict[str, Any]:
    """Extract and score one gold folder into `run_dir` behind a progress bar (n/N).

    The one place a command runs `run_eval`: `run`, `record`, `replay` and `sets`
    differ only in the folders, the cassettes around each document and the name.
    """
    from .runner import run_eval  # noqa: PLC0415

    if fresh:
        (run_dir / "predictions.jsonl").unlink(missing_ok=True)
    try:
        with progress_bar() as progress:
            task = progress.add_task(label, total=None)
            return run_eval(
                ex.extract_articles,
                gold_dir=gold_dir,
                corpus_dirs=corpus_dirs,
                run_dir=run_dir,
                meta=_meta(ex, label),
                concurrency=concurrency,
                on_progress=lambda item, record: progress.advance(task),
                only=only,
                around=around,
                on_total=lambda n: progress.update(task, total=n),  # shows n/N
            )
    except Exception as exc:  # noqa: BLE001  (sorted into one-line errors by _guard)
        _guard(exc)


def _run_meta(run_dir: Path) -> dict[str, Any]:
    meta: dict[str, Any] = json.loads((run_dir / "meta.json").read_text(encoding="utf-8"))
    return meta


def _write_baseline(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    err.print(f"baseline written: {path}")


def _run(
    ex: Extractor,
    name: str | None,
    default_name: str,
    *,
    gold: Path | None,
    corpus: list[Path] | None,
    runs: Path | None,
    only: list[str] | None,
    concurrency: int = 1,
    around: Any = None,
    fresh: bool = False,
    baseline: Path | None = None,
) -> None:
    from .runner import GOLD_DIR, RUNS_DIR, default_corpus_dirs, numbers_only  # noqa: PLC0415

    run_name = name or default_name
    run_dir = (runs or RUNS_DIR) / run_name
    scores = _execute(
        ex,
        run_dir,
        run_name,
        gold_dir=gold or GOLD_DIR,
        corpus_dirs=default_corpus_dirs(corpus or []),
        only=only,
        concurrency=concurrency,
        around=around,
        fresh=fresh,
    )
    _scores_table(scores)
    if baseline is not None:
        _write_baseline(baseline, {**numbers_only(scores), "meta": _run_meta(run_dir)})
    err.print(f"saved {run_dir} (report: {run_dir / 'report.html'})")


def _default_name(ex: Extractor) -> str:
    """A run's name from its settings: `rules`, or the prompt and the model."""
    model_id, _ = ex.identity()
    name = "rules" if ex.settings.strategy == "rules" else f"{ex.prompt.name}-{model_id}"
    return name.replace("/", "_")


@app.command("run")
def run(
    gold: GoldDir = None,
    corpus: Corpus = None,
    name: Name = None,
    runs: RunsDir = None,
    only: Only = None,
    concurrency: Annotated[int, typer.Option(help="Documents in flight at once.")] = 1,
    model: Model = None,
    base_url: BaseUrl = None,
    prompt: PromptOpt = None,
    gguf: Gguf = None,
    no_cache: NoCache = False,
    max_reasks: MaxReasks = None,
    constrain: Constrain = None,
    strategy: StrategyOpt = None,
    fresh: Annotated[bool, typer.Option(help="Start over instead of resuming the run.")] = False,
    baseline: Baseline = None,
) -> None:
    """Extract every gold document (resuming), score, and save the run with a report."""
    try:
        ex = make_extractor(
            model, base_url, prompt, gguf, no_cache, max_reasks, constrain, strategy
        )
    except ExtractorError as exc:
        fail(exc)
    _run(
        ex,
        name,
        _default_name(ex),
        gold=gold,
        corpus=corpus,
        runs=runs,
        only=only,
        concurrency=concurrency,
        fresh=fresh,
        baseline=baseline,
    )


@app.command("sets")
def sets(
    strategy: StrategyOpt = None,
    only_set: Annotated[
        list[str] | None,
        typer.Option(help="Only this set: dev, dev-ar2, polnear-dev (repeatable)."),
    ] = None,
    name: Annotated[
        str | None, typer.Option(help="Run name (default: sets-<strategy or prompt-model>).")
    ] = None,
    runs: RunsDir = None,
    fresh: Annotated[bool, typer.Option(help="Start every set over instead of resuming.")] = False,
    baseline: Annotated[
        Path | None,
        typer.Option(help="Write every set's scores without text (counts only) to this file."),
    ] = None,
    concurrency: Annotated[int, typer.Option(help="Documents in flight at once.")] = 1,
    model: Model = None,
    base_url: BaseUrl = None,
    prompt: PromptOpt = None,
    gguf: Gguf = None,
    no_cache: NoCache = False,
    max_reasks: MaxReasks = None,
    constrain: Constrain = None,
) -> None:
    """Score one strategy on every evaluation set, side by side, per language.

    The sets: `dev` (evals/gold, texts in ../shared), `dev-ar2` (../shared/corpus/dev-ar2)
    and `polnear-dev` (../shared/corpus/polnear/dev, claims-only gold: no headline).
    Each set is a run in evals/runs/NAME/SET/ (resumable; `--fresh` starts over, as a
    baseline needs). `--baseline` writes all sets to one file (so not with --only-set).
    """
    from .runner import RUNS_DIR  # noqa: PLC0415
    from .sets import baseline as sets_baseline  # noqa: PLC0415
    from .sets import select_sets  # noqa: PLC0415

    if baseline is not None and only_set:
        fail(ConfigError("--baseline holds every set: leave out --only-set"))
    try:
        chosen = select_sets(only_set)
        ex = make_extractor(
            model, base_url, prompt, gguf, no_cache, max_reasks, constrain, strategy
        )
    except Exception as exc:  # noqa: BLE001
        _guard(exc)
    run_name = name or f"sets-{_default_name(ex)}"
    root = (runs or RUNS_DIR) / run_name
    scores: dict[str, dict[str, Any]] = {}
    for s in chosen:
        scores[s.name] = _execute(
            ex,
            root / s.name,
            f"{run_name}/{s.name}",
            gold_dir=s.gold_dir,
            corpus_dirs=list(s.corpus_dirs),
            concurrency=concurrency,
            fresh=fresh,
        )
    _sets_table(scores)
    if baseline is not None:
        meta = {
            "run": run_name,
            "sets": {s.name: {**s.describe(), **_run_meta(root / s.name)} for s in chosen},
        }
        _write_baseline(baseline, sets_baseline(scores, meta))
    err.print(f"saved {root}/{{{','.join(scores)}}} (a report.html in each)")


def _sets_table(scores: dict[str, dict[str, Any]]) -> None:
    """Sets (and their languages) as rows, F1 of each figure as columns; blank = undefined."""
    from .sets import FIGURES, summary_rows  # noqa: PLC0415

    table = Table("set", "docs", "headline", *FIGURES[1:], title="F1 per set and language")
    for row in summary_rows(scores):
        label = row["set"] if row["language"] is None else f"  {row['language']}"
        table.add_row(label, str(row["documents"]), *(_f(row[k], blank="") for k in FIGURES))
    out.print(table)
    out.print("  blank: not defined on claims-only gold (RECORDS.md §3)")


def _tag(prompt: str, max_reasks: int, constrained: bool, strategy: str = "two-step") -> str:
    """The name of a recording: strategy (unless two-step), prompt, re-asks, decoding."""
    lead = "" if strategy == "two-step" else f"{strategy}-"
    return f"{lead}{prompt}-r{max_reasks}" + ("" if constrained else "-free")


@app.command("record")
def record(
    gold: GoldDir = None,
    corpus: Corpus = None,
    runs: RunsDir = None,
    only: Only = None,
    prompt: PromptOpt = None,
    max_reasks: MaxReasks = None,
    constrain: Constrain = None,
    strategy: StrategyOpt = None,
    baseline: Baseline = None,
) -> None:
    """Run the gold set live on the embedded model, recording one cassette per document.

    Cassettes go to cassettes/eval-TAG/ (requests as digests, responses sealed with
    the article's key), the run to evals/runs/record-TAG/; resumable.
    """
    from .runner import CASSETTES_DIR, cassettes  # noqa: PLC0415

    try:
        live = make_extractor(None, None, prompt, None, True, max_reasks, constrain, strategy)
        # Unstreamed, so the cassettes hold whole answers that `replay` (also
        # unstreamed) matches byte for byte; streaming only changes how they travel.
        ex = type(live)(live.settings.with_(stream=False))
        ex.backend()  # start the embedded server before any cassette is open
    except ExtractorError as exc:
        fail(exc)
    tag = _tag(
        ex.prompt.name, ex.settings.max_reasks, ex.settings.constrained, ex.settings.strategy
    )
    _run(
        ex,
        None,
        f"record-{tag}",
        gold=gold,
        corpus=corpus,
        runs=runs,
        only=only,
        around=cassettes(CASSETTES_DIR / f"eval-{tag}", "all"),
        baseline=baseline,
    )


def replay_extractor(
    prompt: str | None,
    max_reasks: int | None,
    constrain: bool | None,
    strategy: str | None = None,
) -> Extractor:
    """An extractor that sends byte-identical requests to what the embedded backend got."""
    from extractor import Extractor  # noqa: PLC0415
    from extractor.llm.runtime import EMBEDDED_MODEL_NAME  # noqa: PLC0415

    options: dict[str, Any] = {
        "prompt": prompt,
        "max_reasks": max_reasks,
        "constrain": constrain,
        "strategy": strategy,
    }
    return Extractor(
        use_cache=False,
        base_url="http://127.0.0.1:9/v1",
        model=EMBEDDED_MODEL_NAME,
        compact_json=True,
        transport_attempts=1,
        stream=False,  # the cassettes hold unstreamed answers
        **{k: v for k, v in options.items() if v is not None},
    )


@app.command("replay")
def replay(
    gold: GoldDir = None,
    corpus: Corpus = None,
    runs: RunsDir = None,
    only: Only = None,
    prompt: PromptOpt = None,
    max_reasks: MaxReasks = None,
    constrain: Constrain = None,
    strategy: StrategyOpt = None,
    baseline: Baseline = None,
) -> None:
    """Re-run a recorded eval from its cassettes (no model), into evals/runs/replay-TAG/.

    `--strategy cues` replays the actor step of the two-step cassettes when it has
    none of its own: its requests are the same bytes.

    After a deliberate change to parsing, grounding or scoring, `--baseline` writes the
    new numbers; a baseline is never rewritten otherwise.
    """
    from .runner import CASSETTES_DIR, cassettes  # noqa: PLC0415

    try:
        ex = replay_extractor(
            prompt, max_reasks if max_reasks is not None else 0, constrain, strategy
        )
    except ExtractorError as exc:
        fail(exc)
    s = ex.settings
    tag = _tag(ex.prompt.name, s.max_reasks, s.constrained, s.strategy)
    folder = CASSETTES_DIR / f"eval-{tag}"
    if not folder.is_dir() and s.strategy == "cues":
        folder = CASSETTES_DIR / f"eval-{_tag(ex.prompt.name, s.max_reasks, s.constrained)}"
    if not folder.is_dir():
        fail(ConfigError(f"no cassettes for {tag} in {folder}; record them first"))
    _run(
        ex,
        None,
        f"replay-{tag}",
        gold=gold,
        corpus=corpus,
        runs=runs,
        only=only,
        around=cassettes(folder, "none"),
        fresh=True,
        baseline=baseline,
    )


@app.command("rescore")
def rescore(
    run_dir: Annotated[Path, typer.Argument(help="A run folder.")],
    gold: GoldDir = None,
    corpus: Corpus = None,
) -> None:
    """Score a run folder again (new scorer or gold) and rebuild its report."""
    from .runner import GOLD_DIR, default_corpus_dirs, score_run  # noqa: PLC0415

    if not (run_dir / "predictions.jsonl").is_file():
        fail(InputError(f"{run_dir}: not a run folder (no predictions.jsonl)", reason="eval"))
    try:
        scores = score_run(run_dir, gold or GOLD_DIR, default_corpus_dirs(corpus or []))
    except Exception as exc:  # noqa: BLE001
        _guard(exc)
    _scores_table(scores)


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


def _scores_table(scores: dict[str, Any]) -> None:
    headline = scores.get("headline_f1")
    title = "no headline (claims-only gold)" if headline is None else f"headline F1 {headline:.3f}"
    table = Table("", "P", "R", "F1", title=title)
    for kind in ("actors", "claims", "meetings"):
        s = scores.get(kind, {})
        table.add_row(kind, _f(s.get("precision")), _f(s.get("recall")), _f(s.get("f1")))
    claims = scores.get("claims", {})
    table.add_row(
        "claims (attributed)",
        _f(claims.get("attributed_precision")),
        _f(claims.get("attributed_recall")),
        _f(claims.get("attributed_f1")),
    )
    out.print(table)
    for lang, s in sorted((scores.get("by_language") or {}).items()):
        out.print(
            f"  {lang}: headline {_f(s.get('headline_f1'))}  actors {_f(s['actors']['f1'])}  "
            f"claims {_f(s['claims']['f1'])}  attributed {_f(s['claims'].get('attributed_f1'))}  "
            f"meetings {_f(s['meetings']['f1'])}"
        )
    note = _scope_note(scores)
    if note:
        out.print(f"  {note}")
    out.print(
        f"  grounding rate {scores.get('grounding_rate')}  invalid rate "
        f"{scores.get('invalid_rate')}  documents {scores.get('n_documents')}"
    )


@app.command("score")
def score(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold files.")],
    pred_dir: Annotated[Path, typer.Argument(help="Folder of prediction files (same names).")],
    corpus: Corpus = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Score prediction files shaped like the gold files."""
    from .runner import default_corpus_dirs, score_dirs  # noqa: PLC0415

    for folder in (gold_dir, pred_dir):
        if not folder.is_dir():
            fail(InputError(f"not a folder: {folder}", reason="eval"))
    if not any(pred_dir.glob("*.json")):
        fail(InputError(f"no prediction files (*.json) in {pred_dir}", reason="eval"))
    try:
        scores = score_dirs(gold_dir, pred_dir, default_corpus_dirs(corpus or []))
    except Exception as exc:  # noqa: BLE001
        _guard(exc)
    if as_json:
        sys.stdout.write(json.dumps(scores, ensure_ascii=False) + "\n")
    else:
        _scores_table(scores)


@app.command("check")
def check(gold: GoldDir = None, corpus: Corpus = None) -> None:
    """Check every gold file against the record contract and its text."""
    from .gold import check_gold  # noqa: PLC0415
    from .runner import GOLD_DIR, default_corpus_dirs  # noqa: PLC0415

    folder = gold or GOLD_DIR
    paths = sorted(folder.glob("*.json"))
    if not paths:
        fail(InputError(f"no gold files (*.json) in {folder}", reason="eval"))
    problems = [p for path in paths for p in check_gold(path, default_corpus_dirs(corpus or []))]
    for problem in problems:
        out.print(problem, markup=False, highlight=False)
    err.print(f"{len(paths)} gold files, {len(problems)} problem(s)")
    if problems:
        raise typer.Exit(2)


@app.command("compare")
def compare(
    run_a: Annotated[Path, typer.Argument(help="Baseline run folder (or scores file).")],
    run_b: Annotated[Path, typer.Argument(help="Candidate run folder (or scores file).")],
    max_drop: Annotated[
        float,
        typer.Option(
            help="Fail when the whole 95% interval of the headline change (attributed-claim F1"
            " on claims-only gold) is below -MAX_DROP."
        ),
    ] = 0.0,
    resamples: Annotated[int, typer.Option(help="Bootstrap resamples.")] = 10_000,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    save: Annotated[Path | None, typer.Option(help="Also write the comparison here.")] = None,
) -> None:
    """B − A on the shared documents, per type and field, with a paired bootstrap CI.

    Exit 1 when the whole interval is below -MAX_DROP (a regression), 2 on bad input.
    On claims-only gold (no headline, RECORDS.md §3) the verdict is on attributed-claim
    F1, and the output says so.
    """
    from . import runner  # noqa: PLC0415

    try:
        result = runner.compare(runner.load_scores(run_a), runner.load_scores(run_b), n=resamples)
    except Exception as exc:  # noqa: BLE001
        _guard(exc)
    shared = result["documents"]
    result["cost"] = {
        "a": runner.run_cost(run_a, shared["ids"]),
        "b": runner.run_cost(run_b, shared["ids"]),
    }
    if save is not None:
        save.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    by_attributed = result["primary"] == "attributed_f1"
    boot = result["bootstrap_attributed"] if by_attributed else result["bootstrap"]
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    else:
        _print_comparison(result, by_attributed)
    if boot["high"] < -max_drop:
        what = "attributed-claim F1" if by_attributed else "headline F1"
        err.print(f"regression: {what} fell; the whole 95% interval is below {-max_drop:+.3f}")
        raise typer.Exit(1)


def _print_comparison(result: dict[str, Any], by_attributed: bool) -> None:
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
            f"headline F1 {_f(d['headline_f1']['a'])} → {_f(d['headline_f1']['b'])} "
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
            table.add_row(kind, field_name, _f(v["a"]), _f(v["b"]), _f(v["delta"], sign=True))
    out.print(table)
    for c in result["changed_documents"]:
        out.print(f"  {c['id']}: {_f(c['a'])} → {_f(c['b'])} ({_f(c['delta'], sign=True)})")


def _gold_texts(only: list[str] | None = None) -> list[Path]:
    """The text of every gold document (or of `only` these ids), in gold order."""
    from .gold import find_text, load_gold_dir  # noqa: PLC0415
    from .runner import GOLD_DIR, default_corpus_dirs  # noqa: PLC0415

    dirs = default_corpus_dirs()
    docs = [d for i, d in load_gold_dir(GOLD_DIR).items() if not only or i in only]
    found = [find_text(doc.text_file, dirs) for doc in docs if doc.text_file]
    return [p for p in found if p is not None]


@app.command("bench")
def bench(
    max_reasks: MaxReasks = None,
    prompt: PromptOpt = None,
    constrain: Constrain = None,
    skip_assembly: Annotated[bool, typer.Option(help="Do not re-assemble the model.")] = False,
    strategies: Annotated[
        str | None, typer.Option(help="Compare these strategies, e.g. two-step,cues.")
    ] = None,
    pathological: Annotated[
        bool,
        typer.Option(
            "--pathological",
            help="No model: seconds per 100 KB of hostile inputs as a ratio to an ordinary one.",
        ),
    ] = False,
    kb: Annotated[int, typer.Option(help="Input size for --pathological, in KB.")] = 100,
    dev: Annotated[
        bool,
        typer.Option(
            "--dev", help="With --strategies: every dev-set gold text instead of the seed."
        ),
    ] = False,
    only: Only = None,
) -> None:
    """Seed benchmark on the embedded model: assembly, load, cold, warm, cache hit (JSON).

    `--strategies two-step,cues:v4,cues` instead runs the seed (with `--dev`, every
    gold text) once per variant (`strategy[:prompt]`), taking turns document by
    document on one warm server, and reports the ratios of wall time and completion
    tokens.
    `--pathological` runs no model at all: each hostile input (repeated abbreviations,
    one name many times, one long line, tiny sentences) through the rules strategy and
    the pre-LLM stages of the others, against an ordinary article of the same size;
    exit 1 when a ratio is over the target (3).
    """
    from .bench import bench_seed, bench_strategies  # noqa: PLC0415

    if pathological:
        _bench_pathological(kb)
        return
    options = {"prompt": prompt, "max_reasks": max_reasks, "constrain": constrain}
    given = {k: v for k, v in options.items() if v is not None}
    try:
        if strategies:
            report = bench_strategies(
                [x.strip() for x in strategies.split(",") if x],
                given,
                _gold_texts(only) if dev else (),
                on_progress=lambda line: err.print(line, markup=False),
            )
        else:
            report = bench_seed(given, assembly=not skip_assembly)
    except ExtractorError as exc:
        fail(exc)
    sys.stdout.write(json.dumps(report, indent=1) + "\n")


def _bench_pathological(kb: int) -> None:
    """No model: hostile inputs against an ordinary one of `kb` KB; exit 1 over the target."""
    from .pathological import bench_pathological  # noqa: PLC0415

    if kb < 1:
        fail(ConfigError("--kb must be at least 1"))
    report = bench_pathological(kb, progress=lambda line: err.print(line, markup=False))
    sys.stdout.write(json.dumps(report, indent=1) + "\n")
    if not report["within_target"]:
        raise typer.Exit(1)


@app.command("bench-import")
def bench_import(
    against: Annotated[
        list[Path] | None,
        typer.Option(
            help="Other source trees (e.g. a worktree of an older commit) to time side by side."
        ),
    ] = None,
    runs: Annotated[int, typer.Option(help="Fresh interpreters per tree.")] = 9,
) -> None:
    """Median time of `import extractor` here and in other trees, alternated, as ratios."""
    from .bench import import_times  # noqa: PLC0415
    from .runner import ROOT  # noqa: PLC0415

    sys.stdout.write(json.dumps(import_times([ROOT, *(against or [])], runs), indent=1) + "\n")


def _f(value: Any, sign: bool = False, blank: str = "–") -> str:
    if value is None:
        return blank
    return f"{value:+.3f}" if sign else f"{value:.3f}"
