"""Specification of the public surface: `__all__` is deliberate and the error tree is as drawn."""

from __future__ import annotations

import asyncio
import dataclasses
import importlib
import inspect
import typing
from pathlib import Path

import pytest

import extractor
from extractor import errors

# The documented public names (README "Python" section and extractor/__init__.py).
DOCUMENTED = sorted(
    [
        "Actor",
        "Article",
        "ArticleError",
        "BackendConfigError",
        "CallBudgetError",
        "Claim",
        "ConfigError",
        "Document",
        "ExtractionError",
        "ExtractionMeta",
        "Extractor",
        "ExtractorError",
        "InputError",
        "Meeting",
        "ModelUnavailableError",
        "OutputError",
        "Progress",
        "Rejected",
        "Settings",
        "TimeBudgetError",
        "TransportError",
        "TruncatedOutputError",
        "Usage",
        "ValidationFailedError",
        "aextract_article",
        "aextract_articles",
        "extract_article",
        "extract_articles",
        "html_to_text",
        "NotFoundError",
        "RateLimitedError",
        "ServiceError",
        "TooLargeError",
        "UnauthorizedError",
        "ConflictError",
    ]
)

# The tree drawn in the extractor/errors.py docstring: child -> parent.
TREE = {
    "InputError": "ExtractorError",
    "ConfigError": "ExtractorError",
    "BackendConfigError": "ConfigError",
    "ModelUnavailableError": "ExtractorError",
    "ExtractionError": "ExtractorError",
    "TransportError": "ExtractionError",
    "TruncatedOutputError": "ExtractionError",
    "ValidationFailedError": "ExtractionError",
    "ServiceError": "ExtractorError",
    "UnauthorizedError": "ServiceError",
    "NotFoundError": "ServiceError",
    "TooLargeError": "ServiceError",
    "ConflictError": "ServiceError",
    "RateLimitedError": "ServiceError",
    "CallBudgetError": "ExtractionError",
    "OutputError": "ExtractorError",
    "TimeBudgetError": "InputError",
}


def test_all_is_exactly_the_documented_list() -> None:
    assert sorted(extractor.__all__) == DOCUMENTED


def test_all_is_kept_sorted_and_without_duplicates() -> None:
    assert extractor.__all__ == sorted(set(extractor.__all__))


@pytest.mark.parametrize("name", DOCUMENTED)
def test_every_public_name_is_importable(name: str) -> None:
    module = importlib.import_module("extractor")
    assert getattr(module, name) is not None
    namespace: dict[str, object] = {}
    exec(f"from extractor import {name}", namespace)
    assert namespace[name] is getattr(extractor, name)


def test_star_import_gives_exactly_the_public_names() -> None:
    namespace: dict[str, object] = {}
    exec("from extractor import *", namespace)
    assert sorted(k for k in namespace if k != "__builtins__") == DOCUMENTED


def test_async_twins_are_coroutine_functions() -> None:
    assert inspect.iscoroutinefunction(extractor.aextract_article)
    assert inspect.iscoroutinefunction(extractor.aextract_articles)
    assert not inspect.iscoroutinefunction(extractor.extract_article)


@pytest.mark.parametrize(("child", "parent"), sorted(TREE.items()))
def test_error_tree_is_as_drawn(child: str, parent: str) -> None:
    cls = getattr(errors, child)
    assert cls.__bases__ == (getattr(errors, parent),)
    assert issubclass(cls, extractor.ExtractorError)
    assert getattr(extractor, child) is cls


def test_error_tree_is_complete() -> None:
    defined = {
        name
        for name, obj in vars(errors).items()
        if inspect.isclass(obj) and issubclass(obj, Exception) and obj.__module__ == errors.__name__
    }
    assert defined == set(TREE) | {"ExtractorError"}
    assert errors.ExtractorError.__bases__ == (Exception,)


def test_every_error_is_public() -> None:
    for name in [*TREE, "ExtractorError"]:
        assert name in extractor.__all__


def test_the_docstring_draws_every_error() -> None:
    doc = errors.__doc__ or ""
    for name in [*TREE, "ExtractorError"]:
        assert name in doc


def test_input_error_carries_reason_and_offset() -> None:
    err = extractor.InputError("bad byte", reason="encoding", offset=7)
    assert (err.reason, err.offset, str(err)) == ("encoding", 7, "bad byte")


def test_extraction_errors_carry_attempts_errors_usage_and_last_output() -> None:
    err = extractor.ValidationFailedError(
        "no valid record",
        attempts=3,
        errors=["e1", "e2"],
        usage={"prompt_tokens": 5, "completion_tokens": 2},
        last_output="{",
    )
    assert err.attempts == 3 and err.errors == ["e1", "e2"] and err.last_output == "{"
    assert err.to_dict() == {
        "type": "ValidationFailedError",
        "reason": "invalid_output",
        "message": "no valid record",
        "attempts": 3,
        "errors": ["e1", "e2"],
        "usage": {"prompt_tokens": 5, "completion_tokens": 2},
    }


def test_extraction_error_defaults() -> None:
    err = extractor.TransportError("down")
    assert err.attempts == 0 and err.errors == [] and err.last_output is None
    assert err.usage == {"prompt_tokens": 0, "completion_tokens": 0}


def test_options_are_typed_as_the_settings_fields() -> None:
    """`**options` is `Unpack[ExtractOptions]`: every Settings field, with its type, optional."""
    hints = typing.get_type_hints(extractor.ExtractOptions)
    settings = typing.get_type_hints(extractor.Settings)
    fields = {f.name for f in dataclasses.fields(extractor.Settings)}
    assert set(hints) == fields | {"http_client"}
    assert not extractor.ExtractOptions.__required_keys__
    for name in fields - {"cache_dir", "gguf"}:
        assert hints[name] == settings[name], name
    for name in ("cache_dir", "gguf"):  # a str is taken too, and expanded into a Path
        assert hints[name] == Path | str | None
    for function in (
        extractor.extract_article,
        extractor.extract_articles,
        extractor.aextract_article,
        extractor.aextract_articles,
    ):
        options = inspect.signature(function).parameters["options"]
        assert options.kind is inspect.Parameter.VAR_KEYWORD
        assert options.annotation == "Unpack[ExtractOptions]"


def test_a_typed_call_works() -> None:
    options: extractor.ExtractOptions = {"strategy": "rules", "use_cache": False}
    text = 'Karim Haddad said "the talks will resume".'
    article = extractor.extract_article(text, published="2023-10-09", **options)
    assert article.meta.strategy == "rules"
    assert [c.speakers for c in article.claims] == [["karim-haddad"]]
    again = asyncio.run(extractor.aextract_articles(text, strategy="rules", use_cache=False))
    assert [a.claims for a in again] == [article.claims]


def test_version_is_the_installed_distributions() -> None:
    from extractor.version import package_version

    assert extractor.__version__ == package_version()
    with pytest.raises(AttributeError):
        _ = extractor.__no_such_name__


def test_published_may_be_a_date_or_a_datetime() -> None:
    import datetime

    text = "The minister said the talks would resume on Monday."
    for value in (datetime.date(2024, 5, 1), datetime.datetime(2024, 5, 1, 23, 59), "2024-05-01"):
        article = extractor.extract_article(
            text, published=value, strategy="rules", use_cache=False
        )
        assert article.published == "2024-05-01"
    with pytest.raises(errors.InputError, match="published must be a real date") as info:
        extractor.extract_article(text, published="2024-02-30", strategy="rules")
    assert info.value.reason == "published"
