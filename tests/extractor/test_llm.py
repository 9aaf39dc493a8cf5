"""Specification of the transport layer (`extractor.llm.client.LLM.complete`) against a real server.

Every fault is injected by a real HTTP server on loopback (tests/fakeserver.py), so
what is tested is the whole path: openai SDK → httpx → socket → tenacity. The number
of requests the server saw tells which layer retried: the SDK's own retries are off,
so N transport attempts are exactly N requests; validation problems and truncation
are never retried here (one request), they are returned to the caller.
"""

from __future__ import annotations

import datetime
import email.utils
import time

import pytest
from fakeserver import (
    Close,
    Drip,
    FakeServer,
    Hang,
    Reply,
    Slow,
    Status,
    completion,
    huge_reply,
    refused_url,
)
from pydantic import BaseModel

from extractor.errors import BackendConfigError, ModelUnavailableError, TransportError
from extractor.llm.client import LLM

MESSAGES = [{"role": "system", "content": "Return JSON."}, {"role": "user", "content": "hi"}]
GOOD = '{"name":"Haddad","count":2}'


class Tiny(BaseModel):
    name: str
    count: int


def make_llm(
    base_url: str,
    *,
    attempts: int = 3,
    timeout: float = 5.0,
    backoff_initial: float = 0.01,
    backoff_max: float = 0.05,
) -> LLM:
    return LLM(
        model="m",
        base_url=base_url,
        api_key=None,
        mode="json_schema",
        timeout=timeout,
        transport_attempts=attempts,
        backoff_initial=backoff_initial,
        backoff_max=backoff_max,
    )


def ask(llm: LLM, max_tokens: int = 64):
    return llm.complete(MESSAGES, Tiny, max_tokens=max_tokens)


@pytest.fixture
def server():
    with FakeServer() as s:
        yield s


# ------------------------------------------------------------------ success


def test_success_first_try_parses_and_reports_usage(server):
    server.reply(GOOD, prompt_tokens=11, completion_tokens=7)
    attempt = ask(make_llm(server.base_url))
    assert attempt.parsed.model_dump() == {"name": "Haddad", "count": 2}
    assert attempt.raw == GOOD
    assert attempt.finish_reason == "stop"
    assert attempt.errors == []
    assert attempt.transport_retries == 0
    assert (attempt.usage.prompt_tokens, attempt.usage.completion_tokens) == (11, 7)
    assert len(server.requests) == 1
    body = server.requests[0]
    assert body["model"] == "m"
    assert body["max_tokens"] == 64
    assert body["messages"] == MESSAGES


def test_caller_messages_are_not_mutated(server):
    server.reply(GOOD)
    messages = [dict(m) for m in MESSAGES]
    make_llm(server.base_url).complete(messages, Tiny, max_tokens=8)
    assert messages == MESSAGES


# ------------------------------------------------------------------ transient faults: retried


def test_429_then_success_is_retried_once(server):
    server.push(Status(429))
    server.reply(GOOD)
    attempt = ask(make_llm(server.base_url))
    assert attempt.parsed.model_dump() == {"name": "Haddad", "count": 2}
    assert attempt.transport_retries == 1
    assert len(server.requests) == 2


def test_retry_after_zero_waits_the_first_backoff_not_nothing(server):
    # "Retry now" from every 429 would make all attempts at once (issue 29): the
    # server's word is clamped to at least our first backoff.
    server.push(Status(429, headers={"Retry-After": "0"}))
    server.reply(GOOD)
    started = time.monotonic()
    attempt = ask(make_llm(server.base_url, backoff_initial=0.5, backoff_max=2.0))
    assert 0.5 <= time.monotonic() - started < 2.0
    assert attempt.parsed is not None and attempt.transport_retries == 1
    assert len(server.requests) == 2


def test_retry_after_seconds_is_waited_for(server):
    # The backoff alone would wait ~0.01 s; the server asks for 1 s.
    server.push(Status(429, headers={"Retry-After": "1"}))
    server.reply(GOOD)
    started = time.monotonic()
    attempt = ask(make_llm(server.base_url, backoff_initial=0.01, backoff_max=2.0))
    assert time.monotonic() - started >= 0.9
    assert attempt.parsed is not None and attempt.transport_retries == 1


def test_retry_after_is_capped_by_backoff_max(server):
    server.push(Status(429, headers={"Retry-After": "30"}))
    server.reply(GOOD)
    started = time.monotonic()
    attempt = ask(make_llm(server.base_url, backoff_max=0.05))
    assert time.monotonic() - started < 1.5
    assert attempt.parsed is not None


def test_retry_after_longer_than_the_time_left_fails_at_once_saying_so(server):
    # Not five capped sleeps ending in the same 429: the server said when to come back.
    server.default = Status(429, headers={"Retry-After": "3600"})
    started = time.monotonic()
    with pytest.raises(TransportError) as info:
        ask(make_llm(server.base_url, attempts=5))
    assert time.monotonic() - started < 1.0
    assert len(server.requests) == 1
    assert "rate limited for 3600 s" in str(info.value)
    assert info.value.status_code == 429


def test_retry_after_http_date_is_waited_for(server):
    when = email.utils.format_datetime(
        datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=2), usegmt=True
    )
    server.push(Status(503, headers={"Retry-After": when}))
    server.reply(GOOD)
    started = time.monotonic()
    attempt = ask(make_llm(server.base_url, backoff_initial=0.01, backoff_max=3.0))
    assert 0.5 <= time.monotonic() - started < 3.0  # whole seconds: waits 1-2 s
    assert attempt.parsed is not None and attempt.transport_retries == 1


# Before the fix an unreadable value raised ValueError out of the retry loop (no retry,
# and an untyped error instead of TransportError).
@pytest.mark.parametrize(
    "value", ["soon", "", "Wed, 21 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 07:28:00 -0000"]
)
def test_unreadable_or_past_retry_after_falls_back_to_backoff(server, value):
    server.push(Status(429, headers={"Retry-After": value}))
    server.reply(GOOD)
    attempt = ask(make_llm(server.base_url))
    assert attempt.parsed is not None and attempt.transport_retries == 1
    assert len(server.requests) == 2


@pytest.mark.parametrize("code", [500, 502, 503])
def test_server_errors_are_retried(server, code):
    server.push(Status(code), Status(code))
    server.reply(GOOD)
    attempt = ask(make_llm(server.base_url, attempts=3))
    assert attempt.parsed.model_dump() == {"name": "Haddad", "count": 2}
    assert attempt.transport_retries == 2
    assert len(server.requests) == 3


def test_dropped_connection_is_retried(server):
    server.push(Close())
    server.reply(GOOD)
    attempt = ask(make_llm(server.base_url))
    assert attempt.parsed is not None and attempt.transport_retries == 1
    assert len(server.requests) == 2


def test_no_first_token_in_time_is_retried(server):
    server.push(Hang(2.0))
    server.reply(GOOD)
    attempt = ask(make_llm(server.base_url, timeout=0.5))
    assert attempt.parsed is not None and attempt.transport_retries == 1
    assert len(server.requests) == 2


def test_usage_counts_only_the_answered_request(server):
    # Failed HTTP requests carry no usage; the successful one's is reported.
    server.push(Status(503))
    server.reply(GOOD, prompt_tokens=30, completion_tokens=4)
    attempt = ask(make_llm(server.base_url))
    assert (attempt.usage.prompt_tokens, attempt.usage.completion_tokens) == (30, 4)


# ------------------------------------------------------------------ exhausted: TransportError


@pytest.mark.parametrize("code", [429, 500, 502, 503])
def test_persistent_failure_raises_transport_error_with_the_status(server, code):
    server.default = Status(code)
    with pytest.raises(TransportError) as info:
        ask(make_llm(server.base_url, attempts=3))
    assert info.value.attempts == 3
    assert info.value.errors == [f"HTTP {code}"]
    assert str(code) in str(info.value)
    assert len(server.requests) == 3


def test_connection_refused_on_loopback_fails_fast_naming_the_url():
    # Nothing listens: no server will appear in the backoff window, so no retries.
    url = refused_url()
    started = time.monotonic()
    with pytest.raises(ModelUnavailableError) as info:
        ask(make_llm(url, attempts=5, backoff_initial=1.0))
    assert time.monotonic() - started < 1.0
    assert url in str(info.value) and "connection refused" in str(info.value)


def test_a_refused_loopback_url_with_credentials_is_named_redacted():
    url = refused_url().replace("http://", "http://user:sk-secret@")
    with pytest.raises(ModelUnavailableError) as info:
        ask(make_llm(url, attempts=3))
    assert "sk-secret" not in str(info.value) and "***@127.0.0.1" in str(info.value)


def test_instructor_error_logs_are_demoted_and_redacted(server, caplog):
    import logging

    make_llm(server.base_url)  # installs the filter
    with caplog.at_level(logging.DEBUG, logger="instructor"):
        logging.getLogger("instructor").error("boom at http://u:sk-secret@h/v1 body {...}")
        logging.getLogger("instructor.v2.retry").error("API call failed: sk-raw-body")
    assert [r.levelno for r in caplog.records] == [logging.DEBUG, logging.DEBUG]
    assert "sk-secret" not in caplog.text and "***@h" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="instructor"):
        logging.getLogger("instructor.v2.retry").error("API call failed: sk-raw-body")
    assert caplog.records == []  # nothing at ERROR reaches a handler


def test_persistent_read_timeout_raises_after_all_attempts(server):
    server.default = Hang(2.0)
    started = time.monotonic()
    with pytest.raises(TransportError) as info:
        ask(make_llm(server.base_url, attempts=2, timeout=0.5))
    assert time.monotonic() - started < 3.0  # the client gave up, it did not wait for the server
    assert info.value.attempts == 2
    assert info.value.errors == ["timeout"]
    assert "no token in the first 0.5 s" in str(info.value)
    assert len(server.requests) == 2


@pytest.mark.parametrize("code", [400, 422])
def test_client_errors_are_not_retried(server, code):
    server.default = Status(code)
    with pytest.raises(TransportError) as info:
        ask(make_llm(server.base_url, attempts=5))
    assert info.value.attempts == 1
    assert info.value.errors == [f"HTTP {code}"]
    assert len(server.requests) == 1


@pytest.mark.parametrize("attempts", [1, 2, 4])
def test_sdk_retries_are_off_so_requests_equal_transport_attempts(server, attempts):
    # The openai SDK retries 5xx twice by default; here only tenacity retries.
    server.default = Status(500)
    with pytest.raises(TransportError):
        ask(make_llm(server.base_url, attempts=attempts))
    assert len(server.requests) == attempts


def test_transport_error_is_an_extraction_error_with_usage(server):
    from extractor.errors import ExtractionError

    server.default = Status(503)
    with pytest.raises(ExtractionError) as info:
        ask(make_llm(server.base_url, attempts=1))
    assert info.value.to_dict()["type"] == "TransportError"
    assert info.value.usage == {"prompt_tokens": 0, "completion_tokens": 0}


# ------------------------------------------------------------------ not transport: returned, once


def test_truncated_output_is_returned_not_retried(server):
    server.reply('{"name":"Had', finish_reason="length", prompt_tokens=9, completion_tokens=64)
    attempt = ask(make_llm(server.base_url))
    assert attempt.parsed is None
    assert attempt.finish_reason == "length"
    assert attempt.raw == '{"name":"Had'
    assert attempt.errors
    assert (attempt.usage.prompt_tokens, attempt.usage.completion_tokens) == (9, 64)
    assert len(server.requests) == 1


def test_invalid_json_is_returned_with_errors_not_retried(server):
    server.reply("Sure! Here is the JSON you asked for.", prompt_tokens=8, completion_tokens=9)
    attempt = ask(make_llm(server.base_url))
    assert attempt.parsed is None
    assert attempt.finish_reason == "stop"
    assert attempt.raw == "Sure! Here is the JSON you asked for."
    assert attempt.errors and "json" in attempt.errors[0].lower()
    assert (attempt.usage.prompt_tokens, attempt.usage.completion_tokens) == (8, 9)
    assert len(server.requests) == 1


def test_schema_violation_names_the_field(server):
    server.reply('{"name":"Haddad","count":"many"}')
    attempt = ask(make_llm(server.base_url))
    assert attempt.parsed is None
    assert attempt.raw == '{"name":"Haddad","count":"many"}'
    assert any(e.startswith("count:") for e in attempt.errors), attempt.errors
    assert len(server.requests) == 1


def test_validation_errors_are_short_and_carry_no_api_text(server):
    server.reply('{"count":"many"}')
    attempt = ask(make_llm(server.base_url))
    joined = "\n".join(attempt.errors)
    assert "name" in joined and "count" in joined
    for noise in ("errors.pydantic.dev", "Traceback", "Error code", "Max retries"):
        assert noise not in joined


def test_retry_then_validation_failure_sums_usage_and_counts_retries(server):
    server.push(Status(502))
    server.reply('{"name":1}', prompt_tokens=12, completion_tokens=3)
    attempt = ask(make_llm(server.base_url))
    assert attempt.parsed is None and attempt.errors
    assert attempt.transport_retries == 1
    assert (attempt.usage.prompt_tokens, attempt.usage.completion_tokens) == (12, 3)
    assert len(server.requests) == 2


def test_fake_server_default_can_depend_on_the_request(server):
    # A self-check of the harness the other test files rely on.
    server.default = lambda body: Reply(completion(GOOD if body["max_tokens"] > 10 else "{}"))
    assert ask(make_llm(server.base_url), max_tokens=64).parsed is not None
    assert ask(make_llm(server.base_url), max_tokens=5).parsed is None


# ------------------------------------------------------------------ configuration refused


OLLAMA_404 = {"error": {"message": "model 'llama3' not found, try pulling it first"}}
OPENAI_401 = {
    "error": {
        "message": "Incorrect API key provided: sk-abc123def45. You can find your "
        "API key at https://platform.openai.com/account/api-keys.",
        "type": "invalid_request_error",
        "code": "invalid_api_key",
    }
}


def test_unknown_model_is_a_config_error_with_the_backends_own_words(server):
    server.default = Status(404, body=OLLAMA_404)
    with pytest.raises(BackendConfigError) as info:
        ask(make_llm(server.base_url, attempts=5))
    assert len(server.requests) == 1
    assert info.value.status_code == 404
    assert "model 'llama3' not found, try pulling it first" in str(info.value)
    assert "--model" in str(info.value)


@pytest.mark.parametrize("code", [401, 403])
def test_a_refused_key_is_a_config_error_and_the_key_is_not_echoed(server, code):
    server.default = Status(code, body=OPENAI_401)
    with pytest.raises(BackendConfigError) as info:
        ask(make_llm(server.base_url, attempts=5))
    message = str(info.value)
    assert len(server.requests) == 1
    assert f"HTTP {code}" in message and "Incorrect API key provided" in message
    assert "abc123def45" not in message
    assert "API key" in message


def test_backend_message_is_one_short_line_without_control_characters(server):
    body = {"error": {"message": "bad\x1b[31m red\nline " + "word " * 200}}
    server.default = Status(400, body=body)
    with pytest.raises(TransportError) as info:
        ask(make_llm(server.base_url))
    message = str(info.value)
    assert "\x1b" not in message and "\n" not in message
    assert len(message) < 320


# ------------------------------------------------------------------ progress, not timeouts


def test_a_slow_model_still_producing_tokens_is_never_cut(server):
    # Each token takes 0.15 s: the whole answer takes three times the stall
    # allowance, but progress is made, so it completes.
    server.push(Slow(completion(GOOD), gap=0.15))
    llm = LLM(model="m", base_url=server.base_url, api_key=None, timeout=1.0, stall_timeout=0.4)
    seen: list[int] = []
    attempt = llm.complete(MESSAGES, Tiny, max_tokens=64, on_token=seen.append)
    assert attempt.parsed is not None and attempt.parsed.name == "Haddad"
    assert seen and seen == sorted(seen) and seen[-1] >= 5


def test_a_stream_that_stops_mid_answer_fails_as_stalled_and_is_not_retried(server):
    server.push(Slow(completion(GOOD), gap=2.0))
    llm = LLM(model="m", base_url=server.base_url, api_key=None, timeout=3.0, stall_timeout=0.5)
    started = time.monotonic()
    with pytest.raises(TransportError) as info:
        llm.complete(MESSAGES, Tiny, max_tokens=64)
    assert time.monotonic() - started < 4.0
    assert info.value.errors == ["stalled"] and len(server.requests) == 1


def test_a_server_dripping_bytes_is_cut_at_the_deadline(server):
    # One byte every 0.2 s restarts any read timeout; the deadline is total.
    server.default = Drip(gap=0.2)
    llm = LLM(model="m", base_url=server.base_url, api_key=None, timeout=30.0)
    started = time.monotonic()
    with pytest.raises(TransportError) as info:
        llm.complete(MESSAGES, Tiny, max_tokens=64, deadline_at=time.monotonic() + 1.0)
    assert time.monotonic() - started < 2.5
    assert info.value.errors == ["deadline"]
    assert "deadline" in str(info.value)


def test_an_oversized_answer_is_cut_not_fetched_whole(server):
    server.default = Reply(huge_reply(3_000_000))
    llm = LLM(model="m", base_url=server.base_url, api_key=None, max_response_bytes=100_000)
    with pytest.raises(TransportError) as info:
        llm.complete(MESSAGES, Tiny, max_tokens=64)
    assert info.value.errors == ["too_large"] and len(server.requests) == 1


def test_unstreamed_requests_get_the_same_deadline_and_size_cap(server):
    server.default = Reply(huge_reply(3_000_000))
    llm = LLM(
        model="m", base_url=server.base_url, api_key=None, stream=False, max_response_bytes=100_000
    )
    with pytest.raises(TransportError) as info:
        llm.complete(MESSAGES, Tiny, max_tokens=64)
    assert info.value.errors == ["too_large"]
    server.default = Drip(gap=0.2)
    started = time.monotonic()
    with pytest.raises(TransportError) as info:
        llm.complete(MESSAGES, Tiny, max_tokens=64, deadline_at=time.monotonic() + 1.0)
    assert time.monotonic() - started < 2.5 and info.value.errors == ["deadline"]


def test_streamed_and_unstreamed_answers_parse_to_the_same_attempt(server):
    streamed = LLM(model="m", base_url=server.base_url, api_key=None)
    plain = LLM(model="m", base_url=server.base_url, api_key=None, stream=False)
    server.reply(GOOD, prompt_tokens=12, completion_tokens=6)
    server.reply(GOOD, prompt_tokens=12, completion_tokens=6)
    one = streamed.complete(MESSAGES, Tiny, max_tokens=64)
    two = plain.complete(MESSAGES, Tiny, max_tokens=64)
    assert one.parsed is not None and two.parsed is not None
    assert one.parsed.model_dump() == two.parsed.model_dump() and one.raw == two.raw
    assert one.usage == two.usage and one.finish_reason == two.finish_reason == "stop"
    assert server.requests[0]["stream"] is True and "stream" not in server.requests[1]
