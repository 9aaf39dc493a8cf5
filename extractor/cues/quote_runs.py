"""A quotation of several sentences attributed at its end: '"A. B. C," said X.'

News often opens a paragraph with a quotation of several sentences and names its
speaker only after it closes (in English above all). The sentences before the
attribution have no cue of their own, so they would go on with the previous speaker;
they are the later one's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..lang.lexicon import CLOSE_QUOTES, OPEN_QUOTES
from .rulebook import rule

if TYPE_CHECKING:
    from .speech import SpeechCue


@rule(
    "claims.quotation-attributed-at-its-end",
    stage="claims",
    purpose="'\"A. B. C,\" said X.': the sentences of a quotation that opens its paragraph "
    "and closes before a cue with a named speaker are that speaker's, not the previous one's",
    example='Harbour news\nAnna Berg said the port was closed.\n"The ferries sail. The crews '
    'are ready. Nothing has changed," said Tomas Pell, the harbour master.',
    off=None,
)
def attributed_at_end(
    text: str, sentences: Sequence[tuple[int, int]], out: list[SpeechCue]
) -> list[SpeechCue] | None:
    """The cues with each such run of continuing sentences given the later speaker."""
    by_sentence = {c.sentence: i for i, c in enumerate(out)}
    changed = False
    result = list(out)
    for cue in out:
        if cue.cue is None or cue.speakers[0].span is None or cue.speakers[0].implicit:
            continue
        start, _ = sentences[cue.sentence]
        piece = text[start : cue.cue[0]]
        if piece.lstrip().startswith(OPEN_QUOTES) or not any(q in piece for q in CLOSE_QUOTES):
            continue  # the quotation does not close here before the cue
        run = _run_before(text, sentences, by_sentence, out, cue.sentence)
        for k in run:
            result[k] = dataclasses.replace(out[k], speakers=cue.speakers)
            changed = True
    return result if changed else None


def _run_before(
    text: str,
    sentences: Sequence[tuple[int, int]],
    by_sentence: dict[int, int],
    out: list[SpeechCue],
    n: int,
) -> list[int]:
    """Indices into `out` of the continuing sentences before sentence n, back to the one
    that opens the quotation at its paragraph's start; none if the run is not whole."""
    run: list[int] = []
    m = n - 1
    while m >= 0 and m in by_sentence and out[by_sentence[m]].cue is None:
        between = text[sentences[m][1] : sentences[m + 1][0]]
        if "\n" in between:
            return []
        run.append(by_sentence[m])
        start, end = sentences[m]
        if text[start:end].lstrip().startswith(OPEN_QUOTES):
            paragraph = text.rfind("\n", 0, start) + 1
            return run if not text[paragraph:start].strip() else []
        m -= 1
    return []
