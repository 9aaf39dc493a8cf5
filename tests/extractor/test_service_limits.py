"""The service at its edges: a full job store, unbounded labels, odd uploads and ids.

A full disk is real here: SQLite's `max_page_count` caps the database file, and a
write that needs a page more fails with "database or disk is full", as on a full disk.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from liveservice import running
from sqlalchemy import event
from sqlalchemy.pool import Pool

from extractor.service.config import ServiceConfig
from extractor.service.jobs import JobStore
from extractor.settings import Settings

TEXT = "Karim Haddad will meet Joseph Borg in Valletta, officials said.\n"


def config(tmp_path: Path, **changes: Any) -> ServiceConfig:
    values: dict[str, Any] = {
        "extractor": Settings(strategy="rules", use_cache=False),
        "database_url": f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
        "poll_s": 0.05,
        **changes,
    }
    return ServiceConfig(**values)


def wait_done(url: str, job: str) -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        status = httpx.get(f"{url}/v1/jobs/{job}").json()
        if status["status"] == "done":
            return dict(status)
        time.sleep(0.05)
    raise AssertionError(f"job {job} not done")


class Disk:
    """The store's database may not grow by a page while `full` (checked at every checkout)."""

    ROOM = 1_073_741_823  # SQLite's own largest max_page_count

    def __init__(self, tmp_path: Path) -> None:
        self.url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
        self.pages = self.ROOM

    def full(self) -> None:
        probe = JobStore(self.url)
        with probe.engine.connect() as conn:
            self.pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar_one())
        probe.close()

    def room(self) -> None:
        self.pages = self.ROOM

    def limit(self, dbapi_connection: Any, *_: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {self.pages}")


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Disk]:
    disk = Disk(tmp_path)
    event.listen(Pool, "checkout", disk.limit)
    yield disk
    event.remove(Pool, "checkout", disk.limit)


def test_a_full_store_is_a_503_and_readyz_says_unwritable_until_there_is_room(tmp_path, disk):
    with running(config(tmp_path)) as url:
        assert httpx.get(f"{url}/readyz").status_code == 200
        documents = [{"id": f"d{i}", "text": TEXT * 40} for i in range(20)]
        disk.full()
        submitted = httpx.post(f"{url}/v1/jobs", json={"documents": documents})
        ready = httpx.get(f"{url}/readyz")
        disk.room()
        assert submitted.status_code == 503, submitted.text
        error = submitted.json()["error"]
        assert error["reason"] == "store_unavailable" and "INSERT" not in error["message"]
        assert submitted.headers["retry-after"] == "30"
        assert ready.status_code == 503
        assert ready.json()["checks"]["store"] == "unwritable (OperationalError)"
        # room again: the same job goes through, and the service is ready
        again = httpx.post(f"{url}/v1/jobs", json={"documents": documents})
        assert again.status_code == 202
        assert httpx.get(f"{url}/readyz").json()["status"] == "ok"
        assert wait_done(url, again.json()["job_id"])["counts"]["done"] == 20


def test_metrics_labels_stay_a_fixed_set_whatever_methods_and_paths_clients_send(tmp_path):
    with running(config(tmp_path)) as url, httpx.Client() as client:
        for n in range(2000):
            client.request(f"M{n}X", f"{url}/made/up/{n}")
        client.request("BREW", f"{url}/v1/jobs/{'a' * 40}")
        assert client.get(f"{url}/healthz").status_code == 200
        metrics = client.get(f"{url}/metrics").text
    assert len(metrics) < 20_000
    assert "M1999X" not in metrics and "made/up" not in metrics and "BREW" not in metrics
    assert 'method="other",route="unmatched",status="4xx"} 2000.0' in metrics
    assert 'method="GET",route="/healthz",status="2xx"} 1.0' in metrics


def test_a_jsonl_upload_keeps_line_separators_inside_texts_and_accepts_a_bom(tmp_path):
    texts = [TEXT + "A line\u2028and a paragraph\u2029inside.", TEXT]
    lines = [
        json.dumps({"id": f"d{n}", "text": t}, ensure_ascii=False) for n, t in enumerate(texts)
    ]
    body = "\ufeff" + "\r\n".join(lines) + "\n"
    headers = {"content-type": "application/x-ndjson"}
    with running(config(tmp_path)) as url:
        created = httpx.post(f"{url}/v1/jobs", content=body.encode("utf-8"), headers=headers)
        assert created.status_code == 202, created.text
        job = created.json()["job_id"]
        assert created.json()["total"] == 2
        wait_done(url, job)
        page = httpx.get(f"{url}/v1/jobs/{job}/documents/d0/view").text
    assert "A line\u2028and a paragraph\u2029inside." in page


def test_a_document_id_with_slashes_has_a_view(tmp_path):
    doc_id = "2024/05/a1"
    with running(config(tmp_path)) as url:
        created = httpx.post(f"{url}/v1/jobs", json={"documents": [{"id": doc_id, "text": TEXT}]})
        job = created.json()["job_id"]
        wait_done(url, job)
        plain = httpx.get(f"{url}/v1/jobs/{job}/documents/{doc_id}/view")
        encoded = httpx.get(f"{url}/v1/jobs/{job}/documents/{quote(doc_id, safe='')}/view")
        missing = httpx.get(f"{url}/v1/jobs/{job}/documents/2024/06/a1/view")
    assert plain.status_code == 200 and doc_id in plain.text
    assert encoded.status_code == 200 and doc_id in encoded.text
    assert missing.status_code == 404 and missing.json()["error"]["reason"] == "unknown_document"


def test_a_chunked_body_over_the_limit_is_a_413_on_every_route(tmp_path):
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(64):
            yield b"x" * 1024
        yield b'"}'

    with running(config(tmp_path, max_body_bytes=16 * 1024)) as url:
        for path in ("/v1/extract", "/v1/jobs"):
            response = httpx.post(
                f"{url}{path}", content=chunks(), headers={"content-type": "application/json"}
            )
            assert response.status_code == 413, (path, response.text)
            assert response.json()["error"]["reason"] == "body_too_large"
