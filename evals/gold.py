"""Gold files: load them as `Document`s, check them, and find the texts they label.

Gold and predictions validate against the library's own records
(`extractor.models.Document`): enums, dates, id references are written once,
there. What only a hand-labeled file needs is checked here: the text's hash (gold
is bound to one exact text), the file name, and that every surface form the scorer
will search for is verbatim in the input. `check_gold` returns problems instead of
raising, so one run lists all of them at once.

Two things a gold file may say that a prediction never does (RECORDS.md §3,
"Claims-only gold"): `"scope": "claims-only"` at the top (only claims were labeled
exhaustively) and `"pronoun": true` on an actor (a source such as "he" or "who" whose
referent the labels do not give). `GoldDocument` keeps both. `extractor.models.Actor`
has no `pronoun` field and ignores unknown keys, so the flag is read from the raw
JSON before the library's model drops it; the library stays the one definition of
every record field it has.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import ModelWrapValidatorHandler, PrivateAttr, ValidationError, model_validator

from extractor.models import Document

Scope = Literal["full", "claims-only"]
CLAIMS_ONLY: Scope = "claims-only"


class GoldError(ValueError):
    """A gold folder cannot be used: unreadable or invalid file, duplicate id, missing text."""


class GoldDocument(Document):
    """A gold file: a `Document` plus its `scope` and which actors are pronouns.

    `scope` is "full" unless the file says "claims-only"; any other value is an error,
    since a misspelled scope would silently score unlabeled actors and meetings as
    misses. The pronoun flags live in a private attribute, per article, because the
    library's `Actor` has no such field (see the module docstring).
    """

    scope: Scope = "full"
    _pronouns: tuple[frozenset[str], ...] = PrivateAttr(default=())

    @model_validator(mode="wrap")
    @classmethod
    def _read_pronouns(cls, data: Any, handler: ModelWrapValidatorHandler[GoldDocument]) -> Any:
        doc = handler(data)
        doc._pronouns = _raw_pronouns(data)
        return doc

    def pronoun_actors(self, article: int) -> frozenset[str]:
        """Ids of the actors marked `"pronoun": true` in article number `article`."""
        return self._pronouns[article] if article < len(self._pronouns) else frozenset()


def _raw_pronouns(data: Any) -> tuple[frozenset[str], ...]:
    """Per article, the ids of actors with `"pronoun": true` in raw gold data.

    Runs after the model validated `data`, so the shapes are known to be right; only
    the flag itself is checked here (a string "true" is as wrong as a misspelled scope).
    """
    if not isinstance(data, dict):  # already a model instance: nothing raw to read
        return ()
    out = []
    for article in data.get("articles") or []:
        ids = set()
        actors = article.get("actors") if isinstance(article, dict) else None
        for actor in actors or []:
            if not isinstance(actor, dict):
                continue
            flag = actor.get("pronoun", False)
            if not isinstance(flag, bool):
                raise ValueError(f"actor {actor.get('id')!r}: pronoun must be true or false")
            if flag:
                ids.add(str(actor["id"]))
        out.append(frozenset(ids))
    return tuple(out)


def gold_scope(doc: Document) -> Scope:
    """The scope of a gold document; a plain `Document` (no scope given) is full."""
    return doc.scope if isinstance(doc, GoldDocument) else "full"


def pronoun_actors(doc: Document, article: int) -> frozenset[str]:
    """Ids of the pronoun actors of one gold article (none for a plain `Document`)."""
    return doc.pronoun_actors(article) if isinstance(doc, GoldDocument) else frozenset()


@dataclass(frozen=True)
class Case:
    """One scored input: its gold document, the prediction (None = invalid) and its text."""

    gold: Document
    pred: Document | None
    text: str


def validation_problems(exc: ValidationError) -> list[str]:
    """Pydantic's errors as `where: what` lines, `where` written like `articles[0].claims[1]`."""
    out = []
    for error in exc.errors():
        where = ""
        for part in error["loc"]:
            where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else part)
        msg = str(error["msg"]).removeprefix("Value error, ")
        out.append(f"{where}: {msg}" if where else msg)
    return out


def parse_document(data: object) -> Document | None:
    """A prediction as a `Document`, or None when it fails validation (an invalid output)."""
    try:
        return Document.model_validate(data)
    except ValidationError:
        return None


def load_document(path: Path, model: type[Document] = Document) -> Document:
    """One prediction (or, with `model=GoldDocument`, gold) file; GoldError says why not."""
    try:
        return model.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise GoldError(f"{path}: cannot read ({exc.strerror})") from exc
    except ValidationError as exc:
        raise GoldError(f"{path}: " + "; ".join(validation_problems(exc)[:5])) from exc


def load_gold_dir(directory: Path) -> dict[str, Document]:
    """Every `*.json` gold document in `directory`, keyed by its `id`.

    A duplicate id is an error: two files silently shadowing each other would drop
    a document from every score.
    """
    gold: dict[str, Document] = {}
    for path in sorted(Path(directory).glob("*.json")):
        doc = load_document(path, GoldDocument)
        if doc.id in gold:
            raise GoldError(f"duplicate gold id {doc.id!r} in {path}")
        gold[doc.id] = doc
    if not gold:
        raise GoldError(f"no gold files (*.json) in {directory}")
    return gold


def find_text(text_file: str, corpus_dirs: Iterable[Path]) -> Path | None:
    """The first corpus folder that holds `text_file`."""
    for d in corpus_dirs:
        candidate = Path(d) / text_file
        if candidate.is_file():
            return candidate
    return None


def text_path(doc: Document, corpus_dirs: Sequence[Path]) -> Path:
    """Where the text of a gold document is; GoldError naming the folders when nowhere."""
    path = find_text(doc.text_file or "", corpus_dirs) if doc.text_file else None
    if path is None:
        raise GoldError(
            f"text {doc.text_file!r} of gold {doc.id!r} not found in "
            f"{[str(d) for d in corpus_dirs]}"
        )
    return path


def cases(
    gold: dict[str, Document], preds: dict[str, Document | None], corpus_dirs: Sequence[Path]
) -> list[Case]:
    """(gold, prediction, text) of every gold document, in id order: what scoring takes."""
    return [
        Case(doc, preds.get(doc_id), text_path(doc, corpus_dirs).read_text(encoding="utf-8"))
        for doc_id, doc in sorted(gold.items())
    ]


def _verbatim(doc: Document, text: str) -> list[str]:
    problems = []

    def need(value: str | None, what: str, where: str) -> None:
        if value and value not in text:
            problems.append(f"{where}: {what} {value!r} not found verbatim in the text")

    for k, article in enumerate(doc.articles):
        for j, actor in enumerate(article.actors):
            where = f"articles[{k}].actors[{j}]"
            need(actor.name, "name", where)
            for alias in actor.aliases:
                need(alias, "alias", where)
        for j, claim in enumerate(article.claims):
            need(claim.evidence, "evidence", f"articles[{k}].claims[{j}]")
        for j, meeting in enumerate(article.meetings):
            where = f"articles[{k}].meetings[{j}]"
            need(meeting.date_text, "date_text", where)
            need(meeting.location, "location", where)
            need(meeting.evidence, "evidence", where)
    return problems


def check_gold(path: Path, corpus_dirs: Sequence[Path]) -> list[str]:
    """All problems of one gold file, each prefixed with the file name; empty means clean."""
    name = Path(path).name
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [f"{name}: cannot read JSON: {exc}"]
    except RecursionError:
        return [f"{name}: cannot read JSON: nested too deeply"]
    if not isinstance(data, dict):
        return [f"{name}: top level must be an object"]
    try:
        doc = GoldDocument.model_validate(data)
    except ValidationError as exc:
        return [f"{name}: {p}" for p in validation_problems(exc)]
    problems = []
    for field in ("text_file", "sha256", "language"):
        if not getattr(doc, field):
            problems.append(f"{field} is required in a gold file")
    if doc.id != Path(path).stem:
        problems.append(f"id {doc.id!r} does not match the file name")
    if not doc.articles:
        problems.append("articles must be a non-empty list")
    if doc.text_file:
        found = find_text(doc.text_file, corpus_dirs)
        if found is None:
            dirs = ", ".join(str(d) for d in corpus_dirs)
            problems.append(f"text_file {doc.text_file!r} not found in {dirs}")
        else:
            raw = found.read_bytes()
            digest = hashlib.sha256(raw).hexdigest()
            if doc.sha256 and doc.sha256 != digest:
                problems.append(f"sha256 does not match {found} (file has {digest})")
            problems += _verbatim(doc, raw.decode("utf-8"))
    return [f"{name}: {p}" for p in problems]
