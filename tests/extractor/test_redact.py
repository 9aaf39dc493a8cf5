"""Specification of credential redaction: a key in a URL reaches the server and nothing else."""

from __future__ import annotations

import pytest

from extractor.llm.redact import redact_text, redact_url, register_secret


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://user:sk-KEY@host:8443/v1", "https://***@host:8443/v1"),
        ("http://sk-KEY@host/v1", "http://***@host/v1"),
        ("http://h/v1?api-key=sk-KEY&api-version=2024", "http://h/v1?api-key=***&api-version=2024"),
        ("http://h/v1?access_token=sk-KEY", "http://h/v1?access_token=***"),
        ("http://h/v1?my_api_key=sk-KEY", "http://h/v1?my_api_key=***"),
        ("http://u:sk-KEY@[::1]:8080/v1", "http://***@[::1]:8080/v1"),
    ],
)
def test_credentials_in_a_url_are_masked(url: str, expected: str) -> None:
    assert redact_url(url) == expected


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/v1", "https://api.example.com/v1?x=1&y=", "http://h/v1?"]
)
def test_a_url_without_credentials_is_returned_exactly(url: str) -> None:
    assert redact_url(url) == url


def test_a_url_that_does_not_parse_is_masked_conservatively() -> None:
    out = redact_url("http://u:sk-KEY@h:99999/v1?token=sk-TOK")
    assert "sk-KEY" not in out and "sk-TOK" not in out


def test_every_url_in_free_text_is_redacted() -> None:
    text = "failed at https://a:sk-KEY@x.com/v1?key=sk-2 and http://ok/v1 (boom)"
    out = redact_text(text)
    assert out == "failed at https://***@x.com/v1?key=*** and http://ok/v1 (boom)"


# Round two (issue 29): keys in the path, the fragment, under any query name, and
# configured keys that look like nothing in particular.
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://h/key/" + "sk-" + "proj-abcdef123456/v1", "http://h/key/***/v1"),
        ("http://h/a1B2c3D4e5F6g7H8i9J0k1/v1", "http://h/***/v1"),
        ("http://h/v1#" + "sk-" + "abcdefghijkl1234", "http://h/v1#***"),
        ("http://h/v1#token=abc&x=1", "http://h/v1#token=***&x=1"),
        ("http://h/v1?q=Zq7Pp0Lm2Nn4Oo6Kk8Jj&model=gpt-4o", "http://h/v1?q=***&model=gpt-4o"),
    ],
)
def test_keys_anywhere_in_a_url_are_masked(url: str, expected: str) -> None:
    assert redact_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "http://h/openai/deployments/gpt-4o-mini-2024-07-18/v1?api-version=2024-06-01",
        "http://h/v1/models/qwen2.5-coder-1.5b-instruct-q4_k_m",
        "http://h/docs#section-two",
    ],
)
def test_model_names_versions_and_plain_fragments_are_not_keys(url: str) -> None:
    assert redact_url(url) == url


def test_a_configured_key_is_masked_wherever_it_appears() -> None:
    register_secret("correcthorsebatterystaple")
    url = "http://h/v1?whatever=correcthorsebatterystaple"
    assert redact_url(url) == "http://h/v1?whatever=***"
    assert redact_text("echo: correcthorsebatterystaple!") == "echo: ***!"
