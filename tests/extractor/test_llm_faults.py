"""Specification of the client (`extractor.llm.client.LLM`) under hostile or failing backends.

Round two of the hardening (issue 29): a connection dropped mid-answer, a compressed
answer past the size cap, keys in every part of a base URL and in a backend's echo,
and Retry-After values that would make every attempt at once. Every fault comes
from a real HTTP server on loopback (tests/fakeserver.py).
"""

from __future__ import annotations

import logging
import time
from types import SimpleNamespace

import httpx2
import pytest
from fakeserver import Cut, Encoded, FakeServer, Reply, Status, completion, huge_reply
from pydantic import BaseModel

from extractor.errors import BackendConfigError, TransportError
from extractor.llm.backoff import Wait
from extractor.llm.client import LLM

MESSAGES = [{"role": "user", "content": "hi"}]
GOOD = '{"name":"Haddad","count":2}'


class Tiny(BaseModel):
    name: str
    count: int


def make_llm(base_url: str, **kwargs: object) -> LLM:
    values: dict[str, object] = {
        "model": "m",
        "base_url": base_url,
        "api_key": None,
        "transport_attempts": 3,
        "backoff_initial": 0.01,
        "backoff_max": 0.05,
        **kwargs,
    }
    return LLM(**values)  # type: ignore[arg-type]


def ask(llm: LLM):
    return llm.complete(MESSAGES, Tiny, max_tokens=64)


@pytest.fixture
def server():
    with FakeServer() as s:
        yield s


# ------------------------------------------------------------------ a connection dropped mid-answer

BEFORE_FIRST_TOKEN = {
    "broken chunk": Cut(completion(GOOD), events=0),
    "reset": Cut(completion(GOOD), events=0, reset=True, chunked=False),
    "stream ends": Cut(completion(GOOD), events=0, chunked=False),
}
AFTER_FIRST_TOKEN = {
    "broken chunk": Cut(completion(GOOD), events=3),
    "reset": Cut(completion(GOOD), events=3, reset=True),
    "stream ends": Cut(completion(GOOD), events=3, chunked=False),
}


@pytest.mark.parametrize("cut", BEFORE_FIRST_TOKEN.values(), ids=BEFORE_FIRST_TOKEN)
def test_a_stream_dropped_before_its_first_token_is_retried_like_a_dropped_connection(server, cut):
    server.push(cut).reply(GOOD)
    attempt = ask(make_llm(server.base_url))
    assert attempt.parsed is not None and attempt.transport_retries == 1
    assert len(server.requests) == 2


@pytest.mark.parametrize("cut", AFTER_FIRST_TOKEN.values(), ids=AFTER_FIRST_TOKEN)
def test_a_stream_dropped_mid_answer_is_a_typed_transport_error_never_the_librarys(server, cut):
    # Tokens were spent: not re-run here (as a stall is not), but typed and retryable
    # by the caller (a batch re-runs it, the service answers 503).
    server.push(cut).reply(GOOD)
    with pytest.raises(TransportError) as info:
        ask(make_llm(server.base_url))
    assert not isinstance(info.value.__cause__, httpx2.HTTPError)
    assert info.value.errors == ["dropped"] and info.value.reason == "dropped"
    assert info.value.to_dict()["retryable"] is True
    assert "after 3 streamed events" in str(info.value)
    assert len(server.requests) == 1


def test_a_stream_that_keeps_dropping_before_its_first_token_fails_after_all_attempts(server):
    server.default = Cut(completion(GOOD), events=0)
    with pytest.raises(TransportError) as info:
        ask(make_llm(server.base_url, transport_attempts=3))
    assert info.value.attempts == 3 and info.value.errors == ["dropped"]
    assert len(server.requests) == 3


def test_half_an_unstreamed_body_is_retried(server):
    server.push(Cut(completion(GOOD)), Cut(completion(GOOD), reset=True)).reply(GOOD)
    attempt = ask(make_llm(server.base_url, stream=False))
    assert attempt.parsed is not None and attempt.transport_retries == 2


# ------------------------------------------------------------------ the cap counts inflated bytes


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "unstreamed"])
def test_a_compressed_answer_is_cut_at_the_cap_on_its_inflated_size(server, encoding, stream):
    # 40 MB of JSON is ~40 KB gzipped: under a 1 MB cap on the wire, far over it inflated.
    server.default = Encoded(huge_reply(40_000_000), encoding)
    llm = make_llm(server.base_url, stream=stream, max_response_bytes=1_000_000)
    started = time.monotonic()
    with pytest.raises(TransportError) as info:
        ask(llm)
    assert time.monotonic() - started < 5.0
    assert info.value.errors == ["too_large"] and len(server.requests) == 1


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "unstreamed"])
def test_a_compressed_answer_under_the_cap_is_read(server, encoding, stream):
    server.default = Encoded(completion(GOOD), encoding)
    attempt = ask(make_llm(server.base_url, stream=stream))
    assert attempt.parsed is not None and attempt.parsed.name == "Haddad"


# ------------------------------------------------------------------ keys: URLs, echoes, logs


def test_a_key_in_the_base_url_query_is_sent_on_every_request_url(server):
    server.reply(GOOD).reply(GOOD)
    llm = make_llm(f"{server.base_url}?api-version=2024-06-01&api-key=plainsecret42")
    ask(llm)
    ask(llm)
    assert server.paths == ["/v1/chat/completions?api-version=2024-06-01&api-key=plainsecret42"] * 2


def test_no_key_of_the_base_url_reaches_the_http_logs(server, caplog):
    server.reply(GOOD)
    key = "Zq7Pp0Lm2Nn4Oo6Kk8Jj"
    llm = make_llm(f"{server.base_url}?api-key={key}#frag-{key}", api_key="plain-words-key")
    with caplog.at_level(logging.DEBUG):
        ask(llm)
        logging.getLogger("httpcore.http11").debug("header %s", "plain-words-key")
    assert "HTTP Request" in caplog.text  # httpx's INFO line is there, masked
    assert key not in caplog.text and "plain-words-key" not in caplog.text


def test_a_backend_echoing_a_configured_key_without_a_known_prefix_has_it_masked(server):
    key = "correcthorsebatterystaple"  # no sk- prefix, no digits: only its value tells
    body = {"error": {"message": f"key {key} is not valid for this project"}}
    server.default = Status(401, body=body)
    with pytest.raises(BackendConfigError) as info:
        ask(make_llm(server.base_url, api_key=key))
    assert key not in str(info.value) and "***" in str(info.value)
    assert info.value.backend_message is not None and key not in info.value.backend_message
    public = info.value.public_message()
    assert key not in public and "is not valid" not in public and server.base_url not in public


def test_a_transport_errors_public_message_holds_neither_backend_text_nor_url(server):
    server.default = Status(503, body={"error": {"message": "upstream db-7 overloaded"}})
    with pytest.raises(TransportError) as info:
        ask(make_llm(server.base_url))
    assert "overloaded" in str(info.value)  # the local user and the log see it
    record = info.value.to_dict()
    assert "overloaded" not in record["message"] and "127.0.0.1" not in record["message"]
    assert record["reason"] == "http_error" and record["errors"] == ["HTTP 503"]


# ------------------------------------------------------------------ Retry-After: clamped


def _state(value: str) -> SimpleNamespace:
    exc = SimpleNamespace(response=SimpleNamespace(headers={"retry-after": value}))
    outcome = SimpleNamespace(failed=True, exception=lambda: exc)
    return SimpleNamespace(outcome=outcome, attempt_number=1)


@pytest.mark.parametrize("value", ["0", "-1", "nan", "-inf", "inf", "1e999", "garbage", ""])
def test_a_senseless_retry_after_waits_our_own_backoff(value):
    wait = Wait(initial=1.0, maximum=60.0)
    assert 1.0 <= wait(_state(value)) <= 60.0  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "seconds"), [("0.2", 1.0), ("5", 5.0), ("86400", 60.0)])
def test_a_retry_after_is_clamped_to_the_backoff_bounds(value, seconds):
    assert Wait(initial=1.0, maximum=60.0)(_state(value)) == seconds  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["0", "-1", "nan"])
def test_retry_after_now_never_makes_every_attempt_at_once(server, value):
    server.default = Status(429, headers={"Retry-After": value})
    llm = make_llm(server.base_url, transport_attempts=6, backoff_initial=0.1, backoff_max=0.1)
    started = time.monotonic()
    with pytest.raises(TransportError):
        ask(llm)
    assert len(server.requests) == 6
    assert time.monotonic() - started >= 5 * 0.1  # five waits of at least the first backoff


def test_first_token_allowance_is_what_the_setting_says(server):
    # The first-token allowance (settings `timeout`, --first-token-timeout) bounds a
    # silent server; the stream answer below comes after 1 s.
    server.default = Reply(completion(GOOD), delay=1.0)
    llm = make_llm(server.base_url, timeout=0.3, transport_attempts=1)
    started = time.monotonic()
    with pytest.raises(TransportError) as info:
        ask(llm)
    assert time.monotonic() - started < 0.9 and info.value.errors == ["timeout"]
