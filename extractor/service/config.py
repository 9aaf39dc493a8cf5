"""The service's settings, fixed when it starts (explicit > environment > default)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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
    # jobs: finished ones purged after this many hours (None: kept until deleted)
    retention_hours: float | None = None
    # per key: unfinished jobs and open documents before a submission is a 429
    max_queued_jobs_per_key: int = 100
    max_queued_documents_per_key: int = 500_000
    # a document whose worker died this many times fails (attempts_exhausted)
    max_attempts: int = 3
    # completion webhooks: URL prefixes a job's webhook_url must start with, and the
    # HMAC secret that signs them (from the environment only, never in a repr or log)
    webhook_allow: tuple[str, ...] = ()
    webhook_secret: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.allow_strategies) - set(STRATEGIES))
        if unknown:
            raise ConfigError(
                f"unknown strategy {', '.join(unknown)}: allow one of {', '.join(STRATEGIES)}"
            )
        for name in (
            "max_body_bytes",
            "max_inflight_per_key",
            "max_documents",
            "worker_threads",
            "max_queued_jobs_per_key",
            "max_queued_documents_per_key",
            "max_attempts",
        ):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1")
        if self.lease_s <= 0 or self.poll_s <= 0:
            raise ConfigError("lease_s and poll_s must be positive")
        if self.retention_hours is not None and not self.retention_hours > 0:
            raise ConfigError("retention_hours must be positive")
        for prefix in self.webhook_allow:
            if urlsplit(prefix).scheme not in ("http", "https") or not urlsplit(prefix).netloc:
                raise ConfigError(f"webhook prefix {prefix[:80]!r} is not an http(s) URL")
        if self.webhook_allow and not self.webhook_secret:
            raise ConfigError(
                "completion webhooks are signed: set EXTRACTOR_WEBHOOK_SECRET "
                "to use --webhook-allow"
            )

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
        env_allow = os.environ.get("EXTRACTOR_WEBHOOK_ALLOW", "")
        options.setdefault("webhook_allow", None)
        options["webhook_allow"] = tuple(
            options["webhook_allow"] or (p.strip() for p in env_allow.split(",") if p.strip())
        )
        options.setdefault("webhook_secret", os.environ.get("EXTRACTOR_WEBHOOK_SECRET") or None)
        retention = os.environ.get("EXTRACTOR_RETENTION_HOURS")
        if options.get("retention_hours") is None and retention:
            try:
                options["retention_hours"] = float(retention)
            except ValueError:
                raise ConfigError("EXTRACTOR_RETENTION_HOURS is not a number") from None
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

    def check_webhook(self, url: str | None) -> str | None:
        """A job's webhook URL if an allowed prefix starts it; InputError (422) if not.

        A prefix matches up to a boundary (`https://hooks.example/` or the whole URL),
        so `https://hooks.example` does not allow `https://hooks.example.evil/`.
        """
        if url is None:
            return None
        for prefix in self.webhook_allow:
            rest = url[len(prefix) :]
            if url.startswith(prefix) and (not rest or prefix.endswith("/") or rest[0] in "/?#"):
                return url
        # the prefixes are the operator's (internal hosts, perhaps): not told to clients
        raise InputError(
            "webhook_url does not start with a prefix this service allows"
            + ("" if self.webhook_allow else " (it allows none)"),
            reason="webhook_url",
        )

    def store_url(self) -> str:
        return self.database_url or default_url(cache_dir())
