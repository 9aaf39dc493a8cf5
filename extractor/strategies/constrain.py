"""Constrained decoding: let a small model only write what can be grounded.

On backends that compile JSON schemas into grammars (llama.cpp: the embedded
model), with the `constrain` setting on (its default there): step one's actor
names and aliases must be one of the text's own word n-grams (an enum in the JSON
schema, which llama.cpp/llguidance turns into a grammar), and step two's
speakers, participants and mediators must be one of step one's grounded actor
ids. Hallucinated names and dangling ids become impossible instead of rejected
after the fact. Servers that ignore schema enums still get validated.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, create_model

from .drafts import (
    MAX_ACTORS,
    MAX_ALIASES,
    MAX_CLAIMS,
    MAX_MEDIATORS,
    MAX_MEETINGS,
    MAX_PARTICIPANTS,
    MAX_SPEAKERS,
    ActorDraft,
    ActorsDraft,
    ClaimDraft,
    EventsDraft,
    MeetingDraft,
    NameDraft,
    NamesDraft,
)

_WORD = re.compile(r"\S+")
_EDGE = "\"'“”‘’«»()[]{}<>،,.;:!?؟؛…-–—|/\\*"
_STOPS = "\"'“”‘’«»()[]{}<>،,;:!?؟؛…|/\\*"  # a word ending so ends the name
_OPENERS = '"“‘«([{<'
MAX_WORDS = 6
MAX_CANDIDATES = 6000


def name_candidates(
    sentences: list[str], max_words: int = MAX_WORDS, *, cross_punctuation: bool = False
) -> list[str]:
    """Every run of 1..max_words words in the sentences, trimmed of edge punctuation.

    A run never crosses punctuation ("الحركة، حسبما قال"): a name has none inside it
    but its own dots and hyphens, so such runs are only places for a small model to
    go wrong, and a longer grammar to compile. `cross_punctuation` keeps the older
    candidate list that prompt `v4` was recorded with, so its cassettes still replay.
    """
    seen: dict[str, None] = {}
    for sentence in sentences:
        words = _WORD.findall(sentence)
        for i in range(len(words)):
            for n in range(1, max_words + 1):
                if i + n > len(words):
                    break
                if (
                    (not cross_punctuation)
                    and n > 1
                    and (words[i + n - 2][-1] in _STOPS or words[i + n - 1][0] in _OPENERS)
                ):
                    break
                phrase = " ".join(words[i : i + n]).strip(_EDGE + " ")
                if phrase and len(phrase) <= 80 and any(ch.isalpha() for ch in phrase):
                    seen.setdefault(phrase, None)
                if len(seen) >= MAX_CANDIDATES:
                    return list(seen)
    return list(seen)


def actors_model(candidates: list[str]) -> type[ActorsDraft]:
    """ActorsDraft whose names and aliases can only be phrases of the text."""
    if not candidates:
        return ActorsDraft
    # A type built at run time from the text: `Any` to the type checker.
    phrase: Any = Literal[tuple(candidates)]
    actor: Any = create_model(
        "ActorDraft",
        __base__=ActorDraft,
        name=(phrase, Field(description="name copied exactly from the text")),
        aliases=(list[phrase], Field(default_factory=list, max_length=MAX_ALIASES)),
    )
    return create_model(
        "ActorsDraft",
        __base__=ActorsDraft,
        actors=(list[actor], Field(default_factory=list, max_length=MAX_ACTORS)),
    )


def names_model(candidates: list[str]) -> type[NamesDraft]:
    """NamesDraft whose names can only be phrases of the text."""
    if not candidates:
        return NamesDraft
    phrase: Any = Literal[tuple(candidates)]
    name: Any = create_model(
        "NameDraft",
        __base__=NameDraft,
        name=(phrase, Field(description="name copied exactly from the text")),
    )
    return create_model(
        "NamesDraft",
        __base__=NamesDraft,
        actors=(list[name], Field(default_factory=list, max_length=MAX_ACTORS)),
    )


def events_model(actor_ids: list[str]) -> type[EventsDraft]:
    """EventsDraft whose speakers and participants can only be the given actor ids."""
    if not actor_ids:
        return EventsDraft
    ids: Any = Literal[tuple(actor_ids)]
    claim: Any = create_model(
        "ClaimDraft",
        __base__=ClaimDraft,
        speakers=(list[ids], Field(min_length=1, max_length=MAX_SPEAKERS, description="actor ids")),
    )
    meeting: Any = create_model(
        "MeetingDraft",
        __base__=MeetingDraft,
        participants=(
            list[ids],
            Field(min_length=2, max_length=MAX_PARTICIPANTS, description="actor ids"),
        ),
        mediators=(list[ids], Field(default_factory=list, max_length=MAX_MEDIATORS)),
    )
    return create_model(
        "EventsDraft",
        __base__=EventsDraft,
        claims=(list[claim], Field(default_factory=list, max_length=MAX_CLAIMS)),
        meetings=(list[meeting], Field(default_factory=list, max_length=MAX_MEETINGS)),
    )
