"""Cut an input into articles and sentences, keeping offsets into the whole input.

Why code and not the model: an appended "read also" item is the commonest way a
story's actors leak into another, and its markers are plain text. Each article is
extracted on its own, so nothing can leak. Sentences are numbered for the model,
which then cites evidence by number: grounded by construction, and a few output
tokens instead of a copied sentence.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import regex

# A line that starts a block of related items ("Read also", "اقرأ أيضاً", ...).
_MARKER = re.compile(
    r"^\s*(?:[إا]قرأ\s+(?:[أا]يض[اً]+|المزيد)|قد\s+يهمك|ذات\s+صلة|مواضيع\s+ذات\s+صلة"
    r"|read\s+(?:also|more)|see\s+also|related(?:\s+(?:stories|articles|news|coverage))?"
    r"|more\s+on\s+this\s+story)\s*[:：|\-–—]?\s*",
    re.IGNORECASE,
)
# Sentence ends: Latin and Arabic full stops, question/exclamation marks, and the
# Arabic semicolon; a run of closing quotes/brackets stays with its sentence.
# The closing marks after a full stop end the sentence they close (group 1), so a
# quotation that ends with its sentence is closed within it, not dropped between two.
_SENT_END = re.compile(r"(?<=[.!?؟؛…])([\"'”’»)\]]*)\s+|\n+")
_SENT_END_WRAPPED = regex.compile(r"(?<=[.!?؟؛…])([\"'”’»)\]]*)\s+|\n\s*\n\s*|(?<=\n)(?=[ \t]+\S)")
_MIN_BODY_WORDS = 25


@dataclass
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class Segment:
    """One article's place in the input; `excluded` are teaser lines inside it."""

    start: int
    end: int
    excluded: list[tuple[int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        spans.append((pos, pos + len(line.rstrip("\r\n"))))
        pos += len(line)
    return spans


def split_articles(text: str) -> list[Segment]:
    """Split `text` into the main article and appended items that have a body.

    A marker line followed by a headline and prose is a new article; a marker with
    only short headline lines after it (a teaser link) is cut out of the article
    and recorded in `notes`, never silently lost.
    """
    return [_without_credits(text, seg) for seg in _split_articles(text)]


# "[Marina Fang, HuffPost]", "[Reuters]", "[WSJ | Paywall]" closing a paragraph
_CREDIT = re.compile(r"\[([^\[\]\n]{1,100})\][ \t]*$", re.MULTILINE)
_CREDIT_WORDS = re.compile(
    r"(?:[A-Z0-9][\w.&'’-]*|of|the|and|for|on|at)(?:[\s,|]+(?:[A-Z0-9][\w.&'’-]*|of|the|and|for|on|at))*"
)


def _without_credits(text: str, segment: Segment) -> Segment:
    """A segment less the source credits that close its paragraphs.

    Digests credit each item to its author and outlet in brackets; those are where
    the item comes from, not who acts in it, so they are left out like a teaser.
    """
    found = 0
    for m in _CREDIT.finditer(text, segment.start, segment.end):
        if _CREDIT_WORDS.fullmatch(m.group(1).strip()):
            segment.excluded.append((m.start(), m.end()))
            found += 1
    if found:
        segment.excluded.sort()
        segment.notes.append(f"{found} source credit(s) in brackets not extracted")
    return segment


def _split_articles(text: str) -> list[Segment]:
    lines = _lines(text)
    markers = [i for i, (s, e) in enumerate(lines) if _MARKER.match(text[s:e])]
    if not markers:
        return _digest_items(text, lines) or _cut_tail(text, lines, Segment(0, len(text)))
    segments: list[Segment] = []
    main = Segment(0, len(text))
    segments.append(main)
    bounds = markers + [len(lines)]
    current = main
    for k, idx in enumerate(markers):
        block = lines[idx : bounds[k + 1]]
        marker_start, marker_end = block[0]
        line = text[marker_start:marker_end]
        found = _MARKER.match(line)
        inline = line[found.end() :] if found else ""
        body = [(s, e) for s, e in block[1:] if text[s:e].strip()]
        heads = 0
        while heads < len(body) and _is_headline(text[body[heads][0] : body[heads][1]]):
            heads += 1
        words = sum(len(text[s:e].split()) for s, e in body[heads:])
        if not inline.strip() and heads == 1 and words >= _MIN_BODY_WORDS:
            # Marker, one headline, then prose: an appended article of its own.
            current.end = _trim_end(text, current.start, marker_start)
            current = Segment(body[0][0], len(text))
            segments.append(current)
            continue
        # A teaser: the marker line and the headline links right after it.
        end = body[heads - 1][1] if heads and not inline.strip() else marker_end
        teaser = " | ".join(text[marker_start:end].split("\n"))
        current.excluded.append((marker_start, end))
        current.notes.append(f"teaser link not extracted: {teaser.strip()[:200]}")
    segments[-1].end = _trim_end(text, segments[-1].start, len(text))
    return [*segments[:-1], *_cut_tail(text, lines, segments[-1])]


_CUT_MIN_CHARS = 200  # a paragraph this long that stops mid-sentence was cut by a feed
_CUT_MIN = 2  # cut paragraphs that make a tail of teasers
_BODY_BEFORE = 3  # paragraphs of the article itself before its tail


def _cut_tail(text: str, lines: list[tuple[int, int]], segment: Segment) -> list[Segment]:
    """The article, then each paragraph of a tail of teaser leads, as its own article.

    Feeds append the leads of other stories, cut at a character limit ("… وذلك"),
    with no marker and no headline. Such a lead is a long paragraph that stops
    mid-sentence, where an article's own paragraphs end with a full stop. From the
    first cut paragraph to the end, with two cut or more and the article's own body
    before them, every paragraph is a separate item (RECORDS.md §2: an appended item
    with a body is an article); a shorter or punctuated text is left whole.
    """
    paras = [
        (s, e)
        for s, e in lines
        if segment.start <= s
        and e <= segment.end
        and text[s:e].strip()
        and not any(lo <= s < hi for lo, hi in segment.excluded)
    ]
    cut = [k for k, (s, e) in enumerate(paras) if _cut_short(text[s:e])]
    if len(cut) < _CUT_MIN or cut[0] < _BODY_BEFORE:
        return [segment]
    tail = paras[cut[0] :]
    if any(e - s < _CUT_MIN_CHARS // 2 for s, e in tail):
        return [segment]  # a headline or a short line among them: not a run of leads
    segment.end = _trim_end(text, segment.start, tail[0][0])
    note = "appended teaser lead (a paragraph cut short, no marker): an article of its own"
    return [segment, *(Segment(s, e, notes=[note]) for s, e in tail)]


def _cut_short(paragraph: str) -> bool:
    line = paragraph.strip()
    return len(line) >= _CUT_MIN_CHARS and (line[-1].isalpha() or line[-1].isdigit())


# A digest item: a line that opens with a headline in capitals, then its story in
# ordinary case ("VERIZON TO BUY YAHOO FOR $4.83 BILLION The sale is expected …").
_CAPS_WORD = r"[‘'\"“]?[A-Z0-9$][A-Z0-9$.,’'&:%-]*[’'\"”]?"
_ITEM = regex.compile(rf"^\s*(?:{_CAPS_WORD}\s+){{2,}}{_CAPS_WORD}\s*[‘'\"“]?[A-Z][a-z]")
_MIN_ITEMS = 3


def _digest_items(text: str, lines: list[tuple[int, int]]) -> list[Segment]:
    """A newsletter or live blog of capitalized item headlines: one article per item.

    The first item stays with the digest's own header (the main article); every
    later item starts an article of its own. Fewer than three such lines is not a
    digest, and nothing is split.
    """
    starts = [s for s, e in lines if _ITEM.match(text[s:e])]
    if len(starts) < _MIN_ITEMS:
        return []
    bounds = [0, *starts[1:], len(text)]
    segments = []
    for lo, hi in itertools.pairwise(bounds):
        end = _trim_end(text, lo, hi)
        if end > lo:
            segments.append(Segment(lo, end))
    return segments


def _is_headline(line: str) -> bool:
    """A short line that does not end like a sentence: a title or a link."""
    line = line.strip()
    return 0 < len(line) <= 140 and not line.endswith((".", "。", "؟", "?", "!", ":", "،", ","))


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _hard_wrapped(text: str) -> bool:
    """Wire copy wrapped at a fixed width: most lines are 55-80 characters long."""
    lengths = [len(line) for line in text.splitlines() if line.strip()]
    wrapped = sum(55 <= n <= 80 for n in lengths)
    return len(lengths) >= 6 and wrapped >= 0.4 * len(lengths)


def split_sentences(text: str, segment: Segment) -> list[Sentence]:
    """Sentences of a segment, minus excluded ranges, with offsets into `text`.

    A newline ends a sentence, except in hard-wrapped text, where only a blank
    line or an indented line does. A full stop after an abbreviation ("U.S.",
    "Mr.") does not.
    """
    out: list[Sentence] = []
    pieces = _subtract(segment.start, segment.end, segment.excluded)
    pattern = _SENT_END_WRAPPED if _hard_wrapped(text[segment.start : segment.end]) else _SENT_END
    quotes = _QuoteState(text)
    for lo, hi in pieces:
        pos = lo
        for match in pattern.finditer(text, lo, hi):
            if quotes.pause_in_quote(match.start()):
                continue
            _add(text, pos, match.end(1) if match.group(1) is not None else match.start(), out)
            pos = match.end()
        _add(text, pos, hi, out)
    return _join_abbreviations(text, out)


class _QuoteState:
    """Which quotation marks are open at a point of a line, read once, left to right.

    Boundaries come in reading order, so each character is counted once however many
    ".." pauses a hostile line holds; the last closing marks of a line are found once.
    """

    _PAIRS = (("«", "»"), ("“", "”"))

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_start = self.line_end = -1
        self.pos = 0
        self.counts: dict[str, int] = {}
        self.last_close: dict[str, int] = {}

    def pause_in_quote(self, at: int) -> bool:
        """Is the boundary at `at` a ".." pause inside a quotation that closes on its line?

        "«إنه أمر مثير.. إنه أمر جيد»": Arabic writes two stops as a pause; inside one
        quotation it is one statement, not two sentences.
        """
        text = self.text
        if text[max(0, at - 3) : at] == "..." or text[max(0, at - 2) : at] != "..":
            return False
        if text[at : at + 1] in ("\n", "»", "”", '"', "'", "’", ")", "]"):
            return False  # the line or the quotation ends here
        if not self.line_start <= at < self.line_end:
            self.line_start = text.rfind("\n", 0, at) + 1
            found = text.find("\n", at)
            self.line_end = found if found != -1 else len(text)
            self.pos = self.line_start
            self.counts = {m: 0 for m in ("«", "»", "“", "”", '"')}
            self.last_close = {m: text.rfind(m, at, self.line_end) for m in ("»", "”", '"')}
        for mark in self.counts:
            self.counts[mark] += text.count(mark, self.pos, at)
        self.pos = at
        for opening, closing in self._PAIRS:
            if self.counts[opening] > self.counts[closing] and self.last_close[closing] >= at:
                return True
        return self.counts['"'] % 2 == 1 and self.last_close['"'] >= at


_ABBREV = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|Lt|Col|Sgt|St|Jr|Sr|Inc|Co|Corp"
    r"|Ltd|No|vs|Jan|Feb|Aug|Sept|Oct|Nov|Dec|Prof|Gen|Adm|Maj|Capt)\.)$"
)


_LOWER_START = re.compile(r"[a-z]")


def _join_abbreviations(text: str, sentences: list[Sentence]) -> list[Sentence]:
    """Join a sentence cut after an abbreviation, or before a lower-case word, to the next
    one, in linear time.

    The abbreviation test looks at the piece that ends the sentence so far, never
    at the growing joined text, and each joined sentence is sliced once: a text of
    nothing but "U.S. Mr. Dr." costs the same per byte as prose.
    """
    groups: list[list[Sentence]] = []
    for sent in sentences:
        last = groups[-1][-1] if groups else None
        if last and _ABBREV.search(last.text) and "\n\n" not in text[last.end : sent.start]:
            groups[-1].append(sent)
        elif last and _LOWER_START.match(sent.text) and "\n" not in text[last.end : sent.start]:
            groups[-1].append(sent)  # '"… the wall!" he said': no sentence starts in lower case
        else:
            groups.append([sent])
    return [
        group[0]
        if len(group) == 1
        else Sentence(group[0].start, group[-1].end, text[group[0].start : group[-1].end])
        for group in groups
    ]


def _add(text: str, start: int, end: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end]))


def _subtract(lo: int, hi: int, holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    pieces, pos = [], lo
    for s, e in sorted(holes):
        if s > pos:
            pieces.append((pos, min(s, hi)))
        pos = max(pos, e)
    if pos < hi:
        pieces.append((pos, hi))
    return pieces


def bound_sentences(text: str, sentences: list[Sentence], max_chars: int) -> list[Sentence]:
    """Sentences no longer than `max_chars`: an over-long one is cut at spaces.

    A 200 KB line without punctuation is one "sentence"; a chunk is made of whole
    sentences, so without this cut one request would carry all of it, past any
    model's context. Pieces are cut at the last whitespace before the limit (or at
    the limit where there is none) and keep their offsets into `text`.
    """
    if all(len(s.text) <= max_chars for s in sentences):
        return sentences
    out: list[Sentence] = []
    for sent in sentences:
        start = sent.start
        while sent.end - start > max_chars:
            cut = text.rfind(" ", start + max_chars // 2, start + max_chars)
            cut = cut if cut > start else start + max_chars
            _add(text, start, cut, out)
            start = cut
        _add(text, start, sent.end, out)
    return out


def number_sentences(sentences: list[Sentence], first: int = 1) -> str:
    """The article as the model sees it: one numbered sentence per line."""
    return "\n".join(f"[{i}] {s.text}" for i, s in enumerate(sentences, first))


def chunk_sentences(sentences: list[Sentence], max_chars: int, overlap: int = 2) -> list[range]:
    """Windows of sentence indexes, each under `max_chars`, overlapping by `overlap`.

    Long articles exceed a small model's context (and its attention); windows keep
    sentence numbers global, so merging chunk results is a matter of ids and spans.
    """
    if not sentences:
        return []
    chunks: list[range] = []
    start = 0
    while start < len(sentences):
        size, end = 0, start
        while end < len(sentences) and (
            end == start or size + len(sentences[end].text) <= max_chars
        ):
            size += len(sentences[end].text) + 1
            end += 1
        chunks.append(range(start, end))
        if end >= len(sentences):
            break
        start = max(end - overlap, start + 1)
    return chunks
