"""The phones' batched status read gives, for every ticket, exactly what GET
/api/v1/status/<token> answers: one simulation of each item group's line for all its watched
tickets agrees with the one-ticket estimate (green channel, a transfer to a window, a re-queued
no-show, busy and free windows, an unknown token)."""

from __future__ import annotations

import random

from sqlalchemy import select

from backend.db.models import Hall
from backend.live.status_read import read_statuses


def statuses_agree(hall, clock) -> tuple[int, int]:
    """Every ticket's batched status equals its status API answer; returns how many, and how
    many of them have a figure (people ahead)."""
    e = hall.app.extensions["onestop"]
    with e.db.reader() as s:
        hall_id = s.scalar(select(Hall.id).where(Hall.code == "town"))
        tokens = [t for (t,) in s.execute(select_tokens())]
    batch = read_statuses(e.db, hall_id, [*tokens, "no-such-token"], clock())
    assert batch.pop("no-such-token") is None
    for token in tokens:
        one = hall.client.get(f"/api/v1/status/{token}").json
        got = dict(batch[token])
        assert isinstance(got.pop("seq"), int)
        assert got == one, (token, got, one)
    return len(tokens), sum(1 for s in batch.values() if s.get("people_ahead") is not None)


def select_tokens():
    from backend.db.models import Ticket

    return select(Ticket.status_token).distinct()


def test_the_batched_read_agrees_with_the_status_api(hall, clock):
    rng = random.Random(7)
    items = ["MZ-01", "MZ-02", "RS-01", "RS-02"]
    for n in range(24):
        extra = {"priority": "green", "priority_reason": "elderly"} if n % 7 == 3 else {}
        hall.issue(rng.choice(items), **extra)
        clock.advance(seconds=40)
    assert statuses_agree(hall, clock) == (24, 0)  # no window open: no figures
    for window, clerk in ((1, "clerk1"), (2, "clerk2"), (3, "clerk3")):
        hall.open_window(window, clerk)
    assert statuses_agree(hall, clock) == (24, 24)
    hall.window(2, "call-next", "clerk2")
    hall.window(2, "start", "clerk2")
    r = hall.window(2, "transfer", "clerk2", to_window=3, to_item="RS-01", note="转人社")
    assert r.status_code == 200, r.json
    missed = hall.window(1, "call-next", "clerk1").json["ticket"]["number"]
    clock.advance(minutes=2)
    assert hall.window(1, "recall", "clerk1").status_code == 200
    clock.advance(minutes=2)
    r = hall.window(1, "no-show", "clerk1")
    assert r.status_code == 200 and r.json["ticket"]["state"] == "no_show", r.json
    assert hall.window(3, "call-next", "clerk3").status_code == 200
    assert hall.window(3, "start", "clerk3").status_code == 200
    clock.advance(minutes=3)
    statuses_agree(hall, clock)
    r = hall.post(f"/tickets/{missed}/requeue", {}, hall.staff("clerk1"))
    assert r.status_code == 200 and r.json["ticket"]["state"] == "waiting", r.json
    clock.advance(minutes=20)
    total, figures = statuses_agree(hall, clock)
    assert total == 24 and figures >= 19
