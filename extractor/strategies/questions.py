"""The decisions the cue stages leave to the model: who a described speaker is, which
two parties a pair phrase ("الجانبان", "both sides") is, and whether a meeting was held
or is planned, face to face or not (at the end).

The cue stage finds a claim's speaker phrase, and coreference resolves names,
surnames and "the source" to the actors they continue. What it cannot resolve is a
description: "the Russian leader said", "وقال المسؤول اليمني", "the impostor gushed".
Those need reading, so each becomes one small, enum-shaped question for the model:
which listed actor is it. There is no "none": offered it, the small model answers
"none" to everything, and a description the cue stage kept as a speaker almost always
stands for an actor the article names. Everything else about the claim (evidence, span,
quote) stays the code's. The same question asks about unnamed speech: a cue
sentence with no speaker the rules can name ("أكد معاليه أن" opening a wire
continuation), which becomes a claim only of the actor the model picks.

Not asked, because measured worse than the cue stage on the dev set: who "he said"
or a run-on quotation is in English (asked, the model named the article's most
prominent person: attributed claims 43 → 34 on four documents), and who a meeting's
parties are (see the meeting questions below).

Pure functions here: which claims and meetings to ask about, the answers' schemas, the
questions' text and applying the answers; the calls themselves are `extract.py`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from ..cues.descriptions import is_description
from ..cues.speech import Unnamed
from ..lang.lexicon import languages, load_lexicon
from ..models import Actor, Article, Claim, MeetingFormat, MeetingStatus
from ..text.normalize import normalize
from ..text.segment import Sentence
from .drafts import _Answer

MAX_QUESTIONS = 12  # per chunk: more would be a long answer, and a long grammar
MAX_CHOICES = 24  # actors offered per question


@dataclass(frozen=True)
class Question:
    claim: int  # index into article.claims, or into the unnamed speech when `unnamed`
    sentence: int  # the sentence number the model sees ([n])
    description: str  # the speaker as the text describes it
    unnamed: bool = False


class SpeakerAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sentence: int = Field(description="the claim's sentence number")
    actor: str = Field(description="id of the actor the description refers to")


class SpeakerAnswers(_Answer):
    """The model's answers: one per asked claim."""

    answers: list[SpeakerAnswer] = Field(default_factory=list, max_length=MAX_QUESTIONS)


def _titles(language: str) -> frozenset[str]:
    return load_lexicon(language).title_nouns if language in languages() else frozenset()


def _traits(language: str) -> frozenset[str]:
    """What the language's pack declares of how it writes (`TRAITS`); none without a pack."""
    return load_lexicon(language).traits if language in languages() else frozenset()


def _sole_speakers(
    article: Article, sentences: Sequence[Sentence], window: range
) -> Iterator[tuple[int, int, Actor]]:
    """(claim index, sentence number, speaker) of the claims in `window` with one speaker."""
    by_id = {a.id: a for a in article.actors}
    starts = {s.start: n for n, s in enumerate(sentences)}
    for k, claim in enumerate(article.claims):
        n = starts.get(claim.span[0]) if claim.span else None
        if n is None or n not in window or len(claim.speakers) != 1:
            continue
        actor = by_id.get(claim.speakers[0])
        if actor is not None:
            yield k, n + 1, actor


def questions(article: Article, sentences: Sequence[Sentence], window: range) -> list[Question]:
    """The claims in `window` whose only speaker is a description no other actor resolved.

    Source nouns included ("وقال المسؤول اليمني"): a definite one that coreference did
    not tie to an earlier unnamed source points back at someone the article named.
    """
    language = article.language or "en"
    titles = _titles(language)
    return [
        Question(k, n, actor.name)
        for k, n, actor in _sole_speakers(article, sentences, window)
        if actor.kind == "person"
        and is_description(actor.name, language, titles)
        and _one_person(actor.name, language)
    ][:MAX_QUESTIONS]


def unnamed_questions(unnamed: Sequence[Unnamed], window: range) -> list[Question]:
    """Questions for the unnamed speech in `window` (numbered as the model sees them)."""
    return [
        Question(k, u.sentence + 1, u.description, unnamed=True)
        for k, u in enumerate(unnamed)
        if u.sentence in window
    ]


# documents that "say" things: "دعا الإعلان إلى", "the report said"; no person
_DOCUMENTS = frozenset(
    normalize(w) for w in ("إعلان", "تقرير", "قرار", "اتفاق", "بيان", "report", "statement")
)
_AR_PLURALS = ("ون", "ين", "ان", "ات")  # "المتشككون", "البلدان": more than one, or no one


def _one_person(name: str, language: str) -> bool:
    """Whether a description can stand for one named person (whom the model may pick).

    "المتشككون" (the sceptics), "البلدان" (the two countries), "الإعلان" (the
    declaration) cannot: offered only people's names, the model picks one anyway.
    """
    words = normalize(name).split()
    head_first = "head-first" in _traits(language)
    head = words[0].lstrip("وف") if head_first else words[-1]
    bare = head.removeprefix("ال")
    if bare in _DOCUMENTS or head in _DOCUMENTS:
        return False
    if head in _titles(language) or bare in _titles(language):
        return True  # "السلطان", "الأمين العام": a title, one person
    if head_first:
        return not (len(bare) >= 5 and bare.endswith(_AR_PLURALS))
    return not head.endswith("s") or head.endswith("ss")


def _offered(article: Article) -> list[Actor]:
    """The actors a description may refer to: named people, in order of appearance.

    A speaker the text describes ("the minister", "المسؤول اليمني") is a person; the
    countries and bodies the article also names would only be wrong answers.
    """
    lang = article.language or "en"
    titles = _titles(lang)
    return [
        a
        for a in article.actors
        if a.kind == "person"
        and not a.anonymous
        and not is_description(a.name, lang, titles)
        and not (lang == "en" and a.name.split()[0].lower() in ("a", "an", "one"))
    ][:MAX_CHOICES]  # "A reporter" is nobody a description can stand for


def choices(article: Article) -> list[tuple[str, str]]:
    """(short id, name) of the actors offered, each with its title and country where the
    text gives them: "the Russian leader" and "المسؤول اليمني" are read by them."""
    names = {a.id: a.name for a in article.actors}
    out = []
    for i, a in enumerate(_offered(article), 1):
        country = names.get(a.affiliation or "")
        about = [x for x in (a.role, country) if x and not (x == country and x in (a.role or ""))]
        out.append((f"a{i}", f"{a.name} ({', '.join(about)})" if about else a.name))
    return out


def answers_model(asked: Sequence[Question], ids: Sequence[str]) -> type[SpeakerAnswers]:
    """SpeakerAnswers whose sentence numbers and actor ids can only be the asked ones."""
    numbers: Any = Literal[tuple(q.sentence for q in asked)]
    actor_ids: Any = Literal[tuple(ids)]
    answer: Any = create_model(
        "SpeakerAnswer",
        __base__=SpeakerAnswer,
        sentence=(numbers, Field(description="the claim's sentence number")),
        actor=(actor_ids, Field(description="id of the actor the description refers to")),
    )
    return create_model(
        "SpeakerAnswers",
        __base__=SpeakerAnswers,
        answers=(list[answer], Field(default_factory=list, max_length=len(asked))),
    )


def listing(asked: Sequence[Question], offered: Sequence[tuple[str, str]]) -> dict[str, str]:
    """The template's fields: the actors offered, and the claims asked about."""
    return {
        "actors": "\n".join(f"{i} = {name}" for i, name in offered),
        "claims": "\n".join(f"[{q.sentence}] {q.description}" for q in asked),
    }


def _unasked(answered: Iterable[int], asked: Iterable[int]) -> list[str]:
    """Re-ask messages for answers about sentences no question named."""
    numbers = set(asked)
    return [
        f"sentence {n} was not asked about; answer only for {sorted(numbers)}"
        for n in answered
        if n not in numbers
    ]


def answer_problems(draft: SpeakerAnswers, asked: Sequence[Question]) -> list[str]:
    """Sentence numbers that were not asked about (shape is checked by the schema)."""
    return _unasked((a.sentence for a in draft.answers), (q.sentence for q in asked))


def apply(
    article: Article,
    asked: Sequence[Question],
    draft: SpeakerAnswers,
    offered: Sequence[tuple[str, str]],
    unnamed: Sequence[Unnamed] = (),
) -> list[str]:
    """Re-attribute the asked claims the model resolved; notes say what changed.

    The description becomes an alias of the actor it names, and that actor takes its
    place in the meetings too ("the Russian leader" as a party is Putin): one referent,
    one actor. A description actor that no record uses any more is dropped. Unnamed
    speech the model gave a speaker becomes a claim of that speaker; unanswered, it
    stays out, as in the rules.
    """
    target = {short: actor for (short, _), actor in zip(offered, _offered(article), strict=False)}
    by_sentence = {q.sentence: q for q in asked}
    notes: list[str] = []
    named: dict[str, str] = {}  # description actor id -> the named actor's id
    for answer in draft.answers:
        q = by_sentence.get(answer.sentence)
        actor = target.get(answer.actor)
        if q is None or actor is None:
            continue
        if q.unnamed:
            u = unnamed[q.claim]
            article.claims.append(
                Claim(
                    speakers=[actor.id],
                    statement=u.evidence,
                    evidence=u.evidence,
                    quote=u.quote,
                    span=u.span,
                    alignment="exact",
                )
            )
            notes.append(f"model: the unnamed speaker of sentence {q.sentence} is {actor.name}")
            continue
        claim = article.claims[q.claim]
        named.setdefault(claim.speakers[0], actor.id)
        claim.speakers = [actor.id]
        if q.description not in actor.aliases and q.description != actor.name:
            actor.aliases.append(q.description)
        notes.append(f"model: the speaker of sentence {q.sentence} is {actor.name}")
    for meeting in article.meetings:
        meeting.participants = list(dict.fromkeys(named.get(p, p) for p in meeting.participants))
        meeting.mediators = [
            m
            for m in dict.fromkeys(named.get(m, m) for m in meeting.mediators)
            if m not in meeting.participants
        ]
    article.meetings = [m for m in article.meetings if len(m.participants) >= 2]
    _drop_unused(article, {q.description for q in asked if not q.unnamed})
    return notes


def _drop_unused(article: Article, names: set[str]) -> None:
    """Drop the actors named `names` that no claim, meeting or affiliation uses any more."""
    used = {s for c in article.claims for s in c.speakers}
    used |= {p for m in article.meetings for p in [*m.participants, *m.mediators]}
    used |= {a.affiliation for a in article.actors if a.affiliation}
    article.actors = [a for a in article.actors if a.id in used or a.name not in names]


# ---------------------------------------------------------------- pair questions
# "وقال الجانبان", "حيث تعهد البلدان", "both sides said": two parties named as one phrase.
# Which two they are needs reading (the two of the last meeting, the two countries the
# story is about, or two others), so the model picks two of the listed actors. Not asked
# before: as one-person descriptions they were never offered (`_one_person`).


class PairAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sentence: int = Field(description="the claim's sentence number")
    actors: list[str] = Field(description="ids of the two actors the pair is")


class PairAnswers(_Answer):
    """The model's answers: one per asked claim."""

    answers: list[PairAnswer] = Field(default_factory=list, max_length=MAX_QUESTIONS)


def is_pair(name: str, language: str) -> bool:
    """Whether a speaker phrase names two parties at once ("الجانبان", "the two sides")."""
    if language not in languages():
        return False
    lex = load_lexicon(language)
    key = normalize(name)
    return key in lex.pair_nouns or (
        "clitics" in lex.traits and key[:1] in ("و", "ف") and key[1:] in lex.pair_nouns
    )


def pair_questions(
    article: Article, sentences: Sequence[Sentence], window: range
) -> list[Question]:
    """The claims in `window` whose only speaker is a pair phrase (asked like a
    description, answered with two ids: `listing` writes both questions)."""
    language = article.language or "en"
    return [
        Question(k, n, actor.name)
        for k, n, actor in _sole_speakers(article, sentences, window)
        if is_pair(actor.name, language)
    ][:MAX_QUESTIONS]


def _pair_offered(article: Article) -> list[Actor]:
    """Who a pair may be: named countries, bodies and people, in order of appearance."""
    lang = article.language or "en"
    titles = _titles(lang)
    return [
        a
        for a in article.actors
        if a.kind in ("country", "organization", "person")
        and not a.anonymous
        and not is_description(a.name, lang, titles)
        and not is_pair(a.name, lang)
    ][:MAX_CHOICES]


def pair_choices(article: Article) -> list[tuple[str, str]]:
    """(short id, name) of the actors a pair may be, each with its kind."""
    return [(f"a{i}", f"{a.name} ({a.kind})") for i, a in enumerate(_pair_offered(article), 1)]


def pair_answers_model(asked: Sequence[Question], ids: Sequence[str]) -> type[PairAnswers]:
    """PairAnswers of asked sentence numbers and exactly two offered ids each."""
    numbers: Any = Literal[tuple(q.sentence for q in asked)]
    actor_ids: Any = Literal[tuple(ids)]
    answer: Any = create_model(
        "PairAnswer",
        __base__=PairAnswer,
        sentence=(numbers, Field(description="the claim's sentence number")),
        actors=(
            list[actor_ids],
            Field(min_length=2, max_length=2, description="ids of the two actors the pair is"),
        ),
    )
    return create_model(
        "PairAnswers",
        __base__=PairAnswers,
        answers=(list[answer], Field(default_factory=list, max_length=len(asked))),
    )


def pair_problems(draft: PairAnswers, asked: Sequence[Question]) -> list[str]:
    """Sentences not asked about, and a pair of one actor twice."""
    problems = _unasked((a.sentence for a in draft.answers), (q.sentence for q in asked))
    problems += [
        f"sentence {a.sentence}: name two different actors, not {a.actors[0]} twice"
        for a in draft.answers
        if len(set(a.actors)) < len(a.actors)
    ]
    return problems


def apply_pairs(
    article: Article,
    asked: Sequence[Question],
    draft: PairAnswers,
    offered: Sequence[tuple[str, str]],
) -> list[str]:
    """Give each answered claim its two speakers; a pair actor no record uses is dropped."""
    target = {short: a for (short, _), a in zip(offered, _pair_offered(article), strict=False)}
    by_sentence = {q.sentence: q for q in asked}
    notes: list[str] = []
    for answer in draft.answers:
        q = by_sentence.get(answer.sentence)
        actors = [target[i] for i in dict.fromkeys(answer.actors) if i in target]
        if q is None or len(actors) != 2:
            continue
        article.claims[q.claim].speakers = [a.id for a in actors]
        first, second = actors
        notes.append(
            f"model: the speakers of sentence {q.sentence} are {first.name} and {second.name}"
        )
    _drop_unused(article, {q.description for q in asked})
    return notes


# ---------------------------------------------------------------- meeting questions
# The meeting stage finds a meeting's sentence and its parties; whether the meeting was
# held, is going on, is planned or was called off, and whether the parties met face to
# face, need reading: tense, mood and negation spread over the sentence, which the cue
# stage reads only from a few markers. The model answers per meeting sentence in two
# enums. It does not choose the parties: asked for them too (measured on nine dev
# documents), it listed every actor the sentence names and lost meetings the cue stage
# had right, while its status and format were right more often than the markers.

MAX_MEETINGS = 8  # per chunk


@dataclass(frozen=True)
class MeetingQuestion:
    meeting: int  # index into article.meetings
    sentence: int  # the sentence number the model sees ([n])
    parties: str  # the parties as the cue stage found them, by name


class MeetingAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sentence: int = Field(description="the meeting's sentence number")
    status: MeetingStatus
    format: MeetingFormat


class MeetingAnswers(_Answer):
    """The model's answers: one per asked meeting sentence."""

    meetings: list[MeetingAnswer] = Field(default_factory=list, max_length=MAX_MEETINGS)


def meeting_questions(
    article: Article, sentences: Sequence[Sentence], window: range
) -> list[MeetingQuestion]:
    """The cue stage's meetings in `window`, one question per sentence."""
    by_id = {a.id: a.name for a in article.actors}
    starts = {s.start: n for n, s in enumerate(sentences)}
    out: list[MeetingQuestion] = []
    seen: set[int] = set()
    for k, meeting in enumerate(article.meetings):
        n = starts.get(meeting.span[0]) if meeting.span else None
        if n is None or n not in window or n in seen:
            continue
        seen.add(n)
        parties = ", ".join(by_id.get(p, p) for p in meeting.participants)
        out.append(MeetingQuestion(k, n + 1, parties))
    return out[:MAX_MEETINGS]


def meeting_answers_model(asked: Sequence[MeetingQuestion]) -> type[MeetingAnswers]:
    """MeetingAnswers whose sentence numbers can only be the asked ones."""
    numbers: Any = Literal[tuple(q.sentence for q in asked)]
    answer: Any = create_model(
        "MeetingAnswer",
        __base__=MeetingAnswer,
        sentence=(numbers, Field(description="the meeting's sentence number")),
    )
    return create_model(
        "MeetingAnswers",
        __base__=MeetingAnswers,
        meetings=(list[answer], Field(default_factory=list, max_length=len(asked))),
    )


def meeting_listing(asked: Sequence[MeetingQuestion]) -> dict[str, str]:
    """The template's field: each meeting sentence with its parties."""
    return {"meetings": "\n".join(f"[{q.sentence}] {q.parties}" for q in asked)}


def meeting_problems(draft: MeetingAnswers, asked: Sequence[MeetingQuestion]) -> list[str]:
    """Sentence numbers that were not asked about (shape is checked by the schema)."""
    return _unasked((a.sentence for a in draft.meetings), (q.sentence for q in asked))


def apply_meetings(
    article: Article, asked: Sequence[MeetingQuestion], draft: MeetingAnswers
) -> list[str]:
    """Set the asked meetings' status, and their format where no marker gave one.

    Measured on the dev set's matched meetings: for status the model beat the markers
    where a cancelled or ongoing marker fired (0.60 against 0.40: "انهيار المفاوضات" is
    talks that were held and failed, not a cancelled meeting), but not a future or plan
    marker: "سيذهب غريفيث … لإجراء المزيد من المشاورات", "was scheduled to meet" are
    planned by their grammar, and the model called three of four such meetings held or
    cancelled; so a planned meeting stays planned. For format a marker the cue stage read
    ("غير مباشرة", "indirect", a named mediator) is the text's own word and beats the
    model's "direct" (0.60 against 0.57), so the model fills in only where none did.
    """
    by_sentence = {q.sentence: q for q in asked}
    notes: list[str] = []
    for answer in draft.meetings:
        q = by_sentence.get(answer.sentence)
        if q is None:
            continue
        meeting = article.meetings[q.meeting]
        if meeting.status != "planned":  # a future or plan marker is the text's grammar
            meeting.status = answer.status
        if meeting.format == "unknown":  # no "indirect"/"مباشرة" marker and no mediator
            meeting.format = answer.format
        kept = (
            ""
            if meeting.status == answer.status
            else f" (the text plans it; model: {answer.status})"
        )
        notes.append(
            f"model: the meeting of sentence {q.sentence} is {meeting.status}, {meeting.format}"
            + kept
        )
    return notes
