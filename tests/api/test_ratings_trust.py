"""好差评 that cannot be forged: a rating comes only from the pad of the window that served the
resident while its clerk's request is open (a row, so every server process agrees), or by the
resident's own QR link for that service; everyone else gets 403 naming why."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import func, select

from backend.app import create_app
from backend.db.models import Evaluation, RatingRequest
from backend.domain.ratings import pad_window
from backend.hallconfig import ConfigError, parse_config
from tests.support import SMALL_HALL, HallClient, hall_config, setup_hall


def served(hall, item="RS-01", window=3, clerk="clerk2") -> tuple[str, str]:
    """A service finished at ``window``: (ticket number, status token)."""
    issued = hall.issue(item)
    if hall.get(f"/windows/{window}", hall.staff(clerk)).json["window"]["state"] != "open":
        hall.open_window(window, clerk)
    r = hall.window(window, "call-next", clerk)
    assert r.json["ticket"]["number"] == issued["ticket"]["number"], r.json
    assert hall.window(window, "finish", clerk).status_code == 200
    return issued["ticket"]["number"], issued["status_token"]


def rate(hall, number, who, rating="satisfied"):
    return hall.post("/evaluations", {"ticket": number, "rating": rating}, who)


def refused(r, code):
    assert r.status_code == 403, r.json
    assert r.json["error"]["code"] == code, r.json
    return r.json["error"]["message"]


def evaluations(app) -> int:
    with app.extensions["onestop"].db.reader() as s:
        return s.scalar(select(func.count(Evaluation.id)))


def requests(app) -> list[tuple[str | None, bool]]:
    with app.extensions["onestop"].db.reader() as s:
        rows = s.scalars(select(RatingRequest).order_by(RatingRequest.id)).all()
        return [(r.outcome, r.closed_at is None) for r in rows]


def test_only_the_serving_windows_pad_with_an_open_request_may_rate(app, hall):
    number, _ = served(hall)
    pad3 = hall.device("pad-3")  # attached_to = "3" in the hall file
    assert "has no open rating request" in refused(rate(hall, number, pad3), "no_rating_request")

    assert hall.window(3, "rating-request", "clerk2").status_code == 200
    assert requests(app) == [(None, True)]
    assert "kiosk" in refused(rate(hall, number, hall.device("kiosk-1")), "not_a_rating_pad")
    assert "display" in refused(rate(hall, number, hall.device("display-1")), "not_a_rating_pad")
    message = refused(rate(hall, number, hall.device("pad-1")), "wrong_window")
    assert "belongs to window 1" in message and "served at window 3" in message
    refused(rate(hall, number, hall.staff("clerk2")), "staff_may_not_rate")  # their own service
    refused(rate(hall, number, hall.staff("boss")), "staff_may_not_rate")
    assert evaluations(app) == 0 and requests(app) == [(None, True)]  # nothing written

    ok = rate(hall, number, pad3, "very_satisfied")
    assert ok.status_code == 200, ok.json
    assert ok.json["evaluation"]["channel"] == "pad"
    assert requests(app) == [("rated", False)]
    again = rate(hall, number, pad3, "dissatisfied")
    assert again.status_code == 409 and again.json["error"]["code"] == "already_rated"
    assert evaluations(app) == 1


def test_the_request_closes_when_the_next_resident_is_called_or_after_five_minutes(
    app, hall, clock
):
    first, token = served(hall)
    pad3 = hall.device("pad-3")
    assert hall.window(3, "rating-request", "clerk2").status_code == 200
    clock.advance(minutes=5, seconds=1)
    refused(rate(hall, first, pad3), "no_rating_request")  # expired

    assert hall.window(3, "rating-request", "clerk2").status_code == 200  # asked again
    assert requests(app) == [("superseded", False), (None, True)]
    hall.issue("RS-02")
    assert hall.window(3, "call-next", "clerk2").status_code == 200  # the next resident
    refused(rate(hall, first, pad3), "no_rating_request")
    late = hall.window(3, "rating-request", "clerk2")
    assert late.status_code == 409 and late.json["error"]["code"] == "resident_left"
    # The resident can still rate by the receipt's QR code.
    assert hall.client.post(f"/t/{token}/rate", data={"rating": "satisfied"}).status_code == 303
    assert evaluations(app) == 1


def test_the_open_request_is_shared_by_every_server_process(app, hall, db_url, clock, tmp_path):
    number, _ = served(hall)
    other = create_app(
        {
            "ONESTOP_DATABASE_URL": db_url,
            "ONESTOP_DATA_KEY_FILE": tmp_path / "data.key",
            "ONESTOP_CLOCK": clock,
            "TESTING": True,
        }
    )
    try:
        there = HallClient(other, "town", hall.devices)
        refused(rate(there, number, there.device("pad-3")), "no_rating_request")
        assert hall.window(3, "rating-request", "clerk2").status_code == 200  # process 1
        r = rate(there, number, there.device("pad-3"))  # process 2
        assert r.status_code == 200, r.json
    finally:
        other.extensions["onestop"].db.dispose()
    assert requests(app) == [("rated", False)]


def test_a_qr_link_rates_only_its_own_service_and_closes_the_pads_request(app, hall):
    mine, token = served(hall)
    theirs, _ = served(hall, "MZ-02", window=2, clerk="clerk1")
    r = hall.client.post(f"/t/{token}/rate", data={"rating": "very_satisfied", "ticket": theirs})
    assert r.status_code == 303
    with app.extensions["onestop"].db.reader() as s:
        [rated] = s.scalars(select(Evaluation)).all()
        assert rated.channel == "qr" and rated.window_id is not None
    assert hall.client.get(f"/t/{token}").status_code == 200
    forged = hall.client.post("/t/not-a-real-token/rate", data={"rating": "dissatisfied"})
    assert forged.status_code == 404
    # The other service is still the other resident's to rate, on window 2's pad.
    assert hall.window(2, "rating-request", "clerk1").status_code == 200
    assert rate(hall, theirs, hall.device("pad-2")).status_code == 200
    assert rate(hall, mine, hall.device("pad-3")).json["error"]["code"] == "already_rated"

    # A request open on the pad is closed by a QR rating of that service.
    third, third_token = served(hall)
    assert hall.window(3, "rating-request", "clerk2").status_code == 200
    assert (
        hall.client.post(f"/t/{third_token}/rate", data={"rating": "satisfied"}).status_code == 303
    )
    assert requests(app)[-1] == ("rated", False)
    again = rate(hall, third, hall.device("pad-3"))
    assert again.status_code == 409 and again.json["error"]["code"] == "already_rated"
    assert evaluations(app) == 3


@pytest.fixture
def padless(app, db_url, clock):
    data = hall_config("town")
    data["devices"] = [
        {"code": "kiosk-1", "kind": "kiosk", "name": "取号机"},
        {"code": "pad-x", "kind": "rating_pad", "name": "评价器"},  # names no window
    ]
    return HallClient(app, "town", setup_hall(db_url, data, clock()))


def test_a_pad_attached_to_no_window_rates_nothing(app, padless):
    number, _ = served(padless)
    assert padless.window(3, "rating-request", "clerk2").status_code == 200
    assert "attached to no window" in refused(
        rate(padless, number, padless.device("pad-x")), "pad_without_window"
    )
    assert evaluations(app) == 0


def test_a_pad_names_its_window_in_the_hall_file():
    assert pad_window("3", "评价器") == 3
    assert pad_window(None, "12号窗口好差评评价器") == 12
    assert pad_window(None, "评价器") is None
    data = copy.deepcopy(SMALL_HALL)
    data["devices"].append(
        {"code": "pad-9", "kind": "rating_pad", "name": "评价器", "attached_to": "9"}
    )
    with pytest.raises(ConfigError) as err:
        parse_config(data, "hall.toml")
    at = len(data["devices"]) - 1
    assert [str(p) for p in err.value.problems] == [
        f"hall.toml: devices[{at}] (pad-9).attached_to: a rating pad names its window number; "
        "no window '9'"
    ]
