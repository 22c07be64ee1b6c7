"""The simulator against queueing theory: one item, Poisson arrivals, exponential service,
c identical windows (Erlang C), and with exponential patience (Erlang A)."""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from backend.domain.erlang import erlang_a, erlang_c_mean_wait
from backend.hallconfig import parse_config
from backend.sim.engine import simulate
from backend.sim.model import Arrival, Shift
from tests.support import hall_config

DAY = date(2026, 11, 25)
TZ = ZoneInfo("Asia/Shanghai")
OPEN, CLOSE = time(0, 30), time(23, 59)
WARM_UP = timedelta(hours=1)


def one_item_hall(windows: int):
    data = hall_config("erlang")
    data["items"] = [i for i in data["items"] if i["code"] == "RS-01"]
    data["windows"] = [
        {"number": n, "name": {"zh": f"{n}号窗口"}, "department": "RS", "items": ["RS-01"]}
        for n in range(1, windows + 1)
    ]
    data["devices"] = []
    data["queue"]["aging_limit_minutes"] = 600  # one item, one class: aging changes nothing
    return parse_config(data, "erlang.toml")


def poisson_day(seed, per_minute, service_minutes, patience_minutes=None, hours=22):
    rng = random.Random(seed)
    start = datetime.combine(DAY, OPEN, tzinfo=TZ)
    out, t = [], rng.expovariate(per_minute)
    while t < hours * 60:
        patience = rng.expovariate(1 / patience_minutes) * 60 if patience_minutes else None
        service = rng.expovariate(1 / service_minutes) * 60
        out.append(
            Arrival(start + timedelta(minutes=t), "RS-01", service, patience_seconds=patience)
        )
        t += rng.expovariate(per_minute)
    return out


def run(cfg, windows, arrivals):
    roster = tuple(Shift(n, OPEN, CLOSE) for n in range(1, windows + 1))
    result = simulate(cfg, DAY, arrivals, roster)
    after = datetime.combine(DAY, OPEN, tzinfo=TZ) + WARM_UP
    return [t for t in result.tickets if t.queued_at >= after]


def test_mean_wait_matches_erlang_c():
    windows, per_minute, service = 4, 1.5, 2.0  # load 3 erlangs on 4 windows
    cfg = one_item_hall(windows)
    waits = []
    for seed in range(20):
        tickets = run(cfg, windows, poisson_day(seed, per_minute, service))
        waits += [t.wait_minutes for t in tickets]
    assert len(waits) > 30_000
    expected = erlang_c_mean_wait(windows, per_minute, service)
    assert sum(waits) / len(waits) == pytest.approx(expected, rel=0.05)


def test_abandonment_matches_erlang_a():
    windows, per_minute, service, patience = 3, 0.7, 5.0, 10.0  # overloaded: 3.5 erlangs
    cfg = one_item_hall(windows)
    left = total = 0
    for seed in range(20):
        tickets = run(cfg, windows, poisson_day(seed, per_minute, service, patience))
        total += len(tickets)
        left += sum(1 for t in tickets if t.outcome == "abandoned")
    expected = erlang_a(windows, per_minute, service, patience).abandon_fraction
    assert 0.2 < expected < 0.3
    assert left / total == pytest.approx(expected, rel=0.05)


def test_same_seed_same_result_and_different_seed_differs():
    cfg = one_item_hall(2)
    a = run(cfg, 2, poisson_day(7, 0.3, 5.0, 20.0, hours=4))
    b = run(cfg, 2, poisson_day(7, 0.3, 5.0, 20.0, hours=4))
    c = run(cfg, 2, poisson_day(8, 0.3, 5.0, 20.0, hours=4))
    assert a == b
    assert a != c
