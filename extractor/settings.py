"""Settings with one precedence: explicit argument > environment > default.

Frozen, so an `Extractor` cannot change under a running batch. The API key is read
from the environment (or passed in) and never written anywhere: it is excluded
from `repr`, from cache keys and from every result.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .llm.prompts import STRATEGY_PROMPTS, check_prompt_name
from .llm.runtime import cache_dir

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
MODES = ("json_schema", "json", "tools", "md_json")  # Instructor modes, by name
# "two-step": the LLM writes actors, then claims and meetings (prompt `v4`);
# "cues": cue stages find claims, speakers and meetings, the LLM names the actors
#   and answers who described speakers are and how meetings stand (prompt `names2`);
# "rules": cue stages only, no model at all.
STRATEGIES = ("two-step", "cues", "rules")

_ENV = {
    "model": "EXTRACTOR_MODEL",
    "base_url": "EXTRACTOR_BASE_URL",
    "mode": "EXTRACTOR_MODE",
    "prompt": "EXTRACTOR_PROMPT",
    "cache_dir": "EXTRACTOR_CACHE_DIR",
    "gguf": "EXTRACTOR_GGUF",
    "strategy": "EXTRACTOR_STRATEGY",
    "deadline": "EXTRACTOR_DEADLINE",
    "time_budget": "EXTRACTOR_TIME_BUDGET",
    "stall_timeout": "EXTRACTOR_STALL_TIMEOUT",
    "timeout": "EXTRACTOR_FIRST_TOKEN_TIMEOUT",
    "rules_off": "EXTRACTOR_RULES_OFF",
}


def _check_base_url(url: str) -> None:
    """An http(s) URL with a host and, if any, a valid port (credentials never echoed)."""
    from urllib.parse import urlsplit  # noqa: PLC0415

    try:
        parts = urlsplit(url.strip())
        _ = parts.port  # raises ValueError for "host:99999" or "host:abc"
    except ValueError:
        raise ConfigError("base URL has an invalid port") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        scheme = f" (scheme {parts.scheme!r})" if parts.scheme else ""
        raise ConfigError(f"base URL must be http(s)://host[:port][/path]{scheme}")


@dataclass(frozen=True)
class Settings:
    model: str | None = None
    strategy: str = "rules"
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    mode: str = "json_schema"
    prompt: str = ""  # "" = the strategy's own (STRATEGY_PROMPTS)
    max_reasks: int = 2
    max_tokens: int = 1536
    temperature: float = 0.0
    # Time is measured by progress (streamed tokens), not by a fixed timeout:
    timeout: float = 900.0  # seconds to the first token (prompt processing), per request
    stall_timeout: float = 120.0  # seconds without a token once the answer has started
    deadline: float | None = None  # total seconds per article (every call of it); None = none
    time_budget: float | None = None  # seconds of the cue stages per input; None = no limit
    stream: bool = True  # stream answers: progress is seen, stalls are told from slowness
    max_response_bytes: int = 8_000_000
    transport_attempts: int = 6
    use_cache: bool = True
    cache_dir: Path | None = None
    gguf: Path | None = None
    n_ctx: int = 8192
    max_chars: int = 200_000
    chunk_chars: int = 5000
    max_calls: int | None = None  # LLM calls per input; None = derived from max_chars
    repeat_penalty: float | None = None
    compact_json: bool | None = None  # llama.cpp-only grammar; None = on for the embedded model
    constrain: bool | None = None  # enum-constrained names/ids; None = on where compact_json is
    rules_off: tuple[str, ...] = ()  # named cue rules switched off, for diagnosis (docs/rules.md)

    def __post_init__(self) -> None:
        """Reject a bad setting when it is made, not at the first LLM call."""
        if self.strategy not in STRATEGIES:
            raise ConfigError(
                f"unknown strategy {self.strategy!r}; known strategies: {list(STRATEGIES)}"
            )
        if self.base_url is not None:
            _check_base_url(self.base_url)
        if self.mode not in MODES:
            raise ConfigError(f"unknown mode {self.mode!r}; known modes: {list(MODES)}")
        if self.prompt:
            check_prompt_name(self.prompt)
        self._check_rules_off()
        for name in (
            "max_reasks",
            "max_tokens",
            "transport_attempts",
            "n_ctx",
            "max_chars",
            "chunk_chars",
            "max_response_bytes",
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise ConfigError(f"{name} must be an integer, got {value!r}")
            if value < (0 if name == "max_reasks" else 1):
                raise ConfigError(f"{name} must be at least {0 if name == 'max_reasks' else 1}")
        if self.max_calls is not None and (
            not isinstance(self.max_calls, int) or isinstance(self.max_calls, bool)
        ):
            raise ConfigError(f"max_calls must be an integer, got {self.max_calls!r}")
        if self.max_calls is not None and self.max_calls < 1:
            raise ConfigError("max_calls must be at least 1")
        for name in ("timeout", "stall_timeout", "deadline", "time_budget"):
            value = getattr(self, name)
            if value is None and name in ("deadline", "time_budget"):
                continue
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not 0 < value < math.inf
            ):
                what = "timeout (the first-token allowance)" if name == "timeout" else name
                raise ConfigError(f"{what} must be a positive number of seconds, got {value!r}")

    def _check_rules_off(self) -> None:
        """Only registered rule names, in one order, so equal settings compare equal.

        Nothing to check when none is switched off, so settings never load the rule
        registry (every cue module and lexicon) unless a rule name was given.
        """
        if isinstance(self.rules_off, str) or not all(isinstance(n, str) for n in self.rules_off):
            raise ConfigError(f"rules_off must be a sequence of rule names, got {self.rules_off!r}")
        if not self.rules_off:
            object.__setattr__(self, "rules_off", ())
            return
        from .cues import rulebook  # noqa: PLC0415

        try:
            names = sorted(rulebook.known(tuple(self.rules_off)))
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        object.__setattr__(self, "rules_off", tuple(names))

    @classmethod
    def resolve(cls, **explicit: object) -> Settings:
        """Build settings from explicit values (None = unset), then env, then defaults."""
        values: dict[str, Any] = {}
        names = {f.name for f in fields(cls)}
        unknown = set(explicit) - names
        if unknown:
            raise TypeError(f"unknown settings: {sorted(unknown)}")
        for name in names:
            value = explicit.get(name)
            if value is None and name in _ENV:
                value = os.environ.get(_ENV[name]) or None
            if value is not None:
                values[name] = value
        if "api_key" not in values:
            key = os.environ.get("EXTRACTOR_API_KEY") or os.environ.get("OPENAI_API_KEY")
            if key:
                values["api_key"] = key
        if "base_url" not in values and os.environ.get("OPENAI_BASE_URL"):
            values["base_url"] = os.environ["OPENAI_BASE_URL"]
        for number in ("deadline", "stall_timeout", "timeout"):
            if isinstance(values.get(number), str):
                try:
                    values[number] = float(values[number])
                except ValueError:
                    raise ConfigError(
                        f"{_ENV[number]} must be a number of seconds, got {values[number]!r}"
                    ) from None
        if isinstance(values.get("rules_off"), str):  # EXTRACTOR_RULES_OFF="a.b,c.d"
            values["rules_off"] = tuple(
                n.strip() for n in values["rules_off"].split(",") if n.strip()
            )
        for path_field in ("cache_dir", "gguf"):
            if path_field in values:
                values[path_field] = Path(str(values[path_field])).expanduser()
        return cls(**values)

    @property
    def embedded(self) -> bool:
        """No server and no key: use the embedded local model (or a given GGUF)."""
        return self.base_url is None and (self.api_key is None or self.gguf is not None)

    @property
    def grammar_backend(self) -> bool:
        """Whether the server compiles JSON schemas into grammars (llama.cpp)."""
        return self.compact_json if self.compact_json is not None else self.embedded

    @property
    def constrained(self) -> bool:
        """Whether names and ids are enum-constrained (only where a grammar enforces it)."""
        wanted = self.constrain if self.constrain is not None else True
        return wanted and self.grammar_backend

    @property
    def call_budget(self) -> int:
        """LLM calls one input may make: `max_calls`, or what a full-size input needs.

        A text at the size limit cut into chunks, two steps per chunk (doubled for the
        overlap between windows), each with its re-asks: an input ten times the limit
        (which chunking accepts) cannot quietly cost ten times that.
        """
        if self.max_calls is not None:
            return self.max_calls
        chunks = -(-self.max_chars // self.chunk_chars)
        return 4 * chunks * (1 + self.max_reasks)

    @property
    def prompt_name(self) -> str:
        """The prompt chosen, or the strategy's own: read late, so `with_(strategy=…)` follows."""
        return self.prompt or STRATEGY_PROMPTS[self.strategy]

    def cache_path(self) -> Path:
        return self.cache_dir or cache_dir() / "completions"

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)
