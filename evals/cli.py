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
from typing import TYPE_CHECKING, Annotated, Any

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


def _guard(exc: Exception) -> None:
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
    from .runner import GOLD_DIR, RUNS_DIR, default_corpus_dirs, numbers_only, run_eval  # noqa: PLC0415

    run_name = name or default_name
    run_dir = (runs or RUNS_DIR) / run_name
    if fresh:
        (run_dir / "predictions.jsonl").unlink(missing_ok=True)
    try:
        with progress_bar() as progress:
            task = progress.add_task(run_name, total=None)
            scores = run_eval(
                ex.extract_articles,
                gold_dir=gold or GOLD_DIR,
                corpus_dirs=default_corpus_dirs(corpus or []),
                run_dir=run_dir,
                meta=_meta(ex, run_name),
                concurrency=concurrency,
                on_progress=lambda item, record: progress.advance(task),
                only=only,
                around=around,
                on_total=lambda n: progress.update(task, total=n),  # shows n/N
            )
    except Exception as exc:  # noqa: BLE001  (sorted into one-line errors by _guard)
        _guard(exc)
    _scores_table(scores)
    if baseline is not None:
        meta = json.loads((run_dir / "meta.json").read_text(encoding="utf-8"))
        baseline.write_text(
            json.dumps({**numbers_only(scores), "meta": meta}, ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )
        err.print(f"baseline written: {baseline}")
    err.print(f"saved {run_dir} (report: {run_dir / 'report.html'})")


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
    model_id, _ = ex.identity()
    _run(
        ex,
        name,
        ("rules" if ex.settings.strategy == "rules" else f"{ex.prompt.name}-{model_id}").replace(
            "/", "_"
        ),
        gold=gold,
        corpus=corpus,
        runs=runs,
        only=only,
        concurrency=concurrency,
        fresh=fresh,
        baseline=baseline,
    )


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


def _scores_table(scores: dict[str, Any]) -> None:
    table = Table("", "P", "R", "F1", title=f"headline F1 {scores.get('headline_f1', 0):.3f}")
    for kind in ("actors", "claims", "meetings"):
        s = scores.get(kind, {})
        table.add_row(
            kind,
            f"{s.get('precision', 0):.3f}",
            f"{s.get('recall', 0):.3f}",
            f"{s.get('f1', 0):.3f}",
        )
    claims = scores.get("claims", {})
    table.add_row(
        "claims (attributed)",
        f"{claims.get('attributed_precision', 0):.3f}",
        f"{claims.get('attributed_recall', 0):.3f}",
        f"{claims.get('attributed_f1', 0):.3f}",
    )
    out.print(table)
    for lang, s in sorted((scores.get("by_language") or {}).items()):
        out.print(
            f"  {lang}: headline {s.get('headline_f1', 0):.3f}  actors "
            f"{s['actors']['f1']:.3f}  claims {s['claims']['f1']:.3f}  meetings "
            f"{s['meetings']['f1']:.3f}"
        )
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
            help="Fail when the whole 95% interval of the headline change is below -MAX_DROP."
        ),
    ] = 0.0,
    resamples: Annotated[int, typer.Option(help="Bootstrap resamples.")] = 10_000,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    save: Annotated[Path | None, typer.Option(help="Also write the comparison here.")] = None,
) -> None:
    """B − A on the shared documents, per type and field, with a paired bootstrap CI.

    Exit 1 when the whole interval is below -MAX_DROP (a regression), 2 on bad input.
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
    boot = result["bootstrap"]
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    else:
        _print_comparison(result)
    if boot["high"] < -max_drop:
        err.print(f"regression: headline F1 fell; the whole 95% interval is below {-max_drop:+.3f}")
        raise typer.Exit(1)


def _print_comparison(result: dict[str, Any]) -> None:
    """A comparison for a person: the two headline intervals, the fields, the changed documents."""
    shared = result["documents"]
    boot = result["bootstrap"]
    if shared["only_a"] or shared["only_b"]:
        err.print(
            f"note: compared on the {shared['shared']} shared documents only "
            f"(left out: A {shared['only_a']}, B {shared['only_b']})"
        )
    d = result["deltas"]
    out.print(
        f"headline F1 {d['headline_f1']['a']:.3f} → {d['headline_f1']['b']:.3f} "
        f"(Δ {boot['observed']:+.3f}, 95% CI [{boot['low']:+.3f}, {boot['high']:+.3f}],"
        f" {boot['n_documents']} documents)"
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


def _f(value: Any, sign: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value:+.3f}" if sign else f"{value:.3f}"
