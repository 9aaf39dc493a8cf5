"""`extractor eval bench` and `bench-import`: the seed, strategy and import benchmarks.

Plain functions here; `evals.cli` registers them as commands of its app.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from extractor.cli import err, fail
from extractor.cli_options import Constrain, MaxReasks, PromptOpt
from extractor.errors import ConfigError, ExtractorError

from .cli_options import Only


def _gold_texts(only: list[str] | None = None) -> list[Path]:
    """The text of every gold document (or of `only` these ids), in gold order."""
    from .gold import find_text, load_gold_dir  # noqa: PLC0415
    from .runner import GOLD_DIR, default_corpus_dirs  # noqa: PLC0415

    dirs = default_corpus_dirs()
    docs = [d for i, d in load_gold_dir(GOLD_DIR).items() if not only or i in only]
    found = [find_text(doc.text_file, dirs) for doc in docs if doc.text_file]
    return [p for p in found if p is not None]


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


def bench_rules(
    against: Annotated[
        list[Path] | None,
        typer.Option(
            help="Other source trees (e.g. `git worktree add --detach DIR REV`) to time "
            "side by side."
        ),
    ] = None,
    corpus: Annotated[
        Path | None,
        typer.Option(help="Folder of .txt inputs (default: ../shared/corpus/polnear/train/text)."),
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N texts (by name).")] = None,
    rounds: Annotated[int, typer.Option(help="Fresh interpreters per tree.")] = 3,
) -> None:
    """Rules-only throughput (documents per second, one process) here and in other trees.

    The trees take turns on the same texts; read the ratios (`ratio_to_first`).
    """
    from .bench import rules_throughput  # noqa: PLC0415
    from .runner import ROOT, SHARED_DIR  # noqa: PLC0415

    folder = corpus or SHARED_DIR / "corpus" / "polnear" / "train" / "text"
    texts = sorted(folder.glob("*.txt"))[:limit]
    if not texts:
        fail(ConfigError(f"no .txt inputs in {folder}"))
    roots = [ROOT, *(against or [])]
    report = rules_throughput(roots, texts, rounds)
    sys.stdout.write(json.dumps(report, indent=1) + "\n")


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


def bench_ray(
    corpus: Annotated[
        Path | None,
        typer.Option(help="Folder of .txt inputs (default: ../shared/corpus/polnear/train/text)."),
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N texts (by name).")] = None,
    rounds: Annotated[int, typer.Option(help="Rounds of the three runs, taking turns.")] = 1,
    save: Annotated[Path | None, typer.Option(help="Also write the report here (JSON).")] = None,
) -> None:
    """Rules-only documents/s: extract-many (one process) and Ray with 1 and 2 workers (JSON).

    Needs the `ray` extra. Read `ratios`: speedup_2_workers (target >= 1.6) and
    overhead_1_worker (target <= 1.2); see evals/bench_ray.py.
    """
    from .runner import SHARED_DIR  # noqa: PLC0415

    folder = corpus or SHARED_DIR / "corpus" / "polnear" / "train" / "text"
    texts = sorted(folder.glob("*.txt"))[:limit]
    if not texts:
        fail(ConfigError(f"no .txt inputs in {folder}"))
    try:
        from .bench_ray import ray_throughput  # noqa: PLC0415
    except ImportError as exc:
        fail(
            ConfigError(f"bench-ray needs the ray extra: pip install 'extractor-news[ray]' ({exc})")
        )
    report = ray_throughput(texts, rounds, progress=lambda line: err.print(line, markup=False))
    args = " ".join(sys.argv[1:])
    report = {
        "command": f"extractor {args}",
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        **report,
    }
    text = json.dumps(report, indent=1) + "\n"
    if save:
        save.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
