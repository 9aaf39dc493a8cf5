"""The two-step strategy: per chunk, the model names the actors, then their claims and meetings.

Step one (`actor_step`) is also the cue strategy's question when its prompt has a
second step; step two cites only the actor ids step one grounded. Drafts become
records in `assemble`.
"""

from __future__ import annotations

import json

from ..errors import ExtractionError
from ..llm.prompts import Message
from ..models import Article, Usage
from ..text.grounding import TextIndex
from ..text.segment import Segment, Sentence, chunk_sentences, number_sentences
from .assemble import assemble, quarantine_injection
from .calls import CallResult, Context
from .constrain import actors_model, events_model, name_candidates
from .drafts import (
    ActorsDraft,
    Chunk,
    ChunkDraft,
    EventsDraft,
    actor_problems,
    event_problems,
    grounded_actors,
)
from .strategy import ChunkResult


class TwoStep:
    """Actors first, then claims and meetings, per chunk; the model reads everything."""

    calls_per_chunk = 2

    def article(
        self,
        ctx: Context,
        index: TextIndex,
        segment: Segment,
        sentences: list[Sentence],
        published: str | None,
    ) -> tuple[Article, list[ChunkResult]]:
        run = ctx.run
        windows = chunk_sentences(sentences, ctx.settings.chunk_chars)
        results = []
        for n, window in enumerate(windows, 1):
            run.chunk, run.chunks = n, len(windows)
            results.append(_extract_chunk(ctx, index, sentences, window))
        article = assemble(
            index, segment, sentences, [r.draft for r in results], published=published
        )
        quarantine_injection(article, sentences)
        for r in results:
            article.notes.extend(r.notes)
        return article, results


def actor_step(
    ctx: Context,
    index: TextIndex,
    sentences: list[Sentence],
    window: range,
    *,
    affiliations: bool,
) -> tuple[Chunk, list[Message], CallResult[ActorsDraft]]:
    """The chunk, its step-one messages and answer: who is in it (constrained on llama.cpp)."""
    chunk = Chunk(index=index, sentences=[sentences[i] for i in window], first=window.start + 1)
    messages = ctx.prompt.messages(number_sentences(list(chunk.sentences), chunk.first))
    constrain = ctx.settings.constrained
    texts = [c.text for c in chunk.sentences]
    names = name_candidates(texts, cross_punctuation=True) if constrain else []
    ctx.run.at("actors", ctx.run.chunk, ctx.run.chunks)
    one = ctx.call(
        messages,
        actors_model(names) if constrain else ActorsDraft,
        lambda draft: actor_problems(draft, chunk, affiliations=affiliations),
    )
    return chunk, messages, one


def _extract_chunk(
    ctx: Context, index: TextIndex, sentences: list[Sentence], window: range
) -> ChunkResult:
    """Actors first; then claims and meetings, citing only grounded actor ids.

    Enum grammars only where the server compiles them (llama.cpp); elsewhere the
    same prompt runs unconstrained and is validated on the client as always.
    """
    run = ctx.run
    chunk, messages, one = actor_step(ctx, index, sentences, window, affiliations=True)
    constrain = ctx.settings.constrained
    grounded = grounded_actors(one.draft, chunk)
    ids = [a.id for a in grounded]
    said = json.dumps(one.draft.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))
    second = ctx.prompt.step2_messages(messages, said, [(a.id, a.name) for a in grounded])
    run.at("claims and meetings", run.chunk, run.chunks)
    try:
        two = ctx.call(
            second,
            events_model(ids) if constrain else EventsDraft,
            lambda draft: event_problems(draft, ids, chunk),
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
