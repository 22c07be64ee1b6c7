"""Case work over Socket.IO: the rating pad hears only rating requests (skips for the rest, no
gap), public screens and kiosks get skips for case events, the board carries the case picture
(colours, red/orange list, overdue, extension requests, bad reviews) with alerts, and the cases
page gets a small snapshot with its filter choices."""

from __future__ import annotations

import copy

import pytest

from tests.support import HallClient, hall_config, setup_hall

APPLICANT = {"name": "张小三", "phone": "13812341234", "id_number": "320102198503151230"}
CASE_TYPES = ("case.", "overdue.", "evaluation.", "rectification.", "rating.")


def pad_hall():
    data = hall_config("town")
    data["devices"] = [
        {"code": "kiosk-1", "kind": "kiosk", "name": "取号机"},
        {"code": "display-1", "kind": "display", "name": "大屏"},
        {"code": "pad-2", "kind": "rating_pad", "name": "2号窗口评价器"},
        {"code": "pad-3", "kind": "rating_pad", "name": "人社评价器", "attached_to": "3"},
        {"code": "pad-x", "kind": "rating_pad", "name": "评价器"},
    ]
    return data


@pytest.fixture
def hall(live_app, db_url, clock):
    return HallClient(live_app, "town", setup_hall(db_url, copy.deepcopy(pad_hall()), clock()))


def connect(live, token, **auth):
    return live.connect(token, **auth)


def received(client, name=None):
    return client.received(name)


def events(client):
    return [m["args"][0] for m in received(client, "event")]


def staff_token(hall, username="boss"):
    return hall.staff(username)["Authorization"][7:]


def serve(hall, item="MZ-02", window=2, clerk="clerk1") -> str:
    number = hall.issue(item)["ticket"]["number"]
    if hall.get(f"/windows/{window}", hall.staff(clerk)).json["window"]["state"] != "open":
        hall.open_window(window, clerk)
    hall.window(window, "finish", clerk)  # the previous resident, if any
    assert hall.window(window, "call-next", clerk).json["ticket"]["number"] == number
    assert hall.window(window, "start", clerk).status_code == 200
    return number


def accept(hall, window=2, clerk="clerk1") -> str:
    r = hall.window(window, "accept", clerk, applicant=APPLICANT, materials_received=["身份证"])
    assert r.status_code == 200, r.json
    return r.json["case"]["number"]


def test_rating_pad_gets_rating_requests_and_skips_for_everything_else(live, hall):
    pad = connect(live, hall.devices["pad-2"])
    (snap,) = received(pad, "snapshot")
    data = snap["args"][0]
    assert data["kind"] == "pad" and data["pending"] == []
    assert data["device"] == {"code": "pad-2", "name": "2号窗口评价器", "area": "main", "window": 2}
    assert [w["number"] for w in data["windows"]] == [1, 2, 3]
    start = data["seq"]

    number = serve(hall)
    accept(hall)
    assert hall.window(2, "finish", "clerk1").status_code == 200
    assert hall.window(2, "rating-request", "clerk1").status_code == 200
    got = events(pad)
    assert [e["seq"] for e in got] == list(range(start + 1, start + 1 + len(got)))  # no gap
    full = [e for e in got if e["type"] != "skip"]
    assert [e["type"] for e in full] == ["rating.requested"]
    assert full[0]["data"] == {
        "window": 2,
        "window_name": "2号窗口 民政",
        "number": number,
        "item_name": "临时救助申请",
    }
    assert all(set(e) == {"seq", "type", "at"} for e in got if e["type"] == "skip")

    # A pad that connects later still sees the request it missed, until the service is rated.
    late = connect(live, hall.devices["pad-2"])
    (pending,) = received(late, "snapshot")[0]["args"][0]["pending"]
    assert pending | {"at": None} == {
        "window": 2,
        "window_name": "2号窗口 民政",
        "number": number,
        "item_name": "临时救助申请",
        "at": None,
    }
    r = hall.post("/evaluations", {"ticket": number, "rating": "satisfied"}, hall.device("pad-2"))
    assert r.status_code == 200, r.json
    assert [e["type"] for e in events(pad)] == ["skip"]  # evaluation.rated is not for the pad
    again = connect(live, hall.devices["pad-2"])
    assert received(again, "snapshot")[0]["args"][0]["pending"] == []
    # A pad attached to no window tells the page so (it rates nothing).
    other = connect(live, hall.devices["pad-x"])
    assert received(other, "snapshot")[0]["args"][0]["device"]["window"] is None


def test_displays_and_kiosks_get_skips_for_case_events(live, hall, clock):
    display = connect(live, hall.devices["display-1"])
    kiosk = connect(live, hall.devices["kiosk-1"])
    staff = connect(live, staff_token(hall))
    for client in (display, kiosk, staff):
        received(client)
    start = live.seq("town")  # a socket may still get an earlier event after the drain above

    number = serve(hall)
    case = accept(hall)
    hall.window(2, "finish", "clerk1")
    hall.window(2, "rating-request", "clerk1")
    hall.post("/evaluations", {"ticket": number, "rating": "dissatisfied"}, hall.device("pad-2"))
    hall.next_day(clock, 10)  # the 5-working-day case is now overdue
    assert hall.post("/cases/sweep", {}, hall.staff("boss")).json["sweep"]["overdue"] == 1
    r = hall.post(
        f"/cases/{case}/overdue",
        {"reason": "入户核查未完成", "action": "责令两日内办结"},
        hall.staff("boss"),
    )
    assert r.status_code == 200, r.json

    seen = [e for e in events(staff) if e["seq"] > start]
    case_seqs = {e["seq"] for e in seen if e["type"].startswith(CASE_TYPES)}
    assert {e["type"].split(".")[0] for e in seen if e["seq"] in case_seqs} == {
        "case",
        "overdue",
        "evaluation",
        "rectification",
        "rating",
    }
    for client in (display, kiosk):
        public = [e for e in events(client) if e["seq"] > start]
        assert [e["seq"] for e in public] == [e["seq"] for e in seen]  # gap-free
        for e in public:
            if e["seq"] in case_seqs:
                assert e == {"seq": e["seq"], "type": "skip", "at": e["at"]}
        assert number not in str([e for e in public if e["seq"] in case_seqs])
        assert "张" not in str(public)


def test_board_snapshot_carries_the_case_picture_and_alerts(live, hall, clock):
    serve(hall, "MZ-02")  # 5 working days
    late = accept(hall)
    serve(hall, "MZ-01")  # 15 working days
    waiting = accept(hall)
    r = hall.post(
        f"/cases/{waiting}/extension", {"days": 2, "reason": "需入户核查"}, hall.staff("clerk1")
    )
    assert r.status_code == 200, r.json
    number = serve(hall, "RS-01", window=3, clerk="clerk2")
    hall.window(3, "finish", "clerk2")
    hall.window(3, "rating-request", "clerk2")
    r = hall.post(
        "/evaluations",
        {"ticket": number, "rating": "very_dissatisfied", "comment": "等候太久"},
        hall.device("pad-3"),
    )
    assert r.status_code == 200, r.json

    board = connect(live, staff_token(hall))
    cases = received(board, "snapshot")[0]["args"][0]["cases"]
    assert cases["counts"] == {"red": 0, "orange": 0, "yellow": 0, "green": 2, "suspended": 0}
    assert cases["urgent"] == [] and cases["overdue"] == []
    [ext] = cases["extensions"]
    assert ext | {"id": 0, "requested_at": ""} == {
        "id": 0,
        "case": waiting,
        "item_name": "最低生活保障申请",
        "handling_unit": "MZ",
        "unit_name": "民政",
        "days": 2,
        "reason": "需入户核查",
        "requested_at": "",
        "requested_by": "clerk1",
        "deadline_at": "2026-12-14T17:30:00+08:00",
    }
    [rect] = cases["rectifications"]
    assert rect["ticket"] == number and rect["rating_zh"] == "非常不满意"
    assert cases["ratings_today"] == {"total": 1, "satisfied": 0, "bad": 1}
    alerts = received(board, "snapshot") or []
    board.emit("resync")
    alerts = received(board, "snapshot")[0]["args"][0]["alerts"]
    [bad] = [a for a in alerts if a["kind"] == "bad_review"]
    assert bad["text"] == f"{number} 评价「非常不满意」：等候太久"
    assert not [a for a in alerts if a["kind"] == "case_overdue"]

    hall.next_day(clock, 8)  # Tuesday 1 December: the 5-day case is overdue
    hall.post("/cases/sweep", {}, hall.staff("boss"))
    got = events(board)
    assert {"case.colour", "overdue.opened"} <= {e["type"] for e in got}
    board.emit("resync")
    snap = received(board, "snapshot")[0]["args"][0]
    cases = snap["cases"]
    assert cases["counts"]["red"] == 1 and cases["open"] == 2
    [red] = cases["urgent"]
    assert red == {
        "number": late,
        "item": "MZ-02",
        "item_name": "临时救助申请",
        "handling_unit": "MZ",
        "unit_name": "民政",
        "deadline_at": "2026-11-30T17:30:00+08:00",
        "colour": "red",
        "clerk": "clerk1",
    }
    [record] = cases["overdue"]
    assert record["case"] == late and record["unit_name"] == "民政"
    [alert] = [a for a in snap["alerts"] if a["kind"] == "case_overdue"]
    assert alert == {
        "kind": "case_overdue",
        "case": late,
        "text": f"{late} 临时救助申请（民政）已超期",
    }
    assert snap["alerts"][0]["kind"] == "case_overdue"  # case alerts come first

    hall.post(
        f"/cases/{late}/overdue", {"reason": "材料待核", "action": "限期办结"}, hall.staff("boss")
    )
    board.emit("resync")
    snap = received(board, "snapshot")[0]["args"][0]
    assert snap["cases"]["overdue"] == [] and snap["cases"]["counts"]["red"] == 1
    assert not [a for a in snap["alerts"] if a["kind"] == "case_overdue"]


def test_cases_view_gets_a_small_snapshot_with_filter_choices(live, hall):
    page = connect(live, staff_token(hall), view="cases")
    snap = received(page, "snapshot")[0]["args"][0]
    assert snap["kind"] == "cases" and snap["role"] == "manager"
    assert snap["seq"] == hall.get("/queue", hall.staff("boss")).json["seq"]
    assert snap["units"] == [{"code": "MZ", "name": "民政"}, {"code": "RS", "name": "人社"}]
    assert [i["code"] for i in snap["items"]] == ["MZ-01", "MZ-02"]  # promised items only
    assert {"username": "clerk1", "name": "clerk1"} in snap["clerks"]
    assert "windows" not in snap and "cases" not in snap
    # The view is asked for, never trusted: a device ignores it, an unknown view is the default.
    display = connect(live, hall.devices["display-1"], view="cases")
    assert received(display, "snapshot")[0]["args"][0]["kind"] == "display"
    board = connect(live, staff_token(hall), view={"x": 1})
    assert received(board, "snapshot")[0]["args"][0]["kind"] == "board"
    # The page still gets every event (it reloads its list on case events).
    serve(hall)
    accept(hall)
    assert "case.accepted" in [e["type"] for e in events(page)]
