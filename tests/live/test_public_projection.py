"""Nothing private on public screens: a real display and a real kiosk socket, while every kind of
event is driven through the API, receive only the keys a public screen may show (no clerk
names, notes or pause reasons), staff-only events (manager messages, case work, ratings, device
status) as skips, and every sequence number of the hall. A rating request reaches only the pad
of the window that asked."""

from __future__ import annotations

import copy

import pytest

from tests.support import HallClient, hall_config, setup_hall

TICKET = {"number", "item", "item_name", "state", "called_at", "call_count"}
CALL = TICKET | {"window", "window_name", "area"}
WINDOW = {"number", "name", "area", "state", "state_since", "items", "current"}
ALLOWED = {
    "ticket.issued": TICKET | {"waiting_for_item"},
    "ticket.requeued": TICKET | {"target_window"},
    "ticket.cancelled": TICKET,
    **{f"ticket.{t}": CALL for t in ("called", "recalled", "started", "finished", "no_show")},
    "ticket.transferred": CALL,
    **{
        f"window.{a}": WINDOW
        for a in ("opened", "paused", "resumed", "closed", "staffed", "handed_over")
    },
}
STAFF_ONLY = ("manager.", "case.", "rating.", "evaluation.", "rectification.", "device.")
PAUSE_NOTE = "去医院复查"
MESSAGE = "请回电 张三 13812345678"
TRANSFER_NOTE = "李四 需民政审核"
APPLICANT = {"name": "王小明", "phone": "13912345678", "id_number": "320102198503151230"}
# What only staff may read: display names of the clerks and the manager, the notes typed.
PRIVATE = ("clerk1", "clerk2", "clerk3", "王主任", PAUSE_NOTE, MESSAGE, TRANSFER_NOTE, "王小明")


@pytest.fixture
def hall(live_app, db_url, clock):
    data = copy.deepcopy(hall_config("town"))
    return HallClient(live_app, "town", setup_hall(db_url, data, clock()))


def ok(r):
    assert r.status_code == 200, r.json
    return r.json


def events(sock) -> list[dict]:
    return [m["args"][0] for m in sock.received("event")]


def drive_every_event_type(hall, clock) -> None:
    boss = hall.staff("boss")
    first = hall.issue("MZ-01")["ticket"]["number"]  # A001
    transferred = hall.issue("RS-01")["ticket"]["number"]  # B001
    missing = hall.issue("RS-02")["ticket"]["number"]  # B002
    cancelled = hall.issue("MZ-02")["ticket"]["number"]  # A002
    hall.open_window(2, "clerk1")
    hall.open_window(3, "clerk2")
    assert ok(hall.window(2, "call-next", "clerk1"))["ticket"]["number"] == first
    ok(hall.window(2, "recall", "clerk1"))
    ok(hall.window(2, "start", "clerk1"))
    ok(hall.window(2, "accept", "clerk1", applicant=APPLICANT, materials_received=["身份证"]))
    ok(hall.window(2, "finish", "clerk1"))
    ok(hall.window(2, "rating-request", "clerk1"))
    body = {"ticket": first, "rating": "dissatisfied", "comment": "太慢"}
    ok(hall.post("/evaluations", body, hall.device("pad-2")))

    assert ok(hall.window(3, "call-next", "clerk2"))["ticket"]["number"] == transferred
    ok(hall.window(3, "transfer", "clerk2", to_window=1, note=TRANSFER_NOTE))
    assert ok(hall.window(3, "call-next", "clerk2"))["ticket"]["number"] == missing
    ok(hall.window(3, "recall", "clerk2"))
    clock.advance(minutes=2)
    ok(hall.window(3, "no-show", "clerk2"))
    ok(hall.post(f"/tickets/{cancelled}/cancel", {}, boss))
    ok(hall.window(3, "pause", "clerk2", reason="other", note=PAUSE_NOTE))
    ok(hall.window(3, "resume", "clerk2"))
    ok(hall.post("/windows/3/staff", {"primary": "clerk2", "backup": "clerk3"}, boss))
    ok(hall.window(3, "pause", "clerk2", reason="handover", note=PAUSE_NOTE))
    ok(hall.window(3, "take-over", "clerk3"))
    ok(hall.post("/messages", {"window": 3, "text": MESSAGE}, boss))
    ok(hall.post("/messages", {"text": MESSAGE}, boss))
    ok(hall.window(3, "sign-out", "clerk3"))
    report = {"printer": {"condition": "paper_near_end", "message": "纸将尽"}}
    ok(hall.post("/devices/kiosk-1/status", report, hall.device("kiosk-1")))


def test_public_screens_get_only_the_public_projection_of_every_event(live, hall, clock):
    staff = live.connect(hall.staff("boss")["Authorization"][7:])
    display = live.connect(hall.devices["display-1"])
    kiosk = live.connect(hall.devices["kiosk-1"])
    for sock in (staff, display, kiosk):
        sock.received()
    start = live.seq("town")  # a socket may still get an earlier event after the drain above

    drive_every_event_type(hall, clock)
    full = [e for e in events(staff) if e["seq"] > start]
    seqs = [e["seq"] for e in full]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    types = {e["type"] for e in full}
    assert set(ALLOWED) <= types  # every public type was driven ...
    assert {"manager.message", "case.accepted", "rating.requested", "evaluation.rated"} <= types
    assert {"rectification.opened", "device.status"} <= types  # ... and the staff-only ones
    # Staff see what the public must not (so the checks below can fail).
    paused = next(e["data"] for e in full if e["type"] == "window.paused")
    assert paused["clerk"] == "clerk2" and PAUSE_NOTE in paused["pause_reason"]

    by_seq = {e["seq"]: e for e in full}
    for sock in (display, kiosk):
        got = [e for e in events(sock) if e["seq"] > start]
        assert [e["seq"] for e in got] == seqs  # every sequence number, no gap
        for e in got:
            kind = by_seq[e["seq"]]["type"]
            if kind.startswith(STAFF_ONLY):
                assert e == {"seq": e["seq"], "type": "skip", "at": e["at"]}, e
                continue
            assert e["type"] == kind and set(e) == {"seq", "type", "at", "data"}
            assert set(e["data"]) <= ALLOWED[kind], (kind, set(e["data"]) - ALLOWED[kind])
            current = e["data"].get("current")
            assert current is None or set(current) <= {"number", "state"}
        assert not [p for p in PRIVATE if p in str(got)]
        public = {e["type"] for e in got}
        assert set(ALLOWED) <= public  # the screens still get everything they draw
        called = next(e["data"] for e in got if e["type"] == "ticket.called")
        assert {"number", "window", "window_name", "item", "state"} <= set(called)

    # Their snapshots are public too: no clerk, no pause reason.
    ok(hall.window(2, "pause", "clerk1", reason="other", note=PAUSE_NOTE))
    for sock in (display, kiosk):
        sock.emit("resync")
        (snap,) = [m["args"][0] for m in sock.received("snapshot")]
        assert all(set(w) <= WINDOW for w in snap["windows"]), snap["windows"]
        assert {w["number"]: w["state"] for w in snap["windows"]}[2] == "paused"
        assert not [p for p in PRIVATE if p in str(snap)]


def test_a_rating_request_reaches_only_the_pad_of_the_window_that_asked(live, hall):
    pad2 = live.connect(hall.devices["pad-2"])  # 「2号窗口评价器」
    pad3 = live.connect(hall.devices["pad-3"])  # attached_to = "3"
    pad2.received(), pad3.received()
    start = live.seq("town")
    number = hall.issue("RS-01")["ticket"]["number"]
    hall.open_window(3, "clerk2")
    ok(hall.window(3, "call-next", "clerk2"))
    ok(hall.window(3, "finish", "clerk2"))
    ok(hall.window(3, "rating-request", "clerk2"))

    mine, other = events(pad3), events(pad2)
    assert [e["seq"] for e in mine] == [e["seq"] for e in other]
    assert [e["seq"] for e in other] == list(range(start + 1, start + 1 + len(other)))
    assert {e["type"] for e in other} == {"skip"}  # window 3's request is not for window 2
    [asked] = [e for e in mine if e["type"] != "skip"]
    assert asked["type"] == "rating.requested"
    assert asked["data"] == {
        "window": 3,
        "window_name": "3号窗口 人社",
        "number": number,
        "item_name": "城乡居民养老保险参保登记",
    }
    # A pad that reconnects sees its own window's open request, and no other window's.
    again2, again3 = live.connect(hall.devices["pad-2"]), live.connect(hall.devices["pad-3"])
    assert again2.received("snapshot")[0]["args"][0]["pending"] == []
    [pending] = again3.received("snapshot")[0]["args"][0]["pending"]
    assert pending["number"] == number and pending["window"] == 3
