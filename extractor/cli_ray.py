"""`extract-many --engine ray`: its flags, and the Ray Data runner behind the command line.

Kept apart from `cli.py` so that the command line starts without Ray, and says how
to install it (the `ray` extra) when it is asked for and missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .errors import ConfigError

if TYPE_CHECKING:
    from .batch.run import BatchSummary
    from .extract import Extractor

Engine = Annotated[
    str, typer.Option(help="local (this process), or ray: an actor pool on Ray Data (extra `ray`).")
]
RayAddress = Annotated[
    str | None,
    typer.Option(
        "--address", help="With --engine ray: the cluster (ray://HOST:10001, auto); default: here."
    ),
]
RayWorkers = Annotated[
    int, typer.Option("--workers", help="With --engine ray: actors, one Extractor each.")
]


def engine_runner(
    engine: str,
    address: str | None,
    workers: int,
    table_format: str,
    local: Callable[..., BatchSummary],
    *,
    batch_api: bool = False,
) -> Callable[..., BatchSummary]:
    """The runner of `--engine`, with `_run_many`'s arguments: `local`, or the Ray runner.

    What the Ray engine does not do is refused here, before anything starts.
    """
    if engine not in ("local", "ray"):
        raise ConfigError(f"--engine must be local or ray, got {engine!r}")
    if engine == "local":
        return local
    if batch_api:
        raise ConfigError("--batch-api runs on the local engine: leave out --engine ray")
    if table_format != "jsonl":
        raise ConfigError("--engine ray writes partitions of JSONL records, not --format csv")
    if workers < 1:
        raise ConfigError(f"--workers must be at least 1, got {workers}")
    return partial(run_on_ray, address=address, workers=workers)


def run_on_ray(
    extractor: Extractor,
    sources: list[str],
    output: Path,
    *,
    concurrency: int,
    published: str | None,
    restart: bool,
    address: str | None,
    workers: int,
) -> BatchSummary:
    """The batch on Ray into the partitions of `output`, with a progress bar on stderr."""
    from .cli import progress_bar  # noqa: PLC0415

    if concurrency != 1:
        raise ConfigError("--engine ray takes --workers (actors), not --concurrency")
    try:
        from .batch.ray_engine import run_ray  # noqa: PLC0415
    except ImportError as exc:
        raise ConfigError(
            f"--engine ray needs its extra: pip install 'extractor-news[ray]' ({exc})"
        ) from None
    with progress_bar() as progress:
        task = progress.add_task("extracting (ray)", total=None)
        return run_ray(
            extractor,
            sources,
            _uri(output),
            workers=workers,
            address=address,
            published=published,
            restart=restart,
            on_total=lambda n: progress.update(task, total=n),
            on_progress=lambda n: progress.advance(task, n),
        )


def _uri(output: Path) -> str:
    """The output as given: a URI's `//` (`s3://b/out`), which a Path folds to one `/`, restored."""
    return re.sub(r"^([a-z][a-z0-9+.-]+):/(?!/)", r"\1://", str(output))
