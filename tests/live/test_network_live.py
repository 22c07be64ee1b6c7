"""The county board over Socket.IO: a supervisor's socket is in the staff rooms of its hall and
every hall below it, gets a snapshot with each hall's sequence number and the county board,
and every event it hears names its hall (so a gap is told per hall); a hall outside its tree
is never heard; with ``hall`` it drills down into one hall's board. Public screens' messages
stay as they were (no hall code). Across two server processes (Redis between them) the
supervisor on one hears the towns' events committed through the other, named."""

from __future__ import annotations

import os
import uuid

import pytest

from backend.app import create_app
from tests.live.served import LiveSocket, ServedApp
from tests.support import HallClient, hall_config, setup_hall, setup_network

REDIS = os.environ.get("ONESTOP_TEST_REDIS_URL")

TREE = ["county", "east", "town", "cun"]


@pytest.fixture
def county(live_app, db_url, clock) -> dict[str, HallClient]:
    tokens = setup_network(db_url, clock())
    return {code: HallClient(live_app, code, t) for code, t in tokens.items()}


def token(hall: HallClient, username: str) -> str:
    return hall.staff(username)["Authorization"][7:]


def events(sock: LiveSocket) -> list[dict]:
    return [m["args"][0] for m in sock.messages if m["name"] == "event"]


def snapshots(sock: LiveSocket) -> list[dict]:
    return [m["args"][0] for m in sock.messages if m["name"] == "snapshot"]


def heard(live, sock: LiveSocket, *halls: str) -> None:
    """Wait until the socket has every committed event of ``halls``."""

    def caught_up(messages: list[dict]) -> bool:
        got = [m["args"][0] for m in messages if m["name"] == "event"]
        return all(
            any(e.get("hall") == hall and e["seq"] == live.seq(hall) for e in got) for hall in halls
        )

    sock.wait_for(caught_up, f"the last events of {halls}")


def test_a_supervisor_hears_every_hall_of_its_tree_by_name(live, county, db_url, clock):
    other = HallClient(live.app, "other", setup_hall(db_url, hall_config("other"), clock()))
    town, east = county["town"], county["east"]
    supervisor = live.connect(token(county["county"], "ducha"), hall="county")
    (snap,) = snapshots(supervisor)
    assert snap["kind"] == "network" and snap["hall"]["code"] == "county"
    assert snap["seqs"] == {code: live.seq(code) for code in TREE}
    assert [r["hall"]["code"] for r in snap["board"]["halls"]] == TREE
    manager = live.connect(token(town, "boss"))
    display = live.connect(other.devices["display-1"], hall="other")
    start = dict(snap["seqs"])

    town.issue("MZ-01")
    east.issue("RS-01")
    other.issue("MZ-01")  # another county's town
    town.open_window(2, "clerk1")
    heard(live, supervisor, "town", "east")
    got = events(supervisor)
    assert {e["hall"] for e in got} == {"town", "east"}
    for hall in ("town", "east"):
        seqs = [e["seq"] for e in got if e["hall"] == hall]
        assert seqs == list(range(start[hall] + 1, live.seq(hall) + 1))  # in order, no gap
    assert [e["type"] for e in got if e["hall"] == "east"] == ["ticket.issued"]
    town_types = [e["type"] for e in got if e["hall"] == "town"]
    assert town_types == ["ticket.issued", "window.opened"]

    # the town's own manager hears the same events, named too, and its board as before
    assert snapshots(manager)[0]["kind"] == "board"
    heard(live, manager, "town")
    assert {e["hall"] for e in events(manager)} == {"town"}
    # a public screen's messages are the public projection, with no hall code
    display.settle()
    assert all("hall" not in e for e in events(display))
    assert any(e["type"] == "ticket.issued" for e in events(display))

    # on resync: a fresh snapshot with each hall's place now
    supervisor.emit("resync")
    supervisor.wait_for(lambda messages: len(snapshots(supervisor)) == 2, "a second snapshot")
    again = snapshots(supervisor)[1]
    assert again["seqs"]["town"] == live.seq("town") and again["seqs"]["east"] == live.seq("east")
    assert next(r for r in again["board"]["halls"] if r["hall"]["code"] == "town")["waiting"] == 1


def test_a_supervisor_drills_down_into_one_hall(live, county, db_url, clock):
    setup_hall(db_url, hall_config("other"), clock())
    town = county["town"]
    me = token(county["county"], "ducha")
    sock = LiveSocket(live.url, me, lambda: live.seq("town"), hall="town")
    live.sockets.append(sock)
    assert sock.connected
    (snap,) = snapshots(sock)
    assert snap["kind"] == "board" and snap["hall"]["code"] == "town"
    assert snap["seq"] == live.seq("town")
    cases = LiveSocket(live.url, me, lambda: live.seq("cun"), hall="cun", view="cases")
    live.sockets.append(cases)
    assert snapshots(cases)[0]["kind"] == "cases" and snapshots(cases)[0]["hall"]["code"] == "cun"

    county["east"].issue("MZ-01")
    town.issue("MZ-01")
    got = [m["args"][0] for m in sock.received("event")]
    assert [(e["hall"], e["seq"]) for e in got] == [("town", live.seq("town"))]

    # outside its tree, or anybody but a supervisor looking into another hall: refused
    for who, hall in ((me, "other"), (me, "nowhere"), (token(town, "boss"), "county")):
        refused = LiveSocket(live.url, who, lambda: 0, hall=hall)
        live.sockets.append(refused)
        assert not refused.connected, hall


@pytest.mark.skipif(not REDIS, reason="needs ONESTOP_TEST_REDIS_URL")
def test_across_two_processes_the_supervisor_hears_the_towns_by_name(db_url, clock, tmp_path):
    """Two apps (each its own push hub, as two processes have) on one database and one Redis
    channel: events committed through A reach the supervisor's socket on B, named."""
    channel = f"onestop:test:{uuid.uuid4().hex[:8]}"

    def app():
        return create_app(
            {
                "ONESTOP_DATABASE_URL": db_url,
                "ONESTOP_CLOCK": clock,
                "ONESTOP_DATA_KEY_FILE": tmp_path / "data.key",
                "ONESTOP_MESSAGE_QUEUE": REDIS,
                "ONESTOP_MESSAGE_CHANNEL": channel,
                "TESTING": True,
            }
        )

    tokens = setup_network(db_url, clock())
    a, b = app(), app()
    served = [ServedApp(a).start(), ServedApp(b).start()]
    try:
        halls = {code: HallClient(a, code, t) for code, t in tokens.items()}  # requests: A
        supervisor = served[1].connect(token(HallClient(b, "county", {}), "ducha"))
        start = snapshots(supervisor)[0]["seqs"]
        halls["town"].issue("MZ-01")
        halls["east"].issue("MZ-01")
        halls["town"].issue("RS-01")
        heard(served[1], supervisor, "town", "east")
        got = [(e["hall"], e["seq"], e["type"]) for e in events(supervisor)]
        assert sorted(got) == [
            ("east", start["east"] + 1, "ticket.issued"),
            ("town", start["town"] + 1, "ticket.issued"),
            ("town", start["town"] + 2, "ticket.issued"),
        ]
    finally:
        for server in served:
            server.stop()
        for one in (a, b):
            one.extensions["onestop"].db.dispose()
