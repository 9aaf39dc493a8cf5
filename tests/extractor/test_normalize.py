"""Specification of the RECORDS.md §3 normalization shared by grounding and scoring."""

from __future__ import annotations

import random

import pytest

from extractor.text.normalize import normalize, normalize_with_map


class TestGeneralFolding:
    def test_nfkc_folds_compatibility_forms(self) -> None:
        assert normalize("ﬁnal") == "final"  # ligature
        assert normalize("Ａｂｃ１") == "abc1"  # full-width letters and digits
        assert normalize("ﻻ") == "لا"  # Arabic presentation form

    def test_casefold(self) -> None:
        assert normalize("DOHA Talks") == "doha talks"
        assert normalize("Straße") == "strasse"

    def test_whitespace_runs_collapse_to_one_space(self) -> None:
        assert normalize("a  \t b\n\n c") == "a b c"

    def test_leading_and_trailing_whitespace_is_stripped(self) -> None:
        assert normalize("  \n hello \t ") == "hello"

    def test_non_breaking_and_other_unicode_spaces_are_whitespace(self) -> None:
        assert normalize("a\u00a0b\u2003c") == "a b c"

    def test_empty_and_blank_give_empty(self) -> None:
        assert normalize("") == ""
        assert normalize(" \n\t ") == ""


class TestArabicFolding:
    def test_diacritics_are_dropped(self) -> None:
        assert normalize("مُحَادَثَاتٌ") == "محادثات"
        assert normalize("الخارجيّة") == normalize("الخارجية")

    def test_superscript_alef_is_dropped(self) -> None:
        assert normalize("هٰذا") == "هذا"

    def test_tatweel_is_dropped(self) -> None:
        assert normalize("بـقطر") == "بقطر"
        assert normalize("حـــماس") == "حماس"

    @pytest.mark.parametrize("alef", ["أ", "إ", "آ", "ٱ"])
    def test_alef_variants_fold_to_bare_alef(self, alef: str) -> None:
        assert normalize(f"{alef}مل") == "امل"

    def test_alef_maqsura_folds_to_ya(self) -> None:
        assert normalize("مستشفى") == "مستشفي"

    def test_ta_marbuta_folds_to_ha(self) -> None:
        assert normalize("حكومة") == "حكومه"

    def test_hamza_on_waw_folds_to_waw(self) -> None:
        assert normalize("مسؤول") == "مسوول"

    def test_hamza_on_ya_folds_to_ya(self) -> None:
        assert normalize("رئيس") == "رييس"

    def test_arabic_indic_digits_become_ascii(self) -> None:
        assert normalize("٠١٢٣٤٥٦٧٨٩") == "0123456789"

    def test_extended_arabic_indic_digits_become_ascii(self) -> None:
        assert normalize("۲۰۲۳") == "2023"

    def test_spelling_variants_of_one_name_normalize_equal(self) -> None:
        assert normalize("أنتوني بلينكن") == normalize("انتوني  بلينكن")
        assert normalize("وزارة الخارجيّة") == normalize("وزاره الخارجيه")


class TestOffsetMap:
    def test_map_has_one_offset_per_output_char(self) -> None:
        folded, index = normalize_with_map("  Qatar  وقطر ")
        assert folded == "qatar وقطر"
        assert len(index) == len(folded)

    def test_map_points_at_the_input_char_each_output_char_came_from(self) -> None:
        text = "  مُحادثات  في   الدوحة"
        folded, index = normalize_with_map(text)
        for out_char, offset in zip(folded, index, strict=True):
            if out_char != " ":
                assert normalize(text[offset]) == out_char

    def test_dropped_chars_leave_no_entry(self) -> None:
        text = "بـقـطـر"
        folded, index = normalize_with_map(text)
        assert folded == "بقطر"
        assert index == [0, 2, 4, 6]

    def test_one_input_char_may_give_several_output_chars(self) -> None:
        folded, index = normalize_with_map("xﬁy")
        assert folded == "xfiy"
        assert index == [0, 1, 1, 2]

    def test_property_offsets_in_range_and_monotonic(self) -> None:
        alphabet = list(
            "أإآٱاىيةهؤوئبـ"  # letters that fold, plus tatweel
            "\u064b\u064e\u0650\u0651\u0652\u0670"  # diacritics
            "٠١٢٣٩۰۹"  # Arabic-Indic digits
            "aBZ ﬁＡ\u00a0\t\n  "  # Latin, compatibility forms, whitespace
        )
        rng = random.Random(20231009)
        for _ in range(500):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
            folded, index = normalize_with_map(text)
            assert len(index) == len(folded)
            assert all(0 <= i < len(text) for i in index), text
            assert all(a <= b for a, b in zip(index, index[1:])), text
            assert folded == normalize(text)
            assert folded == folded.strip() and "  " not in folded


ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


@pytest.mark.parametrize("mark", ZERO_WIDTH)
def test_zero_width_characters_inside_a_word_fold_away(mark: str) -> None:
    # issue 29: "Has\u200bsan" and "Hassan" are one name; so are "حس\u200cن" and "حسن"
    assert normalize(f"Ahmed Has{mark}san") == normalize("Ahmed Hassan")
    assert normalize(f"أحمد حس{mark}ن") == normalize("أحمد حسن")
    folded, index = normalize_with_map(f"ab{mark}c")
    assert folded == "abc" and index == [0, 1, 3]  # the map skips the mark: offsets exact
