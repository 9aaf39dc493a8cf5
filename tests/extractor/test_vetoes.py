"""Specification of the veto patterns: token-level exceptions to a cue, written as lexicon data.

"maintains a", "accused of", "said little", a question after "asked", "called" with
only a person after it: each is an entry of the language pack's `vetoes`, matched by
`extractor.cues.patterns.veto_at` where the cue stage asks whether a reporting verb
reports nothing. Sentences are written for these tests; none is from the corpus.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.cues import rulebook
from extractor.cues.patterns import veto_at
from extractor.cues.speech import sentence_cue
from extractor.cues.tokens import tokens
from extractor.errors import ConfigError
from extractor.lang.lexicon import lexicons_dir, load_lexicon

EN = load_lexicon("en")
AR = load_lexicon("ar")


def _veto(text: str, cue: str) -> str | None:
    """The veto that holds at the first token `cue` of `text`, if any."""
    toks = tokens(text, 0, len(text))
    i = next(k for k, t in enumerate(toks) if t.word == cue)
    return veto_at(EN.vetoes, toks, i, text, len(text))


def test_the_english_vetoes_are_named_in_the_cascades_order() -> None:
    assert [v.name for v in EN.vetoes] == [
        "claims.asked-a-question",
        "claims.called-a-person",
        "claims.said-little",
        "claims.accused-of",
        "claims.maintains-a",
        "claims.pointed-without-out",
    ]


@pytest.mark.parametrize(
    ("text", "cue", "expected"),
    [
        ("A reporter asked whether the bridge would open?", "asked", "claims.asked-a-question"),
        ('She asked: "Will the bridge open?" ', "asked", "claims.asked-a-question"),
        ("She asked that the bridge open soon.", "asked", None),
        ("The mayor called Lena Brandt.", "called", "claims.called-a-person"),
        ("The mayor called Mr. Brandt on Sunday.", "called", "claims.called-a-person"),
        ("The mayor called Lena Brandt yesterday", "called", "claims.called-a-person"),
        ("The mayor called the deal a disaster.", "called", None),
        ("The mayor called Brandt a liar on Sunday.", "called", None),
        ("The mayor said little about the bridge.", "said", "claims.said-little"),
        ("The mayor has told nothing of it.", "told", "claims.said-little"),
        ("The mayor said, more or less, that the bridge is safe.", "said", None),
        ("The clerk accused of fraud resigned.", "accused", "claims.accused-of"),
        ("The clerk accused the mayor of fraud.", "accused", None),
        ("The port maintains a register of pilots.", "maintains", "claims.maintains-a"),
        ("The port maintained an office in town.", "maintained", "claims.maintains-a"),
        ("The port maintains that the pilots are safe.", "maintains", None),
    ],
)
def test_a_veto_holds_only_on_its_token_pattern(text: str, cue: str, expected: str | None) -> None:
    assert _veto(text, cue) == expected


def test_the_next_word_is_read_only_with_no_punctuation_between() -> None:
    assert _veto("The mayor said little.", "said") == "claims.said-little"
    assert _veto("The mayor said: little changed.", "said") is None


def test_a_vetoed_verb_is_no_cue_and_a_veto_switched_off_lets_it_through() -> None:
    text = "The harbour authority maintains a register of licensed pilots."
    assert sentence_cue(text, 0, len(text), EN, 0) is None
    with rulebook.rules_off(("claims.maintains-a",)):
        assert _veto(text, "maintains") is None
        cue = sentence_cue(text, 0, len(text), EN, 0)
    assert cue is not None and cue.speakers[0].span is not None


def test_every_veto_is_listed_as_a_rule_of_its_language() -> None:
    listed = rulebook.all_rules()
    for v in EN.vetoes:
        assert listed[v.name].language == "en" and listed[v.name].example == v.example
    assert AR.vetoes == ()  # Arabic exceptions are rules on the word before the verb


def test_a_misspelled_veto_field_is_a_config_error(tmp_path: Path) -> None:
    data = json.loads((lexicons_dir() / "en" / "lexicon.json").read_text(encoding="utf-8"))
    data["vetoes"][0]["nxt"] = ["of"]
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "lexicon.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown key 'vetoes\[0\]\.nxt'"):
        load_lexicon("en", tmp_path)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_each_key_of_a_lexicon_file_is_written_once(language: str) -> None:
    """JSON keeps the last of two equal keys silently: a second `vetoes` would hide the first."""
    path = lexicons_dir() / language / "lexicon.json"
    pairs = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=lambda p: p)
    names = [key for key, _ in pairs]
    assert len(names) == len(set(names)), sorted({k for k in names if names.count(k) > 1})
