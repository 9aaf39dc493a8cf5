"""Specification of the completion cache: content-addressed keys, JSON values, shareable."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractor.llm.cache import CACHE_FORMAT, CompletionCache, cache_key

PARTS = {
    "model": "qwen2.5-coder-1.5b",
    "endpoint": "embedded",
    "prompt": "v3:0123456789abcdef",
    "schema": "schema-hash-1",
    "decoding": {"temperature": 0.0, "max_tokens": 2048},
    "messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "قال الوزير"}],
}
USAGE = {"prompt_tokens": 120, "completion_tokens": 30}


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[CompletionCache]:
    c = CompletionCache(tmp_path / "cache")
    yield c
    c.close()


class TestCacheKey:
    def test_is_a_sha256_hex_digest(self) -> None:
        key = cache_key(**PARTS)
        assert len(key) == 64 and int(key, 16) >= 0

    def test_is_deterministic(self) -> None:
        assert cache_key(**PARTS) == cache_key(**dict(PARTS))

    def test_argument_order_does_not_matter(self) -> None:
        assert cache_key(**PARTS) == cache_key(**dict(reversed(list(PARTS.items()))))

    def test_nested_dict_key_order_does_not_matter(self) -> None:
        a = {**PARTS, "decoding": {"temperature": 0.0, "max_tokens": 2048}}
        b = {**PARTS, "decoding": {"max_tokens": 2048, "temperature": 0.0}}
        assert cache_key(**a) == cache_key(**b)

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("model", "gpt-4o-mini"),
            ("endpoint", "http://localhost:8080/v1"),
            ("prompt", "v3:fedcba9876543210"),
            ("schema", "schema-hash-2"),
            ("decoding", {"temperature": 0.2, "max_tokens": 2048}),
            ("decoding", {"temperature": 0.0, "max_tokens": 4096}),
            (
                "messages",
                [{"role": "system", "content": "s"}, {"role": "user", "content": "قال الوزير."}],
            ),
        ],
    )
    def test_changes_with_any_part(self, field: str, value: object) -> None:
        assert cache_key(**{**PARTS, field: value}) != cache_key(**PARTS)

    def test_message_order_matters(self) -> None:
        swapped = {**PARTS, "messages": list(reversed(PARTS["messages"]))}
        assert cache_key(**swapped) != cache_key(**PARTS)

    def test_a_missing_part_changes_the_key(self) -> None:
        fewer = {k: v for k, v in PARTS.items() if k != "schema"}
        assert cache_key(**fewer) != cache_key(**PARTS)


class TestRoundTrip:
    def test_miss_is_none(self, cache: CompletionCache) -> None:
        assert cache.get(cache_key(**PARTS)) is None

    def test_put_then_get(self, cache: CompletionCache) -> None:
        key = cache_key(**PARTS)
        raw = '{"actors": [{"name": "قطر"}]}'
        cache.put(key, raw, USAGE, notes=["kept after 2 re-asks with problems: x"])
        entry = cache.get(key)
        assert entry is not None
        assert entry is not None
        assert entry.raw == raw
        assert entry.notes == ["kept after 2 re-asks with problems: x"]
        stored = json.loads(cache._cache.get(key))
        assert stored["format"] == CACHE_FORMAT and stored["usage"] == USAGE

    def test_values_are_stored_as_json_text(self, cache: CompletionCache) -> None:
        key = cache_key(**PARTS)
        cache.put(key, "{}", USAGE)
        stored = cache._cache.get(key)
        assert isinstance(stored, str) and stored.startswith("{")

    def test_survives_reopening(self, tmp_path: Path) -> None:
        key = cache_key(**PARTS)
        first = CompletionCache(tmp_path / "c")
        first.put(key, "{}", USAGE)
        first.close()
        second = CompletionCache(tmp_path / "c")
        try:
            assert second.get(key).raw == "{}"
        finally:
            second.close()

    def test_drop(self, cache: CompletionCache) -> None:
        key = cache_key(**PARTS)
        cache.put(key, "{}", USAGE)
        cache.drop(key)
        assert cache.get(key) is None
        cache.drop(key)  # dropping a missing key is harmless


class TestCorruption:
    @pytest.mark.parametrize(
        "garbage",
        [
            "not json",
            '{"format": 1, "raw": ',  # truncated
            "[1, 2]",  # JSON, but not an object
            "null",
            "42",
            '{"format": 999, "raw": "{}", "usage": {}}',  # another format
            '{"format": 1, "raw": 7, "usage": {}}',  # raw is not text
            '{"format": 1, "usage": {}}',  # raw missing
        ],
    )
    def test_corrupted_value_is_a_miss_and_is_dropped(
        self, cache: CompletionCache, garbage: str
    ) -> None:
        key = cache_key(**PARTS)
        cache._cache.set(key, garbage)
        assert cache.get(key) is None
        assert key not in cache._cache

    def test_a_corrupted_entry_can_be_rewritten(self, cache: CompletionCache) -> None:
        key = cache_key(**PARTS)
        cache._cache.set(key, "not json")
        assert cache.get(key) is None
        cache.put(key, "{}", USAGE)
        assert cache.get(key).raw == "{}"


def test_two_processes_share_one_directory(tmp_path: Path) -> None:
    directory = tmp_path / "shared-cache"
    key = cache_key(**PARTS)
    writer = (
        "import sys\n"
        "from extractor.llm.cache import CompletionCache\n"
        "c = CompletionCache(sys.argv[1])\n"
        "usage = {'prompt_tokens': 1, 'completion_tokens': 2}\n"
        'c.put(sys.argv[2], \'{"from": "child"}\', usage)\n'
        "c.close()\n"
    )
    reader = CompletionCache(directory)  # opened before the other process writes
    try:
        subprocess.run(
            [sys.executable, "-c", writer, str(directory), key],
            check=True,
            timeout=60,
            capture_output=True,
        )
        entry = reader.get(key)
        assert entry is not None
        assert entry.raw == '{"from": "child"}'
        assert json.loads(reader._cache.get(key))["usage"] == {
            "prompt_tokens": 1,
            "completion_tokens": 2,
        }
    finally:
        reader.close()


# ------------------------------------------------------------------ nothing stored is executed


class _RunsCode:
    """Pickles to a call of os.system: what a planted cache row would hold."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        import os

        return (os.system, (f"touch {self.marker}",))


KEY = cache_key(**PARTS)


def _plant_pickle(directory: Path, marker: Path) -> None:
    import diskcache

    with diskcache.Cache(str(directory)) as raw:  # diskcache's default Disk pickles
        raw.set(KEY, _RunsCode(marker))


def test_a_planted_pickle_row_never_runs(tmp_path: Path) -> None:
    # Before: this row ran its shell command during a normal `extract`.
    marker = tmp_path / "pwned"
    _plant_pickle(tmp_path / "cache", marker)
    cache = CompletionCache(tmp_path / "cache")
    assert cache.get(KEY) is None
    assert not marker.exists()
    cache.put(KEY, '{"actors": []}', USAGE)
    assert cache.get(KEY) is not None  # the row was dropped and can be rewritten
    cache.close()


def test_a_row_naming_a_file_outside_the_cache_is_neither_read_nor_deleted(
    tmp_path: Path,
) -> None:
    # Before: a row naming ../file made the extractor read and then delete that file.
    import sqlite3

    victim = tmp_path / "victim.txt"
    victim.write_text('{"format": 1, "raw": "{}", "notes": []}')
    cache = CompletionCache(tmp_path / "cache")
    cache.put(KEY, '{"actors": []}', USAGE)
    cache.close()
    with sqlite3.connect(tmp_path / "cache" / "cache.db") as db:
        db.execute(
            "UPDATE Cache SET mode = 3, filename = '../victim.txt', value = NULL WHERE key = ?",
            (KEY,),
        )
    cache = CompletionCache(tmp_path / "cache")
    assert cache.get(KEY) is None
    cache.clear()
    cache.close()
    assert victim.read_text().startswith('{"format"')


def test_no_value_is_ever_written_to_a_file_of_its_own(tmp_path: Path) -> None:
    cache = CompletionCache(tmp_path / "cache")
    cache.put(KEY, "x" * 100_000, USAGE)  # over diskcache's usual 32 KB file threshold
    assert cache.get(KEY) is not None
    cache.close()
    assert sorted(p.name for p in (tmp_path / "cache").iterdir() if p.is_dir()) == []


# ------------------------------------------------------------------ the disk can fail


def test_a_corrupted_database_is_moved_aside_and_the_cache_starts_clean(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "cache.db").write_bytes(b"this is not sqlite" * 100)
    cache = CompletionCache(folder)
    assert cache.disabled is None
    cache.put(KEY, "{}", USAGE)
    assert cache.get(KEY) is not None
    cache.close()
    assert len(list(folder.glob("cache.db.corrupt-*"))) == 1
    assert "corrupted" in caplog.text


def test_a_cache_path_that_is_a_file_means_no_cache_and_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "file"
    path.write_text("x")
    cache = CompletionCache(path)
    assert cache.disabled is not None and cache.get(KEY) is None
    cache.put(KEY, "{}", USAGE)  # a no-op, not an error
    assert len([r for r in caplog.records if r.levelname == "WARNING"]) == 1


def test_a_read_only_cache_means_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    import diskcache

    def read_only(*args, **kwargs):  # what sqlite says on a read-only directory
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(diskcache, "Cache", read_only)
    cache = CompletionCache(tmp_path / "cache")
    assert cache.disabled and "readonly" in cache.disabled
    assert cache.get(KEY) is None
    cache.put(KEY, "{}", USAGE)


def test_a_full_disk_on_write_turns_the_cache_off_once(
    cache: CompletionCache, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import sqlite3

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(cache._cache, "set", full)
    cache.put(KEY, "{}", USAGE)
    cache.put(KEY, "{}", USAGE)
    assert cache.disabled and "disk is full" in cache.disabled
    assert cache.get(KEY) is None
    assert len([r for r in caplog.records if r.levelname == "WARNING"]) == 1


def test_info_and_clear(cache: CompletionCache) -> None:
    cache.put(KEY, "{}", USAGE)
    info = cache.info()
    assert info["entries"] == 1 and info["bytes"] > 0 and info["size_limit"] == 2**32
    assert cache.clear() == 1 and cache.info()["entries"] == 0
