"""Prompts are files: `prompts/<name>/`, versioned by name, hashed into every result.

A prompt folder holds `system.txt`, `user.txt` (with `$article`), optional
`examples.json` (few-shot pairs, never from the dev set) and optional `prompt.json`
(`{"strategy": "single" | "two-step"}`). The two-step strategy also has `step2.txt`
(with `$actors`). Templates are filled with `string.Template.substitute`: a missing
placeholder is an error, and article text is inserted last and literally (no Jinja:
braces in articles are data, not syntax). The hash covers every file in the folder,
so a changed prompt can never be served an old cached answer.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from string import Template

from .errors import ConfigError

DEFAULT_PROMPT = "v4"
STRATEGIES = ("single", "two-step")
STEP1_KEYS = ("outlet", "dateline", "actors")
STEP2_KEYS = ("claims", "meetings")


def prompts_dir() -> Path:
    """$EXTRACTOR_PROMPTS, else the `prompts/` folder shipped with the package."""
    env = os.environ.get("EXTRACTOR_PROMPTS")
    if env:
        return Path(env)
    packaged = Path(__file__).resolve().parent / "prompts"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "prompts"


def _compact(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def actor_listing(actors: list[tuple[str, str]]) -> str:
    """Step two's reminder of the step-one actors: `id = name`, one a line."""
    return "\n".join(f"{actor_id} = {name}" for actor_id, name in actors) or "(none)"


@dataclass(frozen=True)
class Prompt:
    name: str
    strategy: str
    constrain: bool
    system: str
    user: Template
    step2: Template | None
    examples: tuple[dict[str, str], ...]
    hash: str

    def messages(self, article: str) -> list[dict[str, str]]:
        """Static instructions and examples first, the article last (prefix-cache friendly)."""
        return [{"role": "system", "content": self.system}, *self.examples,
                {"role": "user", "content": self.user.substitute(article=article)}]

    def step2_messages(self, first: list[dict[str, str]], step1_output: str,
                       actors: list[tuple[str, str]]) -> list[dict[str, str]]:
        """Step two continues step one's conversation, so its whole prefix is cached."""
        if self.step2 is None:
            raise ConfigError(f"prompt {self.name!r} has no step2.txt")
        return [*first, {"role": "assistant", "content": step1_output},
                {"role": "user", "content": self.step2.substitute(actors=actor_listing(actors))}]


def load_prompt(name: str = DEFAULT_PROMPT, root: Path | None = None) -> Prompt:
    base = root or prompts_dir()
    folder = base / name
    if not folder.is_dir():
        known = sorted(p.name for p in base.glob("*") if p.is_dir())
        raise ConfigError(f"unknown prompt {name!r}; known prompts: {known}")
    config = {}
    if (folder / "prompt.json").is_file():
        config = json.loads((folder / "prompt.json").read_text(encoding="utf-8"))
    strategy = config.get("strategy", "single")
    if strategy not in STRATEGIES:
        raise ConfigError(f"prompt {name!r}: unknown strategy {strategy!r}")
    for required in ("system.txt", "user.txt"):
        if not (folder / required).is_file():
            raise ConfigError(f"prompt {name!r}: {required} is missing in {folder}")
    system = (folder / "system.txt").read_text(encoding="utf-8").strip()
    user_src = (folder / "user.txt").read_text(encoding="utf-8").strip()
    if "$article" not in user_src:
        raise ConfigError(f"prompt {name!r}: user.txt has no $article placeholder")
    user = Template(user_src)
    step2 = None
    if strategy == "two-step":
        step2_path = folder / "step2.txt"
        if not step2_path.is_file():
            raise ConfigError(f"prompt {name!r}: the two-step strategy needs step2.txt")
        step2 = Template(step2_path.read_text(encoding="utf-8").strip())
    examples: list[dict[str, str]] = []
    shots = folder / "examples.json"
    if shots.is_file():
        for shot in json.loads(shots.read_text(encoding="utf-8")):
            out = shot["output"]
            examples.append({"role": "user", "content": user.substitute(article=shot["article"])})
            if step2 is None:
                examples.append({"role": "assistant", "content": _compact(out)})
                continue
            examples.append({"role": "assistant",
                             "content": _compact({k: out[k] for k in STEP1_KEYS})})
            listing = actor_listing([(a["id"], a["name"]) for a in out["actors"]])
            examples.append({"role": "user", "content": step2.substitute(actors=listing)})
            examples.append({"role": "assistant",
                             "content": _compact({k: out[k] for k in STEP2_KEYS})})
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    constrain = bool(config.get("constrain", False))
    return Prompt(name, strategy, constrain, system, user, step2, tuple(examples),
                  digest.hexdigest()[:16])
