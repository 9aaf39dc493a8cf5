"""The model call a strategy makes: cache, call cap, re-asks and the truncation policy.

A strategy gets a `Context` per article and asks through `Context.call`. One call
here may be several attempts: a validation problem is re-asked with its errors, a
cut output keeps its finished items (or earns one retry with a doubled budget).
Transport retries belong to `llm.client`, what a problem is to `drafts`. Each
result is typed by the draft it parsed into.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

import jiter
from pydantic import BaseModel, ValidationError

from ..budget import Budget
from ..errors import CallBudgetError, TruncatedOutputError, ValidationFailedError
from ..llm.cache import CompletionCache, cache_key
from ..llm.prompts import Message, Prompt
from ..models import Usage
from ..settings import Settings
from ..version import package_version
from .drafts import LIST_LIMITS, item_key

if TYPE_CHECKING:
    from ..llm.client import Attempt

D = TypeVar("D", bound=BaseModel)


class Backend(Protocol):
    """What a call asks: `llm.client.LLM` live, or a batch's collecting stand-in."""

    model: str

    def complete(
        self,
        messages: list[dict[str, str]],
        response_model: type[D],
        *,
        max_tokens: int,
        temperature: float = 0.0,
        extra_body: dict[str, Any] | None = None,
        deadline_at: float | None = None,
        on_token: Callable[[int], None] | None = None,
        request_id: str | None = None,
    ) -> Attempt[D]: ...


@dataclass(frozen=True, kw_only=True)
class CallResult(Generic[D]):
    """One structured call's outcome, however it was reached (cache, re-asks, salvage)."""

    draft: D
    usage: Usage = field(default_factory=Usage)
    attempts: int = 0
    cache_hit: bool = False
    llm_s: float = 0.0
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class Progress:
    """What a long extraction is doing, for a caller that shows it (the CLI does)."""

    article: int  # 1-based, of `articles`
    articles: int
    stage: str  # "actors", "claims and meetings", "rules"
    chunk: int  # 1-based, of `chunks`
    chunks: int
    tokens: int  # streamed so far in this call
    elapsed: float  # seconds since this article started


@dataclass(kw_only=True)
class Run:
    """One article's extraction under way: its deadline, its input's call count, its listener.

    Passed down explicitly to every LLM call of the article, so the per-article
    deadline bounds all of them (re-asks and transport retries included).
    """

    calls: list[int] = field(default_factory=lambda: [0])  # shared by the input's articles
    article: int = 1
    articles: int = 1
    deadline_at: float | None = None
    budget: Budget = field(default_factory=Budget)  # the cue stages' time, per input
    on_progress: Callable[[Progress], None] | None = None
    started: float = field(default_factory=time.monotonic)
    stage: str = ""
    chunk: int = 1
    chunks: int = 1
    reserve: int = 0  # calls the input's later articles need: optional calls leave them

    def at(self, stage: str, chunk: int = 1, chunks: int = 1) -> None:
        self.stage, self.chunk, self.chunks = stage, chunk, chunks
        self.tell(0)

    def tell(self, tokens: int) -> None:
        if self.on_progress is not None:
            self.on_progress(
                Progress(
                    article=self.article,
                    articles=self.articles,
                    stage=self.stage,
                    chunk=self.chunk,
                    chunks=self.chunks,
                    tokens=tokens,
                    elapsed=time.monotonic() - self.started,
                )
            )


@dataclass(frozen=True, kw_only=True)
class Context:
    """What a strategy reads one article with: settings, prompt, the model call, the run."""

    settings: Settings
    prompt: Prompt
    cache: CompletionCache | None
    identity: Callable[[], tuple[str, str]]  # (model, endpoint), for cache keys
    backend: Callable[[], Backend]  # the client, made on first use
    run: Run

    def call(
        self, messages: list[Message], model: type[D], problems: Callable[[D], list[str]]
    ) -> CallResult[D]:
        """One structured call: cache, then attempts with re-asks and the truncation policy."""
        decoding = _decoding(self.settings)
        key = None
        if self.cache is not None:
            model_id, endpoint = self.identity()
            key = cache_key(
                model=model_id,
                endpoint=endpoint,
                mode=self.settings.mode,
                prompt=self.prompt.hash,
                schema=_schema_hash(model),
                decoding=decoding,
                messages=messages,
                version=package_version(),
            )
            hit = _from_cache(self.cache, key, model)
            if hit is not None:
                return hit
        return _attempts(self, messages, model, problems, key, decoding)


def _decoding(s: Settings) -> dict[str, Any]:
    out: dict[str, Any] = {"temperature": s.temperature, "max_tokens": s.max_tokens}
    if s.embedded and s.repeat_penalty:
        out["repeat_penalty"] = s.repeat_penalty
    return out


def _from_cache(cache: CompletionCache, key: str, model: type[D]) -> CallResult[D] | None:
    """A cached answer, when it still reads under the current schema (else it is dropped)."""
    hit = cache.get(key)
    if hit is not None:
        draft = _parse(hit.raw, model)
        if draft is not None:
            return CallResult(draft=draft, cache_hit=True, notes=[*hit.notes, *_repairs(draft)])
        cache.drop(key)  # unreadable under the current schema: recompute
    return None


@dataclass
class _Spent:
    """What a call's attempts cost so far."""

    usage: Usage = field(default_factory=Usage)
    attempts: int = 0
    llm_s: float = 0.0

    def result(self, draft: D, notes: list[str]) -> CallResult[D]:
        return CallResult(
            draft=draft,
            usage=self.usage,
            attempts=self.attempts,
            llm_s=self.llm_s,
            notes=[*notes, *_repairs(draft)],
        )


def _attempts(
    ctx: Context,
    messages: list[Message],
    model: type[D],
    problems: Callable[[D], list[str]],
    key: str | None,
    decoding: dict[str, Any],
) -> CallResult[D]:
    """Ask until an answer stands: re-asks with the latest errors, one doubled budget."""
    s, run = ctx.settings, ctx.run
    counter = run.calls
    llm = ctx.backend()
    extra = {"repeat_penalty": decoding["repeat_penalty"]} if "repeat_penalty" in decoding else None
    spent = _Spent()
    max_tokens = s.max_tokens
    reasks, bumped = 0, False
    follow_up: list[Message] = []
    while True:
        _check_cap(s.call_budget, counter, spent)
        counter[0] += 1
        spent.attempts += 1
        last = llm.complete(
            messages + follow_up,
            model,
            max_tokens=max_tokens,
            temperature=s.temperature,
            extra_body=extra,
            deadline_at=run.deadline_at,
            on_token=run.tell,
            request_id=request_id(key, spent.attempts),
        )
        spent.usage += last.usage
        spent.llm_s += last.seconds
        if last.parsed is not None:
            errors = problems(last.parsed)
            kept = errors and reasks >= s.max_reasks
            if not errors or kept:
                return _answered(ctx.cache, key, last.parsed, last.raw, errors, reasks, spent)
        elif last.finish_reason == "length":
            # Not retried blindly: finished items are kept (a small model that hits
            # the budget is usually looping), and only an output with nothing usable
            # earns one retry with a doubled budget; cut again with nothing usable, it
            # is an error, never an answer with no items.
            salvaged = _salvage_truncated(last.raw or "", model)
            if salvaged is not None and _has_items(salvaged[0]):
                return spent.result(salvaged[0], [_cut_note(max_tokens, looped=salvaged[1])])
            if bumped:
                raise _cut_twice(max_tokens, last, spent)
            bumped, max_tokens = True, max_tokens * 2
            continue
        else:
            errors = last.errors
            if reasks >= s.max_reasks:
                raise _invalid(last, spent)
        reasks += 1
        follow_up = _reask(last.raw, errors)


def request_id(key: str | None, attempt: int) -> str | None:
    """An attempt's name: the cache key, then `KEY-2`, `KEY-3` for re-asks and retries.

    A batch names its requests so (OpenAI Batch `custom_id`): the first attempt is
    the cache key itself, and a later one is fixed by the answers before it.
    """
    if key is None:
        return None
    return key if attempt == 1 else f"{key}-{attempt}"


def _check_cap(budget: int, counter: list[int], spent: _Spent) -> None:
    """Refuse the next attempt when the input's calls reached the cap."""
    if counter[0] >= budget:
        raise CallBudgetError(
            f"the input reached the cap of {budget} LLM calls (raise max_calls / --max-calls)",
            max_calls=budget,
            needed=counter[0] + 1,
            attempts=spent.attempts,
            usage=spent.usage.model_dump(),
        )


def _answered(
    cache: CompletionCache | None,
    key: str | None,
    draft: D,
    raw: str | None,
    errors: list[str],
    reasks: int,
    spent: _Spent,
) -> CallResult[D]:
    """A parsed answer that stands, cached; problems left after the re-asks are a note."""
    # Item problems that survive the re-asks are handled by assembly:
    # grounded items are kept, the rest go to `rejected`.
    notes = (
        [f"kept after {reasks} re-asks with problems: " + "; ".join(errors[:12])] if errors else []
    )
    if key is not None and cache is not None and raw:
        cache.put(key, raw, spent.usage.model_dump(), notes=notes)
    return spent.result(draft, notes)


def _cut_note(max_tokens: int, *, looped: bool) -> str:
    return (
        f"output cut at {max_tokens} tokens"
        + (" (the model repeated itself)" if looped else "")
        + "; items after the cut are lost"
    )


def _cut_twice(max_tokens: int, last: Attempt[Any], spent: _Spent) -> TruncatedOutputError:
    """An output cut again after its budget was doubled."""
    return TruncatedOutputError(
        f"model output hit max_tokens={max_tokens} twice",
        attempts=spent.attempts,
        errors=last.errors,
        usage=spent.usage.model_dump(),
        last_output=last.raw,
    )


def _invalid(last: Attempt[Any], spent: _Spent) -> ValidationFailedError:
    """An answer that still fails validation when no re-ask is left."""
    return ValidationFailedError(
        f"model output failed validation after {spent.attempts} attempts: "
        + "; ".join(last.errors[:3]),
        attempts=spent.attempts,
        errors=last.errors,
        usage=spent.usage.model_dump(),
        last_output=last.raw,
    )


def _reask(raw: str | None, errors: list[str]) -> list[Message]:
    """The turn that sends the answer back with its problems."""
    return [
        {"role": "assistant", "content": raw or ""},
        {
            "role": "user",
            "content": "Your JSON has these problems:\n- "
            + "\n- ".join(errors)
            + "\nReturn the whole corrected JSON object.",
        },
    ]


def _repairs(draft: BaseModel) -> list[str]:
    return list(getattr(draft, "repairs", []))


def _schema_hash(model: type[BaseModel]) -> str:
    schema = json.dumps(model.model_json_schema(), sort_keys=True)
    return hashlib.sha256(schema.encode()).hexdigest()[:16]


def _parse(raw: str, model: type[D]) -> D | None:
    try:
        return model.model_validate_json(raw)
    except ValidationError:
        return None


def _salvage_truncated(raw: str, model: type[D]) -> tuple[D, bool] | None:
    """Parse the finished part of a cut-off JSON output; report whether it looped."""
    try:
        data = jiter.from_json(raw.encode(), partial_mode="trailing-strings")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    looped = False
    for name, limit in LIST_LIMITS.items():
        items = data.get(name)
        if not isinstance(items, list):
            continue
        seen, kept = set(), []
        complete = items[:-1] if name == _last_list(raw) else items  # last may be cut
        for item in complete:
            marker = item_key(name, item)
            if marker in seen:
                looped = True
                continue
            seen.add(marker)
            kept.append(item)
        data[name] = kept[:limit]
    data = {k: v for k, v in data.items() if k in model.model_fields}
    try:
        return model.model_validate(data), looped
    except ValidationError:
        return None


def _has_items(draft: BaseModel) -> bool:
    return any(getattr(draft, name, None) for name in LIST_LIMITS)


def _last_list(raw: str) -> str | None:
    """Which list the output was inside when it was cut."""
    positions = {name: raw.rfind(f'"{name}"') for name in LIST_LIMITS}
    best = max(positions, key=lambda name: positions[name])
    return best if positions[best] >= 0 else None
