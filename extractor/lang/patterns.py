"""Veto patterns as the lexicon writes them: named linguistic exceptions, validated data.

"the center maintains a program" keeps rather than asserts; "a contractor accused of
spying" reports no statement; "Mr. Obama called Naghmeh Abedini." is a telephone
call. Each such exception is an entry of the language pack's `vetoes`, with a name,
a purpose and an example like every named rule, so a linguist adds one by editing
data and the lexicon hash changes with it. `extractor.cues.patterns` matches them.
"""

from __future__ import annotations

import re
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field


class VetoPattern(BaseModel):
    """One veto. It holds at a cue word when every part it gives holds:
    `cue` (the cue's normalized word; a trailing `*` matches a prefix), `next` (the word
    right after the cue, with no punctuation between) and `after` (a regular expression
    matched at the start of the raw text from the cue's end to the sentence's end)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z]+\.[a-z0-9-]+$", description="stage.rule-name")
    purpose: str = Field(min_length=1, description="why the exception exists, one line")
    example: str = Field(min_length=1, description="a sentence the pattern vetoes")
    cue: tuple[str, ...] = Field(min_length=1, description="cue words; `word*` is a prefix")
    next: tuple[str, ...] = Field((), description="the word right after the cue")
    after: str | None = Field(None, description="regex over the text after the cue")

    @cached_property
    def after_pattern(self) -> re.Pattern[str] | None:
        return re.compile(self.after) if self.after else None

    def cue_matches(self, word: str) -> bool:
        return any(word.startswith(c[:-1]) if c.endswith("*") else word == c for c in self.cue)
