"""The HTTP routes: extract, jobs, the document view, health and metrics.

Routes stay thin: parse (the bodies are `schemas.py` models around the records),
call the library or the store, and let the error tree map to HTTP once
(`http_errors.py`). The `Service` behind them is the app's own (`app.state.service`),
reached through a dependency, as is the owner of the request's API key.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from ..errors import ExtractorError, InputError
from ..models import Article
from ..view import render_page
from .auth import owner_of
from .http_errors import (
    BAD_OUTPUT,
    ERRORS,
    ERRORS_AS_JSON,
    NOT_FOUND,
    request_error,
    validation_message,
)
from .jobs import decode_cursor, encode_cursor
from .schemas import (
    ErrorBody,
    ExtractRequest,
    ExtractResponse,
    Health,
    JobCreated,
    JobDocument,
    JobList,
    JobRequest,
    JobStatus,
    StrategyName,
)
from .state import Service

log = logging.getLogger("extractor.service")

NDJSON = "application/x-ndjson"
_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"

router = APIRouter()
bearer = HTTPBearer(auto_error=False, description="an API key of this service")


async def current_service(request: Request) -> Service:
    """The service of the app that serves this request (set by `create_app`)."""
    service: Service = request.app.state.service
    return service


def owner(
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
    service: Service = Depends(current_service),
) -> str:
    return owner_of(service.config.api_keys, credentials)


@router.post(
    "/v1/extract",
    response_model=ExtractResponse,
    responses={**ERRORS, **BAD_OUTPUT},
    summary="Extract one article synchronously",
    tags=["extract"],
)
def extract(
    body: ExtractRequest, who: str = Depends(owner), service: Service = Depends(current_service)
) -> Response:
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


_JOBS_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/JobRequest"}},
            NDJSON: {
                "schema": {
                    "type": "string",
                    "description": "one InputDocument ({id, text, published?, url?, meta?}) "
                    "per line",
                }
            },
        },
    }
}


_CREATED_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": JobCreated, "description": "the job this Idempotency-Key made before"},
    409: {"model": ErrorBody, "description": "this Idempotency-Key was used for another body"},
    **ERRORS,
}


@router.post(
    "/v1/jobs",
    status_code=202,
    response_model=JobCreated,
    responses=_CREATED_RESPONSES,
    openapi_extra=_JOBS_BODY,
    summary="Submit documents as a background job (JSON or JSONL)",
    tags=["jobs"],
)
async def create_job(
    request: Request,
    who: str = Depends(owner),
    service: Service = Depends(current_service),
    strategy: StrategyName | None = Query(None, description="for a JSONL upload"),
    main_only: bool = Query(False, description="for a JSONL upload"),
    webhook_url: str | None = Query(None, max_length=2048, description="for a JSONL upload"),
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=200,
        description="The same key and body again (this key's) answer the same job, 200, "
        "and make no new one; the same key with another body is a 409.",
    ),
) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    if content_type in (NDJSON, "application/jsonl", "application/x-jsonlines"):
        documents = parse_jsonl(raw)
        if not documents:
            raise InputError("the upload holds no document", reason="empty")
        job = JobRequest(
            documents=documents, strategy=strategy, main_only=main_only, webhook_url=webhook_url
        )
    elif content_type in ("application/json", ""):
        try:
            job = JobRequest.model_validate_json(raw or b"null")
        except ValidationError as exc:
            return request_error(list(exc.errors(include_input=False)))
    else:
        raise InputError(
            f"unsupported content type {content_type[:60]!r}: use application/json or {NDJSON}",
            reason="content_type",
        )
    with service.limiter.slot(who):
        created, new = await run_in_threadpool(service.new_job, who, job, idempotency_key)
    return JSONResponse(
        created.model_dump(mode="json"),
        status_code=202 if new else 200,
        headers={"Location": f"/v1/jobs/{created.job_id}"},
    )


@router.get(
    "/v1/jobs",
    response_model=JobList,
    responses=ERRORS,
    summary="The caller's jobs, newest first, a page at a time",
    tags=["jobs"],
)
def list_jobs(
    who: str = Depends(owner),
    service: Service = Depends(current_service),
    cursor: str | None = Query(None, max_length=400, description="`next_cursor` of a page"),
    limit: int = Query(50, ge=1, le=500, description="Jobs per page."),
) -> JobList:
    jobs, next_cursor = service.store.list_jobs(who, cursor=cursor, limit=limit)
    return JobList(jobs=jobs, next_cursor=next_cursor)


@router.get(
    "/v1/jobs/{job_id}",
    response_model=JobStatus,
    responses={**ERRORS, **NOT_FOUND},
    summary="A job's status and counts",
    tags=["jobs"],
)
def job_status(
    job_id: str, who: str = Depends(owner), service: Service = Depends(current_service)
) -> JobStatus:
    return service.store.status(who, job_id)


@router.get(
    "/v1/jobs/{job_id}/results",
    responses={
        200: {
            "content": {NDJSON: {"schema": {"type": "string"}}},
            "description": "JSONL, one line per finished document. With `limit` or `cursor`, "
            'one page: `X-Next-Cursor` (and `Link: <…>; rel="next"`) name the next page '
            "while more finished documents follow.",
        },
        **ERRORS_AS_JSON,
    },
    response_class=StreamingResponse,
    summary="Finished documents as JSONL, one line per document (the extract-many format)",
    tags=["jobs"],
)
def job_results(
    job_id: str,
    who: str = Depends(owner),
    service: Service = Depends(current_service),
    cursor: str | None = Query(None, max_length=400, description="`X-Next-Cursor` of a page"),
    limit: int | None = Query(
        None, ge=1, le=10_000, description="Lines per page (absent: every line, streamed)."
    ),
) -> Response:
    if cursor is not None or limit is not None:
        return _results_page(service, who, job_id, cursor, limit or 1000)
    lines = service.store.results(who, job_id)
    first = next(lines, None)  # the ownership check runs before the response starts

    def stream() -> Iterator[bytes]:
        if first is not None:
            yield (json.dumps(first, ensure_ascii=False) + "\n").encode("utf-8")
        for record in lines:
            yield (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")

    return StreamingResponse(stream(), media_type=NDJSON)


def _results_page(
    service: Service, who: str, job_id: str, cursor: str | None, limit: int
) -> Response:
    """One page of results; the cursor is the last submission number given (opaque)."""
    after = -1
    if cursor is not None:
        (number,) = decode_cursor(cursor, 1)
        if not number.lstrip("-").isdigit():
            raise InputError("cursor is not one this service gave", reason="cursor")
        after = int(number)
    records, last = service.store.results_page(who, job_id, after=after, limit=limit)
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    headers = {}
    if last is not None:
        following = encode_cursor(last)
        headers["X-Next-Cursor"] = following
        headers["Link"] = (
            f'</v1/jobs/{job_id}/results?cursor={following}&limit={limit}>; rel="next"'
        )
    return Response(body.encode("utf-8"), media_type=NDJSON, headers=headers)


@router.delete(
    "/v1/jobs/{job_id}",
    response_model=JobStatus,
    responses={**ERRORS, **NOT_FOUND},
    summary="Delete a job: cancel it and purge its texts and results (then it is a 404)",
    tags=["jobs"],
)
def delete_job(
    job_id: str, who: str = Depends(owner), service: Service = Depends(current_service)
) -> JobStatus:
    status = service.store.delete(who, job_id)
    log.info("job %s deleted", job_id)
    return status


@router.post(
    "/v1/jobs/{job_id}/cancel",
    response_model=JobStatus,
    responses={**ERRORS, **NOT_FOUND},
    summary="Cancel a job, keeping what finished: queued and running documents are not run",
    tags=["jobs"],
)
def cancel_job(
    job_id: str, who: str = Depends(owner), service: Service = Depends(current_service)
) -> JobStatus:
    status = service.cancel(who, job_id)
    log.info("job %s cancelled", job_id)
    return status


@router.get(  # `:path`: a document id may hold "/" (`2024/05/a1`), sent as is or as %2F
    "/v1/jobs/{job_id}/documents/{doc_id:path}/view",
    response_class=HTMLResponse,
    responses=ERRORS_AS_JSON,
    summary="The document with its records highlighted (HTML)",
    tags=["jobs"],
)
def document_view(
    job_id: str, doc_id: str, who: str = Depends(owner), service: Service = Depends(current_service)
) -> HTMLResponse:
    doc = service.store.document(who, job_id, doc_id)
    articles: list[Article] = []
    if doc.result and doc.result.get("ok"):
        articles = [Article.model_validate(a) for a in doc.result.get("articles", [])]
    title = doc.doc_id if doc.state == "done" else f"{doc.doc_id} ({doc.state})"
    page = render_page(doc.text, articles, title=title)
    return HTMLResponse(page, headers={"Content-Security-Policy": _CSP})


@router.get("/healthz", response_model=Health, tags=["ops"], summary="The process is up")
def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Health,
    responses={503: {"model": Health, "description": "not ready"}},
    tags=["ops"],
    summary="Store reachable, backend reachable and model loaded",
)
def readyz(service: Service = Depends(current_service)) -> Response:
    health = service.readiness()
    return JSONResponse(health.model_dump(), status_code=200 if health.status == "ok" else 503)


@router.get("/metrics", include_in_schema=False)
def metrics(service: Service = Depends(current_service)) -> Response:
    return Response(generate_latest(service.metrics.registry), media_type=CONTENT_TYPE_LATEST)


def parse_jsonl(body: bytes) -> list[JobDocument]:
    """A JSONL upload: one `InputDocument` per line (as `extract-many` reads); blank lines
    skipped.

    Lines end at "\n" (or "\r\n") only: U+2028 and U+2029 are valid inside JSON strings,
    and `str.splitlines` would cut a line there. A UTF-8 BOM at the start is allowed.
    """
    try:
        lines = body.decode("utf-8-sig").split("\n")
    except UnicodeDecodeError as exc:
        raise InputError(f"upload is not UTF-8 at byte {exc.start}", reason="encoding") from None
    documents = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            documents.append(JobDocument.model_validate_json(line))
        except ValidationError as exc:
            message = validation_message(list(exc.errors(include_input=False)))
            raise InputError(f"line {number}: {message}", reason="invalid_request") from None
    return documents
