"""English names found by their capitals: "Vladimir V. Putin", "State Department", "FIFA"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from ..lang.lexicon import Lexicon, load_lexicon
from ..models import Span
from ..text.segment import Sentence
from .names import name_word
from .rulebook import rule
from .tokens import Token, tokens


def _not_name(word: str, lex: Lexicon) -> bool:
    """A capitalized word no name starts or ends with: "The", "But", "Mr", "Monday"."""
    return word in lex.not_name_words or word in lex.calendar_words


def english_names(
    text: str, sentences: Sequence[Sentence], lex: Lexicon | None = None
) -> list[Span]:
    """Runs of two or more capitalized words ("Vladimir V. Putin", "State Department").

    A run may hold initials and lower-case connectors ("bin", "of") between capitals;
    leading function words ("The", "But") are not part of it. Single capitalized
    words are left to coreference ("Putin" after "Vladimir V. Putin"). Without `lex`,
    the English pack's.
    """
    lex = lex or load_lexicon("en")
    out: list[Span] = []
    for sent in sentences:
        toks = tokens(text, sent.start, sent.end)
        i = 0
        while i < len(toks):
            run, j = _capitalized_run(text, toks, i, lex)
            span = _name_of_run(text, toks, run, sent, lex)
            if span is not None:
                out.append(span)
            i = max(j, i + 1)
    return out


def _capitalized_run(
    text: str, toks: Sequence[Token], i: int, lex: Lexicon
) -> tuple[list[int], int]:
    """The capitalized words from token `i` (their indices, without function words at
    either end) and the token after the run."""
    j = i
    run: list[int] = []
    name = name_word(lex.name_articles)
    while j < len(toks):
        raw = text[toks[j].start : toks[j].end]
        if run and _parenthesis_opens(toks[j]):
            break
        if name.match(raw) and (not _not_name(toks[j].word, lex) or run):
            run.append(j)
        elif (
            run
            and toks[j].word in lex.name_connectors
            and j + 1 < len(toks)
            and (name.match(text[toks[j + 1].start : toks[j + 1].end]))
        ):
            pass
        else:
            break
        if toks[j].after and toks[j].after.strip("."):  # "with Mr Blair, Mr Abbas"
            j += 1
            break  # a comma or a quote ends the name
        j += 1
    while run and _not_name(toks[run[0]].word, lex):
        run.pop(0)
    while run and (_not_name(toks[run[-1]].word, lex) or toks[run[-1]].word in lex.name_connectors):
        run.pop()
    return run, j


@rule(
    "actors.parenthesis-ends-name",
    stage="actors",
    purpose='A parenthesis after a name ("Ana Brandt (R-Ky.)") is an aside: party, state or '
    "initials, not part of the name.",
    example="Sen. Karim Haddad (D-Ore.) met Lena Brandt on Monday.",
    off=False,
    language="en",
)
def _parenthesis_opens(tok: Token) -> bool:
    return "(" in tok.before


def _name_of_run(
    text: str, toks: Sequence[Token], run: Sequence[int], sent: Sentence, lex: Lexicon
) -> Span | None:
    """The name a run of capitalized words is, if it is one: two capitals or more, or
    an organization's initials alone."""
    caps = [k for k in run if not re.fullmatch(r"[A-Z]\.", text[toks[k].start : toks[k].end])]
    whole = text[toks[run[0]].start : toks[run[-1]].end] if run else ""
    if (
        len(caps) >= 2
        and not all(_not_name(toks[k].word, lex) for k in run)
        and not heading(whole)
        and not title_case(text, toks, run, lex)
    ):
        end = toks[run[-1]].end
        if text[end - 2 : end] in ("'s", "’s"):  # "President Bashar al-Assad's"
            end -= 2
        return toks[run[0]].start, end
    if len(run) == 1:
        return acronym(text, toks[run[0]], sent, lex)
    return None


@rule(
    "actors.all-caps-heading",
    stage="actors",
    purpose="A run of words all in capitals ('BREAKING NEWS') is a heading, not a name.",
    example="BREAKING NEWS: Karim Haddad met Lena Brandt on Monday.",
    off=False,
    language="en",
)
def heading(whole: str) -> bool:
    """ "FULL TEXT", "BREAKING NEWS": no name is written all in capitals, words apart."""
    return whole.isupper()


@rule(
    "actors.title-case-headline",
    stage="actors",
    purpose="A run that capitalizes a function word a name never capitalizes ('During', "
    "'Of') is a headline in title case.",
    example="Mayor Walks Out During City Council Vote\n\nKarim Haddad met Lena Brandt on Monday.",
    off=False,
    language="en",
)
def title_case(text: str, toks: Sequence[Token], run: Sequence[int], lex: Lexicon) -> bool:
    """ "Mayor Walks Out During City Council Vote": "During" is no name's word."""
    return any(text[toks[k].start : toks[k].end] in lex.title_case_words for k in run[1:])


@rule(
    "actors.acronym",
    stage="actors",
    purpose="One word of three to six capitals, or of initials with dots, is an "
    "organization's name ('FIFA', 'C.I.A.'), not a unit or a disease ('GDP', 'HIV').",
    example="Karim Haddad met with FIFA on Monday in Zurich.",
    off=None,
    language="en",
)
def acronym(text: str, tok: Token, sent: Sentence, lex: Lexicon) -> Span | None:
    """ "FIFA", "BBC", "C.I.A." (with its dot), not in a line that shouts."""
    whole = text[tok.start : tok.end]
    if not _acronym(lex.not_acronyms).fullmatch(whole) or _shouting(text, sent):
        return None
    end = tok.end
    end += "." in whole and text[end : end + 1] == "."  # "C.I.A." keeps its dot
    return tok.start, end


@cache
def _acronym(not_acronyms: tuple[str, ...]) -> re.Pattern[str]:
    """An organization named by its initials ("FIFA", "BBC", "C.I.A."), not one of
    `not_acronyms` (units, zones, diseases: "GDP", "GMT", "HIV")."""
    never = "|".join(map(re.escape, not_acronyms))
    return re.compile(rf"(?!(?:{never})$)(?:[A-Z]{{3,6}}|(?:[A-Z]\.){{2,3}}[A-Z]\.?)")


def _shouting(text: str, sent: Sentence) -> bool:
    """A line mostly in capitals ("INJURED IN FLORIDA NIGHTCLUB SHOOTING"): no acronyms."""
    words = re.findall(r"[A-Za-z]{4,}", text[sent.start : sent.end])
    return bool(words) and sum(w.isupper() for w in words) * 2 >= len(words)


_CAPITALIZED = r"(?:[A-Z][\w'.-]*\s+){0,3}[A-Z][\w'.-]*"


@cache
def _known_as(markers: tuple[str, ...]) -> re.Pattern[str] | None:
    """ "X, also known as Y", "X, better known as Y": two capitalized names, one actor."""
    if not markers:
        return None
    marker = "|".join(r"\s+".join(map(re.escape, m.split())) for m in markers)
    return re.compile(rf"({_CAPITALIZED}),\s+(?:{marker})\s+({_CAPITALIZED})")


@rule(
    "actors.also-known-as",
    stage="actors",
    purpose="Two names the text equates ('X, also known as Y') are one actor, not two who "
    "meet each other.",
    example="Mahmoud Abbas, also known as Abu Mazen, met Karim Haddad on Monday. "
    "Abu Mazen said the talks were useful.",
    off=(),
    language="en",
)
def equated_names(text: str, start: int, end: int, lex: Lexicon) -> Sequence[tuple[Span, Span]]:
    """(name, other name) spans where the text equates two names: "Mahmoud Abbas, also
    known as Abu Mazen", "Burma, also known as Myanmar"."""
    known_as = _known_as(lex.alias_markers)
    if known_as is None:
        return ()
    return [(m.span(1), m.span(2)) for m in known_as.finditer(text, start, end)]
