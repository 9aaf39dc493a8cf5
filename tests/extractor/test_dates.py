"""Specification of date handling (RECORDS.md §1): resolve against `published`, never guess."""

from __future__ import annotations

import datetime as dt

import pytest

from extractor.text.dates import date_in, find_published, resolve_date

PUBLISHED = "2023-10-09"  # a Monday


def test_the_reference_date_is_a_monday() -> None:
    assert dt.date.fromisoformat(PUBLISHED).weekday() == 0


class TestRelativeDates:
    def test_weekday_of_a_held_meeting_is_the_last_one_before_publication(self) -> None:
        assert resolve_date("الأحد", PUBLISHED, "held") == "2023-10-08"

    def test_the_weekday_of_publication_is_that_day(self) -> None:
        assert resolve_date("on Monday", PUBLISHED, "held") == "2023-10-09"
        assert resolve_date("الاثنين", PUBLISHED, "planned") == "2023-10-09"
        assert resolve_date("next Monday", PUBLISHED, "planned") == "2023-10-16"

    def test_an_english_weekday_of_a_planned_meeting_is_the_next_one(self) -> None:
        assert resolve_date("Thursday", PUBLISHED, "planned") == "2023-10-12"

    def test_yesterday_with_its_weekday(self) -> None:
        assert resolve_date("أمس الاثنين", PUBLISHED, "held") == "2023-10-08"

    def test_today_is_the_publication_day(self) -> None:
        assert resolve_date("اليوم", PUBLISHED, "held") == "2023-10-09"

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("yesterday", "2023-10-08"),
            ("today", "2023-10-09"),
            ("غدا", "2023-10-10"),
            ("tomorrow", "2023-10-10"),
        ],
    )
    def test_day_words_shift_from_publication(self, text: str, expected: str) -> None:
        assert resolve_date(text, PUBLISHED, "planned") == expected

    def test_day_and_month_without_year_need_publication(self) -> None:
        assert resolve_date("12 أبريل الجاري", None, "planned") is None

    def test_day_and_month_of_this_month_take_the_publication_year(self) -> None:
        assert resolve_date("12 أبريل الجاري", "2025-04-08", "planned") == "2025-04-12"

    def test_next_weekday_of_a_planned_meeting_is_after_publication(self) -> None:
        published = "2016-09-06"
        resolved = resolve_date("next Tuesday", published, "planned")
        assert resolved is not None
        day = dt.date.fromisoformat(resolved)
        assert day.weekday() == 1  # Tuesday
        assert dt.date.fromisoformat(published) < day <= dt.date(2016, 9, 13)

    def test_weekday_of_a_planned_meeting_is_the_next_one(self) -> None:
        assert resolve_date("السبت", "2025-04-08", "planned") == "2025-04-12"

    def test_future_word_overrides_a_held_status(self) -> None:
        resolved = resolve_date("الأحد المقبل", PUBLISHED, "held")
        assert resolved is not None and resolved > PUBLISHED

    def test_past_word_overrides_a_planned_status(self) -> None:
        resolved = resolve_date("last Friday", PUBLISHED, "planned")
        assert resolved is not None and resolved < PUBLISHED


class TestAbsoluteDates:
    def test_month_and_year_give_a_month(self) -> None:
        assert resolve_date("March 2005", None, "held") == "2005-03"

    def test_month_and_year_ignore_publication(self) -> None:
        assert resolve_date("March 2005", PUBLISHED, "held") == "2005-03"

    def test_full_date_with_year_needs_no_publication(self) -> None:
        assert resolve_date("5 May 2019", None, "held") == "2019-05-05"


class TestNoDate:
    @pytest.mark.parametrize("text", [None, "", "   ", "\n"])
    def test_empty_gives_none(self, text: str | None) -> None:
        assert resolve_date(text, PUBLISHED, "held") is None

    @pytest.mark.parametrize("text", ["الأحد", "Sunday", "12 April", "اليوم", "next Tuesday"])
    def test_no_publication_and_no_year_gives_none(self, text: str) -> None:
        assert resolve_date(text, None, "held") is None

    def test_unparseable_text_gives_none(self) -> None:
        assert resolve_date("عند انتهاء الأزمة", PUBLISHED, "planned") is None


class TestFindPublished:
    def test_arabic_label_with_english_date(self) -> None:
        assert find_published("تاريخ النشر: 9th, October 2023 GMT") == "2023-10-09"

    def test_rfc_2822_date_line(self) -> None:
        assert find_published("Mon, 08 Oct 2018 05:00:35 +0000") == "2018-10-08"

    def test_wire_timestamp_line(self) -> None:
        assert find_published("13-APR-1987 08:38:17.58") == "1987-04-13"

    def test_english_label(self) -> None:
        assert find_published("Harbour to reopen\nPublished: 3 May 2021") == "2021-05-03"

    def test_date_line_under_a_headline(self) -> None:
        header = "Ferry port to open next spring\nMon, 08 Oct 2018 05:00:35 +0000\nThe mayor said"
        assert find_published(header) == "2018-10-08"

    def test_a_year_inside_a_headline_sentence_is_not_taken(self) -> None:
        header = (
            "Minister says the 2023 harbour plan will be finished before the winter storms\n"
            "The minister told reporters that work would continue through the night."
        )
        assert find_published(header) is None

    def test_a_date_inside_a_story_sentence_is_not_taken(self) -> None:
        header = "Talks collapse\nThe envoy said on 3 March 2019 that the talks had failed."
        assert find_published(header) is None

    def test_only_the_first_lines_are_read(self) -> None:
        header = "\n".join(["Headline"] + ["body line"] * 6 + ["Published: 3 May 2021"])
        assert find_published(header) is None

    def test_no_date_at_all(self) -> None:
        assert find_published("") is None
        assert find_published("Headline only\nA sentence without a date.") is None


@pytest.mark.parametrize(
    ("sentence", "language", "expected"),
    [
        ("التقى رئيس الوزراء بقادة الحركة، الأحد، في الدوحة.", "ar", "الأحد"),
        ("وستعقد الجولة في 12 أبريل الجاري في مسقط.", "ar", "12 أبريل الجاري"),
        ("The envoy met the minister on Monday in Lima.", "en", "Monday"),
        ("They met in December 2011 and again later.", "en", "December 2011"),
        ("The envoy met the minister in Lima.", "en", None),
        ("التقى الوزير نظيره في العاصمة.", "ar", None),
    ],
)
def test_a_sentence_gives_its_first_date_as_written(
    sentence: str, language: str, expected: str | None
) -> None:
    assert date_in(sentence, language) == expected
