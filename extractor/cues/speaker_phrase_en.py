"""The English speaker phrase checked: what stands between a subject and its verb, and
what a speaker phrase may be headed by.

Time phrases ("on Tuesday", "last week"), adverbs ("further", "sharply"),
auxiliaries and a parenthesis ("(R-Ky.)") stand between a subject and its verb; a
passive verb of speech names its speaker after "by"; a phrase of time words or
adverbs alone names no one.
"""

from __future__ import annotations

from ..lang.lexicon import OPEN_QUOTES
from ..models import Span
from ..text.normalize import normalize
from .phrases import CueSentence, Speaker
from .rulebook import rule
from .tokens import CALENDAR, Token, ends_clause, is_verb


@rule(
    "speakers.according-to-after-the-verb",
    stage="speakers",
    language="en",
    purpose='"X said A, according to Y": Y, named after the verb, relays it (a speaker after X)',
    example="Harbour news\nTomas Pell said the port would close, according to Ana Brandt.",
    off=None,
)
def according_to(s: CueSentence, i: int) -> Span | None:
    """The source an attribution phrase after a comma names, past verb i."""
    toks = s.toks
    for k in range(i + 1, len(toks)):
        if "," not in toks[k - 1].after or (s.quoted and s.quoted[k]):
            continue
        for phrase in s.lex.attribution_phrases:
            if tuple(t.word for t in toks[k : k + len(phrase)]) == phrase:
                after, _ = s.phrase_after(k + len(phrase) - 1, max_words=8)
                return after if _named(s, after) else None  # not "citing the release"
    return None


def _named(s: CueSentence, span: Span | None) -> bool:
    """A phrase that names someone: a capitalized name, a source or a medium."""
    if span is None or s.pronoun(span):
        return False
    lex = s.lex
    words = [t for t in s.toks if span[0] <= t.start < span[1] and t.word not in lex.determiners]
    return bool(words) and (
        _capital(s, words[0]) or any(t.word in lex.source_nouns | lex.media_nouns for t in words)
    )


def is_adverb(s: CueSentence, t: Token) -> bool:
    """An adverb that may stand between a subject and its verb: "further", "sharply"; a
    word in -ly after a determiner or a possessive is a noun ("the family", "his ally")."""
    raw = s.text[t.start : t.end]
    if t.word in s.lex.verb_adverbs:
        return True
    if not (raw.islower() and len(raw) > 4 and raw.endswith("ly")):
        return False
    before = s.text[max(s.start, t.start - 40) : t.start].split()
    prev = normalize(before[-1]) if before else ""
    return not (
        prev in s.lex.noun_openers or prev in s.lex.determiners or prev.endswith(("'s", "’s"))
    )


def is_time_word(s: CueSentence, t: Token) -> bool:
    return t.word in s.lex.time_nouns or t.word in CALENDAR


@rule(
    "speakers.adjuncts-before-verb",
    stage="speakers",
    language="en",
    purpose='"Pell on Tuesday said", "Pell sharply criticized", "Pell (R-Ky.) said": time '
    "phrases, adverbs in -ly and a parenthesis before the verb are not the subject",
    example="Tomas Pell on Tuesday said that the port is safe.",
    off=False,
)
def _adjunct(s: CueSentence, k: int) -> bool:
    """Token k is an adverb in -ly, or the head of a time phrase ("Tuesday", "week")."""
    t = s.toks[k]
    if is_time_word(s, t):
        return t.word not in s.lex.speaker_stops | s.lex.determiners
    return t.word not in s.lex.verb_adverbs and is_adverb(s, t)


def _adjunct_start(s: CueSentence, i: int) -> int:
    """The first token of the adverbs, time phrases and parenthesis that stand right
    before verb i (i itself when none does); one word is left before it."""
    toks = s.toks
    k = i
    while k > 1:
        t = toks[k - 1]
        opening = _parenthesis_before(s, k)
        if opening is not None:
            k = opening  # "Pell (R-Ky.) said"
            continue
        if ends_clause(t) or t.after.strip() or not _adjunct(s, k - 1):
            break
        k -= 1  # "on Tuesday", "last week", "Thursday evening", "sharply"
        while k > 1 and is_time_word(s, toks[k - 1]) and not toks[k - 1].after.strip():
            k -= 1
    return k


@rule(
    "speakers.parenthesis-before-verb",
    stage="speakers",
    language="en",
    purpose='"Pell (R-Ky.) said": a short parenthesis before the verb is an aside, not the subject',
    example="Senator Tomas Pell (R-Ky.) said that the port is safe.",
    off=None,
)
def _parenthesis_before(s: CueSentence, k: int) -> int | None:
    """The token that opens a parenthesis of a few words closing right before token k."""
    toks = s.toks
    if ")" not in toks[k - 1].after or toks[k - 1].after.strip(".)"):
        return None
    opening = next((m for m in range(k - 1, max(0, k - 6), -1) if "(" in toks[m].before), 0)
    return opening if opening >= 1 else None


def _passive(s: CueSentence, i: int, k: int) -> bool:
    """Verb i is a passive participle: a form of "be" before it, past its adverbs."""
    toks, lex = s.toks, s.lex
    m = k - 1
    while m >= 0 and (toks[m].word in lex.verb_adverbs or toks[m].word in lex.copulas):
        if toks[m].word in lex.copulas:
            return not toks[i].word.endswith("ing")
        m -= 1
    return False


def active_start(s: CueSentence, i: int) -> int:
    """Where the subject's phrase ends before verb i: before its adjuncts, unless the
    verb is passive ("was briefed", "is criticized"): then its subject does not speak."""
    k = _adjunct_start(s, i)
    return i if _passive(s, i, k) else k


@rule(
    "speakers.fronted-participle",
    stage="speakers",
    language="en",
    purpose='"Stressing the risk, Pell said …": a participle that opens the sentence is no '
    "cue of its own; its subject speaks with the main verb",
    example='Harbour news\nEmphasizing the danger, Tomas Pell said, "The port is not safe."',
    off=False,
)
def fronted_participle(s: CueSentence, i: int) -> bool:
    return (i == 0 and s.toks[0].word.endswith("ing") and len(s.toks) > 1) or (
        _fronted_past_participle(s, i)
    )


@rule(
    "speakers.fronted-past-participle",
    stage="speakers",
    language="en",
    purpose='"Asked about the port, Pell said …": a past participle that opens the sentence '
    "before a comma is a clause about the subject, no cue; its object never speaks",
    example='Harbour news\nAsked a direct question about the ferries, Tomas Pell said, "They '
    'will sail."',
    off=False,
)
def _fronted_past_participle(s: CueSentence, i: int) -> bool:
    toks = s.toks
    return (
        i == 0
        and toks[0].word.endswith("ed")
        and any("," in t.after for t in toks[1:-1])
        and not any(q in toks[0].before for q in OPEN_QUOTES)
    )


@rule(
    "speakers.passive-agent",
    stage="speakers",
    language="en",
    purpose='"The plan was first reported by the Gazette": the agent after "by" speaks',
    example="The closure of the port was first reported by the Harbour Gazette.",
    off=None,
)
def passive_agent(s: CueSentence, i: int) -> Span | None:
    """The phrase after "by" when verb i is a passive participle after a form of "be"."""
    toks = s.toks
    if i + 2 >= len(toks) or toks[i + 1].word != "by" or toks[i].after.strip():
        return None
    if not _passive(s, i, _adjunct_start(s, i)):
        return None
    agent, _ = s.phrase_after(i + 1, max_words=6)
    return agent if _named(s, agent) else None  # "threatened by a storm": no one speaks


def checked(s: CueSentence, speaker: Speaker) -> Speaker:
    """The speaker phrase cut to its noun phrase; none when nothing there heads one."""
    if speaker.span is None:
        return speaker
    toks = [t for t in s.toks if speaker.span[0] <= t.start and t.end <= speaker.span[1]]
    cut = next((n for n, t in enumerate(toks) if n and _edge(s, t, "(")), len(toks))
    toks = toks[:cut]  # "Mitch McConnell (R-Ky.)"
    dash = next((n for n, t in enumerate(toks) if n < 3 and dateline_end(s, toks, n)), None)
    if dash is not None:  # "CLEVELAND — Tomas Pell"
        toks = toks[dash + 1 :]
    while toks and _edge(s, toks[0], "first"):
        toks = toks[1:]
    while len(toks) > 1 and _edge(s, toks[-1], "last"):
        toks = toks[:-1]
    if _names_no_one(s, toks):
        return Speaker(None, implicit=True)
    span = _described_by(s, _title_of(s, (toks[0].start, toks[-1].end)))
    return Speaker(span, speaker.implicit, speaker.pronoun, speaker.role)


@rule(
    "speakers.phrase-edges-cut",
    stage="speakers",
    language="en",
    purpose='a speaker phrase is a noun phrase: a parenthesis ("(R-Ky.)"), a leading '
    'conjunction or "both", a trailing adverb or time word are no part of it',
    example="Tomas Pell spoke first. Both Tomas Pell and Ana Brandt said the ferries sail.",
    off=False,
)
def _edge(s: CueSentence, t: Token, where: str) -> bool:
    """Token t is no part of a speaker phrase at its `where` ("(", "first", "last")."""
    lex = s.lex
    if where == "(":
        return "(" in t.before
    if where == "first":
        return (
            t.word in lex.coordinating_conjunctions
            or (t.word in lex.verb_adverbs and t.word in lex.noun_openers)
            or t.word in lex.fronted_openers
        )
    return is_adverb(s, t) or is_time_word(s, t)


@rule(
    "speakers.headless-phrase-names-no-one",
    stage="speakers",
    language="en",
    purpose="a speaker phrase of time words, adverbs, determiners or prepositions alone "
    '("Tuesday", "sharply") names no one: the previous speaker goes on',
    example="Harbour news\nTomas Pell spoke at the port. The next said the ferries would sail.",
    off=False,
)
def _names_no_one(s: CueSentence, toks: list[Token]) -> bool:
    return not toks or all(_no_head(s, t) for t in toks)


@rule(
    "speakers.dateline-cut",
    stage="speakers",
    language="en",
    purpose='a dateline in capitals and a dash ("BRIGHTON —") opens the text, not the speaker',
    example="Harbour news\nBRIGHTON — Tomas Pell said the ferries would sail.",
    off=False,
)
def dateline_end(s: CueSentence, toks: list[Token], n: int) -> bool:
    """Token n ends a dateline: words in capitals, then a dash ("CLEVELAND —")."""
    after = s.text[toks[n].end : toks[n + 1].start] if n + 1 < len(toks) else ""
    return any(d in after for d in "-—–") and all(
        s.text[t.start : t.end].isupper() for t in toks[: n + 1]
    )


def _no_head(s: CueSentence, t: Token) -> bool:
    """A word no speaker phrase is headed by: a time word, an adverb, a determiner, a
    form of "be", a preposition or a conjunction."""
    return (
        is_time_word(s, t)
        or is_adverb(s, t)
        or t.word in s.lex.determiners
        or t.word in s.lex.copulas
        or t.word in s.lex.speaker_stops
        or t.word in s.lex.progressive_auxiliaries
    )


@rule(
    "speakers.noun-for-a-name",
    stage="speakers",
    language="en",
    purpose='"A reporter for the Gazette said": the noun a name hangs on by a preposition '
    "heads the speaker phrase; the name alone is not who speaks",
    example="Harbour news\nA reporter for the Harbour Gazette said the ferries would sail.",
    off=None,
)
def _described_by(s: CueSentence, span: Span) -> Span:
    """The span grown back over "a reporter for" before the name it starts with."""
    toks, lex = s.toks, s.lex
    first = next((n for n, t in enumerate(toks) if t.start == span[0]), 0)
    if first < 3 or toks[first - 1].word not in lex.head_links or toks[first - 1].after.strip():
        return span
    for k in range(first - 2, max(-1, first - 5), -1):
        t = toks[k]
        if t.after.strip() or (_capital(s, t) and k):
            return span
        if t.word in lex.determiners and (k == 0 or ends_clause(toks[k - 1])):
            return (t.start, span[1]) if k < first - 2 else span
        if t.word in lex.speaker_stops or t.word in lex.pronoun_subjects:
            return span
    return span


@rule(
    "speakers.title-of-kept",
    stage="speakers",
    language="en",
    purpose='"Secretary of State Ana Brandt": a title joined by "of" is one phrase with its '
    "name, not the title or the name cut at it",
    example="Harbour news\nSecretary of State Ana Brandt said the port is safe.",
    off=False,
)
def _of_title(s: CueSentence) -> bool:
    """Whether a title's "of" joins a speaker phrase ("Secretary of State Ana Brandt")."""
    return "article-word" in s.lex.traits


def _title_of(s: CueSentence, span: Span) -> Span:
    """The span grown across a title's "of": back to "Secretary" before "of State
    Ana Brandt", and on to the name after "… said Secretary"."""
    toks = s.toks
    first = next((n for n, t in enumerate(toks) if t.start == span[0]), None)
    last = next((n for n, t in enumerate(toks) if t.end == span[1]), None)
    if first is None or last is None or not _of_title(s):
        return span
    if (
        first >= 2
        and toks[first - 1].word == _OF
        and _title(s, toks[first - 2])
        and not toks[first - 2].after.strip()
        and not toks[first - 1].after.strip()
    ):
        first -= 2
        while first and _title(s, toks[first - 1]) and not toks[first - 1].after.strip():
            first -= 1
    if last + 2 < len(toks) and _title(s, toks[last]) and toks[last + 1].word == _OF:
        end = last + 2
        while end + 1 < len(toks) and not toks[end].after.strip() and _capital(s, toks[end + 1]):
            end += 1
        if _capital(s, toks[last + 2]) and not toks[last].after.strip():
            last = end
    return toks[first].start, toks[last].end


_OF = "of"


def _title(s: CueSentence, t: Token) -> bool:
    return _capital(s, t) and (t.word in s.lex.name_titles or t.word in s.lex.title_words)


def _capital(s: CueSentence, t: Token) -> bool:
    return s.text[t.start : t.start + 1].isupper()


@rule(
    "speakers.citing-yields-to-a-later-verb",
    stage="speakers",
    purpose='"Pell, citing a survey, said …", "Citing officials, the Gazette reports …": a '
    "participle of attribution before the sentence's reporting verb names what the "
    "speaker cites; the verb's subject speaks",
    example="Tomas Pell, citing data from the harbour office, said that the port is safe.",
    off=False,
)
def participle_yields(s: CueSentence, i: int, phrase: tuple[str, ...]) -> bool:
    """Does the participle phrase at token i come before a reporting verb of its own?"""
    toks = s.toks
    if len(phrase) != 1 or not phrase[0].endswith("ing"):
        return False
    return any(
        is_verb(toks[k].word, s.lex, s.lex.reporting_verbs) and not (s.quoted and s.quoted[k])
        for k in range(i + 2, len(toks))
    )


@rule(
    "claims.participle-in-a-fronted-phrase",
    stage="claims",
    language="en",
    purpose='"In a message posted Friday, Pell said …": a participle inside the prepositional '
    "phrase that opens the sentence describes its noun; it is no cue",
    example="In a message posted on Friday, Tomas Pell said the port is safe.",
    off=False,
)
def in_fronted_phrase(s: CueSentence, i: int) -> bool:
    toks = s.toks
    if not (0 < i < len(toks) - 1) or not toks[i].word.endswith(("ing", "ed")):
        return False
    if toks[0].word not in s.lex.fronting_words or toks[1].word not in s.lex.noun_openers:
        return False  # "After Pell warned …," is a clause: its verb is one
    if any(q in toks[0].before for q in OPEN_QUOTES):
        return False
    if any("," in t.after for t in toks[:i]):
        return False
    return any("," in t.after for t in toks[i:-1])
