"""`extract-many --batch-api`: the batch runner in place of the live one, same arguments.

Kept apart from `cli` so the command module stays small; heavy modules load on use.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from .display import plain

if TYPE_CHECKING:
    from .batch.run import BatchSummary
    from .extract import Extractor

err = Console(stderr=True)


def batch_runner(poll_interval: float) -> Callable[..., BatchSummary]:
    """A runner with `_run_many`'s arguments that sends the model's calls as Batch rounds."""

    def run(
        extractor: Extractor,
        sources: list[str],
        output: Path,
        *,
        concurrency: int,
        published: str | None,
        restart: bool,
    ) -> BatchSummary:
        from .batch.batch_api import BatchOptions, run_sources  # noqa: PLC0415

        del concurrency  # a round's local work is one pass; the server runs the batch
        options = BatchOptions(poll_interval=poll_interval)
        try:
            report = run_sources(
                extractor,
                sources,
                output,
                options,
                published,
                restart,
                lambda line: err.print(plain(line)),
            )
        except KeyboardInterrupt:
            err.print(plain("interrupted: the same command resumes the batch", "yellow"))
            raise typer.Exit(130) from None
        err.print(plain(f"batch: {report.rounds} rounds, {report.requests} requests"))
        return report.summary

    return run
