"""Reporting verbs in all their forms, and the guards of their noun homographs.

Sentences are written for these tests; none is from the corpus.
"""

from __future__ import annotations

import pytest

from extractor.cues.speech import sentence_cue
from extractor.lang.lexicon import load_lexicon

AR = load_lexicon("ar")
EN = load_lexicon("en")


def speakers(text: str, lang: str = "en") -> list[str] | None:
    cue = sentence_cue(text, 0, len(text), EN if lang == "en" else AR, 0)
    if cue is None:
        return None
    return [text[s.span[0] : s.span[1]] if s.span else "<implicit>" for s in cue.speakers]


def cue_word(text: str, lang: str = "en") -> str | None:
    cue = sentence_cue(text, 0, len(text), EN if lang == "en" else AR, 0)
    return text[cue.cue[0] : cue.cue[1]] if cue is not None and cue.cue is not None else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # progressive, perfect and modal forms: the subject stands before the auxiliaries
        ("Tomas Pell is insisting that the port will close.", ["Tomas Pell"]),
        ("Tomas Pell has been suggesting that the ferries will stop.", ["Tomas Pell"]),
        ("The harbour master has argued that the toll is too high.", ["The harbour master"]),
        ("Ana Brandt will say on Monday that the port is safe.", ["Ana Brandt"]),
        ("Ana Brandt has since repeated that the port is safe.", ["Ana Brandt"]),
        # lemmas the lexicon lacked
        ("Tomas Pell mentioned that the ferries would stop.", ["Tomas Pell"]),
        ("Ana Brandt assured the crews that the port was safe.", ["Ana Brandt"]),
        ("Tomas Pell reminded voters that the toll would rise.", ["Tomas Pell"]),
        ("The captain echoed the warning that the port is unsafe.", ["The captain"]),
        ("Ana Brandt bemoaned that the ferries were late again.", ["Ana Brandt"]),
        ("Tomas Pell pointed out that the toll had doubled.", ["Tomas Pell"]),
    ],
)
def test_forms_and_lemmas_of_reporting_verbs(text: str, expected: list[str]) -> None:
    assert speakers(text) == expected


def test_a_participle_of_speech_after_a_comma_goes_on_with_the_subject() -> None:
    text = "Tomas Pell left on Monday, telling reporters that the port is safe."
    assert cue_word(text) == "telling"
    assert speakers(text) == ["Tomas Pell"]


@pytest.mark.parametrize(
    "text",
    [
        "Two states closed their ports on Monday after the storm.",
        "The swing states will decide the vote on the new toll.",
        "The media reports put the damage to the harbour at a million.",
        "His promises to the crews were not kept this winter.",
        "The pastor's claims about the harbour were never checked.",
    ],
)
def test_a_noun_homograph_is_no_verb_after_an_article_a_numeral_or_a_noun(text: str) -> None:
    assert sentence_cue(text, 0, len(text), EN, 0) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tomas Pell claims the port is safe.", ["Tomas Pell"]),
        ("He also notes that the ferries were late.", ["<implicit>"]),
        ("Two states closed their ports after the storm, Tomas Pell said.", ["Tomas Pell"]),
    ],
)
def test_a_noun_homograph_is_a_verb_right_after_its_subject(text: str, expected: list[str]) -> None:
    assert speakers(text) == expected


def test_a_participle_after_an_article_is_an_adjective() -> None:
    text = "The proposed toll angered the captains, Ana Brandt said."
    assert cue_word(text) == "said"
    assert speakers(text) == ["Ana Brandt"]


def test_point_reports_a_statement_only_as_point_out() -> None:
    assert sentence_cue("Tomas Pell pointed to the closed port.", 0, 38, EN, 0) is None


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("وعلق وزير النقل على القرار بأن الميناء سيغلق.", "وعلق"),
        ("وأجاب وزير النقل بأن الميناء سيغلق يوم الجمعة.", "وأجاب"),
        ("وهاجم وزير النقل قرار إغلاق الميناء.", "وهاجم"),
        ("وثمنت وزارة النقل جهود عمال الميناء.", "وثمنت"),
    ],
)
def test_arabic_verbs_the_lexicon_lacked(text: str, cue: str) -> None:
    assert cue_word(text, "ar") == cue


def test_arabic_ja_fi_names_the_statement_as_source() -> None:
    text = "وجاء في بيان وزارة النقل أن الميناء سيغلق يوم الجمعة."
    assert speakers(text, "ar") is not None


def test_arabic_it_is_said_is_no_claim() -> None:
    assert speakers("ويقال إن وزير النقل سيغلق الميناء.", "ar") is None
