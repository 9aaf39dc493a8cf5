"""Committed cassettes hold no secrets and no article text."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from paths import ROOT

from evals.replay import SEAL_PREFIX, seal, seal_key, unseal
from extractor.text.normalize import normalize

CASSETTES = sorted((ROOT / "cassettes").rglob("*.yaml"))
CORPUS = ROOT.parent / "shared" / "corpus" / "dev"


def test_sealing_round_trips_and_needs_the_article() -> None:
    key = seal_key(b"the article")
    sealed = seal(b'{"claims": []}', key)
    assert sealed.startswith(SEAL_PREFIX) and "claims" not in sealed
    assert unseal(sealed, key) == b'{"claims": []}'
    assert unseal(sealed, seal_key(b"another article")) != b'{"claims": []}'


@pytest.mark.parametrize("path", CASSETTES, ids=[p.stem for p in CASSETTES])
def test_cassette_has_no_headers_no_bodies_and_sealed_responses(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8").lower()
    assert "authorization" not in text and "bearer" not in text and "api-key" not in text
    for interaction in data["interactions"]:
        request, response = interaction["request"], interaction["response"]
        assert str(request["body"]).startswith("sha256:"), "request bodies are digests only"
        assert not request.get("headers"), "request headers are dropped"
        assert str(response["body"]["string"]).startswith(SEAL_PREFIX)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="dev corpus (../shared) not present")
def test_no_cassette_contains_a_corpus_sentence() -> None:
    probes = []
    for article in CORPUS.glob("*.txt"):
        body = normalize(article.read_text(encoding="utf-8"))
        probes += [body[i : i + 60] for i in range(0, max(1, len(body) - 60), 400)]
    for path in CASSETTES:
        text = normalize(path.read_text(encoding="utf-8"))
        leaked = [p for p in probes if len(p) == 60 and p in text]
        assert not leaked, f"{path.name} contains corpus text: {leaked[:2]}"


def test_redaction_is_idempotent_for_str_and_bytes_digests() -> None:
    """vcrpy filters live requests and loaded ones: a digest must never be re-hashed."""
    from types import SimpleNamespace

    from evals.replay import body_digest, redact_request

    request = SimpleNamespace(body=b'{"messages": []}', headers={"authorization": "Bearer x"})
    once = redact_request(request).body
    assert once == body_digest(b'{"messages": []}') and request.headers == {}
    for form in (once, once.encode() if isinstance(once, str) else once):
        again = redact_request(SimpleNamespace(body=form, headers={})).body
        assert (again.decode() if isinstance(again, bytes) else again) == once
