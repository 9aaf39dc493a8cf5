"""Property-based fuzz of the service's OpenAPI schema (schemathesis, bounded examples).

Every operation gets generated requests, valid and invalid; no response may be a 5xx,
and every response must match the schema: its status is documented, its content type
and body are the declared ones. Runs against uvicorn on loopback, `rules` strategy by
default; a request for a model strategy goes to the fake backend.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fakeserver import FakeServer
from hypothesis import HealthCheck, settings
from liveservice import actors_answer, running
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from extractor.service.app import create_app
from extractor.service.auth import key_digest
from extractor.service.config import ServiceConfig
from extractor.settings import Settings

KEY = "fuzz-key-0123456789"


@schemathesis.serializer("application/x-ndjson")
def _ndjson(ctx: Any, value: Any) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else str(value).encode("utf-8")


@pytest.fixture(scope="module")
def service_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("fuzz")
    backend = FakeServer(default=actors_answer).__enter__()  # for requests that ask for a model
    settings = Settings(
        strategy="rules",
        base_url=backend.base_url,
        model="m",
        use_cache=False,
        max_reasks=0,
        transport_attempts=1,
    )
    config = ServiceConfig(
        extractor=settings,
        database_url=f"sqlite:///{folder / 'jobs.sqlite3'}",
        api_keys=(key_digest(KEY),),
        max_body_bytes=256 * 1024,
        poll_s=0.05,
        max_inflight_per_key=64,
    )
    try:
        with running(config) as url:
            yield url
    finally:
        backend.__exit__(None, None, None)


def _schema() -> Any:
    """The schema the app serves at /openapi.json, made without starting anything."""
    app = create_app(ServiceConfig(extractor=Settings(strategy="rules"), database_url="sqlite://"))
    app.state.service.store.close()
    return schemathesis.openapi.from_dict(app.openapi())


schema = _schema()


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("EXTRACTOR_FUZZ_EXAMPLES", "25")),  # bounded
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_server_error_and_no_schema_violation(case: Any, service_url: str) -> None:
    case.call_and_validate(
        base_url=service_url,
        headers={"Authorization": f"Bearer {KEY}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
        timeout=30,
    )
