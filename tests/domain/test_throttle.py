"""Sliding-window failure throttling (plain Python, the caller's clock)."""

from __future__ import annotations

from backend.domain.throttle import FailureThrottle


def test_a_key_is_refused_after_limit_failures_until_the_oldest_ages_out():
    t = FailureThrottle(limit=3, window=60)
    for at in (0, 10, 20):
        assert t.retry_after("u", at) is None
        t.failed("u", at)
    assert t.retry_after("u", 21) == 39  # the failure at 0 leaves the window at 60
    assert t.retry_after("other", 21) is None
    assert t.retry_after("u", 60) is None  # only two failures left in the window
    t.failed("u", 61)
    assert t.retry_after("u", 62) == 8  # now the one at 10 is the oldest of the last three


def test_clear_forgets_a_key():
    t = FailureThrottle(limit=1, window=60)
    t.failed("u", 0)
    assert t.retry_after("u", 1) == 59
    t.clear("u")
    assert t.retry_after("u", 1) is None


def test_made_up_keys_cannot_grow_it_without_bound():
    t = FailureThrottle(limit=2, window=600, max_keys=100)
    for n in range(1000):
        t.failed(f"user-{n}", n / 10)
    assert len(t._failures) == 100
    t.failed("victim", 100)
    t.failed("victim", 100)
    assert t.retry_after("victim", 100) == 600
