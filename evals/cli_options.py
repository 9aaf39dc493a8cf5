"""The options several `extractor eval …` commands share, so their help reads the same."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

GoldDir = Annotated[Path | None, typer.Option("--gold", help="Folder of gold JSON files.")]
Corpus = Annotated[list[Path] | None, typer.Option(help="Where texts are (repeatable).")]
Only = Annotated[list[str] | None, typer.Option(help="Only these document ids (repeatable).")]
RunsDir = Annotated[Path | None, typer.Option("--runs", help="Folder of run folders.")]
Name = Annotated[str | None, typer.Option(help="Run name (default: derived from settings).")]
Baseline = Annotated[
    Path | None,
    typer.Option(help="Also write the scores without text (counts only) to this baseline file."),
]
