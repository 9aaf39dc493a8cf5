"""Specification of the gold checker: clean gold passes, each kind of mistake is reported."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from paths import ROOT as REPO

from evals.gold import GoldDocument, check_gold, load_gold_dir

GOLD_DIR = REPO / "evals" / "gold"
SHARED = REPO.parent / "shared"
CORPUS_DIRS = [SHARED / "corpus" / "dev", SHARED / "examples"]
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"shared data folder {SHARED} is absent (corpus texts live there)"
)

TEXT = "Blinken met Hamas leaders in Doha on Sunday. Blinken said the talks went well.\n"


def good_gold(text: str = TEXT) -> dict[str, Any]:
    return {
        "id": "tiny",
        "text_file": "tiny.txt",
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "language": "en",
        "articles": [
            {
                "title": None,
                "published": "2024-01-07",
                "outlet": None,
                "dateline": None,
                "language": "en",
                "actors": [
                    {
                        "id": "blinken",
                        "name": "Blinken",
                        "name_en": "Antony Blinken",
                        "kind": "person",
                        "role": None,
                        "affiliation": None,
                        "anonymous": False,
                        "aliases": [],
                    },
                    {
                        "id": "hamas-leaders",
                        "name": "Hamas leaders",
                        "name_en": "Hamas leaders",
                        "kind": "group",
                        "role": None,
                        "affiliation": None,
                        "anonymous": True,
                        "aliases": ["Hamas"],
                    },
                ],
                "claims": [
                    {
                        "speakers": ["blinken"],
                        "statement": "the talks went well",
                        "evidence": "Blinken said the talks went well.",
                        "quote": "indirect",
                    },
                ],
                "meetings": [
                    {
                        "participants": ["blinken", "hamas-leaders"],
                        "mediators": [],
                        "status": "held",
                        "format": "direct",
                        "date": "2024-01-07",
                        "date_text": "Sunday",
                        "location": "Doha",
                        "topic": None,
                        "evidence": "Blinken met Hamas leaders in Doha on Sunday.",
                    },
                ],
            }
        ],
    }


def write_case(tmp_path: Path, gold: dict[str, Any] | str, text: str | None = TEXT) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    if text is not None:
        (corpus / "tiny.txt").write_text(text, encoding="utf-8")
    path = tmp_path / "tiny.json"
    path.write_text(gold if isinstance(gold, str) else json.dumps(gold), encoding="utf-8")
    return path


def check(tmp_path: Path, gold: dict[str, Any] | str, text: str | None = TEXT) -> list[str]:
    return check_gold(write_case(tmp_path, gold, text), [tmp_path / "nowhere", tmp_path / "corpus"])


def test_crafted_good_gold_is_clean(tmp_path: Path) -> None:
    assert check(tmp_path, good_gold()) == []


_DELETE = object()  # sentinel value for `_set`: remove the key


def _art(g: dict) -> dict:
    return g["articles"][0]


def _set(path: str, value: Any) -> Callable[[dict], None]:
    """A mutation setting `a.b.0.c`-style path (`A` = first article) to value."""

    def mutate(g: dict) -> None:
        keys = path.split(".")
        obj: Any = _art(g) if keys[0] == "A" else g
        if keys[0] == "A":
            keys = keys[1:]
        for k in keys[:-1]:
            obj = obj[int(k)] if k.isdigit() else obj[k]
        last = keys[-1]
        if value is _DELETE:
            del obj[last]
        elif last.isdigit():
            obj[int(last)] = value
        else:
            obj[last] = value

    return mutate


def _duplicate_actor(g: dict) -> None:
    _art(g)["actors"].append(copy.deepcopy(_art(g)["actors"][0]))


BROKEN: list[tuple[str, Callable[[dict], None], str]] = [
    ("kind", _set("A.actors.0.kind", "human"), "actors[0].kind: Input should be 'person'"),
    (
        "quote",
        _set("A.claims.0.quote", "verbatim"),
        "claims[0].quote: Input should be 'direct' or 'indirect'",
    ),
    ("status", _set("A.meetings.0.status", "done"), "meetings[0].status: Input should be 'held'"),
    (
        "format",
        _set("A.meetings.0.format", "phone"),
        "meetings[0].format: Input should be 'direct'",
    ),
    (
        "meeting date",
        _set("A.meetings.0.date", "2024-13-01"),
        "meeting date '2024-13-01' is not a real",
    ),
    (
        "meeting date words",
        _set("A.meetings.0.date", "Sunday"),
        "meeting date 'Sunday' is not a real",
    ),
    (
        "published month",
        _set("A.published", "2024-01"),
        "published '2024-01' is not a real YYYY-MM-DD",
    ),
    ("duplicate id", _duplicate_actor, "actor ids are not unique"),
    (
        "unknown speaker",
        _set("A.claims.0.speakers", ["nobody"]),
        "claim speakers ['nobody'] are not actor ids",
    ),
    ("no speaker", _set("A.claims.0.speakers", []), "speakers: List should have at least 1 item"),
    (
        "one participant",
        _set("A.meetings.0.participants", ["blinken"]),
        "participants: List should have at least 2 items",
    ),
    (
        "same participant twice",
        _set("A.meetings.0.participants", ["blinken", "blinken"]),
        "a meeting needs two different participants",
    ),
    (
        "unknown participant",
        _set("A.meetings.0.participants", ["blinken", "x"]),
        "meeting actors ['x'] are not actor ids",
    ),
    (
        "unknown mediator",
        _set("A.meetings.0.mediators", ["qatar"]),
        "meeting actors ['qatar'] are not actor ids",
    ),
    ("unknown affiliation", _set("A.actors.0.affiliation", "usa"), "affiliation 'usa'"),
    ("self affiliation", _set("A.actors.0.affiliation", "blinken"), "affiliation 'blinken'"),
    (
        "anonymous type",
        _set("A.actors.0.anonymous", "no"),
        "anonymous: Input should be a valid boolean",
    ),
    ("missing field", _set("A.actors.0.name_en", _DELETE), "actors[0].name_en: Field required"),
    (
        "missing meeting field",
        _set("A.meetings.0.status", _DELETE),
        "meetings[0].status: Field required",
    ),
    (
        "name not verbatim",
        _set("A.actors.0.name", "Antony Blinken"),
        "name 'Antony Blinken' not found verbatim",
    ),
    (
        "alias not verbatim",
        _set("A.actors.1.aliases", ["Hamas chiefs"]),
        "alias 'Hamas chiefs' not found verbatim",
    ),
    (
        "evidence not verbatim",
        _set("A.claims.0.evidence", "Blinken said talks went well."),
        "evidence 'Blinken said talks went well.' not found verbatim",
    ),
    (
        "meeting evidence",
        _set("A.meetings.0.evidence", "Blinken met Hamas in Doha"),
        "evidence 'Blinken met Hamas in Doha' not found verbatim",
    ),
    (
        "location not verbatim",
        _set("A.meetings.0.location", "Qatar"),
        "location 'Qatar' not found verbatim",
    ),
    ("sha256", _set("sha256", "0" * 64), "sha256 does not match"),
    ("missing sha256", _set("sha256", _DELETE), "sha256 is required in a gold file"),
    ("id vs file name", _set("id", "other"), "id 'other' does not match the file name"),
    ("no articles", _set("articles", []), "articles must be a non-empty list"),
    (
        "empty statement",
        _set("A.claims.0.statement", ""),
        "claims[0].statement: String should have at least 1 character",
    ),
    ("claims not a list", _set("A.claims", {}), "claims: Input should be a valid list"),
]


@pytest.mark.parametrize(
    ("mutate", "expected"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_each_problem_is_reported(
    tmp_path: Path, mutate: Callable[[dict], None], expected: str
) -> None:
    gold = good_gold()
    mutate(gold)
    problems = check(tmp_path, gold)
    assert any(expected in p for p in problems), problems
    assert all(p.startswith("tiny.json: ") for p in problems)


def test_problems_name_the_record(tmp_path: Path) -> None:
    gold = good_gold()
    _set("A.claims.0.quote", "x")(gold)
    assert check(tmp_path, gold) == [
        "tiny.json: articles[0].claims[0].quote: Input should be 'direct' or 'indirect'"
    ]


def test_missing_text_file(tmp_path: Path) -> None:
    problems = check(tmp_path, good_gold(), text=None)
    assert len(problems) == 1 and "text_file 'tiny.txt' not found in" in problems[0]


def test_invalid_json(tmp_path: Path) -> None:
    problems = check(tmp_path, "{not json")
    assert len(problems) == 1 and "cannot read JSON" in problems[0]


def test_top_level_must_be_object(tmp_path: Path) -> None:
    assert check(tmp_path, "[]") == ["tiny.json: top level must be an object"]


def test_arabic_verbatim_is_exact(tmp_path: Path) -> None:
    # Normalization is for scoring; gold must be copied exactly, hamza included.
    text = "التقى أحمد بقادة حماس في الدوحة.\n"
    gold = good_gold(text)
    art = _art(gold)
    art["actors"][0]["name"] = "احمد"  # text has أحمد
    art["actors"][1].update(name="قادة حماس", aliases=[])
    art["claims"] = []
    art["meetings"][0].update(
        evidence="التقى أحمد بقادة حماس في الدوحة", location="الدوحة", date_text=None
    )
    problems = check(tmp_path, gold, text)
    assert problems == [
        "tiny.json: articles[0].actors[0]: name 'احمد' not found verbatim in the text"
    ]


def test_load_gold_dir(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.json").write_text(json.dumps({"id": name, "articles": []}))
    assert sorted(load_gold_dir(tmp_path)) == ["a", "b"]
    (tmp_path / "c.json").write_text(json.dumps({"id": "a", "articles": []}))
    with pytest.raises(ValueError, match="duplicate gold id 'a'"):
        load_gold_dir(tmp_path)


@needs_shared
def test_seed_gold_is_clean() -> None:
    assert check_gold(GOLD_DIR / "seed-cnn-qatar-hamas.json", [SHARED / "examples"]) == []


@needs_shared
@pytest.mark.parametrize("path", sorted(GOLD_DIR.glob("*.json")), ids=lambda p: p.name)
def test_every_gold_file_checks_clean(path: Path) -> None:
    assert check_gold(path, CORPUS_DIRS) == []


def test_gold_folder_keeps_scope_and_pronoun_flags(tmp_path: Path) -> None:
    """`extractor.models.Actor` drops unknown keys; the harness must still see `pronoun`."""
    gold = good_gold()
    gold["scope"] = "claims-only"
    _art(gold)["actors"][0]["pronoun"] = True
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "tiny.json").write_text(json.dumps(gold), encoding="utf-8")
    loaded = load_gold_dir(folder)["tiny"]
    assert isinstance(loaded, GoldDocument)
    assert loaded.scope == "claims-only"
    assert loaded.pronoun_actors(0) == {"blinken"}
    plain = good_gold()
    (folder / "tiny.json").write_text(json.dumps(plain), encoding="utf-8")
    again = load_gold_dir(folder)["tiny"]
    assert isinstance(again, GoldDocument)
    assert again.scope == "full" and again.pronoun_actors(0) == frozenset()


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (_set("scope", "claims"), "scope: Input should be 'full' or 'claims-only'"),
        (_set("A.actors.0.pronoun", "yes"), "pronoun must be true or false"),
    ],
)
def test_check_refuses_a_misspelled_scope_or_pronoun(
    tmp_path: Path, mutate: Callable[[dict], None], expected: str
) -> None:
    gold = good_gold()
    mutate(gold)
    problems = check(tmp_path, gold)
    assert any(expected in p for p in problems), problems
