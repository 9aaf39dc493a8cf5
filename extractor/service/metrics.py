"""Prometheus metrics of one app: requests, latency, tokens, documents, failures, queue."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from ..models import Article


class Metrics:
    """Prometheus metrics on a registry of this app's own (two apps never share counters)."""

    def __init__(self, queue_depth: Callable[[], float]) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "extractor_requests", "HTTP requests", ["method", "route", "status"], registry=r
        )
        self.latency = Histogram(
            "extractor_request_seconds",
            "HTTP request latency",
            ["route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
            registry=r,
        )
        self.tokens = Counter("extractor_tokens", "LLM tokens", ["kind"], registry=r)
        self.llm_calls = Counter("extractor_llm_calls", "LLM calls made", registry=r)
        self.cache_hits = Counter(
            "extractor_cache_hits", "completions served from cache", registry=r
        )
        self.documents = Counter(
            "extractor_documents", "extractions finished", ["source", "outcome"], registry=r
        )
        self.failures = Counter(
            "extractor_failures", "failures by error type", ["type"], registry=r
        )
        self.queue = Gauge("extractor_queue_depth", "documents queued in the store", registry=r)
        self.queue.set_function(queue_depth)

    def articles(self, articles: list[Article]) -> None:
        for meta in (a.meta for a in articles if a.meta is not None):
            self.tokens.labels("prompt").inc(meta.usage.prompt_tokens)
            self.tokens.labels("completion").inc(meta.usage.completion_tokens)
            self.llm_calls.inc(meta.llm_calls)
            self.cache_hits.inc(meta.cache_hits)
