"""extractor: typed, grounded records (actors, claims, meetings) from news articles.

    from extractor import extract_article
    article = extract_article(text)          # embedded local model, no API key

The one-call functions wrap a shared `Extractor`; build your own to choose the
backend (OpenAI, any OpenAI-compatible `base_url`, a GGUF), prompt and cache.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypedDict, Unpack

from .errors import (
    BackendConfigError,
    CallBudgetError,
    ConfigError,
    ConflictError,
    ExtractionError,
    ExtractorError,
    InputError,
    ModelUnavailableError,
    NotFoundError,
    OutputError,
    RateLimitedError,
    ServiceError,
    TimeBudgetError,
    TooLargeError,
    TransportError,
    TruncatedOutputError,
    UnauthorizedError,
    ValidationFailedError,
)
from .extract import Extractor, Published
from .models import (
    Actor,
    Article,
    ArticleError,
    Claim,
    Document,
    ExtractionMeta,
    Meeting,
    Rejected,
    Usage,
)
from .settings import Settings
from .strategies.calls import Progress
from .text.inputs import html_to_text


def __getattr__(name: str) -> str:
    """`extractor.__version__`, looked up on first use (import stays cheap)."""
    if name == "__version__":
        from .version import package_version  # noqa: PLC0415

        return package_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Actor",
    "Article",
    "ArticleError",
    "BackendConfigError",
    "CallBudgetError",
    "Claim",
    "ConfigError",
    "ConflictError",
    "Document",
    "ExtractionError",
    "ExtractionMeta",
    "Extractor",
    "ExtractorError",
    "InputError",
    "Meeting",
    "ModelUnavailableError",
    "NotFoundError",
    "OutputError",
    "Progress",
    "RateLimitedError",
    "Rejected",
    "ServiceError",
    "Settings",
    "TimeBudgetError",
    "TooLargeError",
    "TransportError",
    "TruncatedOutputError",
    "UnauthorizedError",
    "Usage",
    "ValidationFailedError",
    "aextract_article",
    "aextract_articles",
    "extract_article",
    "extract_articles",
    "html_to_text",
]


class ExtractOptions(TypedDict, total=False):
    """The keyword settings of the one-call functions: `Settings` fields, each optional.

    Typed so that a checker catches a misspelt or mistyped option at the call
    (`extract_article(text, max_reask=1)`) instead of a `TypeError` at run time.
    One left out comes from the environment, then the default (`Settings.resolve`).
    """

    model: str | None
    strategy: str
    base_url: str | None
    api_key: str | None
    mode: str
    prompt: str
    max_reasks: int
    max_tokens: int
    temperature: float
    timeout: float
    stall_timeout: float
    deadline: float | None
    time_budget: float | None
    stream: bool
    max_response_bytes: int
    transport_attempts: int
    use_cache: bool
    cache_dir: Path | str | None  # a str is expanded (`~`) into a Path
    gguf: Path | str | None
    n_ctx: int
    max_chars: int
    chunk_chars: int
    max_calls: int | None
    repeat_penalty: float | None
    compact_json: bool | None
    constrain: bool | None
    rules_off: tuple[str, ...]
    http_client: Any  # an httpx client to send requests through (tests, proxies)


def _extractor(options: ExtractOptions) -> Extractor:
    """A fresh Extractor per call, as `httpx.get` makes a fresh Client: no global state.

    The expensive parts are shared anyway: the embedded model server is started
    once per process, and the disk cache lives on disk.
    """
    chosen: dict[str, Any] = {k: v for k, v in options.items() if v is not None}
    return Extractor(**chosen)


def extract_articles(
    text: str | bytes, *, published: Published = None, **options: Unpack[ExtractOptions]
) -> list[Article]:
    """Every article in `text`, main first; options are `Settings` fields (model, base_url…)."""
    with _extractor(options) as ex:
        return ex.extract_articles(text, published=published)


def extract_article(
    text: str | bytes, *, published: Published = None, **options: Unpack[ExtractOptions]
) -> Article:
    """The main article of `text` as a validated, grounded `Article` (appended items skipped)."""
    with _extractor(options) as ex:
        return ex.extract_article(text, published=published)


async def aextract_articles(
    text: str | bytes, *, published: Published = None, **options: Unpack[ExtractOptions]
) -> list[Article]:
    with _extractor(options) as ex:
        return await ex.aextract_articles(text, published=published)


async def aextract_article(
    text: str | bytes, *, published: Published = None, **options: Unpack[ExtractOptions]
) -> Article:
    with _extractor(options) as ex:
        return await ex.aextract_article(text, published=published)
