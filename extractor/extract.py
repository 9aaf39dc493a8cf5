"""The pipeline: text → articles → numbered chunks → a strategy → records, under a call cap.

`Extractor` holds configuration (backend, model, prompt, cache) for repeated use;
`extract_article` / `extract_articles` in `__init__` are one-call wrappers over it.
This module owns the per-article loop and the per-input call cap; how an article
is read is its strategy's (`strategies.rules`, `strategies.cues`,
`strategies.two_step`), the model call with its re-asks and truncation policy is
`strategies.calls`, transport retries belong to `llm.client`.
"""

from __future__ import annotations

import asyncio
import datetime
import hashlib
import json
import threading
import time
from collections.abc import Callable
from functools import cache
from types import TracebackType
from typing import Any

from .budget import Budget
from .cues import rulebook
from .errors import (
    CallBudgetError,
    ConfigError,
    ExtractionError,
    ExtractorError,
    InputError,
    ModelUnavailableError,
)
from .lang.lexicon import lexicons_hash
from .llm.cache import CompletionCache
from .llm.prompts import load_prompt
from .llm.redact import redact_url
from .llm.runtime import EMBEDDED_SHA256, start_server
from .models import Article, ExtractionMeta, Usage, is_date
from .settings import DEFAULT_OPENAI_MODEL, Settings
from .strategies.assemble import failed_article
from .strategies.calls import Backend, Context, Progress, Run
from .strategies.cues import Cues
from .strategies.drafts import ActorsDraft, EventsDraft, NamesDraft
from .strategies.rules import Rules
from .strategies.strategy import ChunkResult, Strategy
from .strategies.two_step import TwoStep
from .text.grounding import TextIndex
from .text.inputs import check_text
from .text.segment import (
    Segment,
    Sentence,
    bound_sentences,
    chunk_sentences,
    split_articles,
    split_sentences,
)
from .version import package_version

STRATEGIES: dict[str, Strategy] = {"rules": Rules(), "cues": Cues(), "two-step": TwoStep()}


@cache
def schema_hash() -> str:
    """Hash of the draft schemas: part of every result's provenance."""
    schemas = [m.model_json_schema() for m in (ActorsDraft, EventsDraft, NamesDraft)]
    return hashlib.sha256(json.dumps(schemas, sort_keys=True).encode()).hexdigest()[:16]


Published = str | datetime.date | None


# Dates are resolved by arithmetic on the publication day ("next week", "Monday",
# dateparser's relative base): a day near year 1 or 9999 overflows `datetime.date`
# there, after the LLM calls. Outside these bounds no newspaper was published.
PUBLISHED_MIN = datetime.date(1000, 1, 1)
PUBLISHED_MAX = datetime.date(2999, 12, 31)


def published_day(value: Published) -> str | None:
    """A publication date as YYYY-MM-DD: a `datetime.date` (or datetime: its day) or a
    string naming a real day from 1000 to 2999; anything else is an InputError, before
    any LLM call."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if value is None:
        return None
    if isinstance(value, str) and is_date(value):
        value = datetime.date.fromisoformat(value)
    if not isinstance(value, datetime.date):
        raise InputError(
            f"published must be a real date (YYYY-MM-DD or a datetime.date), got {value!r}",
            reason="published",
        )
    if not PUBLISHED_MIN <= value <= PUBLISHED_MAX:
        raise InputError(
            f"published must be a day from {PUBLISHED_MIN} to {PUBLISHED_MAX}, "
            f"got {value.isoformat()}",
            reason="published",
        )
    return value.isoformat()


class Extractor:
    """Reusable extraction configuration: backend, model, prompt version and cache.

    Bad settings raise `ConfigError` here, at construction, never at the first call.
    `llm` replaces the client made on first use (the batch mode's collecting backend).
    Use it as a context manager (or call `close`) to release the cache.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        http_client: Any = None,
        llm: Backend | None = None,
        **overrides: Any,
    ) -> None:
        if settings is None:
            self.settings = Settings.resolve(**overrides)
        else:
            self.settings = settings.with_(**overrides) if overrides else settings
        self.prompt = load_prompt(self.settings.prompt_name)
        if self.settings.strategy == "two-step" and self.prompt.step2 is None:
            raise ConfigError(
                f"prompt {self.prompt.name!r} asks one question; the two-step strategy "
                "needs a prompt with step2.txt (e.g. v4)"
            )
        self._http_client = http_client
        self._llm: Backend | None = llm  # given: a batch's collecting backend
        self._lock = threading.Lock()
        self.cache = (
            CompletionCache(self.settings.cache_path()) if self.settings.use_cache else None
        )

    def __enter__(self) -> Extractor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()

    # ------------------------------------------------------------------ backend
    def backend(self) -> Backend:
        """The client, created on first use (starting the embedded server if needed)."""
        from .llm.client import LLM  # noqa: PLC0415  (openai and instructor load on first use)

        with self._lock:
            if self._llm is None:
                s = self.settings
                model, _ = self.identity()
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
                    stall_timeout=s.stall_timeout,
                    stream=s.stream,
                    max_response_bytes=s.max_response_bytes,
                    transport_attempts=s.transport_attempts,
                    http_client=self._http_client,
                    compact_json=s.grammar_backend,
                )
            return self._llm

    def identity(self) -> tuple[str, str]:
        """(model, endpoint) for cache keys and run names, known without starting a server."""
        s = self.settings
        if s.strategy == "rules":
            return "rules", f"rules:{lexicons_hash()}"
        if s.embedded:
            if s.gguf is None:
                return "embedded", f"embedded:{EMBEDDED_SHA256[:16]}"
            size = s.gguf.stat().st_size if s.gguf.exists() else 0
            return s.gguf.name, f"gguf:{s.gguf.name}:{size}"
        model = s.model or (DEFAULT_OPENAI_MODEL if s.base_url is None else "default")
        # Redacted: the endpoint goes into meta, run names and cache keys on disk.
        return model, redact_url(s.base_url) if s.base_url else "https://api.openai.com/v1"

    def fingerprint(self) -> dict[str, Any]:
        """Everything that shapes a result, for keying a batch (no secrets, no paths)."""
        s = self.settings
        model, endpoint = self.identity()
        rules = s.strategy == "rules"
        return {
            "model": model,
            "endpoint": endpoint,
            "strategy": s.strategy,
            "mode": "none" if rules else s.mode,
            "prompt": "none" if rules else f"{self.prompt.name}@{self.prompt.hash}",
            "schema": schema_hash(),
            "lexicons": lexicons_hash() if s.strategy != "two-step" else None,
            "constrained": None if rules else s.constrained,
            "max_reasks": None if rules else s.max_reasks,
            "version": package_version(),
            "rules_off": list(s.rules_off) or None,
        }

    # ------------------------------------------------------------------ public
    def extract_articles(
        self,
        text: str | bytes,
        *,
        published: Published = None,
        main_only: bool = False,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> list[Article]:
        """Articles of the input, main first; bad input raises before any LLM call.

        `main_only` extracts the main article alone: appended items cost no call.
        An article whose extraction fails is returned as a failed article (`error`
        set, no items) next to the ones that succeeded, so finished work is never
        thrown away; only when every article fails is the first error raised.
        `on_progress` hears each stage and streamed token, for a progress display.
        """
        s = self.settings
        budget = Budget(s.time_budget)  # the cue stages' time, from here, for the input
        text = check_text(text, max_chars=s.max_chars, chunking=True)
        published = published_day(published)
        index = TextIndex(text)
        segments = split_articles(text)
        segments = segments[:1] if main_only else segments
        plan = [bound_sentences(text, split_sentences(text, g), s.chunk_chars) for g in segments]
        self._check_budget(plan)
        chosen = [(g, sentences) for g, sentences in zip(segments, plan, strict=True) if sentences]
        needs = [self._needed(sentences) for _, sentences in chosen]
        calls = [0]  # LLM calls made for this input, against the per-input cap
        articles: list[Article] = []
        first_error: ExtractorError | None = None
        for k, (segment, sentences) in enumerate(chosen, 1):
            if isinstance(first_error, ModelUnavailableError):  # no backend: do not knock again
                articles.append(failed_article(index, segment, first_error, 0.0))
                continue
            run = Run(
                calls=calls,
                article=k,
                articles=len(chosen),
                deadline_at=time.monotonic() + s.deadline if s.deadline else None,
                budget=budget,
                on_progress=on_progress,
                reserve=sum(needs[k:]),
            )
            try:
                with rulebook.rules_off(s.rules_off):
                    articles.append(self._article(index, segment, sentences, published, run))
            except (ExtractionError, ModelUnavailableError) as exc:
                first_error = first_error or exc
                articles.append(failed_article(index, segment, exc, time.monotonic() - run.started))
        if first_error is not None and all(a.error is not None for a in articles):
            raise first_error
        return articles

    def _needed(self, sentences: list[Sentence]) -> int:
        """The calls an article cannot do without: one per chunk and step, no re-ask."""
        steps = STRATEGIES[self.settings.strategy].calls_per_chunk
        return steps * len(chunk_sentences(sentences, self.settings.chunk_chars))

    def _check_budget(self, plan: list[list[Sentence]]) -> None:
        """Refuse, before any call, an input whose chunk plan alone is over the cap."""
        needed = sum(self._needed(p) for p in plan)
        budget = self.settings.call_budget
        if needed > budget:
            raise CallBudgetError(
                f"the input needs {needed} LLM calls, over the cap of {budget} per input "
                "(raise max_calls / --max-calls, or split the input)",
                max_calls=budget,
                needed=needed,
            )

    def _article(
        self,
        index: TextIndex,
        segment: Segment,
        sentences: list[Sentence],
        published: str | None,
        run: Run,
    ) -> Article:
        ctx = Context(
            settings=self.settings,
            prompt=self.prompt,
            cache=self.cache,
            identity=self.identity,
            backend=self.backend,
            run=run,
        )
        strategy = STRATEGIES[self.settings.strategy]
        article, results = strategy.article(ctx, index, segment, sentences, published)
        article.meta = self._meta(results, time.monotonic() - run.started)
        return article

    def extract_article(
        self,
        text: str | bytes,
        *,
        published: Published = None,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Article:
        """The main article of the input (appended "read also" items are not extracted)."""
        articles = self.extract_articles(
            text, published=published, main_only=True, on_progress=on_progress
        )
        if not articles:
            raise InputError("the input has no sentence to extract from", reason="empty")
        return articles[0]

    async def aextract_articles(
        self, text: str | bytes, *, published: Published = None, main_only: bool = False
    ) -> list[Article]:
        return await asyncio.to_thread(
            self.extract_articles, text, published=published, main_only=main_only
        )

    async def aextract_article(self, text: str | bytes, *, published: Published = None) -> Article:
        return await asyncio.to_thread(self.extract_article, text, published=published)

    def _meta(self, results: list[ChunkResult], latency: float) -> ExtractionMeta:
        model, endpoint = self.identity()
        rules = self.settings.strategy == "rules"
        cued = self.settings.strategy != "two-step"
        return ExtractionMeta(
            model=self._llm.model if self._llm else model,
            base_url=endpoint,
            mode="none" if rules else self.settings.mode,
            prompt="none" if rules else self.prompt.name,
            prompt_hash="none" if rules else self.prompt.hash,
            schema_hash=schema_hash(),
            strategy=self.settings.strategy,
            lexicon_hash=lexicons_hash() if cued else None,
            usage=sum((r.usage for r in results), Usage()),
            attempts=sum(r.attempts for r in results),
            llm_calls=sum(r.attempts for r in results),
            cache_hits=sum(r.cache_hit for r in results),
            latency_s=round(latency, 3),
            llm_s=round(sum(r.llm_s for r in results), 3),
            chunks=max(1, len(results)),
            version=package_version(),
            rules_off=list(self.settings.rules_off),
        )
