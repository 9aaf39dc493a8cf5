"""Prompts are files: `prompts/<name>/`, versioned by name, hashed into every result.

A prompt folder holds `system.txt`, `user.txt` (with `$article`), `step2.txt` (with
`$actors`) and optional `examples.json` (few-shot pairs, never from the dev set).
Step one asks for outlet, dateline and actors; step two, on the same conversation,
for claims and meetings citing step one's ids. A folder without `step2.txt` is a
one-question prompt (`names2`, the `cues` strategy's, or the older `names1`): its
examples are single turns, and it cannot drive the two-step strategy. Its optional
`decide.txt` (with `$actors` and `$claims`) asks, on the same conversation, who the
speakers that the text only describes are; its optional `meet.txt` (with
`$meetings`, in `names2`) whether each meeting is held or planned, direct or not; its
optional `pair.txt` (with `$actors` and `$claims`) which two actors a pair phrase such
as "الجانبان" is.
Templates are filled with
`string.Template.substitute`: a missing placeholder is an error, and article text
is inserted last and literally (no Jinja: braces in articles are data, not syntax).
The hash covers every file in the folder, so a changed prompt can never be served
an old cached answer. Whether decoding is constrained is a setting, not a prompt.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

from ..errors import ConfigError

DEFAULT_PROMPT = "v4"  # the two-step strategy's
# Each strategy's prompt when none is chosen.
STRATEGY_PROMPTS = {"cues": "names2", "two-step": "v4", "rules": "names2"}
STEP1_KEYS = ("outlet", "dateline", "actors")
STEP2_KEYS = ("claims", "meetings")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")

Message = dict[str, str]


def prompts_dir() -> Path:
    """$EXTRACTOR_PROMPTS, else the `prompts/` folder shipped with the package."""
    env = os.environ.get("EXTRACTOR_PROMPTS")
    if env:
        return Path(env)
    packaged = Path(__file__).resolve().parents[1] / "prompts"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "prompts"


def check_prompt_name(name: str) -> None:
    """A prompt is named, never addressed by path: `../../x` must not load a folder."""
    if not isinstance(name, str) or not _NAME.fullmatch(name) or ".." in name:
        raise ConfigError(
            f"prompt name {name!r} is not a name (letters, digits, '.', '_', '-'; no paths)"
        )


def _compact(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def actor_listing(actors: list[tuple[str, str]]) -> str:
    """Step two's reminder of the step-one actors: `id = name`, one a line."""
    return "\n".join(f"{actor_id} = {name}" for actor_id, name in actors) or "(none)"


@dataclass(frozen=True)
class Prompt:
    name: str
    system: str
    user: Template
    step2: Template | None  # None: a one-question prompt
    examples: tuple[Message, ...]
    hash: str
    decide: Template | None = None  # `decide.txt`: who described speakers are ($actors, $claims)
    meet: Template | None = None  # `meet.txt`: who meets in the meeting sentences ($meetings)
    pair: Template | None = None  # `pair.txt`: which two actors a pair phrase is ($actors, $claims)

    def messages(self, article: str) -> list[Message]:
        """Static instructions and examples first, the article last (prefix-cache friendly)."""
        return [
            {"role": "system", "content": self.system},
            *self.examples,
            {"role": "user", "content": self.user.substitute(article=article)},
        ]

    def decide_messages(
        self, first: list[Message], answer: str, fields: dict[str, str]
    ) -> list[Message]:
        """The speaker question continues the names conversation: its prefix is cached."""
        return self._follow_up(self.decide, "decide.txt", first, answer, fields)

    def meet_messages(
        self, first: list[Message], answer: str, fields: dict[str, str]
    ) -> list[Message]:
        """The meeting question continues the names conversation too."""
        return self._follow_up(self.meet, "meet.txt", first, answer, fields)

    def pair_messages(
        self, first: list[Message], answer: str, fields: dict[str, str]
    ) -> list[Message]:
        """The pair question continues the names conversation too."""
        return self._follow_up(self.pair, "pair.txt", first, answer, fields)

    def _follow_up(
        self,
        template: Template | None,
        file: str,
        first: list[Message],
        answer: str,
        fields: dict[str, str],
    ) -> list[Message]:
        if template is None:
            raise ConfigError(f"prompt {self.name!r} has no {file}")
        question = template.substitute(**fields)
        return [
            *first,
            {"role": "assistant", "content": answer},
            {"role": "user", "content": question},
        ]

    def step2_messages(
        self, first: list[Message], step1_output: str, actors: list[tuple[str, str]]
    ) -> list[Message]:
        """Step two continues step one's conversation, so its whole prefix is cached."""
        if self.step2 is None:
            raise ConfigError(f"prompt {self.name!r} has no step two (no step2.txt)")
        return [
            *first,
            {"role": "assistant", "content": step1_output},
            {"role": "user", "content": self.step2.substitute(actors=actor_listing(actors))},
        ]


def _read(folder: Path, name: str, prompt: str) -> str:
    path = folder / name
    if not path.is_file():
        raise ConfigError(f"prompt {prompt!r}: {name} is missing in {folder}")
    return path.read_text(encoding="utf-8").strip()


def load_prompt(name: str = DEFAULT_PROMPT, root: Path | None = None) -> Prompt:
    check_prompt_name(name)
    base = root or prompts_dir()
    folder = base / name
    if not folder.is_dir():
        known = sorted(p.name for p in base.glob("*") if p.is_dir())
        raise ConfigError(f"unknown prompt {name!r}; known prompts: {known}")
    system = _read(folder, "system.txt", name)
    user_src = _read(folder, "user.txt", name)
    if "$article" not in user_src:
        raise ConfigError(f"prompt {name!r}: user.txt has no $article placeholder")
    user = Template(user_src)
    step2 = Template(_read(folder, "step2.txt", name)) if (folder / "step2.txt").exists() else None
    examples: list[Message] = []
    shots = folder / "examples.json"
    if shots.is_file():
        try:
            loaded = json.loads(shots.read_text(encoding="utf-8"))
            for shot in loaded:
                out = shot["output"]
                examples += [
                    {"role": "user", "content": user.substitute(article=shot["article"])},
                    {"role": "assistant", "content": _compact({k: out[k] for k in STEP1_KEYS})},
                ]
                if step2 is not None:
                    listing = actor_listing([(a["id"], a["name"]) for a in out["actors"]])
                    examples += [
                        {"role": "user", "content": step2.substitute(actors=listing)},
                        {"role": "assistant", "content": _compact({k: out[k] for k in STEP2_KEYS})},
                    ]
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"prompt {name!r}: examples.json is malformed ({exc})") from exc
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    decide, meet, pair = (
        Template(_read(folder, f, name)) if (folder / f).exists() else None
        for f in ("decide.txt", "meet.txt", "pair.txt")
    )
    return Prompt(
        name, system, user, step2, tuple(examples), digest.hexdigest()[:16], decide, meet, pair
    )
