"""The `extractor` command line: extract, extract-many, serve, eval.

Every expected failure prints one line (`error: …`) and exits non-zero, never a
traceback: 2 bad input or settings, 3 extraction failed, 4 model unavailable.
"""

from __future__ import annotations

import glob
import json
import logging
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import (
    ConfigError,
    ExtractionError,
    ExtractorError,
    InputError,
    ModelUnavailableError,
)
from .models import Article

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Typed, grounded records (actors, claims, meetings) from news articles.")
eval_app = typer.Typer(no_args_is_help=True, help="Score extractions against hand-labeled gold.")
app.add_typer(eval_app, name="eval")
out = Console()
err = Console(stderr=True)

Model = Annotated[str | None, typer.Option(help="Model name on the backend.")]
BaseUrl = Annotated[str | None, typer.Option(help="OpenAI-compatible server, e.g. vLLM/Ollama.")]
PromptOpt = Annotated[str | None, typer.Option("--prompt", help="Prompt version (prompts/NAME).")]
Gguf = Annotated[Path | None, typer.Option(help="Serve this GGUF instead of the embedded model.")]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Do not read or write the cache.")]
MaxReasks = Annotated[int | None, typer.Option(help="Validation re-asks per call (default 2).")]


def _exit_code(exc: ExtractorError) -> int:
    if isinstance(exc, InputError | ConfigError):
        return 2
    if isinstance(exc, ModelUnavailableError):
        return 4
    return 3


def _fail(exc: BaseException) -> None:
    err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
    raise typer.Exit(_exit_code(exc) if isinstance(exc, ExtractorError) else 1)


def _extractor(model: str | None, base_url: str | None, prompt: str | None, gguf: Path | None,
               no_cache: bool, max_reasks: int | None = None) -> Any:
    from .extract import Extractor  # noqa: PLC0415  (keeps --help fast)

    options: dict[str, Any] = {"model": model, "base_url": base_url, "prompt": prompt,
                               "gguf": gguf, "max_reasks": max_reasks}
    if no_cache:
        options["use_cache"] = False
    return Extractor(**{k: v for k, v in options.items() if v is not None})


def _read_input(source: str) -> str:
    from .inputs import decode, html_to_text, looks_like_html  # noqa: PLC0415

    if source == "-":
        text = decode(sys.stdin.buffer.read(), "<stdin>")
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError(f"{source}: no such file", reason="missing")
        text = decode(path.read_bytes(), source)
    if looks_like_html(text):
        err.print("note: HTML input reduced to its text; spans refer to that text")
        text = html_to_text(text)
    return text


@app.command()
def extract(
    source: Annotated[str, typer.Argument(help="Article file, or - for standard input.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a view.")] = False,
    main_only: Annotated[bool, typer.Option("--main", help="Only the main article.")] = False,
    published: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD.")] = None,
    model: Model = None,
    base_url: BaseUrl = None,
    prompt: PromptOpt = None,
    gguf: Gguf = None,
    no_cache: NoCache = False,
    max_reasks: MaxReasks = None,
) -> None:
    """Extract the articles of one text (all of them, main first)."""
    try:
        text = _read_input(source)
        extractor = _extractor(model, base_url, prompt, gguf, no_cache, max_reasks)
        from .inputs import check_text  # noqa: PLC0415

        check_text(text, max_chars=extractor.settings.max_chars)
        with err.status("extracting…"):
            articles = extractor.extract_articles(text, published=published)
    except ExtractorError as exc:
        _fail(exc)
        return
    if main_only:
        articles = articles[:1]
    if as_json:
        payload = [a.model_dump(mode="json") for a in articles]
        out.print_json(json.dumps(payload if not main_only else payload[0], ensure_ascii=False))
        return
    for article in articles:
        _show(article)


def _show(article: Article) -> None:
    meta = article.meta
    out.rule(f"[bold]{article.title or '(untitled)'}")
    out.print(f"published: {article.published}  outlet: {article.outlet}  "
              f"dateline: {article.dateline}  language: {article.language}  span: {article.span}")
    table = Table("id", "name", "English", "kind", "role", "affiliation", "anon", "mentions",
                  title="actors")
    for a in article.actors:
        table.add_row(a.id, a.name, a.name_en, a.kind, a.role or "", a.affiliation or "",
                      "yes" if a.anonymous else "", str(len(a.mentions)))
    out.print(table)
    table = Table("speakers", "quote", "statement", "span", title="claims")
    for c in article.claims:
        table.add_row(", ".join(c.speakers), c.quote, c.statement, str(c.span))
    out.print(table)
    table = Table("participants", "mediators", "status", "format", "date", "location",
                  "evidence", title="meetings")
    for m in article.meetings:
        table.add_row(", ".join(m.participants), ", ".join(m.mediators), m.status, m.format,
                      f"{m.date or ''} ({m.date_text or ''})", m.location or "", m.evidence[:80])
    out.print(table)
    if article.rejected:
        out.print(f"[yellow]rejected {len(article.rejected)} ungrounded item(s):[/yellow] "
                  + "; ".join(f"{r.kind}: {r.reason}" for r in article.rejected[:5]))
    for note in article.notes:
        out.print(f"[dim]note: {note}[/dim]")
    if meta:
        out.print(f"[dim]{meta.model} · prompt {meta.prompt}@{meta.prompt_hash} · "
                  f"{meta.usage.prompt_tokens}+{meta.usage.completion_tokens} tokens · "
                  f"{meta.llm_calls} LLM call(s), {meta.cache_hits} cache hit(s) · "
                  f"{meta.latency_s:.1f}s[/dim]")


def _expand(patterns: list[str]) -> list[Path]:
    paths: list[Path] = []
    for pattern in patterns:
        matches = sorted(glob.glob(pattern, recursive=True)) or [pattern]
        paths.extend(Path(m) for m in matches if Path(m).is_file() or m == pattern)
    return paths


@app.command("extract-many")
def extract_many(
    sources: Annotated[list[str], typer.Argument(help="Files or glob patterns.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL results file.")],
    concurrency: Annotated[int, typer.Option(help="Articles in flight at once.")] = 1,
    published: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD.")] = None,
    model: Model = None,
    base_url: BaseUrl = None,
    prompt: PromptOpt = None,
    gguf: Gguf = None,
    no_cache: NoCache = False,
    max_reasks: MaxReasks = None,
) -> None:
    """Extract many files into JSONL, resumably: finished files are never redone."""
    from .batch import BatchItem, run_batch  # noqa: PLC0415

    paths = _expand(sources)
    if not paths:
        _fail(InputError("no input files matched", reason="missing"))
    try:
        extractor = _extractor(model, base_url, prompt, gguf, no_cache, max_reasks)
    except ExtractorError as exc:
        _fail(exc)
        return
    items = [BatchItem(id=str(p), path=p) for p in paths]
    with _progress() as progress:
        task = progress.add_task("extracting", total=len(items))
        summary = run_batch(
            lambda text: extractor.extract_articles(text, published=published),
            items, output, concurrency=concurrency,
            on_progress=lambda item, record: progress.advance(task),
        )
    err.print(f"{summary.done} done, {summary.failed} failed, {summary.skipped} already done "
              f"({summary.seconds:.1f}s) → {output}")
    for failure in summary.failures[:10]:
        err.print(f"[red]failed[/red] {failure['id']}: {failure['type']}: {failure['message']}")
    if summary.failed:
        raise typer.Exit(3)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err)


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8080,
    gguf: Gguf = None,
    n_ctx: Annotated[int, typer.Option(help="Context size.")] = 8192,
) -> None:
    """Keep one model server running for many calls (use its URL as --base-url)."""
    from .runtime import start_server  # noqa: PLC0415

    try:
        server = start_server(gguf, n_ctx=n_ctx, port=port)
    except ExtractorError as exc:
        _fail(exc)
        return
    err.print(f"serving {server.model_name} at {server.base_url} (Ctrl-C to stop)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        err.print("stopped")


# ---------------------------------------------------------------------- eval

GoldDir = Annotated[Path, typer.Option("--gold", help="Folder of gold JSON files.")]


def _corpus_dirs(corpus: list[Path] | None) -> list[Path]:
    dirs = list(corpus or [])
    here = Path(__file__).resolve().parent.parent
    dirs += [here / "../shared/corpus/dev", here / "../shared/examples"]
    return [d for d in dirs if d.is_dir()]


@eval_app.command("run")
def eval_run(
    gold: GoldDir = Path("evals/gold"),
    corpus: Annotated[list[Path] | None, typer.Option(help="Where texts are (repeatable).")] = None,
    name: Annotated[str | None, typer.Option(help="Run name (default: prompt-model).")] = None,
    runs: Annotated[Path, typer.Option(help="Folder of runs.")] = Path("evals/runs"),
    only: Annotated[list[str] | None, typer.Option(help="Only these document ids.")] = None,
    concurrency: Annotated[int, typer.Option(help="Documents in flight at once.")] = 1,
    model: Model = None,
    base_url: BaseUrl = None,
    prompt: PromptOpt = None,
    gguf: Gguf = None,
    no_cache: NoCache = False,
    max_reasks: MaxReasks = None,
) -> None:
    """Extract every gold document (resuming), score, and save the run with a report."""
    from .evals import run_eval  # noqa: PLC0415

    try:
        extractor = _extractor(model, base_url, prompt, gguf, no_cache, max_reasks)
    except ExtractorError as exc:
        _fail(exc)
        return
    model_id, endpoint = extractor._identity()
    run_name = name or f"{extractor.prompt.name}-{model_id}".replace("/", "_")
    run_dir = runs / run_name
    meta = {"prompt": extractor.prompt.name, "prompt_hash": extractor.prompt.hash,
            "model": model_id, "endpoint": endpoint, "mode": extractor.settings.mode,
            "max_reasks": extractor.settings.max_reasks,
            "started": time.strftime("%Y-%m-%dT%H:%M:%S")}
    dirs = _corpus_dirs(corpus)
    with _progress() as progress:
        task = progress.add_task(run_name, total=None)
        scores = run_eval(extractor.extract_articles, gold_dir=gold, corpus_dirs=dirs,
                          run_dir=run_dir, meta=meta, concurrency=concurrency,
                          on_progress=lambda item, record: progress.advance(task), only=only)
    _scores_table(scores)
    err.print(f"saved {run_dir} (report: {run_dir / 'report.html'})")


def _scores_table(scores: dict[str, Any]) -> None:
    table = Table("", "P", "R", "F1", title=f"headline F1 {scores.get('headline_f1', 0):.3f}")
    for kind in ("actors", "claims", "meetings"):
        s = scores.get(kind, {})
        table.add_row(kind, f"{s.get('precision', 0):.3f}", f"{s.get('recall', 0):.3f}",
                      f"{s.get('f1', 0):.3f}")
    claims = scores.get("claims", {})
    table.add_row("claims (attributed)", f"{claims.get('attributed_precision', 0):.3f}",
                  f"{claims.get('attributed_recall', 0):.3f}",
                  f"{claims.get('attributed_f1', 0):.3f}")
    out.print(table)
    for lang, s in sorted((scores.get("by_language") or {}).items()):
        out.print(f"  {lang}: headline {s.get('headline_f1', 0):.3f}  actors "
                  f"{s['actors']['f1']:.3f}  claims {s['claims']['f1']:.3f}  meetings "
                  f"{s['meetings']['f1']:.3f}")
    out.print(f"  grounding rate {scores.get('grounding_rate')}  invalid rate "
              f"{scores.get('invalid_rate')}")


@eval_app.command("score")
def eval_score(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold files.")],
    pred_dir: Annotated[Path, typer.Argument(help="Folder of prediction files (same names).")],
    corpus: Annotated[list[Path] | None, typer.Option(help="Where texts are (repeatable).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Score prediction files shaped like the gold files."""
    from .evals import score_dirs  # noqa: PLC0415

    if not gold_dir.is_dir() or not pred_dir.is_dir():
        _fail(ConfigError(f"not a folder: {gold_dir if not gold_dir.is_dir() else pred_dir}"))
    scores = score_dirs(gold_dir, pred_dir, _corpus_dirs(corpus))
    if as_json:
        sys.stdout.write(json.dumps(scores, ensure_ascii=False) + "\n")
    else:
        _scores_table(scores)


@eval_app.command("compare")
def eval_compare(
    run_a: Annotated[Path, typer.Argument(help="Baseline run folder (or scores.json).")],
    run_b: Annotated[Path, typer.Argument(help="Candidate run folder (or scores.json).")],
    max_drop: Annotated[float, typer.Option(help="Fail when the whole 95% interval of the "
                                            "headline change is below -MAX_DROP.")] = 0.0,
    resamples: Annotated[int, typer.Option(help="Bootstrap resamples.")] = 10_000,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Deltas B − A per type and field, paired bootstrap CI; non-zero exit on a regression."""
    from .evals import compare, load_scores  # noqa: PLC0415

    try:
        a, b = load_scores(run_a), load_scores(run_b)
    except (OSError, json.JSONDecodeError) as exc:
        _fail(ConfigError(f"cannot read scores: {exc}"))
        return
    result = compare(a, b, n=resamples)
    boot = result["bootstrap"]
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    else:
        d = result["deltas"]
        out.print(f"headline F1 {d['headline_f1']['a']:.3f} → {d['headline_f1']['b']:.3f} "
                  f"(Δ {boot['observed']:+.3f}, 95% CI [{boot['low']:+.3f}, {boot['high']:+.3f}],"
                  f" {boot['n_documents']} documents)")
        table = Table("type", "field", "A", "B", "Δ")
        for kind in ("actors", "claims", "meetings"):
            for field_name, v in d[kind].items():
                if v["a"] is None and v["b"] is None:
                    continue
                table.add_row(kind, field_name, _f(v["a"]), _f(v["b"]), _f(v["delta"], sign=True))
        out.print(table)
        for c in result["changed_documents"]:
            out.print(f"  {c['id']}: {_f(c['a'])} → {_f(c['b'])} ({_f(c['delta'], sign=True)})")
    if boot["high"] < -max_drop:
        err.print(f"[red]regression:[/red] headline F1 fell; the whole 95% interval is below "
                  f"{-max_drop:+.3f}")
        raise typer.Exit(1)


def _f(value: Any, sign: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value:+.3f}" if sign else f"{value:.3f}"


def main() -> None:
    # Instructor logs every failed validation at ERROR; the CLI reports outcomes itself.
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    try:
        app()
    except ExtractionError as exc:  # pragma: no cover - commands catch their own
        _fail(exc)


if __name__ == "__main__":
    main()
