"""A folder of result partitions: `extract-many` records written in whole files, never torn.

The Ray engine's output is a folder (local, or any filesystem pyarrow writes: `s3://`,
`gs://`, `hdfs://`) of `part-*.jsonl` files, one record a line as `extract-many`
writes them, or of `part-*.parquet` files when the folder is named `*.parquet`
(columns `id`, `sha256`, `ok`, and `record`: the same JSON line). Each partition is
written under a temporary name, synced (on a local disk), then renamed, so a
reader, and a resumed run, only ever sees whole partitions.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from ..errors import OutputError

PARQUET_COLUMNS = pa.schema(
    [("id", pa.string()), ("sha256", pa.string()), ("ok", pa.bool_()), ("record", pa.string())]
)


class Partitions:
    """The partitions under `out`: read every record of them, or add one more."""

    def __init__(self, out: str) -> None:
        self.out = out
        self.parquet = out.rstrip("/").endswith(".parquet")
        self.suffix = ".parquet" if self.parquet else ".jsonl"
        try:
            self.fs, self.root = pafs.FileSystem.from_uri(out)
        except (pa.ArrowInvalid, ValueError):  # a plain relative path
            self.fs, self.root = pafs.LocalFileSystem(), os.path.abspath(out)
        self.local = isinstance(self.fs, pafs.LocalFileSystem)
        self.run = uuid.uuid4().hex[:8]  # this run's partitions: part-RUN-00000
        self.count = 0

    def files(self) -> list[str]:
        """The whole partitions there are now (temporary files of a killed run left out)."""
        selector = pafs.FileSelector(self.root, recursive=True, allow_not_found=True)
        try:
            infos = self.fs.get_file_info(selector)
        except OSError as exc:
            raise OutputError(
                f"{self.out}: cannot list the output ({exc})", path=self.out
            ) from None
        return sorted(
            i.path
            for i in infos
            if i.type == pafs.FileType.File
            and Path(i.path).name.startswith("part-")
            and i.path.endswith(self.suffix)
        )

    def records(self) -> Iterator[dict[str, Any]]:
        """Every record of every partition, in file order."""
        for path in self.files():
            if self.parquet:
                table = pq.read_table(path, filesystem=self.fs, columns=["record"])
                lines = table.column("record").to_pylist()
            else:
                with self.fs.open_input_stream(path) as fh:
                    lines = fh.read().decode("utf-8", errors="replace").splitlines()
            for line in lines:
                record = _record(line)
                if record is not None:
                    yield record

    def write(self, rows: list[dict[str, Any]]) -> str:
        """One more partition of `rows` (`id`, `sha256`, `ok`, `record`): whole, or not at all."""
        self.count += 1
        name = f"part-{self.run}-{self.count:05d}{self.suffix}"
        final = f"{self.root.rstrip('/')}/{name}"
        temporary = f"{self.root.rstrip('/')}/.{name}.tmp"
        try:
            self.fs.create_dir(self.root, recursive=True)
            if self.local:
                _write_local(temporary, self._bytes(rows))
            else:
                with self.fs.open_output_stream(temporary) as fh:
                    fh.write(self._bytes(rows))
            self.fs.move(temporary, final)
        except OSError as exc:
            raise OutputError(
                f"{final}: writing a partition failed ({exc}); its documents are not done "
                "and will be redone",
                path=final,
            ) from None
        return final

    def _bytes(self, rows: list[dict[str, Any]]) -> bytes:
        if not self.parquet:
            return "".join(f"{row['record']}\n" for row in rows).encode("utf-8")
        sink = pa.BufferOutputStream()
        table = pa.Table.from_pylist(rows, schema=PARQUET_COLUMNS)
        pq.write_table(table, sink)
        return bytes(sink.getvalue().to_pybytes())


def _write_local(path: str, data: bytes) -> None:
    """Every byte, then fsync: a partition on a local disk survives a power cut."""
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _record(line: object) -> dict[str, Any] | None:
    """A JSON-object line as a record; anything else (a torn or foreign line) is none."""
    if not isinstance(line, str) or not line.strip():
        return None
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        return None
    return record if isinstance(record, dict) else None
