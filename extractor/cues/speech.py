"""The cue stage: which sentences report speech, who speaks, and what kind of quote — code only.

Per sentence, from the lexicon of its language: a reporting verb (قال، أضاف، أكد /
said, told, added …) or an attribution phrase (بحسب، نقلاً عن / according to …), or
quotation marks that continue a speaker's quote; the candidate speaker phrase from
the syntax around the cue (Arabic verb–subject order up to إن/أن/«:»; English
"X said", "said X", "X told Y", "according to X"); `quote` direct when most of the
sentence stands inside quotation marks (RECORDS.md §2). A verb with no subject of
its own ("وأضاف أن", "he added") is `implicit`: the previous speaker's. Relayed
speech ("نقلت رويترز عن مصادر", "X told Reuters") names the relay too.

Here: finding the cue of a sentence and the sentences of a quotation. The words are
read in `tokens`, quotation marks in `quotes`, the speaker phrase beside a cue in
`phrases`, and whom each language names as the speaker in `speakers_ar`/`speakers_en`.

Nothing here calls a model; a model strategy can take these candidates and decide
only what needs reading.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..lang.lexicon import OPEN_QUOTES, Lexicon
from ..models import QuoteKind, Span
from ..text.normalize import normalize
from .phrases import CueSentence, Speaker
from .quotes import closes_beyond, quoted_share, quoted_words
from .speakers_ar import arabic_speakers
from .speakers_en import english_speakers, subject_name
from .tokens import Token, ends_clause, is_relay, is_verb, with_object

_MIN_QUOTED_WORDS = 3
IMPLICIT_REACH = 8  # sentences back to the speaker an implicit subject continues
PERSONAL = ("he", "she")  # resolved to the person last named, who may not have spoken yet


@dataclass(frozen=True)
class SpeechCue:
    """One sentence of reported speech: its cue, speakers (original first, then relay), quote."""

    sentence: int  # index into the article's sentences
    cue: Span | None  # the cue word(s); None for a quote that continues
    speakers: tuple[Speaker, ...]
    quote: QuoteKind


_NOT_SAID = frozenset(normalize(w) for w in ("لم", "ولم", "فلم", "لا", "ولا", "فلا"))  # negated


def _verb_with_object(toks: Sequence[Token], j: int, lex: Lexicon) -> bool:
    """A reporting verb with an object pronoun at token j ("قاله", "أكدته")."""
    return j < len(toks) and with_object(toks[j].word, lex, lex.reporting_verbs)


def _match_phrase(toks: Sequence[Token], i: int, phrase: tuple[str, ...], lex: Lexicon) -> bool:
    """Whether an attribution phrase starts at token i, its first word with و/ف or not."""
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
    s = CueSentence(text, start, end, lex)
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


def _second_clause(s: CueSentence, i: int, found: tuple[Speaker, ...]) -> bool:
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


def _find_cue(s: CueSentence) -> tuple[Span | None, tuple[Speaker, ...]] | None:
    """(cue span, speakers) of the first reporting cue of a sentence that has a speaker."""
    lex = s.lex
    toks = s.toks
    for i, t in enumerate(toks):
        if s.quoted and s.quoted[i]:
            continue  # "«…قلت لهم…»": a verb inside a quotation is the quoted words, not a cue
        attributed = _attributed(s, i)
        if attributed is not None:
            return attributed
        if not is_verb(t.word, lex, lex.reporting_verbs) or _not_a_cue(s, i):
            continue
        found = arabic_speakers(s, i) if lex.language == "ar" else english_speakers(s, i)
        if found and lex.language == "en" and _second_clause(s, i, found):
            break  # "X …, saying A, but he denied B": the participle states A first
        if found:
            return (t.start, t.end), found
    return _continuing_cue(s)


def _attributed(s: CueSentence, i: int) -> tuple[Span | None, tuple[Speaker, ...]] | None:
    """An attribution phrase at token i ("بحسب", "according to") and the source it names."""
    lex = s.lex
    toks = s.toks
    t = toks[i]
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
    return None


def _not_a_cue(s: CueSentence, i: int) -> bool:
    """Whether the reporting verb at token i here reports nothing anyone said.

    A name ("Claims Court"), a participle after a comma, an adjective ("added fuel"),
    a verb inside a relative clause, or a negated one: no statement, so no cue.
    """
    lex = s.lex
    toks = s.toks
    t = toks[i]
    if lex.language == "en" and i and s.text[t.start].isupper():
        return True  # "the United States", "Claims Court": a name, not a verb
    if lex.language == "en" and i and "," in toks[i - 1].after and t.word.endswith("ing"):
        return True  # ", saying the port …": a participle does not invert; see below
    nxt = toks[i + 1].word if i + 1 < len(toks) and not t.after.strip() else ""
    if lex.language == "en" and _no_statement(s, i):
        return True  # "A reporter asked: Did they …?", "Mr. Obama called Naghmeh Abedini."
    if lex.language == "en" and (nxt in _REPORTS_NOTHING or (nxt, t.word) == ("of", "accused")):
        return True  # "she has said little about it", "a contractor accused of spying"
    if lex.language == "en" and t.word == "added" and _added_noun(s, i):
        return True  # "has given added fuel to the argument": an adjective
    if lex.language == "en" and t.word.startswith("maintain") and nxt in ("a", "an"):
        return True  # "the center maintains a program": keeps, not asserts
    if i and toks[i - 1].word in lex.relative_pronouns and not ends_clause(toks[i - 1]):
        return True  # "الاتفاق الذي أعلن عنه", "the deal that was announced": not a source
    # "ولم توضح «أحرار الشام» فحوى المفاوضات": what was not said
    return bool(lex.language == "ar" and i and toks[i - 1].word in _NOT_SAID)


def _continuing_cue(s: CueSentence) -> tuple[Span | None, tuple[Speaker, ...]] | None:
    """A sentence with no reporting verb of its own: a participle that goes on with the
    previous speaker ("مضيفاً:", "saying, …"), or a short source before a colon."""
    lex = s.lex
    toks = s.toks
    for i, t in enumerate(toks):
        if is_verb(t.word, lex, lex.continuation_verbs):  # "مضيفاً:", "saying, ..."
            if lex.language == "en" and i and "," in toks[i - 1].after:
                # "Shultz has been more guarded, saying that …": the sentence's subject
                subject = subject_name(s, i)
                if subject is not None and not s.pronoun(subject):
                    return (t.start, t.end), (Speaker(subject),)
            return (t.start, t.end), (Speaker(None, implicit=True),)
    colon = _colon_speaker(s)
    if colon is not None:
        return None, colon
    return None


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


def _added_noun(s: CueSentence, i: int) -> bool:
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


def _no_statement(s: CueSentence, i: int) -> bool:
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


def _colon_speaker(s: CueSentence) -> tuple[Speaker, ...] | None:
    """ "مصادر لـCNN: …" / "Officials: …": a short source phrase, then a colon."""
    for k, t in enumerate(s.toks[:6]):
        if ":" in t.after:
            head = s.toks[: k + 1]
            named = s.headline and k < 3 and not any(x.word in s.lex.speaker_stops for x in head)
            if named or any(x.word in s.lex.source_nouns for x in head):
                end = k
                for m, x in enumerate(head):
                    if m and is_relay(x, s.lex):
                        end = m - 1
                        break
                return (Speaker((head[0].start, head[end].end)),)
            return None
    return None


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
    beyond = closes_beyond(text)
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
