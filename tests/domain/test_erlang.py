"""Erlang C and Erlang A against values known in closed form and limiting cases."""

import math

import pytest

from backend.domain.erlang import (
    achieved_level,
    erlang_a,
    erlang_b,
    erlang_c_mean_wait,
    erlang_c_wait_probability,
    erlang_c_wait_quantile,
    servers_needed,
    service_level,
)


def poisson(k: int, mean: float) -> float:
    return math.exp(-mean + k * math.log(mean) - math.lgamma(k + 1))


def test_erlang_b_and_c_small_cases():
    assert erlang_b(1, 1.0) == pytest.approx(0.5)
    assert erlang_b(2, 1.0) == pytest.approx(0.2)
    assert erlang_c_wait_probability(2, 1.0) == pytest.approx(1 / 3)  # M/M/2 at rho 0.5
    for rho in (0.1, 0.5, 0.9):  # M/M/1: P(wait) = rho, Wq = rho s / (1 - rho)
        assert erlang_c_wait_probability(1, rho) == pytest.approx(rho)
        assert erlang_c_mean_wait(1, rho / 10, 10) == pytest.approx(rho * 10 / (1 - rho))


def test_erlang_c_overload_and_empty():
    assert erlang_c_wait_probability(3, 3.0) == 1.0
    assert erlang_c_mean_wait(3, 1.0, 3.0) == math.inf
    assert service_level(3, 1.0, 3.5, 60) == 0.0
    assert erlang_c_wait_probability(3, 0.0) == 0.0
    assert service_level(3, 0.0, 5, 0) == 1.0


def test_service_level_and_quantile_agree():
    c, lam, s = 5, 0.8, 5.0
    assert service_level(c, lam, s, 0) == pytest.approx(1 - erlang_c_wait_probability(c, lam * s))
    q90 = erlang_c_wait_quantile(c, lam, s, 0.9)
    assert q90 > 0
    assert service_level(c, lam, s, q90) == pytest.approx(0.9)
    assert erlang_c_wait_quantile(20, 0.1, 5.0, 0.9) == 0.0  # hardly anybody waits


def test_erlang_a_tends_to_erlang_c_when_nobody_leaves():
    c, lam, s = 5, 0.8, 5.0
    a = erlang_a(c, lam, s, mean_patience=1e8)
    assert a.wait_probability == pytest.approx(erlang_c_wait_probability(c, lam * s), rel=1e-5)
    assert a.mean_wait == pytest.approx(erlang_c_mean_wait(c, lam, s), rel=1e-4)
    assert a.abandon_fraction < 1e-6
    for t in (0.5, 2.0, 10.0):
        assert a.service_level(t) == pytest.approx(service_level(c, lam, s, t), abs=1e-5)


def test_erlang_a_with_patience_equal_to_service_is_an_infinite_server_queue():
    """theta = mu: everybody in the hall leaves at rate mu, so the number present is
    Poisson(a) and the abandonment fraction is E[(N - c)+] / a."""
    c, lam, s = 4, 1.0, 5.0
    load = lam * s
    a = erlang_a(c, lam, s, mean_patience=s)
    expected = sum((n - c) * poisson(n, load) for n in range(c, 200)) / load
    assert a.abandon_fraction == pytest.approx(expected, rel=1e-9)
    assert a.wait_probability == pytest.approx(sum(poisson(n, load) for n in range(c, 200)))


def test_erlang_a_is_stable_under_overload_and_bounded():
    a = erlang_a(3, 2.0, 5.0, mean_patience=10.0)  # load 10 on 3 windows
    assert 0.6 < a.abandon_fraction < 1
    assert a.service_level(1e6) == pytest.approx(1 - a.abandon_fraction, abs=1e-6)
    assert a.wait_quantile(0.9) == math.inf


def test_servers_needed_is_the_fewest_meeting_the_target():
    for lam, s, patience in [(0.5, 8.0, None), (3.0, 6.0, None), (3.0, 6.0, 60.0), (40, 3, 30)]:
        n = servers_needed(lam, s, 15.0, 0.9, patience)
        assert achieved_level(n, lam, s, 15.0, patience) >= 0.9
        assert achieved_level(n - 1, lam, s, 15.0, patience) < 0.9
    assert servers_needed(0.0, 8.0, 15.0, 0.9) == 0
    assert servers_needed(0.01, 8.0, 15.0, 0.9) == 1
    with pytest.raises(ValueError):
        servers_needed(1.0, 8.0, 15.0, 1.0)
