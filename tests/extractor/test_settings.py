"""Specification of settings: one precedence, and a bad setting fails when it is made."""

from __future__ import annotations

import pytest

from extractor import Extractor
from extractor.errors import ConfigError
from extractor.settings import MODES, Settings


def test_explicit_beats_environment_beats_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings.resolve().model is None
    monkeypatch.setenv("EXTRACTOR_MODEL", "from-env")
    assert Settings.resolve().model == "from-env"
    assert Settings.resolve(model="explicit").model == "explicit"


def test_an_unknown_mode_is_a_config_error_at_construction() -> None:
    with pytest.raises(ConfigError, match="unknown mode 'bogus'"):
        Extractor(mode="bogus", base_url="http://127.0.0.1:9/v1")
    with pytest.raises(ConfigError, match="json_schema"):
        Settings(mode="bogus")


@pytest.mark.parametrize("mode", MODES)
def test_every_documented_mode_is_accepted(mode: str) -> None:
    assert Settings(mode=mode).mode == mode


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("max_reasks", -1),
        ("max_tokens", 0),
        ("chunk_chars", 0),
        ("timeout", 0.0),
        ("transport_attempts", 0),
        ("max_reasks", "2"),
    ],
)
def test_out_of_range_numbers_are_config_errors(field: str, value: object) -> None:
    with pytest.raises(ConfigError, match=field):
        Settings(**{field: value})  # type: ignore[arg-type]


def test_constrained_decoding_is_a_setting_on_grammar_backends_only() -> None:
    embedded = Settings()
    assert embedded.grammar_backend and embedded.constrained
    assert not Settings(constrain=False).constrained
    remote = Settings(base_url="http://127.0.0.1:9/v1")
    assert not remote.grammar_backend and not remote.constrained
    assert Settings(base_url="http://127.0.0.1:9/v1", compact_json=True).constrained


def test_the_api_key_is_not_in_repr() -> None:
    assert "sk-secret" not in repr(Settings(api_key="sk-secret"))


@pytest.mark.parametrize(
    "url",
    [
        "",
        "ftp://host/v1",
        "localhost:8080",
        "http://",
        "http://host:99999/v1",
        "http://host:abc/v1",
    ],
)
def test_a_bad_base_url_is_a_config_error_at_once(url: str) -> None:
    with pytest.raises(ConfigError, match="base URL"):
        Settings(base_url=url)


def test_a_bad_base_url_error_does_not_echo_credentials() -> None:
    with pytest.raises(ConfigError) as info:
        Settings(base_url="ftp://user:sk-secret@host/v1")
    assert "sk-secret" not in str(info.value)


def test_good_base_urls_pass() -> None:
    for url in ("http://127.0.0.1:8080/v1", "https://api.example.com/v1"):
        assert Settings(base_url=url).base_url == url


@pytest.mark.parametrize("value", [0, -1, True, "5"])
def test_max_calls_below_one_or_not_an_integer_is_a_config_error(value: object) -> None:
    with pytest.raises(ConfigError, match="max_calls"):
        Settings(max_calls=value)  # type: ignore[arg-type]


def test_the_first_token_allowance_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EXTRACTOR_FIRST_TOKEN_TIMEOUT", "30")
    assert Settings.resolve().timeout == 30.0
    assert Settings.resolve(timeout=5.0).timeout == 5.0
    monkeypatch.setenv("EXTRACTOR_FIRST_TOKEN_TIMEOUT", "soon")
    with pytest.raises(ConfigError, match="EXTRACTOR_FIRST_TOKEN_TIMEOUT"):
        Settings.resolve()
    for value in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ConfigError, match="first-token allowance"):
            Settings(timeout=value)
