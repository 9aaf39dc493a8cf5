"""The service's settings, fixed when it starts (explicit > environment > default)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputError
from ..llm.runtime import cache_dir
from ..settings import STRATEGIES, Settings
from .auth import load_keys
from .jobs import default_url


@dataclass(frozen=True)
class ServiceConfig:
    """Everything the service needs, fixed when it starts (explicit > environment > default)."""

    extractor: Settings = field(default_factory=Settings)
    database_url: str | None = None
    api_keys: tuple[str, ...] = ()  # SHA-256 digests, never keys
    cors_origins: tuple[str, ...] = ()
    max_body_bytes: int = 32 * 1024 * 1024
    max_inflight_per_key: int = 8
    max_documents: int = 100_000
    worker_threads: int = 2
    lease_s: float = 30.0
    poll_s: float = 0.5
    run_worker: bool = True
    # strategies a client may ask for besides the one the service was started with
    # (`serve --allow-strategy`): a rules-only service never loads a model on request
    allow_strategies: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = sorted(set(self.allow_strategies) - set(STRATEGIES))
        if unknown:
            raise ConfigError(
                f"unknown strategy {', '.join(unknown)}: allow one of {', '.join(STRATEGIES)}"
            )
        for name in ("max_body_bytes", "max_inflight_per_key", "max_documents", "worker_threads"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1")
        if self.lease_s <= 0 or self.poll_s <= 0:
            raise ConfigError("lease_s and poll_s must be positive")

    @classmethod
    def resolve(
        cls,
        extractor: Settings,
        *,
        database_url: str | None = None,
        api_keys_file: Path | None = None,
        cors_origins: tuple[str, ...] = (),
        **options: Any,
    ) -> ServiceConfig:
        env_file = os.environ.get("EXTRACTOR_API_KEYS_FILE")
        keys = load_keys(
            os.environ.get("EXTRACTOR_API_KEYS"),
            api_keys_file or (Path(env_file) if env_file else None),
        )
        origins = cors_origins or tuple(
            o.strip() for o in os.environ.get("EXTRACTOR_CORS_ORIGINS", "").split(",") if o.strip()
        )
        return cls(
            extractor=extractor,
            database_url=database_url or os.environ.get("EXTRACTOR_DATABASE_URL") or None,
            api_keys=keys,
            cors_origins=origins,
            **{k: v for k, v in options.items() if v is not None},
        )

    @property
    def strategies(self) -> tuple[str, ...]:
        """What a request may name: the started strategy first, then the allowed ones."""
        return tuple(dict.fromkeys((self.extractor.strategy, *self.allow_strategies)))

    def check_strategy(self, name: str | None) -> str:
        """The strategy to run for a request naming `name` (None: the started one).

        Anything not started or allowed is an InputError (422) naming what is allowed,
        raised before any extractor, and so any model, is made.
        """
        chosen = name or self.extractor.strategy
        if chosen not in self.strategies:
            raise InputError(
                f"strategy {chosen!r} is not served here; allowed: {', '.join(self.strategies)}",
                reason="strategy",
            )
        return chosen

    def store_url(self) -> str:
        return self.database_url or default_url(cache_dir())
