"""The service in front of a failing backend: typed statuses and records, no backend text.

Issue 29: a connection dropped mid-answer was a 500 with the HTTP library's raw
error; job records carried the backend's own error text, its URL, and a key it
echoed; a far-future publication day crashed after the LLM call.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fakeserver import Cut, FakeServer, Status, completion
from liveservice import running

from extractor.service.config import ServiceConfig
from extractor.settings import Settings

ENGLISH = (
    "Fisheries talks, round {n}\n"
    "Karim Haddad will meet Joseph Borg in Valletta for round {n}, officials said.\n"
)


@contextmanager
def serving(tmp_path: Path, settings: Settings | None = None) -> Iterator[str]:
    config = ServiceConfig(
        extractor=settings or Settings(strategy="rules", use_cache=False),
        database_url=f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
        poll_s=0.05,
        lease_s=5.0,
    )
    with running(config) as url:
        yield url


def backed(server: FakeServer, **changes: Any) -> Settings:
    values = {"strategy": "cues", "base_url": server.base_url, "model": "m", "use_cache": False}
    return Settings(**{**values, **changes})


def is_error(response: httpx.Response, status: int, reason: str) -> dict[str, str]:
    assert response.status_code == status, response.text
    error: dict[str, str] = response.json()["error"]
    assert error["reason"] == reason and "Traceback" not in response.text
    return error


def _job(url: str, text: str) -> list[dict[str, Any]]:
    """The result lines of a one-document job, once it is done."""
    job = httpx.post(f"{url}/v1/jobs", json={"documents": [{"id": "d", "text": text}]})
    assert job.status_code == 202, job.text
    job_id = job.json()["job_id"]
    deadline = time.monotonic() + 20
    while httpx.get(f"{url}/v1/jobs/{job_id}").json()["status"] != "done":
        assert time.monotonic() < deadline, "the job did not finish"
        time.sleep(0.05)
    response = httpx.get(f"{url}/v1/jobs/{job_id}/results")
    return [json.loads(line) for line in response.text.splitlines()]


def test_a_stream_dropped_mid_answer_is_503_typed_and_counted(tmp_path):
    with (
        FakeServer(default=Cut(completion('{"actors":[]}'), events=2)) as server,
        serving(tmp_path, backed(server, transport_attempts=1)) as url,
    ):
        response = httpx.post(f"{url}/v1/extract", json={"text": ENGLISH.format(n=1)}, timeout=30)
        lines = _job(url, ENGLISH.format(n=2))
        metrics = httpx.get(f"{url}/metrics").text
    error = is_error(response, 503, "backend_unavailable")
    assert error["type"] == "TransportError"
    assert lines[0]["ok"] is False and lines[0]["error"]["type"] == "TransportError"
    assert lines[0]["error"]["reason"] == "dropped" and lines[0]["error"]["retryable"] is True
    assert 'extractor_failures_total{type="TransportError"} 2.0' in metrics
    assert "RemoteProtocolError" not in metrics + json.dumps(lines)


def test_a_job_record_holds_our_own_words_never_the_backends_or_its_url(tmp_path):
    body = {"error": {"message": "SECRET upstream detail at http://10.0.0.7:8000/v1"}}
    with (
        FakeServer(default=Status(500, body=body)) as server,
        serving(tmp_path, backed(server, transport_attempts=1)) as url,
    ):
        lines = _job(url, ENGLISH.format(n=1))
        base_url = server.base_url
    error = lines[0]["error"]
    assert error["type"] == "TransportError" and error["reason"] == "http_error"
    dumped = json.dumps(lines)
    assert "SECRET" not in dumped and "10.0.0.7" not in dumped
    assert base_url not in dumped and base_url.split("//")[1].split("/")[0] not in dumped


def test_a_key_echoed_by_the_backend_reaches_no_client(tmp_path):
    key = "correcthorsebatterystaple"
    body = {"error": {"message": f"the key {key} has expired"}}
    with (
        FakeServer(default=Status(401, body=body)) as server,
        serving(tmp_path, backed(server, api_key=key)) as url,
    ):
        response = httpx.post(f"{url}/v1/extract", json={"text": ENGLISH.format(n=1)}, timeout=30)
        lines = _job(url, ENGLISH.format(n=2))
    is_error(response, 503, "backend_misconfigured")
    dumped = response.text + json.dumps(lines)
    assert key not in dumped and "expired" not in dumped
    assert lines[0]["error"]["reason"] == "backend_misconfigured"


@pytest.mark.parametrize("published", ["9999-12-31", "0001-01-01"])
def test_a_publication_day_outside_the_calendar_is_422_before_any_work(tmp_path, published):
    with serving(tmp_path) as url:
        one = httpx.post(
            f"{url}/v1/extract", json={"text": ENGLISH.format(n=1), "published": published}
        )
        doc = {"id": "d", "text": ENGLISH.format(n=1), "published": published}
        job = httpx.post(f"{url}/v1/jobs", json={"documents": [doc]})
    assert is_error(one, 422, "published")
    assert is_error(job, 422, "published")


def test_a_base_url_with_a_key_in_its_query_serves_and_is_ready(tmp_path, caplog):
    from liveservice import actors_answer

    key = "Zq7Pp0Lm2Nn4Oo6Kk8Jj"
    caplog.set_level(logging.INFO)
    with FakeServer(default=actors_answer) as server:
        settings = backed(server, base_url=f"{server.base_url}?api-key={key}")
        with serving(tmp_path, settings) as url:
            response = httpx.post(
                f"{url}/v1/extract", json={"text": ENGLISH.format(n=1)}, timeout=30
            )
            ready = httpx.get(f"{url}/readyz", timeout=10)
    assert response.status_code == 200, response.text
    assert ready.json()["checks"]["backend"] == "ok"
    assert server.paths and all(p.endswith(f"?api-key={key}") for p in server.paths)
    assert "HTTP Request" in caplog.text and key not in caplog.text  # httpx's lines, masked
