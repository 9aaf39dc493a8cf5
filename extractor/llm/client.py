"""The one module that talks to LLM SDKs: Instructor over the openai client.

One call here is one attempt: a request, transport retries around it, and the
Instructor parse. Validation re-asks and truncation handling live one level up
(`strategies.calls`), so the three retry layers never multiply each other:

* transport (429/5xx/timeouts/refused or dropped connections): tenacity,
  exponential backoff with jitter, honoring a sane Retry-After (clamped to
  [backoff_initial, backoff_max]); the openai SDK's own retries are off;
* validation: the caller re-asks with the latest errors only;
* truncation: reported as `finish_reason == "length"`, never retried blindly.

Time is measured by progress, not by a fixed timeout: each request runs under the
watchdog of `streaming.py`, which cuts it only when tokens stop coming.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

import httpx2 as httpx  # the HTTP library of openai>=3 (a maintained httpx fork)
import instructor
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from instructor.processing.response import handle_response_model, process_response
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError
from tenacity import (
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
)

from ..errors import BackendConfigError, ConfigError, ModelUnavailableError, TransportError
from ..models import Usage
from .backoff import Wait, retry_after
from .redact import (
    backend_message,
    redact_http_logs,
    redact_text,
    register_secret,
    shown_url,
    split_base_url,
)
from .streaming import Dropped, Stopped, Watchdog, WatchdogHooks, gathered_completion

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


def _reason_of(status: int | None) -> str:
    """A transport failure's tag: an HTTP error, or none came back (connection, timeout)."""
    return "http_error" if status else "connection"


def _unknown_model(status: int | None, message: str | None) -> bool:
    text = (message or "").lower()
    return (
        status in (400, 404)
        and "model" in text
        and ("not found" in text or "does not exist" in text or "not exist" in text)
    )


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


def _unparsed(
    exc: InstructorRetryException, usage: Usage, started: float, retries: int
) -> Attempt[Any]:
    """An answer that did not parse, as an attempt; a transport or API fault is re-raised."""
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


def _truncated(
    exc: IncompleteOutputException, usage: Usage, started: float, retries: int
) -> Attempt[Any]:
    """An answer cut at max_tokens, as an attempt with whatever text came."""
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


class LLM:
    """An OpenAI-compatible endpoint seen through Instructor."""

    def __init__(
        self,
        *,
        model: str,
        base_url: str | None,
        api_key: str | None,
        mode: str = "json_schema",
        timeout: float = 900.0,
        stall_timeout: float = 120.0,
        stream: bool = True,
        max_response_bytes: int = 8_000_000,
        transport_attempts: int = 6,
        backoff_initial: float = 1.0,
        backoff_max: float = 60.0,
        transport_deadline: float = 900.0,
        http_client: Any = None,
        compact_json: bool = False,
    ) -> None:
        quiet_instructor_logs()
        redact_http_logs()
        register_secret(api_key)
        endpoint, query = split_base_url(base_url)
        self.model = model
        self.compact_json = compact_json
        self.base_url = base_url
        # Nothing listens on this machine's port: a local server that is down will not
        # come up between retries, so the first refusal is the answer.
        self._fail_fast_on_refusal = _is_loopback(base_url)
        self.mode = mode
        self.timeout = timeout
        self.stall_timeout = stall_timeout
        self.stream = stream
        self.max_response_bytes = max_response_bytes
        self.transport_attempts = transport_attempts
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.transport_deadline = transport_deadline
        # httpx's own read timeout is only a backstop, later than any watchdog cut:
        # the watchdog alone decides (and names) why a request stopped.
        backstop = timeout + stall_timeout + 5.0
        if http_client is None:
            # No kept-alive connections: each request connects anew, so the watchdog
            # sees its socket from the start (calls are few and long; nothing is lost).
            http_client = httpx.Client(
                timeout=httpx.Timeout(backstop, connect=min(timeout, 10.0)),
                limits=httpx.Limits(max_keepalive_connections=0),
                follow_redirects=True,
                # what the watchdog can inflate in bounded steps (streaming.py)
                headers={"Accept-Encoding": "gzip, deflate"},
            )
        self._hooks = WatchdogHooks(http_client)
        self.raw = openai.OpenAI(
            base_url=endpoint,
            default_query=query or None,
            api_key=api_key or "not-needed",
            max_retries=0,  # tenacity owns transport retries
            timeout=backstop,
            http_client=http_client,
        )
        self.client = instructor.from_openai(self.raw, mode=MODES[mode])

    def models_url(self) -> str:
        """The model list's URL (what a readiness probe asks), with the base URL's query."""
        from urllib.parse import urlencode  # noqa: PLC0415

        endpoint, query = split_base_url(self.base_url)
        url = f"{(endpoint or 'https://api.openai.com/v1').rstrip('/')}/models"
        return f"{url}?{urlencode(query)}" if query else url

    def complete(
        self,
        messages: list[dict[str, str]],
        response_model: type[D],
        *,
        max_tokens: int,
        temperature: float = 0.0,
        extra_body: dict[str, Any] | None = None,
        deadline_at: float | None = None,
        on_token: Callable[[int], None] | None = None,
        request_id: str | None = None,
    ) -> Attempt[D]:
        """One attempt. Transport faults are retried here; everything else is returned.

        `deadline_at` (a `time.monotonic()` instant) bounds this call, retries and
        waits included; `on_token(n)` is told each streamed token, for progress;
        `request_id` names the attempt for a batching backend (`llm.batches`) only."""
        if self.compact_json:
            extra_body = {**(extra_body or {}), **compact_grammar(response_model)}
        started = time.monotonic()
        window_end = min(started + self.transport_deadline, deadline_at or float("inf"))
        retries = 0
        usage = Usage()
        refusal: list[str] = []  # why a transient fault was not retried, if it was not
        try:
            for attempt in self._retrying(started, window_end, refusal):
                with attempt:
                    if attempt.retry_state.attempt_number > 1:
                        retries += 1
                    try:
                        parsed, completion = self._request(
                            messages,
                            response_model,
                            max_tokens=max_tokens,
                            temperature=temperature,
                            extra_body=extra_body,
                            deadline_at=window_end if deadline_at is not None else None,
                            on_token=on_token,
                        )
                    except InstructorRetryException as exc:
                        return _unparsed(exc, usage, started, retries)
        except IncompleteOutputException as exc:
            return _truncated(exc, usage, started, retries)
        except Stopped as exc:
            raise self._stopped(exc, retries, usage) from None
        except Dropped as exc:
            raise self._dropped(exc, retries, usage) from None
        except openai.APIError as exc:
            raise self._error(exc, retries + 1, usage, refusal) from exc
        usage += _usage_of(completion)
        raw, finish = _raw_of(completion)
        seconds = time.monotonic() - started
        return Attempt(
            parsed=parsed,
            raw=raw,
            usage=usage,
            finish_reason=finish,
            seconds=seconds,
            transport_retries=retries,
        )

    def _retrying(self, started: float, window_end: float, refusal: list[str]) -> Retrying:
        """Transport retries: backoff, a cap on attempts and on time, until `window_end`."""
        return Retrying(
            retry=retry_if_exception(lambda exc: self._retryable(exc, window_end, refusal)),
            wait=Wait(self.backoff_initial, self.backoff_max),
            stop=stop_after_attempt(self.transport_attempts)
            | stop_after_delay(max(0.0, window_end - started)),
            reraise=True,
        )

    def _retryable(self, exc: BaseException, window_end: float, refusal: list[str]) -> bool:
        """Whether a fault is worth another try; `refusal` is told why not, when it is not."""
        if isinstance(exc, Stopped):
            return exc.kind == "timeout"
        if isinstance(exc, Dropped):  # before the first token: as a dropped connection
            return exc.tokens == 0
        if not _is_transient(exc):
            return False
        refused = isinstance(exc, openai.APIConnectionError) and _refused(exc)
        if refused and self._fail_fast_on_refusal:
            refusal.append("refused")  # nothing listens here: no server will appear
            return False
        hinted = retry_after(exc)
        left = window_end - time.monotonic()
        if hinted is not None and hinted > left:
            refusal.append(f"rate limited for {hinted:.0f} s, more than the {left:.0f} s left")
            return False
        return True

    def _request(
        self,
        messages: list[dict[str, str]],
        response_model: type[D],
        *,
        max_tokens: int,
        temperature: float,
        extra_body: dict[str, Any] | None,
        deadline_at: float | None,
        on_token: Callable[[int], None] | None,
    ) -> tuple[D, Any]:
        """One HTTP request under a watchdog; a watchdog cut is `Stopped`, never retried."""
        watchdog = Watchdog(
            first_token=self.timeout if self.stream else self.timeout + self.stall_timeout,
            stall=self.stall_timeout,
            deadline_at=deadline_at,
            max_bytes=self.max_response_bytes,
        )
        with self._hooks.watching(watchdog):
            if not self.stream:
                watchdog.progress()  # nothing streams: only deadline and size apply
                watchdog.stall = float("inf")
                return self.client.chat.completions.create_with_completion(
                    model=self.model,
                    # never mutate the caller's messages
                    messages=cast(Any, [dict(m) for m in messages]),
                    response_model=response_model,
                    max_retries=0,
                    max_tokens=max_tokens,
                    temperature=temperature,
                    extra_body=extra_body,
                )
            return self._streamed(
                messages,
                response_model,
                max_tokens=max_tokens,
                temperature=temperature,
                extra_body=extra_body,
                watchdog=watchdog,
                on_token=on_token,
            )

    def _streamed(
        self,
        messages: list[dict[str, str]],
        response_model: type[D],
        *,
        max_tokens: int,
        temperature: float,
        extra_body: dict[str, Any] | None,
        watchdog: Watchdog,
        on_token: Callable[[int], None] | None,
    ) -> tuple[D, Any]:
        """Stream the answer (progress is visible), then parse it as Instructor would."""
        instructor_mode = MODES[self.mode]
        prepared, kwargs = handle_response_model(
            response_model,
            mode=instructor_mode,
            model=self.model,
            messages=[dict(m) for m in messages],
            max_tokens=max_tokens,
            temperature=temperature,
        )
        stream = self.raw.chat.completions.create(
            **kwargs,
            stream=True,
            stream_options={"include_usage": True},
            extra_body=extra_body,
        )
        completion = ChatCompletion.model_validate(
            gathered_completion(stream, self.model, watchdog, on_token)
        )
        try:
            parsed = process_response(
                completion, response_model=prepared, stream=False, mode=instructor_mode
            )
        except IncompleteOutputException:
            raise
        except (ValidationError, ValueError, TypeError) as exc:
            # What Instructor raises for an unparsable answer when its retries are off.
            raise InstructorRetryException(
                str(exc),
                last_completion=completion,
                n_attempts=1,
                total_usage=0,
                messages=messages,
                create_kwargs={},
            ) from exc
        return cast(D, parsed), completion

    def _stopped(self, exc: Stopped, retries: int, usage: Usage) -> TransportError:
        """A watchdog cut, as the transport error it is (with the tries it took)."""
        tries = f" (after {retries + 1} tries)" if retries else ""
        return TransportError(
            f"backend at {shown_url(self.base_url)}: {exc}{tries}",
            attempts=retries + 1,
            errors=[exc.kind],
            usage=usage.model_dump(),
            reason=exc.kind,
            public=f"the model backend was cut off: {exc}{tries}",
        )

    def _dropped(self, exc: Dropped, retries: int, usage: Usage) -> TransportError:
        """A connection broken mid-answer: a typed transport failure, never the library's."""
        where = f"after {exc.tokens} streamed events" if exc.tokens else "before the first token"
        tries = f" (after {retries + 1} tries)" if retries else ""
        return TransportError(
            f"backend at {shown_url(self.base_url)} dropped the connection {where} "
            f"({redact_text(str(exc))[:200]}){tries}",
            attempts=retries + 1,
            errors=["dropped"],
            usage=usage.model_dump(),
            reason="dropped",
            public=f"the model backend dropped the connection {where}{tries}",
        )

    def _error(
        self, exc: openai.APIError, tries: int, usage: Usage, refusal: list[str]
    ) -> ConfigError | TransportError | ModelUnavailableError:
        """The one place a backend failure becomes a typed error with a useful message."""
        status = getattr(exc, "status_code", None)
        status = status if isinstance(status, int) else None
        where = shown_url(self.base_url)
        said = backend_message(exc)
        kind = f"HTTP {status}" if status else type(exc).__name__
        detail = f"{kind}: {said}" if said else kind
        if status in (401, 403):
            return BackendConfigError(
                f"the backend at {where} refused the request ({detail}); "
                "check the API key (EXTRACTOR_API_KEY or OPENAI_API_KEY)",
                status_code=status,
                backend_message=said,
                public=f"the model backend refused this configuration's key (HTTP {status})",
            )
        if status == 404 or _unknown_model(status, said):
            return BackendConfigError(
                f"the backend at {where} does not serve model {self.model!r} here ({detail}); "
                "check --model, and --base-url (it usually ends in /v1)",
                status_code=status,
                backend_message=said,
                public=f"the model backend does not serve the configured model ({kind})",
            )
        if "refused" in refusal:
            return ModelUnavailableError(
                f"nothing answers at {where} (connection refused)",
                public="nothing answers at the model backend (connection refused)",
            )
        limited = next((r for r in refusal if r.startswith("rate limited")), None)
        message = (
            f"backend at {where} {limited}"
            if limited
            else f"backend failed after {tries} tries ({detail})"
        )
        return TransportError(
            message,
            attempts=tries,
            errors=[kind],
            usage=usage.model_dump(),
            status_code=status,
            reason="rate_limited" if limited or status == 429 else _reason_of(status),
            public=f"the model backend {limited}"
            if limited
            else f"the model backend failed after {tries} tries ({kind})",
        )
