"""Check hand-labeled gold files against the record contract (RECORDS.md §1–2).

Gold is written by hand, so it gets the checks a labeler would otherwise forget:
shapes and enums, id references, the text's hash (gold is bound to one exact
text), and that every surface form the scorer will search for is verbatim in the
input. `check_gold` returns problems instead of raising so that one run lists all
of them at once.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

KINDS = {"person", "organization", "country", "media", "group"}
QUOTES = {"direct", "indirect"}
STATUSES = {"held", "ongoing", "planned", "cancelled"}
FORMATS = {"direct", "indirect", "unknown"}

ARTICLE_FIELDS = ("title", "published", "outlet", "dateline", "language",
                  "actors", "claims", "meetings")
ACTOR_FIELDS = ("id", "name", "name_en", "kind", "role", "affiliation", "anonymous", "aliases")
CLAIM_FIELDS = ("speakers", "statement", "evidence", "quote")
MEETING_FIELDS = ("participants", "mediators", "status", "format", "date", "date_text",
                  "location", "topic", "evidence")

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"\d{4}-\d{2}")


class _Checker:
    """Collects problems while walking one gold document."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[str] = []
        self.text: str | None = None

    def problem(self, where: str, msg: str) -> None:
        self.problems.append(f"{self.name}: {where}: {msg}" if where else f"{self.name}: {msg}")

    # ---- field helpers
    def required(self, obj: dict, fields: tuple[str, ...], where: str) -> bool:
        missing = [f for f in fields if f not in obj]
        if missing:
            self.problem(where, f"missing field(s) {', '.join(missing)}")
        return not missing

    def str_or_null(self, obj: dict, key: str, where: str) -> None:
        if key in obj and obj[key] is not None and not isinstance(obj[key], str):
            self.problem(where, f"{key} must be a string or null")

    def nonempty_str(self, obj: dict, key: str, where: str) -> bool:
        ok = isinstance(obj.get(key), str) and bool(obj[key].strip())
        if key in obj and not ok:
            self.problem(where, f"{key} must be a non-empty string")
        return ok

    def enum(self, obj: dict, key: str, allowed: set[str], where: str) -> None:
        if key in obj and obj[key] not in allowed:
            self.problem(where, f"{key} {obj[key]!r} not one of {sorted(allowed)}")

    def date(self, obj: dict, key: str, where: str, allow_month: bool) -> None:
        value = obj.get(key)
        if value is None:
            return
        if isinstance(value, str) and _valid_date(value, allow_month):
            return
        shape = "YYYY-MM-DD, YYYY-MM or null" if allow_month else "YYYY-MM-DD or null"
        self.problem(where, f"{key} {value!r} is not {shape}")

    def verbatim(self, value: Any, what: str, where: str) -> None:
        if self.text is not None and isinstance(value, str) and value and value not in self.text:
            self.problem(where, f"{what} {value!r} not found verbatim in the text")

    def id_refs(self, ids: Any, known: set[str], what: str, where: str, minimum: int) -> None:
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            self.problem(where, f"{what} must be a list of actor ids")
            return
        for i in ids:
            if i not in known:
                self.problem(where, f"{what} refers to unknown actor id {i!r}")
        if len(set(ids)) < minimum:
            self.problem(where, f"{what} needs at least {minimum} distinct actor id(s)")


def _valid_date(value: str, allow_month: bool) -> bool:
    """Shape and calendar check: '2023-02-30' is as wrong as '9 Oct'."""
    if _DAY.fullmatch(value):
        fmt = "%Y-%m-%d"
    elif allow_month and _MONTH.fullmatch(value):
        fmt = "%Y-%m"
    else:
        return False
    try:
        datetime.strptime(value, fmt)
    except ValueError:
        return False
    return True


def _check_actor(c: _Checker, actor: dict, where: str, known: set[str]) -> None:
    c.required(actor, ACTOR_FIELDS, where)
    if c.nonempty_str(actor, "name", where):
        c.verbatim(actor["name"], "name", where)
    c.nonempty_str(actor, "name_en", where)
    c.enum(actor, "kind", KINDS, where)
    c.str_or_null(actor, "role", where)
    aff = actor.get("affiliation")
    if aff is not None and (aff not in known or aff == actor.get("id")):
        c.problem(where, f"affiliation {aff!r} is not another actor's id")
    if "anonymous" in actor and not isinstance(actor["anonymous"], bool):
        c.problem(where, "anonymous must be true or false")
    aliases = actor.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
        c.problem(where, "aliases must be a list of non-empty strings")
        return
    for alias in aliases:
        c.verbatim(alias, "alias", where)


def _check_claim(c: _Checker, claim: dict, where: str, known: set[str]) -> None:
    c.required(claim, CLAIM_FIELDS, where)
    c.id_refs(claim.get("speakers"), known, "speakers", where, minimum=1)
    c.nonempty_str(claim, "statement", where)
    if c.nonempty_str(claim, "evidence", where):
        c.verbatim(claim["evidence"], "evidence", where)
    c.enum(claim, "quote", QUOTES, where)


def _check_meeting(c: _Checker, meeting: dict, where: str, known: set[str]) -> None:
    c.required(meeting, MEETING_FIELDS, where)
    c.id_refs(meeting.get("participants"), known, "participants", where, minimum=2)
    c.id_refs(meeting.get("mediators", []), known, "mediators", where, minimum=0)
    c.enum(meeting, "status", STATUSES, where)
    c.enum(meeting, "format", FORMATS, where)
    c.date(meeting, "date", where, allow_month=True)
    for key in ("date_text", "location", "topic"):
        c.str_or_null(meeting, key, where)
    c.verbatim(meeting.get("date_text"), "date_text", where)
    c.verbatim(meeting.get("location"), "location", where)
    if c.nonempty_str(meeting, "evidence", where):
        c.verbatim(meeting["evidence"], "evidence", where)


def _check_list(
    c: _Checker,
    article: dict,
    key: str,
    where: str,
    check: Callable[[_Checker, dict, str, set[str]], None],
    known: set[str],
) -> None:
    items = article.get(key)
    if not isinstance(items, list):
        if key in article:
            c.problem(where, f"{key} must be a list")
        return
    for k, item in enumerate(items):
        loc = f"{where}.{key}[{k}]"
        if isinstance(item, dict):
            check(c, item, loc, known)
        else:
            c.problem(loc, "must be an object")


def _actor_ids(c: _Checker, article: dict, where: str) -> set[str]:
    """Ids of the article's actors, reporting duplicates and non-string ids."""
    seen: set[str] = set()
    actors = article.get("actors")
    for k, actor in enumerate(actors if isinstance(actors, list) else []):
        aid = actor.get("id") if isinstance(actor, dict) else None
        if not isinstance(aid, str) or not aid:
            c.problem(f"{where}.actors[{k}]", "id must be a non-empty string")
        elif aid in seen:
            c.problem(f"{where}.actors[{k}]", f"duplicate actor id {aid!r}")
        else:
            seen.add(aid)
    return seen


def _check_article(c: _Checker, article: Any, where: str) -> None:
    if not isinstance(article, dict):
        c.problem(where, "must be an object")
        return
    c.required(article, ARTICLE_FIELDS, where)
    for key in ("title", "outlet", "dateline"):
        c.str_or_null(article, key, where)
    c.date(article, "published", where, allow_month=False)
    c.nonempty_str(article, "language", where)
    known = _actor_ids(c, article, where)
    _check_list(c, article, "actors", where, _check_actor, known)
    _check_list(c, article, "claims", where, _check_claim, known)
    _check_list(c, article, "meetings", where, _check_meeting, known)


def find_text(text_file: str, corpus_dirs: list[Path]) -> Path | None:
    """The first corpus folder that holds `text_file`."""
    for d in corpus_dirs:
        candidate = Path(d) / text_file
        if candidate.is_file():
            return candidate
    return None


def _check_text(c: _Checker, doc: dict, corpus_dirs: list[Path]) -> None:
    """Find the input text and check its hash; sets `c.text` for the verbatim checks."""
    text_file = doc.get("text_file")
    if not isinstance(text_file, str) or not text_file:
        return
    path = find_text(text_file, corpus_dirs)
    if path is None:
        dirs = ", ".join(str(d) for d in corpus_dirs)
        c.problem("", f"text_file {text_file!r} not found in {dirs}")
        return
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if isinstance(doc.get("sha256"), str) and doc["sha256"] != digest:
        c.problem("", f"sha256 does not match {path} (file has {digest})")
    c.text = raw.decode("utf-8")


def check_gold(path: Path, corpus_dirs: list[Path]) -> list[str]:
    """All problems of one gold file, each prefixed with the file name; empty means clean."""
    c = _Checker(Path(path).name)
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        c.problem("", f"cannot read JSON: {exc}")
        return c.problems
    if not isinstance(doc, dict):
        c.problem("", "top level must be an object")
        return c.problems
    c.required(doc, ("id", "text_file", "sha256", "language", "articles"), "")
    for key in ("id", "text_file", "sha256", "language"):
        c.nonempty_str(doc, key, "")
    if isinstance(doc.get("id"), str) and doc["id"] != Path(path).stem:
        c.problem("", f"id {doc['id']!r} does not match the file name")
    _check_text(c, doc, corpus_dirs)
    articles = doc.get("articles")
    if not isinstance(articles, list) or not articles:
        c.problem("", "articles must be a non-empty list")
        return c.problems
    for k, article in enumerate(articles):
        _check_article(c, article, f"articles[{k}]")
    return c.problems


def load_gold_dir(directory: Path) -> dict[str, dict]:
    """Every `*.json` gold document in `directory`, keyed by its `id`.

    Raises ValueError on a duplicate id: two files silently shadowing each
    other would drop a document from every score.
    """
    gold: dict[str, dict] = {}
    for path in sorted(Path(directory).glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc_id = doc["id"]
        if doc_id in gold:
            raise ValueError(f"duplicate gold id {doc_id!r} in {path}")
        gold[doc_id] = doc
    return gold
