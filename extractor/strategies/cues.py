"""The cue strategy: the cue stages' article over the actors the model names, then questions.

Per chunk, one call names the actors (a names prompt, or step one of a two-step
prompt, constrained to the text's own words where the server compiles grammars);
claims, speakers and meetings come from the cue stages. What those leave open
(described, unnamed and pair speakers, a meeting's status) is asked in short
follow-up questions that continue each chunk's names conversation; their
listings, answer models and how answers apply live in `questions`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from ..cues.article import rules_article, unnamed_speech
from ..cues.meetings import one_record_each
from ..cues.speech import Unnamed
from ..errors import ExtractionError
from ..llm.prompts import Message
from ..models import Article, Usage
from ..text.grounding import TextIndex
from ..text.segment import Segment, Sentence, chunk_sentences, number_sentences
from . import questions as decide
from .assemble import quarantine_injection
from .calls import CallResult, Context
from .constrain import name_candidates, names_model
from .drafts import ActorsDraft, Chunk, ChunkDraft, NamesDraft, actor_problems, grounded_actors
from .questions import Question
from .strategy import ChunkResult
from .two_step import actor_step

T = TypeVar("T")

Conversation = tuple[list[Message], str]  # a chunk's names messages, the answer as sent back


class Cues:
    """The cue stages' reading, with the actors the model names and its answers to questions."""

    calls_per_chunk = 1

    def article(
        self,
        ctx: Context,
        index: TextIndex,
        segment: Segment,
        sentences: list[Sentence],
        published: str | None,
    ) -> tuple[Article, list[ChunkResult]]:
        run, prompt = ctx.run, ctx.prompt
        results = []
        windows = chunk_sentences(sentences, ctx.settings.chunk_chars)
        conversations: list[Conversation] = []
        for n, window in enumerate(windows, 1):
            run.chunk, run.chunks = n, len(windows)
            result, conversation = _actors_chunk(ctx, index, sentences, window)
            results.append(result)
            conversations.append(conversation)
        named = [a for r in results for a in r.draft.actors] if results else None
        article = rules_article(
            index, segment, sentences, published=published, named=named, budget=ctx.run.budget
        )
        if prompt.decide is not None and conversations:
            unnamed = _uncovered(unnamed_speech(index, segment, sentences), article)
            results += _decide(ctx, article, sentences, windows, conversations, unnamed)
        if prompt.pair is not None and conversations:
            results += _pair(ctx, article, sentences, windows, conversations)
        if prompt.meet is not None and conversations:
            results += _meet(ctx, article, sentences, windows, conversations)
        for r in results:
            for value, name in ((r.draft.outlet, "outlet"), (r.draft.dateline, "dateline")):
                found = index.find(value, segment.start, segment.end) if value else None
                if found is not None and getattr(article, name) is None:
                    setattr(article, name, index.text[found.start : found.end])
            article.notes.extend(r.notes)
        quarantine_injection(article, sentences)
        return article, results


def _actors_chunk(
    ctx: Context, index: TextIndex, sentences: list[Sentence], window: range
) -> tuple[ChunkResult, Conversation]:
    """Who is in this chunk, grounded: a names prompt, or step one of a two-step one.

    Also the conversation so far (messages, the answer as sent back), which the
    speaker question continues.
    """
    one: CallResult[NamesDraft] | CallResult[ActorsDraft]
    if ctx.prompt.step2 is None:
        chunk, messages, one = _names_step(ctx, index, sentences, window)
        actors = one.draft.as_actors()
    else:
        chunk, messages, one = actor_step(ctx, index, sentences, window, affiliations=False)
        actors = one.draft
    said = json.dumps(one.draft.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))
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


def _names_step(
    ctx: Context, index: TextIndex, sentences: list[Sentence], window: range
) -> tuple[Chunk, list[Message], CallResult[NamesDraft]]:
    """A one-question prompt's call: the chunk's named actors, names and kinds only."""
    chunk = Chunk(index=index, sentences=[sentences[i] for i in window], first=window.start + 1)
    messages = ctx.prompt.messages(number_sentences(list(chunk.sentences), chunk.first))
    constrain = ctx.settings.constrained
    names = name_candidates([c.text for c in chunk.sentences]) if constrain else []
    ctx.run.at("actors", ctx.run.chunk, ctx.run.chunks)
    one = ctx.call(
        messages,
        names_model(names) if constrain else NamesDraft,
        lambda draft: actor_problems(draft.as_actors(), chunk, affiliations=False),
    )
    return chunk, messages, one


def _decide(
    ctx: Context,
    article: Article,
    sentences: list[Sentence],
    windows: list[range],
    conversations: list[Conversation],
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

    def answer(asked: list[Question], conversation: Conversation) -> CallResult[Any]:
        one = ctx.call(
            ctx.prompt.decide_messages(*conversation, decide.listing(asked, offered)),
            decide.answers_model(asked, [i for i, _ in offered]),
            lambda draft: decide.answer_problems(draft, asked),
        )
        article.notes.extend(decide.apply(article, asked, one.draft, offered, unnamed))
        return one

    results = _follow_ups(
        ctx, article, "speaker", "described speakers", windows, conversations, pending, answer
    )
    if unnamed:  # the unnamed speech a speaker was found for joins in the text's order
        article.claims.sort(key=lambda c: c.span or (0, 0))
    return results


def _pair(
    ctx: Context,
    article: Article,
    sentences: list[Sentence],
    windows: list[range],
    conversations: list[Conversation],
) -> list[ChunkResult]:
    """Per chunk with pair phrases as speakers, one question: which two actors each is."""
    offered = decide.pair_choices(article)
    if len(offered) < 2:
        return []

    def pending(window: range) -> list[Question] | None:
        return decide.pair_questions(article, sentences, window) or None

    def answer(asked: list[Question], conversation: Conversation) -> CallResult[Any]:
        one = ctx.call(
            ctx.prompt.pair_messages(*conversation, decide.listing(asked, offered)),
            decide.pair_answers_model(asked, [i for i, _ in offered]),
            lambda draft: decide.pair_problems(draft, asked),
        )
        article.notes.extend(decide.apply_pairs(article, asked, one.draft, offered))
        return one

    return _follow_ups(
        ctx, article, "pair", "pair speakers", windows, conversations, pending, answer
    )


def _meet(
    ctx: Context,
    article: Article,
    sentences: list[Sentence],
    windows: list[range],
    conversations: list[Conversation],
) -> list[ChunkResult]:
    """Per chunk with meetings, one question: is each held or planned, face to face or not."""

    def pending(window: range) -> list[decide.MeetingQuestion] | None:
        return decide.meeting_questions(article, sentences, window) or None

    def answer(asked: list[decide.MeetingQuestion], conversation: Conversation) -> CallResult[Any]:
        one = ctx.call(
            ctx.prompt.meet_messages(*conversation, decide.meeting_listing(asked)),
            decide.meeting_answers_model(asked),
            lambda draft: decide.meeting_problems(draft, asked),
        )
        article.notes.extend(decide.apply_meetings(article, asked, one.draft))
        return one

    results = _follow_ups(
        ctx, article, "meeting", "meetings", windows, conversations, pending, answer
    )
    article.meetings = one_record_each(article.meetings)  # statuses may now agree
    return results


def _follow_ups(
    ctx: Context,
    article: Article,
    kind: str,
    what: str,
    windows: list[range],
    conversations: list[Conversation],
    pending: Callable[[range], T | None],
    answer: Callable[[T, Conversation], CallResult[Any]],
) -> list[ChunkResult]:
    """One optional question per chunk that has something to ask, in its names conversation.

    Continuing the conversation keeps the article in the server's prefix cache.
    These calls never fail the article, nor take a later article's call: with no
    room left under the call cap they are skipped, a failed one is a note, and
    either way the cue stage's reading stands.
    """
    run = ctx.run
    out: list[ChunkResult] = []
    for n, (window, conversation) in enumerate(zip(windows, conversations, strict=True), 1):
        asked = pending(window)
        if asked is None:
            continue
        if run.calls[0] + run.reserve + 1 > ctx.settings.call_budget:
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


def _uncovered(unnamed: list[Unnamed], article: Article) -> list[Unnamed]:
    """The unnamed speech no claim of the cue stage overlaps (none is read twice)."""
    spans = [c.span for c in article.claims if c.span]
    return [u for u in unnamed if not any(a < u.span[1] and u.span[0] < b for a, b in spans)]


def _result(usage: Usage, attempts: int, hit: bool, llm_s: float, notes: list[str]) -> ChunkResult:
    """A follow-up question's cost, as a chunk result with no records of its own."""
    return ChunkResult(
        draft=ChunkDraft(), usage=usage, attempts=attempts, cache_hit=hit, llm_s=llm_s, notes=notes
    )
