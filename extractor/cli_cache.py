"""`extractor cache`: where the completion cache is, its size, and clearing it.

Kept apart from `cli` so the command module stays small.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from .cli_options import HELP_OPTIONS
from .display import plain
from .errors import OutputError

out = Console()
err = Console(stderr=True)

cache_app = typer.Typer(
    no_args_is_help=True,
    context_settings=HELP_OPTIONS,
    help="The completion cache: where, size, clear.",
)
CacheDir = Annotated[
    Path | None, typer.Option("--cache-dir", help="The cache folder (or EXTRACTOR_CACHE_DIR).")
]


def _open_cache(cache_dir: Path | None) -> Any:
    from .llm.cache import CompletionCache  # noqa: PLC0415
    from .settings import Settings  # noqa: PLC0415

    return CompletionCache(Settings.resolve(cache_dir=cache_dir).cache_path())


@cache_app.command("info")
def cache_info(cache_dir: CacheDir = None) -> None:
    """Where the cache is, its size on disk, its entries and its size cap (JSON)."""
    cache = _open_cache(cache_dir)
    try:
        out.print_json(json.dumps(cache.info()))
    finally:
        cache.close()


@cache_app.command("clear")
def cache_clear(cache_dir: CacheDir = None) -> None:
    """Remove every cached completion (the next extraction calls the model again)."""
    cache = _open_cache(cache_dir)
    try:
        if cache.disabled:
            from .cli import fail  # noqa: PLC0415  (cli imports this module)

            fail(OutputError(f"cannot open the cache: {cache.disabled}", path=str(cache.directory)))
        removed = cache.clear()
    finally:
        cache.close()
    err.print(plain(f"removed {removed} cached completion(s) from {cache.directory}"))
