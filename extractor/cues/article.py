"""Records from the cue stages: the `rules` strategy, and `cues` over a model's actors.

The floor every model strategy must beat, and the fallback a user can choose when no
model is available. `rules_article` reads as the flow: the language and headline,
the actors the book learns (from the speakers first), the claims (`claims`: one per
sentence of reported speech, the sentence as evidence), the actors listed with
their mentions (`article_actors`), the meetings among them (`parties`, over the
meeting stage of `meetings`), and last the actors nobody needs are dropped. Where
the article as a whole decides (the headline, the lead, the header's date), the
decision is a named rule of the stage `articles`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..budget import Budget
from ..lang.detect import detect_language
from ..lang.gazetteer import Place
from ..lang.lexicon import Lexicon
from ..lang.pack import pack_for
from ..models import Article, Meeting, Span
from ..text.dates import find_published, resolve_date
from ..text.grounding import TextIndex
from ..text.headlines import first_line, opens_with_lead, title_of
from ..text.normalize import normalize
from ..text.segment import Segment, Sentence
from .article_actors import (
    capitalized_actors,
    finish_actors,
    list_actors,
    named_bodies,
    named_places,
    titled_names,
)
from .claims import claims_of, interview_claims
from .parties import meeting_parties, meetings_of, speaking_in
from .pronouns import people_named, pronoun_subjects
from .readers import readers_for
from .registry import ActorBook, NamedActor
from .rulebook import rule
from .speech import SpeechCue, Unnamed, speech_cues, unnamed_cues
from .tokens import tokens
from .transcript import transcript_speakers


def rules_article(
    index: TextIndex,
    segment: Segment,
    sentences: Sequence[Sentence],
    *,
    published: str | None = None,
    named: Sequence[NamedActor] | None = None,
    budget: Budget | None = None,
) -> Article:
    """One article from its sentences by rules: actors, claims and meetings, all grounded.

    `named` are actors a model read in the text (the `cues` strategy; None for `rules`,
    which asks no model): they join the
    actor book first, with their English names, so speakers and meeting parties can
    be resolved to them ("كيري" → "جون كيري", John Kerry).

    Every step adds to one book of actors, so the order of the steps is the order
    names are learned and ids given: speakers before bodies, places and bare names.
    `budget` is checked between the stages and inside their long loops.
    """
    budget = budget or Budget()
    text = index.text
    language = detect_language(text[segment.start : segment.end])
    article = _new_article(text, segment, language, published, named)
    pack = pack_for(language)
    if pack is None:
        article.notes.append(f"no cue lexicon for language {language!r}: nothing extracted")
        return article
    lex, gazetteer = pack.lexicon, pack.gazetteer
    places = {normalize(f): p for p in gazetteer.places for f in p.forms}
    book = _actor_book(index, segment, lex, places, named)
    cues = _body_cues(text, segment, sentences, lex)
    budget.check("speech cues")
    names = readers_for(lex).names(text, sentences, lex)
    titled = titled_names(book, sentences)
    people = people_named(text, names, book)  # what "he"/"she" can be, for claims and meetings
    budget.check("names")
    article.claims = claims_of(cues, sentences, book, people, budget=budget)
    article.claims = interview_claims(text, sentences, lex, book, article.claims)
    article.claims = transcript_speakers(text, sentences, book, article.claims)
    budget.check("claims")
    bodies = named_bodies(book, sentences)
    found = named_places(book, segment, gazetteer)
    budget.check("places")
    if "letter-case" in lex.traits:  # actors found only as capitalized names
        backup = capitalized_actors(book, names, found, budget)
    else:  # a titled name or a body that does not speak is a backup party, like a
        # capitalized one: "الخارجية الإيرانية" speaks for Iran, the party
        backup = (titled | bodies) - {s for c in article.claims for s in c.speakers}
    place_ids = list_actors(article, index, segment, book, found, places)
    budget.check("actors")
    article.meetings = _meetings(
        article, sentences, cues, book, place_ids, backup, people, [s for s, _ in found], budget
    )
    finish_actors(article, book, place_ids, gazetteer)
    return article


def _new_article(
    text: str,
    segment: Segment,
    language: str,
    published: str | None,
    named: Sequence[NamedActor] | None,
) -> Article:
    """The article's frame before any cue: title, date, language, and which strategy ran.

    The date is the caller's, else the one the header gives: meetings' weekdays
    ("الأحد") resolve against it.
    """
    return Article(
        title=title_of(text, segment),
        published=published or _header_date(text, segment),
        language=language,
        span=(segment.start, segment.end),
        notes=[
            *segment.notes,
            (
                "cues strategy: actors named by the model, claims and meetings by cues"
                if named is not None
                else "rules strategy: no model"
            )
            + "; statements are the evidence sentences",
        ],
    )


@rule(
    "articles.date-from-header",
    stage="articles",
    purpose="Without a date from the caller, a date in the article's header is its date",
    example="Published: 3 May 2021\nKenya and Uganda held talks in Kampala on Monday.",
    off=None,
)
def _header_date(text: str, segment: Segment) -> str | None:
    return find_published(text[segment.start : min(segment.end, segment.start + 600)])


def _actor_book(
    index: TextIndex,
    segment: Segment,
    lex: Lexicon,
    places: dict[str, Place],
    named: Sequence[NamedActor] | None,
) -> ActorBook:
    """The book of the article's actors, holding the model's actors first (if any).

    Two names the text equates ("Mahmoud Abbas, also known as Abu Mazen") are made
    one actor before the speakers, so either name resolves to it.
    """
    book = ActorBook(index.text, lex, places)
    if named:
        book.add_named(named, index, segment)
    book.known_as(segment.start, segment.end)
    return book


def _body_cues(
    text: str, segment: Segment, sentences: Sequence[Sentence], lex: Lexicon
) -> list[SpeechCue]:
    """The sentences of reported speech outside the headline.

    The headline restates the body's claims: none of its own.
    """
    cues = speech_cues(text, [(s.start, s.end) for s in sentences], lex)
    headline = _headline(text, segment)
    return [c for c in cues if not _in_headline(headline, sentences[c.sentence].start)]


def _headline(text: str, segment: Segment) -> Span | None:
    """Where the headline `title_of` reads sits, unless the first line is the lead.

    A headline ("مصادر لـCNN: قطر تجري محادثات …") restates what the body reports
    with its attribution; the body's sentence is the claim (RECORDS.md §2: a lead
    sentence counts, and the headline is not one).
    """
    line = first_line(text, segment)
    if line is None or _lead_sentence(text, line, segment):
        return None
    return line


@rule(
    "articles.lead-sentence-is-no-headline",
    stage="articles",
    purpose="A first line that ends as a sentence is the lead, unless short with a body after",
    example="The minister said on Monday that the port would reopen next week.",
    off=False,
)
def _lead_sentence(text: str, line: Span, segment: Segment) -> bool:
    return opens_with_lead(text, line, segment)


@rule(
    "articles.headline-restates-the-body",
    stage="articles",
    purpose="Reported speech in the headline is no claim: the body's sentence is",
    example="Minister says port will reopen\nThe minister said on Monday that it would reopen.",
    off=False,
)
def _in_headline(headline: Span | None, start: int) -> bool:
    return headline is not None and headline[0] <= start < headline[1]


def _meetings(
    article: Article,
    sentences: Sequence[Sentence],
    cues: Sequence[SpeechCue],
    book: ActorBook,
    place_ids: dict[str, str],
    backup: set[str],
    people: Sequence[Span],
    places: Sequence[Span],
    budget: Budget,
) -> list[Meeting]:
    """Meetings among the listed actors, dated against the article's date (RECORDS.md §1).

    Who speaks in a sentence reports its meeting; "He met …" is the person the
    pronoun continues; a place is where the meeting is.
    """
    text, lex = book.text, book.lex
    speaking = speaking_in(sentences, cues, article.claims, article.actors, place_ids)
    parties = meeting_parties(text, article.actors, place_ids, book.model_named, lex)
    by_id = {a.id: a for a in article.actors}
    he = pronoun_subjects(sentences, people, book) if people else {}
    meetings = meetings_of(
        text, sentences, lex, parties, backup, speaking, by_id, he, places, budget=budget
    )
    for meeting in meetings:  # "الأحد" against the article's date
        meeting.date = resolve_date(meeting.date_text, article.published, meeting.status)
    return meetings


def unnamed_speech(
    index: TextIndex, segment: Segment, sentences: Sequence[Sentence]
) -> list[Unnamed]:
    """Cue sentences the rules leave out for want of a speaker, for a model to name.

    Only sentences no claim of `rules_article` covers are asked about; the headline's
    are none (it restates the body).
    """
    text = index.text
    language = detect_language(text[segment.start : segment.end])
    pack = pack_for(language)
    if pack is None:
        return []
    lex = pack.lexicon
    headline = _headline(text, segment)
    out = []
    for cue in unnamed_cues(text, [(s.start, s.end) for s in sentences], lex):
        sent = sentences[cue.sentence]
        if cue.cue is None or _in_headline(headline, sent.start):
            continue
        toks = tokens(text, cue.cue[0], sent.end)
        said = toks[:2] if len(toks) > 1 and not toks[0].after.strip() else toks[:1]
        if len(said) == 2 and said[1].word in lex.complementizers:
            said = said[:1]
        description = text[said[0].start : said[-1].end]
        evidence = text[sent.start : sent.end].rstrip(" ،,")
        out.append(
            Unnamed(
                cue.sentence,
                description,
                evidence,
                (sent.start, sent.start + len(evidence)),
                cue.quote,
            )
        )
    return out
