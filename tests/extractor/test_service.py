"""The extraction service, served by uvicorn on loopback: every endpoint and error status.

Backends: `strategy="rules"` where the model's judgment is not needed (no backend at
all), the project's fake OpenAI-compatible server (`tests/fakeserver.py`) where a
backend's answers, failures or latency matter.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fakeserver import FakeServer, Reply, Status, refused_url
from liveservice import actors_answer, running
from paths import SEED
from typer.testing import CliRunner

from extractor.cli import app as cli_app
from extractor.errors import ConfigError
from extractor.extract import Extractor
from extractor.service.auth import check_bind, key_digest, load_keys
from extractor.service.config import ServiceConfig
from extractor.service.jobs import JobStore
from extractor.settings import Settings

ENGLISH = (
    "Fisheries talks, round {n}\n"
    "Karim Haddad will meet Joseph Borg in Valletta for round {n}, officials said.\n"
    'Haddad said "the talks will focus on fishing quotas".\n'
)


def round_of(body: dict[str, Any]) -> int:
    """Which document (its round number) a backend request was about."""
    return int(re.findall(r"for round (\d+)", json.dumps(body["messages"]))[-1])


def config(tmp_path: Path, **changes: Any) -> ServiceConfig:
    settings = changes.pop("extractor", Settings(strategy="rules", use_cache=False))
    values: dict[str, Any] = {
        "extractor": settings,
        "database_url": f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
        "poll_s": 0.05,
        "lease_s": 5.0,
        **changes,
    }
    return ServiceConfig(**values)


def backed(server: FakeServer, **changes: Any) -> Settings:
    values = {"strategy": "cues", "base_url": server.base_url, "model": "m", "use_cache": False}
    return Settings(**{**values, **changes})


def wait_done(url: str, job: str, headers: dict[str, str] | None = None, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = httpx.get(f"{url}/v1/jobs/{job}", headers=headers).json()
        if status["status"] in ("done", "cancelled"):
            return status
        time.sleep(0.05)
    raise AssertionError(f"job {job} not done: {status}")


def results(url: str, job: str, headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
    response = httpx.get(f"{url}/v1/jobs/{job}/results", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in response.text.splitlines()]


def is_error(response: httpx.Response, status: int, reason: str | None = None) -> dict[str, str]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"type", "reason", "message"}
    assert "Traceback" not in response.text
    if reason is not None:
        assert error["reason"] == reason
    return error


@contextmanager
def serving(tmp_path: Path, **changes: Any) -> Iterator[str]:
    with running(config(tmp_path, **changes)) as url:
        yield url


# ------------------------------------------------------------------ POST /v1/extract


def test_extract_returns_the_libraries_articles_with_their_meta(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    with serving(tmp_path) as url:
        response = httpx.post(f"{url}/v1/extract", json={"text": text}, timeout=30)
    assert response.status_code == 200
    got = response.json()["articles"]
    with Extractor(strategy="rules", use_cache=False) as ex:
        want = [a.model_dump(mode="json") for a in ex.extract_articles(text)]
    assert len(got) == len(want) == 2
    for g, w in zip(got, want, strict=True):
        assert g["meta"]["strategy"] == "rules" and g["meta"]["lexicon_hash"]
        g.pop("meta"), w.pop("meta")  # latency differs
        assert g == w


def test_extract_main_only_and_published(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    with serving(tmp_path) as url:
        body = {"text": text, "main_only": True, "published": "2023-10-09"}
        articles = httpx.post(f"{url}/v1/extract", json=body, timeout=30).json()["articles"]
    assert len(articles) == 1 and articles[0]["published"] == "2023-10-09"


def test_extract_on_a_backend_reports_its_model_and_usage(tmp_path):
    with (
        FakeServer(default=actors_answer) as server,
        serving(tmp_path, extractor=backed(server)) as url,
    ):
        # the first request builds the backed extractor: slow on a busy machine
        response = httpx.post(f"{url}/v1/extract", json={"text": ENGLISH.format(n=1)}, timeout=60)
    (article,) = response.json()["articles"]
    meta = article["meta"]
    # the names call, then the meeting question ("will meet" needs reading)
    assert (meta["model"], meta["strategy"], meta["llm_calls"]) == ("m", "cues", 2)
    assert meta["usage"] == {"prompt_tokens": 100, "completion_tokens": 25}
    assert meta["prompt_hash"] not in (None, "none")
    assert {a["name"] for a in article["actors"]} >= {"Karim Haddad", "Joseph Borg"}


def test_a_request_may_choose_an_allowed_strategy_on_a_backed_service(tmp_path):
    with (
        FakeServer(default=actors_answer) as server,
        serving(tmp_path, extractor=backed(server), allow_strategies=("rules",)) as url,
    ):
        body = {"text": ENGLISH.format(n=1), "strategy": "rules"}
        (article,) = httpx.post(f"{url}/v1/extract", json=body).json()["articles"]
        assert article["meta"]["strategy"] == "rules" and server.requests == []
        # two-step was neither started nor allowed
        is_error(httpx.post(f"{url}/v1/extract", json={**body, "strategy": "two-step"}), 422)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"text": ""}, "empty"),
        ({"text": "<html><body><p>x</p><div>y</div></body></html>"}, "html"),
        ({"text": "Ali said yes.", "published": "2023-02-30"}, "published"),
        ({"text": "Ali said yes.", "published": "9 Oct"}, "invalid_request"),
        ({"text": "Ali said yes.", "strategy": "magic"}, "invalid_request"),
        ({"txt": "Ali said yes."}, "invalid_request"),
        ({"text": 5}, "invalid_request"),
    ],
)
def test_bad_input_is_422_as_data(tmp_path, body, reason):
    with serving(tmp_path) as url:
        is_error(httpx.post(f"{url}/v1/extract", json=body), 422, reason)


def test_a_body_that_is_not_json_is_422(tmp_path):
    with serving(tmp_path) as url:
        response = httpx.post(
            f"{url}/v1/extract", content=b"{not json", headers={"content-type": "application/json"}
        )
    is_error(response, 422, "invalid_request")


def test_a_body_over_the_limit_is_413_with_or_without_content_length(tmp_path):
    with serving(tmp_path, max_body_bytes=2000) as url:
        big = {"text": "Ali said yes. " * 400}
        is_error(httpx.post(f"{url}/v1/extract", json=big), 413, "body_too_large")

        def chunks() -> Iterator[bytes]:  # chunked transfer: no Content-Length to trust
            yield json.dumps(big).encode()

        is_error(httpx.post(f"{url}/v1/jobs", content=chunks()), 413, "body_too_large")
        assert httpx.post(f"{url}/v1/extract", json={"text": "Ali said yes."}).status_code == 200


def test_a_backend_that_fails_is_503_without_its_own_error_text(tmp_path):
    secret = {"error": {"message": "SECRET upstream detail", "type": "x", "code": "500"}}
    with (
        FakeServer(default=Status(500, body=secret)) as server,
        serving(tmp_path, extractor=backed(server, transport_attempts=1)) as url,
    ):
        response = httpx.post(f"{url}/v1/extract", json={"text": ENGLISH.format(n=1)})
    error = is_error(response, 503, "backend_unavailable")
    assert error["type"] == "TransportError" and "SECRET" not in response.text
    assert response.headers["retry-after"]


def test_an_unreachable_backend_is_503_and_the_service_is_not_ready(tmp_path):
    settings = Settings(strategy="cues", base_url=refused_url(), model="m", transport_attempts=1)
    with serving(tmp_path, extractor=settings) as url:
        is_error(
            httpx.post(f"{url}/v1/extract", json={"text": ENGLISH.format(n=1)}),
            503,
            "model_unavailable",  # nothing listens on loopback: fails at once
        )
        ready = httpx.get(f"{url}/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"]["backend"].startswith("unreachable")
        assert httpx.get(f"{url}/healthz").status_code == 200  # up, not ready


def test_a_reachable_backend_makes_the_service_ready(tmp_path):
    with (
        FakeServer(default=actors_answer) as server,
        serving(tmp_path, extractor=backed(server)) as url,
    ):
        deadline = time.monotonic() + 5
        while (ready := httpx.get(f"{url}/readyz")).status_code != 200:
            assert time.monotonic() < deadline, ready.text
            time.sleep(0.05)
    checks = {"store": "ok", "backend": "ok", "worker": "ok"}
    assert ready.json() == {"status": "ok", "checks": checks}


def test_too_many_requests_in_flight_for_one_key_is_429_with_retry_after(tmp_path):
    slow = lambda body: actors_answer(body, delay=1.0)  # noqa: E731
    with (
        FakeServer(default=slow) as server,
        serving(tmp_path, extractor=backed(server), max_inflight_per_key=1) as url,
    ):
        answers: list[httpx.Response] = []

        def call() -> None:
            answers.append(
                httpx.post(f"{url}/v1/extract", json={"text": ENGLISH.format(n=1)}, timeout=10)
            )

        first = threading.Thread(target=call)
        first.start()
        time.sleep(0.4)  # the first is waiting on the backend
        second = httpx.post(f"{url}/v1/extract", json={"text": ENGLISH.format(n=2)})
        first.join()
    is_error(second, 429, "rate_limited")
    assert second.headers["retry-after"] == "1"
    assert answers[0].status_code == 200


# ------------------------------------------------------------------ keys


KEYS = {"alice": "alice-key-0123456789", "bob": "bob-key-9876543210"}


def bearer(name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {KEYS[name]}"}


def test_with_keys_a_request_needs_a_known_bearer_key(tmp_path):
    keys = tuple(key_digest(k) for k in KEYS.values())
    with serving(tmp_path, api_keys=keys) as url:
        body = {"text": "Ali said yes."}
        missing = httpx.post(f"{url}/v1/extract", json=body)
        is_error(missing, 401, "missing_key")
        assert missing.headers["www-authenticate"] == "Bearer"
        wrong = httpx.post(f"{url}/v1/extract", json=body, headers={"Authorization": "Bearer x"})
        is_error(wrong, 401, "unknown_key")
        assert (
            httpx.post(f"{url}/v1/extract", json=body, headers=bearer("alice")).status_code == 200
        )
        assert httpx.get(f"{url}/healthz").status_code == 200  # probes need no key


def test_a_job_is_visible_only_to_the_key_that_made_it(tmp_path):
    keys = tuple(key_digest(k) for k in KEYS.values())
    with serving(tmp_path, api_keys=keys) as url:
        body = {"documents": [{"id": "a", "text": ENGLISH.format(n=1)}]}
        job = httpx.post(f"{url}/v1/jobs", json=body, headers=bearer("alice")).json()["job_id"]
        wait_done(url, job, bearer("alice"))
        for method, path in (
            ("GET", f"/v1/jobs/{job}"),
            ("GET", f"/v1/jobs/{job}/results"),
            ("GET", f"/v1/jobs/{job}/documents/a/view"),
            ("DELETE", f"/v1/jobs/{job}"),
        ):
            is_error(httpx.request(method, url + path, headers=bearer("bob")), 404, "unknown_job")
        assert len(results(url, job, bearer("alice"))) == 1
        assert wait_done(url, job, bearer("alice"))["status"] == "done"  # bob cancelled nothing


def test_keys_come_from_the_environment_and_a_keys_file_of_digests(tmp_path, monkeypatch):
    keys_file = tmp_path / "keys"
    keys_file.write_text(
        f"# team keys\nsha256:{key_digest('from-file-digest')}\nplain-file-key\n\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("EXTRACTOR_API_KEYS", "env-one, env-two")
    cfg = ServiceConfig.resolve(Settings(strategy="rules"), api_keys_file=keys_file)
    assert set(cfg.api_keys) == {
        key_digest(k) for k in ("env-one", "env-two", "from-file-digest", "plain-file-key")
    }
    assert "env-one" not in repr(cfg)  # only digests are kept
    (tmp_path / "bad").write_text("sha256:abc\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="64 hex"):
        load_keys(None, tmp_path / "bad")


def test_without_keys_only_loopback_may_be_bound():
    check_bind("127.0.0.1", ())
    check_bind("::1", ())
    check_bind("0.0.0.0", (key_digest("k"),))
    with pytest.raises(ConfigError, match="refusing to bind 0.0.0.0 without API keys"):
        check_bind("0.0.0.0", ())
    result = CliRunner().invoke(cli_app, ["serve", "--host", "192.0.2.1", "--strategy", "rules"])
    assert result.exit_code == 2 and "refusing to bind" in result.output


# ------------------------------------------------------------------ jobs


def test_a_json_job_runs_in_the_background_and_streams_extract_many_lines(tmp_path):
    docs = [{"id": f"doc-{n}", "text": ENGLISH.format(n=n)} for n in range(5)]
    with serving(tmp_path) as url:
        created = httpx.post(f"{url}/v1/jobs", json={"documents": docs})
        assert created.status_code == 202 and created.json()["total"] == 5
        job = created.json()["job_id"]
        status = wait_done(url, job)
        assert status["counts"] == {
            "queued": 0,
            "running": 0,
            "done": 5,
            "failed": 0,
            "cancelled": 0,
        }
        lines = results(url, job)
        direct = httpx.post(f"{url}/v1/extract", json={"text": docs[0]["text"]}).json()
    assert [line["id"] for line in lines] == [d["id"] for d in docs]
    assert set(lines[0]) == {"id", "sha256", "ok", "articles", "seconds"}  # extract-many's, no file
    assert lines[0]["ok"] is True
    got, want = lines[0]["articles"][0], direct["articles"][0]
    got.pop("meta"), want.pop("meta")
    assert got == want


def test_a_jsonl_upload_is_a_job_with_the_strategy_of_its_query(tmp_path):
    upload = "\n".join(
        json.dumps({"id": f"l{n}", "text": ENGLISH.format(n=n), "published": "2024-01-02"})
        for n in range(3)
    )
    with serving(tmp_path) as url:
        created = httpx.post(
            f"{url}/v1/jobs?strategy=rules&main_only=true",
            content=upload.encode() + b"\n\n",
            headers={"content-type": "application/x-ndjson"},
        )
        assert created.status_code == 202, created.text
        job = created.json()["job_id"]
        assert wait_done(url, job)["strategy"] == "rules"
        lines = results(url, job)
    assert [line["articles"][0]["published"] for line in lines] == ["2024-01-02"] * 3


@pytest.mark.parametrize(
    ("body", "headers", "reason", "says"),
    [
        ({"documents": []}, None, "invalid_request", "documents"),
        ({"documents": [{"id": "a", "text": ""}]}, None, "empty", "document 'a'"),
        (
            {
                "documents": [
                    {"id": "a", "text": "Ali said yes."},
                    {"id": "a", "text": "Ali said no."},
                ]
            },
            None,
            "duplicate_id",
            "'a' appears twice",
        ),
        (
            {"documents": [{"id": "a", "text": "x", "published": "2023-13-01"}]},
            None,
            "invalid_request",  # refused by the document model itself, as extract-many does
            "documents.0.published",
        ),
        (b'{"id": "a"}\n', {"content-type": "application/x-ndjson"}, "invalid_request", "line 1"),
        (b"", {"content-type": "application/x-ndjson"}, "empty", "no document"),
        (b"id,text", {"content-type": "text/csv"}, "content_type", "text/csv"),
    ],
)
def test_a_bad_job_is_rejected_whole_with_422(tmp_path, body, headers, reason, says):
    with serving(tmp_path) as url:
        if isinstance(body, bytes):
            response = httpx.post(f"{url}/v1/jobs", content=body, headers=headers)
        else:
            response = httpx.post(f"{url}/v1/jobs", json=body)
        error = is_error(response, 422, reason)
        assert says in error["message"]
        assert JobStore(f"sqlite:///{tmp_path / 'jobs.sqlite3'}").queue_depth() == 0


def test_a_rules_service_refuses_another_strategy_and_loads_no_model(tmp_path, monkeypatch):
    # A client must not make a rules-only service load and run a model: a strategy the
    # service was not started with (or allowed) is a 422 naming the allowed ones,
    # refused before any extractor is made.
    from extractor.llm import runtime

    def no_model(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a model was started")

    monkeypatch.setattr(runtime, "start_server", no_model)
    monkeypatch.setattr(runtime, "embedded_gguf", no_model)
    with serving(tmp_path) as url:
        for strategy in ("two-step", "cues"):
            response = httpx.post(
                f"{url}/v1/extract", json={"text": "Ali said yes.", "strategy": strategy}
            )
            error = is_error(response, 422, "strategy")
            assert f"strategy {strategy!r} is not served here; allowed: rules" in error["message"]
        job = {"documents": [{"id": "a", "text": "Ali said yes."}], "strategy": "two-step"}
        is_error(httpx.post(f"{url}/v1/jobs", json=job), 422, "strategy")
        upload = httpx.post(
            f"{url}/v1/jobs?strategy=cues",
            content=b'{"id": "a", "text": "Ali said yes."}\n',
            headers={"content-type": "application/x-ndjson"},
        )
        is_error(upload, 422, "strategy")
    assert JobStore(f"sqlite:///{tmp_path / 'jobs.sqlite3'}").queue_depth() == 0
    assert runtime._servers == {}


def test_allowed_strategies_are_the_started_one_and_those_named():
    settings = Settings(strategy="rules", use_cache=False)
    assert ServiceConfig(extractor=settings).strategies == ("rules",)
    wider = ServiceConfig(extractor=settings, allow_strategies=("cues", "rules"))
    assert wider.strategies == ("rules", "cues")
    assert wider.check_strategy(None) == "rules" and wider.check_strategy("cues") == "cues"
    with pytest.raises(ConfigError, match="unknown strategy three-step"):
        ServiceConfig(extractor=settings, allow_strategies=("three-step",))


def test_the_openapi_examples_work_as_sent(tmp_path):
    with serving(tmp_path) as url:
        schemas = httpx.get(f"{url}/openapi.json").json()["components"]["schemas"]
        example = schemas["ExtractRequest"]["examples"][0]
        assert set(example) == {"text"}  # no strategy, no date: the service's own
        response = httpx.post(f"{url}/v1/extract", json=example, timeout=30)
        assert response.status_code == 200, response.text
        assert response.json()["articles"][0]["claims"]
        created = httpx.post(f"{url}/v1/jobs", json=schemas["JobRequest"]["examples"][0])
        assert created.status_code == 202, created.text


def test_docs_and_redoc_load_their_assets_from_the_service_not_a_cdn(tmp_path):
    # Air-gapped users: every script, stylesheet and icon of /docs and /redoc is served
    # by the service itself (the same pages in a browser with the network blocked:
    # the next test, where chromium is installed).
    with serving(tmp_path) as url:
        for page in ("/docs", "/redoc"):
            html = httpx.get(f"{url}{page}").text
            assets = re.findall(r'(?:src|href)="([^"]+)"', html)
            assert assets, page
            for asset in assets:
                assert asset.startswith("/"), f"{page} loads {asset} from elsewhere"
                assert httpx.get(f"{url}{asset}").status_code == 200, asset
            assert "https://" not in html and "http://" not in html, page


@pytest.mark.browser
def test_docs_and_redoc_render_in_chromium_with_the_network_blocked(tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    shots = Path("/tmp/shots")
    shots.mkdir(parents=True, exist_ok=True)
    with serving(tmp_path) as url, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        blocked: list[str] = []

        def offline(route: Any) -> None:
            if route.request.url.startswith(url):
                route.continue_()
            else:
                blocked.append(route.request.resource_type)
                route.abort()

        page.route("**/*", offline)
        page.goto(f"{url}/docs")
        page.wait_for_selector('.opblock-summary-path[data-path="/v1/extract"]', timeout=20_000)
        page.screenshot(path=str(shots / "docs-offline.png"))
        page.goto(f"{url}/redoc")
        page.wait_for_selector("h1 >> text=extractor", timeout=20_000)
        page.screenshot(path=str(shots / "redoc-offline.png"))
        browser.close()
    # nothing the pages need was asked of the outside (ReDoc's footer asks for its
    # maker's logo, an image it shows without)
    assert set(blocked) <= {"image"}


def test_unknown_jobs_documents_and_routes_are_404(tmp_path):
    with serving(tmp_path) as url:
        for path in ("/v1/jobs/nope", "/v1/jobs/nope/results", "/v1/jobs/nope/documents/x/view"):
            is_error(httpx.get(url + path), 404, "unknown_job")
        is_error(httpx.delete(f"{url}/v1/jobs/nope"), 404, "unknown_job")
        job = httpx.post(
            f"{url}/v1/jobs", json={"documents": [{"id": "a", "text": "Ali said yes."}]}
        ).json()["job_id"]
        is_error(httpx.get(f"{url}/v1/jobs/{job}/documents/b/view"), 404, "unknown_document")
        is_error(httpx.get(f"{url}/v2/nothing"), 404, "not_found")


def test_a_failed_document_is_a_failed_line_and_the_job_goes_on(tmp_path):
    def answer(body: dict[str, Any]) -> Reply | Status:
        text = json.dumps(body["messages"])
        return Status(500) if "round 1" in text else actors_answer(body)

    with (
        FakeServer(default=answer) as server,
        serving(tmp_path, extractor=backed(server, transport_attempts=1)) as url,
    ):
        docs = [{"id": f"d{n}", "text": ENGLISH.format(n=n)} for n in range(3)]
        job = httpx.post(f"{url}/v1/jobs", json={"documents": docs}).json()["job_id"]
        status = wait_done(url, job)
        lines = results(url, job)
        metrics = httpx.get(f"{url}/metrics").text
    assert (status["counts"]["done"], status["counts"]["failed"]) == (2, 1)
    assert [line["ok"] for line in lines] == [True, False, True]
    assert lines[1]["error"]["type"] == "TransportError"
    assert 'extractor_failures_total{type="TransportError"} 1.0' in metrics
    assert 'extractor_documents_total{outcome="failed",source="job"} 1.0' in metrics


def test_cancel_stops_a_job_and_discards_the_document_in_flight(tmp_path):
    slow = lambda body: actors_answer(body, delay=1.0)  # noqa: E731
    with (
        FakeServer(default=slow) as server,
        serving(tmp_path, extractor=backed(server), worker_threads=1) as url,
    ):
        docs = [{"id": f"d{n}", "text": ENGLISH.format(n=n)} for n in range(5)]
        job = httpx.post(f"{url}/v1/jobs", json={"documents": docs}).json()["job_id"]
        deadline = time.monotonic() + 5
        while not server.requests:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        cancelled = httpx.post(f"{url}/v1/jobs/{job}/cancel")
        assert cancelled.status_code == 200
        assert cancelled.json()["status"] == "cancelled"
        assert cancelled.json()["counts"]["cancelled"] == 5
        time.sleep(1.3)  # the document in flight finishes: its result is thrown away
        assert results(url, job) == []
        assert {round_of(r) for r in server.requests} == {0}  # nothing else was started
        assert httpx.get(f"{url}/v1/jobs/{job}").json()["status"] == "cancelled"


def test_the_document_view_is_html_with_records_and_right_to_left_arabic(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    with serving(tmp_path) as url:
        job = httpx.post(
            f"{url}/v1/jobs", json={"documents": [{"id": "seed", "text": text}]}
        ).json()["job_id"]
        wait_done(url, job)
        page = httpx.get(f"{url}/v1/jobs/{job}/documents/seed/view")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert 'dir="rtl"' in page.text and 'data-kind="claim"' in page.text
    assert 'data-kind="meeting"' in page.text and 'data-kind="actor"' in page.text


def test_two_replicas_on_one_store_never_process_the_same_document(tmp_path, database_url):
    """Two services (own engines, workers and ports) on one SQLite file or PostgreSQL."""
    quick = lambda body: actors_answer(body, delay=0.05)  # noqa: E731
    with FakeServer(default=quick) as server:
        settings = backed(server)
        one = config(tmp_path, extractor=settings, database_url=database_url, worker_threads=3)
        with running(one) as a, running(one) as b:
            docs = [{"id": f"d{n}", "text": ENGLISH.format(n=n)} for n in range(40)]
            job = httpx.post(f"{a}/v1/jobs", json={"documents": docs}).json()["job_id"]
            wait_done(b, job)  # the store is shared: either replica answers
            lines = results(b, job)
        rounds = [round_of(r) for r in server.requests]
    audit = JobStore(database_url).attempts(job)
    # each document extracted exactly once: its names call and its meeting question
    assert sorted(rounds) == sorted([*range(40), *range(40)])
    assert {attempts for attempts, _, _ in audit.values()} == {1}
    assert len({worker for _, worker, _ in audit.values()}) == 2  # both replicas worked
    assert sorted(line["id"] for line in lines) == sorted(d["id"] for d in docs)


# ------------------------------------------------------------------ operations


def test_health_metrics_docs_and_schema(tmp_path):
    with serving(tmp_path) as url:
        httpx.post(f"{url}/v1/extract", json={"text": ENGLISH.format(n=1)})
        httpx.post(f"{url}/v1/extract", json={"text": ""})
        assert httpx.get(f"{url}/healthz").json() == {"status": "ok", "checks": {}}
        ready = httpx.get(f"{url}/readyz").json()
        checks = {"store": "ok", "backend": "not needed", "worker": "ok"}
        assert ready == {"status": "ok", "checks": checks}
        metrics = httpx.get(f"{url}/metrics")
        docs = httpx.get(f"{url}/docs")
        schema = httpx.get(f"{url}/openapi.json").json()
    text = metrics.text
    assert metrics.headers["content-type"].startswith("text/plain")
    for line in (
        'extractor_requests_total{method="POST",route="/v1/extract",status="2xx"} 1.0',
        'extractor_requests_total{method="POST",route="/v1/extract",status="4xx"} 1.0',
        'extractor_documents_total{outcome="done",source="extract"} 1.0',
        "extractor_queue_depth 0.0",
        'extractor_failures_total{type="InputError"} 1.0',
    ):
        assert line in text
    for name in (
        "extractor_request_seconds_bucket",
        "extractor_tokens_total",
        "extractor_cache_hits_total",
    ):
        assert name in text
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    assert set(schema["paths"]) == {
        "/v1/extract",
        "/v1/jobs",
        "/v1/jobs/{job_id}",
        "/v1/jobs/{job_id}/results",
        "/v1/jobs/{job_id}/cancel",
        "/v1/jobs/{job_id}/documents/{doc_id}/view",
        "/healthz",
        "/readyz",
    }
    components = schema["components"]["schemas"]
    assert {"Article", "Claim", "Meeting", "Actor", "JobRequest", "ErrorBody"} <= set(components)
    assert {"JobList", "JobStatus", "InputDocument"} <= set(components)


def test_cors_is_off_unless_origins_are_configured(tmp_path):
    preflight = {
        "Origin": "https://newsroom.example",
        "Access-Control-Request-Method": "POST",
    }
    with serving(tmp_path) as url:
        response = httpx.options(f"{url}/v1/extract", headers=preflight)
        assert "access-control-allow-origin" not in response.headers
    with serving(tmp_path, cors_origins=("https://newsroom.example",)) as url:
        response = httpx.options(f"{url}/v1/extract", headers=preflight)
        assert response.headers["access-control-allow-origin"] == "https://newsroom.example"


def test_article_text_never_reaches_the_log(tmp_path, caplog):
    marker = "Zanzibarian Quetzalcoatl"
    text = f'{marker} said "the {marker} talks will go on".\nHe met Borg in Valletta.'
    caplog.set_level(logging.DEBUG)
    with serving(tmp_path) as url:
        httpx.post(f"{url}/v1/extract", json={"text": text})
        httpx.post(f"{url}/v1/extract", json={"text": text, "published": "2023-02-30"})
        job = httpx.post(f"{url}/v1/jobs", json={"documents": [{"id": "m", "text": text}]})
        wait_done(url, job.json()["job_id"])
    assert "extract:" in caplog.text and "job" in caplog.text  # the service did log
    assert marker not in caplog.text


# ------------------------------------------------------------------ a real kill -9


@pytest.mark.crash
def test_kill_9_mid_job_then_restart_keeps_finished_documents_and_reruns_the_rest(tmp_path):
    """`extractor serve` in a subprocess, SIGKILLed with a job half done, then started again
    on the same store: finished documents are kept and never extracted again, the one in
    flight runs again once its lease expires, and every document has exactly one line."""
    from liveservice import ServeProcess

    n = 12
    store_url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EXTRACTOR_", "OPENAI_"))}
    env["EXTRACTOR_HOME"] = str(tmp_path / "home")
    slow = lambda body: actors_answer(body, delay=0.3)  # noqa: E731
    with FakeServer(default=slow) as server:
        args = [
            "--base-url", server.base_url, "--model", "m", "--strategy", "cues", "--no-cache",
            "--database-url", store_url, "--workers", "1", "--lease-seconds", "1",
        ]  # fmt: skip
        first = ServeProcess(args, env=env, log_path=tmp_path / "first.log")
        first.wait_ready()
        docs = [{"id": f"d{i}", "text": ENGLISH.format(n=i)} for i in range(n)]
        job = httpx.post(f"{first.url}/v1/jobs", json={"documents": docs}).json()["job_id"]
        deadline = time.monotonic() + 20
        while httpx.get(f"{first.url}/v1/jobs/{job}").json()["counts"]["done"] < 3:
            assert time.monotonic() < deadline, "the job made no progress"
            time.sleep(0.02)
        first.kill()
        time.sleep(0.5)  # a request in flight reaches the fake server's log
        store = JobStore(store_url)
        done_before = {line["id"] for line in store.results("local", job)}
        before = len(server.requests)
        assert 3 <= len(done_before) < n

        second = ServeProcess(args, env=env, log_path=tmp_path / "second.log")
        try:
            second.wait_ready()
            wait_done(second.url, job, timeout=30)
            lines = results(second.url, job)
        finally:
            second.stop()
        after = [round_of(r) for r in server.requests[before:]]
    not_done = {i for i in range(n) if f"d{i}" not in done_before}
    assert set(after) == not_done  # nothing finished was extracted again, nothing skipped
    # and each of the rest once: its names call and its meeting question
    assert sorted(after) == sorted([*not_done, *not_done])
    assert sorted(line["id"] for line in lines) == sorted(d["id"] for d in docs)
    assert all(line["ok"] for line in lines)
    audit = store.attempts(job)
    assert all(audit[d][0] == 1 for d in done_before)
    redone = [d for d, (attempts, _, _) in audit.items() if attempts > 1]
    assert len(redone) <= 1  # at most the one document in flight at the kill
    print(
        f"kill -9 after {len(done_before)}/{n} documents; rerun extracted {len(after)}; "
        f"redone: {redone}"
    )


def test_an_unexpected_error_is_a_bare_500_and_its_message_is_not_logged(tmp_path, caplog):
    class Boom(Exception):
        pass

    def explode(*args: Any, **kwargs: Any) -> Any:
        raise Boom("the article says SECRET-TEXT")

    caplog.set_level(logging.DEBUG)
    cfg = config(tmp_path)
    with running(cfg) as url:
        original = Extractor.extract_articles
        Extractor.extract_articles = explode  # type: ignore[method-assign]
        try:
            response = httpx.post(f"{url}/v1/extract", json={"text": "Ali said yes."})
        finally:
            Extractor.extract_articles = original  # type: ignore[method-assign]
    error = is_error(response, 500, "internal")
    assert error == {"type": "Boom", "reason": "internal", "message": "internal error"}
    assert "SECRET-TEXT" not in caplog.text and "unhandled Boom" in caplog.text


def test_the_serve_and_model_server_commands():
    runner = CliRunner()
    serve = runner.invoke(cli_app, ["serve", "--help"])
    assert serve.exit_code == 0
    for flag in ("--database-url", "--api-keys-file", "--base-url", "--strategy", "--gguf"):
        assert flag in serve.output
    assert "127.0.0.1" in serve.output and "8000" in serve.output
    model = runner.invoke(cli_app, ["model-server", "--help"])
    assert model.exit_code == 0 and "--gguf" in model.output


def test_a_backend_that_refuses_the_services_key_is_503_without_its_words(tmp_path):
    body = {"error": {"message": "Incorrect API key provided: sk-abc1234567890."}}
    with (
        FakeServer(default=Status(401, body=body)) as server,
        serving(tmp_path, extractor=backed(server)) as url,
    ):
        response = httpx.post(f"{url}/v1/extract", json={"text": ENGLISH.format(n=1)})
    is_error(response, 503, "backend_misconfigured")
    assert "Incorrect API key" not in response.text and "1234567890" not in response.text
