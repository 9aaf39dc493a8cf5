"""The worker under a failing store and dying threads: no document is lost or held forever."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from extractor.service.jobs import Claimed, JobStore, NewDocument
from extractor.service.worker import Worker


def disk_full() -> OperationalError:
    return OperationalError("UPDATE …", {}, sqlite3.OperationalError("database or disk is full"))


class FullDisk:
    """A JobStore whose writes of results fail while `full` is set (a disk with no room)."""

    def __init__(self, store: JobStore) -> None:
        self.store = store
        self.full = threading.Event()
        self.failed_writes = 0

    def finish(self, worker: str, pk: int, record: dict[str, Any]) -> bool:
        if self.full.is_set():
            self.failed_writes += 1
            raise disk_full()
        return self.store.finish(worker, pk, record)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def job_of(store: JobStore, n: int) -> str:
    docs = [NewDocument(f"d{i}", f"text {i}", f"{i:064x}") for i in range(n)]
    return store.create_job("alice", docs, strategy="rules", main_only=False)


@pytest.fixture
def store(tmp_path: Path):
    s = JobStore(f"sqlite:///{tmp_path / 'jobs.sqlite3'}")
    yield s
    s.close()


def test_a_full_disk_kills_no_thread_and_the_results_land_once_it_has_room(store):
    full = FullDisk(store)
    full.full.set()
    worker = Worker(full, lambda c: [], threads=1, lease_s=1.0, poll_s=0.05)  # type: ignore[arg-type]
    job = job_of(store, 2)
    worker.start()
    try:
        assert wait_for(lambda: full.failed_writes >= 3)  # backs off and tries again
        assert all(t.is_alive() for t in worker._threads)
        assert worker.health().startswith("backing off from store errors (OperationalError)")
        time.sleep(1.5)  # over the lease: kept, because its thread is alive and retrying
        assert store.attempts(job)["d0"] == (1, worker.id, "running")
        full.full.clear()
        assert wait_for(lambda: store.status("alice", job).status == "done")
    finally:
        worker.stop(grace_s=2)
    assert {d: (a, s) for d, (a, _, s) in store.attempts(job).items()} == {
        "d0": (1, "done"),
        "d1": (1, "done"),
    }
    assert worker.health() == "ok"


def test_a_claim_that_fails_is_retried_with_growing_waits(store):
    calls: list[float] = []

    class Unreachable(FullDisk):
        def claim(self, worker: str, lease_s: float) -> Claimed | None:
            calls.append(time.monotonic())
            raise disk_full()

    worker = Worker(Unreachable(store), lambda c: [], threads=1, poll_s=0.05)  # type: ignore[arg-type]
    worker.start()
    try:
        assert wait_for(lambda: len(calls) >= 5)
    finally:
        worker.stop(grace_s=1)
    gaps = [b - a for a, b in zip(calls, calls[1:], strict=False)]
    assert gaps[3] > gaps[0] * 4  # 0.05, 0.1, 0.2, 0.4 s: backing off, not spinning


class ThreadKilled(BaseException):
    """What no `except Exception` catches: a thread dies of it."""


def test_the_document_of_a_dead_thread_is_not_renewed_and_runs_again(store, monkeypatch):
    monkeypatch.setattr(threading, "excepthook", lambda args: None)  # the death is the point
    calls = []

    def extract(claimed: Claimed) -> list[Any]:
        calls.append(claimed.doc_id)
        if len(calls) == 1:
            raise ThreadKilled
        return []

    worker = Worker(store, extract, threads=1, lease_s=0.6, poll_s=0.05)
    job = job_of(store, 1)
    worker.start()
    try:
        # the heartbeat beats every 0.2 s; the dead thread's lease must still run out
        assert wait_for(lambda: store.status("alice", job).status == "done", timeout=10)
    finally:
        worker.stop(grace_s=2)
    assert calls == ["d0", "d0"]
    assert store.attempts(job)["d0"][0] == 2


def test_the_heartbeat_renews_only_what_live_threads_hold(store):
    job_of(store, 2)
    first = store.claim("w", lease_s=0.5)
    second = store.claim("w", lease_s=0.5)
    assert first is not None and second is not None
    assert store.renew("w", 30, pks=[first.pk]) == 1
    time.sleep(0.6)
    again = store.claim("other", lease_s=30)
    assert again is not None and again.pk == second.pk  # the unrenewed one expired
