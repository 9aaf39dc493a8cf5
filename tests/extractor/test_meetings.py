"""Specification of the meeting stage and of the actors it reads: triggers, status, format."""

from __future__ import annotations

import dataclasses

import pytest

from extractor import Extractor
from extractor.cues.meetings import meeting_cue, one_record_each
from extractor.cues.rulebook import rules_off
from extractor.lang.lexicon import load_lexicon
from extractor.models import Meeting
from extractor.text.segment import split_articles

AR, EN = load_lexicon("ar"), load_lexicon("en")


def cue(text: str, lex=EN):
    return meeting_cue(text, 0, len(text), lex, 0)


@pytest.mark.parametrize(
    ("text", "status", "fmt"),
    [
        ("Kenya and Uganda held talks in Kampala on Monday.", "held", "unknown"),
        ("Kenya and Uganda will hold talks in Kampala next week.", "planned", "unknown"),
        ("The talks between Kenya and Uganda were cancelled.", "cancelled", "unknown"),
        ("Kenya and Uganda held indirect talks through mediators.", "held", "indirect"),
        ("Kenya and Uganda met face to face for the first time.", "held", "direct"),
    ],
)
def test_english_meeting_cues(text: str, status: str, fmt: str) -> None:
    found = cue(text)
    assert found is not None and (found.status, found.format) == (status, fmt)


@pytest.mark.parametrize(
    ("text", "status", "fmt"),
    [
        ("التقى وزير الخارجية بوفد من حركة النور في الدوحة.", "held", "unknown"),
        ("وسيلتقي الوزير نظيره القطري الأحد المقبل.", "planned", "unknown"),
        ("وأجرى الطرفان محادثات غير مباشرة بوساطة قطرية.", "held", "indirect"),
        ("وانهارت المفاوضات بين الطرفين أمس.", "cancelled", "unknown"),
        # a noun as an object takes the accusative alif; a dual verb ends in alif too
        ("وعقد الوزيران اجتماعاً مطولاً في الدوحة.", "held", "unknown"),
        ("والتقيا في الدوحة أمس.", "held", "unknown"),
    ],
)
def test_arabic_meeting_cues(text: str, status: str, fmt: str) -> None:
    found = cue(text, AR)
    assert found is not None and (found.status, found.format) == (status, fmt)


def test_phone_calls_and_letters_are_not_meetings() -> None:
    assert cue("Kenya's president held a phone call with Uganda's leader.") is None
    assert cue("وأجرى الوزير اتصالا هاتفيا مع نظيره القطري.", AR) is None
    assert cue("وبحث الوزيران خلال الاتصال العلاقات بين البلدين.", AR) is None  # the call
    assert cue("The port reopened on Monday.") is None
    assert cue("Kenya's president spoke to Uganda's leader about the talks by phone.") is None


def test_a_phone_marker_cancels_only_the_trigger_next_to_it() -> None:
    """An interview by phone is no meeting; the reception later in the sentence is one."""
    text = (
        "وأجرت الصحيفة الحوار مع الوزير عبر الهاتف من مكتبه في العاصمة، وبعد ساعات قليلة "
        "التقى الوزير نظيره الكيني في المطار."
    )
    found = cue(text, AR)
    assert found is not None
    assert text[found.trigger[0] : found.trigger[1]] == "التقى"
    assert cue("وأجرت الصحيفة الحوار مع الوزير عبر الهاتف من مكتبه.", AR) is None


def test_the_rules_strategy_reports_a_meeting_with_its_parties() -> None:
    text = (
        "Egypt and Jordan to talk\n"
        "Egypt and Jordan will hold talks in Aqaba next week, an official said.\n"
    )
    article = Extractor(strategy="rules", use_cache=False).extract_article(text)
    names = {a.id: a.name for a in article.actors}
    (meeting,) = article.meetings
    assert meeting.status == "planned"
    assert [names[p] for p in meeting.participants] == ["Egypt", "Jordan"]  # not the speaker


def test_a_digest_of_capitalized_items_is_split_into_articles() -> None:
    items = [f"ITEM NUMBER {n} HEADLINE The story of item {n} goes on here." for n in range(4)]
    text = "Morning Digest\n\n" + "\n".join(items) + "\n"
    segments = split_articles(text)
    assert len(segments) == 4
    assert text[segments[0].start :].startswith("Morning Digest")  # header + first item
    assert text[segments[1].start :].startswith("ITEM NUMBER 1")
    two = "Morning Digest\n" + "\n".join(items[:2])
    assert len(split_articles(two)) == 1  # two such lines are not a digest


def test_the_same_parties_are_one_record_whatever_the_later_markers_say() -> None:
    def meeting(status: str, parties: tuple[str, ...] = ("kenya", "uganda"), **fields: object):
        return Meeting(participants=list(parties), status=status, evidence="talks", **fields)

    first = meeting("held")
    later = meeting("held", format="indirect", mediators=["qatar"], location="Doha")
    planned = meeting("planned")
    other = meeting("planned", ("kenya", "rwanda"))
    merged = one_record_each([first, later, planned, other])
    assert merged == [first, other]
    assert (first.status, first.format, first.mediators) == ("held", "indirect", ["qatar"])
    assert first.location == "Doha"
    with rules_off(("meetings.same-parties-one-meeting",)):
        assert len(one_record_each([meeting("held"), meeting("planned")])) == 2


def test_a_news_conference_is_no_meeting_unless_its_rule_is_switched_off() -> None:
    text = "Kenya and Uganda held a joint news conference in Nairobi."
    assert cue(text) is None
    with rules_off(("meetings.press-event-is-no-meeting",)):
        assert cue(text) is not None
    assert cue("وعرض الوزير في حوار صحفي نتائج زيارته إلى الدوحة.", AR) is None


def test_the_clitics_and_endings_of_a_trigger_are_the_packs() -> None:
    """A pack without the Arabic affix lists reads its triggers as listed, nothing more."""
    bare = dataclasses.replace(
        AR,
        conjunction_letters=frozenset(),
        future_letters=frozenset(),
        alif_endings=(),
        article_prefixes=(),
    )
    for text in ("وعقد الوزيران اجتماعاً مطولاً في الدوحة.", "وبعد المحادثات عاد الوزير."):
        assert cue(text, AR) is not None and cue(text, bare) is None
    assert cue("التقى وزير الخارجية بوفد من حركة النور في الدوحة.", bare) is not None


def test_the_search_is_no_talks() -> None:
    assert cue("وبدأت مصر وقطر البحث عن حل للأزمة.", AR) is None
    assert cue("وبدأت مصر وقطر بحث الأزمة في الدوحة.", AR) is not None


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("Kenya and Uganda held talks in Kampala on Monday.\n", "direct"),
        ("Kenya and Uganda held indirect talks in Kampala on Monday.\n", "indirect"),
        ("Kenya and Uganda held talks brokered by Qatar in Kampala on Monday.\n", "indirect"),
    ],
)
def test_a_meeting_is_direct_unless_the_text_names_a_go_between(text: str, fmt: str) -> None:
    article = Extractor(strategy="rules", use_cache=False).extract_article("Talks\n" + text)
    (meeting,) = article.meetings
    assert meeting.format == fmt


def _parties(text: str) -> list[list[str]]:
    article = Extractor(strategy="rules", use_cache=False).extract_article(text)
    names = {a.id: a.name for a in article.actors}
    return [[names[p] for p in m.participants] for m in article.meetings]


def test_the_place_of_a_dateline_is_no_party() -> None:
    text = "Talks in the east\nNairobi, Kenya (Agency) -- Uganda and Rwanda held talks on Monday.\n"
    assert _parties(text) == [["Uganda", "Rwanda"]]


def test_a_member_and_the_body_he_speaks_for_are_one_side() -> None:
    text = (
        "Hamas spokesman Ali Nasser said the port would reopen. "
        "Ali Nasser joined the talks of Hamas in Doha on Monday."
    )
    assert _parties(text) == []


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (
            "Kenya and Uganda held talks in Kampala on Monday, a week after a strike "
            "at the port was called off.",
            "held",
        ),
        ("The talks between Kenya and Uganda were called off.", "cancelled"),
        ("Kenya and Uganda failed to agree on the border during a meeting in Kampala.", "held"),
    ],
)
def test_a_cancel_marker_cancels_only_the_meeting_next_to_it(text: str, status: str) -> None:
    found = cue(text)
    assert found is not None and found.status == status


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        (
            "Kenya said on Monday that talks between Uganda and Rwanda began in Kampala.",
            [["Uganda", "Rwanda"]],
        ),
        ("Kenya and Uganda held talks in Kampala on Monday.", [["Kenya", "Uganda"]]),
    ],
)
def test_the_parties_named_after_between_are_the_meetings(
    text: str, parties: list[list[str]]
) -> None:
    assert _parties(text) == parties


@pytest.mark.parametrize(
    "text",
    [
        "ونفى مسؤول في الميناء أنباء عن محادثات بين مصر وقطر.",
        "وقال الوزير إن مصر ليس لديها أي مفاوضات مع قطر.",
        "ولم يلتق الوزير نظيره القطري في القاهرة.",
    ],
)
def test_a_meeting_its_clause_denies_is_no_meeting(text: str) -> None:
    assert cue(text, AR) is None


def test_a_denial_in_another_clause_leaves_the_meeting() -> None:
    found = cue("ونفى الوزير الاتهامات، والتقى نظيره القطري في القاهرة.", AR)
    assert found is not None and found.status == "held"


def test_a_meeting_word_with_the_speakers_pronoun_is_his_own_meeting() -> None:
    text = (
        "عنوان الخبر\n"
        "وقال وزير النقل عمر حداد إن اللقاء الذي جمعه بوزير المالية خالد نصار كان مثمرا.\n"
        "وأكد وزير النقل عمر حداد أن لقاءه بوزير المالية خالد نصار كان مثمرا.\n"
    )
    assert _parties(text) == [["عمر حداد", "خالد نصار"]]


@pytest.mark.parametrize(
    ("text", "meets"),
    [
        ("وخلال الاجتماع، قال وزير النقل إن الميناء سيغلق.", False),
        ("وتأتي هذه الزيارة بعد أسبوع من إغلاق الميناء.", False),
        # a definite trigger that names its parties anew is a meeting of its own
        ("وخلال الاجتماع مع وزير المالية بحث الوزير إغلاق الميناء.", True),
    ],
)
def test_a_mention_of_the_meeting_reported_is_no_new_meeting(text: str, meets: bool) -> None:
    assert (cue(text, AR) is not None) == meets


def test_an_interview_with_a_medium_is_no_meeting() -> None:
    text = (
        "عنوان الخبر\n"
        "وقال وزير النقل إن الميناء سيغلق.\n"
        "وأضاف في لقاء مع «إذاعة الشرق» أن مصر وقطر ستتفقان.\n"
    )
    assert _parties(text) == []


def test_the_parties_after_between_run_to_a_preposition() -> None:
    text = (
        "عنوان الخبر\n"
        "وقال وزير النقل سامر يوسف إن الميناء سيغلق.\n"
        "وقال وزير المالية جاد سليم إن الميزانية جاهزة.\n"
        "وأعلنت قطر انعقاد مباحثات بين وزير النقل سامر يوسف، ووزير المالية السابق للحكومة "
        "جاد سليم، الاثنين المقبل.\n"
        "وقال مسؤول إن هناك مشاورات بين مصر والسودان دون حضور سامر يوسف.\n"
    )
    assert _parties(text) == [["سامر يوسف", "جاد سليم"], ["مصر", "السودان"]]
