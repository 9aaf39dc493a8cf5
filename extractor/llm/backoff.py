"""How long to wait before the next transport attempt: backoff, or the server's word.

A `Retry-After` is honoured only when it makes sense: "0", "-1", "nan", "inf" or a
past date would make every attempt at once (or none), so the server's word is
clamped to [initial, maximum] of our own backoff, and a senseless one is ignored.
"""

from __future__ import annotations

import datetime
import email.utils
import math
import time

from tenacity import RetryCallState, wait_exponential_jitter


def retry_after(exc: BaseException) -> float | None:
    """The server's Retry-After in seconds, or None for none, an unreadable or a past one.

    "0", "-1", "nan" and "inf" are no hint either: a server saying "now" forever would
    get every attempt at once.
    """
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds > 0 else None
    try:  # an HTTP date; anything unreadable means "no hint", never a crash
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:  # "-0000" gives a naive datetime; HTTP dates are GMT
        parsed = parsed.replace(tzinfo=datetime.UTC)
    seconds = parsed.timestamp() - time.time()
    return seconds if seconds > 0 else None


class Wait:
    """Exponential backoff with jitter, unless the server said how long to wait.

    The server's word is clamped to [initial, maximum]: never less than our own first
    backoff, never longer than our longest.
    """

    def __init__(self, initial: float, maximum: float) -> None:
        self.backoff = wait_exponential_jitter(multiplier=initial, max=maximum, jitter=initial)
        self.initial = initial
        self.maximum = maximum

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome and state.outcome.failed else None
        hinted = retry_after(exc) if exc else None
        if hinted is not None:
            return min(max(hinted, self.initial), self.maximum)
        return min(max(float(self.backoff(state)), self.initial), self.maximum)
