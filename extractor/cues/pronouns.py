"""Who "he" and "she" are: the people an English article names, and whom a pronoun continues.

News names a person in full, then by surname, then as "he"/"she"; a pronoun that
opens a sentence, or speaks ("he said"), continues the person who last opened a
sentence as its subject, and never one of the other gender (Mr / Mrs). Claims and
meetings both resolve their pronouns here.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence

from ..lang.lexicon import Lexicon
from ..models import Span
from ..text.normalize import normalize
from ..text.segment import Sentence
from .registry import ActorBook
from .rulebook import rule
from .spans import SpanCover
from .speech import SpeechCue

_GENDER = {"he": "m", "she": "f"}


def people_named(text: str, names: Sequence[Span], book: ActorBook) -> list[Span]:
    """Name spans that are people (not places or organizations): what "he"/"she" can be."""
    out = []
    for span in names:
        key = normalize(text[span[0] : span[1]])
        if key not in book.places and book.kind_of(key) == "person":
            out.append(span)
    # after the first mention, news names a person by the surname alone ("Trump landed
    # in Phoenix"), which no capitalized run finds: the surname of a full name found
    surnames = {
        text[s:e].split()[-1]
        for s, e in out
        if len(text[s:e].split()) >= 2 and re.fullmatch(r"[A-Z][a-z]{2,}", text[s:e].split()[-1])
    }
    taken = SpanCover(out)
    for surname in surnames:
        for m in re.finditer(rf"(?<![\w.-]){re.escape(surname)}(?![\w-])", text):
            if not taken.covers(m.start(), m.start() + 1):
                out.append((m.start(), m.end()))
    return sorted(out)


def _opening_end(sent: Sentence) -> int:
    """Where a sentence's second word starts: a name that starts by then opens it."""
    starts = [m.start() for m in itertools.islice(re.finditer(r"\S+", sent.text), 2)]
    return sent.start + (starts[-1] if starts else 0)


# "In response to international pressure, Suu Kyi presided …": a short fronted phrase,
# its comma, then the subject
_FRONTED_PHRASE = re.compile(r"\s*[A-Z][^,.;:\"“”]{0,60},\s+")


@rule(
    "speakers.subject-after-fronted-phrase",
    stage="speakers",
    language="en",
    purpose='"In response to the storm, Pell closed the port": after a fronted phrase, the '
    'name is the sentence\'s subject, whom "he" continues',
    example='Harbour news\nIn response to the storm, Tomas Pell closed the port. "The '
    'ferries will not sail this week," he said.',
    off=None,
)
def _fronted_end(sent: Sentence, lex: Lexicon) -> int | None:
    """Where the subject after a sentence's fronted phrase starts, if it has one.

    The phrase opens with a preposition or an adverb of the lexicon ("In response …,",
    "Later,"): "Mr Blair held talks with his counterpart, Ariel Sharon" has a subject
    of its own before the comma.
    """
    m = _FRONTED_PHRASE.match(sent.text)
    first = sent.text.split(maxsplit=1)[0].lower() if sent.text.strip() else ""
    return sent.start + m.end() if m and first in lex.fronting_words else None


def _opens(sent: Sentence, span: Span, lex: Lexicon) -> bool:
    """Whether a name is its sentence's subject: it opens it, or follows a fronted phrase."""
    if sent.start <= span[0] <= _opening_end(sent):
        return True
    at = _fronted_end(sent, lex)  # "Before meeting with Bush, the Crown Prince paid …"
    if at is not None and sent.text[at - sent.start :].startswith("the "):
        at += 4
    return span[0] == at


def pronoun_subjects(
    sentences: Sequence[Sentence], people: Sequence[Span], book: ActorBook
) -> dict[int, str]:
    """Sentences that open with "He"/"She" → the person it continues (English).

    The person who opened one of the three sentences before, as for "he said": a
    meeting's subject is a party ("He met leaders in Baghdad").
    """
    out: dict[int, str] = {}
    last: Span | None = None
    pos = 0
    for n, sent in enumerate(sentences):
        person = _continued_person(sentences, n, last, book)
        if person is not None:
            out[n] = book.resolve(person)
        opening = _opening_end(sent)
        while pos < len(people) and people[pos][0] < sent.end:
            span = people[pos]
            if sent.start <= span[0] <= opening or _opens(sent, span, book.lex):
                last = span  # a person who opens a sentence (or its clause) is its subject
            pos += 1
    return out


@rule(
    "speakers.he-opens-a-sentence",
    stage="speakers",
    language="en",
    purpose='"He met leaders in Baghdad": a sentence that opens with "He"/"She" continues the '
    "person who last opened one, of the same gender, within three sentences",
    example="Harbour news\nTomas Pell arrived in Oslo on Monday. He met Ana Brandt on Tuesday.",
    off=None,
)
def _continued_person(
    sentences: Sequence[Sentence], n: int, last: Span | None, book: ActorBook
) -> Span | None:
    """The person `last` that sentence n's opening pronoun continues, if it opens with one."""
    sent = sentences[n]
    # "He met …", "During his stay in Washington, he was to meet …": the subject
    first = re.match(r"\s*(?:But|And|Then)?\s*(He|She)\b", sent.text) or re.match(
        r"\s*[A-Z][^,.;:\"“”]{0,60},\s+(he|she)\b", sent.text
    )
    if first and last is not None and last[0] >= sentences[max(0, n - 3)].start:
        pronoun = first.group(1).lower()
        if book.gender(last) in (None, _GENDER[pronoun]):
            return last
    return None


@rule(
    "claims.pronoun-continues-subject",
    stage="claims",
    language="en",
    purpose='"Mr. Pell made clear …. "…," he said": "he"/"she" after narration is the last '
    "person who opened a sentence as its subject, of the same gender",
    example="Harbour news\nAna Brandt said the port is safe. Tomas Pell closed the pier on "
    'Monday. Later he walked to the quay. "The ferries will not sail," he said.',
    off=None,
)
def named_person(
    people: Sequence[Span],
    sentences: Sequence[Sentence],
    lo: int,
    cue: SpeechCue,
    book: ActorBook,
    pronoun: str | None,
) -> Span | None:
    """The last person who is a sentence's subject since the previous claim (3 sentences back).

    A subject opens its sentence ("Mr. Obama made clear …", "But Mr. Blair …"); a
    name further in is usually an object or an aside, not whom "he" continues. "He"
    is not a person the article calls Mrs or Ms, nor "she" one it calls Mr.
    """
    found = None
    for n in range(max(lo + 1, cue.sentence - 3, 0), cue.sentence + 1):
        sent = sentences[n]
        end = cue.cue[0] if n == cue.sentence and cue.cue else sent.end
        for p in _starting_within(people, sent.start, sent.end):
            opens = _opens(sent, p, book.lex) and p[1] <= end
            if opens and (pronoun is None or book.gender(p) in (None, _GENDER[pronoun])):
                found = p
    return found


@rule(
    "claims.pronoun-gendered-mention",
    stage="claims",
    language="en",
    purpose='"… showed Mrs Hassan asking …. She also urged …": "she" is the woman the text '
    "calls Mrs, not a previous speaker who is a man",
    example="Harbour news\nMr Tomas Pell said the port is safe. Crews later met Mrs Ana "
    'Brandt at the quay. The harbour closed early. "The ferries will wait," she said.',
    off=None,
)
def gendered_mention(
    people: Sequence[Span],
    sentences: Sequence[Sentence],
    lo: int,
    cue: SpeechCue,
    book: ActorBook,
    pronoun: str,
    previous: Sequence[str],
) -> Span | None:
    """The last person named since the previous claim whose title gives the pronoun's
    gender, where no previous speaker is known to have it.

    "The latest footage showed Mrs Hassan asking …. She also urged …": Mrs Hassan is
    named as an object, not a subject, but "she" cannot be the spokesman who spoke
    before while a woman the text calls Mrs is at hand.
    """
    want = _GENDER[pronoun]
    if any(book.gender_of(actor_id) == want for actor_id in previous):
        return None
    first = sentences[max(lo + 1, cue.sentence - 3, 0)].start
    end = cue.cue[0] if cue.cue else sentences[cue.sentence].end
    found = None
    for p in _starting_within(people, first, end):
        if p[1] <= end and book.gender(p) == want:
            found = p
    return found


def _starting_within(people: Sequence[Span], lo: int, hi: int) -> Sequence[Span]:
    """The spans of `people` (sorted) that start in [lo, hi], in order.

    Claims look a few sentences back for a person: a bisection, not a scan of every
    person in the article, keeps a text that names one person thousands of times linear.
    """
    first = bisect.bisect_left(people, lo, key=lambda p: p[0])
    last = bisect.bisect_right(people, hi, key=lambda p: p[0])
    return people[first:last]
