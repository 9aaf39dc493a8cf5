"""Named rules: every cue rule is listed with its example, and its example proves it is live.

A rule's example is its test row: with the rule switched off, the cue stages must
extract something else from that example. A rule whose example it does not change is
either dead code or documented with the wrong example, and fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
from paths import ROOT

from extractor import ConfigError, Extractor
from extractor.cues import rulebook
from extractor.settings import Settings

RULES = sorted(rulebook.all_rules().values(), key=lambda r: r.name)
DOCS = ROOT / "docs" / "rules.md"


def _extracted(text: str, off: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    with Extractor(strategy="rules", use_cache=False, rules_off=off) as ex:
        articles = ex.extract_articles(text)
    return [a.model_dump(exclude={"meta"}) for a in articles]


def test_docs_rules_md_is_the_generated_catalogue() -> None:
    assert DOCS.read_text(encoding="utf-8") == rulebook.catalogue(), (
        "docs/rules.md is stale: run `extractor rules --markdown > docs/rules.md`"
    )


def test_the_cue_stages_have_named_rules_in_every_stage() -> None:
    stages = {r.stage for r in RULES}
    assert {"claims", "speakers", "actors", "meetings"} <= stages
    assert len(RULES) >= 30


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_switching_a_rule_off_changes_what_its_example_gives(rule: rulebook.Rule) -> None:
    assert _extracted(rule.example) != _extracted(rule.example, (rule.name,))


def test_an_unknown_rule_name_is_a_config_error_naming_it() -> None:
    with pytest.raises(ConfigError, match="claims.no-such-rule"):
        Settings(rules_off=("claims.no-such-rule",))


def test_rules_off_is_kept_in_one_order_and_recorded_in_meta() -> None:
    names = tuple(sorted(r.name for r in RULES[:2]))
    settings = Settings(strategy="rules", rules_off=tuple(reversed(names)))
    assert settings.rules_off == names
    with Extractor(strategy="rules", use_cache=False, rules_off=names) as ex:
        article = ex.extract_article("The minister said on Monday that talks would resume.")
        assert article.meta.rules_off == list(names)
        assert ex.fingerprint()["rules_off"] == list(names)


def test_rules_are_off_only_inside_the_block() -> None:
    name = RULES[0].name
    with rulebook.rules_off((name,)):
        assert name in rulebook.disabled()
    assert name not in rulebook.disabled()


def test_a_rule_name_must_start_with_its_stage_and_be_registered_once() -> None:
    with pytest.raises(ValueError, match="must start with its stage"):
        rulebook.rule("x.y", stage="claims", purpose="p", example="e", off=None)
    coded = next(iter(rulebook.RULES.values()))
    with pytest.raises(ValueError, match="registered twice"):
        rulebook.rule(coded.name, stage=coded.stage, purpose="p", example="e", off=None)
