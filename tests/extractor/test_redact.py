"""Specification of credential redaction: a key in a URL reaches the server and nothing else."""

from __future__ import annotations

import pytest

from extractor.llm.redact import redact_text, redact_url


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
