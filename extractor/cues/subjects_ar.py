"""Arabic subjects the verb-first reading misses: one before its verb, one cut short.

Arabic news mostly puts the subject after the verb (`speakers_ar`), but a clause opened
by لكن, a complementizer or أما puts it first ("لكن مسؤولا نفى …", "أما الوزير فقال"),
and then what follows the verb is its object. A long title and name may be cut at the
phrase's length right after a name link ("… عبد الرحمن آل"): the link takes its name.
"""

from __future__ import annotations

from ..lang.lexicon import Lexicon
from ..models import Span
from .phrases import CueSentence
from .rulebook import rule
from .tokens import Token, ends_clause, is_verb, starts_quote


def linked_on(s: CueSentence, phrase: Span | None, j: int) -> tuple[Span | None, int]:
    """The phrase ending before token j, with the name its last word links to."""
    if phrase is None or not _link_cut(s, j):
        return phrase, j
    return (phrase[0], s.toks[j].end), j + 1


@rule(
    "speakers.name-link-takes-its-name",
    stage="speakers",
    language="ar",
    purpose='"… محمد بن عبد الرحمن آل ثاني": a phrase cut at its length after a name link '
    "(آل، بن، أبو) takes the name the link needs",
    example="وقال وزير الخارجية القطري الأسبق الشيخ سالم بن خالد آل حداد في الدوحة إن الميناء "
    "سيغلق.",
    off=False,
)
def _link_cut(s: CueSentence, j: int) -> bool:
    toks, lex = s.toks, s.lex
    return (
        0 < j < len(toks)
        and toks[j - 1].word in lex.name_links
        and not ends_clause(toks[j - 1])
        and toks[j].word not in lex.speaker_stops | lex.complementizers
    )


@rule(
    "speakers.subject-opens-clause",
    stage="speakers",
    language="ar",
    purpose='"لكن مسؤولا نفى …", "يشار إلى أن الوزير قد قال", "أما الوزير فقال": a noun '
    "phrase between a clause opener and its verb is the subject; what follows is the object",
    example="قال الوزير إن الميناء سيغلق. لكن مسؤولا في الميناء نفى إغلاق الميناء.",
    off=None,
)
def subject_opens_clause(s: CueSentence, i: int, max_words: int = 7) -> Span | None:
    """The subject before verb i that opens its clause: after لكن, a complementizer ("أن
    الوزير قد قال") or أما (whose answer is the verb's ف: "أما الوزير فقال").

    A verb with و goes on with the previous speaker and takes no subject before it; one
    with ف only after أما.
    """
    lex, toks = s.lex, s.toks
    word = toks[i].word
    topical = word[:1] == "ف"
    if word[:1] == "و" or (topical and not is_verb(word[1:], lex, lex.reporting_verbs)):
        return None
    last = i - 1
    while last >= 0 and toks[last].word in lex.already_particles:
        last -= 1  # "الوزير قد قال"
    first = last
    while first >= 0 and last - first < max_words:
        t = toks[first]
        if ends_clause(t) or is_verb(t.word, lex, lex.reporting_verbs) or starts_quote(t):
            return None
        if _opens_clause(toks[first - 1] if first else None, topical, lex):
            break
        first -= 1
    else:
        return None
    if first < 1 or first > last or toks[first].word in lex.speaker_stops:
        return None
    return toks[first].start, toks[last].end


def _opens_clause(t: Token | None, topical: bool, lex: Lexicon) -> bool:
    """Whether the word before a subject opens its clause: أما for a ف-verb, else لكن or
    a complementizer."""
    if t is None:
        return False
    if topical:
        return t.word in lex.topic_particles
    return t.word in lex.complementizers or t.word in lex.contrast_openers
