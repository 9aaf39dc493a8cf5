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
`phrases`, and whom each language names as the speaker in `speakers_ar`/`speakers_en`,
reached through the table of `readers`.

Nothing here calls a model; a model strategy can take these candidates and decide
only what needs reading.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..lang.lexicon import CLOSE_QUOTES, OPEN_QUOTES, Lexicon
from ..models import QuoteKind, Span
from ..text.normalize import normalize
from .patterns import veto_at
from .phrases import CueSentence, Speaker
from .quote_runs import attributed_at_end
from .quotes import (
    closes_beyond,
    paragraph_ends_quotation,
    paragraph_reopens_quotation,
    quoted_share,
    quoted_words,
)
from .readers import readers_for
from .rulebook import rule
from .speaker_phrase_en import in_fronted_phrase, participle_yields
from .speakers_en import subject_name
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
        if k == 0 and "clitics" in lex.traits and have[:1] in ("و", "ف") and have[1:] == word:
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
    if _not_claim_phrase(normalize(_unquoted(text[start:end])), lex):
        return None
    found = _find_cue(s)
    if found is None:
        return None
    cue, speakers = found
    kind = _quote_kind(text, start, end, depth, cue, speakers, closes_beyond)
    return SpeechCue(index, cue, speakers, kind)


def _unquoted(sentence: str) -> str:
    """The sentence less what it quotes: "«…يأمل…»" is the speaker's word, not hearsay."""
    return re.sub(r"«[^»]*»|\"[^\"]*\"|“[^”]*”", " ", sentence)


@rule(
    "claims.not-a-claim-phrase",
    stage="claims",
    purpose='a sentence with a not-a-claim phrase of the lexicon ("is said to", "يقال") '
    "reports hearsay, not a statement",
    example="Tomas Pell, it is believed, said that the port will close.",
    off=False,
)
def _not_claim_phrase(folded: str, lex: Lexicon) -> bool:
    """Whether the normalized sentence holds one of the lexicon's not-a-claim phrases."""
    return any(re.search(rf"(?<!\w){re.escape(c)}(?!\w)", folded) for c in lex.not_claim_cues)


@rule(
    "claims.but-he-denied-second-clause",
    stage="claims",
    language="en",
    purpose='after a participle of speech that states A, ", but he denied B" is no cue of its '
    "own: the sentence's cue is the participle",
    example="Tomas Pell spoke at length, saying the port was safe, but he denied that ships "
    "had been turned away.",
    off=False,
)
def _second_clause(s: CueSentence, i: int, found: tuple[Speaker, ...]) -> bool:
    """Is verb `i` a ", but he denied" clause after a participle of speech that opens
    the first statement ("X veered close to it, saying A, but he denied B")?"""
    toks = s.toks
    if not (len(found) == 1 and found[0].pronoun in PERSONAL and i >= 3):
        return False
    if toks[i - 2].word not in s.lex.coordinating_conjunctions or "," not in toks[i - 3].after:
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
        if _quoted_verb(s, i):
            continue
        attributed = _attributed(s, i)
        if attributed is not None:
            return attributed
        if not is_verb(t.word, lex, lex.reporting_verbs) or _not_a_cue(s, i):
            continue
        found = readers_for(lex).speakers(s, i)
        if found and "comma-clauses" in lex.traits and _second_clause(s, i, found):
            break  # "X …, saying A, but he denied B": the participle states A first
        if found:
            return (t.start, t.end), found
    return _continuing_cue(s)


@rule(
    "claims.quoted-verb-is-no-cue",
    stage="claims",
    purpose="a verb of speech inside a quotation is the quoted words, not a cue",
    example='"I told the crews the port is safe and the ships will sail," Tomas Pell said.',
    off=False,
)
def _quoted_verb(s: CueSentence, i: int) -> bool:
    """ "«…قلت لهم…»": token i stands inside a quotation."""
    return bool(s.quoted and s.quoted[i])


@rule(
    "speakers.attribution-phrase",
    stage="speakers",
    purpose='an attribution phrase ("according to", "بحسب") names the source after it',
    example="The port will close on Friday, according to the harbour authority.",
    off=None,
)
def _attributed(s: CueSentence, i: int) -> tuple[Span | None, tuple[Speaker, ...]] | None:
    """An attribution phrase at token i ("بحسب", "according to") and the source it names."""
    lex = s.lex
    toks = s.toks
    t = toks[i]
    for phrase in lex.attribution_phrases:
        if _match_phrase(toks, i, phrase, lex):
            if participle_yields(s, i, phrase):
                continue
            k = i + len(phrase) - 1
            # "وفقا لمسؤول": ل fused to the speaker (not "وحسب": و before the phrase)
            fused = phrase[-1] in lex.preposition_letters | {"لـ"} and toks[k].word != phrase[-1]
            after, j = s.phrase_after(k - 1 if fused else k, max_words=8)
            if after is not None and fused and after[0] == toks[k].start:
                after = (after[0] + 1, after[1])  # "لصحيفة «…»" may give the quoted name
            if after is None and _verb_with_object(toks, k + 1, lex):
                # "بحسب ما قاله": the sentence's own subject said it, named before
                return (t.start, toks[k].end), (Speaker(None, implicit=True),)
            if after is not None and not s.pronoun(after):
                cue = (t.start, toks[k].start + 1 if fused else toks[k].end)
                speakers = [Speaker(after)]
                second = _second_source(s, j)
                if second is not None:  # "وشخص آخر مطلع"
                    speakers.append(Speaker(second))
                return cue, tuple(speakers)
    return None


@rule(
    "speakers.second-attributed-source",
    stage="speakers",
    language="ar",
    purpose='"بحسب مسؤول أمريكي وشخص آخر مطلع": a second source joined by و',
    example="وسيغلق الميناء يوم الجمعة بحسب مسؤول في الميناء وشخص آخر مطلع.",
    off=None,
)
def _second_source(s: CueSentence, j: int) -> Span | None:
    """The source joined by و at token j, after the first one an attribution names."""
    toks = s.toks
    if (
        "clitics" in s.lex.traits
        and j < len(toks)
        and toks[j].word[:1] == "و"
        and "(" not in toks[j].before  # "(واس)": the acronym of the first, no second source
    ):
        second, _ = s.phrase_after(j - 1, max_words=6)
        if second is not None:
            return second[0] + 1, second[1]
    return None


def _not_a_cue(s: CueSentence, i: int) -> bool:
    """Whether the reporting verb at token i here reports nothing anyone said.

    A name ("Claims Court"), a participle after a comma, a question, a telephone
    call, an adjective ("added fuel"), "said little", a verb inside a relative
    clause, or a negated one: no statement, so no cue. The lexicon's veto patterns
    are the token-level exceptions ("called <Name> on Sunday", "maintains a").
    """
    return (
        _capitalized_verb(s, i)
        or _participle_after_comma(s, i)
        or veto_at(s.lex.vetoes, s.toks, i, s.text, s.end) is not None
        or _added_noun(s, i)
        or _in_relative_clause(s, i)
        or _negated(s, i)
        or _noun_homograph(s, i)
        or _participle_adjective(s, i)
        or in_fronted_phrase(s, i)
    )


def _possessive(word: str) -> bool:
    return word.endswith(("'s", "’s", "s'", "s’"))


@rule(
    "claims.noun-homograph",
    stage="claims",
    language="en",
    purpose='"the swing states", "media reports", "his promises": a word that is a noun as '
    "often as a verb of speech is the verb only right after its subject (a name, a pronoun, "
    "an adverb) or inverted after a comma or a quotation",
    example="Two states closed their ports on Monday after the storm, Tomas Pell said.",
    off=False,
)
def _noun_homograph(s: CueSentence, i: int) -> bool:
    lex, toks = s.lex, s.toks
    if toks[i].word not in lex.noun_homographs:
        return False
    if i == 0:
        return True  # "Questions remain": no subject before it
    prev = toks[i - 1]
    if any(p in prev.after for p in (",", *CLOSE_QUOTES)):
        return False  # '"…," notes Pell'
    named = s.text[prev.start].isupper() and prev.word not in lex.noun_openers
    named = named and not prev.word.isdigit()
    return not (
        prev.word in lex.pronoun_subjects
        or prev.word in lex.relative_pronouns
        or prev.word in lex.verb_adverbs
        or (named and not _possessive(prev.word))
    )


@rule(
    "claims.participle-adjective",
    stage="claims",
    language="en",
    purpose='"the proposed toll", "his repeated visits": a participle of speech after an '
    "article or a possessive is an adjective, not the verb",
    example="Tomas Pell said the ferries will stop. The proposed toll angered the captains, "
    "Ana Brandt said.",
    off=False,
)
def _participle_adjective(s: CueSentence, i: int) -> bool:
    toks = s.toks
    if not i or toks[i].word not in s.lex.participle_homographs or toks[i - 1].after.strip():
        return False
    return toks[i - 1].word in s.lex.noun_openers or _possessive(toks[i - 1].word)


@rule(
    "claims.capitalized-verb-is-a-name",
    stage="claims",
    language="en",
    purpose="a capitalized verb of speech inside a sentence is part of a name "
    '("Claims Court"), not a verb',
    example="The Harbour Claims Office will open on Monday, Tomas Pell said.",
    off=False,
)
def _capitalized_verb(s: CueSentence, i: int) -> bool:
    """ "the United States", "Claims Court": a capitalized word past the first."""
    return "letter-case" in s.lex.traits and bool(i) and s.text[s.toks[i].start].isupper()


@rule(
    "claims.participle-after-comma",
    stage="claims",
    language="en",
    purpose='", saying the port …": a participle after a comma does not invert its subject; '
    "the sentence goes on with its own",
    example="Harbour news\nTomas Pell, the harbour master, left on Monday, saying the ferries "
    "would stop.",
    off=False,
)
def _participle_after_comma(s: CueSentence, i: int) -> bool:
    toks = s.toks
    return (
        "comma-clauses" in s.lex.traits
        and bool(i)
        and "," in toks[i - 1].after
        and toks[i].word.endswith("ing")
    )


@rule(
    "claims.verb-in-relative-clause",
    stage="claims",
    purpose='a verb of speech inside a relative clause ("the deal that was announced", '
    '"الاتفاق الذي أعلن عنه") names no source',
    example="الاتفاق الذي أعلن عنه وزير النقل سيخفض الأسعار.",
    off=False,
)
def _in_relative_clause(s: CueSentence, i: int) -> bool:
    toks = s.toks
    return bool(i) and toks[i - 1].word in s.lex.relative_pronouns and not ends_clause(toks[i - 1])


@rule(
    "claims.negated-verb",
    stage="claims",
    language="ar",
    purpose='"ولم توضح «أحرار الشام» فحوى المفاوضات": what was not said is no statement',
    example="ولم يوضح وزير النقل موعد فتح الميناء.",
    off=False,
)
def _negated(s: CueSentence, i: int) -> bool:
    return bool(i) and s.toks[i - 1].word in s.lex.negation_particles


def _continuing_cue(s: CueSentence) -> tuple[Span | None, tuple[Speaker, ...]] | None:
    """A sentence with no reporting verb of its own: a participle that goes on with the
    previous speaker ("مضيفاً:", "saying, …"), or a short source before a colon."""
    found = _participle_cue(s)
    if found is not None:
        return found
    colon = _colon_speaker(s)
    if colon is not None:
        return None, colon
    return None


@rule(
    "speakers.continuing-participle",
    stage="speakers",
    purpose='a participle of speech ("مضيفاً:", "saying, …") goes on with the previous speaker',
    example="The harbour master said the port would close. Adding that the ferries would stop too.",
    off=None,
)
def _participle_cue(s: CueSentence) -> tuple[Span | None, tuple[Speaker, ...]] | None:
    """The first continuation verb of the sentence, and who speaks with it."""
    for i, t in enumerate(s.toks):
        if is_verb(t.word, s.lex, s.lex.continuation_verbs):  # "مضيفاً:", "saying, ..."
            subject = _participle_subject(s, i)
            if subject is not None:
                return (t.start, t.end), (Speaker(subject),)
            return (t.start, t.end), (Speaker(None, implicit=True),)
    return None


@rule(
    "speakers.participle-subject",
    stage="speakers",
    language="en",
    purpose='"Pell has been more guarded, saying that …": the participle\'s subject is the '
    "name that opens the sentence",
    example="The minister said the port was safe. Tomas Pell has been more guarded, saying "
    "that the ferries may stop.",
    off=None,
)
def _participle_subject(s: CueSentence, i: int) -> Span | None:
    """The capitalized name opening the sentence before ", saying" at token i."""
    if "comma-clauses" in s.lex.traits and i and "," in s.toks[i - 1].after:
        subject = subject_name(s, i)
        if subject is not None and not s.pronoun(subject):
            return subject
    return None


@rule(
    "claims.added-as-adjective",
    stage="claims",
    language="en",
    purpose='"has given added fuel to the argument": "added" before its noun is an '
    "adjective, not the verb",
    example="The storm gave added urgency to the repairs, the harbour master said.",
    off=False,
)
def _added_noun(s: CueSentence, i: int) -> bool:
    """Is "added" at token `i` an adjective before its noun ("added fuel", "added
    pressure"), not the verb of "he added the talks would go on"?"""
    toks = s.toks
    if toks[i].word != "added" or not s.lex.after_added:
        return False
    if i + 1 >= len(toks) or toks[i].after.strip():
        return False  # 'he added: "…"', 'he added, "…"'
    nxt = toks[i + 1]
    raw = s.text[nxt.start : nxt.end]
    return raw[:1].islower() and nxt.word not in s.lex.after_added and not nxt.word.endswith("ly")


@rule(
    "speakers.source-before-colon",
    stage="speakers",
    purpose='"Officials: …", "مصادر لـCNN: …": a short source phrase, then a colon; in a '
    "headline, any short name",
    example="Port officials: the ferries will not sail on Friday.",
    off=None,
)
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
        if paragraph_ends_quotation(text[previous_end:start], piece):
            depth = 0
        continues = depth > 0
        if continues and paragraph_reopens_quotation(text[previous_end:start], piece):
            depth = 0  # its opening mark opens the same quotation again
        previous_end = end
        later = beyond[end] if end < len(beyond) else False
        opened = 1 if depth else 0
        share, depth = quoted_share(piece, depth, later)
        cue = sentence_cue(text, start, end, lex, n, opened, closes_beyond=later)
        if cue is not None and _nobody_to_name(cue, out, n):
            unnamed.append(cue)
            cue = None
        if cue is not None:
            out.append(cue)
        elif _quotation_goes_on(piece, out, n, continues, share):
            out.append(SpeechCue(n, None, (Speaker(None, implicit=True),), "direct"))
        if depth > 1:
            depth = 1  # unbalanced marks: one open quotation at most
    return attributed_at_end(text, sentences, out) or out, unnamed


def _nobody_to_name(cue: SpeechCue, out: Sequence[SpeechCue], n: int) -> bool:
    """ "وأضاف", "he added" with no speaker nearby: nobody to name (a model may name one).

    Not a named rule: the rules strategy gives such a cue no speaker either way."""
    return (
        cue.speakers[0].implicit
        and cue.speakers[0].pronoun not in PERSONAL
        and not (out and out[-1].sentence >= n - IMPLICIT_REACH)
    )


@rule(
    "claims.quotation-goes-on",
    stage="claims",
    purpose="a sentence with no cue of its own that continues an open quotation, or is "
    "mostly one right after a claim, is the previous speaker's (one claim per sentence)",
    example='Harbour news\nTomas Pell said the port was safe. "The ferries will sail on Friday '
    'as planned and the crews are ready."',
    off=False,
)
def _quotation_goes_on(
    piece: str, out: Sequence[SpeechCue], n: int, continues: bool, share: float
) -> bool:
    return bool(
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
    )


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
