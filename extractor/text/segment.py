"""Cut an input into articles and sentences, keeping offsets into the whole input.

Why code and not the model: an appended "read also" item is the commonest way a
story's actors leak into another, and its markers are plain text; so are the other
structures of an input that holds many items (a digest, a live blog, a tail of other
stories' leads). Each article is extracted on its own, so nothing can leak.
Sentences are numbered for the model, which then cites evidence by number: grounded
by construction, and a few output tokens instead of a copied sentence.
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
        if (
            not inline.strip()
            and heads == 1
            and words >= _MIN_BODY_WORDS
            and not _continues(text[body[1][0] : body[1][1]])
        ):
            # Marker, one headline, then prose that does not continue the story above:
            # an appended article of its own. Prose that opens with a connective ("و…")
            # is the story going on, and the marker and headline are a teaser inside it.
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


# --------------------------------------------------------------------------- items
# Where the items of a many-item input begin. A newsletter, a news digest, a live blog
# or a page with the leads of other stories appended is many articles in one input;
# extracted as one, a speaker of one item is credited with the claims of the next. The
# signals are plain structure, in both languages: item headlines in capitals, a
# dateline that repeats, a time stamp on a line of its own, and, in Arabic, how a
# paragraph opens (a story's own paragraphs continue with و، ف، كما …; the lead of
# another story never does). They are text-level facts, kept here as constants: the
# text layer knows no language pack and no cue lexicon.

_CUT_MIN_CHARS = 200  # a paragraph this long that stops mid-sentence was cut by a feed
_CUT_MIN = 2  # cut paragraphs that make a tail of teasers
_BODY_BEFORE = 3  # paragraphs of the article itself before its tail


def _cut_tail(text: str, lines: list[tuple[int, int]], segment: Segment) -> list[Segment]:
    """The article, then each paragraph of a tail of teaser leads, as its own article.

    Feeds append the leads of other stories with no marker and no headline; from
    the first lead to the end, every paragraph is a separate item (RECORDS.md §2: an
    appended item with a body is an article). Two signals find the first lead: a
    paragraph cut short by the feed (`_first_cut`), else a run of paragraphs that
    open as leads do after a body whose paragraphs continue one another
    (`_tail_of_leads`). A text with neither is left whole.
    """
    paras = [
        (s, e)
        for s, e in lines
        if segment.start <= s
        and e <= segment.end
        and text[s:e].strip()
        and not any(lo <= s < hi for lo, hi in segment.excluded)
    ]
    first = _first_cut(text, paras)
    note = "appended teaser lead (a paragraph cut short, no marker): an article of its own"
    if first is None:
        first = _tail_of_leads([text[s:e] for s, e in paras])
        note = "appended lead of another story (no connective, dated, no marker): an article"
    if first is None:
        return [segment]
    tail = paras[first:]
    segment.end = _trim_end(text, segment.start, tail[0][0])
    return [segment, *(Segment(s, e, notes=[note]) for s, e in tail)]


def _first_cut(text: str, paras: list[tuple[int, int]]) -> int | None:
    """The first of a tail of leads cut at a character limit ("… وذلك"), or None.

    Such a lead is a long paragraph that stops mid-sentence, where an article's own
    paragraphs end with a full stop: two cut or more, the article's own body before
    them, and no short line from the first to the end.
    """
    cut = [k for k, (s, e) in enumerate(paras) if _cut_short(text[s:e])]
    if len(cut) < _CUT_MIN or cut[0] < _BODY_BEFORE:
        return None
    if any(e - s < _CUT_MIN_CHARS // 2 for s, e in paras[cut[0] :]):
        return None  # a headline or a short line among them: not a run of leads
    return cut[0]


def _cut_short(paragraph: str) -> bool:
    line = paragraph.strip()
    return len(line) >= _CUT_MIN_CHARS and (line[-1].isalpha() or line[-1].isdigit())


def _digest_items(text: str, lines: list[tuple[int, int]]) -> list[Segment]:
    """A newsletter, digest or live blog (see `_item_starts`): one article per item.

    The first item stays with the digest's own header (the main article). Where
    every item opens with a headline line of its own, a header that is only the
    digest's name ("موجز دوليات") heads no item: it is left out, with a note. Every
    later item starts an article of its own.
    """
    starts = _item_starts(text, lines)
    if not starts:
        return []
    named = _header_is_a_name(text, starts)
    bounds = [starts[0] if named else 0, *starts[1:], len(text)]
    segments = []
    for lo, hi in itertools.pairwise(bounds):
        end = _trim_end(text, lo, hi)
        if end > lo:
            segments.append(Segment(lo, end))
    if named and segments:
        name = " | ".join(line.strip() for line in text[: starts[0]].splitlines() if line.strip())
        segments[0].notes.append(f"digest name not extracted: {name[:200]}")
    return segments


_MIN_ITEMS = 3  # fewer item openings than this is not a digest, and nothing is split

# A digest item: a line that opens with a headline in capitals, then its story in
# ordinary case ("VERIZON TO BUY YAHOO FOR $4.83 BILLION The sale is expected …").
_CAPS_WORD = r"[‘'\"“]?[A-Z0-9$][A-Z0-9$.,’'&:%-]*[’'\"”]?"
_CAPS_ITEM = regex.compile(rf"^\s*(?:{_CAPS_WORD}\s+){{2,}}{_CAPS_WORD}\s*[‘'\"“]?[A-Z][a-z]")

# A dateline that opens an item's paragraph: the place (one to four words), then the
# outlet that filed from it, then the story on the same line. "سيول - «الشرق الأوسط»:
# ذكرت …", "* بيروت – «وكالة»: …", "LONDON (Reuters) - The …". A place and an outlet
# alone on a line ("أبوظبي - سكاي نيوز") is a byline, not an item: text must follow.
_DATELINE = regex.compile(
    r"^\s*(?:[*•▪◦·]\s*)?"
    r"\p{L}[\p{L}.’'/]*(?:(?:[ \t]*[,،][ \t]*|[ \t]+)\p{L}[\p{L}.’'/]*){0,3}[ \t]*"
    r"(?:[-–—]+[ \t]*(?:«[^»\n]{1,40}»|\"[^\"\n]{1,40}\"|\([^)\n]{1,30}\))[ \t]*[:：]"
    r"|\([^)\n]{1,30}\)[ \t]*[-–—]+)"
    r"[ \t]*\S"
)

# A live-blog entry's time on a line of its own: "10:45 a.m.", "3 p.m.:", "Noon".
_TIMESTAMP = regex.compile(
    r"^\s*(?:\d{1,2}(?::\d{2})?\s*[ap]\.?\s?m\.?|noon|midnight)[.:]?\s*$", regex.IGNORECASE
)

# How a paragraph that continues its story opens: a word that carries the conjunction
# و or ف ("وقال", "وفي", "فقد"; not the preposition "في"), or a linking phrase ("كما",
# "بدوره", "من جهته", "في السياق نفسه", "يذكر أن"); in English "And", "But",
# "Meanwhile". The lead of a story never opens so, since nothing comes before it.
_CONNECTIVE = regex.compile(
    r"^\W*(?:"
    r"[وف](?![يى]\b)\p{L}{2,}"
    r"|كما|ثم|أما|لكن\p{L}*|بل|غير\s+أن|إلا\s+أن|بيد\s+أن|بدور\p{L}+"
    r"|من\s+(?:جهت|جانب|ناحيت)\p{L}*|في\s+(?:السياق|سياق|المقابل|حين|غضون|الأثناء"
    r"|الوقت\s+نفسه|هذا|ذلك|إطار|موازاة)|إلى\s+ذلك|بالإضافة|علاوة|يذكر|يشار"
    r"|يأتي\s+ذلك|جاء\s+ذلك|بينما|كذلك|أيضا"
    r"|and|but|yet|meanwhile|however|moreover|besides|in\s+addition|separately"
    r")\b",
    regex.IGNORECASE,
)
# Words whose own first letter is و or ف, and so look like a conjunction: nouns ("وزير
# الخارجية …", "وكالة …") and verbs in the past tense ("وصفت الحكومة …", "وصل الوفد
# …", "فاز المرشح …"). A paragraph that opens with one of them opens as a lead may.
_NOT_CONJUNCTION = regex.compile(
    r"^\W*(?:وزير\p{L}*|وزار\p{L}*|وزراء|وفد|وفود|وكال\p{L}*|واشنطن|وسائل|ولي|ولاي\p{L}*"
    r"|(?:وصف|وصل|وافق|وقع|وقّع|وجه|وجّه|وعد|ورد|وضع|وجد|فاز|فرض|فتح|فشل)(?:ت|وا)?)\b"
)

# A lead dates its event in its first clause: "أعلن الدفاع المدني، الأحد، …",
# "رحبت إسرائيل، السبت، …", "… said on Monday".
_WEEKDAY = regex.compile(
    r"(?:^|[\s،,])(?:يوم\s+|مساء\s+|صباح\s+|فجر\s+|ليل[ةه]\s+)?"
    r"(?:ال(?:سبت|أحد|احد|اثنين|إثنين|ثلاثاء|أربعاء|اربعاء|خميس|جمعة)"
    r"|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)(?=[\s،,.]|$)"
)
_FIRST_CLAUSE = 120  # characters of a paragraph read for its date

_LEADS_MIN = 3  # a tail of leads is three paragraphs or more
_LEAD_MIN_CHARS = 100  # a lead is a full paragraph, not a caption or a credit line
_BODY_PROSE_MIN = 3  # the article's own paragraphs, after its lead, before the tail
_BODY_CONNECTED = 2 / 3  # share of them that open with a connective
_LEADS_DATED = 1 / 3  # share of the tail whose first clause carries a weekday


def _is_headline(line: str) -> bool:
    """A short line that does not end like a sentence: a title or a link."""
    line = line.strip()
    return 0 < len(line) <= 140 and not line.endswith((".", "。", "؟", "?", "!", ":", "،", ","))


def _continues(paragraph: str) -> bool:
    """Does the paragraph open as a story's later paragraph does, with a connective?"""
    return bool(_CONNECTIVE.match(paragraph)) and not _NOT_CONJUNCTION.match(paragraph)


def _item_starts(text: str, lines: list[tuple[int, int]]) -> list[int]:
    """Where the items of a digest or live blog begin, or [] when the text is none.

    Three structures, tried in turn: item headlines in capitals, a dateline that
    opens paragraph after paragraph (each item starting at the headline line right
    above its dateline, where there is one), and a live blog's time stamps on lines
    of their own.
    """
    for starts in (
        [s for s, e in lines if _CAPS_ITEM.match(text[s:e])],
        _dateline_items(text, lines),
        [s for s, e in lines if _TIMESTAMP.match(text[s:e])],
    ):
        if len(starts) >= _MIN_ITEMS:
            return starts
    return []


def _dateline_items(text: str, lines: list[tuple[int, int]]) -> list[int]:
    """Each paragraph that opens with a dateline, from the headline line right above it."""
    filled = [(s, e) for s, e in lines if text[s:e].strip()]
    starts: list[int] = []
    for k, (s, e) in enumerate(filled):
        if not _DATELINE.match(text[s:e]):
            continue
        above = filled[k - 1] if k else None
        taken = bool(starts) and above is not None and starts[-1] == above[0]
        if above and not taken and _is_headline(text[above[0] : above[1]]):
            starts.append(above[0])
        else:
            starts.append(s)
    return starts


def _header_is_a_name(text: str, starts: list[int]) -> bool:
    """Is what precedes the first item only the digest's name, above items with headlines?

    Items that each open with a headline line have titles of their own, so a name
    line above them ("موجز دوليات") is no one's title. A header with prose, or above
    items whose headline runs into their story, stays with the first item.
    """
    heads = [line for line in text[: starts[0]].splitlines() if line.strip()]
    if not heads or not all(_is_headline(line) for line in heads):
        return False
    for start in starts:
        end = text.find("\n", start)
        if not _is_headline(text[start : end if end != -1 else len(text)]):
            return False
    return True


def _tail_of_leads(paragraphs: list[str]) -> int | None:
    """Where a tail of other stories' leads begins, or None when there is none.

    Pages append the opening paragraphs of other stories after an article, with no
    marker and no headline. In Arabic the article's own paragraphs continue one
    another (و، ف، كما، بدوره …) while a lead, being first, opens with its verb or
    its subject and dates its event in its first clause ("أعلن …، الأحد، …"). So: a
    run of three final paragraphs or more, none opening with a connective, a third
    of them or more dated, after a body two thirds of whose paragraphs (its lead
    aside) open with one. An English body does not open its paragraphs so, and is
    never cut here.
    """
    k = len(paragraphs)
    while (
        k
        and len(paragraphs[k - 1].strip()) >= _LEAD_MIN_CHARS
        and not _continues(paragraphs[k - 1])
    ):
        k -= 1
    run = paragraphs[k:]
    prose = [p for p in paragraphs[:k] if not _is_headline(p)][1:]
    if len(run) < _LEADS_MIN or len(prose) < _BODY_PROSE_MIN:
        return None
    if sum(_continues(p) for p in prose) < _BODY_CONNECTED * len(prose):
        return None
    dated = sum(bool(_WEEKDAY.search(p.strip()[:_FIRST_CLAUSE])) for p in run)
    return k if dated >= _LEADS_DATED * len(run) else None


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
    r"|Ltd|No|vs|Jan|Feb|Aug|Sept|Oct|Nov|Dec|Prof|Gen|Adm|Maj|Capt|Sens|Reps|Del|Rev|Amb)\.)$"
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
