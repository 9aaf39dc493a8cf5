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
from .speaker_phrase_en import (
    according_to,
    active_start,
    checked,
    dateline_end,
    fronted_participle,
    is_adverb,
    is_time_word,
    passive_agent,
)
from .tokens import CALENDAR, ends_clause, is_verb


def english_speakers(s: CueSentence, i: int) -> tuple[Speaker, ...]:
    """'X said', 'said X', 'X told Y' (Y a medium: a relay too), 'X, who …, said'.

    Each phrase found is then checked: a noun phrase headed by a name, a title, a
    pronoun or a noun, never a time word, an adverb or a preposition alone.
    """
    if fronted_participle(s, i):
        return ()
    agent = passive_agent(s, i)
    if agent is not None:
        return (Speaker(agent),)
    found = tuple(checked(s, speaker) for speaker in _speakers(s, i))
    relay = according_to(s, i) if found else None
    return found + (Speaker(relay),) if relay is not None else found


def _speakers(s: CueSentence, i: int) -> tuple[Speaker, ...]:
    toks = s.toks
    if i > 1 and "," in toks[i - 1].after:  # "Erin Murphy, a former aide who …, said"
        opener = _opening_name(s, i - 1) or _name_before_aside(s, i - 1)
        if opener is not None:
            return (Speaker(opener),)
    antecedent = _who_antecedent(s, i)
    if antecedent is not None:
        return (Speaker(antecedent),)
    before = s.phrase_before(active_start(s, i))
    if before is not None:  # "he didn't suggest": the auxiliary is no part of the subject
        before = _without_contraction(s, before) or before
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
    "speakers.contracted-auxiliary-cut",
    stage="speakers",
    language="en",
    purpose='"He didn\'t suggest", "Pell won\'t say": a contracted auxiliary before the verb is '
    "no part of the subject",
    example="Tomas Pell spoke on Monday. He didn't suggest that the port would close.",
    off=None,
)
def _without_contraction(s: CueSentence, before: Span) -> Span | None:
    words = list(re.finditer(r"\S+", s.text[before[0] : before[1]]))
    kept = len(words)
    while kept and words[kept - 1].group().lower().endswith(("n't", "n’t")):
        kept -= 1
    if kept in (0, len(words)):
        return None
    return before[0] + words[0].start(), before[0] + words[kept - 1].end()


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
def _fronted_subject(s: CueSentence, verb: int, max_words: int = 8, first: int = 0) -> Span | None:
    """The phrase that opens the sentence (or what follows a fronted adjunct, at token
    `first`) up to its next comma, when an aside set off by commas runs from there to
    the verb: "Several candidates, including …, criticized".
    """
    toks = s.toks
    end = next((k for k in range(first, verb) if "," in toks[k].after), None)
    if end is None or end + 1 >= verb or end + 1 - first > max_words:
        return None
    head = toks[first].word
    if (
        head in s.lex.speaker_stops
        or head in s.lex.fronted_openers
        or head in CALENDAR
        or head.endswith(("ing", "ly"))
        or any(q in toks[first].before for q in OPEN_QUOTES)
        or any(is_verb(t.word, s.lex, s.lex.reporting_verbs) for t in toks[first : end + 1])
        or any(t.word in s.lex.copulas for t in toks[first : end + 1])  # "This was the Trump"
    ):
        return None
    return toks[first].start, toks[end].end


@rule(
    "speakers.subject-before-lowercase-aside",
    stage="speakers",
    language="en",
    purpose='"A senior official, speaking on condition of anonymity, said the two sides …": '
    "the phrase before a lower-case aside is the subject, a name set off after it is the "
    "speaker; what follows the verb is its object",
    example="A senior harbour official, speaking on condition of anonymity, said the two "
    "crews would meet.",
    off=None,
)
def _subject_before_aside(s: CueSentence, i: int) -> Span | None:
    toks = s.toks
    if not i or "," not in toks[i - 1].after or any(q in toks[i - 1].after for q in CLOSE_QUOTES):
        return None
    first = _after_fronted_adjunct(s, i)  # "In a statement, one of the lawyers, Ana Brandt,"
    if toks[i].word not in s.lex.inverting_verbs or toks[first].word not in s.lex.noun_openers:
        return None  # "Several captains, including X, criticized": the verb never inverts
    subject = _fronted_subject(s, i, first=first)
    if subject is None or s.pronoun(subject):
        return None
    comma = next(k for k in range(i) if toks[k].end == subject[1])
    if s.text[toks[comma + 1].start].islower():
        return subject
    aside = toks[comma + 1 : i]  # "The head of the board, Ana Brandt, said": the name
    named = len(aside) <= 4 and all(
        s.text[t.start].isupper() and t.word not in s.lex.speaker_stops for t in aside
    )
    named = named and not any(t.after.strip(".") for t in aside[:-1])
    return (aside[0].start, aside[-1].end) if named else None


def subject_name(s: CueSentence, last: int) -> Span | None:
    """The capitalized name that opens the sentence, before a lower-case verb and `last`."""
    toks = s.toks
    first = k = _after_fronted_adjunct(s, last) or next(
        (n + 1 for n in range(min(2, last)) if dateline_end(s, toks, n)), 0
    )  # "BRIGHTON — Ana Brandt closed the port, saying …"
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
        or is_time_word(s, head)
        or (len(toks) > 1 and raw[:1].isupper() and raw.endswith(("ing", "ed")) and comma)
        or is_adverb(s, head)
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
    first = _past_conjunction(s, first, last)
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
    "speakers.opening-name-after-conjunction",
    stage="speakers",
    language="en",
    purpose='"But Ana Brandt, a lawyer at …, said": a conjunction that opens the sentence is '
    "no part of the name that follows it",
    example="The port was closed. But Ana Brandt, senior associate for harbour planning at the "
    "Tomas Pell Institute, said crews still want the ferries.",
    off=0,
)
def _past_conjunction(s: CueSentence, first: int, last: int) -> int:
    """Token `first`, or the one after it when it is a coordinating conjunction."""
    if first + 1 < last and s.toks[first].word in s.lex.coordinating_conjunctions:
        return first + 1
    return first


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
