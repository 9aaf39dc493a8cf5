"""English names found by their capitals: "Vladimir V. Putin", "State Department", "FIFA"."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..models import Span
from ..text.segment import Sentence
from .names import CONNECTORS, NAME_WORD
from .tokens import CALENDAR, tokens

_NOT_NAMES = {
    "the",
    "a",
    "an",
    "but",
    "and",
    "in",
    "on",
    "at",
    "as",
    "for",
    "with",
    "from",
    "by",
    "to",
    "of",
    "after",
    "before",
    "when",
    "while",
    "if",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "their",
    "its",
    "our",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "mr",
    *CALENDAR,
}


# Function words a name never capitalizes inside it: a run that does is a headline in
# title case ("Lone Player Stands During National Anthem While Rest Of His Team …").
# fmt: off
_TITLE_CASE = frozenset((
    "Of", "To", "In", "On", "At", "For", "With", "And", "By", "During", "While", "About",
    "Despite", "After", "Before", "From", "Into", "Over", "Is", "Are", "Was", "Were", "Will",
    "Has", "Have", "Had", "His", "Her", "Their", "Its", "Your", "You", "Our", "My", "We", "It",
    "Can", "Could", "Would", "Should", "As", "Not",
))
# fmt: on


def english_names(text: str, sentences: Sequence[Sentence]) -> list[Span]:
    """Runs of two or more capitalized words ("Vladimir V. Putin", "State Department").

    A run may hold initials and lower-case connectors ("bin", "of") between capitals;
    leading function words ("The", "But") are not part of it. Single capitalized
    words are left to coreference ("Putin" after "Vladimir V. Putin").
    """
    out: list[Span] = []
    for sent in sentences:
        toks = tokens(text, sent.start, sent.end)
        i = 0
        while i < len(toks):
            j = i
            run: list[int] = []
            while j < len(toks):
                raw = text[toks[j].start : toks[j].end]
                if NAME_WORD.match(raw) and (toks[j].word not in _NOT_NAMES or run):
                    run.append(j)
                elif (
                    run
                    and toks[j].word in CONNECTORS
                    and j + 1 < len(toks)
                    and (NAME_WORD.match(text[toks[j + 1].start : toks[j + 1].end]))
                ):
                    pass
                else:
                    break
                if toks[j].after and toks[j].after.strip("."):  # "with Mr Blair, Mr Abbas"
                    j += 1
                    break  # a comma or a quote ends the name
                j += 1
            while run and toks[run[0]].word in _NOT_NAMES:
                run.pop(0)
            while run and toks[run[-1]].word in _NOT_NAMES | CONNECTORS:
                run.pop()
            caps = [
                k for k in run if not re.fullmatch(r"[A-Z]\.", text[toks[k].start : toks[k].end])
            ]
            whole = text[toks[run[0]].start : toks[run[-1]].end] if run else ""
            if (
                len(caps) >= 2
                and not all(toks[k].word in _NOT_NAMES for k in run)
                and not whole.isupper()  # "FULL TEXT", "BREAKING NEWS": a heading
                and not any(text[toks[k].start : toks[k].end] in _TITLE_CASE for k in run[1:])
            ):
                end = toks[run[-1]].end
                if text[end - 2 : end] in ("'s", "’s"):  # "President Bashar al-Assad's"
                    end -= 2
                out.append((toks[run[0]].start, end))
            elif len(run) == 1 and _ACRONYM.fullmatch(whole) and not _shouting(text, sent):
                end = toks[run[0]].end
                end += "." in whole and text[end : end + 1] == "."  # "C.I.A." keeps its dot
                out.append((toks[run[0]].start, end))  # "FIFA", "C.I.A."
            i = max(j, i + 1)
    return out


# An organization named by its initials: "FIFA", "BBC", "C.I.A."; not units, zones or
# diseases
_NOT_ACRONYMS = "CEO|GDP|USD|EUR|GMT|EST|UTC|PST|EDT|CST|COVID|AIDS|HIV|SARS|DNA|ATM|FAQ|PDF"
_ACRONYM = re.compile(rf"(?!(?:{_NOT_ACRONYMS})$)(?:[A-Z]{{3,6}}|(?:[A-Z]\.){{2,3}}[A-Z]\.?)")


def _shouting(text: str, sent: Sentence) -> bool:
    """A line mostly in capitals ("INJURED IN FLORIDA NIGHTCLUB SHOOTING"): no acronyms."""
    words = re.findall(r"[A-Za-z]{4,}", text[sent.start : sent.end])
    return bool(words) and sum(w.isupper() for w in words) * 2 >= len(words)
