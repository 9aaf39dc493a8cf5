"""Specification of drafts: shapes validate without context; problems are a pure function."""

from __future__ import annotations

import json

import pytest

from extractor.strategies.drafts import (
    ActorsDraft,
    Chunk,
    ChunkDraft,
    EventsDraft,
    actor_problems,
    event_problems,
    grounded_actors,
)
from extractor.text.grounding import TextIndex
from extractor.text.segment import split_articles, split_sentences

TEXT = "Borg meets Haddad\nJoseph Borg said the talks went well.\nHaddad met Borg in Valletta.\n"


def _chunk() -> Chunk:
    sentences = split_sentences(TEXT, split_articles(TEXT)[0])
    return Chunk(index=TextIndex(TEXT), sentences=sentences, first=1)


def _actors(*actors: dict[str, object]) -> ActorsDraft:
    return ActorsDraft.model_validate({"actors": list(actors)})


BORG = {"id": "borg", "name": "Joseph Borg", "name_en": "Joseph Borg", "kind": "person"}
HADDAD = {"id": "haddad", "name": "Haddad", "name_en": "Haddad", "kind": "person"}


def test_a_clean_step_one_has_no_problems() -> None:
    assert actor_problems(_actors(BORG, HADDAD), _chunk()) == []


def test_step_one_problems_are_instructions_the_model_can_act_on() -> None:
    ghost = {**HADDAD, "id": "merkel", "name": "Angela Merkel", "affiliation": "cdu"}
    problems = actor_problems(_actors(BORG, BORG | {"name": "Borg"}, ghost), _chunk())
    assert problems == [
        "actor ids must be unique: ['borg']",
        "actor merkel affiliation 'cdu' is not an actor id",
        "actor merkel name 'Angela Merkel' is not in the text",
    ]


def test_step_two_problems_check_ids_and_sentence_numbers() -> None:
    events = EventsDraft.model_validate(
        {
            "claims": [{"speakers": ["x"], "statement": "s", "sentence": 9, "quote": "direct"}],
            "meetings": [{"participants": ["borg", "borg"], "status": "held", "sentence": 3}],
        }
    )
    assert event_problems(events, ["borg", "haddad"], _chunk()) == [
        "claim 1 speakers ['x'] are not actor ids",
        "claim 1 sentence 9 is not between 1 and 3",
        "meeting 1 needs two different participants",
    ]


def test_only_grounded_actors_go_on_to_step_two() -> None:
    ghost = {**HADDAD, "id": "ghost", "name": "Nobody Here"}
    assert [a.id for a in grounded_actors(_actors(BORG, ghost, HADDAD), _chunk())] == [
        "borg",
        "haddad",
    ]


def test_repeats_are_dropped_while_parsing_and_reported() -> None:
    draft = _actors(BORG, BORG, HADDAD)
    assert [a.id for a in draft.actors] == ["borg", "haddad"]
    assert draft.repairs == ["dropped 1 repeated actors"]
    assert _actors(BORG).repairs == []


def test_validation_needs_no_context_and_leaves_none_behind() -> None:
    """The same raw answer parses the same way twice: no hidden state between parses."""
    raw = _actors(BORG, HADDAD).model_dump_json()
    assert ActorsDraft.model_validate_json(raw) == ActorsDraft.model_validate_json(raw)


def test_dangling_affiliations_can_be_left_to_code() -> None:
    """The cues strategy maps affiliations itself: a re-ask for one only costs time."""
    draft = _actors(BORG | {"affiliation": "malta"})
    assert actor_problems(draft, _chunk()) == ["actor borg affiliation 'malta' is not an actor id"]
    assert actor_problems(draft, _chunk(), affiliations=False) == []


@pytest.mark.parametrize("value", [True, False, "2", "1", 2.0, None, [1]])
def test_a_sentence_number_that_is_not_an_integer_cites_no_sentence(value: object) -> None:
    # Before: lax parsing read `true` as sentence 1 and "2" as 2: evidence the model never gave.
    claim = {"speakers": ["haddad"], "statement": "s", "sentence": value, "quote": "direct"}
    meeting = {"participants": ["borg", "haddad"], "status": "held", "sentence": value}
    events = EventsDraft.model_validate_json(json.dumps({"claims": [claim], "meetings": [meeting]}))
    assert events.claims[0].sentence == 0 and events.meetings[0].sentence == 0
    assert event_problems(events, ["borg", "haddad"], _chunk()) == [
        "claim 1 sentence must be an integer between 1 and 3",
        "meeting 1 sentence must be an integer between 1 and 3",
    ]


def test_a_non_integer_sentence_that_survives_the_re_asks_is_a_rejected_item() -> None:
    from extractor.strategies.assemble import assemble

    sentences = _chunk().sentences
    events = EventsDraft.model_validate_json(
        '{"claims": [{"speakers": ["haddad"], "statement": "s", "sentence": true, '
        '"quote": "direct"}]}'
    )
    draft = ChunkDraft(actors=_actors(HADDAD).actors, claims=events.claims)
    article = assemble(TextIndex(TEXT), split_articles(TEXT)[0], sentences, [draft])
    assert article.claims == []
    assert [(r.kind, r.reason) for r in article.rejected] == [
        ("claim", "sentence number out of range")
    ]
