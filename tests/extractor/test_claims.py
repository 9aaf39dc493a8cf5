"""How workers take documents: round-robin across keys, and a cap on attempts after crashes.

On a SQLite file and on PostgreSQL (`database_url` runs both).
"""

from __future__ import annotations

import time

import pytest

from extractor.service.jobs import JobStore, NewDocument


def _docs(prefix: str, n: int) -> list[NewDocument]:
    return [NewDocument(f"{prefix}{i}", f"text {i}", f"{i:064x}") for i in range(n)]


@pytest.fixture
def store(database_url: str):
    s = JobStore(database_url, max_attempts=2)
    yield s
    s.close()


def test_claims_go_round_robin_across_keys_not_first_in_first_out(store):
    store.create_job("big", _docs("b", 6), strategy="rules")
    store.create_job("small", _docs("s", 2), strategy="rules")
    store.create_job("third", _docs("t", 1), strategy="rules")
    order = []
    for _ in range(9):
        claimed = store.claim("w", 30)
        assert claimed is not None
        order.append(claimed.doc_id)
        assert store.finish("w", claimed.pk, {"id": claimed.doc_id, "ok": True})
    # FIFO would run b0..b5 first, the other keys' documents waiting behind them all;
    # each key's own documents still run in their order
    assert order == ["b0", "s0", "t0", "b1", "s1", "b2", "b3", "b4", "b5"]


def test_a_key_that_waited_longest_is_served_first(store):
    store.create_job("a", _docs("a", 3), strategy="rules")
    first = store.claim("w", 30)
    assert first is not None and first.doc_id == "a0"
    store.create_job("b", _docs("b", 1), strategy="rules")  # arrives after a's claim
    second = store.claim("w", 30)
    assert second is not None and second.doc_id == "b0"


def test_a_document_whose_worker_keeps_dying_fails_with_the_reason(store):
    job = store.create_job("alice", _docs("d", 1), strategy="rules")
    for attempt in (1, 2):
        claimed = store.claim(f"dead{attempt}", lease_s=0.3)
        assert claimed is not None and claimed.attempt == attempt
        time.sleep(0.4)  # the worker died: its lease expires
    assert store.claim("w", 30) is None  # not a third time
    status = store.status("alice", job)
    assert (status.counts.failed, status.counts.running) == (1, 0)
    (record,) = store.results("alice", job)
    assert record["ok"] is False and record["id"] == "d0"
    assert record["error"]["reason"] == "attempts_exhausted"
    assert "2 attempts" in record["error"]["message"]
    assert store.complete(job) is not None  # the job can finish


def test_a_graceful_give_back_does_not_count_as_an_attempt(store):
    job = store.create_job("alice", _docs("d", 1), strategy="rules")
    for _ in range(3):
        assert store.claim("w", 30) is not None
        assert store.release("w") == 1  # a restart, not a crash
    claimed = store.claim("w", 30)
    assert claimed is not None and claimed.attempt == 1
    assert store.status("alice", job).counts.running == 1


def test_a_claim_carries_the_documents_url_and_meta(store):
    doc = NewDocument("d", "text", "0" * 64, url="https://example.org/1", meta={"k": [1, "ب"]})
    store.create_job("alice", [doc], strategy="rules")
    claimed = store.claim("w", 30)
    assert claimed is not None
    assert claimed.passed_through == {"url": "https://example.org/1", "meta": {"k": [1, "ب"]}}
