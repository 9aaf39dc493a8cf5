"""Who speaks in a transcript: "PENCE: …", "Clinton: …" lines.

A broadcast transcript or a debate excerpt names each turn's speaker before a colon
at the start of its paragraph; a turn runs until the next label. The sentences of a
turn are the labelled speaker's, whatever an earlier "said:" opened.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ..models import Claim
from ..text.normalize import normalize
from ..text.segment import Sentence
from .claims import sentence_claim
from .registry import ActorBook
from .rulebook import rule

# a label of one to three capitalized words, after an optional opening quotation mark
_LABEL = re.compile(r"[\"“‘']?\s*([A-Z][\w.'’-]*(?:[ \u00a0][A-Z][\w.'’-]*){0,2})\s*:\s+\S")


def transcript_speakers(
    text: str, sentences: Sequence[Sentence], book: ActorBook, claims: list[Claim]
) -> list[Claim]:
    """The claims, each inside a labelled turn given the label's speaker."""
    turns = _turns(text, sentences, book)
    if not turns:
        return claims
    out = []
    for claim in claims:
        start = (claim.span or (0, 0))[0]
        who = _speaker_at(turns, start)
        out.append(claim if who is None else claim.model_copy(update={"speakers": [who]}))
    have = {c.span for c in claims}
    for sent in sentences:
        who = _speaker_at(turns, sent.start)
        if who is None or (sent.start, sent.end) in have or len(sent.text.split()) < 3:
            continue
        out.append(sentence_claim(who, sent))
    out.sort(key=lambda c: c.span or (0, 0))
    return out


def _speaker_at(turns: list[tuple[int, int, str]], start: int) -> str | None:
    return next((actor for lo, hi, actor in turns if lo <= start < hi), None)


@rule(
    "claims.transcript-turns",
    stage="claims",
    language="en",
    purpose='a transcript ("WALLACE: …", "PENCE: …", two or more labels of people) gives '
    "each turn's sentences to the person its label names",
    example='Harbour news\nTomas Pell spoke to Anna Berg on Sunday. He said:\n"BERG: Will the '
    'port close?\n"PELL: No, the port stays open.\n"BERG: And the ferries?\n"PELL: They sail.',
    off=None,
)
def _turns(
    text: str, sentences: Sequence[Sentence], book: ActorBook
) -> list[tuple[int, int, str]] | None:
    """(start, end, speaker id) of each labelled turn; None unless it is a transcript.

    A label is a turn when it is used twice or written in capitals, so that "Clinton:
    …" as a one-off headline or "Contributing: …" as a credit is none; a transcript
    has two such labels or more (an interviewer and a guest).
    """
    labels: list[tuple[int, str, tuple[int, int]]] = []
    for line_start in sorted({text.rfind("\n", 0, s.start) + 1 for s in sentences}):
        m = _LABEL.match(text, line_start, line_start + 60)
        if m is not None:
            labels.append((line_start, m.group(1), m.span(1)))
    counts = Counter(label for _, label, _ in labels)
    labels = [lab for lab in labels if counts[lab[1]] >= 2 or lab[1].isupper()]
    stops = book.lex.not_speaker_labels | book.lex.credit_labels  # "UPDATE:", "Source:"
    labels = [lab for lab in labels if normalize(lab[1]) not in stops]
    if len({label for _, label, _ in labels}) < 2:
        return None
    ends = [start for start, _, _ in labels[1:]] + [len(text)]
    return [
        (start, end, book.resolve(span)) for (start, _, span), end in zip(labels, ends, strict=True)
    ]
