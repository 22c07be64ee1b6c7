"""LiveClient puts overtaken frames back in order and resyncs only for a gap that lasts."""

from __future__ import annotations

import time

from clientlib import live
from clientlib.live import LiveClient


def client(monkeypatch, hold=0.2):
    monkeypatch.setattr(live, "HOLD", hold)
    seen, snapshots = [], []
    c = LiveClient("http://127.0.0.1:9", "token", snapshots.append, seen.append)
    emitted = []
    monkeypatch.setattr(c.sio, "emit", lambda name, **kw: emitted.append(name))
    return c, seen, emitted


def ev(seq, type_="ticket.issued"):
    return {"seq": seq, "type": type_, "data": {}}


def test_an_overtaken_event_is_delivered_in_order_without_a_resync(monkeypatch):
    c, seen, emitted = client(monkeypatch)
    c._snapshot({"seq": 10})
    c._event(ev(12))
    c._events([ev(13), ev(11, "skip")])
    assert [e["seq"] for e in seen] == [12, 13]  # 11 is a skip: counted, not delivered
    assert c.last_seq == 13 and c.resyncs == 0 and emitted == []
    time.sleep(0.3)
    assert emitted == []  # no gap was left behind


def test_events_before_the_snapshot_are_kept_and_the_covered_ones_dropped(monkeypatch):
    c, seen, _ = client(monkeypatch)
    c._event(ev(5))
    c._event(ev(6))
    c._snapshot({"seq": 5})
    assert [e["seq"] for e in seen] == [6]


def test_a_gap_that_lasts_costs_one_resync(monkeypatch):
    c, seen, emitted = client(monkeypatch, hold=0.1)
    c._snapshot({"seq": 1})
    c._event(ev(3))
    time.sleep(0.3)
    assert emitted == ["resync"] and c.resyncs == 1 and seen == []
    c._snapshot({"seq": 3})  # the fresh snapshot covers 2 and 3
    c._event(ev(4))
    assert [e["seq"] for e in seen] == [4]
