"""Specification of the record contract: the one place enums, dates and references live."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from extractor.models import Article, Document, Meeting, is_date


@pytest.mark.parametrize(
    ("value", "month_ok", "ok"),
    [
        ("2023-10-09", False, True),
        ("2024-02-29", False, True),  # a leap day
        ("2023-02-30", False, False),  # not a calendar day
        ("2023-13-45", False, False),
        ("0000-00-00", False, False),
        ("2023-10-09\n", False, False),  # a trailing newline is not the shape
        ("٢٠٢٣-١٠-٠٩", False, False),  # Arabic-Indic digits are not ASCII digits
        ("2023-10", False, False),
        ("2023-10", True, True),
        ("2023-13", True, False),
        ("9 Oct 2023", True, False),
    ],
)
def test_is_date(value: str, month_ok: bool, ok: bool) -> None:
    assert is_date(value, month_ok=month_ok) is ok


def _actor(aid: str, **extra: object) -> dict[str, object]:
    return {"id": aid, "name": aid, "name_en": aid, "kind": "person", **extra}


def test_references_must_name_actors_of_the_article() -> None:
    with pytest.raises(ValidationError, match="not actor ids"):
        Article.model_validate(
            {
                "actors": [_actor("a")],
                "claims": [
                    {"speakers": ["b"], "statement": "s", "evidence": "e", "quote": "direct"}
                ],
            }
        )
    with pytest.raises(ValidationError, match="not another actor"):
        Article.model_validate({"actors": [_actor("a", affiliation="a")]})


def test_a_meeting_needs_two_different_participants_and_a_real_date() -> None:
    base = {"participants": ["a", "b"], "status": "held", "evidence": "e"}
    assert Meeting.model_validate(base).format == "unknown"
    with pytest.raises(ValidationError, match="two different"):
        Meeting.model_validate({**base, "participants": ["a", "a"]})
    with pytest.raises(ValidationError, match="real"):
        Meeting.model_validate({**base, "date": "2023-02-30"})


def test_anonymous_is_a_real_boolean() -> None:
    with pytest.raises(ValidationError):
        Article.model_validate({"actors": [_actor("a", anonymous="no")]})


def test_gold_and_predictions_share_one_document_shape() -> None:
    doc = Document.model_validate(
        {
            "id": "d",
            "articles": [
                {
                    "actors": [_actor("a"), _actor("b")],
                    "meetings": [
                        {"participants": ["a", "b"], "status": "planned", "evidence": "e"}
                    ],
                }
            ],
        }
    )
    assert Document.model_validate_json(doc.model_dump_json()) == doc


def test_every_field_of_the_records_schema_has_a_description() -> None:
    # The OpenAPI schema, the JSON output and the gold format are these models: a field
    # a reader of /docs cannot look up is a field nobody can use right.
    from extractor.models import Article, Document

    schema = Document.model_json_schema()
    missing = [
        f"{model}.{field}"
        for model, body in [("Document", schema), *schema["$defs"].items()]
        for field, prop in body.get("properties", {}).items()
        if not prop.get("description")
    ]
    assert missing == []
    assert set(schema["$defs"]) >= {"Article", "Actor", "Claim", "Meeting", "ExtractionMeta"}
    assert Article.model_fields["published"].description
