"""Token buckets: a burst, then a steady rate, per key, on an injected clock."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rubdown.web.ratelimit import TokenBucket, retry_after


class Clock:
    """A clock the test sets by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_one_per_interval_and_keys_apart() -> None:
    clock = Clock()
    bucket = TokenBucket(3, 2.0, clock)
    assert [bucket.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take("a") == 2.0
    assert bucket.take("b") == 0.0, "another key has its own bucket"
    clock.now = 1.5
    assert bucket.take("a") == 0.5
    clock.now = 2.0
    assert bucket.take("a") == 0.0 and bucket.take("a") > 0


@given(st.lists(st.floats(0.0, 30.0), min_size=1, max_size=60))
def test_no_window_grants_more_than_the_burst_and_the_rate(gaps: list[float]) -> None:
    clock = Clock()
    bucket = TokenBucket(4, 5.0, clock)
    granted: list[float] = []
    for gap in gaps:
        clock.now += gap
        if bucket.take("session") == 0.0:
            granted.append(clock.now)
    for i, start in enumerate(granted):
        for j in range(i, len(granted)):
            assert j - i + 1 <= 4 + (granted[j] - start) / 5.0 + 1e-9


def test_retry_after_is_whole_seconds_at_least_one() -> None:
    assert [retry_after(w) for w in (0.01, 1.0, 4.2)] == ["1", "1", "5"]
