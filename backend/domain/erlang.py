"""Queueing formulas for staffing: Erlang C (M/M/c, nobody leaves) and Erlang A (M/M/c+M,
residents leave after an exponential patience).

Units are the caller's, consistently: rates per second and times in seconds, say. The offered
load is ``arrival_rate * mean_service`` (erlangs: how many windows the work keeps busy).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MAX_SERVERS = 10_000


def erlang_b(servers: int, offered_load: float) -> float:
    """Blocking probability of M/M/c/c (the stable recursion)."""
    b = 1.0
    for k in range(1, servers + 1):
        b = offered_load * b / (k + offered_load * b)
    return b


def erlang_c_wait_probability(servers: int, offered_load: float) -> float:
    """Probability that an arrival waits (all ``servers`` busy); 1 when the load is too high."""
    if offered_load <= 0:
        return 0.0
    if servers <= 0 or offered_load >= servers:
        return 1.0
    b = erlang_b(servers, offered_load)
    return b / (1.0 - (offered_load / servers) * (1.0 - b))


def erlang_c_mean_wait(servers: int, arrival_rate: float, mean_service: float) -> float:
    """Mean wait in queue over all arrivals; infinite when the load reaches the servers."""
    load = arrival_rate * mean_service
    if load <= 0:
        return 0.0
    if load >= servers:
        return math.inf
    return erlang_c_wait_probability(servers, load) * mean_service / (servers - load)


def service_level(
    servers: int, arrival_rate: float, mean_service: float, target_wait: float
) -> float:
    """Erlang C share of arrivals whose wait is at most ``target_wait``."""
    load = arrival_rate * mean_service
    if load <= 0:
        return 1.0
    if load >= servers:
        return 0.0
    c = erlang_c_wait_probability(servers, load)
    return 1.0 - c * math.exp(-(servers - load) * target_wait / mean_service)


def erlang_c_wait_quantile(
    servers: int, arrival_rate: float, mean_service: float, q: float
) -> float:
    """The wait that a share ``q`` of arrivals do not exceed (Erlang C); inf when overloaded."""
    load = arrival_rate * mean_service
    if load <= 0:
        return 0.0
    if load >= servers:
        return math.inf
    c = erlang_c_wait_probability(servers, load)
    if c <= 1.0 - q:
        return 0.0
    return math.log(c / (1.0 - q)) * mean_service / (servers - load)


# --- Erlang A ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErlangA:
    """M/M/c+M in steady state (the birth-death chain, truncated where its tail is negligible)."""

    servers: int
    arrival_rate: float
    mean_service: float
    mean_patience: float
    wait_probability: float  # an arrival finds every server busy
    abandon_fraction: float  # share of arrivals who leave before being called
    mean_queue: float
    mean_wait: float  # time in queue over all arrivals (leavers until they leave)
    _queue_at_arrival: tuple[float, ...]  # P(arrival finds k waiting, all servers busy)

    def service_level(self, target_wait: float) -> float:
        """Share of arrivals called within ``target_wait`` (those who leave count as not)."""
        probs = np.asarray(self._queue_at_arrival)
        immediate = 1.0 - self.wait_probability
        if target_wait <= 0 or probs.size == 0:
            return immediate
        mu, theta = 1.0 / self.mean_service, 1.0 / self.mean_patience
        size = probs.size  # state m: the tagged resident waits with m-1 ahead (m = 1..size)
        progress = self.servers * mu + theta * np.arange(size)  # one ahead gone, or a call
        rate = float(progress[-1] + theta)
        steps_mean = rate * target_wait
        steps = int(steps_mean + 12 * math.sqrt(steps_mean) + 30)
        p_move, p_stay = progress / rate, 1.0 - (progress + theta) / rate
        state, served, total = probs.copy(), 0.0, 0.0
        log_pmf = -steps_mean  # Poisson(steps_mean) at k = 0
        tail = 1.0  # P(Poisson > k - 1)
        for k in range(steps + 1):
            pmf = math.exp(log_pmf)
            tail -= pmf
            called = state[0] * p_move[0]
            served += called
            # P(called by t) = sum over k of P(k-th jump called it) * P(Poisson >= k)
            total += called * max(tail, 0.0)
            moved = state * p_move
            state = state * p_stay
            state[:-1] += moved[1:]
            log_pmf += math.log(steps_mean) - math.log(k + 1)
            if k % 64 == 0 and state.sum() < 1e-13:
                break  # nobody left to call
        return immediate + total

    def wait_quantile(self, q: float, hi: float | None = None) -> float:
        """Smallest wait ``t`` with ``service_level(t) >= q``; inf if never (too many leave)."""
        if self.service_level(0.0) >= q:
            return 0.0
        hi = hi or 16 * self.mean_service
        if self.service_level(hi) < q:
            return math.inf
        lo = 0.0
        for _ in range(40):
            mid = (lo + hi) / 2
            if self.service_level(mid) >= q:
                hi = mid
            else:
                lo = mid
        return hi


def erlang_a(
    servers: int, arrival_rate: float, mean_service: float, mean_patience: float
) -> ErlangA:
    """Steady state of ``servers`` windows with Poisson arrivals, exponential service times and
    exponential patience (mean ``mean_patience``)."""
    if servers < 1:
        raise ValueError("servers must be >= 1")
    if mean_patience <= 0 or mean_service <= 0:
        raise ValueError("mean_service and mean_patience must be positive")
    lam, mu, theta = arrival_rate, 1.0 / mean_service, 1.0 / mean_patience
    if lam <= 0:
        return ErlangA(servers, arrival_rate, mean_service, mean_patience, 0.0, 0.0, 0.0, 0.0, ())
    terms = [1.0]  # unnormalised pi_n / pi_0
    n, peak = 0, 1.0
    while n <= servers + 1_000_000:
        n += 1
        death = min(n, servers) * mu + max(n - servers, 0) * theta
        terms.append(terms[-1] * lam / death)
        peak = max(peak, terms[-1])
        if n > servers and lam < death and terms[-1] < 1e-16 * peak:
            break
        if peak > 1e250:  # rescale to stay in range
            terms = [t / peak for t in terms]
            peak = 1.0
    pi = np.asarray(terms)
    pi /= pi.sum()
    queue = pi[servers:]
    waiting = np.arange(queue.size)
    mean_queue = float((waiting * queue).sum())
    wait_probability = float(queue.sum())
    abandon = theta * mean_queue / lam
    return ErlangA(
        servers,
        arrival_rate,
        mean_service,
        mean_patience,
        wait_probability,
        abandon,
        mean_queue,
        mean_queue / lam,
        tuple(queue.tolist()),
    )


# --- staffing ------------------------------------------------------------------------------


def achieved_level(
    servers: int,
    arrival_rate: float,
    mean_service: float,
    target_wait: float,
    patience: float | None = None,
) -> float:
    """Share called within ``target_wait``: Erlang A when ``patience`` is set, else Erlang C."""
    if arrival_rate <= 0:
        return 1.0
    if servers <= 0:
        return 0.0
    if patience:
        return erlang_a(servers, arrival_rate, mean_service, patience).service_level(target_wait)
    return service_level(servers, arrival_rate, mean_service, target_wait)


def servers_needed(
    arrival_rate: float,
    mean_service: float,
    target_wait: float,
    target_share: float,
    patience: float | None = None,
) -> int:
    """Fewest servers calling ``target_share`` of arrivals within ``target_wait`` (0 when
    nobody comes)."""
    if arrival_rate <= 0:
        return 0
    if not 0 < target_share < 1:
        raise ValueError("target_share must be between 0 and 1")

    def ok(c: int) -> bool:
        return achieved_level(c, arrival_rate, mean_service, target_wait, patience) >= target_share

    load = arrival_rate * mean_service
    hi = max(1, math.floor(load) + 1)
    while not ok(hi):
        hi *= 2
        if hi > MAX_SERVERS:
            raise ValueError("target out of reach")
    lo = 0  # ok(lo) is False (or lo = 0)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi
