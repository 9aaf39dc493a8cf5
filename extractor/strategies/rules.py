"""The rules-only strategy: the cue stages' article, no model call."""

from __future__ import annotations

from ..cues.article import rules_article
from ..models import Article
from ..text.grounding import TextIndex
from ..text.segment import Segment, Sentence
from .assemble import quarantine_injection
from .calls import Context
from .strategy import ChunkResult


class Rules:
    """Actors, claims and meetings as the lexicons and cue stages read them."""

    calls_per_chunk = 0

    def article(
        self,
        ctx: Context,
        index: TextIndex,
        segment: Segment,
        sentences: list[Sentence],
        published: str | None,
    ) -> tuple[Article, list[ChunkResult]]:
        ctx.run.at("rules")
        article = rules_article(
            index, segment, sentences, published=published, named=None, budget=ctx.run.budget
        )
        quarantine_injection(article, sentences)
        return article, []
