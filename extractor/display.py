"""How records and progress look on a terminal: the command line's readable view.

Everything shown passes through `plain`: a string from the model, the input or a file
name is inert text (no Rich markup, control characters as escapes). The view shows
only what is there, and stays readable at 80 columns.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rich.console import Console, RenderableType
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from .models import Actor, Article, Claim, ExtractionMeta, Meeting

if TYPE_CHECKING:
    from pathlib import Path

    from .batch.run import BatchSummary
    from .strategies.calls import Progress as ExtractProgress

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_PAIR = re.compile(r"\[\s*(-?\d+),\s*(-?\d+)\s*\]")


def plain(value: object, style: str = "") -> Text:
    """Any string from the model, the input or a file name, as inert terminal text.

    Rich markup is not interpreted (a statement "[/bold]" or "[link=…]" is just text),
    and control characters (ANSI/OSC escapes, bidi overrides) are shown as escapes.
    """
    text = "" if value is None else str(value)
    text = _CONTROL.sub(lambda m: ascii(m.group())[1:-1], text)
    return Text(text, style=style)


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if " " in head[limit // 2 :]:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:.،") + "…"


def compact_json(payload: object) -> str:
    """Indented JSON whose [start, end] spans stay on one line each."""
    text = json.dumps(payload, ensure_ascii=False, indent=2)
    return _PAIR.sub(r"[\1, \2]", text)


def _facts(pairs: list[tuple[str, object]]) -> str:
    """ "published 2023-10-09 · outlet CNN" — only the fields that have a value."""
    return " · ".join(f"{name} {value}" for name, value in pairs if value not in (None, ""))


def article_view(article: Article) -> Iterator[RenderableType]:
    """The terminal view of one article, part by part, in the order it is printed."""
    meta = article.meta
    yield Rule(plain(article.title or "(untitled)", "bold"))
    span = f"{article.span[0]}–{article.span[1]}" if article.span else None
    yield plain(
        _facts(
            [
                ("published", article.published),
                ("outlet", article.outlet),
                ("dateline", article.dateline),
                ("language", article.language),
                ("characters", span),
            ]
        )
    )
    if article.error is not None:
        yield plain(f"failed: {article.error.message}", "red")
    names = {a.id: a.name for a in article.actors}
    if article.actors:
        yield _actors_table(article.actors, names)
    if article.claims:
        yield _claims_table(article.claims, names)
    if article.meetings:
        yield _meetings_table(article.meetings, names)
    if not (article.actors or article.claims or article.meetings or article.error):
        yield plain("no actors, claims or meetings found", "dim")
    if article.rejected:
        yield plain(
            f"{len(article.rejected)} item(s) set aside, not found in the text: "
            + "; ".join(cut(f"{r.kind}: {r.reason}", 60) for r in article.rejected[:3]),
            "yellow",
        )
    for note in article.notes:
        yield plain(f"note: {cut(note, 160)}", "dim")
    if meta:
        yield _meta_line(meta)


def _actors_table(actors: list[Actor], names: dict[str, str]) -> Table:
    with_roles = any(a.role or a.affiliation for a in actors)
    columns = ["id", "name", "kind", *(["role"] if with_roles else []), "mentions"]
    table = Table(*columns, title="actors", expand=False)
    for a in actors:
        name = a.name + (f" ({a.name_en})" if a.name_en and a.name_en != a.name else "")
        kind = a.kind + (", anonymous" if a.anonymous else "")
        role = cut(a.role or "", 24)
        if a.affiliation:
            role = (role + "; " if role else "") + f"of {names.get(a.affiliation, a.affiliation)}"
        cells = [a.id, cut(name, 30), kind, *([role] if with_roles else []), len(a.mentions)]
        table.add_row(*(plain(v) for v in cells))
    return table


def _claims_table(claims: list[Claim], names: dict[str, str]) -> Table:
    table = Table("who", "quote", "what was said", title="claims", expand=False)
    for c in claims:
        who = ", ".join(names.get(s, s) for s in c.speakers) or "(unattributed)"
        table.add_row(*(plain(v) for v in (cut(who, 24), c.quote, cut(c.statement, 90))))
    return table


def _meetings_table(meetings: list[Meeting], names: dict[str, str]) -> Table:
    table = Table("who", "status", "when, where", "evidence", title="meetings", expand=False)
    for m in meetings:
        who = " & ".join(names.get(p, p) for p in m.participants)
        if m.mediators:
            who += " via " + ", ".join(names.get(x, x) for x in m.mediators)
        when = ", ".join(v for v in (m.date_text or m.date, m.location) if v)
        cells = (cut(who, 30), f"{m.status}, {m.format}", cut(when, 20), cut(m.evidence, 60))
        table.add_row(*(plain(v) for v in cells))
    return table


def _meta_line(meta: ExtractionMeta) -> Text:
    """What the article cost: model, strategy, calls, tokens, seconds."""
    tokens = meta.usage.prompt_tokens + meta.usage.completion_tokens
    calls = f"{meta.llm_calls} LLM call(s)" if meta.strategy != "rules" else "no model"
    cached = f", {meta.cache_hits} from cache" if meta.cache_hits else ""
    return plain(
        (f"{meta.model} · " if meta.model != meta.strategy else "")
        + f"{meta.strategy} · {calls}{cached} · "
        + (f"{tokens} tokens · " if tokens else "")
        + f"{meta.latency_s:.1f} s",
        "dim",
    )


def report_failures(console: Console, articles: list[Article]) -> bool:
    """Each failed article named on `console`; whether there was one."""
    failures = [(a.title, a.error) for a in articles if a.error is not None]
    for title, error in failures:
        console.print(
            Text.assemble(
                ("error: ", "red"),
                plain(f"article {title or '(untitled)'!r} failed: {error.message}"),
            ),
            soft_wrap=True,
        )
    return bool(failures)


def batch_progress(console: Console) -> Progress:
    """A batch's progress bar: what it does, the bar, done of total, time so far."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def report_batch(
    console: Console, summary: BatchSummary, output: Path, tables: list[Path] | None
) -> None:
    """A batch's counts, its first failures, and how to resume one that was interrupted."""
    console.print(
        plain(
            f"{summary.done} done, {summary.failed} failed, {summary.skipped} already done "
            f"({summary.seconds:.1f}s) → {output}"
            + (f" (+ {', '.join(t.name for t in tables)})" if tables else "")
        )
    )
    for failure in summary.failures[:10]:
        console.print(
            Text.assemble(
                ("failed ", "red"),
                plain(f"{failure['id']}: {failure['type']}: {failure['message']}"),
            )
        )
    if summary.interrupted:
        console.print(
            plain(
                f"interrupted: the {summary.done + summary.failed} finished are written; "
                f"{summary.not_started} not started (run again to resume)",
                "yellow",
            )
        )


class StageStatus:
    """What a long run is doing, on `console`: article k of n, stage, elapsed, tokens/s.

    On a terminal, one line that updates in place; in a log (not a terminal), one
    plain line per stage, so a CI log or `2> file` shows where the time went.
    """

    def __init__(self, console: Console) -> None:
        self.console = console
        self.live = console.is_terminal
        self._status = console.status("starting…") if self.live else None
        self._last_stage: tuple[int, str, int] | None = None

    def __enter__(self) -> StageStatus:
        if self._status is not None:
            self._status.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._status is not None:
            self._status.stop()

    def update(self, p: ExtractProgress) -> None:
        where = f"article {p.article}/{p.articles} · {p.stage}"
        if p.chunks > 1:
            where += f" (chunk {p.chunk}/{p.chunks})"
        rate = f" · {p.tokens / p.elapsed:.1f} tokens/s" if p.tokens and p.elapsed > 0 else ""
        line = f"{where} · {p.elapsed:.0f} s · {p.tokens} tokens{rate}"
        if self._status is not None:
            self._status.update(plain(line))
        elif (p.article, p.stage, p.chunk) != self._last_stage:
            self._last_stage = (p.article, p.stage, p.chunk)
            self.console.print(plain(f"… {where} · {p.elapsed:.0f} s"), highlight=False)
