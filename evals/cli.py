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
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from extractor.cli import err, fail, make_extractor, out, progress_bar
from extractor.cli_options import (
    BaseUrl,
    Constrain,
    Gguf,
    MaxReasks,
    Model,
    NoCache,
    PromptOpt,
    StrategyOpt,
)
from extractor.errors import ConfigError, ExtractorError, InputError

from .cli_bench import bench, bench_import, bench_ray, bench_rules
from .cli_labelstudio import export_labelstudio, import_labelstudio
from .cli_options import Baseline, Corpus, GoldDir, Name, Only, RunsDir
from .display import print_comparison, scores_table, sets_table

if TYPE_CHECKING:
    from extractor import Extractor

    from .sets import EvalSet

app = typer.Typer(
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Score extractions against hand-labeled gold.",
)


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
    scores_table(scores)
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
    _run_sets(
        ex,
        chosen,
        run_name,
        (runs or RUNS_DIR) / run_name,
        concurrency=concurrency,
        fresh=fresh,
        baseline=baseline,
    )


def _run_sets(
    ex: Extractor,
    chosen: Sequence[EvalSet],
    run_name: str,
    root: Path,
    *,
    concurrency: int,
    fresh: bool,
    baseline: Path | None,
) -> None:
    """Run every chosen set into `root/SET/`, print them side by side, write the baseline."""
    from .sets import baseline as sets_baseline  # noqa: PLC0415

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
    sets_table(scores)
    if baseline is not None:
        meta = {
            "run": run_name,
            "sets": {s.name: {**s.describe(), **_run_meta(root / s.name)} for s in chosen},
        }
        _write_baseline(baseline, sets_baseline(scores, meta))
    err.print(f"saved {root}/{{{','.join(scores)}}} (a report.html in each)")


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
        # a recording is of the model: the default strategy (rules) records nothing
        live = make_extractor(
            None, None, prompt, None, True, max_reasks, constrain, strategy or "cues"
        )
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
            prompt, max_reasks if max_reasks is not None else 0, constrain, strategy or "cues"
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
    scores_table(scores)


@app.command("score")
def score(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold files.")],
    predicted: Annotated[
        Path,
        typer.Argument(
            help="Predictions: a folder of <gold id>.json (gold-shaped, or `extract --json` "
            "output), or an `extract-many` JSONL file."
        ),
    ],
    corpus: Corpus = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Score predictions against gold files; what cannot be read is refused (exit 2).

    A prediction whose records fail validation, or a failed extract-many line, is an
    invalid output scored as empty (RECORDS.md §3), and named with its reason.
    """
    from .runner import default_corpus_dirs, score_dirs  # noqa: PLC0415

    if not gold_dir.is_dir():
        fail(InputError(f"not a folder: {gold_dir}", reason="eval"))
    if not predicted.exists():
        fail(InputError(f"no such folder or file: {predicted}", reason="eval"))
    try:
        scores = score_dirs(gold_dir, predicted, default_corpus_dirs(corpus or []))
    except Exception as exc:  # noqa: BLE001
        _guard(exc)
    if as_json:
        sys.stdout.write(json.dumps(scores, ensure_ascii=False) + "\n")
        return
    scores_table(scores)
    for doc_id, why in scores["invalid_outputs"].items():
        err.print(f"invalid output {doc_id}: {why}", markup=False, highlight=False)


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
        print_comparison(result, by_attributed)
    if boot["high"] < -max_drop:
        what = "attributed-claim F1" if by_attributed else "headline F1"
        err.print(f"regression: {what} fell; the whole 95% interval is below {-max_drop:+.3f}")
        raise typer.Exit(1)


app.command("export-labelstudio")(export_labelstudio)
app.command("import-labelstudio")(import_labelstudio)

# Registered last, so they stay last in `extractor eval --help`.
app.command("bench")(bench)
app.command("bench-import")(bench_import)
app.command("bench-rules")(bench_rules)
app.command("bench-ray")(bench_ray)
