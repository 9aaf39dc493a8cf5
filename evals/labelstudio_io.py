"""Files of the Label Studio round trip: predictions and their texts in, tasks and gold out.

`eval export-labelstudio` reads predictions as `eval score` does (an `extract --json`
file or a folder of them, gold-shaped files, an `extract-many` JSONL file) and finds
the text each was made from: an `extract-many` line names its file (or its `.jsonl`
set, whose line holds the text); a JSON file's text is found by its `text_file` or its
stem in the given folders and beside it. Predictions that do not fit the text found
(an evidence that is not at its span) are refused: spans into another text would
make nonsense regions. `eval import-labelstudio` reads Label Studio's JSON export and
writes one gold file per annotated task.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from extractor.errors import ExtractorError
from extractor.models import Article, Claim, Meeting
from extractor.text.inputs import read_bytes, read_input

from .gold import GoldDocument, GoldError, validation_problems
from .labelstudio import AnnotationError, Source, digest, gold_of
from .predictions import extract_many_lines

TEXT_SUFFIXES = (".txt", ".text", ".md", "")


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise GoldError(f"{path}: not JSON ({exc})") from exc


def _articles(data: Any, where: str) -> list[Article]:
    try:
        return [Article.model_validate(a) for a in data]
    except (TypeError, ValidationError) as exc:
        why = "; ".join(validation_problems(exc)[:2]) if isinstance(exc, ValidationError) else exc
        raise GoldError(f"{where}: not a list of articles ({why})") from exc


def _read_text(path: Path) -> tuple[str, str]:
    """The text the extractor read from `path`, and the file's SHA-256 (what gold pins)."""
    try:
        page = read_input(path)
        raw = read_bytes(path)
    except ExtractorError as exc:
        raise GoldError(str(exc)) from exc
    if page.html:
        raise GoldError(
            f"{path}: an HTML page; save the text its spans refer to "
            "(`extractor extract PAGE --save-text FILE`) and export against that file"
        )
    return page.text, hashlib.sha256(raw).hexdigest()


def _find_text(names: Sequence[str], dirs: Sequence[Path]) -> Path | None:
    for d in dirs:
        for name in names:
            for suffix in ("",) if Path(name).suffix else TEXT_SUFFIXES:
                candidate = d / f"{name}{suffix}"
                if candidate.is_file():
                    return candidate
    return None


def _from_jsonl_set(path: Path, doc_id: str) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            if (
                isinstance(item, dict)
                and item.get("id") == doc_id
                and isinstance(item.get("text"), str)
            ):
                return str(item["text"])
    raise GoldError(f"{path}: no line with id {doc_id!r} and a text")


def safe_id(doc_id: str, notes: list[str]) -> str:
    """A document id fit to name a gold file: a path's stem (extract-many of a named file)."""
    if "/" in doc_id or "\\" in doc_id:
        stem = Path(doc_id.replace("\\", "/")).stem
        notes.append(f"{doc_id}: a path, exported as {stem!r}")
        return stem
    return doc_id


def _jsonl_sources(path: Path, dirs: Sequence[Path], notes: list[str]) -> Iterator[Source]:
    for n, record in extract_many_lines(path):
        doc_id, where = safe_id(record["id"], notes), f"{path}, line {n}"
        if record.get("ok") is not True:
            notes.append(f"{doc_id}: extraction failed, left out ({record.get('error')})")
            continue
        articles = _articles(record.get("articles"), where)
        file = Path(str(record.get("file") or ""))
        if file.suffix == ".jsonl" and file.is_file():
            text = _from_jsonl_set(file, doc_id)
            yield Source(doc_id, text, f"{doc_id}.txt", digest(text), articles)
            continue
        found = file if file.is_file() else _find_text([file.name, doc_id], dirs)
        if found is None:
            raise GoldError(
                f"{where}: the text of {doc_id!r} is not at {file} nor in {list(map(str, dirs))}"
            )
        text, sha = _read_text(found)
        yield Source(doc_id, text, found.name, sha, articles)


def _json_source(path: Path, dirs: Sequence[Path]) -> Source:
    data = _json(path)
    if isinstance(data, dict) and "articles" in data:
        doc_id, names = (
            str(data.get("id") or path.stem),
            [str(data.get("text_file") or ""), path.stem],
        )
        data = data["articles"]
    else:
        doc_id, names = path.stem, [path.stem]
    articles = _articles(data, str(path))
    found = _find_text([n for n in names if n], [*dirs, path.parent])
    if found is None:
        where = " or ".join(n for n in names if n)
        folders = [str(d) for d in [*dirs, path.parent]]
        raise GoldError(f"{path}: its text ({where}) is in none of {folders} (--text DIR)")
    text, sha = _read_text(found)
    return Source(doc_id, text, found.name, sha, articles)


def check_fit(source: Source) -> None:
    """Refuse predictions whose evidence is not at its span in the text found for them."""
    for k, article in enumerate(source.articles):
        records: list[tuple[str, int, Claim | Meeting]] = [
            *(("claims", i, c) for i, c in enumerate(article.claims)),
            *(("meetings", i, m) for i, m in enumerate(article.meetings)),
        ]
        for kind, i, r in records:
            if r.span and source.text[r.span[0] : r.span[1]] != r.evidence:
                raise GoldError(
                    f"{source.id}: articles[{k}].{kind}[{i}] is not at its span in "
                    f"{source.text_file}: predictions of another text?"
                )


def read_sources(paths: Sequence[Path], dirs: Sequence[Path], notes: list[str]) -> list[Source]:
    """Every prediction in `paths` with its text, checked to fit it; ids must be unique."""
    out: list[Source] = []
    for path in paths:
        if path.is_dir():
            out += [_json_source(p, dirs) for p in sorted(path.glob("*.json"))]
        elif path.suffix == ".jsonl":
            out += list(_jsonl_sources(path, dirs, notes))
        elif path.is_file():
            out.append(_json_source(path, dirs))
        else:
            raise GoldError(f"no such file or folder: {path}")
    seen: set[str] = set()
    for source in out:
        if source.id in seen:
            raise GoldError(f"document id {source.id!r} comes twice")
        seen.add(source.id)
        check_fit(source)
    return out


def annotation(task: dict[str, Any]) -> list[Any] | None:
    """The result of the task's last annotation not cancelled (None: not annotated)."""
    kept = [
        a
        for a in task.get("annotations") or []
        if isinstance(a, dict) and not a.get("was_cancelled")
    ]
    return list(kept[-1].get("result") or []) if kept else None


def _gold_document(task: dict[str, Any], result: list[Any]) -> GoldDocument:
    """The gold document of one annotated task; AnnotationError says why not."""
    try:
        doc = GoldDocument.model_validate(gold_of(task, result))
    except ValidationError as exc:
        raise AnnotationError("; ".join(validation_problems(exc)[:5])) from exc
    if Path(doc.id).name != doc.id or doc.id.startswith("."):
        raise AnnotationError(f"id {doc.id!r} cannot name a gold file")
    return doc


def _write_text(task: dict[str, Any], doc: GoldDocument, out_dir: Path) -> None:
    """The task's text beside its gold, as `text_file` (an input with no file of its own)."""
    name = doc.text_file or ""
    if Path(name).name != name or not name or name.startswith("."):
        raise AnnotationError(f"text_file {name!r} cannot name a file")
    path, text = out_dir / name, task["data"]["text"]
    if path.exists():
        if path.read_bytes() != text.encode("utf-8"):
            raise AnnotationError(f"{path} exists with another text")
        return
    path.write_text(text, encoding="utf-8", newline="")
    if doc.sha256 != hashlib.sha256(text.encode("utf-8")).hexdigest():
        raise AnnotationError(f"{path}: written, but its SHA-256 is not the task's sha256")


def import_tasks(
    export: Path, out_dir: Path, notes: list[str], *, with_texts: bool = False
) -> tuple[list[Path], list[str]]:
    """Gold files from a Label Studio JSON export: (files written, problems of the others).

    With `with_texts`, each task's text is also written beside its gold as its
    `text_file`, for inputs that had no file of their own (a JSONL set's lines).
    """
    tasks = _json(export)
    if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
        raise GoldError(f"{export}: not a Label Studio JSON export (a list of tasks)")
    written: list[Path] = []
    problems: list[str] = []
    for n, task in enumerate(tasks):
        name = str((task.get("data") or {}).get("doc_id") or f"task {task.get('id', n)}")
        result = annotation(task)
        if result is None:
            notes.append(f"{name}: no annotation, no gold written")
            continue
        try:
            doc = _gold_document(task, result)
            path = out_dir / f"{doc.id}.json"
            if path in written:
                raise AnnotationError(f"a second task with id {doc.id!r}")
            out_dir.mkdir(parents=True, exist_ok=True)
            if with_texts:
                _write_text(task, doc, out_dir)
        except AnnotationError as exc:
            problems.append(f"{name}: {exc}")
            continue
        unlabeled = {"rejected", "notes", "meta", "error"}  # what only a run writes
        leave: dict[str, Any] = {"scope": True, "articles": {"__all__": unlabeled}}
        body = doc.model_dump(mode="json", exclude=leave)
        path.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(path)
    return written, problems
