"""Counts the API calls refused for their token, per client address and minute, in Django's cache.

The count bounds what bad tokens can write to the audit log; it does not slow a body whose token is good.
With the default cache each server process counts on its own, so the limit applies per process (see
docs/operations.md)."""

import time

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60


def limit() -> int:
    return int(settings.API_REFUSALS_PER_MINUTE)


def _now() -> float:
    return time.time()


def count(address: str) -> tuple[int, int]:
    """This refusal's number within the current minute for the address, and the seconds left in the minute."""
    now = _now()
    minute = int(now // WINDOW_SECONDS)
    key = f"jj:api-refusals:{address}:{minute}"
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        seen = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        seen = 1
    return seen, max(1, int((minute + 1) * WINDOW_SECONDS - now))
