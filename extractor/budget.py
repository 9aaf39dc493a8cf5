"""A time budget for one input's work in the cue stages, checked cooperatively.

The rules and the cue stages are code, not a model call that a socket timeout can
cut: a hostile input (thousands of distinct speakers) can keep one busy for
minutes. Each stage's loop calls `check` between items, so a service worker is
given back, with a typed error, soon after the budget is spent.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .errors import TimeBudgetError

# The service's default (`serve --time-budget`): a real article takes the rules well
# under a second, an ordinary 2 MB input (the largest accepted) some tens of seconds.
SERVICE_TIME_BUDGET = 60.0


@dataclass
class Budget:
    """Seconds of wall time one input may take; None is no limit (the library's default)."""

    seconds: float | None = None
    started: float = field(default_factory=time.monotonic)

    def check(self, stage: str) -> None:
        """Raise `TimeBudgetError` once the budget is spent; `stage` says where it ran out."""
        if self.seconds is None:
            return
        spent = time.monotonic() - self.started
        if spent > self.seconds:
            raise TimeBudgetError(
                f"the input took over its time budget of {self.seconds:g} s (at {stage}, "
                f"after {spent:.1f} s): split it, or raise the budget (--time-budget)",
                seconds=self.seconds,
                stage=stage,
            )


UNLIMITED = Budget()  # no limit: the default of the stages' `budget` parameters (never spent)
