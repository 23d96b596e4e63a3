"""Token buckets per key (a session, say): a burst of costly requests, then a steady rate."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Hashable

# Past this many keys, and again each time the keys have doubled since, buckets that have
# filled up again are forgotten (they hold no debt); sweeping on every take past it cost O(n).
MAX_KEYS = 4096


class TokenBucket:
    """`burst` requests at once per key, then one every `every_s` seconds; clock injected."""

    def __init__(self, burst: int, every_s: float, clock: Callable[[], float]) -> None:
        self.burst, self.every_s, self.clock = burst, every_s, clock
        self._level: dict[Hashable, tuple[float, float]] = {}  # key -> (tokens, when)
        self._lock = threading.Lock()
        self._sweep_at = MAX_KEYS

    def take(self, key: Hashable) -> float:
        """Spend one token for key: 0.0 when granted, else the seconds until one is free."""
        now = self.clock()
        with self._lock:
            tokens = self._tokens(key, now)
            if tokens < 1.0:
                self._level[key] = (tokens, now)
                return (1.0 - tokens) * self.every_s
            self._level[key] = (tokens - 1.0, now)
            if len(self._level) > self._sweep_at:
                self._forget_full(now)
                self._sweep_at = max(MAX_KEYS, 2 * len(self._level))
            return 0.0

    def forget(self, key: Hashable) -> None:
        """Drop key's bucket (its owner is gone: a finished session, say)."""
        with self._lock:
            self._level.pop(key, None)

    def keys(self) -> int:
        """How many buckets are kept."""
        return len(self._level)

    def _tokens(self, key: Hashable, now: float) -> float:
        """The key's tokens at now (a clock that went back refills nothing)."""
        tokens, when = self._level.get(key, (float(self.burst), now))
        return min(float(self.burst), tokens + max(0.0, now - when) / self.every_s)

    def _forget_full(self, now: float) -> None:
        """Drop every key whose bucket is full again: it is as good as new."""
        full = [k for k in self._level if self._tokens(k, now) >= self.burst]
        for key in full:
            del self._level[key]


def retry_after(wait_s: float) -> str:
    """A Retry-After value: whole seconds, at least one."""
    return str(max(1, math.ceil(wait_s)))
