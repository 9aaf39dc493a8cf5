"""Specification of the per-input time budget of the cue stages (issue 29, item 6).

A hostile input (thousands of distinct speakers) once kept a worker busy for many
minutes; with a budget it is refused soon after the budget is spent, as a typed
input error, while an ordinary article is extracted exactly as without one.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest
from liveservice import running
from paths import SEED
from typer.testing import CliRunner

from extractor import Extractor, InputError, TimeBudgetError
from extractor.budget import Budget
from extractor.cli import app
from extractor.service.config import ServiceConfig
from extractor.settings import Settings

# thousands of distinct people speaking: coreference of each against all before it
MANY_SPEAKERS = "".join(f"Speaker{i:05d} Smith said it was fine. " for i in range(4000))


def test_a_spent_budget_is_a_typed_input_error_naming_the_stage() -> None:
    budget = Budget(1.0, started=time.monotonic() - 2.0)
    with pytest.raises(TimeBudgetError) as caught:
        budget.check("claims")
    assert isinstance(caught.value, InputError) and caught.value.reason == "time_budget"
    assert caught.value.stage == "claims" and caught.value.seconds == 1.0
    assert "--time-budget" in str(caught.value)


def test_no_budget_never_runs_out() -> None:
    Budget(None, started=time.monotonic() - 1e6).check("claims")


def test_a_pathological_input_hits_the_budget_fast() -> None:
    with Extractor(strategy="rules", use_cache=False, time_budget=0.3) as ex:
        t0 = time.monotonic()
        with pytest.raises(TimeBudgetError) as caught:
            ex.extract_articles(MANY_SPEAKERS)
    assert time.monotonic() - t0 < 10  # without the budget: minutes at this size
    assert caught.value.reason == "time_budget"


def test_an_ordinary_article_is_unaffected_by_the_budget() -> None:
    text = SEED.read_text(encoding="utf-8")
    with Extractor(strategy="rules", use_cache=False) as ex:
        free = [a.model_dump(exclude={"meta"}) for a in ex.extract_articles(text)]
    with Extractor(strategy="rules", use_cache=False, time_budget=60.0) as ex:
        budgeted = [a.model_dump(exclude={"meta"}) for a in ex.extract_articles(text)]
    assert budgeted == free


@pytest.mark.parametrize("bad", [0, -1.0, "soon", True])
def test_a_budget_is_a_positive_number_of_seconds(bad: object) -> None:
    from extractor.errors import ConfigError

    with pytest.raises(ConfigError, match="time_budget"):
        Settings(time_budget=bad)  # type: ignore[arg-type]


def test_the_service_refuses_an_input_over_the_budget_with_422(tmp_path: Path) -> None:
    settings = Settings(strategy="rules", use_cache=False, time_budget=3.0)
    cfg = ServiceConfig(extractor=settings, database_url=f"sqlite:///{tmp_path / 'j.sqlite3'}")
    with running(cfg) as url:
        response = httpx.post(f"{url}/v1/extract", json={"text": MANY_SPEAKERS}, timeout=60)
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["type"] == "TimeBudgetError" and error["reason"] == "time_budget"
        ordinary = httpx.post(f"{url}/v1/extract", json={"text": SEED.read_text()}, timeout=60)
        assert ordinary.status_code == 200, ordinary.text


def test_serve_has_a_budget_by_default() -> None:
    from extractor.budget import SERVICE_TIME_BUDGET

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert "--time-budget" in result.output and 0 < SERVICE_TIME_BUDGET <= 120


def test_extract_many_records_an_input_over_the_budget_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a_hostile.txt").write_text(MANY_SPEAKERS, encoding="utf-8")
    (tmp_path / "b_seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "o.jsonl"
    args = ["extract-many", str(tmp_path / "*.txt"), "-o", str(out), "--strategy", "rules"]
    result = CliRunner().invoke(app, [*args, "--no-cache", "--time-budget", "3"])
    records = {Path(r["file"]).name: r for r in map(json.loads, out.read_text().splitlines())}
    assert records["a_hostile.txt"]["error"]["type"] == "TimeBudgetError", result.output
    assert records["b_seed.txt"]["articles"], result.output
