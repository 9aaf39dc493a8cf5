"""Recorded LLM traffic (vcrpy cassettes) that holds no secrets and no article text.

* Requests are stored as a digest: every header is dropped (auth included) and the
  body is replaced by its SHA-256, which is also what replay matches on (with method
  and path; never host or port, which change per run for the embedded server).
* Responses are sealed with a key derived from the source article's bytes, so a
  committed cassette cannot be read without the article it was made from. The
  corpus texts stay in ../shared; the cassettes are useless (and tests skip) without
  them. Sealing is obfuscation, not cryptography: its job is to keep copyrighted
  text out of the repository, not to guard secrets (there are none in it).

Needs the `evals` extra (vcrpy).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from extractor.llm.redact import redact_url

SEAL_PREFIX = "sealed:v1:"


def seal_key(source_text: bytes) -> bytes:
    return hashlib.sha256(b"extractor-cassette\0" + source_text).digest()


def _keystream(key: bytes, length: int) -> bytes:
    blocks: list[bytes] = []
    counter = 0
    while sum(len(b) for b in blocks) < length:
        blocks.append(hashlib.sha256(key + counter.to_bytes(8, "big")).digest())
        counter += 1
    return b"".join(blocks)[:length]


def seal(data: bytes, key: bytes) -> str:
    mixed = bytes(a ^ b for a, b in zip(data, _keystream(key, len(data)), strict=True))
    return SEAL_PREFIX + base64.b64encode(mixed).decode("ascii")


def unseal(text: str, key: bytes) -> bytes:
    if not text.startswith(SEAL_PREFIX):
        raise ValueError("not a sealed body")
    mixed = base64.b64decode(text[len(SEAL_PREFIX) :])
    return bytes(a ^ b for a, b in zip(mixed, _keystream(key, len(mixed)), strict=True))


def body_digest(body: bytes | str | None) -> str:
    if body is None:
        return "sha256:none"
    if isinstance(body, str):
        body = body.encode("utf-8")
    return "sha256:" + hashlib.sha256(body).hexdigest()


def _is_digest(body: object) -> bool:
    if isinstance(body, bytes):
        return body.startswith(b"sha256:")
    return isinstance(body, str) and body.startswith("sha256:")


def redact_request(request: Any) -> Any:
    """Keep method, path and a body digest; drop every header (auth, SDK, OS, retries).

    Credentials in the URL (`user:KEY@host`, `?api-key=`) are masked the same way.

    Idempotent: vcrpy applies it to live requests and again to the ones it loads from
    a cassette, so a body that is already a digest (str or bytes) is left as it is.
    """
    if not _is_digest(request.body):
        request.body = body_digest(request.body)
    request.headers = {}
    uri = getattr(request, "uri", None)
    if isinstance(uri, str):  # a key in the base URL never reaches a cassette
        request.uri = redact_url(uri)
    return request


def _strip_response_headers(response: dict[str, Any]) -> dict[str, Any]:
    response["headers"] = {"content-type": ["application/json"]}
    return response


class SealedPersister:
    """vcrpy persister that seals response bodies with the source article's key."""

    def __init__(self, key: bytes) -> None:
        self.key = key

    def load_cassette(self, cassette_path: str, serializer: Any) -> Any:
        from vcr.serialize import deserialize  # noqa: PLC0415

        path = Path(cassette_path)
        if not path.is_file():
            from vcr.persisters.filesystem import (  # noqa: PLC0415
                CassetteNotFoundError,
            )

            raise CassetteNotFoundError()
        data = serializer.deserialize(path.read_text(encoding="utf-8"))
        for interaction in data.get("interactions", []):
            body = interaction["response"]["body"]
            sealed = body.get("string")
            if isinstance(sealed, str) and sealed.startswith(SEAL_PREFIX):
                body["string"] = unseal(sealed, self.key).decode("utf-8")
        return deserialize(serializer.serialize(data), serializer)

    def save_cassette(
        self, cassette_path: str, cassette_dict: dict[str, Any], serializer: Any
    ) -> None:
        from vcr.serialize import serialize  # noqa: PLC0415

        data = serializer.deserialize(serialize(cassette_dict, serializer))
        for interaction in data.get("interactions", []):
            body = interaction["response"]["body"]
            raw = body.get("string")
            if isinstance(raw, bytes):
                raw = raw.decode("utf-8")
            if isinstance(raw, str) and not raw.startswith(SEAL_PREFIX):
                body["string"] = seal(raw.encode("utf-8"), self.key)
            _strip_response_headers(interaction["response"])
        path = Path(cassette_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(serializer.serialize(data), encoding="utf-8")


def make_vcr(key: bytes, record_mode: str = "none") -> Any:
    """A VCR that matches on method, path and body digest, sealing responses."""
    import vcr  # noqa: PLC0415

    recorder = vcr.VCR(
        record_mode=record_mode,
        match_on=["method", "path", "body"],
        before_record_request=redact_request,
        decode_compressed_response=True,
    )
    recorder.register_persister(SealedPersister(key))
    return recorder


@contextmanager
def cassette(path: Path, source_text: bytes, record_mode: str = "none") -> Iterator[Any]:
    """Record or replay the LLM traffic of one article in `path`."""
    recorder = make_vcr(seal_key(source_text), record_mode)
    with recorder.use_cassette(str(path), allow_playback_repeats=False) as cass:
        yield cass
