"""The `extractor` command line: extract, extract-many, serve, model-server (and plugged-in groups).

Every expected failure prints one line (`error: …`) and exits non-zero, never a
traceback: 2 bad input or settings, 3 extraction failed, 4 model unavailable, 5 an
output cannot be written (or is locked by another batch), 130 a batch interrupted
by Ctrl-C (what finished is written). The README's "Exit codes" table is the list.
Other packages add command groups through the `extractor.commands` entry point:
the eval harness (`evals/`) adds `extractor eval …` that way, so the library never
imports it. Heavy modules load inside commands, so `--help` stays fast.
"""

from __future__ import annotations

import logging
import sys
import time
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import Progress
from rich.text import Text

from . import cli_options as jobs_opt  # the job store's serve options
from .budget import SERVICE_TIME_BUDGET
from .cli_batch import batch_runner
from .cli_cache import cache_app
from .cli_options import (
    HELP_OPTIONS,
    AllowStrategy,
    ApiKeysFile,
    BaseUrl,
    BatchApi,
    Constrain,
    CorsOrigin,
    DatabaseUrl,
    DeadlineOpt,
    FirstTokenOpt,
    Gguf,
    Host,
    LeaseSeconds,
    MaxBodyMb,
    MaxCalls,
    MaxInflight,
    MaxReasks,
    Model,
    NoCache,
    PollInterval,
    PromptOpt,
    ServeTimeBudget,
    StallOpt,
    StrategyOpt,
    TimeBudgetOpt,
    Workers,
)
from .cli_ray import Engine, RayAddress, RayWorkers, engine_runner
from .display import (
    StageStatus,
    article_view,
    batch_progress,
    compact_json,
    plain,
    report_batch,
    report_failures,
)
from .errors import (
    ConfigError,
    ExtractionError,
    ExtractorError,
    InputError,
    ModelUnavailableError,
    OutputError,
)
from .models import Article

if TYPE_CHECKING:
    from .batch.run import BatchSummary
    from .extract import Extractor
    from .settings import Settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    context_settings=HELP_OPTIONS,
    help="Typed, grounded records (actors, claims, meetings) from news articles.",
)
out = Console()
err = Console(stderr=True)

DISTRIBUTION = "extractor-news"  # the PyPI name; the import package is `extractor`


def _version(value: bool) -> None:
    if value:
        from .version import package_version  # noqa: PLC0415

        number = package_version()
        if number == "unknown":  # running from a source tree that was never installed
            number = "unknown (not installed)"
        out.print(f"{DISTRIBUTION} {number}", markup=False, highlight=False)
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Typed, grounded records (actors, claims, meetings) from news articles."""


def exit_code(exc: ExtractorError) -> int:
    if isinstance(exc, InputError | ConfigError):
        return 2
    if isinstance(exc, ModelUnavailableError):
        return 4
    if isinstance(exc, OutputError):
        return 5
    return 3


def fail(exc: BaseException) -> NoReturn:
    """One line on stderr and the documented exit code: never a traceback."""
    err.print(Text.assemble(("error: ", "red"), plain(exc)), highlight=False, soft_wrap=True)
    raise typer.Exit(exit_code(exc) if isinstance(exc, ExtractorError) else 1)


def make_extractor(
    model: str | None,
    base_url: str | None,
    prompt: str | None,
    gguf: Path | None,
    no_cache: bool,
    max_reasks: int | None = None,
    constrain: bool | None = None,
    strategy: str | None = None,
    deadline: float | None = None,
    stall_timeout: float | None = None,
    first_token_timeout: float | None = None,
    *,
    max_calls: int | None = None,
    time_budget: float | None = None,
) -> Extractor:
    """The Extractor that the shared backend options describe (None = not given)."""
    from .extract import Extractor  # noqa: PLC0415  (keeps --help fast)

    options: dict[str, Any] = {
        "model": model,
        "base_url": base_url,
        "prompt": prompt,
        "gguf": gguf,
        "max_reasks": max_reasks,
        "constrain": constrain,
        "strategy": strategy,
        "deadline": deadline,
        "stall_timeout": stall_timeout,
        "timeout": first_token_timeout,
        "max_calls": max_calls,
        "time_budget": time_budget,
    }
    if no_cache:
        options["use_cache"] = False
    return Extractor(**{k: v for k, v in options.items() if v is not None})


def _read_input(source: str, max_chars: int | None = None) -> tuple[str, str | None]:
    """The text of `source`, and the publication day an HTML page declares (or None)."""
    from .text.inputs import BYTES_PER_CHAR_LIMIT, DEFAULT_MAX_BYTES, read_input  # noqa: PLC0415

    limit = max_chars * BYTES_PER_CHAR_LIMIT if max_chars else DEFAULT_MAX_BYTES
    page = read_input(source, max_bytes=limit)
    if page.html:
        err.print("note: HTML input reduced to its text; spans refer to that text")
    return page.text, page.published


@app.command()
def extract(
    source: Annotated[str, typer.Argument(help="Article file, or - for standard input.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a JSON list of articles instead of a view.")
    ] = False,
    main_only: Annotated[bool, typer.Option("--main", help="Only the main article.")] = False,
    published: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD.")] = None,
    model: Model = None,
    base_url: BaseUrl = None,
    prompt: PromptOpt = None,
    gguf: Gguf = None,
    no_cache: NoCache = False,
    max_reasks: MaxReasks = None,
    constrain: Constrain = None,
    strategy: StrategyOpt = None,
    deadline: DeadlineOpt = None,
    stall_timeout: StallOpt = None,
    first_token_timeout: FirstTokenOpt = None,
    save_text: Annotated[
        Path | None,
        typer.Option(
            "--save-text", help="Write the text that spans refer to (the reduced text of HTML)."
        ),
    ] = None,
    html_out: Annotated[
        Path | None, typer.Option("--html", help="Also write the highlighted-record page here.")
    ] = None,
    max_calls: MaxCalls = None,
) -> None:
    """Extract the articles of one text (all of them, main first; --main: the main one).

    Exits 0 when every article was extracted, 3 when one failed (the others are
    still printed, and the failed one says why).
    """
    try:
        backend = (model, base_url, prompt, gguf, no_cache, max_reasks, constrain, strategy)
        times = (deadline, stall_timeout, first_token_timeout)
        extractor = make_extractor(*backend, *times, max_calls=max_calls)
        text, articles = _extract_text(extractor, source, save_text, published, main_only)
    except ExtractorError as exc:
        fail(exc)
    if html_out is not None:
        write_html(html_out, text, articles, title=Path(source).name if source != "-" else "")
    _print_articles(articles, as_json=as_json)
    if report_failures(err, articles):
        raise typer.Exit(3)


def _extract_text(
    extractor: Extractor,
    source: str,
    save_text: Path | None,
    published: str | None,
    main_only: bool,
) -> tuple[str, list[Article]]:
    """The checked text of `source` (saved when asked) and its articles, progress on stderr."""
    text, page_date = _read_input(source, extractor.settings.max_chars)
    published = published or page_date  # the page's own date unless one is given
    from .text.inputs import check_text  # noqa: PLC0415

    check_text(text, max_chars=extractor.settings.max_chars)
    if save_text is not None:
        try:
            save_text.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot write {save_text}: {exc.strerror or exc}") from None
    with StageStatus(err) as status:
        articles = extractor.extract_articles(
            text, published=published, main_only=main_only, on_progress=status.update
        )
    return text, articles


def _print_articles(articles: list[Article], *, as_json: bool) -> None:
    if as_json:
        # Always a list (`--main`: a list of one), spans as [start, end] on one line.
        payload = [a.model_dump(mode="json") for a in articles]
        typer.echo(compact_json(payload))
    else:
        for article in articles:
            _show(article)


def _show(article: Article) -> None:
    """The terminal view of one article (`display.article_view`) on standard output."""
    for part in article_view(article):
        out.print(part)


def write_html(path: Path, text: str, articles: list[Article], *, title: str) -> None:
    """The record page (`extractor/view.py`, the same as the service's document view)."""
    from .view import render_page  # noqa: PLC0415

    try:
        path.write_text(render_page(text, articles, title=title), encoding="utf-8")
    except OSError as exc:
        fail(InputError(f"cannot write {path}: {exc.strerror}", reason="output"))
    err.print(Text.assemble("wrote ", plain(path)), highlight=False)


@app.command("extract-many")
def extract_many(
    sources: Annotated[
        list[str], typer.Argument(help="Files, glob patterns, or .jsonl sets of {id, text}.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL results file.")],
    concurrency: Annotated[int, typer.Option(help="Articles in flight at once.")] = 1,
    published: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD.")] = None,
    model: Model = None,
    base_url: BaseUrl = None,
    prompt: PromptOpt = None,
    gguf: Gguf = None,
    no_cache: NoCache = False,
    max_reasks: MaxReasks = None,
    constrain: Constrain = None,
    strategy: StrategyOpt = None,
    max_calls: MaxCalls = None,
    deadline: DeadlineOpt = None,
    stall_timeout: StallOpt = None,
    first_token_timeout: FirstTokenOpt = None,
    time_budget: TimeBudgetOpt = None,
    restart: Annotated[
        bool,
        typer.Option(
            "--restart", help="Set aside results of another configuration and start over."
        ),
    ] = False,
    table_format: Annotated[
        str,
        typer.Option("--format", help="jsonl, or csv: also actors, claims and meetings tables."),
    ] = "jsonl",
    bom: Annotated[
        bool, typer.Option("--bom", help="CSV tables with a UTF-8 byte-order mark (spreadsheets).")
    ] = False,
    batch_api: BatchApi = False,
    poll_interval: PollInterval = 30.0,
    engine: Engine = "local",
    address: RayAddress = None,
    workers: RayWorkers = 2,
) -> None:
    """Extract many files into JSONL, resumably (--engine ray: docs/scale.md)."""
    try:
        if table_format not in ("jsonl", "csv"):
            raise ConfigError(f"--format must be jsonl or csv, got {table_format!r}")
        if concurrency < 1:
            raise ConfigError(f"--concurrency must be at least 1, got {concurrency}")
        live = batch_runner(poll_interval) if batch_api else _run_many
        run = engine_runner(engine, address, workers, table_format, live, batch_api=batch_api)
        backend = (model, base_url, prompt, gguf, no_cache, max_reasks, constrain, strategy)
        times = (deadline, stall_timeout, first_token_timeout)
        extractor = make_extractor(*backend, *times, max_calls=max_calls, time_budget=time_budget)
        options = {"concurrency": concurrency, "published": published, "restart": restart}
        summary = run(extractor, sources, output, **options)
        tables = _write_tables(output, bom) if table_format == "csv" else None
    except ExtractorError as exc:
        fail(exc)
    report_batch(err, summary, output, tables)
    if summary.interrupted:
        raise typer.Exit(130)
    if summary.failed:
        raise typer.Exit(3)


def _run_many(
    extractor: Extractor,
    sources: list[str],
    output: Path,
    *,
    concurrency: int,
    published: str | None,
    restart: bool,
) -> BatchSummary:
    """The batch over what `sources` name, with a progress bar on stderr."""
    from .batch.run import run_batch  # noqa: PLC0415
    from .batch.sources import expand_sources  # noqa: PLC0415
    from .text.inputs import BYTES_PER_CHAR_LIMIT  # noqa: PLC0415

    max_bytes = extractor.settings.max_chars * BYTES_PER_CHAR_LIMIT
    notes: list[str] = []
    items = expand_sources(sources, max_bytes=max_bytes, notes=notes)
    for note in notes:
        err.print(f"note: {note}", markup=False, highlight=False)
    if not items:
        raise InputError("the sources hold no articles", reason="empty")
    with progress_bar() as progress:
        task = progress.add_task("extracting", total=len(items))
        return run_batch(
            lambda text, **kw: extractor.extract_articles(
                text, published=kw.get("published", published)
            ),
            items,
            output,
            concurrency=concurrency,
            on_progress=lambda item, record: progress.advance(task),
            on_skipped=lambda n: progress.advance(task, n),
            config={**extractor.fingerprint(), "published": published},
            restart=restart,
            max_bytes=max_bytes,
        )


def _write_tables(output: Path, bom: bool) -> list[Path]:
    """The actors, claims and meetings CSV tables beside `output`, from its latest records."""
    from .batch.run import latest_records  # noqa: PLC0415
    from .batch.tables import write_tables  # noqa: PLC0415

    return list(write_tables(output, latest_records(output), bom=bom).values())


def progress_bar() -> Progress:
    return batch_progress(err)


@app.command()
def serve(
    host: Host = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    database_url: DatabaseUrl = None,
    api_keys_file: ApiKeysFile = None,
    cors_origin: CorsOrigin = None,
    workers: Workers = 2,
    max_inflight: MaxInflight = 8,
    max_body_mb: MaxBodyMb = 32,
    lease_seconds: LeaseSeconds = 30.0,
    model: Model = None,
    base_url: BaseUrl = None,
    prompt: PromptOpt = None,
    gguf: Gguf = None,
    no_cache: NoCache = False,
    max_reasks: MaxReasks = None,
    constrain: Constrain = None,
    strategy: StrategyOpt = None,
    allow_strategy: AllowStrategy = None,
    webhook_allow: jobs_opt.WebhookAllow = None,
    retention_hours: jobs_opt.RetentionHours = None,
    max_queued_jobs: jobs_opt.MaxQueuedJobs = 100,
    max_queued_documents: jobs_opt.MaxQueuedDocuments = 500_000,
    max_attempts: jobs_opt.MaxAttempts = 3,
    time_budget: ServeTimeBudget = SERVICE_TIME_BUDGET,
) -> None:
    """Serve the extraction HTTP API (POST /v1/extract, /v1/jobs …; docs at /docs).

    Clients may name only the strategy the service was started with (`--strategy`),
    and those added with `--allow-strategy`: a rules-only service never loads a model.
    """
    _require_service_extra()
    try:
        backend = (model, base_url, prompt, gguf, no_cache, max_reasks, constrain, strategy)
        settings = make_extractor(*backend, time_budget=time_budget).settings
        _serve(
            settings,
            host,
            port,
            database_url=database_url,
            api_keys_file=api_keys_file,
            cors_origins=tuple(cors_origin or ()),
            worker_threads=workers,
            max_inflight_per_key=max_inflight,
            max_body_bytes=max_body_mb * 1024 * 1024,
            lease_s=lease_seconds,
            allow_strategies=tuple(allow_strategy or ()),
            webhook_allow=tuple(webhook_allow or ()),
            retention_hours=retention_hours,
            max_queued_jobs_per_key=max_queued_jobs,
            max_queued_documents_per_key=max_queued_documents,
            max_attempts=max_attempts,
        )
    except ExtractorError as exc:
        fail(exc)


def _require_service_extra() -> None:
    """One line saying how to install the service when its packages are missing."""
    try:
        import_module("extractor.service.app")
    except ImportError as exc:
        hint = f"the service needs its extra: pip install 'extractor-news[service]' ({exc})"
        fail(ConfigError(hint))


def _serve(settings: Settings, host: str, port: int, **options: Any) -> None:
    """The service's configuration resolved and its bind checked, then serve until stopped."""
    from .service.app import run  # noqa: PLC0415
    from .service.auth import check_bind  # noqa: PLC0415
    from .service.config import ServiceConfig  # noqa: PLC0415

    config = ServiceConfig.resolve(settings, **options)
    check_bind(host, config.api_keys)
    err.print(
        f"serving the extraction API at http://{host}:{port} (docs: /docs; "
        f"{len(config.api_keys)} API key(s); strategies {', '.join(config.strategies)})",
        markup=False,
        highlight=False,
    )
    run(config, host=host, port=port)


@app.command("model-server")
def model_server(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8080,
    gguf: Gguf = None,
    n_ctx: Annotated[int, typer.Option(help="Context size.")] = 8192,
) -> None:
    """Keep one model server running for many calls (use its URL as --base-url)."""
    from .llm.runtime import start_server  # noqa: PLC0415

    try:
        server = start_server(gguf, n_ctx=n_ctx, port=port)
    except ExtractorError as exc:
        fail(exc)
    err.print(f"serving {server.model_name} at {server.base_url} (Ctrl-C to stop)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        err.print("stopped")


app.add_typer(cache_app, name="cache")


@app.command("rules")
def rules(
    markdown: Annotated[bool, typer.Option(help="Print docs/rules.md as generated.")] = False,
) -> None:
    """The named cue rules: name, language and purpose (switch some off: EXTRACTOR_RULES_OFF)."""
    from .cues import rulebook  # noqa: PLC0415

    if markdown:
        sys.stdout.write(rulebook.catalogue())
        return
    for r in sorted(rulebook.all_rules().values(), key=lambda r: r.name):
        out.print(plain(f"{r.name}  [{r.language or 'all'}]  {r.purpose}"), soft_wrap=True)


def add_plugins(target: typer.Typer) -> None:
    """Command groups that installed packages declare under `extractor.commands`.

    Read when the command line starts, never at import. A group whose own
    dependencies are missing is left out; its name then says how to get it.
    """
    from importlib.metadata import entry_points  # noqa: PLC0415

    for point in entry_points(group="extractor.commands"):
        try:
            group = point.load()
        except ImportError as exc:
            err.print(f"note: `extractor {point.name}` is unavailable ({exc})")
            continue
        target.add_typer(group, name=point.name)


def main() -> None:
    # Instructor logs every failed validation at ERROR; the CLI reports outcomes itself.
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    add_plugins(app)
    try:
        code = app(standalone_mode=False)  # typer.Exit(n) comes back as n
    except typer.TyperException as exc:  # click's usage and parameter errors
        if type(exc).__name__ == "NoArgsIsHelpError":  # a bare group: its help
            app(args=[*sys.argv[1:], "--help"])
        usage_error(exc)
    except typer.Abort:
        err.print("aborted", markup=False)
        raise SystemExit(130) from None
    except ExtractionError as exc:  # pragma: no cover - commands catch their own
        fail(exc)
    if isinstance(code, int) and code:
        raise SystemExit(code)


def usage_error(exc: typer.TyperException) -> NoReturn:
    """A usage error as one line naming the command (not a four-line box), exit 2."""
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "extractor"
    err.print(
        f"{command}: {exc.format_message()} (see {command} -h)",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    raise SystemExit(exc.exit_code if exc.exit_code != 1 else 2)


if __name__ == "__main__":
    main()
