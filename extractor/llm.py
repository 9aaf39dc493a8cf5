"""The one module that talks to LLM SDKs: Instructor over the openai client.

One call here is one attempt: a request, transport retries around it, and the
Instructor parse. Validation re-asks and truncation handling live one level up
(`extract.py`), so the three retry layers never multiply each other:

* transport (429/5xx/timeouts/refused connections): tenacity, exponential backoff
  with jitter, honoring Retry-After; the openai SDK's own retries are off;
* validation: the caller re-asks with the latest errors only;
* truncation: reported as `finish_reason == "length"`, never retried blindly.
"""

from __future__ import annotations

import datetime
import email.utils
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

import instructor
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel, ValidationError
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential_jitter,
)

from .errors import TransportError
from .models import Usage
from .redact import redact_text, redact_url

MODES = {
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
    "tools": instructor.Mode.TOOLS,
    "md_json": instructor.Mode.MD_JSON,
}

D = TypeVar("D", bound=BaseModel)


@dataclass(frozen=True, kw_only=True)
class Attempt(Generic[D]):
    """What one attempt produced: a parsed draft, or the raw text and why it failed."""

    parsed: D | None
    raw: str | None
    usage: Usage
    finish_reason: str | None
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    transport_retries: int = 0


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIConnectionError | openai.APITimeoutError):
        return True  # APITimeoutError is a subclass, listed for clarity
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code == 429 or exc.status_code >= 500
    return False


_LOOPBACK = ("localhost", "127.0.0.1", "::1", "[::1]")


def _refused(exc: BaseException) -> bool:
    """Whether the connection was refused (nothing listens there), from the cause chain."""
    if getattr(exc, "extractor_refused", False):
        return True
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, ConnectionRefusedError) or "connection refused" in str(seen).lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _is_loopback(url: str | None) -> bool:
    from urllib.parse import urlsplit  # noqa: PLC0415

    try:
        host = urlsplit(url or "").hostname or ""
    except ValueError:
        return False
    return host in _LOOPBACK or host.startswith("127.")


class _QuietInstructor(logging.Filter):
    """Instructor logs every failed call at ERROR with the backend's raw error body.

    The library reports failures itself, as typed errors: those records are demoted
    to DEBUG, with any URL in them redacted, before any handler sees them.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR:
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            record.msg, record.args = redact_text(record.getMessage()), None
            return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
        return True


_QUIET = _QuietInstructor()


def quiet_instructor_logs() -> None:
    """Install the filter on instructor's loggers (idempotent; done when an LLM is made)."""
    for name in ("instructor", "instructor.v2", "instructor.v2.retry", "instructor.core"):
        logger = logging.getLogger(name)
        if _QUIET not in logger.filters:
            logger.addFilter(_QUIET)


def _retry_after(exc: BaseException) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:  # an HTTP date; anything unreadable means "no hint", never a crash
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:  # "-0000" gives a naive datetime; HTTP dates are GMT
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return max(0.0, parsed.timestamp() - time.time())


class _Wait:
    """Exponential backoff with jitter, unless the server said how long to wait."""

    def __init__(self, initial: float, maximum: float) -> None:
        self.backoff = wait_exponential_jitter(multiplier=initial, max=maximum, jitter=initial)
        self.maximum = maximum

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome and state.outcome.failed else None
        hinted = _retry_after(exc) if exc else None
        if hinted is not None:
            return min(hinted, self.maximum)
        return float(self.backoff(state))


def _usage_of(completion: Any) -> Usage:
    usage = getattr(completion, "usage", None)
    if usage is None:
        return Usage()
    return Usage(
        prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
        completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
    )


def _raw_of(completion: Any) -> tuple[str | None, str | None]:
    try:
        choice = completion.choices[0]
    except (AttributeError, IndexError, TypeError):
        return None, None
    message = choice.message
    content = getattr(message, "content", None)
    if not content and getattr(message, "tool_calls", None):
        content = message.tool_calls[0].function.arguments
    return content, choice.finish_reason


def _validation_messages(exc: BaseException) -> list[str]:
    """Short, model-actionable messages; never the API's own error text."""
    if isinstance(exc, ValidationError):
        out = []
        for err in exc.errors()[:12]:
            loc = ".".join(str(p) for p in err.get("loc", ()))
            msg = str(err.get("msg", "")).removeprefix("Value error, ")
            out.append(f"{loc}: {msg}" if loc else msg)
        return out
    return [str(exc)[:500]]


def compact_grammar(response_model: type[BaseModel]) -> dict[str, Any]:
    """Request fields that make a llama.cpp server emit JSON without whitespace.

    The schema's constraints stay; llguidance's `x-guidance` switch drops the
    indentation a small model otherwise spends a third of its output tokens on.
    Only for llama.cpp servers (the embedded model): it replaces response_format.
    """
    schema = response_model.model_json_schema()
    schema["x-guidance"] = {
        "whitespace_flexible": False,
        "item_separator": ",",
        "key_separator": ":",
    }
    return {
        "grammar": "%llguidance {}\nstart: %json " + json.dumps(schema, ensure_ascii=False),
        "response_format": {"type": "text"},
    }


class LLM:
    """An OpenAI-compatible endpoint seen through Instructor."""

    def __init__(
        self,
        *,
        model: str,
        base_url: str | None,
        api_key: str | None,
        mode: str = "json_schema",
        timeout: float = 600.0,
        transport_attempts: int = 6,
        backoff_initial: float = 1.0,
        backoff_max: float = 60.0,
        transport_deadline: float = 900.0,
        http_client: Any = None,
        compact_json: bool = False,
    ) -> None:
        quiet_instructor_logs()
        self.model = model
        self.compact_json = compact_json
        self.base_url = base_url
        # Nothing listens on this machine's port: a local server that is down will not
        # come up between retries, so the first refusal is the answer.
        self._fail_fast_on_refusal = _is_loopback(base_url)
        self.mode = mode
        self.transport_attempts = transport_attempts
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.transport_deadline = transport_deadline
        raw = openai.OpenAI(
            base_url=base_url,
            api_key=api_key or "not-needed",
            max_retries=0,  # tenacity owns transport retries
            timeout=timeout,
            http_client=http_client,
        )
        self.client = instructor.from_openai(raw, mode=MODES[mode])

    def complete(
        self,
        messages: list[dict[str, str]],
        response_model: type[D],
        *,
        max_tokens: int,
        temperature: float = 0.0,
        extra_body: dict[str, Any] | None = None,
    ) -> Attempt[D]:
        """One attempt. Transport faults are retried here; everything else is returned."""
        if self.compact_json:
            extra_body = {**(extra_body or {}), **compact_grammar(response_model)}
        started = time.monotonic()
        retries = 0
        usage = Usage()
        retrying = Retrying(
            retry=retry_if_exception(
                lambda e: _is_transient(e) and not (self._fail_fast_on_refusal and _refused(e))
            ),
            wait=_Wait(self.backoff_initial, self.backoff_max),
            stop=stop_after_attempt(self.transport_attempts)
            | stop_after_delay(self.transport_deadline),
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    if attempt.retry_state.attempt_number > 1:
                        retries += 1
                    try:
                        parsed, completion = self.client.chat.completions.create_with_completion(
                            model=self.model,
                            # never mutate the caller's messages
                            messages=cast(Any, [dict(m) for m in messages]),
                            response_model=response_model,
                            max_retries=0,
                            max_tokens=max_tokens,
                            temperature=temperature,
                            extra_body=extra_body,
                        )
                    except InstructorRetryException as exc:
                        cause = exc.__cause__
                        if cause is not None and _is_transient(cause):
                            # `from None` drops the cause chain: note a refusal first.
                            cause.extractor_refused = _refused(cause)  # type: ignore[attr-defined]
                            raise cause from None
                        if isinstance(cause, openai.APIError):
                            raise cause from None
                        usage += _usage_of(exc.last_completion)
                        raw, finish = _raw_of(exc.last_completion)
                        return Attempt(
                            parsed=None,
                            raw=raw,
                            usage=usage,
                            finish_reason=finish,
                            errors=_validation_messages(cause or exc),
                            seconds=time.monotonic() - started,
                            transport_retries=retries,
                        )
        except IncompleteOutputException as exc:
            usage += _usage_of(exc.last_completion)
            raw, _ = _raw_of(exc.last_completion)
            return Attempt(
                parsed=None,
                raw=raw,
                usage=usage,
                finish_reason="length",
                errors=["output truncated"],
                seconds=time.monotonic() - started,
                transport_retries=retries,
            )
        except openai.APIError as exc:
            status = getattr(exc, "status_code", None)
            kind = f"HTTP {status}" if status else type(exc).__name__
            where = ""
            if self._fail_fast_on_refusal and _refused(exc):
                where = f": nothing listens at {redact_url(self.base_url or '')}"
            raise TransportError(
                f"backend failed after {retries + 1} tries ({kind}){where}",
                attempts=retries + 1,
                errors=[kind],
                usage=usage.model_dump(),
                status_code=status if isinstance(status, int) else None,
            ) from exc
        usage += _usage_of(completion)
        raw, finish = _raw_of(completion)
        return Attempt(
            parsed=parsed,
            raw=raw,
            usage=usage,
            finish_reason=finish,
            seconds=time.monotonic() - started,
            transport_retries=retries,
        )
