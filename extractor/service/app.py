"""The extraction service: FastAPI over the library, jobs in the job store.

    app = create_app(ServiceConfig(extractor=Settings.resolve(strategy="rules")))

Routes stay thin: parse (the bodies are `schemas.py` models around the records),
call the library or the store, and let the error tree map to HTTP once
(`_error_response`): 422 bad input, 401 no key, 404 unknown job, 413 body too large,
429 too many in flight (with Retry-After), 502 the model's output never validated,
503 backend or store unavailable. No response carries a stack trace or a backend's
own error text, and no log line carries article text (ids, sizes and timings only).

Keys: bearer tokens, kept only as SHA-256 digests and compared in constant time;
a job belongs to the digest of the key that made it, and another key sees a 404.
Jobs run in a `Worker` inside this process; the store is the truth, so a restarted
(or second) replica picks up where the first left off.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import os
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import (
    BackendConfigError,
    ConfigError,
    ExtractionError,
    ExtractorError,
    InputError,
    ModelUnavailableError,
    RateLimitedError,
    ServiceError,
    TooLargeError,
    TransportError,
    UnauthorizedError,
)
from ..extract import Extractor
from ..llm.runtime import cache_dir
from ..models import Article, is_date
from ..settings import Settings
from ..text.inputs import check_text
from ..view import render_page
from .jobs import Claimed, JobStore, NewDocument, default_url
from .schemas import (
    ErrorBody,
    ExtractRequest,
    ExtractResponse,
    Health,
    JobCreated,
    JobDocument,
    JobRequest,
    JobStatus,
    StrategyName,
)
from .worker import Worker

log = logging.getLogger("extractor.service")

NDJSON = "application/x-ndjson"
ANONYMOUS = "local"  # the owner of every job when no keys are configured (loopback only)


# ---------------------------------------------------------------------- configuration
def key_digest(key: str) -> str:
    return hashlib.sha256(key.strip().encode("utf-8")).hexdigest()


def load_keys(env_value: str | None = None, keys_file: Path | None = None) -> tuple[str, ...]:
    """API keys as SHA-256 digests, from a comma-separated value and/or a keys file.

    A keys file has one key per line, or `sha256:HEX` for a key kept only as its digest
    (so the file need not hold secrets); blank lines and `#` comments are skipped.
    """
    digests: list[str] = []
    for raw in (env_value or "").split(","):
        if raw.strip():
            digests.append(key_digest(raw))
    if keys_file is not None:
        try:
            lines = Path(keys_file).read_text(encoding="utf-8").splitlines()
        except OSError:
            raise ConfigError(f"API keys file not readable: {keys_file}") from None
        for number, line in enumerate(lines, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("sha256:"):
                digest = line.removeprefix("sha256:").strip().lower()
                if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
                    raise ConfigError(f"{keys_file}:{number}: sha256: needs 64 hex digits")
                digests.append(digest)
            else:
                digests.append(key_digest(line))
    return tuple(dict.fromkeys(digests))


def is_loopback_host(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, keys: tuple[str, ...]) -> None:
    """With no API keys, only loopback: an open service must not be reachable by others."""
    if not keys and not is_loopback_host(host):
        raise ConfigError(
            f"refusing to bind {host} without API keys: set EXTRACTOR_API_KEYS or "
            "--api-keys-file, or bind 127.0.0.1"
        )


@dataclass(frozen=True)
class ServiceConfig:
    """Everything the service needs, fixed when it starts (explicit > environment > default)."""

    extractor: Settings = field(default_factory=Settings)
    database_url: str | None = None
    api_keys: tuple[str, ...] = ()  # SHA-256 digests, never keys
    cors_origins: tuple[str, ...] = ()
    max_body_bytes: int = 32 * 1024 * 1024
    max_inflight_per_key: int = 8
    max_documents: int = 100_000
    worker_threads: int = 2
    lease_s: float = 30.0
    poll_s: float = 0.5
    run_worker: bool = True

    def __post_init__(self) -> None:
        for name in ("max_body_bytes", "max_inflight_per_key", "max_documents", "worker_threads"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1")
        if self.lease_s <= 0 or self.poll_s <= 0:
            raise ConfigError("lease_s and poll_s must be positive")

    @classmethod
    def resolve(
        cls,
        extractor: Settings,
        *,
        database_url: str | None = None,
        api_keys_file: Path | None = None,
        cors_origins: tuple[str, ...] = (),
        **options: Any,
    ) -> ServiceConfig:
        env_file = os.environ.get("EXTRACTOR_API_KEYS_FILE")
        keys = load_keys(
            os.environ.get("EXTRACTOR_API_KEYS"),
            api_keys_file or (Path(env_file) if env_file else None),
        )
        origins = cors_origins or tuple(
            o.strip() for o in os.environ.get("EXTRACTOR_CORS_ORIGINS", "").split(",") if o.strip()
        )
        return cls(
            extractor=extractor,
            database_url=database_url or os.environ.get("EXTRACTOR_DATABASE_URL") or None,
            api_keys=keys,
            cors_origins=origins,
            **{k: v for k, v in options.items() if v is not None},
        )

    def store_url(self) -> str:
        return self.database_url or default_url(cache_dir())


# ---------------------------------------------------------------------- metrics
class Metrics:
    """Prometheus metrics on a registry of this app's own (two apps never share counters)."""

    def __init__(self, queue_depth: Callable[[], float]) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "extractor_requests", "HTTP requests", ["method", "route", "status"], registry=r
        )
        self.latency = Histogram(
            "extractor_request_seconds",
            "HTTP request latency",
            ["route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
            registry=r,
        )
        self.tokens = Counter("extractor_tokens", "LLM tokens", ["kind"], registry=r)
        self.llm_calls = Counter("extractor_llm_calls", "LLM calls made", registry=r)
        self.cache_hits = Counter(
            "extractor_cache_hits", "completions served from cache", registry=r
        )
        self.documents = Counter(
            "extractor_documents", "extractions finished", ["source", "outcome"], registry=r
        )
        self.failures = Counter(
            "extractor_failures", "failures by error type", ["type"], registry=r
        )
        self.queue = Gauge("extractor_queue_depth", "documents queued in the store", registry=r)
        self.queue.set_function(queue_depth)

    def articles(self, articles: list[Article]) -> None:
        for meta in (a.meta for a in articles if a.meta is not None):
            self.tokens.labels("prompt").inc(meta.usage.prompt_tokens)
            self.tokens.labels("completion").inc(meta.usage.completion_tokens)
            self.llm_calls.inc(meta.llm_calls)
            self.cache_hits.inc(meta.cache_hits)


# ---------------------------------------------------------------------- per-key limits
class InflightLimiter:
    """At most `limit` requests in flight per key; the next one is told to retry (429)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    @contextmanager
    def slot(self, owner: str) -> Iterator[None]:
        with self._lock:
            if self._counts.get(owner, 0) >= self.limit:
                raise RateLimitedError(
                    f"more than {self.limit} requests in flight for this key", retry_after=1
                )
            self._counts[owner] = self._counts.get(owner, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                self._counts[owner] -= 1


# ---------------------------------------------------------------------- errors → HTTP
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
    else:
        status, reason, message = 500, "internal", "internal error"
    body = {"error": {"type": type(exc).__name__, "reason": reason, "message": message[:500]}}
    return status, body, headers


def _error_response(exc: BaseException) -> JSONResponse:
    status, body, headers = _error_body(exc)
    return JSONResponse(body, status_code=status, headers=headers)


def _validation_message(errors: list[Any]) -> str:
    """The first problems of a request as `field: message` (never the submitted values)."""
    parts = []
    for error in errors[:3]:
        loc = ".".join(str(x) for x in error.get("loc", ()) if x != "body") or "body"
        parts.append(f"{loc}: {error.get('msg', 'invalid')}")
    more = f" (+{len(errors) - 3} more)" if len(errors) > 3 else ""
    return "; ".join(parts) + more


def _request_error(errors: list[Any]) -> JSONResponse:
    body = {
        "error": {
            "type": "RequestValidationError",
            "reason": "invalid_request",
            "message": _validation_message(errors)[:500],
        }
    }
    return JSONResponse(body, status_code=422)


_ERRORS: dict[int | str, dict[str, Any]] = {
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
_ERRORS_AS_JSON: dict[int | str, dict[str, Any]] = {
    code: {
        "description": value["description"],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
    }
    for code, value in [*_ERRORS.items(), (404, {"description": "unknown job (or another key's)"})]
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "unknown job (or another key's)"}
}
_BAD_OUTPUT: dict[int | str, dict[str, Any]] = {
    502: {"model": ErrorBody, "description": "the model's output never validated"}
}


# ---------------------------------------------------------------------- ASGI middleware
class _Guard:
    """Outermost layer: body-size limit (413), security headers, request metrics.

    The body is counted as it arrives, so a chunked upload without Content-Length
    is cut off at the limit too. Routes are labelled by their template (`/v1/jobs/{job_id}`),
    never by ids, to keep metric cardinality bounded.
    """

    def __init__(self, app: ASGIApp, *, limit: int, metrics: Metrics) -> None:
        self.app = app
        self.limit = limit
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status_box = [500]
        sent = [False]

        async def send_wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_box[0] = message["status"]
                sent[0] = True
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        length = next((v for k, v in scope.get("headers", []) if k == b"content-length"), None)
        too_big = False
        if length is not None:
            try:
                too_big = int(length) > self.limit
            except ValueError:
                too_big = False
        received = [0]

        async def receive_limited() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                received[0] += len(message.get("body", b""))
                if received[0] > self.limit:
                    raise TooLargeError(
                        f"request body over {self.limit} bytes", reason="body_too_large"
                    )
            return message

        try:
            if too_big:
                raise TooLargeError(
                    f"request body over {self.limit} bytes", reason="body_too_large"
                )
            await self.app(scope, receive_limited, send_wrapped)
        except TooLargeError as exc:
            if sent[0]:
                raise
            await _error_response(exc)(scope, receive, send_wrapped)
        except Exception as exc:
            # Answered here, not re-raised: the server would log a traceback, and an
            # exception's message may quote the input. The type is enough to look for it.
            if sent[0]:
                raise
            log.error("unhandled %s", type(exc).__name__)
            await _error_response(exc)(scope, receive, send_wrapped)
        finally:
            route = scope.get("route")
            label = getattr(route, "path", None) or "unmatched"
            self.metrics.requests.labels(scope.get("method", ""), label, str(status_box[0])).inc()
            self.metrics.latency.labels(label).observe(time.perf_counter() - started)


# ---------------------------------------------------------------------- the service
class Service:
    """The state behind the routes: store, extractors per strategy, worker, limits, metrics."""

    def __init__(self, config: ServiceConfig) -> None:
        self.config = config
        self.store = JobStore(config.store_url())
        self.metrics = Metrics(self._queue_depth)
        self.limiter = InflightLimiter(config.max_inflight_per_key)
        self._extractors: dict[str, Extractor] = {}
        self._lock = threading.Lock()
        self.worker = Worker(
            self.store,
            self._extract_claimed,
            threads=config.worker_threads,
            lease_s=config.lease_s,
            poll_s=config.poll_s,
            on_result=self._job_result,
        )
        self.backend_state = "not needed" if config.extractor.strategy == "rules" else "starting"

    # -- lifecycle
    def start(self) -> None:
        if self.config.run_worker:
            self.worker.start()
        if self.config.extractor.strategy != "rules":
            threading.Thread(target=self._warm_up, name="extractor-warm-up", daemon=True).start()

    def stop(self) -> None:
        if self.config.run_worker:
            self.worker.stop()
        with self._lock:
            for extractor in self._extractors.values():
                extractor.close()
        self.store.close()

    def _warm_up(self) -> None:
        """Load the model (or make the client) now, so the first request does not wait."""
        try:
            self.extractor(None).backend()
            self.backend_state = "loaded"
        except ExtractorError as exc:
            self.backend_state = f"failed ({type(exc).__name__})"
            log.warning("backend did not start: %s", type(exc).__name__)

    def _queue_depth(self) -> float:
        try:
            return float(self.store.queue_depth())
        except Exception:  # noqa: BLE001  (a scrape must not fail because the store is down)
            return float("nan")

    # -- extraction
    def extractor(self, strategy: str | None) -> Extractor:
        settings = self.config.extractor
        name = strategy or settings.strategy
        with self._lock:
            if name not in self._extractors:
                self._extractors[name] = Extractor(settings.with_(strategy=name))
            return self._extractors[name]

    def _extract_claimed(self, claimed: Claimed) -> list[Article]:
        started = time.perf_counter()
        extractor = self.extractor(claimed.strategy)
        try:
            return extractor.extract_articles(
                claimed.text, published=claimed.published, main_only=claimed.main_only
            )
        except ExtractorError as exc:
            self.metrics.failures.labels(type(exc).__name__).inc()
            raise
        finally:
            log.debug(
                "extracted %d chars in %.3fs", len(claimed.text), time.perf_counter() - started
            )

    def _job_result(
        self, claimed: Claimed, record: dict[str, Any], articles: list[Article]
    ) -> None:
        self.metrics.documents.labels("job", "done" if record["ok"] else "failed").inc()
        self.metrics.articles(articles)

    # -- readiness
    def readiness(self) -> Health:
        checks = {"store": "ok" if self.store.ping() else "unreachable"}
        checks["backend"] = self._backend_check()
        ok = all(v in ("ok", "not needed") for v in checks.values())
        return Health(status="ok" if ok else "unavailable", checks=checks)

    def _backend_check(self) -> str:
        if self.backend_state != "loaded":
            return self.backend_state
        llm = self.extractor(None)._llm
        base_url = getattr(llm, "base_url", None)
        if base_url is None:  # the OpenAI API itself: reachable is all we can cheaply say
            return "ok"
        import httpx2  # noqa: PLC0415

        try:
            response = httpx2.get(base_url.rstrip("/") + "/models", timeout=2.0)
        except httpx2.HTTPError as exc:
            return f"unreachable ({type(exc).__name__})"
        return "ok" if response.status_code == 200 else f"unhealthy (HTTP {response.status_code})"

    # -- keys
    def owner(self, credentials: HTTPAuthorizationCredentials | None) -> str:
        keys = self.config.api_keys
        if not keys:
            return ANONYMOUS
        if credentials is None or not credentials.credentials:
            raise UnauthorizedError(
                "an API key is required (Authorization: Bearer KEY)", reason="missing_key"
            )
        digest = key_digest(credentials.credentials)
        found = False
        for known in keys:  # every digest is compared: the time does not say which matched
            found |= hmac.compare_digest(digest, known)
        if not found:
            raise UnauthorizedError("unknown API key", reason="unknown_key")
        return digest[:32]

    # -- jobs
    def new_job(self, owner: str, request: JobRequest) -> JobCreated:
        if len(request.documents) > self.config.max_documents:
            raise InputError(
                f"a job holds at most {self.config.max_documents} documents", reason="too_many"
            )
        max_chars = self.config.extractor.max_chars
        seen: set[str] = set()
        documents = []
        for doc in request.documents:
            if doc.id in seen:
                raise InputError(f"document id {doc.id!r} appears twice", reason="duplicate_id")
            seen.add(doc.id)
            try:
                check_text(doc.text, max_chars=max_chars)
                if doc.published is not None and not is_date(doc.published):
                    raise InputError("published is not a real date", reason="published")
            except InputError as exc:
                raise InputError(f"document {doc.id!r}: {exc}", reason=exc.reason) from None
            digest = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
            documents.append(NewDocument(doc.id, doc.text, digest, doc.published))
        strategy = request.strategy or self.config.extractor.strategy
        job_id = self.store.create_job(
            owner, documents, strategy=strategy, main_only=request.main_only
        )
        log.info("job %s created: %d document(s), strategy %s", job_id, len(documents), strategy)
        self.worker.wake()
        return JobCreated(job_id=job_id, total=len(documents))


def parse_jsonl(body: bytes) -> list[JobDocument]:
    """A JSONL upload: one `{id, text, published?}` object per line; blank lines skipped."""
    try:
        lines = body.decode("utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise InputError(f"upload is not UTF-8 at byte {exc.start}", reason="encoding") from None
    documents = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            documents.append(JobDocument.model_validate_json(line))
        except ValidationError as exc:
            message = _validation_message(list(exc.errors(include_input=False)))
            raise InputError(f"line {number}: {message}", reason="invalid_request") from None
    return documents


def _openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The generated schema, plus the two bodies of POST /v1/jobs (JSON and JSONL)."""

    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        request = JobRequest.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(request.pop("$defs", {}))
        components["JobRequest"] = request
        app.openapi_schema = schema
        return schema

    return build


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("extractor-news")
    except PackageNotFoundError:
        return "0.0.0"


def create_app(config: ServiceConfig) -> FastAPI:
    """The FastAPI application; the worker starts and stops with it (lifespan)."""
    service = Service(config)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        service.start()
        try:
            yield
        finally:
            await run_in_threadpool(service.stop)

    app = FastAPI(
        title="extractor",
        version=_version(),
        description="Typed, grounded records (actors, claims, meetings) from news articles.",
        lifespan=lifespan,
    )
    app.state.service = service
    bearer = HTTPBearer(auto_error=False, description="an API key of this service")

    def owner(credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> str:
        return service.owner(credentials)

    async def on_error(_: Request, exc: Exception) -> Response:
        return _error_response(exc)

    async def on_request_error(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return _request_error(list(exc.errors()))

    async def on_http_error(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400:  # a body FastAPI could not even parse is bad input: 422
            return _request_error([{"loc": ("body",), "msg": "the body is not valid JSON"}])
        reason = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http")
        body = {"error": {"type": "HTTPError", "reason": reason, "message": str(exc.detail)}}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)

    app.add_exception_handler(ExtractorError, on_error)  # anything else: `_Guard`
    app.add_exception_handler(RequestValidationError, on_request_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)

    @app.post(
        "/v1/extract",
        response_model=ExtractResponse,
        responses={**_ERRORS, **_BAD_OUTPUT},
        summary="Extract one article synchronously",
        tags=["extract"],
    )
    def extract(body: ExtractRequest, who: str = Depends(owner)) -> Response:
        started = time.perf_counter()
        with service.limiter.slot(who):
            try:
                articles = service.extractor(body.strategy).extract_articles(
                    body.text, published=body.published, main_only=body.main_only
                )
            except ExtractorError as exc:
                service.metrics.failures.labels(type(exc).__name__).inc()
                service.metrics.documents.labels("extract", "failed").inc()
                raise
        service.metrics.documents.labels("extract", "done").inc()
        service.metrics.articles(articles)
        log.info(
            "extract: %d chars, %d article(s), %.3fs",
            len(body.text),
            len(articles),
            time.perf_counter() - started,
        )
        # Serialized once here: the records were validated when made, and FastAPI would
        # validate them again against `response_model` (which still documents the body).
        payload = ExtractResponse.model_construct(articles=articles).model_dump_json()
        return Response(payload, media_type="application/json")

    jobs_body = {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/JobRequest"}},
                NDJSON: {
                    "schema": {
                        "type": "string",
                        "description": "one JobDocument ({id, text, published?}) per line",
                    }
                },
            },
        }
    }

    @app.post(
        "/v1/jobs",
        status_code=202,
        response_model=JobCreated,
        responses=_ERRORS,
        openapi_extra=jobs_body,
        summary="Submit documents as a background job (JSON or JSONL)",
        tags=["jobs"],
    )
    async def create_job(
        request: Request,
        who: str = Depends(owner),
        strategy: StrategyName | None = Query(None, description="for a JSONL upload"),
        main_only: bool = Query(False, description="for a JSONL upload"),
    ) -> JobCreated:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        raw = await request.body()
        if content_type in (NDJSON, "application/jsonl", "application/x-jsonlines"):
            documents = parse_jsonl(raw)
            if not documents:
                raise InputError("the upload holds no document", reason="empty")
            job = JobRequest(documents=documents, strategy=strategy, main_only=main_only)
        elif content_type in ("application/json", ""):
            try:
                job = JobRequest.model_validate_json(raw or b"null")
            except ValidationError as exc:
                return _request_error(list(exc.errors(include_input=False)))  # type: ignore[return-value]
        else:
            raise InputError(
                f"unsupported content type {content_type[:60]!r}: use application/json or {NDJSON}",
                reason="content_type",
            )
        with service.limiter.slot(who):
            return await run_in_threadpool(service.new_job, who, job)

    @app.get(
        "/v1/jobs/{job_id}",
        response_model=JobStatus,
        responses={**_ERRORS, **_NOT_FOUND},
        summary="A job's status and counts",
        tags=["jobs"],
    )
    def job_status(job_id: str, who: str = Depends(owner)) -> JobStatus:
        return service.store.status(who, job_id)

    @app.get(
        "/v1/jobs/{job_id}/results",
        responses={
            200: {"content": {NDJSON: {"schema": {"type": "string"}}}, "description": "JSONL"},
            **_ERRORS_AS_JSON,
        },
        response_class=StreamingResponse,
        summary="Finished documents as JSONL, one line per document (the extract-many format)",
        tags=["jobs"],
    )
    def job_results(job_id: str, who: str = Depends(owner)) -> StreamingResponse:
        lines = service.store.results(who, job_id)
        first = next(lines, None)  # the ownership check runs before the response starts

        def stream() -> Iterator[bytes]:
            if first is not None:
                yield (json.dumps(first, ensure_ascii=False) + "\n").encode("utf-8")
            for record in lines:
                yield (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")

        return StreamingResponse(stream(), media_type=NDJSON)

    @app.delete(
        "/v1/jobs/{job_id}",
        response_model=JobStatus,
        responses={**_ERRORS, **_NOT_FOUND},
        summary="Cancel a job: queued and running documents are not finished",
        tags=["jobs"],
    )
    def cancel_job(job_id: str, who: str = Depends(owner)) -> JobStatus:
        status = service.store.cancel(who, job_id)
        log.info("job %s cancelled", job_id)
        return status

    @app.get(
        "/v1/jobs/{job_id}/documents/{doc_id}/view",
        response_class=HTMLResponse,
        responses=_ERRORS_AS_JSON,
        summary="The document with its records highlighted (HTML)",
        tags=["jobs"],
    )
    def document_view(job_id: str, doc_id: str, who: str = Depends(owner)) -> HTMLResponse:
        doc = service.store.document(who, job_id, doc_id)
        articles: list[Article] = []
        if doc.result and doc.result.get("ok"):
            articles = [Article.model_validate(a) for a in doc.result.get("articles", [])]
        title = doc.doc_id if doc.state == "done" else f"{doc.doc_id} ({doc.state})"
        page = render_page(doc.text, articles, title=title)
        return HTMLResponse(page, headers={"Content-Security-Policy": _CSP})

    @app.get("/healthz", response_model=Health, tags=["ops"], summary="The process is up")
    def healthz() -> Health:
        return Health(status="ok")

    @app.get(
        "/readyz",
        response_model=Health,
        responses={503: {"model": Health, "description": "not ready"}},
        tags=["ops"],
        summary="Store reachable, backend reachable and model loaded",
    )
    def readyz() -> Response:
        health = service.readiness()
        return JSONResponse(health.model_dump(), status_code=200 if health.status == "ok" else 503)

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        return Response(generate_latest(service.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    app.openapi = _openapi(app)  # type: ignore[method-assign]
    if config.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(config.cors_origins),
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(_Guard, limit=config.max_body_bytes, metrics=service.metrics)
    return app


_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"


def run(config: ServiceConfig, *, host: str, port: int, log_level: str = "info") -> None:
    """Serve until interrupted (what `extractor serve` calls)."""
    import uvicorn  # noqa: PLC0415

    check_bind(host, config.api_keys)
    logging.basicConfig(
        level=getattr(logging, log_level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    uvicorn.run(create_app(config), host=host, port=port, log_level=log_level, access_log=True)
