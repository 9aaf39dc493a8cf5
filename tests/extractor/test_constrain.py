"""Specification of constrained decoding's name lists and schemas."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from extractor.strategies.constrain import name_candidates, names_model

SENTENCE = "قال الحركة، حسبما قال مسؤول «رويترز» إن Mr. Kerry said."


def test_a_name_candidate_never_crosses_punctuation() -> None:
    names = name_candidates([SENTENCE])
    assert "Mr. Kerry" in names and "مسؤول" in names and "رويترز" in names
    assert not any("،" in n or "«" in n or "»" in n for n in names)
    assert "الحركة حسبما" not in names and "مسؤول «رويترز" not in names


def test_the_v4_candidate_list_is_kept_for_its_recorded_cassettes() -> None:
    older = name_candidates([SENTENCE], cross_punctuation=True)
    assert "الحركة، حسبما" in older
    assert set(name_candidates([SENTENCE])) < set(older)


def test_the_names_schema_takes_only_the_texts_own_phrases() -> None:
    model = names_model(name_candidates([SENTENCE]))
    ok = model.model_validate({"actors": [{"name": "Mr. Kerry", "kind": "person"}]})
    assert ok.as_actors().actors[0].id == "mr-kerry"
    with pytest.raises(ValidationError):
        model.model_validate({"actors": [{"name": "John Kerry", "kind": "person"}]})
