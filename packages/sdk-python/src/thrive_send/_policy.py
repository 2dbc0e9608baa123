"""When to retry and how long to wait: the same policy as the TypeScript SDK (openai-python's).

Retried: connection errors and timeouts, 408, 409 ``concurrent_idempotent_requests`` (the
first request with that Idempotency-Key is still running), 429 and 5xx. The wait doubles from
0.5 s up to 8 s, less up to 25 % of jitter, unless the answer says how long in Retry-After
(or retry-after-ms), which is honoured up to a minute.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping

import httpx

DEFAULT_MAX_RETRIES = 2
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0

RETRYABLE_STATUSES = frozenset({408, 429})


def should_retry(status_code: int, error_name: str | None) -> bool:
    if status_code in RETRYABLE_STATUSES or status_code >= 500:
        return True
    return status_code == 409 and error_name == "concurrent_idempotent_requests"


def retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds the server asked us to wait, from retry-after-ms or Retry-After (seconds or date)."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    parsed = email.utils.parsedate_tz(value)
    if parsed is None:
        return None
    return max(email.utils.mktime_tz(parsed) - (time.time() if now is None else now), 0.0)


def retry_delay(retries_taken: int, headers: Mapping[str, str] | None = None) -> float:
    """How long to sleep before retry number ``retries_taken + 1``."""
    if headers is not None:
        asked = retry_after(headers)
        if asked is not None:
            return min(asked, MAX_RETRY_AFTER)
    delay = min(INITIAL_RETRY_DELAY * 2.0**retries_taken, MAX_RETRY_DELAY)
    return delay * (1 - 0.25 * random.random())
