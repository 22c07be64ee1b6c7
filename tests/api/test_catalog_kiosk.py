"""What the public catalog tells the kiosk for 常办事项 and each item's queue: people waiting now,
whether a staffed window serves it, and the hall's most-issued items of the last 30 days."""

from datetime import timedelta

from tests.support import MONDAY_9AM, HallClient


def catalog(hall: HallClient) -> dict:
    r = hall.get("/catalog")  # public: no token
    assert r.status_code == 200, r.json
    return r.json


def by_code(data: dict) -> dict[str, dict]:
    return {i["code"]: i for i in data["items"]}


def test_each_item_says_how_many_wait_and_whether_it_is_served_now(hall):
    hall.issue("MZ-01")
    hall.issue("MZ-01")
    hall.issue("RS-02")
    items = by_code(catalog(hall))
    assert [items[c]["waiting"] for c in ("MZ-01", "MZ-02", "RS-01", "RS-02")] == [2, 0, 0, 1]
    assert not any(i["window_open"] for i in items.values())  # no window is staffed yet

    hall.open_window(3, "clerk1")  # 人社 only
    assert hall.window(3, "call-next", "clerk1").status_code == 200
    items = by_code(catalog(hall))
    assert items["RS-02"]["waiting"] == 0  # called: no longer waiting
    assert items["MZ-01"]["waiting"] == 2
    assert {c for c, i in items.items() if i["window_open"]} == {"RS-01", "RS-02"}


def test_frequent_items_are_the_most_issued_of_the_last_30_days(hall, clock):
    clock.now = MONDAY_9AM - timedelta(days=30)  # the 31st day back: too old to count
    for _ in range(5):
        hall.issue("RS-02")
    clock.now = MONDAY_9AM - timedelta(days=29)
    for code in ("RS-01", "RS-01", "MZ-02", "MZ-02"):
        hall.issue(code)
    clock.now = MONDAY_9AM
    for _ in range(3):
        hall.issue("MZ-01")
    # MZ-02 and RS-01 tie at 2: catalog order decides; RS-02's five are a day too old
    assert catalog(hall)["frequent"] == ["MZ-01", "MZ-02", "RS-01"]


def test_frequent_items_are_read_at_most_once_a_minute(hall, clock):
    hall.issue("MZ-01")
    assert catalog(hall)["frequent"] == ["MZ-01"]
    for _ in range(2):
        hall.issue("RS-01")
    clock.advance(seconds=50)
    data = catalog(hall)
    assert data["frequent"] == ["MZ-01"]  # the cached list
    assert by_code(data)["RS-01"]["waiting"] == 2  # waiting counts are always fresh
    clock.advance(seconds=11)
    assert catalog(hall)["frequent"] == ["RS-01", "MZ-01"]


def test_a_hall_with_no_tickets_yet_has_no_frequent_items(hall):
    data = catalog(hall)
    assert data["frequent"] == []
    assert all(i["waiting"] == 0 for i in data["items"])
