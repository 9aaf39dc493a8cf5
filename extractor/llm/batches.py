"""The OpenAI Batch API: request lines, the files and batches endpoints, answers read back.

A batch turns live calls into rounds. `CollectingLLM` stands where `client.LLM`
stands: asked for an answer the batch already holds, it returns the very attempt
a live call would have returned (parsed by Instructor the same way); asked for one
it lacks, it notes the request body and raises `Pending`, which stops that
document for this round. `batch.batch_api` writes the noted requests as a Batch
input file (one line each: `custom_id` = the cache key, `body` = the live call's
body, less the streaming fields), and reads the output and errors files back
through `BatchClient` (the official openai client's files and batches API).

The same input file runs on any server that reads this format, such as vLLM's
`run-batch`; see docs/batch-api.md.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from instructor.processing.response import handle_response_model, process_response
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError

from ..errors import BackendConfigError, ConfigError, TransportError
from ..models import Usage
from .client import (
    MODES,
    Attempt,
    _raw_of,
    _truncated,
    _unparsed,
    _usage_of,
    compact_grammar,
)
from .redact import backend_message
from .redact import shown_url as _shown_url

CHAT_URL = "/v1/chat/completions"
FINISHED = ("completed", "failed", "expired", "cancelled")

D = TypeVar("D", bound=BaseModel)


class Pending(Exception):  # noqa: N818  (a signal, not an error: never reaches a user)
    """A request the batch has not answered yet: the document waits for the next round."""

    def __init__(self, custom_id: str) -> None:
        super().__init__(f"request {custom_id[:16]} waits for the batch")
        self.custom_id = custom_id


def request_body(
    *,
    model: str,
    mode: str,
    messages: list[dict[str, str]],
    response_model: type[BaseModel],
    max_tokens: int,
    temperature: float,
    extra_body: dict[str, Any] | None,
    compact_json: bool = False,
) -> dict[str, Any]:
    """The JSON body a live call sends (Instructor's request for the schema), unstreamed."""
    if compact_json:
        extra_body = {**(extra_body or {}), **compact_grammar(response_model)}
    _, kwargs = handle_response_model(
        response_model,
        mode=MODES[mode],
        model=model,
        messages=[dict(m) for m in messages],
        max_tokens=max_tokens,
        temperature=temperature,
    )
    body = {**kwargs, **(extra_body or {})}
    return cast(dict[str, Any], json.loads(json.dumps(body, ensure_ascii=False)))


def request_line(custom_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """One line of a Batch input file."""
    return {"custom_id": custom_id, "method": "POST", "url": CHAT_URL, "body": body}


def attempt_of(
    completion: dict[str, Any], response_model: type[D], mode: str, messages: list[dict[str, str]]
) -> Attempt[D]:
    """A batch's answer as the attempt a live call would have made of it."""
    prepared, _ = handle_response_model(
        response_model, mode=MODES[mode], messages=[dict(m) for m in messages]
    )
    started = time.monotonic()
    try:
        parsed_completion = ChatCompletion.model_validate(completion)
    except ValidationError:
        raise TransportError(
            "a batch answer is not a chat completion", attempts=1, errors=["batch"]
        ) from None
    try:
        try:
            parsed = process_response(
                parsed_completion, response_model=prepared, stream=False, mode=MODES[mode]
            )
        except (ValidationError, ValueError, TypeError) as exc:
            raise InstructorRetryException(
                str(exc),
                last_completion=parsed_completion,
                n_attempts=1,
                total_usage=0,
                messages=messages,
                create_kwargs={},
            ) from exc
    except IncompleteOutputException as exc:
        return _truncated(exc, Usage(), started, 0)
    except InstructorRetryException as exc:
        return _unparsed(exc, Usage(), started, 0)
    raw, finish = _raw_of(parsed_completion)
    return Attempt(
        parsed=cast(D, parsed),
        raw=raw,
        usage=_usage_of(parsed_completion),
        finish_reason=finish,
        seconds=0.0,
    )


@dataclass
class CollectingLLM:
    """The backend of a batch round: answers it holds, and the requests it still needs.

    `answers` maps a custom_id to its response body (a chat completion); `given_up`
    maps one the batch could not answer, after its resubmissions, to why. With
    `final` set (the pass that writes the records) a request with no answer is a
    `TransportError`, so its document is recorded as failed, never dropped.
    """

    model: str
    mode: str
    compact_json: bool = False
    answers: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    given_up: Mapping[str, str] = field(default_factory=dict)
    final: bool = False
    requests: dict[str, dict[str, Any]] = field(default_factory=dict)
    base_url: str | None = None

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
        """The held answer as a live attempt; else the request is noted and `Pending` raised."""
        if request_id is None:
            raise ConfigError("a batch needs the cache: its requests are named by cache keys")
        answer = self.answers.get(request_id)
        if answer is not None:
            return attempt_of(answer, response_model, self.mode, messages)
        if request_id in self.given_up:
            raise TransportError(
                f"the batch gave no answer to request {request_id[:16]}: "
                f"{self.given_up[request_id]}",
                attempts=1,
                errors=["batch"],
            )
        if self.final:
            raise TransportError(
                f"request {request_id[:16]} was not answered within the batch's rounds",
                attempts=0,
                errors=["batch"],
            )
        self.requests[request_id] = request_body(
            model=self.model,
            mode=self.mode,
            messages=messages,
            response_model=response_model,
            max_tokens=max_tokens,
            temperature=temperature,
            extra_body=extra_body,
            compact_json=self.compact_json,
        )
        raise Pending(request_id)


@dataclass(frozen=True)
class BatchState:
    """What the server says about a batch (the fields a round needs)."""

    id: str
    status: str
    output_file_id: str | None = None
    error_file_id: str | None = None
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ResultLine:
    """One line of an output or errors file: an answer, or why there is none."""

    custom_id: str
    body: dict[str, Any] | None
    problem: str | None


def result_lines(text: str) -> list[ResultLine]:
    """The lines of an output or errors file; a line that is not a result is skipped."""
    out = []
    for raw in text.splitlines():
        try:
            line = json.loads(raw)
        except (json.JSONDecodeError, RecursionError):
            continue
        if not isinstance(line, dict) or not isinstance(line.get("custom_id"), str):
            continue
        response = line.get("response")
        response = response if isinstance(response, dict) else {}
        status = response.get("status_code")
        body = response.get("body")
        error = line.get("error")
        if status == 200 and isinstance(body, dict) and not error:
            out.append(ResultLine(line["custom_id"], body, None))
            continue
        said = _said(error) or _said(body.get("error") if isinstance(body, dict) else None)
        kind = f"HTTP {status}" if status else "error"
        out.append(ResultLine(line["custom_id"], None, f"{kind}: {said}" if said else kind))
    return out


def _said(error: Any) -> str | None:
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        code = error.get("code")
        return f"{error['message']}" + (f" ({code})" if code else "")
    return None


class BatchClient:
    """The files and batches endpoints, through the official openai client.

    The SDK's own retries (with backoff) cover these few control calls; a failure
    becomes a typed error whose message names the server with its key masked.
    """

    def __init__(
        self, *, base_url: str | None, api_key: str | None, http_client: Any = None
    ) -> None:
        self.base_url = base_url
        self._client = openai.OpenAI(
            base_url=base_url,
            api_key=api_key or "not-needed",
            max_retries=4,
            timeout=300.0,
            http_client=http_client,
        )

    def upload(self, path: Path) -> str:
        """POST /v1/files (purpose "batch"): the input file's id."""
        with path.open("rb") as fh:
            created = self._call(lambda: self._client.files.create(file=fh, purpose="batch"))
        return str(created.id)

    def create(self, input_file_id: str, window: str, metadata: dict[str, str]) -> str:
        """POST /v1/batches over the chat completions endpoint: the batch's id."""
        batch = self._call(
            lambda: self._client.batches.create(
                input_file_id=input_file_id,
                endpoint="/v1/chat/completions",
                completion_window=cast(Any, window),
                metadata=metadata,
            )
        )
        return str(batch.id)

    def retrieve(self, batch_id: str) -> BatchState:
        """GET /v1/batches/{id}."""
        batch = self._call(lambda: self._client.batches.retrieve(batch_id))
        errors = (
            [e.message or e.code or "" for e in (batch.errors.data or [])] if batch.errors else []
        )
        return BatchState(
            id=batch.id,
            status=batch.status,
            output_file_id=batch.output_file_id,
            error_file_id=batch.error_file_id,
            errors=[e for e in errors if e],
        )

    def content(self, file_id: str) -> str:
        """GET /v1/files/{id}/content, as text."""
        return str(self._call(lambda: self._client.files.content(file_id)).text)

    def _call(self, do: Callable[[], Any]) -> Any:
        try:
            return do()
        except openai.APIStatusError as exc:
            where, said = _shown_url(self.base_url), backend_message(exc)
            detail = f"HTTP {exc.status_code}" + (f": {said}" if said else "")
            if exc.status_code in (401, 403, 404):
                raise BackendConfigError(
                    f"the batch API at {where} refused ({detail}); check --base-url and the key",
                    status_code=exc.status_code,
                    backend_message=said,
                ) from None
            raise TransportError(
                f"the batch API at {where} failed ({detail})",
                attempts=1,
                errors=[f"HTTP {exc.status_code}"],
                status_code=exc.status_code,
            ) from None
        except openai.APIError as exc:
            raise TransportError(
                f"the batch API at {_shown_url(self.base_url)} failed ({type(exc).__name__})",
                attempts=1,
                errors=[type(exc).__name__],
            ) from None
