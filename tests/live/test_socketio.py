"""Socket.IO against the test's own app served by uvicorn: auth, snapshots, ordering, gaps, room
isolation, presence."""

from __future__ import annotations

import copy

import pytest

from tests.support import HallClient, hall_config, setup_hall


def two_area_hall():
    data = hall_config("town")
    for w in data["windows"]:
        w["area"] = "east" if w["number"] in (1, 2) else "west"
    data["devices"] = [
        {"code": "kiosk-1", "kind": "kiosk", "name": "取号机"},
        {"code": "display-east", "kind": "display", "name": "东区大屏", "area": "east"},
        {"code": "display-west", "kind": "display", "name": "西区大屏", "area": "west"},
    ]
    return data


@pytest.fixture
def hall(live_app, db_url, clock):
    return HallClient(live_app, "town", setup_hall(db_url, copy.deepcopy(two_area_hall()), clock()))


def connect(live, token):
    return live.connect(token)


def received(client, name=None):
    return client.received(name)


def test_connection_without_a_valid_token_is_refused(live, hall):
    assert not connect(live, None).connected
    assert not connect(live, "forged").connected


def test_connect_gets_a_snapshot_with_the_current_sequence(live, hall):
    hall.issue("MZ-01")
    display = connect(live, hall.devices["display-east"])
    (snap,) = received(display, "snapshot")
    data = snap["args"][0]
    assert data["kind"] == "display" and data["area"] == "east"
    assert data["seq"] == hall.get("/queue", hall.staff("boss")).json["seq"]
    assert {w["number"] for w in data["windows"]} == {1, 2}
    assert {i["code"]: i["waiting"] for i in data["items"]}["MZ-01"] == 1


def test_events_arrive_in_sequence_after_the_snapshot(live, hall):
    staff = connect(live, hall.staff("boss")["Authorization"][7:])
    start = received(staff, "snapshot")[0]["args"][0]["seq"]
    hall.issue("MZ-01")
    hall.open_window(2, "clerk1")
    hall.window(2, "call-next", "clerk1")
    events = [m["args"][0] for m in received(staff, "event")]
    assert [e["seq"] for e in events] == [start + 1, start + 2, start + 3]
    assert [e["type"] for e in events] == ["ticket.issued", "window.opened", "ticket.called"]
    assert events[2]["data"]["number"] == "A001" and events[2]["data"]["window"] == 2


def test_a_display_of_one_area_does_not_get_another_areas_calls(live, hall):
    east = connect(live, hall.devices["display-east"])
    west = connect(live, hall.devices["display-west"])
    received(east), received(west)
    hall.issue("MZ-01")
    hall.open_window(2, "clerk1")  # window 2 is in the east wing
    hall.window(2, "call-next", "clerk1")
    east_events = [m["args"][0] for m in received(east, "event")]
    west_events = [m["args"][0] for m in received(west, "event")]
    assert [e["seq"] for e in east_events] == [e["seq"] for e in west_events]  # no gap for either
    called_east = [e for e in east_events if e["type"] == "ticket.called"]
    assert called_east and called_east[0]["data"]["number"] == "A001"
    assert not [e for e in west_events if e["type"] == "ticket.called"]
    assert west_events[-1] == {
        "seq": east_events[-1]["seq"],
        "type": "skip",
        "at": east_events[-1]["at"],
    }
    assert all(
        "clerk" not in str(e.get("data", {})) for e in east_events if e["type"].startswith("ticket")
    )


def test_resync_returns_a_fresh_snapshot(live, hall):
    display = connect(live, hall.devices["display-west"])
    received(display)
    hall.issue("RS-01")
    hall.open_window(3, "clerk1")
    hall.window(3, "call-next", "clerk1")
    received(display)
    display.emit("resync")
    (snap,) = received(display, "snapshot")
    data = snap["args"][0]
    assert data["recent_calls"][0] == data["recent_calls"][0] | {"number": "B001", "window": 3}
    assert data["windows"][0]["current"] == {"number": "B001", "state": "called"}


def test_manager_gets_the_board_and_a_clerk_the_queue(live, hall):
    board = connect(live, hall.staff("boss")["Authorization"][7:])
    assert received(board, "snapshot")[0]["args"][0]["kind"] == "board"
    clerk = connect(live, hall.staff("clerk1")["Authorization"][7:])
    assert received(clerk, "snapshot")[0]["args"][0]["kind"] == "staff"


def test_halls_do_not_hear_each_other(live, hall, db_url, clock):
    other = HallClient(
        live.app, "county", setup_hall(db_url, hall_config("county"), clock(), clerks=("c1",))
    )
    listener = connect(live, hall.staff("boss")["Authorization"][7:])
    county = live.connect(other.staff("boss")["Authorization"][7:], hall="county")
    received(listener), received(county)
    other.issue("MZ-01")
    assert [m["args"][0]["type"] for m in received(county, "event")] == ["ticket.issued"]
    # A later event of the listener's own hall: whatever was sent before it has arrived too.
    hall.issue("MZ-01")
    heard = [m["args"][0] for m in received(listener, "event")]
    assert [(e["seq"], e["type"]) for e in heard] == [(live.seq("town"), "ticket.issued")]


def test_display_presence_is_pushed_to_managers(live, hall, clock):
    board = connect(live, hall.staff("boss")["Authorization"][7:])
    alerts = received(board, "snapshot")[0]["args"][0]["alerts"]
    assert {"device_offline"} <= {a["kind"] for a in alerts if a.get("device") == "display-east"}
    display = connect(live, hall.devices["display-east"])
    online = [
        m["args"][0] for m in received(board, "event") if m["args"][0]["type"] == "device.status"
    ]
    assert (
        online[-1]["data"]["code"] == "display-east"
        and online[-1]["data"]["status"]["online"] is True
    )
    board.emit("resync")
    alerts = received(board, "snapshot")[0]["args"][0]["alerts"]
    assert not [a for a in alerts if a.get("device") == "display-east"]
    display.disconnect()
    board.wait_for(  # the server records the disconnect on its own time: wait for it
        lambda messages: any(
            m["args"][0]["type"] == "device.status" and not m["args"][0]["data"]["status"]["online"]
            for m in messages
        ),
        "display-east going offline",
    )
    clock.advance(minutes=5)
    offline = [
        m["args"][0] for m in received(board, "event") if m["args"][0]["type"] == "device.status"
    ]
    assert offline[-1]["data"]["status"]["online"] is False
    board.emit("resync")
    alerts = received(board, "snapshot")[0]["args"][0]["alerts"]
    assert [a["kind"] for a in alerts if a.get("device") == "display-east"] == ["device_offline"]


def test_public_screens_never_receive_staff_names(live, hall):
    display = connect(live, hall.devices["display-east"])
    staff = connect(live, hall.staff("boss")["Authorization"][7:])
    received(display), received(staff)
    hall.open_window(2, "clerk1")
    staff_view = [
        m["args"][0] for m in received(staff, "event") if m["args"][0]["type"] == "window.opened"
    ]
    public = [
        m["args"][0] for m in received(display, "event") if m["args"][0]["type"] == "window.opened"
    ]
    assert staff_view[0]["data"]["clerk"] == "clerk1"
    assert "clerk" not in public[0]["data"] and public[0]["seq"] == staff_view[0]["seq"]
