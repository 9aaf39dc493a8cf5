"""The pipeline: text → articles → numbered chunks → LLM (retry, cache) → drafts → records.

`Extractor` holds configuration (backend, model, prompt, cache) for repeated use;
`extract_article` / `extract_articles` in `__init__` are one-call wrappers over it.
This module owns the validation re-ask loop and the truncation policy; transport
retries belong to `llm.py`, grounding to `assemble.py`, what a problem is to
`drafts.py`. Each LLM call's result is typed by the draft it parsed into.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import jiter
from pydantic import BaseModel, ValidationError

from .cues.article import rules_article, unnamed_speech
from .cues.meetings import one_record_each
from .cues.speech import Unnamed
from .errors import (
    CallBudgetError,
    ConfigError,
    ExtractionError,
    ExtractorError,
    InputError,
    ModelUnavailableError,
    TruncatedOutputError,
    ValidationFailedError,
)
from .lang.lexicon import lexicons_hash
from .llm.cache import CompletionCache, cache_key
from .llm.prompts import Message, load_prompt
from .llm.redact import redact_url
from .llm.runtime import EMBEDDED_SHA256, start_server
from .models import Article, ExtractionMeta, Usage, is_date
from .settings import DEFAULT_OPENAI_MODEL, Settings
from .strategies import questions as decide
from .strategies.assemble import assemble, failed_article, quarantine_injection
from .strategies.constrain import actors_model, events_model, name_candidates, names_model
from .strategies.drafts import (
    LIST_LIMITS,
    ActorsDraft,
    Chunk,
    ChunkDraft,
    EventsDraft,
    NamesDraft,
    actor_problems,
    event_problems,
    grounded_actors,
    item_key,
)
from .strategies.questions import Question
from .text.grounding import TextIndex
from .text.inputs import check_text
from .text.segment import (
    Segment,
    Sentence,
    bound_sentences,
    chunk_sentences,
    number_sentences,
    split_articles,
    split_sentences,
)
from .version import package_version

if TYPE_CHECKING:
    from .llm.client import LLM

D = TypeVar("D", bound=BaseModel)
T = TypeVar("T")


@cache
def schema_hash() -> str:
    """Hash of the draft schemas: part of every result's provenance."""
    schemas = [m.model_json_schema() for m in (ActorsDraft, EventsDraft, NamesDraft)]
    return hashlib.sha256(json.dumps(schemas, sort_keys=True).encode()).hexdigest()[:16]


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
class ChunkResult:
    """Both steps of one chunk: the merged draft and what it cost."""

    draft: ChunkDraft
    usage: Usage
    attempts: int
    cache_hit: bool
    llm_s: float
    notes: list[str]


class Extractor:
    """Reusable extraction configuration: backend, model, prompt version and cache.

    Bad settings raise `ConfigError` here, at construction, never at the first call.
    Use it as a context manager (or call `close`) to release the cache.
    """

    def __init__(
        self, settings: Settings | None = None, *, http_client: Any = None, **overrides: Any
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
        self._llm: LLM | None = None
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
    def backend(self) -> LLM:
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
        }

    # ------------------------------------------------------------------ public
    def extract_articles(
        self,
        text: str | bytes,
        *,
        published: str | None = None,
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
        text = check_text(text, max_chars=s.max_chars, chunking=True)
        if published is not None and not (isinstance(published, str) and is_date(published)):
            raise InputError(
                f"published must be a real date as YYYY-MM-DD, got {published!r}",
                reason="published",
            )
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
                on_progress=on_progress,
                reserve=sum(needs[k:]),
            )
            try:
                articles.append(self._article(index, segment, sentences, published, run))
            except (ExtractionError, ModelUnavailableError) as exc:
                first_error = first_error or exc
                articles.append(failed_article(index, segment, exc, time.monotonic() - run.started))
        if first_error is not None and all(a.error is not None for a in articles):
            raise first_error
        return articles

    def _needed(self, sentences: list[Sentence]) -> int:
        """The calls an article cannot do without: one per chunk and step, no re-ask."""
        steps = {"rules": 0, "cues": 1, "two-step": 2}[self.settings.strategy]
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
        s = self.settings
        if s.strategy != "two-step":
            article, results = self._by_cues(index, segment, sentences, published, run)
            article.meta = self._meta(results, time.monotonic() - run.started)
            return article
        windows = chunk_sentences(sentences, s.chunk_chars)
        results = []
        for n, window in enumerate(windows, 1):
            run.chunk, run.chunks = n, len(windows)
            results.append(self._extract_chunk(index, sentences, window, run))
        article = assemble(
            index, segment, sentences, [r.draft for r in results], published=published
        )
        quarantine_injection(article, sentences)
        for r in results:
            article.notes.extend(r.notes)
        article.meta = self._meta(results, time.monotonic() - run.started)
        return article

    def extract_article(
        self,
        text: str | bytes,
        *,
        published: str | None = None,
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
        self, text: str | bytes, *, published: str | None = None, main_only: bool = False
    ) -> list[Article]:
        return await asyncio.to_thread(
            self.extract_articles, text, published=published, main_only=main_only
        )

    async def aextract_article(self, text: str | bytes, *, published: str | None = None) -> Article:
        return await asyncio.to_thread(self.extract_article, text, published=published)

    # ------------------------------------------------------------------ internals
    def _by_cues(
        self,
        index: TextIndex,
        segment: Segment,
        sentences: list[Sentence],
        published: str | None,
        run: Run,
    ) -> tuple[Article, list[ChunkResult]]:
        """The cue strategies: rules alone, or rules over the actors the model names.

        `cues` spends one LLM call per chunk, the actor step of the two-step prompt
        (constrained to the text's own words where the server compiles grammars);
        claims, speakers and meetings come from the cue stages.
        """
        results = []
        windows = chunk_sentences(sentences, self.settings.chunk_chars)
        conversations: list[tuple[list[Message], str]] = []
        if self.settings.strategy == "cues":
            for n, window in enumerate(windows, 1):
                run.chunk, run.chunks = n, len(windows)
                result, conversation = self._actors_chunk(index, sentences, window, run)
                results.append(result)
                conversations.append(conversation)
        else:
            run.at("rules")
        named = [a for r in results for a in r.draft.actors] if results else None
        article = rules_article(index, segment, sentences, published=published, named=named)
        if self.prompt.decide is not None and conversations:
            unnamed = _uncovered(unnamed_speech(index, segment, sentences), article)
            results += self._decide(article, sentences, windows, conversations, run, unnamed)
        if self.prompt.pair is not None and conversations:
            results += self._pair(article, sentences, windows, conversations, run)
        if self.prompt.meet is not None and conversations:
            results += self._meet(article, sentences, windows, conversations, run)
        for r in results:
            for value, name in ((r.draft.outlet, "outlet"), (r.draft.dateline, "dateline")):
                found = index.find(value, segment.start, segment.end) if value else None
                if found is not None and getattr(article, name) is None:
                    setattr(article, name, index.text[found.start : found.end])
            article.notes.extend(r.notes)
        quarantine_injection(article, sentences)
        return article, results

    def _actor_step(
        self,
        index: TextIndex,
        sentences: list[Sentence],
        window: range,
        run: Run,
        *,
        affiliations: bool,
    ) -> tuple[Chunk, list[Message], CallResult[ActorsDraft]]:
        """The chunk, its step-one messages and answer: who is in it (constrained on llama.cpp)."""
        chunk = Chunk(index=index, sentences=[sentences[i] for i in window], first=window.start + 1)
        messages = self.prompt.messages(number_sentences(list(chunk.sentences), chunk.first))
        constrain = self.settings.constrained
        texts = [c.text for c in chunk.sentences]
        names = name_candidates(texts, cross_punctuation=True) if constrain else []
        run.at("actors", run.chunk, run.chunks)
        one = self._call(
            messages,
            actors_model(names) if constrain else ActorsDraft,
            lambda draft: actor_problems(draft, chunk, affiliations=affiliations),
            run,
        )
        return chunk, messages, one

    def _names_step(
        self, index: TextIndex, sentences: list[Sentence], window: range, run: Run
    ) -> tuple[Chunk, list[Message], CallResult[NamesDraft]]:
        """A one-question prompt's call: the chunk's named actors, names and kinds only."""
        chunk = Chunk(index=index, sentences=[sentences[i] for i in window], first=window.start + 1)
        messages = self.prompt.messages(number_sentences(list(chunk.sentences), chunk.first))
        constrain = self.settings.constrained
        names = name_candidates([c.text for c in chunk.sentences]) if constrain else []
        run.at("actors", run.chunk, run.chunks)
        one = self._call(
            messages,
            names_model(names) if constrain else NamesDraft,
            lambda draft: actor_problems(draft.as_actors(), chunk, affiliations=False),
            run,
        )
        return chunk, messages, one

    def _decide(
        self,
        article: Article,
        sentences: list[Sentence],
        windows: list[range],
        conversations: list[tuple[list[Message], str]],
        run: Run,
        unnamed: list[Unnamed],
    ) -> list[ChunkResult]:
        """Per chunk with described or unnamed speakers, one question: which listed actor
        each is.

        Answers are sentence numbers and short ids only.
        """
        offered = decide.choices(article)
        if not offered:
            return []
        seen: set[tuple[bool, int]] = set()

        def pending(window: range) -> list[Question] | None:
            asked = [
                q
                for q in sorted(
                    decide.questions(article, sentences, window)
                    + decide.unnamed_questions(unnamed, window),
                    key=lambda q: q.sentence,
                )
                if (q.unnamed, q.claim) not in seen
            ][: decide.MAX_QUESTIONS]
            seen.update((q.unnamed, q.claim) for q in asked)
            return asked or None

        def answer(
            asked: list[Question], conversation: tuple[list[Message], str]
        ) -> CallResult[Any]:
            one = self._call(
                self.prompt.decide_messages(*conversation, decide.listing(asked, offered)),
                decide.answers_model(asked, [i for i, _ in offered]),
                lambda draft: decide.answer_problems(draft, asked),
                run,
            )
            article.notes.extend(decide.apply(article, asked, one.draft, offered, unnamed))
            return one

        results = self._follow_ups(
            article, "speaker", "described speakers", windows, conversations, run, pending, answer
        )
        if unnamed:  # the unnamed speech a speaker was found for joins in the text's order
            article.claims.sort(key=lambda c: c.span or (0, 0))
        return results

    def _pair(
        self,
        article: Article,
        sentences: list[Sentence],
        windows: list[range],
        conversations: list[tuple[list[Message], str]],
        run: Run,
    ) -> list[ChunkResult]:
        """Per chunk with pair phrases as speakers, one question: which two actors each is."""
        offered = decide.pair_choices(article)
        if len(offered) < 2:
            return []

        def pending(window: range) -> list[Question] | None:
            return decide.pair_questions(article, sentences, window) or None

        def answer(
            asked: list[Question], conversation: tuple[list[Message], str]
        ) -> CallResult[Any]:
            one = self._call(
                self.prompt.pair_messages(*conversation, decide.listing(asked, offered)),
                decide.pair_answers_model(asked, [i for i, _ in offered]),
                lambda draft: decide.pair_problems(draft, asked),
                run,
            )
            article.notes.extend(decide.apply_pairs(article, asked, one.draft, offered))
            return one

        return self._follow_ups(
            article, "pair", "pair speakers", windows, conversations, run, pending, answer
        )

    def _meet(
        self,
        article: Article,
        sentences: list[Sentence],
        windows: list[range],
        conversations: list[tuple[list[Message], str]],
        run: Run,
    ) -> list[ChunkResult]:
        """Per chunk with meetings, one question: is each held or planned, face to face or not."""

        def pending(window: range) -> list[decide.MeetingQuestion] | None:
            return decide.meeting_questions(article, sentences, window) or None

        def answer(
            asked: list[decide.MeetingQuestion], conversation: tuple[list[Message], str]
        ) -> CallResult[Any]:
            one = self._call(
                self.prompt.meet_messages(*conversation, decide.meeting_listing(asked)),
                decide.meeting_answers_model(asked),
                lambda draft: decide.meeting_problems(draft, asked),
                run,
            )
            article.notes.extend(decide.apply_meetings(article, asked, one.draft))
            return one

        results = self._follow_ups(
            article, "meeting", "meetings", windows, conversations, run, pending, answer
        )
        article.meetings = one_record_each(article.meetings)  # statuses may now agree
        return results

    def _follow_ups(
        self,
        article: Article,
        kind: str,
        what: str,
        windows: list[range],
        conversations: list[tuple[list[Message], str]],
        run: Run,
        pending: Callable[[range], T | None],
        answer: Callable[[T, tuple[list[Message], str]], CallResult[Any]],
    ) -> list[ChunkResult]:
        """One optional question per chunk that has something to ask, in its names conversation.

        Continuing the conversation keeps the article in the server's prefix cache.
        These calls never fail the article, nor take a later article's call: with no
        room left under the call cap they are skipped, a failed one is a note, and
        either way the cue stage's reading stands.
        """
        out: list[ChunkResult] = []
        for n, (window, conversation) in enumerate(zip(windows, conversations, strict=True), 1):
            asked = pending(window)
            if asked is None:
                continue
            if run.calls[0] + run.reserve + 1 > self.settings.call_budget:
                article.notes.append(
                    f"{kind} questions skipped: the call cap is spent; {what} stay as the "
                    "cue stage read them"
                )
                break
            run.at(f"{kind}s", n, len(windows))
            try:
                one = answer(asked, conversation)
            except ExtractionError as exc:
                article.notes.append(
                    f"{kind} question of chunk {n} failed ({type(exc).__name__}); "
                    f"{what} stay as the cue stage read them"
                )
                spent = Usage(**exc.usage) if exc.usage else Usage()
                out.append(_result(spent, 0, False, 0.0, []))
                continue
            out.append(_result(one.usage, one.attempts, one.cache_hit, one.llm_s, one.notes))
        return out

    def _actors_chunk(
        self, index: TextIndex, sentences: list[Sentence], window: range, run: Run
    ) -> tuple[ChunkResult, tuple[list[Message], str]]:
        """Who is in this chunk, grounded: a names prompt, or step one of a two-step one.

        Also the conversation so far (messages, the answer as sent back), which the
        speaker question continues.
        """
        one: CallResult[NamesDraft] | CallResult[ActorsDraft]
        if self.prompt.step2 is None:
            chunk, messages, one = self._names_step(index, sentences, window, run)
            actors = one.draft.as_actors()
        else:
            chunk, messages, one = self._actor_step(
                index, sentences, window, run, affiliations=False
            )
            actors = one.draft
        said = json.dumps(
            one.draft.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")
        )
        return ChunkResult(
            draft=ChunkDraft(
                outlet=actors.outlet,
                dateline=actors.dateline,
                actors=grounded_actors(actors, chunk),
            ),
            usage=one.usage,
            attempts=one.attempts,
            cache_hit=one.cache_hit,
            llm_s=one.llm_s,
            notes=one.notes,
        ), (messages, said)

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
        )

    def _decoding(self) -> dict[str, Any]:
        s = self.settings
        out: dict[str, Any] = {"temperature": s.temperature, "max_tokens": s.max_tokens}
        if s.embedded and s.repeat_penalty:
            out["repeat_penalty"] = s.repeat_penalty
        return out

    def _extract_chunk(
        self, index: TextIndex, sentences: list[Sentence], window: range, run: Run
    ) -> ChunkResult:
        """Actors first; then claims and meetings, citing only grounded actor ids.

        Enum grammars only where the server compiles them (llama.cpp); elsewhere the
        same prompt runs unconstrained and is validated on the client as always.
        """
        chunk, messages, one = self._actor_step(index, sentences, window, run, affiliations=True)
        constrain = self.settings.constrained
        grounded = grounded_actors(one.draft, chunk)
        ids = [a.id for a in grounded]
        said = json.dumps(
            one.draft.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")
        )
        second = self.prompt.step2_messages(messages, said, [(a.id, a.name) for a in grounded])
        run.at("claims and meetings", run.chunk, run.chunks)
        try:
            two = self._call(
                second,
                events_model(ids) if constrain else EventsDraft,
                lambda draft: event_problems(draft, ids, chunk),
                run,
            )
        except ExtractionError as exc:  # step one's tokens were spent too: report them
            exc.usage = (one.usage + Usage(**exc.usage)).model_dump()
            raise
        return ChunkResult(
            draft=ChunkDraft(
                outlet=one.draft.outlet,
                dateline=one.draft.dateline,
                actors=one.draft.actors,
                claims=two.draft.claims,
                meetings=two.draft.meetings,
            ),
            usage=one.usage + two.usage,
            attempts=one.attempts + two.attempts,
            cache_hit=one.cache_hit and two.cache_hit,
            llm_s=one.llm_s + two.llm_s,
            notes=one.notes + two.notes,
        )

    def _call(
        self,
        messages: list[Message],
        model: type[D],
        problems: Callable[[D], list[str]],
        run: Run,
    ) -> CallResult[D]:
        """One structured call: cache, then attempts with re-asks and the truncation policy."""
        s = self.settings
        decoding = self._decoding()
        key = None
        if self.cache is not None:
            model_id, endpoint = self.identity()
            key = cache_key(
                model=model_id,
                endpoint=endpoint,
                mode=s.mode,
                prompt=self.prompt.hash,
                schema=_schema_hash(model),
                decoding=decoding,
                messages=messages,
                version=package_version(),
            )
            hit = self.cache.get(key)
            if hit is not None:
                draft = _parse(hit.raw, model)
                if draft is not None:
                    return CallResult(
                        draft=draft, cache_hit=True, notes=[*hit.notes, *_repairs(draft)]
                    )
                self.cache.drop(key)  # unreadable under the current schema: recompute
        counter = run.calls
        llm = self.backend()
        extra = (
            {"repeat_penalty": decoding["repeat_penalty"]} if "repeat_penalty" in decoding else None
        )
        usage, attempts, llm_s = Usage(), 0, 0.0
        max_tokens = s.max_tokens
        reasks, bumped = 0, False
        follow_up: list[Message] = []
        while True:
            if counter[0] >= s.call_budget:
                raise CallBudgetError(
                    f"the input reached the cap of {s.call_budget} LLM calls "
                    "(raise max_calls / --max-calls)",
                    max_calls=s.call_budget,
                    needed=counter[0] + 1,
                    attempts=attempts,
                    usage=usage.model_dump(),
                )
            counter[0] += 1
            attempts += 1
            last = llm.complete(
                messages + follow_up,
                model,
                max_tokens=max_tokens,
                temperature=s.temperature,
                extra_body=extra,
                deadline_at=run.deadline_at,
                on_token=run.tell,
            )
            usage += last.usage
            llm_s += last.seconds
            if last.parsed is not None:
                errors = problems(last.parsed)
                kept = errors and reasks >= s.max_reasks
                if not errors or kept:
                    # Item problems that survive the re-asks are handled by assembly:
                    # grounded items are kept, the rest go to `rejected`.
                    notes = (
                        [f"kept after {reasks} re-asks with problems: " + "; ".join(errors[:12])]
                        if errors
                        else []
                    )
                    if key is not None and self.cache is not None and last.raw:
                        self.cache.put(key, last.raw, usage.model_dump(), notes=notes)
                    return CallResult(
                        draft=last.parsed,
                        usage=usage,
                        attempts=attempts,
                        llm_s=llm_s,
                        notes=[*notes, *_repairs(last.parsed)],
                    )
            elif last.finish_reason == "length":
                # Not retried blindly: finished items are kept (a small model that hits
                # the budget is usually looping), and only an output with nothing usable
                # earns one retry with a doubled budget.
                salvaged = _salvage_truncated(last.raw or "", model)
                if salvaged is not None and (_has_items(salvaged[0]) or bumped):
                    note = (
                        f"output cut at {max_tokens} tokens"
                        + (" (the model repeated itself)" if salvaged[1] else "")
                        + "; items after the cut are lost"
                    )
                    return CallResult(
                        draft=salvaged[0],
                        usage=usage,
                        attempts=attempts,
                        llm_s=llm_s,
                        notes=[note, *_repairs(salvaged[0])],
                    )
                if bumped:
                    raise TruncatedOutputError(
                        f"model output hit max_tokens={max_tokens} twice",
                        attempts=attempts,
                        errors=last.errors,
                        usage=usage.model_dump(),
                        last_output=last.raw,
                    )
                bumped, max_tokens = True, max_tokens * 2
                continue
            else:
                errors = last.errors
                if reasks >= s.max_reasks:
                    raise ValidationFailedError(
                        f"model output failed validation after {attempts} attempts: "
                        + "; ".join(errors[:3]),
                        attempts=attempts,
                        errors=errors,
                        usage=usage.model_dump(),
                        last_output=last.raw,
                    )
            reasks += 1
            follow_up = [
                {"role": "assistant", "content": last.raw or ""},
                {
                    "role": "user",
                    "content": "Your JSON has these problems:\n- "
                    + "\n- ".join(errors)
                    + "\nReturn the whole corrected JSON object.",
                },
            ]


def _uncovered(unnamed: list[Unnamed], article: Article) -> list[Unnamed]:
    """The unnamed speech no claim of the cue stage overlaps (none is read twice)."""
    spans = [c.span for c in article.claims if c.span]
    return [u for u in unnamed if not any(a < u.span[1] and u.span[0] < b for a, b in spans)]


def _result(usage: Usage, attempts: int, hit: bool, llm_s: float, notes: list[str]) -> ChunkResult:
    """A follow-up question's cost, as a chunk result with no records of its own."""
    return ChunkResult(
        draft=ChunkDraft(), usage=usage, attempts=attempts, cache_hit=hit, llm_s=llm_s, notes=notes
    )


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
