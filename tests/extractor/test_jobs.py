"""The job store, on a SQLite file and on a real PostgreSQL server (`database_url` runs both)."""

from __future__ import annotations

import threading
import time

import pytest

from extractor.errors import ConfigError, NotFoundError
from extractor.service.jobs import JobStore, NewDocument


def _docs(n: int) -> list[NewDocument]:
    return [NewDocument(f"d{i}", f"text {i}", f"{i:064x}") for i in range(n)]


def _ok(doc_id: str) -> dict:
    return {"id": doc_id, "sha256": "x", "ok": True, "articles": [], "seconds": 0.0}


@pytest.fixture
def store(database_url: str):
    s = JobStore(database_url)
    yield s
    s.close()


def test_a_new_job_is_queued_with_its_counts(store):
    job = store.create_job("alice", _docs(3), strategy="rules", main_only=False)
    status = store.status("alice", job)
    assert (status.status, status.total, status.counts.queued) == ("queued", 3, 3)
    assert store.queue_depth() == 3


def test_claims_take_the_oldest_document_first_and_each_only_once(store):
    job = store.create_job("alice", _docs(2), strategy="rules", main_only=True)
    first = store.claim("w1", lease_s=30)
    second = store.claim("w1", lease_s=30)
    assert (first.doc_id, second.doc_id) == ("d0", "d1")
    assert first.strategy == "rules" and first.main_only is True and first.attempt == 1
    assert store.claim("w2", lease_s=30) is None
    assert store.status("alice", job).counts.running == 2


def test_finished_results_stream_in_submission_order_and_the_job_is_done(store):
    job = store.create_job("alice", _docs(3), strategy="rules", main_only=False)
    claims = [store.claim("w", 30) for _ in range(3)]
    for c in reversed(claims):
        assert store.finish("w", c.pk, _ok(c.doc_id))
    assert [r["id"] for r in store.results("alice", job, page=2)] == ["d0", "d1", "d2"]
    assert store.status("alice", job).status == "done"


def test_a_failed_document_counts_as_finished_and_keeps_its_error(store):
    job = store.create_job("alice", _docs(1), strategy="rules", main_only=False)
    c = store.claim("w", 30)
    store.finish("w", c.pk, {"id": "d0", "ok": False, "error": {"type": "InputError"}})
    status = store.status("alice", job)
    assert (status.status, status.counts.failed) == ("done", 1)
    assert next(store.results("alice", job))["error"]["type"] == "InputError"


def test_an_expired_lease_is_claimed_again_and_the_old_worker_cannot_record_a_result(store):
    job = store.create_job("alice", _docs(1), strategy="rules", main_only=False)
    dead = store.claim("dead", lease_s=1.0)  # long enough for a loaded machine's round trip
    assert store.claim("alive", lease_s=30) is None  # the lease still holds
    time.sleep(1.1)
    again = store.claim("alive", lease_s=30)
    assert again.pk == dead.pk and again.attempt == 2
    assert store.finish("dead", dead.pk, _ok("d0")) is False  # it lost the document
    assert store.finish("alive", again.pk, _ok("d0")) is True
    assert len(list(store.results("alice", job))) == 1
    assert store.attempts(job)["d0"] == (2, "alive", "done")


def test_a_renewed_lease_is_not_taken_over(store):
    store.create_job("alice", _docs(1), strategy="rules", main_only=False)
    store.claim("w", lease_s=1.0)
    for _ in range(3):
        time.sleep(0.5)
        assert store.renew("w", 1.0) == 1
        assert store.claim("other", 30) is None


def test_release_gives_documents_in_flight_back_to_the_queue(store):
    job = store.create_job("alice", _docs(2), strategy="rules", main_only=False)
    store.claim("w", 30)
    assert store.release("w") == 1
    assert store.status("alice", job).counts.queued == 2
    assert store.claim("other", 30).doc_id == "d0"


def test_cancel_stops_queued_documents_and_discards_a_late_result(store):
    job = store.create_job("alice", _docs(3), strategy="rules", main_only=False)
    running = store.claim("w", 30)
    status = store.cancel("alice", job)
    assert status.status == "cancelled" and status.counts.cancelled == 3
    assert store.finish("w", running.pk, _ok("d0")) is False
    assert store.claim("w", 30) is None
    assert list(store.results("alice", job)) == []


def test_another_owner_sees_no_such_job(store):
    job = store.create_job("alice", _docs(1), strategy="rules", main_only=False)
    for call in (
        lambda: store.status("bob", job),
        lambda: list(store.results("bob", job)),
        lambda: store.document("bob", job, "d0"),
        lambda: store.cancel("bob", job),
    ):
        with pytest.raises(NotFoundError) as info:
            call()
        assert info.value.reason == "unknown_job"
    assert store.status("alice", job).counts.queued == 1  # bob's cancel did nothing


def test_an_unknown_document_of_a_known_job_is_not_found(store):
    job = store.create_job("alice", _docs(1), strategy="rules", main_only=False)
    assert store.document("alice", job, "d0").text == "text 0"
    with pytest.raises(NotFoundError) as info:
        store.document("alice", job, "nope")
    assert info.value.reason == "unknown_document"


def test_two_stores_on_one_database_claiming_in_parallel_never_share_a_document(database_url):
    """Two replicas (two engines), four threads each, racing for 60 documents."""
    replicas = [JobStore(database_url), JobStore(database_url)]
    job = replicas[0].create_job("alice", _docs(60), strategy="rules", main_only=False)
    taken: list[tuple[str, str]] = []
    lock = threading.Lock()

    def drain(store: JobStore, worker: str) -> None:
        while (claimed := store.claim(worker, lease_s=30)) is not None:
            with lock:
                taken.append((claimed.doc_id, worker))
            assert store.finish(worker, claimed.pk, _ok(claimed.doc_id))

    threads = [
        threading.Thread(target=drain, args=(replicas[n % 2], f"r{n % 2}-t{n}")) for n in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    ids = [doc for doc, _ in taken]
    assert sorted(ids) == sorted(f"d{i}" for i in range(60))  # each exactly once
    assert {a for a, _, _ in replicas[0].attempts(job).values()} == {1}
    assert replicas[1].status("alice", job).status == "done"
    for s in replicas:
        s.close()


def test_a_bad_or_unsupported_database_url_is_a_config_error():
    with pytest.raises(ConfigError, match="not a valid"):
        JobStore("not a url ://")
    with pytest.raises(ConfigError, match="unsupported database 'mysql'"):
        JobStore("mysql://user:secret@host/db")
