"""What residents are told, through the real API on the demo hall (config/demo-hall.toml): people
ahead and the wait follow the calling policy; one figure on the kiosk screen, the receipt and
the status page; items no window serves are 暂停取号 (409 no_window_open) unless the hall lets
residents queue, and then no figure is invented."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest
from escpos.printer import Dummy

from backend.hallconfig import ConfigError, parse_config
from clientlib.printing.receipts import render_ticket
from kiosk import builders
from kiosk.catalog import Catalog
from tests.printing.escpos_stream import printed_lines
from tests.support import HallClient, hall_config, setup_hall

DEMO_FILE = Path(__file__).resolve().parents[2] / "config" / "demo-hall.toml"


def demo_data(**queue) -> dict:
    data = tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))
    data["queue"] |= queue
    del data["hall"]["parent"]  # the demo hall alone, without its county (demo-county.toml)
    for item in data["items"]:
        item.pop("refer_up", None)
    return data


@pytest.fixture
def demo(app, db_url, clock) -> HallClient:
    """The demo hall as a real hall runs it: no tickets for an item no window serves."""
    tokens = setup_hall(db_url, demo_data(issue_when_no_window=False), clock())
    return HallClient(app, "qingshan", tokens)


@pytest.fixture
def queueing(app, db_url, clock) -> HallClient:
    """The demo hall letting residents queue while no window serves their item."""
    tokens = setup_hall(db_url, demo_data(issue_when_no_window=True), clock())
    return HallClient(app, "qingshan", tokens)


def status(hall: HallClient, ticket: dict) -> dict:
    r = hall.client.get(f"/api/v1/status/{ticket['status_token']}")
    assert r.status_code == 200, r.json
    return r.json


def called(hall: HallClient, window: int, clerk: str) -> str:
    r = hall.window(window, "call-next", clerk)
    assert r.status_code == 200 and r.json["ticket"], r.json
    return r.json["ticket"]["number"]


def test_the_reported_case_counts_what_window_3_calls_first(demo, clock):
    """A 特困人员救助供养 ticket with window 3 alone open: window 3 calls 最低生活保障申请
    first, including the ones that come after it (was: "0 people ahead, 0 minutes")."""
    demo.open_window(3, "clerk1")
    demo.issue("MZ-01")
    tekun = demo.issue("MZ-03")
    assert (tekun["people_ahead"], tekun["estimated_wait_minutes"]) == (1, 20)
    demo.issue("MZ-01")
    demo.issue("MZ-01")
    now = status(demo, tekun)
    assert (now["people_ahead"], now["estimated_wait_minutes"]) == (3, 60)  # 3 x 20 min
    order = []
    for _ in range(4):  # what window 3 really does, 20 minutes a service
        order.append(called(demo, 3, "clerk1"))
        clock.advance(minutes=20)
        demo.window(3, "finish", "clerk1")
    assert order == ["A001", "A003", "A004", tekun["ticket"]["number"]]


def test_a_comprehensive_window_also_calls_its_other_items(demo):
    """Window 1 (综合受理) lists 计生 WJ-01 first: its WJ-01 tickets come before the 特困
    ticket there too, and window 1's calls count as people ahead."""
    demo.open_window(1, "clerk1")
    demo.open_window(3, "clerk2")
    for item in ("WJ-01", "MZ-01", "MZ-01"):
        demo.issue(item)
    mine = demo.issue("MZ-03")
    # t=0: window 1 calls WJ-01 (6 min), window 3 a dibao (20); t=6: window 1 the other
    # dibao; t=20: window 3 calls the 特困 ticket
    assert (mine["people_ahead"], mine["estimated_wait_minutes"]) == (3, 20)


def test_a_serving_window_frees_after_its_remaining_service(demo, clock):
    demo.open_window(3, "clerk1")
    demo.issue("MZ-01")
    called(demo, 3, "clerk1")
    demo.window(3, "start", "clerk1")
    clock.advance(minutes=5)
    mine = demo.issue("MZ-03")
    assert (mine["people_ahead"], mine["estimated_wait_minutes"]) == (0, 15)  # 20 - 5


def test_one_figure_on_the_kiosk_screen_the_receipt_and_the_status_page(demo):
    demo.open_window(3, "clerk1")
    demo.issue("MZ-01")
    demo.issue("MZ-01")
    r = demo.issue("MZ-03")
    assert (r["people_ahead"], r["estimated_wait_minutes"]) == (2, 40)
    catalog = Catalog.from_api(demo.get("/catalog").json)
    item = catalog.item("MZ-03")
    receipt = builders.ticket_receipt(catalog, r, item, None, "")
    screen = builders.confirmation_screen(builders.Issued(r, item, None, "", receipt), "zh")
    printer = Dummy()
    render_ticket(printer, dataclasses.replace(receipt, status_url=""))
    paper = [line.text for line in printed_lines(printer.output)]
    page = demo.client.get(r["status_path"]).get_data(as_text=True)
    api = status(demo, r)

    assert (api["people_ahead"], api["estimated_wait_minutes"]) == (2, 40)
    assert (receipt.people_ahead, receipt.estimated_wait_minutes) == (2, 40)
    assert screen.people_ahead == "前面还有 2 人" and screen.wait == "预计等待约 40 分钟"
    assert "前面等候：2 人" in paper and "预计等待：约 40 分钟" in paper
    assert "前面还有 <b>2</b> 人，预计等待约 40 分钟" in page


def test_an_item_no_window_serves_is_not_available_and_refused(demo, db_url):
    """法律咨询 (SF-03) is served only at window 9, which is closed."""
    demo.open_window(3, "clerk1")  # some other window is open: no matter
    item = next(i for i in demo.get("/catalog").json["items"] if i["code"] == "SF-03")
    assert item["available"] is False and item["window_open"] is False
    assert item["unavailable_reason"]["code"] == "no_window_open"
    assert item["service_hours"]["zh"].startswith("今日服务时间 08:30–12:00")
    detail = demo.get("/items/SF-03").json
    assert detail["available"] is False and detail["estimated_wait_minutes"] is None
    assert detail["people_ahead"] is None

    r = demo.post("/tickets", {"item_code": "SF-03"}, demo.device())
    assert r.status_code == 409, r.json
    assert r.json["error"]["code"] == "no_window_open"
    assert r.json["error"]["field"] == "item_code" and "法律咨询" in r.json["error"]["message"]

    demo.open_window(9, "clerk2")
    assert next(i for i in demo.get("/catalog").json["items"] if i["code"] == "SF-03")["available"]
    ticket = demo.issue("SF-03")
    assert ticket["ticket"]["number"] == "F001"  # the refused request used no number
    assert (ticket["people_ahead"], ticket["estimated_wait_minutes"]) == (0, 0)


def test_a_paused_window_still_serves_its_items(demo):
    demo.open_window(9, "clerk1")
    assert demo.window(9, "pause", "clerk1", reason="break").status_code == 200
    assert demo.get("/items/SF-03").json["available"] is True
    ticket = demo.issue("SF-03")
    assert (ticket["people_ahead"], ticket["window_open"]) == (0, True)


def test_queueing_without_a_window_gets_no_invented_figure(queueing):
    item = next(i for i in queueing.get("/catalog").json["items"] if i["code"] == "SF-03")
    assert item["available"] is True and item["window_open"] is False
    ticket = queueing.issue("SF-03")
    assert ticket["people_ahead"] is None and ticket["estimated_wait_minutes"] is None
    assert ticket["window_open"] is False
    now = status(queueing, ticket)
    assert now["people_ahead"] is None and now["estimated_wait_minutes"] is None
    page = queueing.client.get(ticket["status_path"]).get_data(as_text=True)
    assert "当前无窗口办理" in page and "No window open now" in page
    assert "分钟" not in page
    queueing.open_window(9, "clerk1")
    now = status(queueing, ticket)
    assert (now["people_ahead"], now["estimated_wait_minutes"], now["window_open"]) == (0, 0, True)


def test_the_hall_option_is_validated():
    with pytest.raises(ConfigError) as err:
        parse_config(hall_config(queue={"issue_when_no_window": "maybe"}), "hall.toml")
    assert "queue.issue_when_no_window" in str(err.value)
    assert parse_config(hall_config(), "hall.toml").queue.issue_when_no_window is True
    data = hall_config()
    del data["queue"]["issue_when_no_window"]
    assert parse_config(data, "hall.toml").queue.issue_when_no_window is False  # the default
