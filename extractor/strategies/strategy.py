"""What every strategy is: a way to read one article's records, and what it cost.

`extract.Extractor` picks one by the settings' name, hands it each article with a
`calls.Context` (settings, prompt, the model call, the run) and writes the meta
from the chunk results it gets back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..models import Article, Usage
from ..text.grounding import TextIndex
from ..text.segment import Segment, Sentence
from .calls import Context
from .drafts import ChunkDraft


@dataclass(frozen=True, kw_only=True)
class ChunkResult:
    """Both steps of one chunk: the merged draft and what it cost."""

    draft: ChunkDraft
    usage: Usage
    attempts: int
    cache_hit: bool
    llm_s: float
    notes: list[str]


class Strategy(Protocol):
    """Turns one article (a segment of the input, split into sentences) into records."""

    @property
    def calls_per_chunk(self) -> int:
        """The calls a chunk cannot do without (no re-ask), for the per-input cap."""
        ...

    def article(
        self,
        ctx: Context,
        index: TextIndex,
        segment: Segment,
        sentences: list[Sentence],
        published: str | None,
    ) -> tuple[Article, list[ChunkResult]]:
        """The article's records (meta aside) and each chunk's or question's cost."""
        ...
