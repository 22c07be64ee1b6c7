"""Items no window serves now: 暂停取号 on the kiosk (greyed, not tappable, with the reason and
the hours), and honest wording when the hall lets residents queue anyway. Offscreen Qt on the
real app (the demo hall); the screenshot goes to /tmp for a look."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest

from kiosk import builders as b
from kiosk.catalog import Catalog
from kiosk.screens import ConfirmationScreen, GuideScreen, HomeScreen, ItemListScreen

from .hall import reload_demo_hall
from .helpers import find, screen_is, tap, text

pytestmark = pytest.mark.timeout(60)

SHOT_DIR = os.environ.get("KIOSK_SHOT_DIR", "/tmp")
HOURS = {
    "zh": "今日服务时间 08:30–12:00、14:00–18:30",
    "en": "Served today 08:30–12:00, 14:00–18:30",
}
NO_WINDOW = {"code": "no_window_open", "zh": "当前无窗口办理", "en": "No window open now"}


def paused(data: dict, code: str, available: bool = False) -> dict:
    """The catalog as the backend sends it when no window serving ``code`` is staffed."""
    for item in data["items"]:
        if item["code"] == code:
            item |= {
                "available": available,
                "window_open": False,
                "unavailable_reason": dict(NO_WINDOW),
                "service_hours": dict(HOURS),
            }
    return data


def test_the_catalog_reads_availability(demo_catalog):
    catalog = Catalog.from_api(paused(demo_catalog, "SF-03"))
    legal = catalog.item("SF-03")
    assert (legal.available, legal.window_open) == (False, False)
    assert (
        legal.reason == ("当前无窗口办理", "No window open now") and legal.hours[0] == HOURS["zh"]
    )
    assert catalog.item("SF-01").available  # the hall queues residents with no window open
    sf01 = next(i for i in demo_catalog["items"] if i["code"] == "SF-01")
    older = {k: v for k, v in sf01.items() if k not in ("available", "window_open")}
    item = Catalog.from_api(demo_catalog | {"items": [older]}).item("SF-01")
    assert item.available and item.window_open  # an older backend sends nothing: available


def test_tiles_say_why_and_cannot_be_tapped(demo_catalog):
    catalog = Catalog.from_api(paused(demo_catalog, "SF-03"))
    tiles = {t.key: t for t in b.items_screen(catalog, "SF", "zh", None).items}
    assert tiles["SF-03"].enabled is False
    assert tiles["SF-03"].subtitle == f"暂停取号 · 当前无窗口办理 · {HOURS['zh']}"
    assert tiles["SF-01"].enabled is True and "暂停取号" not in tiles["SF-01"].subtitle
    english = {t.key: t for t in b.items_screen(catalog, "SF", "en", None).items}
    assert english["SF-03"].subtitle.startswith("Not available now · No window open now")
    home = {t.key: t for t in b.home_screen(catalog, "zh", None).departments}
    assert home["SF"].subtitle == "3 项服务，1 项暂停取号"
    found = {t.key: t for t in b.search_screen(catalog, "flzx", "zh", None).results}
    assert found["SF-03"].enabled is False


def test_queueing_without_a_window_is_said_plainly(demo_catalog):
    """The hall allows it: the tile is tappable and says no window is open; the ticket carries
    no figure, and the screen and the receipt say so instead of inventing one."""
    catalog = Catalog.from_api(paused(demo_catalog, "SF-03", available=True))
    item = catalog.item("SF-03")
    tile = b.item_tile(item, "zh")
    assert tile.enabled and tile.subtitle.endswith("当前无窗口办理")
    detail = {"waiting": 2, "people_ahead": None, "estimated_wait_minutes": None}
    assert b.waiting_text(detail | {"window_open": False}, False, "zh").startswith("当前无窗口办理")
    result = {
        "ticket": {
            "number": "F003",
            "issued_at": datetime(2026, 11, 23, 2, tzinfo=UTC).isoformat(),
        },
        "people_ahead": None,
        "estimated_wait_minutes": None,
        "window_open": False,
        "windows": [],
        "status_path": "/t/x",
    }
    receipt = b.ticket_receipt(catalog, result, item, None, "https://q.example.cn/t/x")
    assert receipt.people_ahead is None and receipt.estimated_wait_minutes is None
    screen = b.confirmation_screen(b.Issued(result, item, None, "u", receipt), "zh")
    assert screen.people_ahead == "当前无窗口办理，窗口开放后按顺序叫号" and screen.wait == ""
    english = b.confirmation_screen(b.Issued(result, item, None, "u", receipt), "en")
    assert english.people_ahead.startswith("No window open now")


def no_window_no_ticket(hall) -> None:
    """The demo hall as a real hall runs it: an item no open window serves is 暂停取号."""
    reload_demo_hall(hall, queue={"issue_when_no_window": False})


def test_kiosk_greys_an_item_without_a_window_and_brings_it_back(
    qtbot, kiosk_factory, kiosk_api, demo_hall
):
    no_window_no_ticket(demo_hall)
    demo_hall.open_window(2, "clerk2")  # 2号窗口 serves YB-01 and YB-02; YB-03 nobody
    kiosk = kiosk_factory(api=kiosk_api, catalog_refresh_seconds=0.2)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    assert "1 项暂停取号" in find(kiosk, "dept_YB").accessibleName()
    qtbot.wait(100)
    kiosk.window.grab().save(f"{SHOT_DIR}/kiosk-home-item-not-available.png")
    tap(qtbot, kiosk, "dept_YB")
    assert screen_is(kiosk, ItemListScreen)
    paused_item = find(kiosk, "item_YB-03")
    assert paused_item.isVisible() and not paused_item.isEnabled()
    assert "暂停取号" in paused_item.accessibleName()
    assert "08:30–12:00" in paused_item.accessibleName()  # the hours it is served
    qtbot.wait(100)
    kiosk.window.grab().save(f"{SHOT_DIR}/kiosk-item-not-available.png")
    kiosk.presenter.choose_language("en")
    assert "Not available now" in find(kiosk, "item_YB-03").accessibleName()
    qtbot.wait(100)  # let the layout settle before the picture
    kiosk.window.grab().save(f"{SHOT_DIR}/kiosk-item-not-available-en.png")
    kiosk.presenter.choose_language("zh")
    kiosk.presenter.open_item("YB-03")  # even if a tap got through: nothing happens
    assert screen_is(kiosk, ItemListScreen)
    assert find(kiosk, "item_YB-01").isEnabled()

    demo_hall.open_window(5, "clerk3")  # 5号窗口 医保 opens: the next refresh shows it
    qtbot.waitUntil(lambda: find(kiosk, "item_YB-03").isEnabled())
    tap(qtbot, kiosk, "item_YB-03")
    assert screen_is(kiosk, GuideScreen) and find(kiosk, "takeTicket").isEnabled()


def test_a_refusal_for_no_window_is_shown_and_the_catalog_reloaded(
    qtbot, kiosk_factory, kiosk_api, kiosk_net, demo_hall
):
    no_window_no_ticket(demo_hall)
    demo_hall.open_window(9, "clerk1")
    kiosk = kiosk_factory(api=kiosk_api)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    tap(qtbot, kiosk, "dept_SF")
    tap(qtbot, kiosk, "item_SF-03")
    r = demo_hall.window(9, "sign-out", "clerk1")  # the window closed a moment ago
    assert r.status_code == 200, r.json
    tap(qtbot, kiosk, "takeTicket")
    qtbot.waitUntil(lambda: text(kiosk, "guideNotice").startswith("法律咨询：暂停取号"))
    qtbot.waitUntil(lambda: not kiosk.presenter.catalog.item("SF-03").available)
    qtbot.waitUntil(lambda: not find(kiosk, "takeTicket").isEnabled())
    assert find(kiosk, "takeTicket").text() == "暂停取号"
    kiosk.presenter.take_ticket()  # refused locally now: no second request
    assert len(kiosk_net.posts("tickets")) == 1 and demo_hall.tickets_issued() == 0
    assert not screen_is(kiosk, ConfirmationScreen)
