"""A fake model for every strategy's questions, and a fake OpenAI Batch endpoint on loopback.

`answer(body)` is the fake model: a chat completion decided by the request body
alone (names found in the numbered sentences, the first allowed value of every
enum), so a live call and a batch line with the same body get the same answer.
One names answer in three (and every one about Haddad) first gives a name that is
not in the text, so the re-ask path is exercised too.

`FakeBatchServer()` serves, on 127.0.0.1, both roads to that model:

* POST /v1/chat/completions: the live call (streamed when asked, as llama.cpp does);
* POST /v1/files (multipart, purpose "batch"), GET /v1/files/{id}/content;
* POST /v1/batches, GET /v1/batches/{id}: each batch runs its lines through
  `answer` when first polled after `Plan.polls` "in_progress" looks, then takes
  the plan's status. A `Plan` (queued with `server.plan(...)`, one per batch) may
  fail chosen lines (an errors-file line with an HTTP status), expire after n
  lines, or fail the batch as a whole.
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import itertools
import json
import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from fakeserver import completion, stream_events

REASK = "Your JSON has these problems"
_EN_NAME = re.compile(r"\b[A-Z][a-z]{2,}(?: [A-Z][a-z]{2,})+\b")
_AR_NAME = re.compile(r"(?:قال|وقال|أكد|وأكد|أعلن|وأعلن) ([\u0621-\u064A]{3,} [\u0621-\u064A]{3,})")
_ORG = ("Ministry", "Council", "Union", "Party", "Agency", "Bank", "Company", "Authority")


def _article(messages: list[dict[str, Any]]) -> tuple[str, bool]:
    """The numbered text the question is about, and whether this is a re-ask."""
    users = [str(m.get("content") or "") for m in messages if m.get("role") == "user"]
    reask = bool(users) and users[-1].startswith(REASK)
    text = users[-2] if reask and len(users) > 1 else (users[-1] if users else "")
    return text, reask


def _names(text: str) -> list[dict[str, str]]:
    lines = [line for line in text.splitlines() if re.match(r"\[\d+\] ", line)]
    found: list[str] = []
    for line in lines:
        for name in [*_EN_NAME.findall(line), *_AR_NAME.findall(line)]:
            if name not in found:
                found.append(name)
    return [
        {"name": n, "kind": "organization" if n.split()[0] in _ORG else "person"} for n in found[:6]
    ]


def _slug(name: str) -> str:
    return re.sub(r"\W+", "-", name.lower()).strip("-")[:30] or "actor"


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    return defs[ref.rsplit("/", 1)[-1]] if isinstance(ref, str) else schema


def _choices(schema: dict[str, Any]) -> list[Any]:
    if "const" in schema:
        return [schema["const"]]
    if "enum" in schema:
        return list(schema["enum"])
    for option in schema.get("anyOf", []):
        if option.get("type") != "null":
            return _choices(option)
    return []


def _instance(schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    """The smallest valid value: first enum values, required fields, minimal lists."""
    schema = _resolve(schema, defs)
    choices = _choices(schema)
    if choices:
        return choices[0]
    if "anyOf" in schema:
        return None
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: _instance(v, defs) for k, v in props.items() if k in schema.get("required", [])}
    if kind == "array":
        item = _resolve(schema.get("items", {}), defs)
        values = _choices(item)
        return values[: schema.get("minItems", 0)] or [
            _instance(item, defs) for _ in range(schema.get("minItems", 0))
        ]
    return {"string": "x", "integer": 1, "number": 1.0, "boolean": False}.get(str(kind))


def _answers(schema: dict[str, Any], defs: dict[str, Any], field: str) -> list[dict[str, Any]]:
    """One answer per sentence the question allows, each with the first allowed values."""
    item = _resolve(schema["properties"][field]["items"], defs)
    props = item["properties"]
    out = []
    for sentence in _choices(props["sentence"]):
        answer = {"sentence": sentence}
        for name, prop in props.items():
            if name != "sentence":
                answer[name] = _instance(prop, defs)
        out.append(answer)
    return out


def content_for(body: dict[str, Any]) -> str:
    """The fake model's answer (JSON text) to one chat completions request body."""
    spec = body["response_format"]["json_schema"]
    name, schema = spec["name"], spec["schema"]
    defs = schema.get("$defs", {})
    text, reask = _article(body["messages"])
    if name in ("NamesDraft", "ActorsDraft"):
        names = _names(text)
        bad = "Haddad" in text or int(hashlib.sha256(text.encode()).hexdigest(), 16) % 3 == 0
        if bad and not reask:
            names = [*names, {"name": "Zed Quux", "kind": "person"}]  # not in the text
        if name == "ActorsDraft":
            names = [{"id": _slug(n["name"]), "name_en": n["name"], **n} for n in names]
        return json.dumps({"outlet": None, "dateline": None, "actors": names}, ensure_ascii=False)
    for field in ("answers", "meetings"):
        if field in schema.get("properties", {}) and "sentence" in json.dumps(defs):
            return json.dumps({field: _answers(schema, defs, field)}, ensure_ascii=False)
    return json.dumps(_instance(schema, defs), ensure_ascii=False)


def answer(body: dict[str, Any]) -> dict[str, Any]:
    """A chat completion for the body; its usage is counted from the body, deterministically."""
    content = content_for(body)
    prompt = sum(len(str(m.get("content") or "")) for m in body["messages"]) // 4
    return completion(content, prompt_tokens=prompt, completion_tokens=len(content) // 4)


@dataclass(frozen=True)
class Plan:
    """How the fake server runs one batch."""

    status: str = "completed"  # the status the batch ends in
    fail: Callable[[str], int | None] | None = None  # custom_id → HTTP status of an error line
    answer_first: int | None = None  # only the first n lines are answered (an expired batch)
    polls: int = 1  # "in_progress" answers before the batch ends


class FakeBatchServer:
    """Context manager: the fake model live and as a Batch API, on 127.0.0.1."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.inputs: list[list[dict[str, Any]]] = []  # each batch's input lines, in order
        self.live: list[dict[str, Any]] = []  # the live requests' bodies
        self.auth: set[str] = set()  # Authorization headers seen
        self._plans: deque[Plan] = deque()
        self._polls: dict[str, int] = {}
        self._plan_of: dict[str, Plan] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.base_url = ""

    def plan(self, *plans: Plan) -> FakeBatchServer:
        self._plans.extend(plans)
        return self

    def _new_id(self, prefix: str) -> str:
        with self._lock:
            return f"{prefix}-{next(self._ids)}"

    # -- the endpoints
    def upload(self, content_type: str, raw: bytes) -> dict[str, Any]:
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw
        )
        data, purpose = b"", ""
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if name == "file":
                data = payload
            elif name == "purpose":
                purpose = payload.decode()
        file_id = self._new_id("file")
        self.files[file_id] = data
        return {
            "id": file_id,
            "object": "file",
            "bytes": len(data),
            "created_at": 0,
            "filename": "input.jsonl",
            "purpose": purpose,
            "status": "processed",
        }

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        batch_id = self._new_id("batch")
        lines = [json.loads(line) for line in self.files[body["input_file_id"]].splitlines()]
        self.inputs.append(lines)
        self._plan_of[batch_id] = self._plans.popleft() if self._plans else Plan()
        self._polls[batch_id] = 0
        self.batches[batch_id] = {
            "id": batch_id,
            "object": "batch",
            "endpoint": body["endpoint"],
            "input_file_id": body["input_file_id"],
            "completion_window": body["completion_window"],
            "status": "validating",
            "created_at": 0,
            "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
        }
        return self.batches[batch_id]

    def retrieve(self, batch_id: str) -> dict[str, Any]:
        batch, plan = self.batches[batch_id], self._plan_of[batch_id]
        self._polls[batch_id] += 1
        if batch["status"] in ("validating", "in_progress"):
            if self._polls[batch_id] <= plan.polls:
                batch["status"] = "in_progress"
            else:
                self._finish(batch, plan)
        return batch

    def _finish(self, batch: dict[str, Any], plan: Plan) -> None:
        lines = [json.loads(line) for line in self.files[batch["input_file_id"]].splitlines()]
        batch["status"] = plan.status
        if plan.status == "failed":
            batch["errors"] = {
                "object": "list",
                "data": [{"code": "invalid", "message": "fake validation failure"}],
            }
            return
        done = lines if plan.answer_first is None else lines[: plan.answer_first]
        output, errors = [], []
        for line in done:
            cid = line["custom_id"]
            code = plan.fail(cid) if plan.fail else None
            result = {"id": self._new_id("req"), "custom_id": cid, "error": None}
            if code:
                body = {"error": {"message": f"fake server says {code}", "type": "server_error"}}
                errors.append({**result, "response": {"status_code": code, "body": body}})
            else:
                response = {"status_code": 200, "request_id": cid[:8], "body": answer(line["body"])}
                output.append({**result, "response": response})
        for kind, rows in (("output_file_id", output), ("error_file_id", errors)):
            if rows:
                file_id = self._new_id("file")
                self.files[file_id] = "".join(json.dumps(r) + "\n" for r in rows).encode()
                batch[kind] = file_id
        batch["request_counts"] = {
            "total": len(lines),
            "completed": len(output),
            "failed": len(errors),
        }

    # -- lifecycle
    def __enter__(self) -> FakeBatchServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:  # noqa: N802
                server.auth.add(self.headers.get("Authorization", ""))
                path = self.path.split("?")[0].rstrip("/")
                if m := re.fullmatch(r"/v1/files/([\w-]+)/content", path):
                    data = server.files.get(m.group(1))
                    if data is None:
                        self._send(404, {"error": {"message": "no such file"}})
                    else:
                        self._raw(200, data, "application/octet-stream")
                elif m := re.fullmatch(r"/v1/batches/([\w-]+)", path):
                    if m.group(1) in server.batches:
                        self._send(200, server.retrieve(m.group(1)))
                    else:
                        self._send(404, {"error": {"message": "no such batch"}})
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:  # noqa: N802
                server.auth.add(self.headers.get("Authorization", ""))
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path = self.path.split("?")[0].rstrip("/")
                if path == "/v1/files":
                    self._send(200, server.upload(self.headers["Content-Type"], raw))
                elif path == "/v1/batches":
                    self._send(200, server.create(json.loads(raw)))
                elif path == "/v1/chat/completions":
                    body = json.loads(raw)
                    server.live.append(body)
                    payload = answer(body)
                    if body.get("stream"):
                        events = b"".join(
                            b"data: " + json.dumps(e).encode() + b"\n\n"
                            for e in stream_events(payload)
                        )
                        self._raw(200, events + b"data: [DONE]\n\n", "text/event-stream")
                    else:
                        self._send(200, payload)
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def _send(self, code: int, payload: dict[str, Any]) -> None:
                self._raw(code, json.dumps(payload).encode(), "application/json")

            def _raw(self, code: int, data: bytes, content_type: str) -> None:
                self.send_response(code)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        host, port = self._httpd.server_address[:2]
        self.base_url = f"http://{host}:{port}/v1"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
