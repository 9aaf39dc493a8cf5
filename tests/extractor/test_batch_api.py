"""`extract-many --batch-api`: rounds of OpenAI Batch requests give the live run's records.

Every test runs the fake model (tests/fakebatch.py) both ways on loopback: live
(its chat completions endpoint) and as a Batch (files, batches, output and errors
files), and compares the records field by field, timings aside.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fakebatch import FakeBatchServer, Plan
from typer.testing import CliRunner

from extractor.batch.batch_api import BatchOptions, Manifest, run_batch_api, work_folder
from extractor.batch.run import BatchItem, read_records, run_batch
from extractor.cli import app
from extractor.errors import ConfigError
from extractor.extract import Extractor
from extractor.llm.batches import BatchClient, result_lines

FAKE_KEY = "sk-" + "test-secret-0123456789"  # made up; built so secret scanners pass

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dev"

# Short synthetic articles (no corpus text): named speakers, a described one, a meeting.
ARTICLES = {
    "en-port": (
        "Harbour Wire\n"
        "VALLETTA, March 3 - Transport Minister Karim Haddad said on Monday that the port "
        "would reopen next week. Haddad met Joseph Borg, the head of the Dock Workers Union, "
        "in Valletta on Sunday. A senior official said the talks had gone well. "
        "Borg told reporters that the workers wanted written guarantees."
    ),
    "en-budget": (
        "Finance Minister Lara Mifsud said on Tuesday that the budget would cut taxes. "
        "The opposition leader Mark Zammit said the plan was reckless. "
        "Mifsud will meet Zammit on Friday to discuss the budget, a spokesman said."
    ),
    "en-short": "The Central Bank said inflation fell to two percent in May.",
    "ar-talks": (
        "قال الوزير سامي الخوري إن المحادثات ستستأنف الأسبوع المقبل. "
        "وأكد رامي النجار أن الاتفاق قريب. "
        "والتقى الخوري النجار في بيروت يوم الأحد لبحث الأزمة."
    ),
}
FAST = BatchOptions(poll_interval=0.01, poll_max=0.02)
TIMINGS = ("latency_s", "llm_s")


def _items(articles: dict[str, str]) -> list[BatchItem]:
    return [BatchItem(id=k, path=Path(f"{k}.jsonl"), text=v) for k, v in articles.items()]


def _extractor(server: FakeBatchServer, cache: Path, **overrides: Any) -> Extractor:
    options: dict[str, Any] = dict(
        strategy="cues", base_url=server.base_url, model="m", cache_dir=cache, transport_attempts=1
    )
    return Extractor(**{**options, **overrides})


def _comparable(path: Path) -> dict[str, dict[str, Any]]:
    """The records by id, timings left out."""
    out = {}
    for record in read_records(path):
        record.pop("seconds", None)
        for article in record.get("articles", []):
            for name in TIMINGS:
                article["meta"].pop(name, None)
        out[record["id"]] = record
    return out


def _live(server: FakeBatchServer, tmp: Path, articles: dict[str, str], **kw: Any) -> Path:
    out = tmp / "live.jsonl"
    with _extractor(server, tmp / "live-cache", **kw) as ex:
        run_batch(ex.extract_articles, _items(articles), out, config=ex.fingerprint())
    return out


def _batch(
    server: FakeBatchServer, tmp: Path, articles: dict[str, str], **kw: Any
) -> tuple[Path, Any]:
    out = tmp / "batch.jsonl"
    options = kw.pop("options", FAST)
    sleep = kw.pop("sleep", lambda s: None)
    with _extractor(server, tmp / "batch-cache", **kw) as ex:
        client = BatchClient(base_url=server.base_url, api_key=FAKE_KEY)
        report = run_batch_api(
            ex,
            _items(articles),
            out,
            client=client,
            options=options,
            config=ex.fingerprint(),
            sleep=sleep,
        )
    return out, report


@pytest.fixture
def server():
    with FakeBatchServer() as s:
        yield s


@pytest.mark.parametrize("strategy", ["cues", "two-step"])
def test_batch_records_are_the_live_records(server, tmp_path, strategy):
    kw = {"strategy": strategy, **({"prompt": "v4"} if strategy == "two-step" else {})}
    live = _comparable(_live(server, tmp_path, ARTICLES, **kw))
    live_calls = len(server.live)
    out, report = _batch(server, tmp_path, ARTICLES, **kw)
    assert len(server.live) == live_calls  # the batch made no live call
    assert _comparable(out) == live
    assert all(r["ok"] for r in live.values())
    # every live call, re-asks included, went up in a batch line, once
    sent = [line["custom_id"] for lines in server.inputs for line in lines]
    assert len(sent) == len(set(sent)) == live_calls == report.requests
    assert report.rounds == len(server.inputs) >= 2


def test_each_line_is_the_live_request_named_by_its_cache_key(server, tmp_path):
    _live(server, tmp_path, ARTICLES)
    live = [
        {k: v for k, v in b.items() if k not in ("stream", "stream_options")} for b in server.live
    ]
    out, _ = _batch(server, tmp_path, ARTICLES)
    lines = [line for lines in server.inputs for line in lines]
    assert all(line["method"] == "POST" and line["url"] == "/v1/chat/completions" for line in lines)
    assert sorted(json.dumps(x, sort_keys=True) for x in live) == sorted(
        json.dumps(line["body"], sort_keys=True) for line in lines
    )
    first = [line["custom_id"] for line in lines if "-" not in line["custom_id"]]
    assert first and all(len(cid) == 64 for cid in first)  # a SHA-256 cache key
    assert any("-" in line["custom_id"] for line in lines)  # a re-ask: KEY-2


def test_the_cache_ends_as_a_live_run_leaves_it(server, tmp_path):
    _batch(server, tmp_path, ARTICLES)
    calls = len(server.live)
    with _extractor(server, tmp_path / "batch-cache") as ex:
        for text in ARTICLES.values():
            ex.extract_articles(text)
    assert len(server.live) == calls  # every answer came from the cache


def test_an_errors_file_line_is_sent_again_and_the_records_stand(server, tmp_path):
    live = _comparable(_live(server, tmp_path, ARTICLES))
    failed: set[str] = set()

    def once(cid: str) -> int | None:  # each request fails the first time it is sent
        if cid in failed:
            return None
        failed.add(cid)
        return 500

    server.plan(Plan(fail=once))  # the first batch: every line in the errors file
    out, report = _batch(server, tmp_path, ARTICLES)
    assert _comparable(out) == live
    assert {x["custom_id"] for x in server.inputs[0]} <= {x["custom_id"] for x in server.inputs[1]}
    manifest = Manifest.model_validate_json((work_folder(out) / "manifest.json").read_text())
    assert any("HTTP 500" in why for whys in manifest.tries.values() for why in whys)


def test_a_partial_failure_then_a_resubmission_gives_the_live_records(server, tmp_path):
    live = _comparable(_live(server, tmp_path, ARTICLES))
    first: list[str] = []

    def odd(cid: str) -> int | None:  # one line in two fails, in the first batch only
        first.append(cid)
        return 503 if len(first) % 2 else None

    server.plan(Plan(fail=odd))
    out, _ = _batch(server, tmp_path, ARTICLES)
    assert _comparable(out) == live
    resent = {x["custom_id"] for x in server.inputs[1]}
    assert resent & set(first[0::2]) == set(first[0::2])  # the failed ones went again
    assert not resent & set(first[1::2])  # the answered ones did not


def test_a_request_that_keeps_failing_fails_its_document_with_the_reason(server, tmp_path):
    doomed = "en-short"
    server.plan(*[Plan(fail=lambda cid: 500 if cid in doomed_ids else None)] * 20)
    doomed_ids: set[str] = set()
    # learn the doomed document's first request: its only one (one chunk, no question)
    probe, _ = _batch(server, tmp_path / "probe", {doomed: ARTICLES[doomed]})
    doomed_ids.update(x["custom_id"] for x in server.inputs[-1])
    before = len(server.inputs)
    out, _ = _batch(
        server, tmp_path, ARTICLES, options=BatchOptions(poll_interval=0.01, max_tries=2)
    )
    records = _comparable(out)
    assert records[doomed]["ok"] is False
    error = records[doomed]["error"]
    assert error["type"] == "TransportError" and "HTTP 500" in error["message"]
    assert "sent 2 times" in error["message"]
    assert all(r["ok"] for k, r in records.items() if k != doomed)
    sent = [x["custom_id"] for lines in server.inputs[before:] for x in lines]
    assert sum(cid in doomed_ids for cid in sent) == 2  # max_tries


def test_an_expired_batch_keeps_its_answers_and_sends_the_rest_again(server, tmp_path):
    live = _comparable(_live(server, tmp_path, ARTICLES))
    server.plan(Plan(status="expired", answer_first=2))
    out, _ = _batch(server, tmp_path, ARTICLES)
    assert _comparable(out) == live
    first = [x["custom_id"] for x in server.inputs[0]]
    second = {x["custom_id"] for x in server.inputs[1]}
    assert not set(first[:2]) & second and set(first[2:]) <= second


def test_a_failed_batch_is_sent_again(server, tmp_path):
    live = _comparable(_live(server, tmp_path, ARTICLES))
    server.plan(Plan(status="failed"))
    out, _ = _batch(server, tmp_path, ARTICLES)
    assert _comparable(out) == live
    assert server.inputs[0] == server.inputs[1]


def test_a_stopped_run_resumes_its_batch_by_id_without_sending_it_again(server, tmp_path):
    live = _comparable(_live(server, tmp_path, ARTICLES))
    server.plan(Plan(polls=3))

    def stop(seconds: float) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _batch(server, tmp_path, ARTICLES, sleep=stop)
    out = tmp_path / "batch.jsonl"
    manifest = Manifest.model_validate_json((work_folder(out) / "manifest.json").read_text())
    assert [b.batch_id for b in manifest.batches] == ["batch-2"]
    assert not manifest.batches[0].collected
    assert read_records(out) == []
    sent = len(server.inputs)
    out, report = _batch(server, tmp_path, ARTICLES)
    assert _comparable(out) == live
    assert server.inputs[sent:] and server.inputs[sent][0] != server.inputs[0][0]  # no resend
    assert report.rounds == len(server.inputs) - 1


def test_a_round_over_the_line_limit_goes_up_in_several_files(server, tmp_path):
    live = _comparable(_live(server, tmp_path, ARTICLES))
    options = BatchOptions(poll_interval=0.01, max_lines=2)
    out, report = _batch(server, tmp_path, ARTICLES, options=options)
    assert _comparable(out) == live
    assert all(len(lines) <= 2 for lines in server.inputs)
    manifest = Manifest.model_validate_json((work_folder(out) / "manifest.json").read_text())
    rounds = [b.round for b in manifest.batches]
    assert rounds.count(1) == 2  # four documents' first requests: two files of two
    assert max(rounds) == report.rounds < len(server.inputs)


def test_a_document_still_waiting_after_the_last_round_is_recorded_as_failed(server, tmp_path):
    out, report = _batch(server, tmp_path, ARTICLES, options=BatchOptions(max_rounds=1))
    records = _comparable(out)
    assert report.rounds == 1 and len(records) == len(ARTICLES)
    failed = [r for r in records.values() if not r["ok"]]
    assert failed and all("within the batch's rounds" in r["error"]["message"] for r in failed)


def test_a_finished_batch_is_not_redone(server, tmp_path):
    out, _ = _batch(server, tmp_path, ARTICLES)
    batches = len(server.inputs)
    again, report = _batch(server, tmp_path, ARTICLES)
    assert len(server.inputs) == batches and report.rounds == 0
    assert report.summary.skipped == len(ARTICLES)


def test_no_key_reaches_the_work_folder(server, tmp_path):
    out, _ = _batch(server, tmp_path, ARTICLES)
    assert f"Bearer {FAKE_KEY}" in server.auth  # it did reach the server
    for path in [out, *work_folder(out).iterdir()]:
        assert b"sk-test-secret" not in path.read_bytes()


def test_rules_and_no_cache_are_refused_before_anything_is_sent(server, tmp_path):
    with pytest.raises(ConfigError, match="model strategies"):
        _batch(server, tmp_path, ARTICLES, strategy="rules")
    with pytest.raises(ConfigError, match="cache"):
        _batch(server, tmp_path, ARTICLES, use_cache=False)
    assert server.inputs == [] and server.files == {}


def test_result_lines_read_answers_errors_and_skip_the_rest():
    good = {"custom_id": "a", "response": {"status_code": 200, "body": {"id": "x"}}, "error": None}
    bad = {
        "custom_id": "b",
        "response": {"status_code": 429, "body": {"error": {"message": "slow"}}},
    }
    expired = {
        "custom_id": "c",
        "response": None,
        "error": {"code": "batch_expired", "message": "late"},
    }
    text = "\n".join([json.dumps(good), "not json", json.dumps(bad), "[]", json.dumps(expired)])
    lines = result_lines(text)
    assert [(x.custom_id, x.body, x.problem) for x in lines] == [
        ("a", {"id": "x"}, None),
        ("b", None, "HTTP 429: slow"),
        ("c", None, "error: late (batch_expired)"),
    ]


def test_the_command_line_runs_a_batch(server, tmp_path, monkeypatch):
    monkeypatch.setenv("EXTRACTOR_HOME", str(tmp_path / "home"))
    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in ARTICLES.items()),
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    args = ["extract-many", str(source), "-o", str(out), "--strategy", "cues"]
    args += ["--base-url", server.base_url, "--model", "m", "--batch-api", "--poll-interval", "0"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "rounds" in result.output and len(read_records(out)) == len(ARTICLES)
    assert server.live == []


@pytest.mark.skipif(not DEV.is_dir(), reason=f"the dev corpus is not at {DEV}")
def test_on_the_dev_set_the_batch_gives_the_live_records(server, tmp_path):
    articles = {p.stem: p.read_text(encoding="utf-8") for p in sorted(DEV.glob("*.txt"))}
    live = _comparable(_live(server, tmp_path, articles))
    calls = len(server.live)
    # a partial failure: one line in five of the first batch comes back in the errors file
    server.plan(Plan(fail=lambda cid: 500 if int(cid[:4], 16) % 5 == 0 else None))
    out, report = _batch(server, tmp_path, articles)
    assert _comparable(out) == live and len(live) == len(articles)
    failed = [x for x in server.inputs[0] if int(x["custom_id"][:4], 16) % 5 == 0]
    assert failed and report.requests == calls + len(failed)  # each sent again, once


def _collector(answers: dict[str, Any]) -> Any:
    from extractor.llm.batches import CollectingLLM

    return CollectingLLM(model="m", mode="json_schema", answers=answers)


def test_a_held_answer_is_the_attempt_a_live_call_makes_of_it():
    from fakeserver import completion

    from extractor.strategies.drafts import NamesDraft

    good = completion('{"actors": [{"name": "Karim Haddad", "kind": "person"}]}', model="m")
    cut = completion('{"actors": [{"name": "Kar', finish_reason="length")
    llm = _collector({"a": good, "b": cut})
    ask = [{"role": "user", "content": "[1] Karim Haddad said."}]
    one = llm.complete(ask, NamesDraft, max_tokens=50, request_id="a")
    assert one.parsed is not None and one.parsed.actors[0].name == "Karim Haddad"
    assert one.usage.prompt_tokens == 10 and one.finish_reason == "stop"
    two = llm.complete(ask, NamesDraft, max_tokens=50, request_id="b")
    assert two.parsed is None and two.finish_reason == "length"


def test_a_missing_answer_is_noted_and_pending_and_a_bad_one_a_transport_error():
    from extractor.errors import TransportError
    from extractor.llm.batches import Pending
    from extractor.strategies.drafts import NamesDraft

    llm = _collector({"junk": {"not": "a completion"}})
    ask = [{"role": "user", "content": "[1] Karim Haddad said."}]
    with pytest.raises(Pending):
        llm.complete(ask, NamesDraft, max_tokens=50, request_id="new")
    assert llm.requests["new"]["messages"] == ask and llm.requests["new"]["max_tokens"] == 50
    with pytest.raises(TransportError, match="not a chat completion"):
        llm.complete(ask, NamesDraft, max_tokens=50, request_id="junk")
    llm.final = True
    with pytest.raises(TransportError, match="not answered"):
        llm.complete(ask, NamesDraft, max_tokens=50, request_id="other")
