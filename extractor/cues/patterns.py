"""The one matcher of the language pack's veto patterns (`extractor.lang.patterns`).

A veto is data, so its name, purpose and example are listed in `docs/rules.md` with
the coded rules, and switching it off by name works the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..lang.patterns import VetoPattern
from . import rulebook
from .tokens import Token


def veto_at(
    patterns: Sequence[VetoPattern], toks: Sequence[Token], i: int, text: str, sentence_end: int
) -> str | None:
    """The name of the first veto pattern that holds at the cue `toks[i]`, if any."""
    t = toks[i]
    nxt = toks[i + 1].word if i + 1 < len(toks) and not t.after.strip() else ""
    switched_off = rulebook.disabled()
    for p in patterns:
        if p.name in switched_off or not p.cue_matches(t.word):
            continue
        if p.next and nxt not in p.next:
            continue
        after = p.after_pattern
        if after is None or after.match(text[t.end : sentence_end]) is not None:
            return p.name
    return None
