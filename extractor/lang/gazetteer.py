"""Countries and blocs as each language writes them: the gazetteer the packs share.

`countries.json` beside the packs lists each place once, with its forms per language;
a language whose pack has clitics also gets the indefinite adjectives.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import ConfigError
from .lexicon import GAZETTEER_FILE, languages, lexicons_dir, load_lexicon


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


def _forms(forms: list[str], clitics: bool) -> tuple[str, ...]:
    """The listed forms, plus the indefinite Arabic adjectives ("عمانية" of "العمانية")."""
    adjectives = [f for f in forms if f.endswith(("ي", "ية", "يين")) and " " not in f]
    bare = [f[2:] for f in adjectives if clitics and f.startswith("ال")]  # article comes off
    return tuple(dict.fromkeys([*forms, *bare]))


@cache
def load_gazetteer(language: str, root: Path | None = None) -> Gazetteer:
    """Countries and blocs as `language` writes them (`countries.json`, shared by the packs)."""
    path = (root or lexicons_dir()) / GAZETTEER_FILE
    clitics = language in languages(root) and "clitics" in load_lexicon(language, root).traits
    try:
        raw = path.read_bytes()
        data = json.loads(raw)
        places = tuple(
            Place(
                str(c["name_en"]),
                _forms([str(f) for f in c.get(language, [])], clitics),
                str(c.get("kind", "country")),
            )
            for c in data["countries"]
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"gazetteer {path} cannot be read: {exc}") from exc
    digest = hashlib.sha256(path.name.encode() + b"\0" + raw).hexdigest()[:16]
    return Gazetteer(language, digest, places)
