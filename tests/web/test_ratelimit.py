"""Token buckets: a burst, then a steady rate, per key, on an injected clock."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rubdown.web.ratelimit import MAX_KEYS, TokenBucket, retry_after


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


def test_full_buckets_are_swept_only_once_the_keys_have_doubled() -> None:
    clock = Clock()
    bucket = TokenBucket(2, 1.0, clock)
    for key in range(MAX_KEYS):
        bucket.take(key)
    clock.now = 10.0  # every bucket so far is full again
    bucket.take("late")
    assert bucket.keys() == 1, "past MAX_KEYS the full buckets go"
    for key in range(MAX_KEYS, 2 * MAX_KEYS):
        bucket.take(key)  # none full: each has just spent a token
    assert bucket.keys() == MAX_KEYS + 1, "no sweep until the keys pass MAX_KEYS again"
    clock.now = 20.0  # all full again, but that sweep found nothing: wait for twice as many
    for key in range(2 * MAX_KEYS, 3 * MAX_KEYS + 1):
        bucket.take(key)
    assert bucket.keys() == 2 * MAX_KEYS + 2
    bucket.take("last")  # past twice the keys after the last sweep
    assert bucket.keys() == MAX_KEYS + 2, "only the buckets spent at 20 s are kept"


def test_a_forgotten_key_starts_with_a_full_bucket() -> None:
    clock = Clock()
    bucket = TokenBucket(1, 60.0, clock)
    assert bucket.take("a") == 0.0 and bucket.take("a") > 0
    bucket.forget("a")
    assert bucket.take("a") == 0.0
