"""The extraction service: FastAPI over the library, jobs in the job store.

    app = create_app(ServiceConfig(extractor=Settings.resolve(strategy="rules")))

This module wires the parts: the routes (`routes.py`), the mapping of errors to
HTTP (`http_errors.py`), the outer guard (`guard.py`: body limit, headers, metrics),
and the state behind the routes (`state.py`: store, extractors, worker). Keys are
in `auth.py`, settings in `config.py`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi_offline import FastAPIOffline
from starlette.concurrency import run_in_threadpool
from starlette.middleware.cors import CORSMiddleware

from ..version import package_version
from .auth import check_bind
from .config import ServiceConfig
from .guard import Guard
from .http_errors import add_error_handlers
from .routes import router
from .schemas import JobRequest
from .server import ServerLimits, serve
from .state import Service


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
    """The OpenAPI document's version: the package's, "0.0.0" from a source tree."""
    number = package_version()
    return "0.0.0" if number == "unknown" else number


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

    # /docs and /redoc load Swagger UI and ReDoc from assets shipped in a package
    # (fastapi-offline), not from a CDN: the service is for air-gapped users too
    app = FastAPIOffline(
        title="extractor",
        version=_version(),
        description="Typed, grounded records (actors, claims, meetings) from news articles.",
        lifespan=lifespan,
    )
    app.state.service = service
    add_error_handlers(app)
    app.include_router(router)
    app.openapi = _openapi(app)  # type: ignore[method-assign]
    if config.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(config.cors_origins),
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(Guard, limit=config.max_body_bytes, metrics=service.metrics)
    return app


def run(
    config: ServiceConfig,
    *,
    host: str,
    port: int,
    log_level: str = "info",
    limits: ServerLimits | None = None,
) -> None:
    """Serve until interrupted (what `extractor serve` calls), under `limits` (server.py)."""
    check_bind(host, config.api_keys)
    logging.basicConfig(
        level=getattr(logging, log_level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    serve(
        create_app(config),
        host=host,
        port=port,
        limits=limits or ServerLimits.from_env(),
        log_level=log_level,
    )
