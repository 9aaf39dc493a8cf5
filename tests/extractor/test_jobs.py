"""The job store, on a SQLite file and on a real PostgreSQL server (`database_url` runs both)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from extractor.errors import ConfigError, InputError, NotFoundError
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


# ------------------------------------------------------------------ the jobs API's side


def _finish_all(store: JobStore) -> None:
    while (claimed := store.claim("w", 30)) is not None:
        assert store.finish("w", claimed.pk, _ok(claimed.doc_id))


def test_a_job_is_finished_once_by_the_one_call_that_sees_its_last_document(store):
    job = store.create_job("alice", _docs(2), strategy="rules")
    first = store.claim("w", 30)
    store.finish("w", first.pk, _ok("d0"))
    assert store.complete(job) is None  # d1 is still queued
    assert store.status("alice", job).finished_at is None
    _finish_all(store)
    finished = store.complete(job)
    assert finished is not None and finished.status == "done"
    assert finished.finished_at is not None and finished.finished_at >= finished.created_at
    assert finished.created_at.tzinfo is not None and finished.created_at.utcoffset().seconds == 0
    assert store.complete(job) is None  # once: no second webhook, on any replica


def test_jobs_are_listed_newest_first_a_page_at_a_time_and_only_the_owners(store):
    made = [store.create_job("alice", _docs(1), strategy="rules") for _ in range(5)]
    store.create_job("bob", _docs(1), strategy="rules")
    seen, cursor, pages = [], None, 0
    while True:
        page, cursor = store.list_jobs("alice", cursor=cursor, limit=2)
        seen += [j.job_id for j in page]
        pages += 1
        if cursor is None:
            break
    assert seen == list(reversed(made)) and pages == 3
    assert store.list_jobs("carol") == ([], None)


def test_a_cursor_not_given_by_the_store_is_an_input_error(store):
    with pytest.raises(InputError) as info:
        store.list_jobs("alice", cursor="bm90IGEgY3Vyc29y")
    assert info.value.reason == "cursor"


def test_results_come_a_page_at_a_time_in_submission_order(store):
    job = store.create_job("alice", _docs(5), strategy="rules")
    _finish_all(store)
    page, after = store.results_page("alice", job, limit=2)
    assert [r["id"] for r in page] == ["d0", "d1"]
    page, after = store.results_page("alice", job, after=after, limit=2)
    assert [r["id"] for r in page] == ["d2", "d3"]
    page, after = store.results_page("alice", job, after=after, limit=2)
    assert ([r["id"] for r in page], after) == (["d4"], None)
    with pytest.raises(NotFoundError):
        store.results_page("bob", job)


def test_delete_purges_the_texts_and_results_and_the_job_is_then_unknown(store):
    job = store.create_job("alice", _docs(3), strategy="rules")
    running = store.claim("w", 30)
    deleted = store.delete("alice", job)
    assert (deleted.status, deleted.total) == ("deleted", 3)
    assert store.finish("w", running.pk, _ok("d0")) is False  # a late result goes nowhere
    with pytest.raises(NotFoundError):
        store.status("alice", job)
    with store.engine.connect() as conn:
        left = conn.execute(text("SELECT count(*) FROM extractor_documents")).scalar_one()
    assert left == 0


def test_retention_purges_only_jobs_finished_longer_ago_than_it(store):
    old = store.create_job("alice", _docs(1), strategy="rules")
    _finish_all(store)
    store.complete(old)
    running = store.create_job("alice", _docs(1), strategy="rules")
    time.sleep(0.3)
    fresh = store.create_job("alice", _docs(1), strategy="rules")
    _finish_all(store)
    store.complete(running), store.complete(fresh)
    with store.engine.begin() as conn:  # `old` finished two hours ago
        conn.execute(
            text("UPDATE extractor_jobs SET finished_at = finished_at - 7200 WHERE id = :id"),
            {"id": old},
        )
    assert store.purge_finished(3600) == 1
    assert {j.job_id for j in store.list_jobs("alice")[0]} == {running, fresh}
    unfinished = store.create_job("alice", _docs(1), strategy="rules")
    assert store.purge_finished(0.0) == 2  # finished ones only, however young
    assert [j.job_id for j in store.list_jobs("alice")[0]] == [unfinished]


def test_the_backlog_counts_a_keys_unfinished_jobs_and_open_documents(store):
    store.create_job("alice", _docs(3), strategy="rules")
    store.create_job("bob", _docs(1), strategy="rules")
    assert store.backlog("alice") == (1, 3)
    _finish_all(store)
    assert store.backlog("alice") == (1, 0)  # finished documents; the job not yet marked
    for job in store.unfinished_jobs():
        store.complete(job)
    assert store.backlog("alice") == (0, 0)


def test_an_idempotency_key_finds_the_owners_job_only(store):
    from extractor.service.jobs import Submission

    sub = Submission("rules", idempotency_key="k1", request_sha256="h")
    job = store.create_job("alice", _docs(2), strategy="rules", submission=sub)
    assert store.by_idempotency_key("alice", "k1") == (job, "h", 2)
    assert store.by_idempotency_key("bob", "k1") is None
    store.create_job("bob", _docs(1), strategy="rules", submission=sub)  # keys are per owner
    with pytest.raises(IntegrityError):
        store.create_job("alice", _docs(1), strategy="rules", submission=sub)
