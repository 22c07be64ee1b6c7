"""A day built through the real API (issue, call, start, finish, no-show, transfer, pause at
controlled times) replays in the simulator with the very same calls: same windows open, same
service times, so any difference would be the simulator choosing differently from the server."""

import heapq
import random
from datetime import timedelta

import pytest

from backend.db.engine import open_database
from backend.services.halls import hall_context
from backend.sim.engine import simulate
from backend.sim.history import recorded_day

HOLD = {"MZ-01": 420, "MZ-02": 300, "RS-01": 240, "RS-02": 360}  # mean seconds at a window


def drive_day(hall, clock, seed: int):
    """Run a morning by a script: tickets arrive at fixed seconds, windows open, pause and
    resume at fixed moments, and every open idle window calls next at once (in number order),
    holding each resident a drawn number of seconds. Returns the numbers called, in order."""
    rng = random.Random(seed)
    t0 = clock.now
    events = []  # (second, order, kind, payload): arrivals first, then ends, then windows
    second = 0
    for _ in range(60):
        second += rng.randint(10, 120)
        item = rng.choice(list(HOLD))
        priority = rng.choices(["normal", "green", "appointment"], [8, 1, 1])[0]
        events.append((second, 0, "issue", (item, priority)))
    events += [
        (0, 2, "sign-in", (1, "clerk1")),
        (0, 2, "sign-in", (2, "clerk2")),
        (1200, 2, "sign-in", (3, "clerk3")),
        (3000, 2, "pause", (2, "clerk2")),  # 2 pauses while it may be serving
        (3900, 2, "resume", (2, "clerk2")),
        (5400, 2, "sign-out", (3, "clerk3")),  # only if idle; retried below
    ]
    heapq.heapify(events)
    clerks = {1: "clerk1", 2: "clerk2", 3: "clerk3"}
    calling = set()  # windows open and not paused
    busy: dict[int, str] = {}  # window -> ticket number
    plan: dict[str, tuple[str, int]] = {}  # ticket number -> (how it ends, seconds held)
    called = []
    transfers = 0
    while events:
        now = events[0][0]
        clock.now = t0 + timedelta(seconds=now)
        while events and events[0][0] == now:
            _, _, kind, payload = heapq.heappop(events)
            if kind == "issue":
                item, priority = payload
                extra = {"priority": priority}
                if priority == "green":
                    extra["priority_reason"] = "elderly"
                if priority == "appointment":
                    extra["priority_reason"] = "YY-0001"
                number = hall.issue(item, **extra)["ticket"]["number"]
                roll = rng.random()
                if roll < 0.08:
                    plan[number] = ("no-show", 90)  # the guard allows it after 60 s
                elif roll < 0.16 and item.startswith("MZ") and transfers < 3:
                    transfers += 1
                    plan[number] = ("transfer", rng.randint(60, 180))
                else:
                    plan[number] = ("finish", int(rng.expovariate(1 / HOLD[item])) + 30)
            elif kind == "end":
                window, how = payload
                clerk = clerks[window]
                if how == "transfer":
                    r = hall.window(window, "transfer", clerk, to_item="RS-02")
                    assert r.status_code == 200, r.json
                    plan[r.json["new_leg"]["number"] + "/2"] = ("finish", 200)
                else:
                    if how == "finish":
                        assert hall.window(window, "start", clerk).status_code == 200
                    r = hall.window(window, how, clerk)
                    assert r.status_code == 200, r.json
                del busy[window]
            else:
                window, clerk = payload
                if kind == "sign-out" and window in busy:
                    heapq.heappush(events, (now + 1, 2, kind, payload))
                    continue
                extra = {"reason": "break"} if kind == "pause" else {}
                r = hall.window(window, kind, clerk, **extra)
                assert r.status_code == 200, r.json
                if kind in ("sign-in", "resume"):
                    calling.add(window)
                else:
                    calling.discard(window)
        for window in sorted(calling):
            if window in busy:
                continue
            r = hall.window(window, "call-next", clerks[window])
            assert r.status_code == 200, r.json
            ticket = r.json["ticket"]
            if ticket is None:
                continue
            number = ticket["number"]
            key = number + "/2" if number + "/2" in plan and ticket["item"] == "RS-02" else number
            how, held = plan.pop(key)
            busy[window] = number
            called.append((now, window, number))
            heapq.heappush(events, (now + held, 1, "end", (window, how)))
    return called


@pytest.mark.parametrize("seed", [1, 2])
def test_replay_reproduces_the_recorded_calls(hall, clock, db_url, seed):
    called = drive_day(hall, clock, seed)
    assert len(called) > 40
    db = open_database(db_url)
    try:
        with db.reader() as session:
            ctx = hall_context(session, "town")
            day = clock.now.astimezone(ctx.tz).date()
            rec = recorded_day(session, ctx, day)
    finally:
        db.dispose()
    legs = {(t.number, t.leg): t for t in rec.tickets}
    assert any(leg == 1 for _, leg in legs), "the script transfers someone"
    assert any(a.no_show for a in rec.arrivals)
    assert any(a.priority == "green" for a in rec.arrivals)
    waits = [t.wait_minutes for t in rec.tickets if t.wait_minutes is not None]
    assert max(waits) > 45, "long enough waits for the aging guard to matter"
    assert {s.window for s in rec.roster} == {1, 2, 3}
    assert len([s for s in rec.roster if s.window == 2]) == 2  # the pause splits window 2

    result = simulate(ctx.config, day, rec.arrivals, rec.roster)
    for sim in result.tickets:
        recorded = legs[(sim.index, sim.leg)]
        assert (sim.called_at, sim.window) == (recorded.called_at, recorded.window), recorded
    assert len(result.tickets) == len(rec.tickets)
    # the check has teeth: the same replay with another calling policy calls differently
    other = ctx.config.model_copy(
        update={
            "queue": ctx.config.queue.model_copy(
                update={
                    "aging_limit_minutes": 600,
                    "class_order": ["normal", "appointment", "green"],
                }
            )
        }
    )
    changed = simulate(other, day, rec.arrivals, rec.roster)
    assert any(
        (s.called_at, s.window) != (legs[(s.index, s.leg)].called_at, legs[(s.index, s.leg)].window)
        for s in changed.tickets
    )
