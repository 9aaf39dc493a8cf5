"""The pipeline: text → articles → numbered chunks → LLM (retry, cache) → drafts → records.

`Extractor` holds configuration (backend, model, prompt, cache) for repeated use;
`extract_article` / `extract_articles` in `__init__` are one-call wrappers over it.
This module owns the validation re-ask loop and the truncation policy; transport
retries belong to `llm.py`, grounding to `assemble.py`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass
from typing import Any

import jiter
from pydantic import BaseModel, ValidationError

from .assemble import assemble, quarantine_injection
from .cache import CompletionCache, cache_key
from .constrain import actors_model, events_model, name_candidates
from .errors import ExtractionError, TruncatedOutputError, ValidationFailedError
from .grounding import locate
from .inputs import check_text
from .llm import LLM, Attempt
from .models import (
    ActorsDraft,
    Article,
    ArticleDraft,
    DraftContext,
    EventsDraft,
    ExtractionMeta,
    Usage,
    draft_context,
)
from .normalize import normalize
from .prompts import load_prompt
from .runtime import EMBEDDED_SHA256, start_server
from .segment import Sentence, chunk_sentences, number_sentences, split_articles, split_sentences
from .settings import DEFAULT_OPENAI_MODEL, Settings

SCHEMA_HASH = hashlib.sha256(json.dumps(
    [m.model_json_schema() for m in (ArticleDraft, ActorsDraft, EventsDraft)], sort_keys=True,
).encode()).hexdigest()[:16]


@dataclass
class _ChunkResult:
    draft: BaseModel
    usage: Usage
    attempts: int
    llm_calls: int
    cache_hit: bool
    llm_s: float
    notes: list[str]


class Extractor:
    """Reusable extraction configuration: backend, model, prompt version and cache."""

    def __init__(self, settings: Settings | None = None, *, http_client: Any = None,
                 **overrides: Any) -> None:
        self.settings = settings or Settings.resolve(**overrides)
        if settings is not None and overrides:
            self.settings = settings.with_(**overrides)
        self.prompt = load_prompt(self.settings.prompt)
        self._http_client = http_client
        self._llm: LLM | None = None
        self._endpoint: str | None = None
        self._lock = threading.Lock()
        self.cache = (CompletionCache(self.settings.cache_path())
                      if self.settings.use_cache else None)

    # ------------------------------------------------------------------ backend
    def _backend(self) -> tuple[LLM, str]:
        """Create the client on first use (starting the embedded server if needed)."""
        with self._lock:
            if self._llm is None:
                s = self.settings
                model, self._endpoint = self._identity()
                base_url = s.base_url
                if s.embedded:
                    server = start_server(s.gguf, n_ctx=s.n_ctx)
                    model, base_url = server.model_name, server.base_url
                self._llm = LLM(
                    model=model,
                    base_url=base_url,
                    api_key=s.api_key,
                    mode=s.mode,
                    timeout=s.timeout,
                    transport_attempts=s.transport_attempts,
                    http_client=self._http_client,
                    compact_json=self._grammar_backend(),
                )
            assert self._endpoint is not None
            return self._llm, self._endpoint

    def model_name(self) -> str:
        return self._backend()[0].model

    # ------------------------------------------------------------------ public
    def extract_articles(self, text: str | bytes, *, published: str | None = None) -> list[Article]:
        """All articles of the input, main first; bad input raises before any LLM call."""
        s = self.settings
        text = check_text(text, max_chars=s.max_chars, chunking=True)
        if published is not None:
            _check_day(published)
        started = time.monotonic()
        articles = []
        for segment in split_articles(text):
            sentences = split_sentences(text, segment)
            if not sentences:
                continue
            results = [self._extract_chunk(text, sentences, window)
                       for window in chunk_sentences(sentences, s.chunk_chars)]
            article = assemble(text, segment, sentences,
                               [r.draft for r in results],  # type: ignore[misc]
                               published=published)
            quarantine_injection(article, sentences)
            for r in results:
                article.notes.extend(r.notes)
            article.meta = self._meta(results, time.monotonic() - started)
            articles.append(article)
            started = time.monotonic()
        return articles

    def extract_article(self, text: str | bytes, *, published: str | None = None) -> Article:
        """The main article of the input (appended "read also" items are left out)."""
        return self.extract_articles(text, published=published)[0]

    async def aextract_articles(self, text: str | bytes, *, published: str | None = None
                                ) -> list[Article]:
        return await asyncio.to_thread(self.extract_articles, text, published=published)

    async def aextract_article(self, text: str | bytes, *, published: str | None = None
                               ) -> Article:
        return await asyncio.to_thread(self.extract_article, text, published=published)

    # ------------------------------------------------------------------ internals
    def _meta(self, results: list[_ChunkResult], latency: float) -> ExtractionMeta:
        usage = Usage()
        for r in results:
            usage.add(r.usage)
        llm = self._llm
        return ExtractionMeta(
            model=llm.model if llm else self._identity()[0],
            base_url=self._endpoint or self._identity()[1],
            mode=self.settings.mode,
            prompt=self.prompt.name,
            prompt_hash=self.prompt.hash,
            schema_hash=SCHEMA_HASH,
            usage=usage,
            attempts=sum(r.attempts for r in results),
            llm_calls=sum(r.llm_calls for r in results),
            cache_hits=sum(r.cache_hit for r in results),
            latency_s=round(latency, 3),
            llm_s=round(sum(r.llm_s for r in results), 3),
            chunks=len(results),
        )

    def _decoding(self) -> dict[str, Any]:
        s = self.settings
        out: dict[str, Any] = {"temperature": s.temperature, "max_tokens": s.max_tokens}
        if s.embedded and s.repeat_penalty:
            out["repeat_penalty"] = s.repeat_penalty
        return out

    def _extract_chunk(self, text: str, sentences: list[Sentence], window: range) -> _ChunkResult:
        chunk = [sentences[i] for i in window]
        first = window.start + 1  # sentence numbers stay global across chunks
        messages = self.prompt.messages(number_sentences(chunk, first))
        lo, hi = chunk[0].start, chunk[-1].end
        ctx = DraftContext(
            sentences=[c.text for c in chunk], text=text, first=first,
            find_name=lambda name: locate(name, text, lo, hi) is not None,
        )
        token = draft_context.set(ctx)
        try:
            if self.prompt.strategy == "single":
                result = self._call(messages, ArticleDraft, ctx)
            else:
                result = self._two_step(messages, ctx)
        finally:
            draft_context.reset(token)
        result.notes.extend(sorted(set(ctx.repairs)))
        return result

    def _two_step(self, messages: list[dict[str, str]], ctx: DraftContext) -> _ChunkResult:
        """Actors first; then claims and meetings, citing only grounded actor ids."""
        # Enum grammars only where the server compiles them (llama.cpp); elsewhere the
        # same prompt runs unconstrained and is validated on the client as always.
        constrain = self.prompt.constrain and self._grammar_backend()
        one = self._call(messages, actors_model(name_candidates(ctx.sentences))
                         if constrain else ActorsDraft, ctx)
        found = ctx.find_name
        grounded, seen = [], set()
        for actor in one.draft.actors:  # type: ignore[attr-defined]
            if actor.id in seen or not any(callable(found) and found(n)
                                           for n in [actor.name, *actor.aliases]):
                continue
            seen.add(actor.id)
            grounded.append(actor)
        ctx.actors = grounded
        said = json.dumps(one.draft.model_dump(mode="json"), ensure_ascii=False,
                          separators=(",", ":"))
        second = self.prompt.step2_messages(messages, said, [(a.id, a.name) for a in grounded])
        try:
            two = self._call(second, events_model([a.id for a in grounded])
                             if constrain else EventsDraft, ctx)
        except ExtractionError as exc:  # step one's tokens were spent too: report them
            exc.usage = _sum_usage(one.usage, Usage(**exc.usage)).model_dump()
            raise
        draft = ArticleDraft.model_construct(
            outlet=one.draft.outlet, dateline=one.draft.dateline,  # type: ignore[attr-defined]
            actors=one.draft.actors, claims=two.draft.claims,  # type: ignore[attr-defined]
            meetings=two.draft.meetings,  # type: ignore[attr-defined]
        )
        return _ChunkResult(draft, _sum_usage(one.usage, two.usage), one.attempts + two.attempts,
                            one.llm_calls + two.llm_calls, one.cache_hit and two.cache_hit,
                            one.llm_s + two.llm_s, one.notes + two.notes)

    def _call(self, messages: list[dict[str, str]], model: type[BaseModel], ctx: DraftContext
              ) -> _ChunkResult:
        """One structured call: cache, then attempts with re-asks and the truncation policy."""
        s = self.settings
        decoding = self._decoding()
        key = None
        if self.cache is not None:
            model_id, endpoint = self._identity()
            key = cache_key(
                model=model_id, endpoint=endpoint, mode=s.mode, prompt=self.prompt.hash,
                schema=_schema_hash(model), decoding=decoding, messages=messages,
            )
            entry = self.cache.get(key)
            if entry is not None:
                draft = _lenient(entry["raw"], ctx, model)
                if draft is not None:
                    return _ChunkResult(draft, Usage(), 0, 0, True, 0.0, [])
                self.cache.drop(key)  # unreadable under the current schema: recompute
        llm, _ = self._backend()
        extra = ({"repeat_penalty": decoding["repeat_penalty"]}
                 if "repeat_penalty" in decoding else None)
        usage, attempts, llm_s = Usage(), 0, 0.0
        max_tokens = s.max_tokens
        reasks, bumped = 0, False
        follow_up: list[dict[str, str]] = []
        errors: list[str] = []
        last: Attempt | None = None
        while True:
            attempts += 1
            last = llm.complete(messages + follow_up, model, max_tokens=max_tokens,
                                temperature=s.temperature, extra_body=extra)
            usage.add(last.usage)
            llm_s += last.seconds
            if last.parsed is not None:
                if key is not None and last.raw:
                    self.cache.put(key, last.raw, usage.model_dump())  # type: ignore[union-attr]
                return _ChunkResult(last.parsed, usage, attempts, attempts, False, llm_s, [])
            errors = last.errors
            if last.finish_reason == "length":
                # Not retried blindly: finished items are kept (a small model that hits
                # the budget is usually looping), and only an output with nothing usable
                # earns one retry with a doubled budget.
                salvaged = _salvage_truncated(last.raw or "", ctx, model)
                if salvaged is not None and (_has_items(salvaged[0]) or bumped):
                    note = (f"output cut at {max_tokens} tokens"
                            + (" (the model repeated itself)" if salvaged[1] else "")
                            + "; items after the cut are lost")
                    return _ChunkResult(salvaged[0], usage, attempts, attempts, False,
                                        llm_s, [note])
                if bumped:
                    raise TruncatedOutputError(
                        f"model output hit max_tokens={max_tokens} twice",
                        attempts=attempts, errors=errors, usage=usage.model_dump(),
                        last_output=last.raw)
                bumped, max_tokens = True, max_tokens * 2
                continue
            if reasks >= s.max_reasks:
                break
            reasks += 1
            follow_up = [
                {"role": "assistant", "content": last.raw or ""},
                {"role": "user", "content": "Your JSON has these problems:\n- "
                 + "\n- ".join(errors) + "\nReturn the whole corrected JSON object."},
            ]
        draft = _lenient(last.raw or "", ctx, model) if last else None
        if draft is None:
            raise ValidationFailedError(
                f"model output failed validation after {attempts} attempts: "
                + "; ".join(errors[:3]),
                attempts=attempts, errors=errors, usage=usage.model_dump(),
                last_output=last.raw if last else None)
        if key is not None and last and last.raw:
            self.cache.put(key, last.raw, usage.model_dump(), salvaged=True)  # type: ignore[union-attr]
        note = f"kept after {reasks} re-asks with problems: " + "; ".join(errors[:5])
        return _ChunkResult(draft, usage, attempts, attempts, False, llm_s, [note])

    def _grammar_backend(self) -> bool:
        s = self.settings
        return s.compact_json if s.compact_json is not None else s.embedded

    def _identity(self) -> tuple[str, str]:
        """(model, endpoint) for cache keys, known without starting a server."""
        s = self.settings
        if s.embedded:
            if s.gguf is None:
                return "embedded", f"embedded:{EMBEDDED_SHA256[:16]}"
            size = s.gguf.stat().st_size if s.gguf.exists() else 0
            return s.gguf.name, f"gguf:{s.gguf.name}:{size}"
        model = s.model or (DEFAULT_OPENAI_MODEL if s.base_url is None else "default")
        return model, s.base_url or "https://api.openai.com/v1"


def _sum_usage(a: Usage, b: Usage) -> Usage:
    total = Usage()
    total.add(a)
    total.add(b)
    return total


def _schema_hash(model: type[BaseModel]) -> str:
    schema = json.dumps(model.model_json_schema(), sort_keys=True)
    return hashlib.sha256(schema.encode()).hexdigest()[:16]


def _lenient(raw: str, ctx: DraftContext, model: type[BaseModel]) -> BaseModel | None:
    """Parse without the grounding checks: item problems are handled by assembly."""
    ctx.strict = False
    try:
        return model.model_validate_json(raw)
    except ValidationError:
        return None
    finally:
        ctx.strict = True


_LIST_LIMITS = {"actors": 12, "claims": 14, "meetings": 6}


def _salvage_truncated(raw: str, ctx: DraftContext, model: type[BaseModel]
                       ) -> tuple[BaseModel, bool] | None:
    """Parse the finished part of a cut-off JSON output; report whether it looped."""
    try:
        data = jiter.from_json(raw.encode(), partial_mode="trailing-strings")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    looped = False
    for field, limit in _LIST_LIMITS.items():
        items = data.get(field)
        if not isinstance(items, list):
            continue
        seen, kept = set(), []
        complete = items[:-1] if field == _last_list(raw) else items  # last may be cut
        for item in complete:
            marker = _item_key(field, item)
            if marker in seen:
                looped = True
                continue
            seen.add(marker)
            kept.append(item)
        data[field] = kept[:limit]
    data = {k: v for k, v in data.items() if k in model.model_fields}
    ctx.strict = False
    try:
        return model.model_validate(data), looped
    except ValidationError:
        return None
    finally:
        ctx.strict = True


def _has_items(draft: BaseModel) -> bool:
    return any(getattr(draft, f, None) for f in _LIST_LIMITS)


def _item_key(field: str, item: object) -> str:
    """What makes two items the same for loop detection (not only byte-identical)."""
    if isinstance(item, dict):
        if field == "actors":
            return "a:" + normalize(str(item.get("name", "")))
        if field == "claims":
            return f"c:{item.get('sentence')}:{sorted(map(str, item.get('speakers') or []))}"
        if field == "meetings":
            return f"m:{item.get('sentence')}:{sorted(map(str, item.get('participants') or []))}"
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


def _last_list(raw: str) -> str | None:
    """Which list the output was inside when it was cut."""
    positions = {f: raw.rfind(f'"{f}"') for f in _LIST_LIMITS}
    best = max(positions, key=lambda f: positions[f])
    return best if positions[best] >= 0 else None


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _check_day(value: str) -> None:
    from .errors import InputError

    if not _DAY.match(value):
        raise InputError(f"published must be YYYY-MM-DD, got {value!r}", reason="published")
