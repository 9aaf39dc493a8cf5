"""Named rules: every decision of the cue stages has a name, a purpose and an example.

A cue rule used to be an `if …: continue` in a cascade: its order mattered and
nothing named it, so it could not be listed, documented, switched off or tested
alone. Here a rule is a function registered under a name, with a one-line purpose
and an example sentence; `docs/rules.md` is generated from this registry (CI fails
when it is stale), and each rule's example is a test row: switching the rule off
must change what the cue stages extract from it.

Switching rules off is for diagnosis and evaluation (what does this rule buy on a
corpus?), never a user's configuration of record: a result records the set of rules
switched off in its metadata, so two configurations never share a cache entry.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Literal, ParamSpec, TypeVar

from ..lang.lexicon import languages, load_lexicon

Stage = Literal["claims", "speakers", "actors", "meetings", "articles"]
P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Rule:
    """One named decision of the cue stages."""

    name: str  # dotted, stage first: "claims.asked-with-a-question"
    stage: Stage
    language: str | None  # "ar", "en", or None for every language
    purpose: str  # one line: why the rule exists
    example: str  # a sentence (or short text) on which the rule decides something
    off: object  # what the rule returns when switched off: it then decides nothing


RULES: dict[str, Rule] = {}
_DISABLED: ContextVar[frozenset[str]] = ContextVar("extractor_disabled_rules", default=frozenset())


def rule(
    name: str,
    *,
    stage: Stage,
    purpose: str,
    example: str,
    off: object,
    language: str | None = None,
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Register the decorated function as the rule `name`.

    `off` is the value the function returns while the rule is switched off: False
    for a veto or a test ("not a claim", "is a name"), None for a finder ("the
    speaker after the verb"), so that off means "this rule decides nothing here".
    """
    if name in RULES:
        raise ValueError(f"rule {name!r} is registered twice")
    if not name.startswith(f"{stage}."):
        raise ValueError(f"rule {name!r} must start with its stage {stage!r}")
    RULES[name] = Rule(name, stage, language, purpose, example, off)

    def register(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def applied(*args: P.args, **kwargs: P.kwargs) -> R:
            disabled = _DISABLED.get()
            if disabled and name in disabled:
                return off  # type: ignore[return-value]
            return fn(*args, **kwargs)

        applied.rule = RULES[name]  # type: ignore[attr-defined]
        return applied

    return register


def all_rules() -> dict[str, Rule]:
    """The coded rules and every language pack's veto patterns, by name."""
    _load_all()
    out = dict(RULES)
    for code in languages():
        for v in load_lexicon(code).vetoes:
            stage = v.name.partition(".")[0]
            out[v.name] = Rule(v.name, stage, code, v.purpose, v.example, None)  # type: ignore[arg-type]
    return out


def known(names: frozenset[str] | set[str] | tuple[str, ...]) -> frozenset[str]:
    """`names` checked against the registry: an unknown name is a ValueError naming it."""
    unknown = sorted(set(names) - all_rules().keys())
    if unknown:
        raise ValueError(f"unknown rule name(s): {', '.join(unknown)} (see docs/rules.md)")
    return frozenset(names)


@contextmanager
def rules_off(names: frozenset[str] | set[str] | tuple[str, ...]) -> Iterator[None]:
    """Within the block, the named rules decide nothing (for this thread or task only)."""
    token = _DISABLED.set(_DISABLED.get() | known(names))
    try:
        yield
    finally:
        _DISABLED.reset(token)


def disabled() -> frozenset[str]:
    """The rules switched off where this is called."""
    return _DISABLED.get()


def catalogue() -> str:
    """`docs/rules.md`: every registered rule with its purpose and example, by stage."""
    rules_by_name = all_rules()
    lines = [
        "# Cue rules",
        "",
        "Generated from the rule registry (`extractor/cues/rulebook.py`) by",
        "`extractor rules --markdown > docs/rules.md`; a test fails when this file is stale.",
        "Each rule's example is a test row: switched off (`extractor extract --rules-off NAME`),",
        "the rule must change what the cue stages extract from its example.",
        "",
        f"{len(rules_by_name)} rules.",
    ]
    stages: tuple[Stage, ...] = ("articles", "claims", "speakers", "actors", "meetings")
    for stage in stages:
        rules = sorted(
            (r for r in rules_by_name.values() if r.stage == stage), key=lambda r: r.name
        )
        if not rules:
            continue
        lines += [
            "",
            f"## {stage}",
            "",
            "| rule | language | purpose | example |",
            "|---|---|---|---|",
        ]
        for r in rules:
            cells = (f"`{r.name}`", r.language or "all", r.purpose, r.example)
            row = " | ".join(c.replace("|", "\\|").replace("\n", "<br>") for c in cells)
            lines.append(f"| {row} |")
    return "\n".join(lines) + "\n"


def _load_all() -> None:
    """Import every cue module, so that each has registered its rules."""
    import importlib  # noqa: PLC0415
    import pkgutil  # noqa: PLC0415

    from .. import cues  # noqa: PLC0415

    for info in pkgutil.iter_modules(cues.__path__):
        importlib.import_module(f"{cues.__name__}.{info.name}")
