"""Who speaks in an English sentence: "X said", '"…," said X', "X, who …, said".

English puts the subject before the verb, often with an aside between ("Erin
Murphy, a former aide who …, said"), or after it only behind a quotation or a
comma; "he"/"she" is left for the claims to resolve, and "X told the Guardian"
names the outlet as a relay.
"""

from __future__ import annotations

import re

from ..lang.lexicon import CLOSE_QUOTES, OPEN_QUOTES
from ..models import Span
from ..text.normalize import normalize
from .phrases import CueSentence, Speaker, is_media
from .rulebook import rule
from .tokens import CALENDAR, Token, ends_clause, is_verb


def english_speakers(s: CueSentence, i: int) -> tuple[Speaker, ...]:
    """'X said', 'said X', 'X told Y' (Y a medium: a relay too), 'X, who …, said'.

    Each phrase found is then checked: a noun phrase headed by a name, a title, a
    pronoun or a noun, never a time word, an adverb or a preposition alone.
    """
    if _fronted_participle(s, i):
        return ()
    agent = _passive_agent(s, i)
    if agent is not None:
        return (Speaker(agent),)
    return tuple(_checked(s, speaker) for speaker in _speakers(s, i))


def _speakers(s: CueSentence, i: int) -> tuple[Speaker, ...]:
    toks = s.toks
    if i > 1 and "," in toks[i - 1].after:  # "Erin Murphy, a former aide who …, said"
        opener = _opening_name(s, i - 1) or _name_before_aside(s, i - 1)
        if opener is not None:
            return (Speaker(opener),)
    antecedent = _who_antecedent(s, i)
    if antecedent is not None:
        return (Speaker(antecedent),)
    before = s.phrase_before(_active_start(s, i))
    if before is not None:  # "but this time he praised": the pronoun is the subject
        before = _pronoun_tail(s, before) or before
    if before is not None and not s.pronoun(before):
        speakers = [Speaker(part) for part in _conjuncts(s, before) or [before]]
        outlet = _told_outlet(s, i)
        if outlet is not None:
            speakers.append(Speaker(outlet))
        return tuple(speakers)
    if before is not None:  # "he said"; "he told the Guardian" relays it too
        implicit = Speaker(None, implicit=True, pronoun=_word(s, before))
        outlet = _told_outlet(s, i)
        return (implicit, Speaker(outlet)) if outlet is not None else (implicit,)
    return _after_or_coordinated(s, i)


def _after_or_coordinated(s: CueSentence, i: int) -> tuple[Speaker, ...]:
    """With nothing before the verb: 'said X' after a quotation or a comma, the subject
    before an aside for a verb that never inverts, or that of "… and blamed"."""
    toks = s.toks
    inverted = _inverts(s, i)
    aside = _subject_before_aside(s, i) if inverted else None
    if aside is not None:
        return (Speaker(aside),)
    if inverted and i and _never_inverts(s, i):
        subject = _fronted_subject(s, i)
        if subject is not None and s.pronoun(subject):
            return (Speaker(None, implicit=True, pronoun=_word(s, subject)),)
        return (Speaker(subject),) if subject is not None else ()
    after, _ = s.phrase_after(i, max_words=6) if inverted else (None, i)
    if (
        after is not None
        and not s.pronoun(after)
        and toks[i].word not in s.lex.telling_verbs_inflected
    ):
        return (Speaker(after),)
    if after is not None and s.pronoun(after):  # '"…," said he'
        return (Speaker(None, implicit=True, pronoun=_word(s, after)),)
    if not inverted and i and toks[i - 1].word == "and":
        subject = _coordinated_subject(s, i)  # "Mr. Putin backpedaled … and blamed …"
        if subject is not None and s.pronoun(subject):  # "He argued … and said …"
            return (Speaker(None, implicit=True, pronoun=_word(s, subject)),)
        if subject is not None:
            return (Speaker(subject),)
    return ()


@rule(
    "speakers.pronoun-ends-subject-phrase",
    stage="speakers",
    language="en",
    purpose='"but this time he praised": a pronoun that ends the phrase before the verb is '
    "the subject",
    example="Tomas Pell spoke on Monday. On Tuesday he said the port is safe.",
    off=None,
)
def _pronoun_tail(s: CueSentence, before: Span) -> Span | None:
    words = list(re.finditer(r"\S+", s.text[before[0] : before[1]]))
    tail = (before[0] + words[-1].start(), before[0] + words[-1].end()) if words else before
    return tail if len(words) > 1 and s.pronoun(tail) else None


@rule(
    "speakers.told-an-outlet",
    stage="speakers",
    language="en",
    purpose='"X told Reuters": the outlet told relays the statement, a speaker after X',
    example="Tomas Pell told Reuters that the port is safe.",
    off=None,
)
def _told_outlet(s: CueSentence, i: int) -> Span | None:
    """The medium after "told" at token i, if the one told is an outlet."""
    if s.toks[i].word in s.lex.telling_verbs and i + 1 < len(s.toks):
        obj, _ = s.phrase_after(i, max_words=4)
        if obj is not None and is_media(s.text[obj[0] : obj[1]], s.lex):
            return obj
    return None


@rule(
    "speakers.inverted-subject",
    stage="speakers",
    language="en",
    purpose="'said X' inverts only after a quotation or a comma, or to open the sentence: "
    'in "… and blamed the tumble" what follows is the object',
    example='"The port is safe and the ferries will sail," said Tomas Pell.',
    off=False,
)
def _inverts(s: CueSentence, i: int) -> bool:
    return i == 0 or any(p in s.toks[i - 1].after for p in (",", *CLOSE_QUOTES))


@rule(
    "speakers.never-inverting-verb",
    stage="speakers",
    language="en",
    purpose='"Candidates, including Trump, criticized the trade": a verb that never precedes '
    "its subject has it before the aside; what follows is its object",
    example="Harbour news\nSeveral captains, including Tomas Pell, criticized the harbour master.",
    off=False,
)
def _never_inverts(s: CueSentence, i: int) -> bool:
    return bool(s.lex.inverting_verbs) and s.toks[i].word not in s.lex.inverting_verbs


@rule(
    "speakers.coordinated-subject",
    stage="speakers",
    language="en",
    purpose='"Mr. Putin backpedaled … and blamed …": the name that opens the sentence is the '
    'subject of a verb after "and"',
    example="Tomas Pell closed the port and warned that the ferries would stop.",
    off=None,
)
def _coordinated_subject(s: CueSentence, i: int) -> Span | None:
    return subject_name(s, i)


@rule(
    "speakers.fronted-subject",
    stage="speakers",
    language="en",
    purpose='"Several candidates, including …, criticized": the phrase before an aside set '
    "off by commas is the subject",
    example="Harbour news\nSeveral captains, including Tomas Pell, criticized the harbour master.",
    off=None,
)
def _fronted_subject(s: CueSentence, verb: int, max_words: int = 8) -> Span | None:
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
        or head in s.lex.fronted_openers
        or head in CALENDAR
        or head.endswith(("ing", "ly"))
        or any(q in toks[0].before for q in OPEN_QUOTES)
        or any(is_verb(t.word, s.lex, s.lex.reporting_verbs) for t in toks[: end + 1])
        or any(t.word in s.lex.copulas for t in toks[: end + 1])  # "This was the Trump we knew,"
    ):
        return None
    return toks[0].start, toks[end].end


@rule(
    "speakers.subject-before-lowercase-aside",
    stage="speakers",
    language="en",
    purpose='"A senior official, speaking on condition of anonymity, said the two sides …": '
    "the phrase before a lower-case aside is the subject; what follows the verb is its object",
    example="A senior harbour official, speaking on condition of anonymity, said the two "
    "crews would meet.",
    off=None,
)
def _subject_before_aside(s: CueSentence, i: int) -> Span | None:
    toks = s.toks
    if not i or "," not in toks[i - 1].after or any(q in toks[i - 1].after for q in CLOSE_QUOTES):
        return None
    subject = _fronted_subject(s, i)
    if subject is None or s.pronoun(subject):
        return None
    comma = next(k for k in range(i) if toks[k].end == subject[1])
    return subject if s.text[toks[comma + 1].start].islower() else None


def subject_name(s: CueSentence, last: int) -> Span | None:
    """The capitalized name that opens the sentence, before a lower-case verb and `last`."""
    toks = s.toks
    first = k = _after_fronted_adjunct(s, last)
    while k < min(first + 4, last) and s.text[toks[k].start : toks[k].start + 1].isupper():
        if (
            toks[k].word in s.lex.speaker_stops
            or toks[k].word in CALENDAR
            or toks[k].after.strip(".")
        ):
            return None
        k += 1
    if k == first or k >= last or not s.text[toks[k].start : toks[k].start + 1].islower():
        return None
    if k == first + 1 and toks[first].word in s.lex.not_subject_words:
        return None
    return toks[first].start, toks[k - 1].end


@rule(
    "speakers.fronted-adjunct-skipped",
    stage="speakers",
    language="en",
    purpose='"Asked about it, Pell said", "Hours later, Pell …, saying": a fronted phrase '
    "opened by a preposition, a participle or a time word is no subject; the subject "
    "follows its comma",
    example="Tomas Pell spoke first. Hours later, Ana Brandt closed the port, saying the "
    "ferries would stop.",
    off=0,
)
def _after_fronted_adjunct(s: CueSentence, last: int) -> int:
    """The token after the comma of a fronted adjunct that opens the sentence, or 0."""
    toks = s.toks
    comma = next((k for k in range(last) if "," in toks[k].after), None)
    if comma is None or comma + 1 >= last or any(q in toks[0].before for q in OPEN_QUOTES):
        return 0
    head = toks[0]
    raw = s.text[head.start : head.end]
    fronted = (
        head.word in s.lex.speaker_stops
        or _time_word(s, head)
        or (len(toks) > 1 and raw[:1].isupper() and raw.endswith(("ing", "ed")) and comma)
        or _adverb(s, head)
    )
    return comma + 1 if fronted else 0


@rule(
    "speakers.opening-name",
    stage="speakers",
    language="en",
    purpose='"Erin Murphy, a former aide, said": the capitalized name that opens the '
    "sentence and ends at a comma speaks",
    example="Tomas Pell, who runs the port, and the crews, said the ferries would stop.",
    off=None,
)
def _opening_name(s: CueSentence, last: int) -> Span | None:
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


@rule(
    "speakers.who-antecedent",
    stage="speakers",
    language="en",
    purpose='"Abbas, who said …": the name a ", who … said" clause hangs on speaks',
    example="The ferries stopped after Tomas Pell, who said the port was unsafe, closed it.",
    off=None,
)
def _who_antecedent(s: CueSentence, verb: int, max_words: int = 4) -> Span | None:
    """The name a ", who … said" clause hangs on: "McConnell, now the Senate majority
    leader, who in 2010 said …", "Abbas, who said …": the relative's antecedent speaks.
    """
    toks = s.toks
    for k in range(verb - 1, max(0, verb - max_words - 1), -1):
        t = toks[k]
        if k < verb - 1 and (ends_clause(t) or t.after.strip()):
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


def _described_antecedent(s: CueSentence, last: int, max_words: int = 4) -> Span | None:
    """A definite description that "who" hangs on: "a lecture from the Mexican
    president, who said …" is the president's; "who" is a person, so the phrase from
    "the" to the comma names the speaker (the actor stage resolves it to a name)."""
    toks = s.toks
    for k in range(last, max(-1, last - max_words - 1), -1):
        t = toks[k]
        if k < last and (ends_clause(t) or t.after.strip()):
            return None
        if t.word == "the":
            return (t.start, toks[last].end) if k < last else None
        if t.word != "of" and (t.word in s.lex.speaker_stops or t.word in s.lex.pronoun_subjects):
            return None
    return None


@rule(
    "speakers.name-before-aside",
    stage="speakers",
    language="en",
    purpose='"…, as Peña Nieto, contradicting Trump, said": the capitalized name before a '
    "lower-case aside speaks, not the aside's object",
    example="The port will close, as Tomas Pell, contradicting the minister, said on Monday.",
    off=None,
)
def _name_before_aside(s: CueSentence, last: int, max_aside: int = 6) -> Span | None:
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


def _word(s: CueSentence, span: Span) -> str:
    return normalize(s.text[span[0] : span[1]])


@rule(
    "speakers.and-names-two",
    stage="speakers",
    language="en",
    purpose='"Lena Ortiz and Ana Brandt said": each of the two speaks',
    example="Tomas Pell and Ana Brandt said the port is safe.",
    off=None,
)
def _conjuncts(s: CueSentence, span: Span) -> list[Span] | None:
    """ "Lena Ortiz and Ana Brandt said": each of the two speaks.

    Only a whole phrase splits: one cut short by the word limit ("… Agency and 14
    national organizations") may begin inside a name; nor does one with a pronoun.
    """
    k = next((n for n, t in enumerate(s.toks) if t.start == span[0]), 0)
    prev = s.toks[k - 1] if k else None
    if prev is not None and s.text[prev.start : prev.end][:1].isupper() and not ends_clause(prev):
        return None
    parts: list[Span] = []
    start = span[0]
    for m in re.finditer(r"\s+and\s+", s.text[span[0] : span[1]]):
        parts.append((start, span[0] + m.start()))
        start = span[0] + m.end()
    parts.append((start, span[1]))
    named = [p for p in parts if p[0] < p[1] and not s.pronoun(p)]
    return named if len(named) == len(parts) else None


def _adverb(s: CueSentence, t: Token) -> bool:
    """An adverb that may stand between a subject and its verb: "further", "sharply"."""
    raw = s.text[t.start : t.end]
    return (
        t.word in s.lex.subject_adverbs
        or t.word in s.lex.verb_adverbs
        or (raw.islower() and len(raw) > 4 and raw.endswith("ly") and raw not in s.lex.ly_nouns)
    )


def _time_word(s: CueSentence, t: Token) -> bool:
    return t.word in s.lex.time_nouns or t.word in CALENDAR


@rule(
    "speakers.adjuncts-before-verb",
    stage="speakers",
    language="en",
    purpose='"Pell on Tuesday said", "Pell has sharply criticized", "Pell (R-Ky.) said": '
    "time phrases, adverbs, auxiliaries and a parenthesis before the verb are not the subject",
    example="Tomas Pell on Tuesday said that the port is safe.",
    off=None,
)
def _adjunct_start(s: CueSentence, i: int) -> int:
    """The first token of the adverbs, auxiliaries, time phrases and parenthesis that
    stand right before verb i (i itself when none does); one word is left before it."""
    toks, lex = s.toks, s.lex
    k = i
    while k > 1:
        t = toks[k - 1]
        if ")" in t.after and not t.after.strip(".)"):  # "Pell (R-Ky.) said"
            opening = next((m for m in range(k - 1, max(0, k - 6), -1) if "(" in toks[m].before), 0)
            if opening < 1:
                break
            k = opening
            continue
        if ends_clause(t) or t.after.strip():
            break
        if _adverb(s, t) or t.word in lex.progressive_auxiliaries:
            k -= 1
        elif _time_word(s, t) and t.word not in lex.speaker_stops | lex.determiners:
            k -= 1  # "on Tuesday", "last week", "Thursday evening"
            while k > 1 and _time_word(s, toks[k - 1]) and not toks[k - 1].after.strip():
                k -= 1
        else:
            break
    return k


def _active_start(s: CueSentence, i: int) -> int:
    """Where the subject's phrase ends before verb i: before its adjuncts, unless the
    verb is passive ("was briefed", "is criticized"): then its subject does not speak."""
    k = _adjunct_start(s, i)
    toks = s.toks
    passive = any(toks[m].word in s.lex.copulas for m in range(k, i))
    return i if passive and not toks[i].word.endswith("ing") else k


@rule(
    "speakers.fronted-participle",
    stage="speakers",
    language="en",
    purpose='"Stressing the risk, Pell said …": a participle that opens the sentence is no '
    "cue of its own; its subject speaks with the main verb",
    example='Stressing the danger to the ferries, Tomas Pell said, "The port is not safe."',
    off=False,
)
def _fronted_participle(s: CueSentence, i: int) -> bool:
    return i == 0 and s.toks[0].word.endswith("ing") and len(s.toks) > 1


@rule(
    "speakers.passive-agent",
    stage="speakers",
    language="en",
    purpose='"The plan was first reported by the Gazette": the agent after "by" speaks',
    example="The closure of the port was first reported by the Harbour Gazette.",
    off=None,
)
def _passive_agent(s: CueSentence, i: int) -> Span | None:
    """The phrase after "by" when verb i is a passive participle after a form of "be"."""
    toks, lex = s.toks, s.lex
    if i + 2 >= len(toks) or toks[i + 1].word != "by" or toks[i].after.strip():
        return None
    start = _adjunct_start(s, i)
    if not any(toks[k].word in lex.copulas for k in range(start, i)):
        return None
    agent, _ = s.phrase_after(i + 1, max_words=6)
    if agent is None or s.pronoun(agent):
        return None
    words = [t for t in toks if agent[0] <= t.start < agent[1] and t.word not in lex.determiners]
    named = bool(words) and (
        _capital(s, words[0]) or any(t.word in lex.source_nouns | lex.media_nouns for t in words)
    )
    return agent if named else None  # "threatened by a deadly campaign": no one speaks


@rule(
    "speakers.phrase-checked",
    stage="speakers",
    language="en",
    purpose="a speaker phrase is a noun phrase: a dateline, a leading conjunction or "
    '"both", a trailing adverb or parenthesis are cut; a phrase of time words, adverbs or '
    "determiners alone names no one, and the previous speaker goes on",
    example='Tomas Pell spoke first. "The port is safe," he said, and both firmly insisted '
    "that the ferries sail.",
    off=None,
)
def _checked(s: CueSentence, speaker: Speaker) -> Speaker:
    if speaker.span is None:
        return speaker
    toks = [t for t in s.toks if speaker.span[0] <= t.start and t.end <= speaker.span[1]]
    cut = next((n for n, t in enumerate(toks) if n and "(" in t.before), len(toks))
    toks = toks[:cut]  # "Mitch McConnell (R-Ky.)"
    dash = next((n for n, t in enumerate(toks) if n < 3 and _dateline_end(s, toks, n)), None)
    if dash is not None:  # "CLEVELAND — Tomas Pell"
        toks = toks[dash + 1 :]
    while toks and (
        toks[0].word in s.lex.coordinating_conjunctions
        or toks[0].word in s.lex.subject_adverbs
        or toks[0].word in s.lex.fronted_openers
    ):
        toks = toks[1:]
    while len(toks) > 1 and (_adverb(s, toks[-1]) or _time_word(s, toks[-1])):
        toks = toks[:-1]
    if not toks or all(_no_head(s, t) for t in toks):
        return Speaker(None, implicit=True)
    span = _title_of(s, (toks[0].start, toks[-1].end))
    return Speaker(span, speaker.implicit, speaker.pronoun, speaker.role)


def _dateline_end(s: CueSentence, toks: list[Token], n: int) -> bool:
    """Token n ends a dateline: words in capitals, then a dash ("CLEVELAND —")."""
    after = s.text[toks[n].end : toks[n + 1].start] if n + 1 < len(toks) else ""
    return any(d in after for d in "-—–") and all(
        s.text[t.start : t.end].isupper() for t in toks[: n + 1]
    )


def _no_head(s: CueSentence, t: Token) -> bool:
    """A word no speaker phrase is headed by: a time word, an adverb, a determiner, a
    form of "be", a preposition or a conjunction."""
    return (
        _time_word(s, t)
        or _adverb(s, t)
        or t.word in s.lex.determiners
        or t.word in s.lex.copulas
        or t.word in s.lex.speaker_stops
        or t.word in s.lex.progressive_auxiliaries
    )


@rule(
    "speakers.title-of-kept",
    stage="speakers",
    language="en",
    purpose='"Secretary of State Ana Brandt": a title joined by "of" is one phrase with its '
    "name, not the title or the name cut at it",
    example="Secretary of State Ana Brandt said the port is safe.",
    off=None,
)
def _title_of(s: CueSentence, span: Span) -> Span:
    """The span grown across a title's "of": back to "Secretary" before "of State
    Ana Brandt", and on to the name after "… said Secretary"."""
    toks = s.toks
    first = next((n for n, t in enumerate(toks) if t.start == span[0]), None)
    last = next((n for n, t in enumerate(toks) if t.end == span[1]), None)
    if first is None or last is None:
        return span
    if first >= 2 and toks[first - 1].word == _OF and _title(s, toks[first - 2]):
        if not toks[first - 2].after.strip() and not toks[first - 1].after.strip():
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
