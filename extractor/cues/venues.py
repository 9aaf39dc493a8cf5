"""Where a meeting is: the place its sentence names as where, or as where a visit goes.

"Talks in Doha", "اجتماع … في الدوحة", "… بسنغافورة" (the preposition written onto the
place), "met in Muscat" before or after the trigger; and the destination of a visit:
"a visit to China", "زيارته إلى الصين", "visited the White House", "يزور الكويت". Only
a place of the gazetteer is read (the pack's place data); a sentence that names none
so gives none. Each decision is a named rule (`rulebook`).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..lang.lexicon import Lexicon
from ..models import Span
from ..text.normalize import normalize
from ..text.segment import Sentence
from .article_actors import locative
from .meetings import is_trigger
from .rulebook import rule
from .tokens import tokens

_PLACE_REACH = 10  # words after a trigger where "in X" / "في X" says where it is
_PLACE_BEFORE = 6  # words before a trigger where "in X, they met" says where it is


@rule(
    "meetings.location-after-in",
    stage="meetings",
    purpose="The first place after 'in', 'at' or 'في' within ten words of a trigger is where",
    example="Kenya and Uganda held talks in Qatar on Monday.",
    off=None,
)
def place_in(text: str, sent: Sentence, lex: Lexicon, at: Sequence[Span]) -> str | None:
    """Where a meeting sentence says it is: the first place after "in"/"at"/"في" near a
    trigger ("الاجتماع الثلاثي الأخير بشأن سوريا في الدوحة", "met … in China"), or
    where a visit goes ("a visit to China").

    The same words that make a place no party make it the location; a city the
    gazetteer does not hold is not read.
    """
    toks = tokens(text, sent.start, sent.end)
    before = _PLACE_BEFORE if _place_before_trigger() else 0
    near = [
        (toks[max(0, n - before)].start - 1, toks[min(len(toks) - 1, n + _PLACE_REACH)].end)
        for n, t in enumerate(toks)
        if is_trigger(t.word, lex)
    ]
    for span in at:
        if (
            sent.start <= span[0] < sent.end
            and any(lo < span[0] < hi for lo, hi in near)
            and (locative(text, span, lex) or _destination(text, span, lex))
        ):
            return text[span[0] : span[1]]
    return None


@rule(
    "meetings.location-before-trigger",
    stage="meetings",
    purpose="A place after 'in'/'في' up to six words before the trigger is where too: "
    "'in Muscat, the ministers met'",
    example="In Kampala, Kenya and Uganda held talks.",
    off=False,
)
def _place_before_trigger() -> bool:
    return True


@rule(
    "meetings.location-of-a-visit",
    stage="meetings",
    purpose="The place a visit goes to ('a visit to X', 'زيارة إلى X', 'visited X') is "
    "where the meeting is",
    example="President John Mwangi began a visit to Uganda on Monday.",
    off=False,
)
def _destination(text: str, span: Span, lex: Lexicon) -> bool:
    """Named right after "to"/"إلى" or right after the trigger itself ("زيارة إيران",
    "visited the White House")."""
    words = text[max(0, span[0] - 16) : span[0]].split()
    if "article-word" in lex.traits and words and words[-1].lower() == "the":
        words = words[:-1]
    if not words:
        return False
    word = normalize(words[-1])
    return word in lex.destination_prepositions or is_trigger(word, lex)
