"""Specification of grounding: exact, then normalized, then fuzzy, always in input offsets."""

from __future__ import annotations

import pytest

from extractor.text.grounding import Match, TextIndex
from extractor.text.normalize import normalize


def locate(needle: str, text: str, lo: int = 0, hi: int | None = None) -> Match | None:
    return TextIndex(text).find(needle, lo, hi)


def find_all(needle: str, text: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    return TextIndex(text).find_all(needle, lo, hi)


AR = (
    "قال وزير الخارجية أنتوني بلينكن إن المحادثات في الدوحة مستمرة، "
    "وصرح لشبكة CNN بأن الوفد وصل بـقطر صباحا. "
    "وقالت وزارة الخارجيّة إن السفارة مفتوحة."
)
EN = "The prime minister Mohammed bin Abdulrahman Al Thani met the delegation in Doha on Sunday."


def _check_normalized(needle: str, text: str) -> Match:
    match = locate(needle, text)
    assert match is not None, needle
    assert match.alignment == "normalized"
    assert 0 <= match.start < match.end <= len(text)
    assert normalize(text[match.start : match.end]) == normalize(needle)
    return match


class TestExact:
    def test_verbatim_substring_is_exact_with_its_offsets(self) -> None:
        match = locate("أنتوني بلينكن", AR)
        assert match == Match(AR.index("أنتوني بلينكن"), AR.index("أنتوني بلينكن") + 13, "exact")

    def test_surrounding_whitespace_of_the_needle_is_ignored(self) -> None:
        match = locate("  Doha \n", EN)
        assert match is not None and match.alignment == "exact"
        assert EN[match.start : match.end] == "Doha"

    def test_first_occurrence_is_returned(self) -> None:
        text = "Doha talks. Later, more Doha talks."
        assert locate("Doha", text) == Match(0, 4, "exact")

    @pytest.mark.parametrize("needle", ["", "   ", "\n"])
    def test_blank_needle_is_never_found(self, needle: str) -> None:
        assert locate(needle, AR) is None


class TestNormalized:
    def test_hamza_variant_of_a_name(self) -> None:
        match = _check_normalized("انتوني بلينكن", AR)
        assert AR[match.start : match.end] == "أنتوني بلينكن"

    def test_ta_marbuta_written_as_ha(self) -> None:
        match = _check_normalized("السفاره", AR)
        assert AR[match.start : match.end] == "السفارة"

    def test_diacritics_in_the_text_are_covered_by_the_span(self) -> None:
        match = _check_normalized("وزارة الخارجية", AR)
        assert AR[match.start : match.end] == "وزارة الخارجيّة"  # shadda kept inside the span

    def test_diacritics_in_the_needle_are_ignored(self) -> None:
        match = _check_normalized("المُحادَثات", AR)
        assert AR[match.start : match.end] == "المحادثات"

    def test_tatweel_in_the_text(self) -> None:
        match = _check_normalized("بقطر", AR)
        assert AR[match.start : match.end] == "بـقطر"

    def test_case_and_whitespace_differences(self) -> None:
        match = _check_normalized("mohammed  BIN abdulrahman", EN)
        assert EN[match.start : match.end] == "Mohammed bin Abdulrahman"

    def test_arabic_indic_digits_match_ascii_digits(self) -> None:
        text = "ستعقد المحادثات في 12 أبريل."
        match = _check_normalized("١٢ أبريل", text)
        assert text[match.start : match.end] == "12 أبريل"


class TestClitics:
    def test_name_fused_with_a_preposition_is_found_inside_the_word(self) -> None:
        match = locate("شبكة CNN", AR)
        assert match is not None
        assert AR[match.start : match.end] == "شبكة CNN"
        assert AR[match.start - 1 : match.end] == "لشبكة CNN"

    def test_fused_name_with_a_spelling_variant_is_normalized(self) -> None:
        match = _check_normalized("شبكه CNN", AR)
        assert AR[match.start - 1] == "ل"


class TestFuzzy:
    def test_one_letter_typo_in_a_long_name(self) -> None:
        match = locate("Mohammed bin Abdulrahmen Al Thani", EN)
        assert match is not None
        assert match.alignment == "fuzzy"
        assert EN[match.start : match.end] == "Mohammed bin Abdulrahman Al Thani"

    def test_one_letter_typo_in_a_long_arabic_name(self) -> None:
        text = "وقال رئيس الوزراء الشيخ محمد بن عبد الرحمن إن الوساطة مستمرة."
        match = locate("محمد بن عبد الرحمان", text)
        assert match is not None and match.alignment == "fuzzy"
        assert "عبد الرحمن" in text[match.start : match.end]

    def test_an_invented_name_is_not_found(self) -> None:
        assert locate("Zorblax Quintero", EN) is None
        assert locate("خالد المنصوري", AR) is None

    def test_short_needles_are_never_fuzzy(self) -> None:
        assert locate("Dohx", EN) is None


class TestWindow:
    TEXT = "Doha talks began. Later, more Doha talks. Then Doha again."

    def test_lo_skips_earlier_occurrences(self) -> None:
        match = locate("Doha", self.TEXT, lo=5)
        assert match == Match(self.TEXT.index("Doha", 5), self.TEXT.index("Doha", 5) + 4, "exact")

    def test_hi_excludes_later_occurrences(self) -> None:
        assert locate("Then Doha", self.TEXT, 0, 20) is None
        assert locate("more Doha", self.TEXT, 0, 20) is None

    def test_a_match_must_end_inside_the_window(self) -> None:
        hi = self.TEXT.index("talks") + 2
        assert locate("Doha talks", self.TEXT, 0, hi) is None

    def test_normalized_search_respects_the_window(self) -> None:
        text = "وصل الوفد إلى قطر. ثم غادر الوفد قطر مساء."
        second = text.index("قطر", text.index("ثم"))
        match = locate("قطر مساء", text, lo=text.index("ثم"))
        assert match is not None and match.start == second
        assert locate("وصل الوفد الي", text, lo=5) is None
        assert locate("غادر الوفد", text, 0, text.index("ثم")) is None

    def test_fuzzy_search_respects_the_window(self) -> None:
        text = EN + " Later the delegation left."
        assert locate("Mohammed bin Abdulrahmen Al Thani", text, lo=len(EN)) is None


class TestFindAll:
    def test_every_occurrence_in_order(self) -> None:
        text = "Doha talks. Later, more doha talks. Then DOHA again."
        spans = find_all("Doha", text)
        assert spans == [(0, 4), (24, 28), (41, 45)]
        assert all(normalize(text[s:e]) == "doha" for s, e in spans)

    def test_normalized_occurrences_in_original_offsets(self) -> None:
        text = "قال أنتوني بلينكن إن الوفد وصل. وأكد انتوني بلينكن أن المحادثات بدأت."
        spans = find_all("أنتوني بلينكن", text)
        assert [text[s:e] for s, e in spans] == ["أنتوني بلينكن", "انتوني بلينكن"]

    def test_window(self) -> None:
        text = "Doha talks. Later, more Doha talks. Then Doha again."
        assert find_all("Doha", text, 5, 36) == [(24, 28)]

    def test_nothing_found_and_blank_needle(self) -> None:
        assert find_all("Paris", "Doha talks.") == []
        assert find_all("  ", "Doha talks.") == []


@pytest.mark.parametrize("mark", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_a_name_is_found_through_a_zero_width_character_and_spans_the_input(mark: str) -> None:
    text = f"Then Ahmed Has{mark}san said so."
    match = TextIndex(text).find("Ahmed Hassan")
    assert match is not None and match.alignment == "normalized"
    assert text[match.start : match.end] == f"Ahmed Has{mark}san"
