"""The meeting stage: which sentences report a meeting, its status, format and mediators.

Code only, from the lexicon: a trigger (التقى، اجتمع، محادثات، قمة، زيارة / met, talks,
summit, visit …) makes a candidate; future and plan markers (سـ، من المقرر، يعتزم /
will, plans, scheduled) make it `planned`, cancel and failure markers `cancelled`;
"غير مباشرة" / "indirect" and a mediator marker (بوساطة، عبر / mediated by, through)
make it `indirect`. Phone calls, letters and "in contact" are not meetings. The
participants are the actors the sentence mentions; an actor named right after a
mediator marker is a mediator, not a participant.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..lang.lexicon import Lexicon
from ..models import Meeting, MeetingFormat, MeetingStatus, Span
from ..text.normalize import normalize
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
    clitic = "(?:[وفبل])?" if lex.language == "ar" else ""
    return any(re.search(rf"(?<!\w){clitic}{re.escape(p)}(?!\w)", folded) for p in phrases)


_NEAR = 6  # words either side of a trigger where a phone or letter marker cancels it


def is_trigger(word: str, lex: Lexicon) -> bool:
    """A meeting word, inflected ("البحث", the search or research, is no "بحث", talks)."""
    if word in lex.meeting_triggers:
        return True
    if lex.language != "ar":
        return False
    bare = word[1:] if word[:1] in ("و", "ف") else word
    if len(bare) > 4 and bare.endswith("ا") and bare[:-1] in lex.meeting_triggers:
        return True  # "اجتماعاً" (a meeting, as an object), "التقيا" (the two met)
    future = bare[1:] if bare[:1] == "س" else bare
    if future[:1] in ("ي", "ت") and future.endswith("ان") and future[:-2] in lex.meeting_triggers:
        return True  # "تجتمعان", "ستلتقيان": the two meet, or will
    return (
        bare in lex.meeting_triggers
        or (bare[:1] == "س" and bare[1:] in lex.meeting_triggers)
        or (bare.startswith("ال") and bare[2:] in lex.meeting_triggers and bare != "البحث")
        or (bare[:1] in ("ب", "ل") and bare[1:] in lex.meeting_triggers)
    )


def _trigger(text: str, toks: Sequence[Token], lex: Lexicon) -> Token | None:
    """The first trigger that no phone, letter or contact marker stands next to.

    "أجرت الصحيفة الحوار معه عبر الهاتف بعد ساعات من استقباله نظيره": the
    interview by phone is no meeting, the reception that follows in the same
    sentence is one.
    """
    for k, t in enumerate(toks):
        if not is_trigger(t.word, lex):
            continue
        lo, hi = toks[max(0, k - _NEAR)].start, toks[min(len(toks) - 1, k + _NEAR)].end
        if not _has(normalize(text[lo:hi]), lex.not_meeting, lex):
            return t
    return None


def meeting_cue(text: str, start: int, end: int, lex: Lexicon, index: int) -> MeetingCue | None:
    """The meeting a sentence reports, if it reports one."""
    toks = tokens(text, start, end)
    trigger = _trigger(text, toks, lex)
    if trigger is None:
        return None
    folded = normalize(text[start:end])
    status: MeetingStatus = "held"
    future = lex.language == "ar" and normalize(text[trigger.start : trigger.end]).lstrip(
        "وف"
    ).startswith(tuple(lex.future_prefixes))
    if _has(folded, lex.cancelled_markers, lex):
        status = "cancelled"
    elif future or _has(folded, lex.planned_markers, lex):
        status = "planned"
    elif _has(folded, lex.ongoing_markers, lex):
        status = "ongoing"
    fmt: MeetingFormat = "unknown"
    if _has(folded, lex.indirect_markers, lex):
        fmt = "indirect"
    elif _has(folded, lex.direct_markers, lex):
        fmt = "direct"
    mediator_at = []
    for i, t in enumerate(toks):
        for marker in lex.mediator_markers:
            words = marker.split()
            if [x.word for x in toks[i : i + len(words)]] == words and i + len(words) < len(toks):
                nxt = toks[i + len(words)]
                mediator_at.append((nxt.start, nxt.end))
        if lex.language == "ar" and t.word.startswith(("بوساطه", "بوساطة")) and i + 1 < len(toks):
            mediator_at.append((toks[i + 1].start, toks[i + 1].end))
    return MeetingCue(index, (trigger.start, trigger.end), status, fmt, tuple(mediator_at))


def one_record_each(meetings: Sequence[Meeting]) -> list[Meeting]:
    """The same meeting mentioned twice is one record (RECORDS.md §1): the first mention,
    with what a later one with the same parties and status adds (mediators, a format
    where it had none, its place or day).

    The cue stage merges its mentions so, and the model strategy again once the model
    has answered the statuses: "fail to find common ground during meeting" in a
    headline, read as held, is the meeting the body reports.
    """
    out: list[Meeting] = []
    for meeting in meetings:
        same = next(
            (
                m
                for m in out
                if set(m.participants) == set(meeting.participants) and m.status == meeting.status
            ),
            None,
        )
        if same is None:
            out.append(meeting)
            continue
        same.mediators = sorted(set(same.mediators) | set(meeting.mediators))
        if same.format == "unknown":
            same.format = meeting.format
        same.date_text = same.date_text or meeting.date_text
        same.location = same.location or meeting.location
    return out
