"""Property: for random lines and window states, the people ahead and the wait the API tells a
resident are what the hall then really does when no one new arrives.

Hypothesis builds a hall (the test hall: window 1 comprehensive, 2 民政, 3 人社) through the real
API: windows closed, open or paused, some serving a ticket (called or started, for a while, or
transferred on to another window), tickets of every item and class arriving minutes apart (so
some pass the aging limit). Every waiting ticket's status is read. Then the oracle lets the hall
run: each staffed window, when it frees (at once if idle, after the 6-minute service time of the
test hall otherwise), finishes its ticket and presses call-next on the real server, until nobody
is left that a staffed window may call. A ticket's people ahead must be the number of tickets the
windows able to call it called before it, and its wait the minutes until its call; a ticket no
staffed window calls must have neither figure.
"""

from __future__ import annotations

import math
import shutil
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.db.models import Ticket
from backend.services.queue import forget_recent_services
from tests.test_queue_properties import (
    HALL,
    ITEMS,
    WINDOW_ITEMS,
    WINDOWS,
    open_template_hall,
    read_snapshot,
)

SERVICE = timedelta(minutes=6)  # the test hall's default service time (no history yet)
CLERKS = {1: "clerk1", 2: "clerk2", 3: "clerk3"}

windows = st.fixed_dictionaries(
    {
        n: st.fixed_dictionaries(
            {
                "state": st.sampled_from(["closed", "open", "open", "paused"]),
                "busy": st.sampled_from([None, "called", "started", "transfer"]),
            }
        )
        for n in WINDOWS
    }
)
arrivals = st.lists(
    st.tuples(
        st.sampled_from(ITEMS),
        st.sampled_from(["normal", "normal", "green", "appointment"]),
        st.integers(0, 25),  # minutes after the previous ticket
    ),
    min_size=1,
    max_size=10,
)


class Hall:
    """A fresh copy of the template database, the app on it and a settable clock."""

    def __init__(self):
        open_template_hall(self, "onestop-wait-")
        forget_recent_services(1)  # durations cached by an earlier example's hall

    def close(self):
        self.app.extensions["onestop"].db.dispose()
        self.db.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)

    def post(self, path: str, body: dict, who: str | None = None) -> dict:
        self.requests += 1
        headers = self.kiosk if who is None else self.staff[who]
        body = {"request_id": f"w-{self.requests}"} | body
        r = self.client.post(f"/api/v1/halls/{HALL}{path}", json=body, headers=headers)
        assert r.status_code == 200, (path, r.status_code, r.json)
        return r.json

    def window(self, number: int, action: str, **body) -> dict:
        return self.post(f"/windows/{number}/{action}", body, "boss")  # managers may step in


def build(hall: Hall, plan: dict, tickets: list, elapsed: int) -> list[str]:
    """Set the hall up as planned; the status tokens of the tickets issued."""
    for number, w in plan.items():
        if w["state"] != "closed":
            hall.post(f"/windows/{number}/sign-in", {}, CLERKS[number])
    tokens = []
    for item, priority, gap in tickets:
        hall.clock.advance(minutes=gap)
        body = {"item_code": item, "priority": priority}
        if priority == "green":
            body["priority_reason"] = "elderly"
        elif priority == "appointment":
            body["priority_reason"] = "YY-0001"
        tokens.append(hall.post("/tickets", body)["status_token"])
    for number, w in plan.items():
        if w["state"] == "closed" or w["busy"] is None:
            continue
        ticket = hall.window(number, "call-next")["ticket"]
        if ticket is None:
            continue
        if w["busy"] == "started":
            hall.window(number, "start")
        elif w["busy"] == "transfer":
            others = [n for n in WINDOWS if n != number and ticket["item"] in WINDOW_ITEMS[n]]
            if others:
                hall.window(number, "transfer", to_window=others[0], note="转窗口")
    hall.clock.advance(minutes=elapsed)
    for number, w in plan.items():
        if w["state"] == "paused":
            hall.window(number, "pause", reason="break")
    return tokens


def run_the_hall(hall: Hall) -> list[tuple[int, str, object]]:
    """(window, number, moment) of every call the staffed windows make, in order."""
    snap = read_snapshot(hall.db)
    now = hall.clock()
    free = {}
    for number, w in snap.windows.items():
        if w.state == "closed":
            continue
        free[number] = now
        if w.current is not None:
            leg = snap.legs[w.current]
            with hall.db.reader() as s:
                row = s.get(Ticket, leg.id)
                since = row.started_at or row.called_at
            free[number] = max(now, since + SERVICE)
    calls = []
    while free:
        number = min(free, key=lambda n: (free[n], n))
        at = free.pop(number)
        hall.clock.now = at
        w = read_snapshot(hall.db).windows[number]
        if w.current is not None:
            hall.window(number, "finish")
        if w.state == "paused":
            hall.window(number, "resume")
        ticket = hall.window(number, "call-next")["ticket"]
        if ticket is None:
            continue
        calls.append((number, ticket["number"], at))
        free[number] = at + SERVICE
    return calls


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(plan=windows, tickets=arrivals, elapsed=st.integers(0, 10))
def test_people_ahead_is_the_position_the_policy_calls_the_ticket_at(plan, tickets, elapsed):
    hall = Hall()
    try:
        tokens = build(hall, plan, tickets, elapsed)
        now = hall.clock()
        told = {}
        for token in tokens:
            r = hall.client.get(f"/api/v1/status/{token}")
            assert r.status_code == 200, r.json
            if r.json["state"] == "waiting":
                told[r.json["number"]] = (r.json["people_ahead"], r.json["estimated_wait_minutes"])
        snap = read_snapshot(hall.db)
        waiting = {leg.number: leg for leg in snap.waiting()}
        staffed = [n for n, w in snap.windows.items() if w.state != "closed"]
        calls = run_the_hall(hall)
        for number, figure in told.items():
            leg = waiting[number]
            able = {
                n for n in staffed if leg.item in WINDOW_ITEMS[n] and leg.target_window in (None, n)
            }
            mine = [i for i, (_, called, _) in enumerate(calls) if called == number]
            if not mine:
                assert figure == (None, None), (number, figure, calls)
                continue
            at = calls[mine[0]][2]
            ahead = sum(1 for w, _, _ in calls[: mine[0]] if w in able)
            wait = math.ceil((at - now).total_seconds() / 60)
            assert figure == (ahead, wait), (number, figure, (ahead, wait), calls, plan)
    finally:
        hall.close()
