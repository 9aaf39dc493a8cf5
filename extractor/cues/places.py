"""Countries and blocs of the gazetteer as the text mentions them ("قطر", "القطري", "US").

Found by the gazetteer's forms alone, in reading order; the actor of a place is then
named by the form the gazetteer lists first among those the text uses.
"""

from __future__ import annotations

import re
from functools import cache

from ..lang.lexicon import Gazetteer, Lexicon, Place, load_lexicon
from ..models import Actor, Span
from ..text.normalize import normalize
from ..text.segment import Segment
from .tokens import tokens


@cache
def _arabic_heads(
    gazetteer: Gazetteer, clitics: frozenset[str], conjunctions: frozenset[str]
) -> dict[str, list[tuple[list[str], Place]]]:
    """Each written first word (with its clitics) → the forms it can start, longest first.

    One dictionary look-up per token instead of a pass over every form: the cost of
    finding places stays linear in the text. `clitics` go before a form ("وقطر",
    "فبالسعودية"), `conjunctions` before its article turned ل ("وللسعودية").
    """
    forms = [(normalize(f).split(), p) for p in gazetteer.places for f in p.forms]
    forms.sort(key=lambda fp: len(fp[0]), reverse=True)
    heads: dict[str, list[tuple[list[str], Place]]] = {}
    for words, place in forms:
        variants = {c + words[0] for c in ("", *clitics)}
        if words[0].startswith("ال"):
            variants |= {c + "ل" + words[0][1:] for c in ("", *conjunctions)}  # للسعودية
        for variant in variants:
            heads.setdefault(variant, []).append((words, place))
    return heads


def place_mentions(
    text: str, segment: Segment, gazetteer: Gazetteer, lex: Lexicon | None = None
) -> list[tuple[Span, Place]]:
    """Every word-bounded mention of a country or bloc in the segment, in reading order.

    English forms match case-sensitively ("US", never "us"); Arabic forms match whole
    words after normalization, with the clitics و ب ل ف ك fused in front ("وقطر",
    "للسعودية"), as the language's pack (`lex`, by default its own) lists them.
    """
    out: list[tuple[Span, Place]] = []
    chunk = text[segment.start : segment.end]
    if gazetteer.language == "en":
        found = [
            ((segment.start + m.start(), segment.start + m.end()), place)
            for place in gazetteer.places
            for form in place.forms
            for m in re.finditer(rf"(?<![\w.]){re.escape(form)}(?![\w])", chunk)
        ]
        reach = -1  # the longest form wins: "South Sudan" is not Sudan, nor "Guinea-Bissau" Guinea
        for span, place in sorted(found, key=lambda sp: (sp[0][0], -sp[0][1])):
            if span[0] >= reach:
                out.append((span, place))
                reach = span[1]
    else:
        toks = tokens(text, segment.start, segment.end)
        lex = lex or load_lexicon(gazetteer.language)
        heads = _arabic_heads(gazetteer, lex.place_clitics, lex.conjunction_letters)
        taken: set[int] = set()
        for i, tok in enumerate(toks):
            if i in taken:
                continue
            for words, place in heads.get(tok.word, ()):
                n = len(words)
                window = [t.word for t in toks[i : i + n]]
                if len(window) < n or window[1:] != words[1:]:
                    continue
                head = window[0]
                start = tok.start + (len(head) - len(words[0]) if head != words[0] else 0)
                out.append(((start, toks[i + n - 1].end), place))
                taken.update(range(i, i + n))
                break
    out.sort(key=lambda sp: sp[0])
    return out


def canonical_name(actor: Actor, place: Place) -> None:
    """Name a country by its first listed form the text uses ("قطر" over "القطري")."""
    written = [actor.name, *actor.aliases]
    order = {normalize(f): k for k, f in enumerate(place.forms)}
    best = min(written, key=lambda w: order.get(normalize(w), len(order)))
    if best != actor.name:
        actor.aliases = [w for w in written if w != best]
        actor.name = best
