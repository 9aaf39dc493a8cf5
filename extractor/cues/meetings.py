"""The meeting stage: which sentences report a meeting, its status, format and mediators.

Code only, from the lexicon: a trigger (التقى، اجتمع، محادثات، قمة، زيارة / met, talks,
summit, visit …) makes a candidate; future and plan markers (سـ، من المقرر، يعتزم /
will, plans, scheduled) make it `planned`, cancel and failure markers `cancelled`;
"غير مباشرة" / "indirect" and a mediator marker (بوساطة، عبر / mediated by, through)
make it `indirect`. Phone calls, letters, "in contact" and news conferences are not
meetings. The participants are the actors the sentence mentions; an actor named right
after a mediator marker is a mediator, not a participant.

Each decision is a named rule (`rulebook`); the clitics and endings an Arabic trigger
takes are the language pack's, so a pack without them reads its triggers as listed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..lang.lexicon import Lexicon
from ..models import Meeting, MeetingFormat, MeetingStatus, Span
from ..text.normalize import normalize
from .rulebook import rule
from .tokens import Token, tokens


@dataclass(frozen=True)
class MeetingCue:
    sentence: int
    trigger: Span
    status: MeetingStatus
    format: MeetingFormat
    mediator_at: tuple[Span, ...]  # where a mediator marker's object starts


def _has(folded: str, phrases: Sequence[str], lex: Lexicon) -> bool:
    """Whether a marker stands as whole words (Arabic: with a clitic و ف ب ل allowed)."""
    clitics = sorted(lex.conjunction_letters | lex.preposition_letters)
    clitic = f"(?:{'|'.join(re.escape(c) for c in clitics)})?" if clitics else ""
    return any(re.search(rf"(?<!\w){clitic}{re.escape(p)}(?!\w)", folded) for p in phrases)


_NEAR = 6  # words either side of a trigger where a phone or letter marker cancels it


def without_prefix(word: str, prefixes: Iterable[str]) -> str:
    """`word` less the first of `prefixes` it starts with ("وتجتمعان" → "تجتمعان")."""
    for prefix in prefixes:
        if word.startswith(prefix):
            return word[len(prefix) :]
    return word


def _stem_in(word: str, endings: Sequence[str], lex: Lexicon) -> bool:
    """Whether `word` less one of `endings` is a meeting trigger."""
    return any(word.endswith(e) and word[: -len(e)] in lex.meeting_triggers for e in endings)


def is_trigger(word: str, lex: Lexicon) -> bool:
    """A meeting word, inflected ("البحث", the search or research, is no "بحث", talks)."""
    return (
        _trigger_word(word, lex)
        or _trigger_with_alif(word, lex)
        or _trigger_in_the_dual(word, lex)
        or _trigger_with_clitic(word, lex)
    )


@rule(
    "meetings.trigger-word",
    stage="meetings",
    purpose="A word of the lexicon's meeting triggers makes its sentence a candidate meeting",
    example="Kenya and Uganda held talks in Kampala on Monday.",
    off=False,
)
def _trigger_word(word: str, lex: Lexicon) -> bool:
    return word in lex.meeting_triggers


@rule(
    "meetings.trigger-with-alif",
    stage="meetings",
    language="ar",
    purpose="A trigger with the alif of an object or of the two's past is a trigger",
    example="وعقدت مصر وقطر اجتماعاً في القاهرة.",
    off=False,
)
def _trigger_with_alif(word: str, lex: Lexicon) -> bool:
    bare = without_prefix(word, lex.conjunction_letters)
    return len(bare) > 4 and _stem_in(bare, lex.alif_endings, lex)


@rule(
    "meetings.trigger-in-the-dual",
    stage="meetings",
    language="ar",
    purpose="A present or future trigger of the two ('تجتمعان', 'ستلتقيان') is a trigger",
    example="وقالت وزارة الخارجية إن مصر وقطر ستلتقيان في القاهرة.",
    off=False,
)
def _trigger_in_the_dual(word: str, lex: Lexicon) -> bool:
    future = without_prefix(without_prefix(word, lex.conjunction_letters), lex.future_letters)
    return future.startswith(lex.imperfect_prefixes) and _stem_in(
        future, lex.dual_verb_endings, lex
    )


@rule(
    "meetings.trigger-with-clitic",
    stage="meetings",
    language="ar",
    purpose="A trigger with a conjunction, the future, the article or a preposition is one",
    example="وبعد المحادثات في القاهرة عادت مصر وقطر إلى العمل.",
    off=False,
)
def _trigger_with_clitic(word: str, lex: Lexicon) -> bool:
    bare = without_prefix(word, lex.conjunction_letters)
    triggers = lex.meeting_triggers
    return (
        (bare != word and bare in triggers)
        or _less(bare, lex.future_letters) in triggers
        or (_less(bare, lex.article_prefixes) in triggers and not _other_sense(bare, lex))
        or _less(bare, lex.preposition_letters) in triggers
    )


def _less(word: str, prefixes: Iterable[str]) -> str | None:
    """`word` less the first of `prefixes` it starts with; None where it starts with none."""
    rest = without_prefix(word, prefixes)
    return rest if rest != word else None


@rule(
    "meetings.trigger-in-another-sense",
    stage="meetings",
    language="ar",
    purpose="'البحث' is the search or research, not the talks 'بحث' names: no trigger",
    example="وبدأت مصر وقطر البحث عن حل للأزمة.",
    off=False,
)
def _other_sense(bare: str, lex: Lexicon) -> bool:
    return bare in lex.not_triggers


@rule(
    "meetings.call-or-letter-is-no-meeting",
    stage="meetings",
    purpose="A phone call, a letter or 'in contact' next to a trigger is no meeting",
    example="Kenya and Uganda discussed the talks by phone on Monday.",
    off=False,
)
def _call_or_letter(near: str, lex: Lexicon) -> bool:
    return _has(near, lex.not_meeting, lex)


def _cancel_phrases_out(text: str, lex: Lexicon) -> str:
    """`text` with its cancel phrases blanked, same length: "called off" is no call."""
    for phrase in lex.cancelled_markers:
        if " " in phrase:
            text = re.sub(re.escape(phrase), lambda m: " " * len(m[0]), text, flags=re.I)
    return text


@rule(
    "meetings.press-event-is-no-meeting",
    stage="meetings",
    purpose="A news conference or a press interview next to a trigger is no meeting",
    example="Kenya and Uganda held a joint news conference in Nairobi.",
    off=False,
)
def _press_event(near: str, lex: Lexicon) -> bool:
    return _has(near, lex.press_events, lex)


def _trigger(text: str, toks: Sequence[Token], lex: Lexicon) -> Token | None:
    """The first trigger that no phone, letter, contact or press marker stands next to.

    "أجرت الصحيفة الحوار معه عبر الهاتف بعد ساعات من استقباله نظيره": the
    interview by phone is no meeting, the reception that follows in the same
    sentence is one.
    """
    plain = _cancel_phrases_out(text[toks[0].start : toks[-1].end], lex) if toks else ""
    for k, t in enumerate(toks):
        if not is_trigger(t.word, lex):
            continue
        lo, hi = toks[max(0, k - _NEAR)].start, toks[min(len(toks) - 1, k + _NEAR)].end
        near = normalize(plain[lo - toks[0].start : hi - toks[0].start])
        if not _call_or_letter(near, lex) and not _press_event(near, lex):
            return t
    return None


def meeting_cue(text: str, start: int, end: int, lex: Lexicon, index: int) -> MeetingCue | None:
    """The meeting a sentence reports, if it reports one."""
    toks = tokens(text, start, end)
    trigger = _trigger(text, toks, lex)
    if trigger is None:
        return None
    if _denied(*_clause_before(text, toks, trigger, lex), lex) or _anaphoric(toks, trigger, lex):
        return None
    folded = normalize(text[start:end])
    status: MeetingStatus = "held"
    if _cancelled(_next_to(text, toks, trigger), lex):
        status = "cancelled"
    elif _future_trigger(text, trigger, lex) or _planned(folded, lex):
        status = "planned"
    elif _ongoing(folded, lex):
        status = "ongoing"
    fmt: MeetingFormat = "unknown"
    if _indirect(folded, lex):
        fmt = "indirect"
    elif _direct(folded, lex):
        fmt = "direct"
    mediator_at: list[Span] = []
    for i in range(len(toks)):
        mediator_at.extend(_after_mediator_marker(toks, i, lex))
    return MeetingCue(index, (trigger.start, trigger.end), status, fmt, tuple(mediator_at))


_DENIAL_REACH = 10  # words before a trigger where a denial speaks of it


def _clause_before(
    text: str, toks: Sequence[Token], trigger: Token, lex: Lexicon
) -> tuple[str, bool]:
    """The words of the trigger's clause before it, back to a complementizer or a stop,
    folded (where a denial has the meeting as its object), and whether a negation
    particle stands right before the trigger ("لم يلتق")."""
    k = next(n for n, t in enumerate(toks) if t.start == trigger.start)
    lo = k
    while lo > 0 and k - lo < _DENIAL_REACH:
        prev = toks[lo - 1]
        if prev.word in lex.complementizers or any(p in prev.after for p in ".:؛;،,"):
            break
        lo -= 1
    if lo == k:
        return "", False
    negated = toks[k - 1].word in lex.negation_particles
    return normalize(text[toks[lo].start : toks[k - 1].end]), negated


@rule(
    "meetings.denied-is-no-meeting",
    stage="meetings",
    purpose="A meeting its own clause denies or negates ('نفى أنباء عن محادثات', 'ليس لديها "
    "أي مفاوضات', 'لم يلتق') did not take place: no meeting",
    example="ونفى مسؤول في الميناء أنباء عن محادثات بين مصر وقطر في القاهرة.",
    off=False,
)
def _denied(before: str, negated: bool, lex: Lexicon) -> bool:
    return negated or (bool(before) and _has(before, lex.denial_markers, lex))


@rule(
    "meetings.mention-of-the-meeting-is-no-new-one",
    stage="meetings",
    language="ar",
    purpose="'خلال الاجتماع، قال …', 'هذه الزيارة': a definite trigger after a demonstrative "
    "or 'during' mentions the meeting the article reported; no new record (one per meeting)",
    example="وتأتي هذه الزيارة بعد أسبوع من إغلاق مصر وقطر الحدود بينهما.",
    off=False,
)
def _anaphoric(toks: Sequence[Token], trigger: Token, lex: Lexicon) -> bool:
    """The meeting is named by a definite trigger right after an anaphoric opener, and
    no relative clause, "between" or "with" after it names its parties anew."""
    k = next(n for n, t in enumerate(toks) if t.start == trigger.start)
    after = toks[k + 1].word if k + 1 < len(toks) else ""
    return (
        k > 0
        and toks[k - 1].word in lex.anaphoric_openers
        and trigger.word.startswith(lex.article_prefixes)
        and after not in lex.relative_pronouns | lex.between_words | lex.with_words
    )


@rule(
    "meetings.cancelled",
    stage="meetings",
    purpose="A cancel or failure marker makes the meeting cancelled, before any plan marker",
    example="The talks between Kenya and Uganda were cancelled.",
    off=False,
)
def _cancelled(folded: str, lex: Lexicon) -> bool:
    return _has(folded, lex.cancelled_markers, lex)


# Words before and after the trigger where a cancel marker speaks of it: the verb that
# takes the meeting as its object stands close before it ("cancelled the meeting",
# "ألغى مسؤولون … اجتماعا"), the predicate of the meeting as subject may come after its
# parties ("the talks between A and B were called off").
_CANCEL_BEFORE, _CANCEL_AFTER = 4, 8


def _next_to(text: str, toks: Sequence[Token], trigger: Token) -> str:
    """The words around the trigger where a cancel marker counts, folded."""
    if not _marker_next_to_trigger():
        return normalize(text[toks[0].start : toks[-1].end])
    k = next(n for n, t in enumerate(toks) if t.start == trigger.start)
    lo = toks[max(0, k - _CANCEL_BEFORE)].start
    hi = toks[min(len(toks) - 1, k + _CANCEL_AFTER)].end
    return normalize(text[lo:hi])


@rule(
    "meetings.cancel-marker-next-to-trigger",
    stage="meetings",
    purpose="A cancel or refusal marker cancels a meeting only next to its trigger: "
    "'an official, who refused to be named, said the talks go on' is no cancelled meeting",
    example=(
        "Kenya and Uganda held talks in Kampala on Monday, a week after a strike "
        "at the port was called off."
    ),
    off=False,
)
def _marker_next_to_trigger() -> bool:
    return True


@rule(
    "meetings.planned-future-trigger",
    stage="meetings",
    language="ar",
    purpose="A trigger in the future tense ('سيلتقي', 'ستجتمع') makes the meeting planned",
    example="وسيستقبل الرئيس المصري أمير قطر في القاهرة.",
    off=False,
)
def _future_trigger(text: str, trigger: Token, lex: Lexicon) -> bool:
    word = normalize(text[trigger.start : trigger.end])
    return word.lstrip("".join(lex.conjunction_letters)).startswith(lex.future_prefixes)


@rule(
    "meetings.planned",
    stage="meetings",
    purpose="A future or plan marker (will, scheduled, من المقرر) makes the meeting planned",
    example="Kenya and Uganda will hold talks in Kampala.",
    off=False,
)
def _planned(folded: str, lex: Lexicon) -> bool:
    return _has(folded, lex.planned_markers, lex)


@rule(
    "meetings.ongoing",
    stage="meetings",
    purpose="A marker of continuing (ongoing, underway, جارية) makes the meeting ongoing",
    example="Talks between Kenya and Uganda are underway in Kampala.",
    off=False,
)
def _ongoing(folded: str, lex: Lexicon) -> bool:
    return _has(folded, lex.ongoing_markers, lex)


@rule(
    "meetings.indirect",
    stage="meetings",
    purpose="'indirect', 'through mediators', 'غير مباشرة' make the meeting's format indirect",
    example="Kenya and Uganda held indirect talks in Kampala.",
    off=False,
)
def _indirect(folded: str, lex: Lexicon) -> bool:
    return _has(folded, lex.indirect_markers, lex)


@rule(
    "meetings.direct",
    stage="meetings",
    purpose="'face to face', 'direct talks', 'وجها لوجه' make the meeting's format direct, "
    "even where a mediator hosts it",
    example="Kenya and Uganda met face to face in Kampala in talks brokered by Qatar.",
    off=False,
)
def _direct(folded: str, lex: Lexicon) -> bool:
    return _has(folded, lex.direct_markers, lex)


@rule(
    "meetings.mediator-after-marker",
    stage="meetings",
    purpose="The word after a mediator marker ('brokered by', 'بوساطة') starts a mediator",
    example="Kenya and Uganda held talks brokered by Qatar in Kampala.",
    off=(),
)
def _after_mediator_marker(toks: Sequence[Token], i: int, lex: Lexicon) -> tuple[Span, ...]:
    """Where a mediator starts after the marker at `toks[i]` (Arabic: also after a word
    that a marker begins, "بوساطة" written onto what follows)."""
    out = []
    for marker in lex.mediator_markers:
        words = marker.split()
        if [x.word for x in toks[i : i + len(words)]] == words and i + len(words) < len(toks):
            nxt = toks[i + len(words)]
            out.append((nxt.start, nxt.end))
    if toks[i].word.startswith(lex.mediator_prefixes) and i + 1 < len(toks):
        out.append((toks[i + 1].start, toks[i + 1].end))
    return tuple(out)


def one_record_each(meetings: Sequence[Meeting]) -> list[Meeting]:
    """The same meeting mentioned twice is one record (RECORDS.md §1): the first mention,
    with what a later one with the same parties adds (mediators, a format
    where it had none, its place or day).

    The cue stage merges its mentions so, and the model strategy again once the model
    has answered the statuses: "fail to find common ground during meeting" in a
    headline, read as held, is the meeting the body reports.
    """
    out: list[Meeting] = []
    for meeting in meetings:
        same = _same_meeting(out, meeting)
        if same is None:
            out.append(meeting)
            continue
        same.mediators = sorted(set(same.mediators) | set(meeting.mediators))
        if same.format == "unknown":
            same.format = meeting.format
        same.date_text = same.date_text or meeting.date_text
        same.location = same.location or meeting.location
    return out


@rule(
    "meetings.one-record-each",
    stage="meetings",
    purpose="A later mention with the same parties is the same meeting, merged",
    example="Kenya and Uganda held talks in Kampala. Kenya and Uganda held talks on Monday.",
    off=None,
)
def _same_meeting(earlier: Sequence[Meeting], meeting: Meeting) -> Meeting | None:
    return next(
        (
            m
            for m in earlier
            if set(m.participants) == set(meeting.participants)
            and (m.status == meeting.status or _one_event_whatever_its_markers())
        ),
        None,
    )


@rule(
    "meetings.same-parties-one-meeting",
    stage="meetings",
    purpose="Mentions of the same parties are one meeting even where their markers read "
    "another status ('the talks, scheduled for weeks'): the first mention's status stands",
    example=(
        "Kenya and Uganda held talks in Kampala on Monday. "
        "The talks of Kenya and Uganda, scheduled for weeks, dealt with the border."
    ),
    off=False,
)
def _one_event_whatever_its_markers() -> bool:
    """A status marker speaks of its sentence, not always of the meeting: a plan marker
    in a clause about what the talks prepare ("the expected summit"), a cancel marker
    about the rumours of them. An article rarely reports two meetings of exactly the
    same parties, so the later mention is the earlier meeting."""
    return True
