"""Specification of lexicons as files: loaded, normalized, hashed, and checked."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from extractor.errors import ConfigError
from extractor.lang.gazetteer import load_gazetteer
from extractor.lang.lexicon import (
    TRAITS,
    Lexicon,
    LexiconFile,
    languages,
    lexicons_dir,
    lexicons_hash,
    load_lexicon,
)
from extractor.lang.pack import pack_for
from extractor.text.normalize import normalize


def _copy_packs(root: Path) -> Path:
    """The shipped lexicons and gazetteer, copied to `root` in the packs' layout."""
    for language in ("ar", "en"):
        (root / language).mkdir(parents=True)
        shutil.copy(lexicons_dir() / language / "lexicon.json", root / language / "lexicon.json")
    shutil.copy(lexicons_dir() / "countries.json", root / "countries.json")
    return root


def test_both_languages_load_with_normalized_words() -> None:
    ar, en = load_lexicon("ar"), load_lexicon("en")
    assert normalize("أكد") in ar.reporting_verbs and "said" in en.reporting_verbs
    assert ("according", "to") in en.attribution_phrases
    assert len(ar.hash) == len(en.hash) == 16 and ar.hash != en.hash


def test_a_changed_word_list_changes_the_hash(tmp_path: Path) -> None:
    _copy_packs(tmp_path)
    before = load_lexicon("en", tmp_path).hash
    data = json.loads((tmp_path / "en" / "lexicon.json").read_text(encoding="utf-8"))
    data["reporting_verbs"].append("opined")
    other = tmp_path / "other"
    (other / "en").mkdir(parents=True)
    (other / "en" / "lexicon.json").write_text(json.dumps(data), encoding="utf-8")
    assert load_lexicon("en", other).hash != before


def test_an_unknown_language_or_a_broken_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no lexicon"):
        load_lexicon("fr")
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "lexicon.json").write_text('{"reporting_verbs": "said"}', encoding="utf-8")
    with pytest.raises(ConfigError, match="reporting_verbs"):
        load_lexicon("en", tmp_path)


def test_a_misspelled_key_is_a_config_error_naming_the_key_and_the_file(tmp_path: Path) -> None:
    _copy_packs(tmp_path)
    path = tmp_path / "en" / "lexicon.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["reporting_verb"] = data.pop("reporting_verbs")
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_lexicon("en", tmp_path)
    message = str(caught.value)
    assert "unknown key 'reporting_verb'" in message and str(path) in message
    assert "reporting_verbs: missing" in message


def test_a_misspelled_optional_key_is_an_error_too_not_an_empty_list(tmp_path: Path) -> None:
    _copy_packs(tmp_path)
    path = tmp_path / "en" / "lexicon.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["title_noun"] = data.pop("title_nouns", [])
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown key 'title_noun'"):
        load_lexicon("en", tmp_path)


def test_a_pack_declares_its_traits_from_a_fixed_vocabulary(tmp_path: Path) -> None:
    ar, en = load_lexicon("ar"), load_lexicon("en")
    assert ar.traits and en.traits and ar.traits | en.traits <= set(TRAITS)
    assert "clitics" in ar.traits and "letter-case" in en.traits
    _copy_packs(tmp_path)
    path = tmp_path / "en" / "lexicon.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "traits": ["letter-case", "ergative"]}), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"traits: .*unknown trait\(s\) \['ergative'\]"):
        load_lexicon("en", tmp_path)


def test_an_empty_word_or_a_lexicon_of_another_language_is_a_config_error(tmp_path: Path) -> None:
    _copy_packs(tmp_path)
    path = tmp_path / "en" / "lexicon.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "title_nouns": ["minister", ""]}), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"title_nouns\[1\]"):
        load_lexicon("en", tmp_path)
    path.write_text(json.dumps({**data, "language": "ar"}), encoding="utf-8")
    with pytest.raises(ConfigError, match="for language 'ar', not 'en'"):
        load_lexicon("en", tmp_path)


def test_the_schema_names_every_word_list_of_a_lexicon() -> None:
    listed = set(LexiconFile.model_fields) - {"language", "about"}
    assert listed == {f.name for f in dataclasses.fields(Lexicon)} - {"language", "hash"}


def test_the_supported_languages_are_the_folders_that_hold_a_lexicon(tmp_path: Path) -> None:
    assert languages() == ("ar", "en")
    root = _copy_packs(tmp_path)
    (root / "fr").mkdir()  # a folder without a lexicon is no language
    assert languages(root) == ("ar", "en")
    with pytest.raises(ConfigError, match=r"no lexicon for language 'fr'; known: \['ar', 'en'\]"):
        load_lexicon("fr", root)


def test_a_pack_holds_its_languages_lexicon_and_gazetteer() -> None:
    pack = pack_for("ar")
    assert pack is not None and pack.code == "ar"
    assert pack.lexicon is load_lexicon("ar") and pack.gazetteer is load_gazetteer("ar")
    assert pack_for("fr") is None and pack_for("und") is None


def test_one_hash_covers_every_pack_and_the_gazetteer(tmp_path: Path) -> None:
    assert len(lexicons_hash()) == 16
    root = _copy_packs(tmp_path)
    # The same bytes in the same folders hash the same: the hash is of the data.
    assert load_lexicon("en", root).hash == load_lexicon("en").hash
    assert load_gazetteer("en", root).hash == load_gazetteer("en").hash


def test_extractor_lexicons_names_another_folder_of_packs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXTRACTOR_LEXICONS", str(tmp_path))
    assert lexicons_dir() == tmp_path
    monkeypatch.delenv("EXTRACTOR_LEXICONS")
    assert (lexicons_dir() / "en" / "lexicon.json").is_file()
