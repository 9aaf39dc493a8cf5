"""`extractor eval export-labelstudio` and `import-labelstudio`: the gold loop, closed.

Predictions become Label Studio tasks with pre-annotations to correct; the corrected
export comes back as gold files that `eval check` accepts and `eval score` reads.
Plain functions here; `evals.cli` registers them as commands of its app.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from extractor.cli import err, fail
from extractor.errors import InputError, OutputError

Texts = Annotated[
    list[Path] | None,
    typer.Option("--text", help="Folder where the predictions' texts are (repeatable)."),
]


def _write(path: Path, body: str) -> None:
    try:
        path.write_text(body, encoding="utf-8")
    except OSError as exc:
        fail(OutputError(f"cannot write {path}: {exc.strerror}"))
    err.print(f"wrote {path}", markup=False, highlight=False)


def export_labelstudio(
    predictions: Annotated[
        list[Path],
        typer.Argument(
            help="`extract --json` files or folders of them, gold-shaped files, "
            "or `extract-many` JSONL files."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="The tasks file (JSON) to write.")],
    texts: Texts = None,
    config: Annotated[
        Path | None, typer.Option(help="Also write Label Studio's labeling config (XML) here.")
    ] = None,
) -> None:
    """Predictions as Label Studio tasks: the text, and the records as pre-annotations."""
    from .labelstudio import label_config, to_task  # noqa: PLC0415
    from .labelstudio_io import read_sources  # noqa: PLC0415
    from .runner import default_corpus_dirs  # noqa: PLC0415

    notes: list[str] = []
    try:
        sources = read_sources(predictions, default_corpus_dirs(texts or []), notes)
    except Exception as exc:  # noqa: BLE001
        from .cli import _guard  # noqa: PLC0415

        _guard(exc)
    for note in notes:
        err.print(f"note: {note}", markup=False, highlight=False)
    if not sources:
        fail(InputError("no prediction to export", reason="eval"))
    tasks = []
    for source in sources:
        meta = next((a.meta for a in source.articles if a.meta), None)
        tasks.append(to_task(source, f"{meta.model}/{meta.strategy}" if meta else ""))
    _write(out, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
    if config is not None:
        _write(config, label_config())
    err.print(f"{len(tasks)} task(s)", markup=False, highlight=False)


def import_labelstudio(
    export: Annotated[Path, typer.Argument(help="Label Studio's JSON export of the tasks.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The gold folder to write.")],
    with_texts: Annotated[
        bool,
        typer.Option(
            "--with-texts", help="Also write each task's text beside its gold (as its text_file)."
        ),
    ] = False,
) -> None:
    """Corrected annotations as gold files (one `<id>.json` per annotated task).

    Exit 2 when a task's annotation cannot become gold (each reason on its own line);
    the other tasks are written all the same.
    """
    from .labelstudio_io import import_tasks  # noqa: PLC0415

    notes: list[str] = []
    if not export.is_file():
        fail(InputError(f"no such file: {export}", reason="eval"))
    if out.exists() and not out.is_dir():
        fail(InputError(f"not a folder: {out}", reason="eval"))
    try:
        written, problems = import_tasks(export, out, notes, with_texts=with_texts)
    except OSError as exc:
        fail(OutputError(f"cannot write gold into {out}: {exc.strerror}"))
    except Exception as exc:  # noqa: BLE001
        from .cli import _guard  # noqa: PLC0415

        _guard(exc)
    for note in notes:
        err.print(f"note: {note}", markup=False, highlight=False)
    for problem in problems:
        err.print(f"refused {problem}", markup=False, highlight=False)
    err.print(f"{len(written)} gold file(s) in {out}", markup=False, highlight=False)
    if problems:
        raise typer.Exit(2)
    if not written:
        fail(InputError(f"{export}: no annotated task", reason="eval"))
