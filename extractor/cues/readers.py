"""Which routines read one language's cues: the one table keyed by language code.

Most of the cue stages are shared by every language and read a pack's word lists and
traits (`Lexicon.traits`). A few routines are one language's own way of finding a
speaker or a name: Arabic, without capitals, finds names after titles and kind nouns;
English finds them by their capitals. They are reached here, never by testing a
language code in a stage, so a third language is a pack folder plus, if it has
routines of its own, an entry in `READERS`; a language without one gets `GENERIC`,
which finds nothing beyond what the shared stages find.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..lang.lexicon import Lexicon
from ..models import Span
from ..text.segment import Sentence
from .arabic_names import arabic_counterparts, arabic_organizations, arabic_titled_names
from .english_names import english_names
from .names import arabic_name_tail, name_tail
from .phrases import CueSentence, Speaker
from .speakers_ar import arabic_speakers
from .speakers_en import english_speakers

Finder = Callable[[str, Sequence[Sentence], Lexicon], list[Span]]
PairFinder = Callable[[str, Sequence[Sentence], Lexicon], list[tuple[Span, Span]]]


@dataclass(frozen=True)
class Readers:
    """One language's own cue routines."""

    speakers: Callable[[CueSentence, int], tuple[Speaker, ...]]  # the speaker of verb i
    names: Finder  # names found by their shape alone ("Vladimir V. Putin")
    titled_names: PairFinder  # (title, name) where a title announces a name
    bodies: PairFinder  # (span, name) of bodies a kind noun names ("وزارة الخارجية")
    counterparts: Finder  # the unnamed other side of talks ("نظرائه الخليجيين")
    name_tail: Callable[[str, Lexicon], tuple[str | None, Span] | None]  # title + name


def _no_speakers(s: CueSentence, i: int) -> tuple[Speaker, ...]:
    return ()


def _no_spans(text: str, sentences: Sequence[Sentence], lex: Lexicon) -> list[Span]:
    return []


def _no_pairs(text: str, sentences: Sequence[Sentence], lex: Lexicon) -> list[tuple[Span, Span]]:
    return []


def _no_tail(phrase: str, lex: Lexicon) -> tuple[str | None, Span] | None:
    return None


GENERIC = Readers(_no_speakers, _no_spans, _no_pairs, _no_pairs, _no_spans, _no_tail)
READERS = {
    "ar": Readers(
        speakers=arabic_speakers,
        names=_no_spans,
        titled_names=arabic_titled_names,
        bodies=arabic_organizations,
        counterparts=arabic_counterparts,
        name_tail=arabic_name_tail,
    ),
    "en": Readers(
        speakers=english_speakers,
        names=english_names,
        titled_names=_no_pairs,
        bodies=_no_pairs,
        counterparts=_no_spans,
        name_tail=name_tail,
    ),
}


def readers_for(lex: Lexicon) -> Readers:
    """The cue routines of the lexicon's language, or the generic ones."""
    return READERS.get(lex.language, GENERIC)
