"""Specification of lexicons as files: loaded, normalized, hashed, and checked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from extractor.errors import ConfigError
from extractor.lang.lexicon import lexicons_dir, load_lexicon
from extractor.text.normalize import normalize


def test_both_languages_load_with_normalized_words() -> None:
    ar, en = load_lexicon("ar"), load_lexicon("en")
    assert normalize("أكد") in ar.reporting_verbs and "said" in en.reporting_verbs
    assert ("according", "to") in en.attribution_phrases
    assert len(ar.hash) == len(en.hash) == 16 and ar.hash != en.hash


def test_a_changed_word_list_changes_the_hash(tmp_path: Path) -> None:
    for language in ("ar", "en"):
        shutil.copy(lexicons_dir() / f"{language}.json", tmp_path / f"{language}.json")
    before = load_lexicon("en", tmp_path).hash
    data = json.loads((tmp_path / "en.json").read_text(encoding="utf-8"))
    data["reporting_verbs"].append("opined")
    other = tmp_path / "other"
    other.mkdir()
    (other / "en.json").write_text(json.dumps(data), encoding="utf-8")
    assert load_lexicon("en", other).hash != before


def test_an_unknown_language_or_a_broken_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no lexicon"):
        load_lexicon("fr")
    (tmp_path / "en.json").write_text('{"reporting_verbs": "said"}', encoding="utf-8")
    with pytest.raises(ConfigError, match="reporting_verbs"):
        load_lexicon("en", tmp_path)
