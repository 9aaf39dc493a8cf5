"""The job API as people expect it, over HTTP on loopback: one document contract with
`extract-many`, Location and ISO times, the caller's job list, paged results,
idempotent submits, purge, retention, per-key caps and completion webhooks.
"""

from __future__ import annotations

import csv
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from liveservice import running
from typer.testing import CliRunner

from extractor.cli import app as cli_app
from extractor.errors import ConfigError, InputError
from extractor.service.auth import key_digest
from extractor.service.config import ServiceConfig
from extractor.service.state import Service
from extractor.service.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from extractor.settings import Settings

# the same article and helpers as test_service.py (a test module cannot import another)
ENGLISH = (
    "Fisheries talks, round {n}\n"
    "Karim Haddad will meet Joseph Borg in Valletta for round {n}, officials said.\n"
    'Haddad said "the talks will focus on fishing quotas".\n'
)


def config(tmp_path: Path, **changes: Any) -> ServiceConfig:
    values: dict[str, Any] = {
        "extractor": Settings(strategy="rules", use_cache=False),
        "database_url": f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
        "poll_s": 0.05,
        "lease_s": 5.0,
        **changes,
    }
    return ServiceConfig(**values)


@contextmanager
def serving(tmp_path: Path, **changes: Any) -> Iterator[str]:
    with running(config(tmp_path, **changes)) as url:
        yield url


def wait_done(url: str, job: str, timeout: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = httpx.get(f"{url}/v1/jobs/{job}").json()
        if status["status"] in ("done", "cancelled"):
            return status
        time.sleep(0.05)
    raise AssertionError(f"job {job} not done: {status}")


def results(url: str, job: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{url}/v1/jobs/{job}/results")
    assert response.status_code == 200
    return [json.loads(line) for line in response.text.splitlines()]


def is_error(response: httpx.Response, status: int, reason: str) -> dict[str, str]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["reason"] == reason and "Traceback" not in response.text
    return error


ALICE = {"Authorization": "Bearer alice-key"}
BOB = {"Authorization": "Bearer bob-key"}
KEYS = (key_digest("alice-key"), key_digest("bob-key"))
LINE = {
    "id": "n1",
    "text": ENGLISH.format(n=1),
    "published": "2023-10-09",
    "url": "https://example.org/news/1",
    "meta": {"source": "wire", "tags": ["talks", "مالطا"], "rank": 2, "nested": {"a": None}},
}


def _docs(n: int, prefix: str = "d") -> list[dict[str, str]]:
    return [{"id": f"{prefix}{i}", "text": ENGLISH.format(n=i)} for i in range(n)]


def _comparable(record: dict[str, Any]) -> dict[str, Any]:
    """A results line without what differs between runs (timings, file, configuration)."""
    kept = {k: v for k, v in record.items() if k not in ("seconds", "file", "config")}
    kept["articles"] = [{k: v for k, v in a.items() if k != "meta"} for a in record["articles"]]
    return kept


# ------------------------------------------------------------------ one document contract


def test_one_jsonl_line_with_url_and_meta_gives_the_same_record_from_cli_and_service(tmp_path):
    source = tmp_path / "set.jsonl"
    source.write_text(json.dumps(LINE, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    args = ["extract-many", str(source), "-o", str(out), "--strategy", "rules", "--no-cache"]
    ran = CliRunner().invoke(cli_app, [*args, "--format", "csv"])
    assert ran.exit_code == 0, ran.output
    (from_cli,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    with serving(tmp_path) as url:
        upload = source.read_bytes()
        created = httpx.post(
            f"{url}/v1/jobs", content=upload, headers={"content-type": "application/x-ndjson"}
        )
        assert created.status_code == 202, created.text
        wait_done(url, created.json()["job_id"])
        (from_service,) = results(url, created.json()["job_id"])
    assert from_cli["url"] == from_service["url"] == LINE["url"]
    assert from_cli["meta"] == from_service["meta"] == LINE["meta"]  # untouched
    assert from_service["ok"] is True and from_service["articles"]
    assert _comparable(from_cli) == _comparable(from_service)
    with (tmp_path / "out.actors.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(json.loads(r["meta"]) == LINE["meta"] for r in rows)


@pytest.mark.parametrize(
    ("document", "says"),
    [
        ({**LINE, "title": "x"}, "title"),
        ({**LINE, "meta": {"blob": "x" * 20_000}}, "meta"),
        ({**LINE, "meta": ["not", "an", "object"]}, "meta"),
        ({**LINE, "published": "2023-02-30"}, "published"),
    ],
)
def test_a_document_the_batch_refuses_the_service_refuses_too(tmp_path, document, says):
    source = tmp_path / "set.jsonl"
    source.write_text(json.dumps(document) + "\n", encoding="utf-8")
    from extractor.batch.sources import jsonl_items

    (item,) = jsonl_items(source)
    assert item.problem is not None and says in item.problem
    with serving(tmp_path) as url:
        response = httpx.post(f"{url}/v1/jobs", json={"documents": [document]})
    assert says in is_error(response, 422, "invalid_request")["message"]


# ------------------------------------------------------------------ submit, list, results


def test_a_submission_answers_202_with_its_location_and_iso_times(tmp_path):
    with serving(tmp_path) as url:
        response = httpx.post(f"{url}/v1/jobs", json={"documents": _docs(2)})
        assert response.status_code == 202
        job = response.json()["job_id"]
        assert response.headers["location"] == f"/v1/jobs/{job}"
        assert httpx.get(url + response.headers["location"]).json()["job_id"] == job
        status = wait_done(url, job)
    assert status["created_at"].endswith("Z") and status["finished_at"].endswith("Z")
    assert status["created_at"] <= status["finished_at"]  # ISO 8601 in UTC sorts as time


def test_the_job_list_is_the_callers_newest_first_a_page_at_a_time(tmp_path):
    with serving(tmp_path, api_keys=KEYS, run_worker=False) as url:
        made = []
        for _ in range(5):
            made.append(httpx.post(f"{url}/v1/jobs", json={"documents": _docs(1)}, headers=ALICE))
        httpx.post(f"{url}/v1/jobs", json={"documents": _docs(1)}, headers=BOB)
        listed, cursor, pages = [], None, 0
        while True:
            params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            page = httpx.get(f"{url}/v1/jobs", params=params, headers=ALICE)
            assert page.status_code == 200
            listed += [j["job_id"] for j in page.json()["jobs"]]
            pages += 1
            cursor = page.json()["next_cursor"]
            if cursor is None:
                break
        assert listed == [r.json()["job_id"] for r in reversed(made)] and pages == 3
        bobs = httpx.get(f"{url}/v1/jobs", headers=BOB).json()
        assert len(bobs["jobs"]) == 1 and bobs["next_cursor"] is None
        bad = httpx.get(f"{url}/v1/jobs", params={"cursor": "garbage!"}, headers=ALICE)
        is_error(bad, 422, "cursor")
        assert httpx.get(f"{url}/v1/jobs").status_code == 401


def test_results_come_a_page_at_a_time_and_the_whole_stream_still_works(tmp_path):
    with serving(tmp_path) as url:
        job = httpx.post(f"{url}/v1/jobs", json={"documents": _docs(5)}).json()["job_id"]
        wait_done(url, job)
        ids, cursor, links = [], None, []
        while True:
            params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            page = httpx.get(f"{url}/v1/jobs/{job}/results", params=params)
            assert page.status_code == 200
            assert page.headers["content-type"].startswith("application/x-ndjson")
            ids += [json.loads(line)["id"] for line in page.text.splitlines()]
            cursor = page.headers.get("x-next-cursor")
            if cursor is None:
                assert "link" not in page.headers
                break
            links.append(page.headers["link"])
        assert ids == [f"d{i}" for i in range(5)]
        assert len(links) == 2 and links[0].endswith('; rel="next"')
        following = httpx.get(url + links[0].split(">")[0].lstrip("<"))
        assert [json.loads(x)["id"] for x in following.text.splitlines()] == ["d2", "d3"]
        assert [r["id"] for r in results(url, job)] == ids  # the stream of old clients
        bad = httpx.get(f"{url}/v1/jobs/{job}/results", params={"cursor": "%%%"})
        is_error(bad, 422, "cursor")


# ------------------------------------------------------------------ idempotency, delete


def test_an_idempotency_key_makes_one_job_and_refuses_another_body(tmp_path):
    with serving(tmp_path, api_keys=KEYS, run_worker=False) as url:
        once = {**ALICE, "Idempotency-Key": "batch-2026-01-05"}
        first = httpx.post(f"{url}/v1/jobs", json={"documents": _docs(2)}, headers=once)
        again = httpx.post(f"{url}/v1/jobs", json={"documents": _docs(2)}, headers=once)
        assert (first.status_code, again.status_code) == (202, 200)
        assert again.json() == first.json()
        assert again.headers["location"] == first.headers["location"]
        other = httpx.post(f"{url}/v1/jobs", json={"documents": _docs(3)}, headers=once)
        error = is_error(other, 409, "idempotency_key")
        assert first.json()["job_id"] in error["message"]
        theirs = {**BOB, "Idempotency-Key": "batch-2026-01-05"}  # keys are per API key
        bobs = httpx.post(f"{url}/v1/jobs", json={"documents": _docs(2)}, headers=theirs)
        assert bobs.status_code == 202 and bobs.json()["job_id"] != first.json()["job_id"]
        assert len(httpx.get(f"{url}/v1/jobs", headers=ALICE).json()["jobs"]) == 1


def test_delete_purges_a_job_and_it_is_then_unknown(tmp_path):
    with serving(tmp_path) as url:
        job = httpx.post(f"{url}/v1/jobs", json={"documents": _docs(2)}).json()["job_id"]
        wait_done(url, job)
        deleted = httpx.delete(f"{url}/v1/jobs/{job}")
        assert deleted.status_code == 200 and deleted.json()["status"] == "deleted"
        assert deleted.json()["counts"]["done"] == 2
        for path in ("", "/results", "/documents/d0/view"):
            is_error(httpx.get(f"{url}/v1/jobs/{job}{path}"), 404, "unknown_job")
        is_error(httpx.delete(f"{url}/v1/jobs/{job}"), 404, "unknown_job")
        assert httpx.get(f"{url}/v1/jobs").json()["jobs"] == []


def test_retention_purges_finished_jobs_after_the_set_hours(tmp_path):
    from sqlalchemy import text

    from extractor.service.schemas import JobRequest

    service = Service(config(tmp_path, run_worker=False, retention_hours=1.0))
    try:
        request = JobRequest.model_validate({"documents": _docs(1)})
        created, _ = service.new_job("alice", request)
        kept, _ = service.new_job("alice", JobRequest.model_validate({"documents": _docs(1)}))
        claimed = service.store.claim("w", 30)
        assert claimed is not None and claimed.job_id == created.job_id
        service.store.finish("w", claimed.pk, {"id": "d0", "ok": True, "articles": []})
        assert service.sweep() == 0  # finished now: marked finished, not an hour old
        assert service.store.status("alice", created.job_id).finished_at is not None
        with service.store.engine.begin() as conn:  # as if it had finished 61 minutes ago
            conn.execute(
                text("UPDATE extractor_jobs SET finished_at = finished_at - 3660 WHERE id = :id"),
                {"id": created.job_id},
            )
        assert service.sweep() == 1
        assert [j.job_id for j in service.store.list_jobs("alice")[0]] == [kept.job_id]
    finally:
        service.stop()


# ------------------------------------------------------------------ per-key caps


def test_a_key_over_its_queued_jobs_or_documents_gets_429_and_others_do_not(tmp_path):
    caps = {"max_queued_jobs_per_key": 2, "max_queued_documents_per_key": 3}
    with serving(tmp_path, api_keys=KEYS, run_worker=False, **caps) as url:
        post = lambda n, who: httpx.post(  # noqa: E731
            f"{url}/v1/jobs", json={"documents": _docs(n)}, headers=who
        )
        assert post(2, ALICE).status_code == 202
        refused = post(2, ALICE)  # 2 open + 2 > 3 documents
        is_error(refused, 429, "queued_documents")
        assert int(refused.headers["retry-after"]) > 0
        assert post(1, ALICE).status_code == 202
        is_error(post(1, ALICE), 429, "queued_jobs")  # 2 unfinished jobs already
        assert post(3, BOB).status_code == 202  # another key's share is its own
        is_error(post(4, BOB), 422, "too_many")  # could never fit: not a 429


# ------------------------------------------------------------------ completion webhooks


class _Receiver:
    """A loopback webhook receiver: answers 500 to the first `fail` calls, then 204."""

    def __init__(self, fail: int = 0) -> None:
        self.calls: list[tuple[dict[str, str], bytes, float]] = []
        self.fail = fail
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append((dict(self.headers), body, time.monotonic()))
                self.send_response(500 if len(receiver.calls) <= receiver.fail else 204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/"

    @contextmanager
    def serving(self) -> Iterator[_Receiver]:
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.server.shutdown()
            self.server.server_close()


def test_a_finished_job_posts_a_signed_summary_to_its_webhook_retrying_a_failure(tmp_path):
    with _Receiver(fail=1).serving() as hook:
        allow = {"webhook_allow": (hook.url,), "webhook_secret": "s3cret"}
        with serving(tmp_path, **allow) as url:
            body = {"documents": _docs(2), "webhook_url": hook.url + "job-done?t=1"}
            job = httpx.post(f"{url}/v1/jobs", json=body).json()["job_id"]
            status = wait_done(url, job)
            deadline = time.monotonic() + 10
            while len(hook.calls) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.3)  # no third call after a success
    assert len(hook.calls) == 2, hook.calls  # the 500, then the retry
    (_, _, t0), (headers, raw, t1) = hook.calls
    assert t1 - t0 >= 0.9, t1 - t0  # backed off
    assert verify("s3cret", headers[TIMESTAMP_HEADER], raw, headers[SIGNATURE_HEADER])
    assert not verify("other", headers[TIMESTAMP_HEADER], raw, headers[SIGNATURE_HEADER])
    sent = json.loads(raw)
    assert sent["event"] == "job.finished"
    assert sent["job"]["job_id"] == job and sent["job"]["status"] == "done"
    assert (
        sent["job"]["counts"]["done"] == 2 and sent["job"]["finished_at"] == status["finished_at"]
    )
    assert "text" not in raw.decode("utf-8")  # a summary: no article text


@pytest.mark.parametrize(
    ("allow", "webhook"),
    [
        ((), "http://127.0.0.1:9/hooks/x"),  # the service allows none
        (("http://127.0.0.1:9/hooks/",), "http://127.0.0.1:9/other"),
        (("http://127.0.0.1:9",), "http://127.0.0.1:90/x"),  # a prefix ends at a boundary
    ],
)
def test_a_webhook_url_the_operator_did_not_allow_is_refused_with_422(tmp_path, allow, webhook):
    settings = {"webhook_allow": allow, "webhook_secret": "s" if allow else None}
    with serving(tmp_path, run_worker=False, **settings) as url:
        body = {"documents": _docs(1), "webhook_url": webhook}
        error = is_error(httpx.post(f"{url}/v1/jobs", json=body), 422, "webhook_url")
    assert "127.0.0.1:9" not in error["message"]  # the allowed prefixes are not told


def test_webhook_settings_are_checked_when_the_service_starts():
    rules = Settings(strategy="rules", use_cache=False)
    with pytest.raises(ConfigError, match="EXTRACTOR_WEBHOOK_SECRET"):
        ServiceConfig(extractor=rules, webhook_allow=("https://hooks.example/",))
    with pytest.raises(ConfigError, match="not an http"):
        ServiceConfig(extractor=rules, webhook_allow=("hooks.example",), webhook_secret="s")
    made = ServiceConfig(extractor=rules, webhook_allow=("https://h.example/",), webhook_secret="s")
    assert "'s'" not in repr(made)  # the secret stays out of reprs and logs
    assert made.check_webhook("https://h.example/a") == "https://h.example/a"
    with pytest.raises(InputError):
        made.check_webhook("https://h.example.evil/a")


def test_the_service_settings_come_from_the_environment_too(monkeypatch):
    monkeypatch.setenv("EXTRACTOR_WEBHOOK_ALLOW", "https://a.example/, https://b.example/")
    monkeypatch.setenv("EXTRACTOR_WEBHOOK_SECRET", "s")
    monkeypatch.setenv("EXTRACTOR_RETENTION_HOURS", "48")
    made = ServiceConfig.resolve(Settings(strategy="rules", use_cache=False))
    assert made.webhook_allow == ("https://a.example/", "https://b.example/")
    assert made.retention_hours == 48.0 and made.webhook_secret == "s"


def test_the_job_schemas_examples_are_valid_and_work_as_sent(tmp_path):
    from extractor.batch.documents import InputDocument
    from extractor.service.schemas import JobCreated, JobList, JobRequest, JobStatus

    for model in (InputDocument, JobRequest, JobCreated, JobStatus, JobList):
        examples = model.model_json_schema()["examples"]
        assert examples and all(model.model_validate(e) for e in examples)
    document = InputDocument.model_json_schema()["examples"][0]
    with serving(tmp_path, run_worker=False) as url:
        for body in (*JobRequest.model_json_schema()["examples"], {"documents": [document]}):
            assert httpx.post(f"{url}/v1/jobs", json=body).status_code == 202
