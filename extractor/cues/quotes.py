"""Quotation marks: which characters of a sentence stand inside a quotation — code only.

A quotation may open in one sentence and close sentences later, and a stray mark
('نشرت صحيفة "واشنطن بوست …') opens nothing; the speech stage reads from these
walks whether a sentence continues a quotation and whether a claim is `direct`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..lang.lexicon import OPEN_QUOTES
from .rulebook import rule


def _walk_quotes(
    text: str, depth: int = 0, closes_beyond: bool = False
) -> tuple[list[bool], list[bool], int]:
    """Per character: inside quotation marks, is a quotation mark; and the depth at the end.

    `depth` > 0 means a quotation opened in an earlier sentence is still open. A mark
    that would open a quotation mid-sentence with no closing mark after it is stray
    ('نشرت صحيفة "واشنطن بوست …'): it opens nothing, here or in the sentences after.
    `closes_beyond`: a closing mark follows later in the paragraph, so a quotation
    opened here may go on over several sentences (none is stray).
    """
    inside = [False] * len(text)
    marks = [False] * len(text)
    lead = len(text) - len(text.lstrip())
    last_close = max(text.rfind(m) for m in ("»", "›", "”", '"', "''"))
    i = 0
    while i < len(text):
        mark = "''" if text.startswith("''", i) else text[i]
        opens = mark in ("«", "‹", "„", "“") or (mark in ('"', "''") and not depth)
        if opens and i > lead and last_close < i + len(mark) and not closes_beyond:
            mark = text[i]  # stray: an ordinary character
            inside[i] = depth > 0
            i += 1
            continue
        if mark in ('"', "''"):  # the same mark opens and closes
            depth = 0 if depth else 1
        elif mark in ("«", "‹", "„", "“"):
            depth += 1
        elif mark in ("»", "›", "”"):
            depth = max(0, depth - 1)
        else:
            inside[i] = depth > 0
            i += 1
            continue
        for k in range(i, i + len(mark)):
            marks[k] = True
        i += len(mark)
    return inside, marks, depth


def quoted_share(text: str, depth: int = 0, closes_beyond: bool = False) -> tuple[float, int]:
    """Share of `text`'s visible characters inside quotation marks, and the depth at its end."""
    inside, marks, depth = _walk_quotes(text, depth, closes_beyond)
    visible = [k for k, ch in enumerate(text) if not marks[k] and not ch.isspace()]
    share = sum(inside[k] for k in visible) / len(visible) if visible else 0.0
    return share, depth


def quoted_offsets(text: str, depth: int = 0, closes_beyond: bool = False) -> list[bool]:
    """Per character of `text`: is it inside quotation marks (`depth` > 0: a quote is open)."""
    return _walk_quotes(text, depth, closes_beyond)[0]


def quoted_words(text: str) -> int:
    """Words inside quotation marks in `text` (a scare-quoted word is not a quotation)."""
    best = 0
    for m in re.finditer(r"[«“\"„‹]([^«»“”\"„‹›]{1,400})[»”\"“›]|''(.{1,400}?)''", text):
        inner = m.group(1) or m.group(2) or ""
        best = max(best, len(inner.split()))
    return best


@lru_cache(maxsize=2)
def closes_beyond(text: str) -> tuple[bool, ...]:
    """Per offset: does a closing quotation mark follow before the paragraph ends (one pass).

    Remembered for the last texts: each article of an input asks about the whole input,
    and an input of a thousand articles must not be walked a thousand times.
    """
    out = [False] * (len(text) + 1)
    seen = False
    for i in range(len(text) - 1, -1, -1):
        ch = text[i]
        if ch == "\n":
            seen = False
        elif ch in ("»", "›", "”", '"') or text.startswith("''", i):
            seen = True
        out[i] = seen
    return tuple(out)


@rule(
    "claims.quotation-ends-at-paragraph",
    stage="claims",
    purpose="a quotation left open goes on past a paragraph only if the next one reopens it",
    example='Harbour news\nTomas Pell said the port is safe. "The ferries will sail on Friday.'
    "\nThe crews are ready and the weather is fine.",
    off=False,
)
def paragraph_ends_quotation(between: str, piece: str) -> bool:
    """A paragraph break before the sentence, which opens no quotation of its own."""
    return "\n" in between and not piece.lstrip().startswith(OPEN_QUOTES)


@rule(
    "claims.paragraph-reopens-quotation",
    stage="claims",
    purpose="a quotation that runs over paragraphs reopens each one with an opening mark: "
    "that mark opens the same quotation again, not one inside it, so a cue after its "
    "closing mark is outside",
    example='Harbour news\n"The port is safe," Anna Berg said. "The ferries sail.\n"We are '
    'ready for winter," added Tomas Pell, the harbour master. "The crews are here."',
    off=False,
)
def paragraph_reopens_quotation(between: str, piece: str) -> bool:
    return "\n" in between and piece.lstrip().startswith(OPEN_QUOTES)
