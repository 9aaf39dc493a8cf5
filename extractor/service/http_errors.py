"""The one mapping of the error tree to HTTP, and the error responses the schema documents.

422 bad input, 401 no key, 404 unknown job, 409 an Idempotency-Key reused for another
body, 413 body too large, 429 too many in flight or queued (with Retry-After), 502 the
model's output never validated, 503 backend or store unavailable (a full disk under the
job store included). No response carries a stack trace or a backend's own error text.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import (
    BackendConfigError,
    ConfigError,
    ExtractionError,
    ExtractorError,
    InputError,
    ModelUnavailableError,
    RateLimitedError,
    ServiceError,
    TransportError,
    UnauthorizedError,
)
from .schemas import ErrorBody

_STATUS_OF: tuple[tuple[type[ExtractorError], int], ...] = (
    (InputError, 422),
    (BackendConfigError, 503),
    (ConfigError, 422),
    (ModelUnavailableError, 503),
    (TransportError, 503),
    (ExtractionError, 502),
)


def _error_body(exc: BaseException) -> tuple[int, dict[str, Any], dict[str, str]]:
    """(status, body, headers) of an error: the one mapping of the error tree to HTTP."""
    headers: dict[str, str] = {}
    if isinstance(exc, ServiceError):
        status, reason, message = exc.status, exc.reason, str(exc)
        if isinstance(exc, RateLimitedError):
            headers["Retry-After"] = str(exc.retry_after)
        if isinstance(exc, UnauthorizedError):
            headers["WWW-Authenticate"] = "Bearer"
    elif isinstance(exc, InputError):
        status, reason, message = 422, exc.reason, str(exc)
    elif isinstance(exc, BackendConfigError):
        # The service's own backend settings are wrong (key, model): not the caller's
        # fault, and the backend's words stay in the server's log.
        code = f" (HTTP {exc.status_code})" if exc.status_code else ""
        status, reason = 503, "backend_misconfigured"
        message = f"the model backend refused this service's configuration{code}"
    elif isinstance(exc, ConfigError):
        status, reason, message = 422, "config", str(exc)
    elif isinstance(exc, ModelUnavailableError):
        status, reason, message = 503, "model_unavailable", "the model backend is unavailable"
        headers["Retry-After"] = "30"
    elif isinstance(exc, TransportError):
        # the backend's own text stays in the server: only what kind of failure it was
        status, reason = 503, "backend_unavailable"
        code = f", last HTTP {exc.status_code}" if exc.status_code else ""
        message = f"the model backend failed after {exc.attempts} tries{code}"
        headers["Retry-After"] = "5"
    elif isinstance(exc, ExtractionError):
        status, reason = 502, "extraction_failed"
        message = f"the model gave no valid record after {exc.attempts} attempt(s)"
    elif isinstance(exc, SQLAlchemyError):
        # a full disk or a database gone: the service's trouble, over when the store is back
        status, reason = 503, "store_unavailable"
        message = "the job store cannot be read or written now (full or unreachable)"
        headers["Retry-After"] = "30"
    else:
        status, reason, message = 500, "internal", "internal error"
    body = {"error": {"type": type(exc).__name__, "reason": reason, "message": message[:500]}}
    return status, body, headers


def error_response(exc: BaseException) -> JSONResponse:
    status, body, headers = _error_body(exc)
    return JSONResponse(body, status_code=status, headers=headers)


def validation_message(errors: list[Any]) -> str:
    """The first problems of a request as `field: message` (never the submitted values)."""
    parts = []
    for error in errors[:3]:
        loc = ".".join(str(x) for x in error.get("loc", ()) if x != "body") or "body"
        parts.append(f"{loc}: {error.get('msg', 'invalid')}")
    more = f" (+{len(errors) - 3} more)" if len(errors) > 3 else ""
    return "; ".join(parts) + more


def request_error(errors: list[Any]) -> JSONResponse:
    body = {
        "error": {
            "type": "RequestValidationError",
            "reason": "invalid_request",
            "message": validation_message(errors)[:500],
        }
    }
    return JSONResponse(body, status_code=422)


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in (
        (401, "no API key, or an unknown one"),
        (413, "request body over the limit"),
        (422, "bad input: `reason` says what (empty, html, too_long, invalid_request…)"),
        (429, "too many requests in flight for this key; see Retry-After"),
        (503, "the model backend or the job store is unavailable"),
    )
}
# Routes whose own body is not JSON (HTML, JSONL) still answer errors as JSON: say so.
ERRORS_AS_JSON: dict[int | str, dict[str, Any]] = {
    code: {
        "description": value["description"],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
    }
    for code, value in [*ERRORS.items(), (404, {"description": "unknown job (or another key's)"})]
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "unknown job (or another key's)"}
}
BAD_OUTPUT: dict[int | str, dict[str, Any]] = {
    502: {"model": ErrorBody, "description": "the model's output never validated"}
}


async def on_error(_: Request, exc: Exception) -> Response:
    return error_response(exc)


async def on_request_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return request_error(list(exc.errors()))


async def on_http_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if isinstance(exc.__cause__, ExtractorError):  # FastAPI reading the body met the limit
        return error_response(exc.__cause__)
    if exc.status_code == 400:  # a body FastAPI could not even parse is bad input: 422
        return request_error([{"loc": ("body",), "msg": "the body is not valid JSON"}])
    reason = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http")
    body = {"error": {"type": "HTTPError", "reason": reason, "message": str(exc.detail)}}
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


def add_error_handlers(app: FastAPI) -> None:
    """Errors the routes raise answer as `{error: …}`; anything else: `guard.Guard`."""
    app.add_exception_handler(ExtractorError, on_error)
    app.add_exception_handler(SQLAlchemyError, on_error)
    app.add_exception_handler(RequestValidationError, on_request_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
