"""The error tree. Every failure a caller can see is one of these.

    ExtractorError
    ├── InputError            bad input, raised before any LLM call
    │   └── TimeBudgetError   the cue stages took over the per-input time budget
    ├── ConfigError           bad settings (unknown prompt, missing file)
    │   └── BackendConfigError    the backend refused the key, or has no such model
    ├── ModelUnavailableError the embedded model or a server cannot be reached/started
    ├── ServiceError          a request the HTTP service refuses (status code attached)
    │   ├── UnauthorizedError no or unknown API key (401)
    │   ├── NotFoundError     unknown job or document, or one of another key (404)
    │   ├── TooLargeError     request body over the limit (413)
    │   ├── ConflictError     an Idempotency-Key reused for another body (409)
    │   └── RateLimitedError  too many requests in flight, or queued, for this key (429)
    ├── OutputError           a result cannot be written (disk full, bad path, locked)
    └── ExtractionError       the LLM could not produce a valid record
        ├── TransportError    429/5xx/timeouts/connection, after all retries
        ├── TruncatedOutputError  output hit max_tokens, also after the one larger retry
        ├── ValidationFailedError output never validated, after all re-asks
        └── CallBudgetError   the input needs more LLM calls than `max_calls` allows

Errors carry what a caller needs to act: attempts, last errors, usage, raw output.
`public_message()` is what may leave the process (a service response, a job record,
a results line): our own words, never a backend's error text or its URL, which the
message itself (for the CLI user and the server log) may name.
"""

from __future__ import annotations

from typing import Any


class ExtractorError(Exception):
    """Base of every error this library raises on purpose."""

    def __init__(self, *args: object, public: str | None = None) -> None:
        super().__init__(*args)
        self.public = public

    def public_message(self) -> str:
        """The message fit for a remote client or a record: `public`, else the message."""
        return self.public if self.public is not None else str(self)


class InputError(ExtractorError):
    """The input cannot be extracted from; no LLM call was made.

    `reason` is a short machine-readable tag (empty, binary, encoding, too_long, html).
    """

    def __init__(self, message: str, *, reason: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.offset = offset


class TimeBudgetError(InputError):
    """The input took the cue stages over their time budget (`Settings.time_budget`).

    An input, not a model, failing: no real article comes near the budget, so the
    input is refused as too costly (reason `time_budget`, 422 in the service), with
    the budget (`seconds`) and the stage that was running (`stage`).
    """

    def __init__(self, message: str, *, seconds: float, stage: str) -> None:
        super().__init__(message, reason="time_budget")
        self.seconds = seconds
        self.stage = stage


class ConfigError(ExtractorError):
    """A setting is wrong (unknown prompt name, missing GGUF, bad URL)."""

    reason = "config"


class BackendConfigError(ConfigError):
    """The backend answered, but refused what it was configured with (401/403/404).

    A wrong key, an unknown model or a base URL missing its `/v1` is fixed by the
    user, not by retrying: `status_code` and the backend's own (sanitised) message
    say which.
    """

    reason = "backend_misconfigured"

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None,
        backend_message: str | None = None,
        public: str | None = None,
    ) -> None:
        super().__init__(message, public=public)
        self.status_code = status_code
        self.backend_message = backend_message


class ModelUnavailableError(ExtractorError):
    """The model cannot be served or reached at all."""

    reason = "model_unavailable"


class OutputError(ExtractorError):
    """A result cannot be written where it was asked for: nothing was reported done.

    `path` is the file concerned. Raised for an output path that is a directory or
    cannot be created, a failed or short write or fsync (a full disk), and a batch
    output that another process holds (its lock).
    """

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class ExtractionError(ExtractorError):
    """The LLM did not yield a valid record; carries the evidence of each attempt.

    `reason` is a short machine-readable tag (the class's own unless one is given).
    """

    reason = "extraction_failed"

    def __init__(
        self,
        message: str,
        *,
        attempts: int = 0,
        errors: list[str] | None = None,
        usage: dict[str, int] | None = None,
        last_output: str | None = None,
        reason: str | None = None,
        public: str | None = None,
    ) -> None:
        super().__init__(message, public=public)
        if reason is not None:
            self.reason = reason
        self.attempts = attempts
        self.errors = errors or []
        self.usage = usage or {"prompt_tokens": 0, "completion_tokens": 0}
        self.last_output = last_output

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": type(self).__name__,
            "reason": self.reason,
            "message": self.public_message(),
            "attempts": self.attempts,
            "errors": self.errors,
            "usage": self.usage,
        }


class TransportError(ExtractionError):
    """The backend kept failing (rate limits, 5xx, timeouts, refused or dropped connections).

    `status_code` is the last HTTP status, or None when no response came back. It is
    always worth retrying later (a batch re-runs it, a job may): `reason` says what
    failed (http_error, connection, dropped, timeout, stalled, deadline, too_large,
    rate_limited, encoding).
    """

    reason = "backend_failed"

    def __init__(self, message: str, *, status_code: int | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.status_code = status_code

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "status_code": self.status_code, "retryable": True}


class TruncatedOutputError(ExtractionError):
    """The model ran out of output tokens, even after one retry with a larger budget."""

    reason = "truncated"


class ValidationFailedError(ExtractionError):
    """The model's output never passed validation, after all re-asks."""

    reason = "invalid_output"


class ServiceError(ExtractorError):
    """A request the HTTP service refuses; `status` is the HTTP status it maps to once.

    `reason` is a short machine-readable tag, as on `InputError`.
    """

    status = 400

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class UnauthorizedError(ServiceError):
    """No API key, or one the service does not know."""

    status = 401


class NotFoundError(ServiceError):
    """An unknown job or document; a job of another key is unknown too (no existence leak)."""

    status = 404


class TooLargeError(ServiceError):
    """The request body is over the service's limit."""

    status = 413


class RateLimitedError(ServiceError):
    """Too many requests in flight for one key; try again after `retry_after` seconds."""

    status = 429

    def __init__(self, message: str, *, reason: str = "rate_limited", retry_after: int = 1) -> None:
        super().__init__(message, reason=reason)
        self.retry_after = retry_after


class CallBudgetError(ExtractionError):
    """The input needs more LLM calls than the per-input cap (`max_calls`) allows.

    Raised before the first call when the chunk plan alone is over the cap (then
    `attempts` is 0 and nothing was spent), or at the call that would pass it.
    `needed` is the planned number of calls, `max_calls` the cap.
    """

    reason = "call_budget"

    def __init__(self, message: str, *, max_calls: int, needed: int, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.max_calls = max_calls
        self.needed = needed

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "max_calls": self.max_calls, "needed": self.needed}


class ConflictError(ServiceError):
    """The request contradicts an earlier one, e.g. an `Idempotency-Key` reused for
    another body (409)."""

    status = 409
