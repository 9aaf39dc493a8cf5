"""Lexicons are files: `lexicons/<language>.json`, general linguistic resources, hashed.

Reporting verbs, attribution phrases, source nouns, quotation marks, meeting
triggers and status markers for one language. Like prompts, a lexicon is data
versioned with the code and hashed into every result and cache key, so a change to
a word list can never be served an old answer. Words are compared after the
RECORDS.md §3 normalization; Arabic clitics are added by the cue stage, not listed.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..text.normalize import normalize

LANGUAGES = ("ar", "en")
# Quotation marks of both scripts; '' is the double quote of some English wire copy.
OPEN_QUOTES = ("«", "“", '"', "„", "''", "‹")
CLOSE_QUOTES = ("»", "”", '"', "“", "''", "›")


def lexicons_dir() -> Path:
    """$EXTRACTOR_LEXICONS, else the `lexicons/` folder shipped with the package."""
    env = os.environ.get("EXTRACTOR_LEXICONS")
    if env:
        return Path(env)
    packaged = Path(__file__).resolve().parents[1] / "lexicons"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "lexicons"


def _words(values: object, name: str, language: str) -> frozenset[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise ConfigError(f"lexicon {language!r}: {name} must be a list of non-empty strings")
    return frozenset(normalize(v) for v in values)


@dataclass(frozen=True)
class Lexicon:
    """One language's cue words, normalized; `phrases` keep their word order."""

    language: str
    hash: str
    reporting_verbs: frozenset[str]
    continuation_verbs: frozenset[str]
    attribution_phrases: tuple[tuple[str, ...], ...]
    complementizers: frozenset[str]
    speaker_stops: frozenset[str]
    source_nouns: frozenset[str]
    group_nouns: frozenset[str]
    media_nouns: frozenset[str]
    organization_nouns: frozenset[str]
    pronoun_subjects: frozenset[str]
    not_claim_cues: tuple[str, ...]
    meeting_triggers: frozenset[str]
    planned_markers: tuple[str, ...]
    cancelled_markers: tuple[str, ...]
    ongoing_markers: tuple[str, ...]
    indirect_markers: tuple[str, ...]
    direct_markers: tuple[str, ...]
    mediator_markers: tuple[str, ...]
    not_meeting: tuple[str, ...]
    statement_nouns: frozenset[str] = frozenset()
    relay_prefixes: tuple[str, ...] = ()
    verb_adverbs: frozenset[str] = frozenset()
    future_prefixes: tuple[str, ...] = ()
    relative_pronouns: frozenset[str] = frozenset()
    title_nouns: frozenset[str] = frozenset()  # titles and posts written before a name
    thing_heads: frozenset[str] = frozenset()  # last words of names of things: "… Prize"
    inverting_verbs: frozenset[str] = frozenset()  # may precede their subject: '"…," said X'
    fronting_words: frozenset[str] = frozenset()  # open a phrase before the subject: "In …,"
    speaking_verbs: frozenset[str] = frozenset()  # speech that reports no statement: "تحدث عن"
    pair_nouns: frozenset[str] = frozenset()  # two parties in one phrase: "الجانبان", "both sides"


_SETS = (
    "reporting_verbs",
    "continuation_verbs",
    "complementizers",
    "speaker_stops",
    "source_nouns",
    "group_nouns",
    "media_nouns",
    "organization_nouns",
    "pronoun_subjects",
    "meeting_triggers",
)
_OPTIONAL_SETS = (
    "statement_nouns",
    "verb_adverbs",
    "relative_pronouns",
    "title_nouns",
    "thing_heads",
    "inverting_verbs",
    "fronting_words",
    "speaking_verbs",
    "pair_nouns",
)
_PHRASES = (
    "not_claim_cues",
    "planned_markers",
    "cancelled_markers",
    "ongoing_markers",
    "indirect_markers",
    "direct_markers",
    "mediator_markers",
    "not_meeting",
)
_OPTIONAL_PHRASES = ("relay_prefixes", "future_prefixes")


@cache
def load_lexicon(language: str, root: Path | None = None) -> Lexicon:
    """The lexicon of `language` ("ar" or "en"); ConfigError names what is wrong."""
    if language not in LANGUAGES:
        raise ConfigError(f"no lexicon for language {language!r}; known: {list(LANGUAGES)}")
    path = (root or lexicons_dir()) / f"{language}.json"
    try:
        raw = path.read_bytes()
        data = json.loads(raw)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"lexicon {path} cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"lexicon {path} must be a JSON object")
    values: dict[str, Any] = {}
    for name in _SETS + _OPTIONAL_SETS:
        if name in data or name in _SETS:
            values[name] = _words(data.get(name), name, language)
    for name in _PHRASES + _OPTIONAL_PHRASES:
        if name in data or name in _PHRASES:
            values[name] = tuple(
                sorted(_words(data.get(name), name, language), key=len, reverse=True)
            )
    phrases = _words(data.get("attribution_phrases"), "attribution_phrases", language)
    values["attribution_phrases"] = tuple(
        sorted((tuple(p.split()) for p in phrases), key=len, reverse=True)
    )
    digest = hashlib.sha256(path.name.encode() + b"\0" + raw).hexdigest()[:16]
    return Lexicon(language=language, hash=digest, **values)


@dataclass(frozen=True)
class Place:
    """A country or bloc: its English name and the forms one language writes it in."""

    name_en: str
    forms: tuple[str, ...]
    kind: str = "country"


@dataclass(frozen=True)
class Gazetteer:
    language: str
    hash: str
    places: tuple[Place, ...]


def _forms(forms: list[str], language: str) -> tuple[str, ...]:
    """The listed forms, plus the indefinite Arabic adjectives ("عمانية" of "العمانية")."""
    out = list(forms)
    if language == "ar":
        for form in forms:
            if form.startswith("ال") and " " not in form and form.endswith(("ي", "ية", "يين")):
                out.append(form[2:])
    return tuple(dict.fromkeys(out))


@cache
def load_gazetteer(language: str, root: Path | None = None) -> Gazetteer:
    """Countries and blocs as `language` writes them (`lexicons/countries.json`)."""
    path = (root or lexicons_dir()) / "countries.json"
    try:
        raw = path.read_bytes()
        data = json.loads(raw)
        places = tuple(
            Place(
                str(c["name_en"]),
                _forms([str(f) for f in c.get(language, [])], language),
                str(c.get("kind", "country")),
            )
            for c in data["countries"]
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"gazetteer {path} cannot be read: {exc}") from exc
    digest = hashlib.sha256(path.name.encode() + b"\0" + raw).hexdigest()[:16]
    return Gazetteer(language, digest, places)


def lexicons_hash() -> str:
    """One hash over every shipped lexicon and gazetteer: what results and cache keys record."""
    digest = hashlib.sha256()
    for language in LANGUAGES:
        digest.update(load_lexicon(language).hash.encode())
    digest.update(load_gazetteer("en").hash.encode())
    return digest.hexdigest()[:16]
