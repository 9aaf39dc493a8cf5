"""Arabic names in Latin letters for name_en: simplified ALA-LC, deterministic."""

from __future__ import annotations

import pytest

from extractor import extract_article
from extractor.cues.romanize import romanize
from extractor.lang.lexicon import load_lexicon


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("سامح شكري", "Samh Shkri"),  # ي between consonants is the long vowel i
        ("أنتوني بلينكن", "Antuni Blinkn"),  # و between consonants is u
        ("عبد الرحمن", "'bd al-Rhmn"),  # the article, ع as '
        ("وليد المعلم", "Wlid al-M'lm"),  # a word-initial و is w
        ("ثامر خالد", "Thamr Khald"),  # two-letter values
    ],
)
def test_a_name_is_spelled_letter_by_letter_without_guessing_short_vowels(
    arabic: str, latin: str
) -> None:
    assert romanize(arabic, load_lexicon("ar")) == latin


def test_a_named_person_gets_a_romanized_name_en_and_a_description_keeps_its_text() -> None:
    text = "عنوان الخبر\nقال سامر الحداد إن الميناء سيغلق.\nوقال مسؤول كبير إن السفن ستتوقف.\n"
    actors = {a.name: a for a in extract_article(text, strategy="rules").actors}
    assert actors["سامر الحداد"].name_en == "Samr al-Hdad"
    assert actors["مسؤول كبير"].name_en == "مسؤول كبير"  # anonymous: a description


def test_english_has_no_table_and_names_stay_as_written() -> None:
    assert load_lexicon("en").romanization == ()
    assert romanize("Karim Haddad", load_lexicon("en")) == "Karim Haddad"
