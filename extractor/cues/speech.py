"""The cue stage: which sentences report speech, who speaks, and what kind of quote — code only.

Per sentence, from the lexicon of its language: a reporting verb (قال، أضاف، أكد /
said, told, added …) or an attribution phrase (بحسب، نقلاً عن / according to …), or
quotation marks that continue a speaker's quote; the candidate speaker phrase from
the syntax around the cue (Arabic verb–subject order up to إن/أن/«:»; English
"X said", "said X", "X told Y", "according to X"); `quote` direct when most of the
sentence stands inside quotation marks (RECORDS.md §2). A verb with no subject of
its own ("وأضاف أن", "he added") is `implicit`: the previous speaker's. Relayed
speech ("نقلت رويترز عن مصادر", "X told Reuters") names the relay too.

Nothing here calls a model; a model strategy can take these candidates and decide
only what needs reading.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..lang.lexicon import CLOSE_QUOTES, OPEN_QUOTES, Lexicon
from ..models import QuoteKind, Span
from ..text.normalize import normalize

_EDGE = "\"'“”‘’«»„‹›()[]{}<>،,.;:!?؟؛…-–—|/\\*"
_CLAUSE_END = (",", "،", ";", "؛", ":", "—", "–", "(", ")")
_MIN_QUOTED_WORDS = 3
IMPLICIT_REACH = 8  # sentences back to the speaker an implicit subject continues
PERSONAL = ("he", "she")  # resolved to the person last named, who may not have spoken yet
_BE = frozenset(normalize(w) for w in ("كان", "وكان", "فكان", "كانت", "وكانت", "فكانت"))
_ALREADY = frozenset(normalize(w) for w in ("قد", "وقد"))
_AUXILIARIES = _BE | _ALREADY
_PRONOUN_OBJECTS = frozenset(
    normalize(w) for w in ("فيه", "فيها", "له", "لها", "لهم", "لنا", "لي", "عنه", "عنها")
)


@dataclass(frozen=True)
class Token:
    start: int  # of the word without edge punctuation, in input offsets
    end: int
    word: str  # normalized
    before: str  # punctuation stuck to its left ("«", '"')
    after: str  # punctuation stuck to its right (",", '."', ":")


@dataclass(frozen=True)
class Speaker:
    """A speaker phrase as the text writes it (span), or the previous speaker (implicit)."""

    span: Span | None
    implicit: bool = False
    pronoun: str | None = None  # "he", "she": a subject to resolve, not always the last speaker
    role: Span | None = None  # "المتحدثة باسم الحكومة، فاطمة مهاجراني،": the title before a name


@dataclass(frozen=True)
class SpeechCue:
    """One sentence of reported speech: its cue, speakers (original first, then relay), quote."""

    sentence: int  # index into the article's sentences
    cue: Span | None  # the cue word(s); None for a quote that continues
    speakers: tuple[Speaker, ...]
    quote: QuoteKind


_NOT_SAID = frozenset(normalize(w) for w in ("لم", "ولم", "فلم", "لا", "ولا", "فلا"))  # negated


def tokens(text: str, start: int, end: int) -> list[Token]:
    """Words of text[start:end] with their edge punctuation split off."""
    out = []
    for m in re.finditer(r"\S+", text[start:end]):
        word = m.group()
        # "إسرائيلي:قوله": a colon between letters, its space lost, still ends a word
        cuts = [
            k + 1
            for k in range(1, len(word) - 1)
            if word[k] == ":" and word[k - 1].isalpha() and word[k + 1].isalpha()
        ]
        bounds = [0, *cuts, len(word)]
        for lo, hi in itertools.pairwise(bounds):
            raw = word[lo:hi]
            core = raw.strip(_EDGE)
            if not core:
                continue
            lead = raw.index(core)
            s = start + m.start() + lo + lead
            out.append(
                Token(s, s + len(core), normalize(core), raw[:lead], raw[lead + len(core) :])
            )
    return out


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


def is_verb(word: str, lex: Lexicon, verbs: frozenset[str]) -> bool:
    """`word` is one of `verbs`, possibly with the clitics و/ف and the future س (Arabic)."""
    if word in verbs:
        return True
    if lex.language != "ar":
        return False
    for prefix in ("و", "ف"):
        if word.startswith(prefix) and word[1:] in verbs:
            return True
    if word[:1] == "ل" and word[1:2] in ("ي", "ت") and word[1:] in verbs:
        return True  # "ليقول: «…»", "ليؤكد أن": a present verb after لام, going on
    rest = word[1:] if word[:1] in ("و", "ف") else word
    return rest.startswith("س") and rest[1:] in verbs


class _Sentence:
    def __init__(self, text: str, start: int, end: int, lex: Lexicon) -> None:
        self.text, self.lex = text, lex
        self.toks = tokens(text, start, end)
        self.start, self.end = start, end
        self.headline = False
        self.quoted: list[bool] = []  # per token: inside a quotation

    def mark_quoted(self, depth: int, closes_beyond: bool = False) -> None:
        inside = quoted_offsets(self.text[self.start : self.end], depth, closes_beyond)
        self.quoted = [inside[t.start - self.start] for t in self.toks]

    def phrase_after(self, i: int, max_words: int = 7) -> tuple[Span | None, int]:
        """The speaker phrase right after token i (Arabic order, 'said X', 'according to X')."""
        lex, toks = self.lex, self.toks
        j = i + 1
        if ":" in toks[i].after or (
            j < len(toks)
            and _starts_quote(toks[j])
            and not _wrapped(toks[j])
            and (lex.language != "ar" or _quoted_name(toks, j) is None)
        ):
            return None, j  # "تقول: «…»", 'said: "…"': what follows is the quotation
        if j < len(toks) and is_verb(toks[j].word, lex, lex.reporting_verbs):
            j += 1  # "بحسب ما أكد مصدر": the phrase's own verb is not the speaker
        while j < len(toks) and toks[j].word in _PRONOUN_OBJECTS:
            j += 1  # "نقلت فيه «رويترز»": a pronoun object before the subject
        first = j
        if lex.language == "ar" and j < len(toks) and toks[j].word.startswith(_BE_OBJECT):
            return None, j  # "وغريفيث يقر بالإخفاق": an object, the subject came first
        quoted = lex.language == "ar" and j < len(toks) and not _wrapped(toks[j])
        close = _quoted_name(toks, j) if quoted else None
        if close is not None:  # "ولم توضح «أحرار الشام» …": the quoted name is the subject
            return (toks[j].start, toks[close].end), close + 1
        while j < len(toks) and j - first < max_words:
            t = toks[j]
            if t.word in lex.complementizers or t.word in lex.pronoun_subjects and j == first:
                break
            if j > first and _starts_quote(t) and not _wrapped(t):
                close = _quoted_name(toks, j) if lex.language == "ar" else None
                if close is not None:  # "حركة «أحرار الشام»": the quoted name is the name
                    return (t.start, toks[close].end), close + 1
                break
            if t.word in lex.speaker_stops:
                if t.word == normalize("في") and j > first and j + 1 < len(toks):
                    nxt = toks[j + 1].word
                    owned = {nxt[: -len(e)] for e in ("ه", "ها", "هم", "هما") if nxt.endswith(e)}
                    if (  # "في بيانها": in her statement, no part of the speaker's name
                        nxt not in lex.statement_nouns
                        and not owned & lex.statement_nouns
                        and nxt not in lex.speaker_stops
                    ):
                        j += 1
                        continue
                break
            if lex.language == "ar" and j > first and _relay(t, lex):
                break
            if (
                lex.language == "ar"
                and j > first
                and _object_starts(t.word, self.text[t.start : t.end])
            ):
                break  # "وأقر غريفيث بإخفاق …", "وأضاف كيري والارتياح …": the subject ended
            if lex.language == "ar" and j > first and _object_after_adjective(toks[j - 1], t, lex):
                break  # "وطالب وزير الخارجية اليمني المجتمع الدولي": the object begins
            if (
                lex.language == "ar"
                and j > first
                and t.word[:1] == "و"
                and (t.word[1:] in lex.source_nouns)
            ):
                break  # "مسؤول أمريكي وشخص آخر": a second speaker starts
            if is_verb(t.word, lex, lex.reporting_verbs) and j > first:
                break
            if lex.language == "ar" and j > first and _owned_statement(t.word, lex):
                break  # "واختتم وزير الخارجية تصريحه بأنه …": his statement is the object
            j += 1
            if _ends_clause(t):
                break
        if j == first:
            return None, j
        return (toks[first].start, toks[j - 1].end), j

    def phrase_before(self, i: int, max_words: int = 6) -> Span | None:
        """The noun phrase right before token i ('X said'), skipping auxiliaries."""
        lex, toks = self.lex, self.toks
        j = i - 1
        while j >= 0 and toks[j].word in lex.verb_adverbs and not _ends_clause(toks[j]):
            j -= 1
        last = j
        linked = None  # where the phrase would have stopped but for a linking stop word
        while j >= 0 and last - j < max_words:
            t = toks[j]
            if _ends_clause(t) or t.after.endswith(tuple(CLOSE_QUOTES)):
                linked = None
                break
            if t.word in lex.speaker_stops or t.word in lex.complementizers:
                if not (lex.language == "en" and j and self._links(t, toks[j - 1])):
                    linked = None
                    break  # but "people familiar with her thinking", "Ortiz and Brandt"
                linked = j if linked is None else linked
            if is_verb(t.word, lex, lex.reporting_verbs):
                linked = None
                break
            j -= 1
            if t.before and any(q in t.before for q in OPEN_QUOTES):
                linked = None
                break
        if linked is not None and j >= 0 and last - j >= max_words:
            j = linked  # the linked phrase ran past the limit: keep the part before the link
        first = j + 1
        while first < last and toks[first].word in _AUXILIARIES:
            first += 1  # "وكان الرئيس … قال": the auxiliary is not the speaker
        if j == last:
            return None
        return toks[first].start, toks[last].end

    def _links(self, t: Token, prev: Token) -> bool:
        """An English stop word that continues a speaker phrase after `prev`."""
        if t.word == "and":  # "Ortiz and Brandt said", "families and supporters said"
            named = self.text[prev.start : prev.end][:1].isupper() and not prev.after.strip()
            return named or prev.word in self.lex.source_nouns | self.lex.group_nouns
        return _source_link(prev.word, self.lex)

    def pronoun(self, span: Span | None) -> bool:
        if span is None:
            return False
        words = normalize(self.text[span[0] : span[1]]).split()
        return len(words) == 1 and words[0] in self.lex.pronoun_subjects


_OBJECT_PRONOUNS = ("ته", "هما", "هم", "ها", "ه", "ني", "نا", "كم")  # normalized: ة is ه


def with_object(word: str, lex: Lexicon, verbs: frozenset[str]) -> bool:
    """`word` is one of `verbs` with an object pronoun ("قاله", "أكدته"), in Arabic."""
    return lex.language == "ar" and any(
        word.endswith(end) and len(word) - len(end) >= 3 and is_verb(word[: -len(end)], lex, verbs)
        for end in _OBJECT_PRONOUNS
    )


def _verb_with_object(toks: Sequence[Token], j: int, lex: Lexicon) -> bool:
    """A reporting verb with an object pronoun at token j ("قاله", "أكدته")."""
    return j < len(toks) and with_object(toks[j].word, lex, lex.reporting_verbs)


_BE_OBJECT = tuple(normalize(p) for p in ("بال", "بإ", "باست"))


def _object_starts(word: str, surface: str) -> bool:
    """An Arabic word that cannot continue a subject: a بـ-object or a clause opened by و.

    "باسم" (spokesman *for* …) is the one بـ-word that belongs to a speaker phrase.
    بإ- is read on the `surface`: normalized, it is the با- of "بارز" (prominent) and
    "باراك", which continue a phrase.
    """
    if word == normalize("باسم"):
        return False
    # بال-/بإ-/باست- nouns (بالإخفاق، بإخفاق، باستهداف), not names like "باراك"
    return word.startswith(tuple(normalize(p) for p in ("بال", "باست", "وال"))) or (
        surface.startswith("بإ")
    )


_ADJECTIVES = frozenset(  # definite adjectives that follow a nisba in a title, not objects
    normalize(w)
    for w in (
        "السابق",
        "السابقة",
        "الأسبق",
        "الخاص",
        "الخاصة",
        "الجديد",
        "الجديدة",
        "العام",
        "العامة",
        "الأعلى",
        "الأول",
        "الأولى",
        "الدائم",
        "الدائمة",
        "المقبل",
        "المكلف",
        "المكلفة",
        "المستقيل",
        "المؤقت",
        "البارز",
        "البارزة",
        "الكبير",
        "الكبيرة",
        "الرفيع",
        "الرفيعة",
        "المسؤول",
        "المسؤولة",
        "المطلع",
        "المطلعة",
        "المعني",
        "المنتهية",
        "الأكبر",
        "الحر",
        "الحرة",
    )
)


def _owned_statement(word: str, lex: Lexicon) -> bool:
    """A statement noun with a possessive suffix: "تصريحه", "بيانها" (the lexicon is
    normalized, so a word is its stem plus the suffix; a feminine noun's ة, which
    turns to ت before the suffix, is not undone here)."""
    return any(
        word != word.removesuffix(suffix) and word.removesuffix(suffix) in lex.statement_nouns
        for suffix in ("ه", "ها", "هم", "هما")
    )


def is_nisba(word: str) -> bool:
    """A relational adjective: "اليمني", "الأميركية", "الدوليون" (normalized ة → ه)."""
    return word.endswith(("ي", "يه", "يون", "يين", "يان", "يتان", "يتين"))


def _object_after_adjective(prev: Token, t: Token, lex: Lexicon) -> bool:
    """A definite noun after a title's nisba adjective starts the verb's object.

    "وزير الخارجية اليمني المجتمع الدولي": the title ends with its adjective; a
    definite noun that is neither an adjective nor a title ("الشيخ") opens the object.
    """
    return (
        prev.word.startswith("ال")
        and is_nisba(prev.word)
        and not prev.after.strip()
        and not t.after.strip()  # "الجيش السوري الحر، إبراهيم الجباوي،": a name follows
        and t.word.startswith("ال")
        and not is_nisba(t.word)
        and t.word not in _ADJECTIVES
        and t.word not in lex.title_nouns
    )


def _starts_quote(t: Token) -> bool:
    return any(q in t.before for q in OPEN_QUOTES)


def _wrapped(t: Token) -> bool:
    """A name inside quotation marks («رويترز»), not the start of a quotation."""
    return _starts_quote(t) and any(q in t.after for q in CLOSE_QUOTES)


def _quoted_name(toks: Sequence[Token], j: int, max_words: int = 4) -> int | None:
    """The last token of a short quoted name opening at j («أحرار الشام»), if it is one.

    A quotation runs on or ends its sentence; a quoted name closes within a few words,
    with no comma or full stop inside, and the sentence goes on after it. Arabic
    papers quote names so; in English a short quotation ('said "yes" and left') would
    look the same, so only Arabic reads it as a name.
    """
    if not _starts_quote(toks[j]):
        return None
    for k in range(j, min(j + max_words, len(toks))):
        t = toks[k]
        if any(q in t.after for q in CLOSE_QUOTES):
            rest = t.after.strip("".join(CLOSE_QUOTES))
            return k if k + 1 < len(toks) and not rest else None
        if t.after.strip():
            return None
    return None


def _ends_clause(t: Token) -> bool:
    return any(p in t.after for p in _CLAUSE_END)


def _relay(t: Token, lex: Lexicon) -> bool:
    raw = t.before + t.word
    return any(raw.startswith(p) for p in lex.relay_prefixes) or (
        t.word.startswith("ل") and t.before.startswith("«")
    )


def _match_phrase(toks: Sequence[Token], i: int, phrase: tuple[str, ...], lex: Lexicon) -> bool:
    if i + len(phrase) > len(toks):
        return False
    for k, word in enumerate(phrase):
        have = toks[i + k].word
        if have == word:
            continue
        if k == 0 and lex.language == "ar" and have[:1] in ("و", "ف") and have[1:] == word:
            continue
        # "وفقا لـ" written "وفقا للبيان": the preposition fused with the next word
        if k == len(phrase) - 1 and word in ("ل", "لـ") and have.startswith("ل"):
            continue
        return False
    return True


def sentence_cue(
    text: str,
    start: int,
    end: int,
    lex: Lexicon,
    index: int,
    depth: int = 0,
    headline: bool = False,
    closes_beyond: bool = False,
) -> SpeechCue | None:
    """The reporting cue of one sentence, if it reports speech.

    A `headline` may name its speaker before a colon without a source noun
    ("كيري: يمكن لحلفائنا …", "Kerry: allies can count on us").
    """
    s = _Sentence(text, start, end, lex)
    s.headline = headline
    s.mark_quoted(depth, closes_beyond)
    folded = normalize(text[start:end])
    if any(re.search(rf"(?<!\w){re.escape(c)}(?!\w)", folded) for c in lex.not_claim_cues):
        return None
    found = _find_cue(s)
    if found is None:
        return None
    cue, speakers = found
    kind = _quote_kind(text, start, end, depth, cue, speakers, closes_beyond)
    return SpeechCue(index, cue, speakers, kind)


def _second_clause(s: _Sentence, i: int, found: tuple[Speaker, ...]) -> bool:
    """Is verb `i` a ", but he denied" clause after a participle of speech that opens
    the first statement ("X veered close to it, saying A, but he denied B")?"""
    toks = s.toks
    if not (len(found) == 1 and found[0].pronoun in PERSONAL and i >= 3):
        return False
    if toks[i - 2].word not in ("but", "and") or "," not in toks[i - 3].after:
        return False
    return any(
        is_verb(toks[k].word, s.lex, s.lex.continuation_verbs) and "," in toks[k - 1].after
        for k in range(1, i - 2)
    )


def _quote_kind(
    text: str,
    start: int,
    end: int,
    depth: int,
    cue: Span | None,
    speakers: tuple[Speaker, ...],
    closes_beyond: bool = False,
) -> QuoteKind:
    """Direct when most of the statement (the sentence less its attribution) is quoted."""
    marks = [s.span for s in speakers if s.span is not None] + ([cue] if cue else [])
    piece = text[start:end]
    if marks:
        lo = min(m[0] for m in marks) - start
        hi = max(m[1] for m in marks) - start
        rest = piece[:lo] + " " + piece[hi:]
        if len(rest.split()) >= _MIN_QUOTED_WORDS:
            piece = rest
    share, _ = quoted_share(piece, depth, closes_beyond)
    return "direct" if share >= 0.5 else "indirect"


def _find_cue(s: _Sentence) -> tuple[Span | None, tuple[Speaker, ...]] | None:
    """(cue span, speakers) of the first reporting cue of a sentence that has a speaker."""
    lex = s.lex
    toks = s.toks
    for i, t in enumerate(toks):
        if s.quoted and s.quoted[i]:
            continue  # "«…قلت لهم…»": a verb inside a quotation is the quoted words, not a cue
        for phrase in lex.attribution_phrases:
            if _match_phrase(toks, i, phrase, lex):
                k = i + len(phrase) - 1
                fused = toks[k].word != phrase[-1]  # "وفقا لمسؤول": ل fused to the speaker
                after, j = s.phrase_after(k - 1 if fused else k, max_words=8)
                if after is not None and fused:
                    after = (after[0] + 1, after[1])
                if after is None and _verb_with_object(toks, k + 1, lex):
                    # "بحسب ما قاله": the sentence's own subject said it, named before
                    return (t.start, toks[k].end), (Speaker(None, implicit=True),)
                if after is not None and not s.pronoun(after):
                    cue = (t.start, toks[k].start + 1 if fused else toks[k].end)
                    speakers = [Speaker(after)]
                    if lex.language == "ar" and j < len(toks) and toks[j].word[:1] == "و":
                        second, _ = s.phrase_after(j - 1, max_words=6)
                        if second is not None:  # "وشخص آخر مطلع"
                            speakers.append(Speaker((second[0] + 1, second[1])))
                    return cue, tuple(speakers)
        if not is_verb(t.word, lex, lex.reporting_verbs):
            continue
        if lex.language == "en" and i and s.text[t.start].isupper():
            continue  # "the United States", "Claims Court": a name, not a verb
        if lex.language == "en" and i and "," in toks[i - 1].after and t.word.endswith("ing"):
            continue  # ", saying the port …": a participle does not invert; see below
        nxt = toks[i + 1].word if i + 1 < len(toks) and not t.after.strip() else ""
        if lex.language == "en" and _no_statement(s, i):
            continue  # "A reporter asked: Did they …?", "Mr. Obama called Naghmeh Abedini."
        if lex.language == "en" and (nxt in _REPORTS_NOTHING or (nxt, t.word) == ("of", "accused")):
            continue  # "she has said little about it", "a contractor accused of spying"
        if lex.language == "en" and t.word == "added" and _added_noun(s, i):
            continue  # "has given added fuel to the argument": an adjective
        if lex.language == "en" and t.word.startswith("maintain") and nxt in ("a", "an"):
            continue  # "the center maintains a program": keeps, not asserts
        if i and toks[i - 1].word in lex.relative_pronouns and not _ends_clause(toks[i - 1]):
            continue  # "الاتفاق الذي أعلن عنه", "the deal that was announced": not a source
        if lex.language == "ar" and i and toks[i - 1].word in _NOT_SAID:
            continue  # "ولم توضح «أحرار الشام» فحوى المفاوضات": what was not said
        found = _arabic_speakers(s, i) if lex.language == "ar" else _english_speakers(s, i)
        if found and lex.language == "en" and _second_clause(s, i, found):
            break  # "X …, saying A, but he denied B": the participle states A first
        if found:
            return (t.start, t.end), found
    for i, t in enumerate(toks):
        if is_verb(t.word, lex, lex.continuation_verbs):  # "مضيفاً:", "saying, ..."
            if lex.language == "en" and i and "," in toks[i - 1].after:
                # "Shultz has been more guarded, saying that …": the sentence's subject
                subject = _subject_name(s, i)
                if subject is not None and not s.pronoun(subject):
                    return (t.start, t.end), (Speaker(subject),)
            return (t.start, t.end), (Speaker(None, implicit=True),)
    colon = _colon_speaker(s)
    if colon is not None:
        return None, colon
    return None


def _conjuncts(s: _Sentence, span: Span) -> list[Span]:
    """ "Lena Ortiz and Ana Brandt said": each of the two speaks.

    Only a whole phrase splits: one cut short by the word limit ("… Agency and 14
    national organizations") may begin inside a name; nor does one with a pronoun.
    """
    k = next((n for n, t in enumerate(s.toks) if t.start == span[0]), 0)
    prev = s.toks[k - 1] if k else None
    if prev is not None and s.text[prev.start : prev.end][:1].isupper() and not _ends_clause(prev):
        return [span]
    parts: list[Span] = []
    start = span[0]
    for m in re.finditer(r"\s+and\s+", s.text[span[0] : span[1]]):
        parts.append((start, span[0] + m.start()))
        start = span[0] + m.end()
    parts.append((start, span[1]))
    named = [p for p in parts if p[0] < p[1] and not s.pronoun(p)]
    return named if len(named) == len(parts) else [span]


_SOURCE_ADJECTIVES = frozenset(("familiar", "close", "briefed", "knowledgeable", "involved"))


def _source_link(word: str, lex: Lexicon) -> bool:
    """A preposition after this word continues a source's description: "close to"."""
    return word in _SOURCE_ADJECTIVES or word in lex.source_nouns or word in lex.group_nouns


# what may follow "added" when it reports speech: "he added that", "added the talks …"
_AFTER_ADDED = frozenset(
    [
        "that",
        "the",
        "a",
        "an",
        "this",
        "these",
        "those",
        "it",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "there",
        "his",
        "her",
        "their",
        "its",
        "our",
        "my",
        "your",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "later",
        "also",
        "however",
        "then",
        "now",
        "only",
        "even",
    ]
)


def _added_noun(s: _Sentence, i: int) -> bool:
    """Is "added" at token `i` an adjective before its noun ("added fuel", "added
    pressure"), not the verb of "he added the talks would go on"?"""
    toks = s.toks
    if i + 1 >= len(toks) or toks[i].after.strip():
        return False  # 'he added: "…"', 'he added, "…"'
    nxt = toks[i + 1]
    raw = s.text[nxt.start : nxt.end]
    return raw[:1].islower() and nxt.word not in _AFTER_ADDED and not nxt.word.endswith("ly")


_REPORTS_NOTHING = frozenset(("little", "nothing", "much", "less", "more"))  # "said little"
# "called Naghmeh Abedini.", "called Mr. Haddad on Sunday": a person, then the end
_PHONED = re.compile(
    r"\s+(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}"
    r"(?:\s+(?:on|last|this)\s+\w+|\s+(?:yesterday|today))?\s*[.!]?\s*$"
)


def _no_statement(s: _Sentence, i: int) -> bool:
    """An English verb of speech that here reports no statement.

    "asked" in a sentence that ends in a question mark asks, and a question is no
    claim; "called" with only a person after it (and when) is a telephone call, not
    "called the deal a disaster".
    """
    t = s.toks[i]
    if t.word in ("asked", "asks", "ask"):
        return s.text[s.start : s.end].rstrip().rstrip("\"”'’").endswith("?")
    if t.word in ("called", "calls", "call"):
        return _PHONED.match(s.text[t.end : s.end]) is not None
    return False


def _apposition(s: _Sentence, j: int, max_words: int = 4) -> Span | None:
    """The name set off by commas right after a title: "وزير الخارجية، أيمن الصفدي، إن".

    Token j starts the candidate; it is a name when it ends at a comma within
    `max_words` and holds no stop word, verb, quotation or preposition-led word.
    """
    lex, toks = s.lex, s.toks
    for k in range(j, min(j + max_words, len(toks))):
        t = toks[k]
        if (
            t.word in lex.speaker_stops
            or t.word in lex.complementizers
            or is_verb(t.word, lex, lex.reporting_verbs)
            or _starts_quote(t)
            or any(ch.isdigit() for ch in t.word)
            or (k == j and t.word[:1] in ("ب", "ل", "ك") and t.word[1:3] == "ال")
        ):
            return None
        if _ends_clause(t):
            return (toks[j].start, t.end) if "،" in t.after or "," in t.after else None
    return None


_TITLE_LINKS = frozenset(normalize(w) for w in ("إلى", "في", "لدى"))


def _auxiliary_subject(s: _Sentence, i: int, max_words: int = 9) -> Span | None:
    """The subject that كان puts before the verb: "وكان كيري قال لـ…", "مصدر … كان قد نفى".

    With كان the subject comes between it and the verb, or before كان itself when
    only قد follows it; what follows the verb is then an addressee or the statement.
    """
    lex, toks = s.lex, s.toks
    verb = toks[i].word.lstrip("وف")
    if verb not in lex.reporting_verbs:
        return None  # "كانت إيران ستقول": a future under كان is what would be said

    def stop(t: Token) -> bool:
        return (
            t.word in lex.complementizers
            or t.word in lex.relative_pronouns
            or (t.word in lex.speaker_stops and t.word not in _ALREADY | {normalize("في")})
            or is_verb(t.word, lex, lex.reporting_verbs)
            or _starts_quote(t)
            and not _wrapped(t)
            or any(p in t.after for p in (".", ":", "؛", ";", "(", ")", "—", "–"))
        )

    a = i - 1
    while a >= 0 and i - a <= max_words + 2 and toks[a].word not in _BE:
        if stop(toks[a]):
            return None
        a -= 1
    if a < 0 or i - a > max_words + 2:
        return None
    inner = [k for k in range(a + 1, i) if toks[k].word not in _ALREADY]
    if inner:
        return toks[inner[0]].start, toks[inner[-1]].end
    if i - a < 2:
        return None  # "كان قال": no قد, no subject between: the usual order follows
    first = a  # "مصدر … كان قد نفى": only قد between, the subject stands before كان
    while first > 0 and a - first < max_words:
        t = toks[first - 1]
        if _ends_clause(t) or t.after.endswith(tuple(CLOSE_QUOTES)) or stop(t):
            break
        first -= 1
    opened = (
        first == 0 or _ends_clause(toks[first - 1]) or (toks[first - 1].word in lex.complementizers)
    )
    if first == a or not opened:
        return None
    return toks[first].start, toks[a - 1].end


_DUAL_ENDINGS = (("تا", "ه"), ("تان", "ه"), ("تين", "ه"), ("ان", ""), ("ا", ""))


def _dual_head(word: str, lex: Lexicon) -> bool:
    """An Arabic dual of a kind or title noun: "حركتا", "الحركتان", "الرئيسان", "وزيرا"."""
    bare = word.lstrip("وف").removeprefix("ال")
    nouns = lex.organization_nouns | lex.title_nouns
    for ending, singular in _DUAL_ENDINGS:
        if len(bare) > len(ending) + 1 and bare.endswith(ending):
            stem = bare[: -len(ending)] + singular
            if stem in nouns or "ال" + stem in nouns:
                return True
    return False


def _dual_conjuncts(s: _Sentence, span: Span) -> list[Span]:
    """ "حركتا حماس والجهاد الإسلامي", "الرئيسان بوتين وأردوغان": two speakers, each named.

    Only after a dual kind or title noun, and only where both parts are names: in
    "وزيرا الخارجية الأمريكي والروسي" the second part is an adjective, no name.
    """
    lex = s.lex
    toks = [t for t in s.toks if span[0] <= t.start and t.end <= span[1]]
    if len(toks) < 2 or not _dual_head(toks[0].word, lex):
        return [span]
    rest = [t for t in s.toks if t.start >= span[1]]
    if len(toks) == 2 and rest and rest[0].word.startswith("و") and not _ends_clause(toks[-1]):
        # "قال الرئيسان الحداد والخطيب": the phrase stopped at "وال…", a new clause's
        # start elsewhere, here the second name
        for t in rest[:2]:
            if (
                t.word in lex.complementizers
                or t.word in lex.speaker_stops
                or is_verb(t.word, lex, lex.reporting_verbs)
            ):
                break
            toks.append(t)
            if _ends_clause(t) or t.after.strip():
                break
    if len(toks) < 3:
        return [span]
    joins = [
        k for k in range(2, len(toks)) if toks[k].word.startswith("و") and len(toks[k].word) > 2
    ]
    if len(joins) != 1:
        return [span]
    k = joins[0]
    first, second = toks[1:k], toks[k:]
    if len(first) > 3 or len(second) > 3 or any(is_nisba(t.word) for t in second[:1]):
        return [span]
    return [(first[0].start, first[-1].end), (second[0].start + 1, second[-1].end)]


_RELATIVE_GENDER = {normalize("التي"): "f", normalize("الذي"): "m"}
_PREPOSITIONS = frozenset(
    normalize(w) for w in ("من", "في", "إلى", "على", "عن", "مع", "بين", "لدى")
)


def _relative_head(s: _Sentence, i: int, max_words: int = 3) -> Span | None:
    """The subject a coordinated verb continues from a relative clause of speech.

    "… من طهران التي تحدثت عن مبادرة …، وقالت إنها …": "وقالت" has no subject of its
    own; it goes on from "تحدثت", whose subject is the noun "التي" follows. The
    relative pronoun must agree with the verb (التي with قالت, الذي with قال) and be
    followed by a verb of speech; the noun runs back to a stop word or punctuation.
    """
    lex, toks = s.lex, s.toks
    verb = toks[i].word.lstrip("وف")
    gender = "f" if verb.endswith("ت") else "m"
    for r in range(i - 2, 0, -1):
        t = toks[r]
        if _RELATIVE_GENDER.get(t.word) != gender:
            continue
        speech = lex.reporting_verbs | lex.speaking_verbs
        if not is_verb(toks[r + 1].word, lex, speech) or _ends_clause(toks[r - 1]):
            return None
        first = r - 1
        while first > 0 and r - first < max_words:
            prev = toks[first - 1]
            if (
                _ends_clause(prev)
                or prev.word in lex.speaker_stops
                or prev.word in _PREPOSITIONS
                or is_verb(prev.word, lex, lex.reporting_verbs | lex.meeting_triggers)
            ):
                break
            first -= 1
        return toks[first].start, toks[r - 1].end
    return None


def _arabic_speakers(s: _Sentence, i: int) -> tuple[Speaker, ...]:
    """Verb–subject order: the phrase after the verb, up to إن/أن/«:» or a stop word."""
    toks = s.toks
    before = _auxiliary_subject(s, i)
    if before is not None:
        speakers = [Speaker(part) for part in _dual_conjuncts(s, before)]
        relay = _addressee(s, i + 1)
        if relay is not None:
            speakers.append(Speaker(relay))
        if _relayed(s, i):
            original, _ = s.phrase_after(i + 1)
            if original is not None:
                speakers.insert(0, Speaker(original))
        return tuple(speakers)
    phrase, j = s.phrase_after(i, max_words=9)
    if phrase is not None and j < len(toks) and _ends_clause(toks[j - 1]):
        name = _apposition(s, j)
        if name is not None and ("،" in toks[j - 1].after or "," in toks[j - 1].after):
            return (Speaker(name, role=phrase),)
    elif phrase is not None and j < len(toks):
        # "المبعوث الأممي لسوريا، ستيفان دي ميستورا،", "… إلى سوريا، …": the title's
        # one-word complement, then the name set off by commas
        k = j + 1 if toks[j].word in _TITLE_LINKS else j
        if (
            k + 1 < len(toks)
            and ("،" in toks[k].after or "," in toks[k].after)
            # "قال المتحدث لرويترز، …" is a relay; "المبعوث الدولي لليمن، …" a complement
            and (toks[k].word.startswith("لل") or not _relay(toks[k], s.lex))
        ):
            name = _apposition(s, k + 1)
            if name is not None:
                return (Speaker(name, role=(phrase[0], toks[k].end)),)
    if phrase is None:
        # Subject first ("مصادر قريبة من طهران أوضحت أن"): only for a verb without و/ف,
        # which would start a new clause whose subject is the previous speaker.
        word = s.toks[i].word
        going_on = word[:1] in ("و", "ف") or (word[:1] == "ل" and word not in s.lex.reporting_verbs)
        before = s.phrase_before(i) if not going_on else None
        if before is not None:
            return tuple(Speaker(part) for part in _dual_conjuncts(s, before))
        head = _relative_head(s, i)
        if head is not None:
            return (Speaker(head),)
        return (Speaker(None, implicit=True),)
    speakers = [Speaker(part) for part in _dual_conjuncts(s, phrase)]
    relay = _addressee(s, j)
    if relay is not None:  # "وقال القنصل لـ«رويترز» إن": the medium told relays it
        speakers.append(Speaker(relay))
    # relayed speech: "نقلت رويترز عن مصادر" -> the original speaker first, then the relay
    if j < len(toks) and _relayed(s, j - 1, i):
        original, _ = s.phrase_after(j)
        if original is not None:
            speakers.insert(0, Speaker(original))
    return tuple(speakers)


def _addressee(s: _Sentence, j: int, max_words: int = 3) -> Span | None:
    """The medium that was told, at token j ("لـ«رويترز»", "لوكالة «نوفوستي» الروسية").

    RECORDS.md lists the relay as a speaker after the original one. Only a medium
    counts: "قال لمجلس العلاقات الخارجية" addresses an audience, not a relay.
    """
    lex, toks = s.lex, s.toks
    if lex.language != "ar" or j >= len(toks):
        return None
    if not _relay(toks[j], lex) and not (
        toks[j].word.startswith("ل") and _is_media(toks[j].word[1:], lex)  # "لرويترز"
    ):
        return None
    raw = s.text[toks[j].start : toks[j].end]
    # one ل, its tatweel and any opening mark: "لـ«لوموند»" is Le Monde, not "وموند"
    opening = re.match(r"لـ*[\"«“']*", raw)
    start = toks[j].start + (opening.end() if opening else 0)
    k = j
    quoted = bool(opening and any(q in opening.group() for q in OPEN_QUOTES))
    while k + 1 < len(toks) and k - j + 1 < max_words and not _ends_clause(toks[k]):
        if quoted and any(q in toks[k].after or toks[k].word.endswith(q) for q in CLOSE_QUOTES):
            break  # "لـ«الشرق الأوسط» سياسة": the quoted name ends at its mark
        nxt = toks[k + 1]
        if (
            nxt.word in lex.complementizers
            or nxt.word in lex.speaker_stops
            or is_verb(nxt.word, lex, lex.reporting_verbs)
            or (_starts_quote(nxt) and not _wrapped(nxt))
        ):
            break
        k += 1
    phrase = s.text[start : toks[k].end].rstrip("\"«»“”' ")
    if not phrase or not _is_media(phrase, lex) and not _wrapped_name(toks[j]):
        return None
    return start, start + len(phrase)


def _wrapped_name(t: Token) -> bool:
    """ "لـ«رويترز»", "لـCNN": a name written straight after the preposition."""
    return any(q in t.word or q in t.before for q in OPEN_QUOTES) or bool(
        re.search(r"[A-Za-z]", t.word)
    )


def _relayed(s: _Sentence, before: int, verb: int | None = None) -> bool:
    """ "نقل(ت) … عن X": the token after `before` is عن and the verb is a form of نقل."""
    toks = s.toks
    verb = before if verb is None else verb
    return (
        before + 1 < len(toks)
        and toks[before + 1].word == normalize("عن")
        and toks[verb].word.lstrip("وف").startswith(normalize("نقل"))
    )


def _english_speakers(s: _Sentence, i: int) -> tuple[Speaker, ...]:
    """'X said', 'said X', 'X told Y' (Y a medium: a relay too), 'X, who …, said'."""
    toks = s.toks
    if i > 1 and "," in toks[i - 1].after:  # "Erin Murphy, a former aide who …, said"
        opener = _opening_name(s, i - 1) or _name_before_aside(s, i - 1)
        if opener is not None:
            return (Speaker(opener),)
    antecedent = _who_antecedent(s, i)
    if antecedent is not None:
        return (Speaker(antecedent),)
    before = s.phrase_before(i)
    if before is not None:  # "but this time he praised": the pronoun is the subject
        words = list(re.finditer(r"\S+", s.text[before[0] : before[1]]))
        tail = (before[0] + words[-1].start(), before[0] + words[-1].end()) if words else before
        if len(words) > 1 and s.pronoun(tail):
            before = tail
    if before is not None and not s.pronoun(before):
        speakers = [Speaker(part) for part in _conjuncts(s, before)]
        if toks[i].word in ("told", "tells", "tell") and i + 1 < len(toks):
            obj, _ = s.phrase_after(i, max_words=4)
            if obj is not None and _is_media(s.text[obj[0] : obj[1]], s.lex):
                speakers.append(Speaker(obj))
        return tuple(speakers)
    if before is not None:  # "he said"; "he told the Guardian" relays it too
        implicit = Speaker(None, implicit=True, pronoun=_word(s, before))
        if toks[i].word in ("told", "tells", "tell") and i + 1 < len(toks):
            obj, _ = s.phrase_after(i, max_words=4)
            if obj is not None and _is_media(s.text[obj[0] : obj[1]], s.lex):
                return (implicit, Speaker(obj))
        return (implicit,)
    # 'said X' inverts only after a quotation or a comma ('"…," said X', ', said X,'),
    # or to open the sentence: in "… and blamed the tumble" what follows is the object.
    inverted = i == 0 or any(p in toks[i - 1].after for p in (",", *CLOSE_QUOTES))
    if inverted and i and s.lex.inverting_verbs and toks[i].word not in s.lex.inverting_verbs:
        # "Candidates, including Trump, criticized the trade": a verb that never precedes
        # its subject has it before the aside; what follows is its object
        subject = _fronted_subject(s, i)
        if subject is not None and s.pronoun(subject):
            return (Speaker(None, implicit=True, pronoun=_word(s, subject)),)
        return (Speaker(subject),) if subject is not None else ()
    after, _ = s.phrase_after(i, max_words=6) if inverted else (None, i)
    if after is not None and not s.pronoun(after) and toks[i].word not in ("told", "tells"):
        return (Speaker(after),)
    if after is not None and s.pronoun(after):  # '"…," said he'
        return (Speaker(None, implicit=True, pronoun=_word(s, after)),)
    if not inverted and i and toks[i - 1].word == "and":
        subject = _subject_name(s, i)  # "Mr. Putin backpedaled … and blamed …"
        if subject is not None and s.pronoun(subject):  # "He argued … and said …"
            return (Speaker(None, implicit=True, pronoun=_word(s, subject)),)
        if subject is not None:
            return (Speaker(subject),)
    return ()


_FRONTED = frozenset(("however", "meanwhile", "still", "yet", "instead", "so", "for", "with"))
_COPULAS = frozenset(("is", "was", "are", "were", "be", "been", "being"))


def _fronted_subject(s: _Sentence, verb: int, max_words: int = 8) -> Span | None:
    """The phrase that opens the sentence up to its first comma, when an aside set off
    by commas runs from there to the verb: "Several candidates, including …, criticized".
    """
    toks = s.toks
    end = next((k for k in range(verb) if "," in toks[k].after), None)
    if end is None or end + 1 >= verb or end + 1 > max_words:
        return None
    head = toks[0].word
    if (
        head in s.lex.speaker_stops
        or head in _FRONTED
        or head in CALENDAR
        or head.endswith(("ing", "ly"))
        or any(q in toks[0].before for q in OPEN_QUOTES)
        or any(is_verb(t.word, s.lex, s.lex.reporting_verbs) for t in toks[: end + 1])
        or any(t.word in _COPULAS for t in toks[: end + 1])  # "This was the Trump we knew,"
    ):
        return None
    return toks[0].start, toks[end].end


def _subject_name(s: _Sentence, last: int) -> Span | None:
    """The capitalized name that opens the sentence, before a lower-case verb and `last`."""
    toks = s.toks
    k = 0
    while k < min(4, last) and s.text[toks[k].start : toks[k].start + 1].isupper():
        if (
            toks[k].word in s.lex.speaker_stops
            or toks[k].word in CALENDAR
            or toks[k].after.strip(".")
        ):
            return None
        k += 1
    if k == 0 or k >= last or not s.text[toks[k].start : toks[k].start + 1].islower():
        return None
    if k == 1 and toks[0].word in ("the", "but", "and", "in", "on", "at", "it", "this", "that"):
        return None
    return toks[0].start, toks[k - 1].end


CALENDAR = frozenset(  # English day and month names: dates, never names
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)


def _opening_name(s: _Sentence, last: int) -> Span | None:
    """A capitalized name that opens the sentence and ends at a comma before token `last`."""
    toks = s.toks
    first = 0  # '"…," Mr. Daniloff, now 81, said': the name opens what follows the quotation
    for k in range(last):
        if any(q in toks[k].after for q in CLOSE_QUOTES) and "," in toks[k].after:
            first = k + 1
    if first == 0 and toks[0].word == "as" and last > 1:
        first = 1  # "As Andrew Tabler, an expert on Syria, noted, '…'": the name after "as"
    for k in range(first, min(first + 4, last)):
        raw = s.text[toks[k].start : toks[k].end]
        word = toks[k].word
        if (
            not raw[:1].isupper()
            or word in s.lex.speaker_stops
            or word in CALENDAR
            or (k == 0 and word.endswith("ing"))  # "Speaking Monday, …": a fronted clause
        ):
            return None
        if "," in toks[k].after:
            return (toks[first].start, toks[k].end) if k > first else None
    return None


def _who_antecedent(s: _Sentence, verb: int, max_words: int = 4) -> Span | None:
    """The name a ", who … said" clause hangs on: "McConnell, now the Senate majority
    leader, who in 2010 said …", "Abbas, who said …": the relative's antecedent speaks.
    """
    toks = s.toks
    for k in range(verb - 1, max(0, verb - max_words - 1), -1):
        t = toks[k]
        if k < verb - 1 and (_ends_clause(t) or t.after.strip()):
            return None  # punctuation between "who" and the verb: another clause
        if t.word != "who":
            continue
        if k == 0 or "," not in toks[k - 1].after:
            return None
        aside = _name_before_aside(s, k - 1)
        if aside is not None:
            return aside
        first = k - 1
        while first > 0 and k - 1 - first < 3 and s.text[toks[first - 1].start].isupper():
            if toks[first - 1].after.strip():
                break
            first -= 1
        names = toks[first:k]
        if first and toks[first - 1].word == "of" and not toks[first - 1].after.strip():
            return _described_antecedent(s, k - 1, max_words=6)  # "the prime minister of Iraq"
        if all(s.text[n.start].isupper() for n in names) and not any(
            n.word in s.lex.speaker_stops for n in names
        ):
            span = (toks[first].start, toks[k - 1].end)
            return None if s.pronoun(span) else span
        return _described_antecedent(s, k - 1)
    return None


def _described_antecedent(s: _Sentence, last: int, max_words: int = 4) -> Span | None:
    """A definite description that "who" hangs on: "a lecture from the Mexican
    president, who said …" is the president's; "who" is a person, so the phrase from
    "the" to the comma names the speaker (the actor stage resolves it to a name)."""
    toks = s.toks
    for k in range(last, max(-1, last - max_words - 1), -1):
        t = toks[k]
        if k < last and (_ends_clause(t) or t.after.strip()):
            return None
        if t.word == "the":
            return (t.start, toks[last].end) if k < last else None
        if t.word != "of" and (t.word in s.lex.speaker_stops or t.word in s.lex.pronoun_subjects):
            return None
    return None


def _name_before_aside(s: _Sentence, last: int, max_aside: int = 6) -> Span | None:
    """The name before a lower-case aside that ends at token `last`'s comma.

    "…, as Peña Nieto, contradicting Trump, said": the aside's own name is its
    object; the speaker is the capitalized name set off before it, after a
    lower-case word.
    """
    toks = s.toks
    p = next(
        (k for k in range(last - 1, max(-1, last - max_aside - 1), -1) if "," in toks[k].after),
        None,
    )
    if p is None:  # "the Crown Prince, who is here on an official visit, replied": a longer
        p = next(  # aside, when it is a relative clause
            (
                k
                for k in range(last - 1, max(-1, last - 2 * max_aside - 1), -1)
                if "," in toks[k].after and k + 1 <= last and toks[k + 1].word == "who"
            ),
            None,
        )
    if p is None or p + 1 > last or not s.text[toks[p + 1].start].islower():
        return None
    first = p
    while first > 0 and p - first < 3 and s.text[toks[first - 1].start].isupper():
        if toks[first - 1].after.strip():
            break
        first -= 1
    names = toks[first : p + 1]
    if (
        not all(s.text[t.start].isupper() for t in names)
        or any(t.word in s.lex.speaker_stops or t.word in CALENDAR for t in names)
        or (first > 0 and not s.text[toks[first - 1].start].islower())
    ):
        return None
    span = (toks[first].start, toks[p].end)
    return None if s.pronoun(span) else span


def _word(s: _Sentence, span: Span) -> str:
    return normalize(s.text[span[0] : span[1]])


def _colon_speaker(s: _Sentence) -> tuple[Speaker, ...] | None:
    """ "مصادر لـCNN: …" / "Officials: …": a short source phrase, then a colon."""
    for k, t in enumerate(s.toks[:6]):
        if ":" in t.after:
            head = s.toks[: k + 1]
            named = s.headline and k < 3 and not any(x.word in s.lex.speaker_stops for x in head)
            if named or any(x.word in s.lex.source_nouns for x in head):
                end = k
                for m, x in enumerate(head):
                    if m and _relay(x, s.lex):
                        end = m - 1
                        break
                return (Speaker((head[0].start, head[end].end)),)
            return None
    return None


def _is_media(phrase: str, lex: Lexicon) -> bool:
    """Whether the one told is an outlet: a media noun ("Reuters", "the agency"), or in
    English "the" and a name that is no body ("told the Guardian", not "the Senate")."""
    words = normalize(phrase).split()
    if any(w in lex.media_nouns for w in words) or normalize(phrase) in lex.media_nouns:
        return True
    raw = phrase.split()
    return (
        lex.language == "en"
        and 2 <= len(raw) <= 4
        and raw[0].lower() == "the"
        and all(w[:1].isupper() for w in raw[1:])
        and not any(w in lex.organization_nouns or w in _ASSEMBLIES for w in words[1:])
    )


# bodies that are told things with "the", and no outlets: "he told the Senate"
_ASSEMBLIES = frozenset(("senate", "house", "congress", "parliament", "assembly", "court"))


def _closes_beyond(text: str) -> list[bool]:
    """Per offset: does a closing quotation mark follow before the paragraph ends (one pass)."""
    out = [False] * (len(text) + 1)
    seen = False
    for i in range(len(text) - 1, -1, -1):
        ch = text[i]
        if ch == "\n":
            seen = False
        elif ch in ("»", "›", "”", '"') or text.startswith("''", i):
            seen = True
        out[i] = seen
    return out


def speech_cues(text: str, sentences: Sequence[tuple[int, int]], lex: Lexicon) -> list[SpeechCue]:
    """Every sentence of reported speech, in order, quote continuations included.

    A sentence with no cue of its own is still a claim when it continues an open
    quotation, or is itself mostly a quotation right after a claim: one claim per
    sentence of a quotation (RECORDS.md §2), spoken by the previous speaker.
    """
    return _speech_cues(text, sentences, lex)[0]


def unnamed_cues(text: str, sentences: Sequence[tuple[int, int]], lex: Lexicon) -> list[SpeechCue]:
    """The cue sentences `speech_cues` leaves out for want of a speaker to name.

    "وأضاف", "أكد معاليه أن" with no speaker in the sentences before: the subject is
    someone the article names elsewhere (in the headline, or as the interviewee),
    which only reading can tell, so the model strategies may ask who it is.
    """
    return _speech_cues(text, sentences, lex)[1]


def _speech_cues(
    text: str, sentences: Sequence[tuple[int, int]], lex: Lexicon
) -> tuple[list[SpeechCue], list[SpeechCue]]:
    """Reported speech, and the cue sentences left out because nobody is there to name."""
    out: list[SpeechCue] = []
    unnamed: list[SpeechCue] = []
    depth = 0
    previous_end = 0
    beyond = _closes_beyond(text)
    for n, (start, end) in enumerate(sentences):
        piece = text[start:end]
        if "\n" in text[previous_end:start] and not piece.lstrip().startswith(OPEN_QUOTES):
            depth = 0  # a quotation goes on past a paragraph only if the next one reopens it
        previous_end = end
        continues = depth > 0
        later = beyond[end] if end < len(beyond) else False
        share, depth = quoted_share(piece, depth, later)
        cue = sentence_cue(text, start, end, lex, n, 1 if continues else 0, closes_beyond=later)
        if (
            cue is not None
            and cue.speakers[0].implicit
            and cue.speakers[0].pronoun not in PERSONAL
            and not (out and out[-1].sentence >= n - IMPLICIT_REACH)
        ):
            unnamed.append(cue)
            cue = None  # "وأضاف", "he added" with no speaker nearby: nobody to name
        if cue is not None:
            out.append(cue)
        elif (
            out
            and len(piece.split()) >= _MIN_QUOTED_WORDS
            and (
                continues
                or (
                    share >= 0.5
                    and (
                        quoted_words(piece) >= _MIN_QUOTED_WORDS
                        or piece.lstrip().startswith(OPEN_QUOTES)  # a quotation opens here
                    )
                    and out[-1].sentence >= n - 2
                )
            )
        ):
            out.append(SpeechCue(n, None, (Speaker(None, implicit=True),), "direct"))
        if depth > 1:
            depth = 1  # unbalanced marks: one open quotation at most
    return out, unnamed


@dataclass(frozen=True)
class Unnamed:
    """A sentence of reported speech whose speaker the sentence does not name.

    "وبشأن العراق، أكد معاليه أن …" opening a wire continuation, "وأضاف" with no
    speaker before it: the rules leave it out (no actor to give it); the model may
    name the speaker from the actors listed. Evidence, span and quote are the code's.
    """

    sentence: int  # index into the article's sentences
    description: str  # the cue as written, with its subject word ("أكد معاليه")
    evidence: str
    span: tuple[int, int]
    quote: Literal["direct", "indirect"]
