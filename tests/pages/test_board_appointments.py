"""The board's appointments strip in headless Chromium against a real server on the demo hall:
a booking and a cancellation show up through the live events, names masked; the strip follows
the board's 中文 / English toggle (the "staff" catalogue)."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

import i18n
from i18n import labels
from tests.pages.test_board import BOARD, login

pytestmark = pytest.mark.slow


def bookable_slot(server, item: str = "MZ-01") -> tuple[str, str]:
    """(scope, slot start): today's first bookable slot, else tomorrow's."""
    base = f"{server.url}/api/v1/halls/{server.hall}/appointments"
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    for scope, day in (("today", today), ("tomorrow", today + timedelta(days=1))):
        slots = requests.get(f"{base}/slots?item={item}&day={day}", timeout=10).json()["slots"]
        free = [s for s in slots if s["bookable"] and s["left"] > 0]
        if free:
            return scope, free[0]["start"]
    pytest.skip("neither today nor tomorrow has a bookable slot (a holiday?)")


HAN = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")  # Chinese and its punctuation


def book(server, start: str, name: str, phone: str) -> dict:
    url = f"{server.url}/api/v1/halls/{server.hall}/appointments"
    body = {"request_id": uuid.uuid4().hex, "item_code": "MZ-01", "slot_start": start,
            "name": name, "phone": phone}  # fmt: skip
    booked = requests.post(url, json=body, timeout=10)
    assert booked.status_code == 201, booked.text
    return booked.json()


def loaded(page, n: int) -> None:
    page.wait_for_function(
        f"Number(document.getElementById('appointments-panel').dataset.loads) >= {n}"
    )


def test_the_strip_lists_slots_with_masked_names_and_follows_live_events(
    live_server, pages, artifacts
):
    scope, start = bookable_slot(live_server)
    page = pages(BOARD)
    login(page, live_server, "manager")
    loaded(page, 1)
    if scope == "tomorrow":
        page.click("#appointments-tomorrow")
        page.wait_for_selector("#appointments-panel[data-scope='tomorrow']", state="attached")
        loaded(page, 2)
    assert "暂无预约" in page.inner_text("#appointments")

    url = f"{live_server.url}/api/v1/halls/{live_server.hall}/appointments"
    body = {"request_id": uuid.uuid4().hex, "item_code": "MZ-01", "slot_start": start,
            "name": "王小五", "phone": "13812345678"}  # fmt: skip
    booked = requests.post(url, json=body, timeout=10)
    assert booked.status_code == 201, booked.text
    code = booked.json()["appointment"]["code"]
    token = booked.json()["manage_token"]

    chip = page.locator(f"#appointments .appt-chip[data-code='{code}']")
    chip.wait_for()  # pushed (appointment.booked), not the one-minute timer
    assert chip.inner_text().strip() == "王*五" and chip.get_attribute("data-state") == "booked"
    row = page.locator(f"#appointments tr.appt-slot[data-slot='{start}']")
    assert row.locator(".a-booked").inner_text() == "1"
    assert row.locator(".a-item").inner_text() == "最低生活保障申请"
    assert "待签到 1" in page.inner_text("#appointments-summary")
    text = page.inner_text("body")
    assert "王小五" not in text and "13812345678" not in text
    page.screenshot(path=str(artifacts / "board-appointments.png"))

    manage = f"{live_server.url}/api/v1/appointments/{token}/cancel"
    assert requests.post(manage, json={"request_id": uuid.uuid4().hex}, timeout=10).ok
    page.wait_for_selector(
        f"#appointments .appt-chip[data-code='{code}'][data-state='cancelled']", state="attached"
    )
    assert row.locator(".a-booked").inner_text() == "0"


def strip_texts(page) -> list[str]:
    """Every text a reader meets in the strip: the visible text, titles and aria-labels."""
    return page.evaluate(
        """() => {
          const panel = document.getElementById('appointments-panel');
          const out = [panel.innerText, panel.getAttribute('aria-label') || ''];
          panel.querySelectorAll('[title], [aria-label]').forEach((n) => {
            out.push(n.getAttribute('title') || '', n.getAttribute('aria-label') || '');
          });
          return out;
        }"""
    )


def test_the_strip_follows_the_language_toggle(live_server, pages, artifacts):
    en = i18n.texts("staff", "en")
    scope, start = bookable_slot(live_server)
    gone = book(live_server, start, "李四", "13912345678")  # cancelled: its place is free again
    cancel = f"{live_server.url}/api/v1/appointments/{gone['manage_token']}/cancel"
    assert requests.post(cancel, json={"request_id": uuid.uuid4().hex}, timeout=10).ok
    gone = gone["appointment"]["code"]
    kept = book(live_server, start, "王小五", "13812345678")["appointment"]["code"]

    page = pages(BOARD)
    login(page, live_server, "manager")
    loaded(page, 1)
    if scope == "tomorrow":
        page.click("#appointments-tomorrow")
        page.wait_for_selector("#appointments-panel[data-scope='tomorrow'][data-loads='2']",
                               state="attached")  # fmt: skip
    chips = "#appointments .appt-chip"
    page.wait_for_selector(f"{chips}[data-code='{gone}'][data-state='cancelled']", state="attached")
    head = page.locator("#appointments th")
    zh_head = ["时段 slot", "事项 item", "容量 cap", "待签到 booked", "已签到 in", "未到 no-show",
               "预约人 who"]  # fmt: skip
    assert [t.strip() for t in head.all_inner_texts()] == zh_head
    assert "已取消" in page.get_attribute(f"{chips}[data-code='{gone}']", "title")
    loads = page.get_attribute("#appointments-panel", "data-loads")

    page.click("#lang-toggle button[data-lang='en']")
    page.wait_for_selector("body[data-lang='en']", state="attached")
    page.wait_for_function(
        f"document.querySelector('#appointments th').innerText.trim() === {en['ap_th_slot']!r}"
    )
    keys = ["ap_th_slot", "ap_th_item", "ap_th_capacity", "ap_th_booked", "ap_th_checked_in",
            "ap_th_no_show", "ap_th_who"]  # fmt: skip
    assert [t.strip() for t in head.all_inner_texts()] == [en[k] for k in keys]
    assert page.inner_text("#appointments-panel h2 .seg").split() == ["Today", "Tomorrow"]
    assert page.inner_text("#appointments-panel h2").startswith(en["ap_title"])
    assert page.get_attribute("#appointments-panel", "aria-label") == en["ap_title"]
    summary = page.inner_text("#appointments-summary")
    assert "booked 1" in summary and "checked in 0" in summary and "no-show 0" in summary
    booked_title = page.get_attribute(f"{chips}[data-code='{kept}']", "title")
    # the state names are labels (i18n/labels.toml), like every state's
    booked_en = labels.label("appointment_state", "booked", "en")
    assert booked_title == f"138****5678 · {booked_en}"
    cancelled_en = labels.label("appointment_state", "cancelled", "en")
    assert cancelled_en in page.get_attribute(f"{chips}[data-code='{gone}']", "title")
    row = page.locator(f"#appointments tr.appt-slot[data-slot='{start}']")
    item = row.locator(".a-item").inner_text()
    assert item == "Minimum living allowance (dibao) application"
    # No Chinese is left but the data: the masked names.
    names = page.locator(chips).evaluate_all("cs => cs.map(c => c.firstChild.textContent)")
    assert sorted(names) == ["李*", "王*五"]
    leftover = [HAN.findall(t) for t in strip_texts(page)]
    assert {c for found in leftover for c in found} <= set("".join(names))
    # Redrawn from the answer it had: the toggle asks the server nothing.
    assert page.get_attribute("#appointments-panel", "data-loads") == loads
    page.screenshot(path=str(artifacts / "board-appointments-en.png"))

    page.click("#lang-toggle button[data-lang='zh']")
    page.wait_for_selector("body[data-lang='zh']", state="attached")
    page.wait_for_function(
        "document.querySelector('#appointments th').innerText.trim() === '时段 slot'"
    )
    assert [t.strip() for t in head.all_inner_texts()] == zh_head
    assert page.inner_text("#appointments-panel h2").startswith("预约")
    assert "待签到 1" in page.inner_text("#appointments-summary")
    assert row.locator(".a-item").inner_text() == "最低生活保障申请"
    assert page.get_attribute(f"{chips}[data-code='{kept}']", "title") == "138****5678 · 待签到"
