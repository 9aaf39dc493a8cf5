"""Specification of language dispatch: the cue stages reach a language through its pack.

A stage tests a trait the pack declares (`Lexicon.traits`) or calls a routine of the
one table `cues/readers.py`; no stage compares a language code, so a third language
is a pack folder and, for routines of its own, an entry in that table.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from extractor.cues import readers
from extractor.cues.readers import GENERIC, READERS, readers_for
from extractor.lang.lexicon import TRAITS, languages, load_lexicon

_PACKAGE = Path(readers.__file__).resolve().parent.parent
# `language == "ar"`, `lex.language != 'en'`, `language in ("ar", "en")`: a code compared
_CODE_TEST = re.compile(r"""language\s*(?:==|!=|(?:not\s+)?in)\s*[("'\[]""")
_TRAIT_TEST = re.compile(r"""["']([a-z-]+)["']\s+(?:not\s+)?in\s+[\w.()]*traits""")


def _stage_files() -> list[Path]:
    return [*(_PACKAGE / "cues").glob("*.py"), *(_PACKAGE / "strategies").glob("*.py")]


def test_no_cue_stage_compares_a_language_code_but_the_one_table() -> None:
    found = [
        f"{path.relative_to(_PACKAGE)}:{n}: {line.strip()}"
        for path in _stage_files()
        if path.name != "readers.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _CODE_TEST.search(line)
    ]
    assert found == []


def test_every_trait_the_code_tests_is_one_a_pack_may_declare() -> None:
    tested = {
        m.group(1)
        for path in _stage_files()
        for m in _TRAIT_TEST.finditer(path.read_text(encoding="utf-8"))
    }
    assert tested and tested <= set(TRAITS), tested - set(TRAITS)
    declared = set().union(*(load_lexicon(code).traits for code in languages()))
    assert tested <= declared  # no trait is tested that no language has


def test_the_table_has_an_entry_per_pack_and_a_generic_path_for_others() -> None:
    assert set(READERS) <= set(languages())
    assert readers_for(load_lexicon("ar")) is READERS["ar"]
    assert readers_for(load_lexicon("en")) is READERS["en"]
    fr = dataclasses.replace(load_lexicon("en"), language="fr")  # a pack with no routines
    assert readers_for(fr) is GENERIC
    assert GENERIC.name_tail("Foreign Minister Ana Brandt", fr) is None
    assert GENERIC.names("Ana Brandt said so.", [], fr) == []
