"""The residents' booking page (/book/<hall>) and manage page (/a/<token>) in headless Chromium
at phone size (390x844) against a real server on the demo hall: book end to end, a retry and a
double tap book once, field errors next to their field, cancel and move, Uyghur right to left."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import requests

from clientlib.api import ApiClient
from tests.support import log_lines

pytestmark = pytest.mark.slow

PHONE = {"width": 390, "height": 844}
ITEM = "MZ-01"  # 最低生活保障申请, served by windows 1 and 3
CHECK_IN_ZH = re.compile(r"^请在 \d{1,2}:\d{2}–\d{1,2}:\d{2} 到大厅自助机签到$")


def visible(text: str) -> str:
    """Without the page's invisible marks: word joiners (a time range never breaks) and the
    bidi isolates around values on a right-to-left page."""
    return re.sub("[\u2060\u2066-\u2069]", "", text)


def hall_today() -> str:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()  # the demo hall's day


def open_book(new_page, server, lang: str | None = None):
    page = new_page(PHONE)
    page.goto(f"{server.url}/book/{server.hall}" + (f"?lang={lang}" if lang else ""))
    page.wait_for_selector("body[data-ready='1']", state="attached")
    return page


def pick_slot(page, item: str = ITEM) -> tuple[str, str]:
    """Item -> the first bookable day after today -> its first bookable slot; (day, start)."""
    page.click(f"button[data-item='{item}']")
    page.wait_for_selector("#days")
    days = page.locator("#days button.day:enabled")
    day = next(
        d for d in (days.nth(i).get_attribute("data-day") for i in range(days.count()))
        if d > hall_today()
    )  # fmt: skip
    page.click(f"button[data-day='{day}']")
    page.wait_for_selector("#slots")
    start = page.locator("#slots button.slot:enabled").first.get_attribute("data-start")
    page.click(f"button[data-start='{start}']")
    page.wait_for_selector("#book-form")
    return day, start


def fill(page, name: str = "张三丰", phone: str = "13812345678", id_number: str = "") -> None:
    page.fill("#f-name", name)
    page.fill("#f-phone", phone)
    page.fill("#f-id_number", id_number)


def manager(server) -> ApiClient:
    api = ApiClient(server.url, server.hall)
    api.login("manager", server.password("manager"))
    return api


def booked_on(server, day: str) -> list[dict]:
    """Every appointment of that day, from the staff's day list."""
    api = manager(server)
    answer = api.get(api.hall_path(f"/appointments/today?day={day}"))
    return [a for s in answer["slots"] for a in s["appointments"]]


def test_book_end_to_end_a_retry_and_a_double_tap_book_once(live_server, pages, artifacts):
    page = open_book(pages, live_server)
    assert page.inner_text("#title") == "预约办事"
    assert page.inner_text("#hall-name") == "青山镇便民服务中心"
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    day, start = pick_slot(page)
    fill(page)

    # The first answer is lost on the way back (the server did book): the page says so, keeps
    # the form, and the second tap sends the same request id, so the server replays its answer.
    sent: list[str] = []

    def lose_first_answer(route):
        sent.append(route.request.headers.get("idempotency-key", ""))
        response = route.fetch()
        if len(sent) == 1:
            assert response.status == 201
            route.abort("connectionreset")
        else:
            route.fulfill(response=response)

    page.route("**/api/v1/halls/*/appointments", lose_first_answer)
    page.click("#submit")
    page.wait_for_selector(".notice.error")
    assert "网络" in page.inner_text(".notice.error")
    assert page.input_value("#f-name") == "张三丰"  # nothing typed is lost
    page.dblclick("#submit")  # a double tap: the second lands on a disabled button
    page.wait_for_selector("#code")
    assert len(sent) == 2 and sent[0] == sent[1] and sent[0]

    code = page.get_attribute("#code", "data-code")
    assert re.fullmatch(r"\d{8}", code)
    assert CHECK_IN_ZH.match(visible(page.inner_text("#check-in"))), page.inner_text("#check-in")
    assert "张*丰" in page.inner_text(".d-who") and "138****5678" in page.inner_text(".d-who")
    assert "张三丰" not in page.inner_text("body") and "13812345678" not in page.inner_text("body")
    assert page.locator(".materials li").count() > 0  # what to bring, from the catalogue
    mine = booked_on(live_server, day)
    assert [a["code"] for a in mine] == [code]  # one appointment, not two
    assert mine[0]["name_masked"] == "张*丰"
    page.screenshot(path=str(artifacts / "book-done-zh-390.png"), full_page=True)

    # Back to the start for another one: a new form is a new request.
    page.click("text=再预约一项")
    page.wait_for_selector("#items")
    page.screenshot(path=str(artifacts / "book-items-zh-390.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_field_errors_show_next_to_the_field(live_server, pages):
    page = open_book(pages, live_server)
    day, _start = pick_slot(page)

    # Checked on the phone first: nothing is sent.
    fill(page, name="", phone="1381234")
    page.click("#submit")
    assert page.inner_text(".field[data-field='name'] .field-error") == "请填写姓名"
    assert "11 位手机号" in page.inner_text(".field[data-field='phone'] .field-error")
    assert page.evaluate("document.activeElement.id") == "f-name"

    # The right shape but not a real ID number: the server's 400 names the field.
    fill(page, id_number="110101199003070000")
    page.click("#submit")
    page.wait_for_selector(".field[data-field='id_number'] .field-error")
    assert page.locator(".field.has-error").count() == 1
    assert (
        page.inner_text(".field[data-field='id_number'] .field-error") == "身份证号不正确，请核对"
    )
    assert page.get_attribute("#f-id_number", "aria-invalid") == "true"
    page.screenshot(path="/tmp/book-field-error.png", full_page=True)

    # Corrected: booked; the same phone again for the same item and day: refused at the phone.
    page.fill("#f-id_number", "")
    page.click("#submit")
    page.wait_for_selector("#code")
    page.click("text=再预约一项")
    pick_slot(page)
    fill(page)
    page.click("#submit")
    page.wait_for_selector(".field[data-field='phone'] .field-error")
    assert "已经预约过" in page.inner_text(".field[data-field='phone'] .field-error")
    assert len(booked_on(live_server, day)) == 1


def test_the_manage_page_moves_and_cancels(live_server, pages, artifacts):
    page = open_book(pages, live_server, "en")
    assert page.inner_text("#title") == "Book an appointment"
    day, start = pick_slot(page)
    fill(page, name="李四", phone="13900001111")
    page.click("#submit")
    page.wait_for_selector("#code")
    code = page.get_attribute("#code", "data-code")
    assert page.inner_text("#check-in").startswith("Check in at the hall's self-service kiosk")
    page.screenshot(path=str(artifacts / "book-done-en-390.png"), full_page=True)
    path = page.get_attribute("#manage-link", "href")
    token = re.fullmatch(r"/a/([A-Za-z0-9_-]+)\?lang=en", path).group(1)

    page.click("#manage-link")
    page.wait_for_selector("#state[data-state='booked']")
    assert page.inner_text("#title") == "My appointment"
    assert page.get_attribute("#code", "data-code") == code
    assert "李*" in page.inner_text(".d-who") and "139****1111" in page.inner_text(".d-who")
    page.screenshot(path=str(artifacts / "appointment-en-390.png"), full_page=True)

    # Move: another slot (the current one is not offered), confirmed.
    page.click("#move")
    page.wait_for_selector("#days")
    page.click(f"button[data-day='{day}']")
    page.wait_for_selector("#slots")
    assert page.locator(f"button[data-start='{start}']").is_disabled()
    other = page.locator("#slots button.slot:enabled").first.get_attribute("data-start")
    page.click(f"button[data-start='{other}']")
    page.click("#move-yes")
    page.wait_for_selector("#state[data-state='booked']")
    assert "Changed" in page.inner_text(".notice.ok")
    url = f"{live_server.url}/api/v1/appointments/{token}"
    moved = requests.get(url, timeout=10).json()["appointment"]
    assert moved["slot_start"] == other and moved["state"] == "booked"
    assert other[11:16].lstrip("0") in visible(page.inner_text("#when"))

    # Cancel asks first; "Keep it" keeps it.
    page.click("#cancel")
    page.wait_for_selector("#cancel-confirm")
    page.click("text=Keep it")
    assert page.is_visible("#cancel") and not page.is_visible("#cancel-confirm")
    page.click("#cancel")
    page.click("#cancel-yes")
    page.wait_for_selector("#state[data-state='cancelled']")
    assert page.locator("#cancel, #move").count() == 0
    assert requests.get(url, timeout=10).json()["appointment"]["state"] == "cancelled"
    assert booked_on(live_server, day)[0]["state"] == "cancelled"

    # An unknown token: a plain not-found page.
    page.goto(f"{live_server.url}/a/{'x' * 24}")
    page.wait_for_selector("body[data-ready='1']", state="attached")
    assert "No such appointment" in page.inner_text("#app") or "没有找到" in page.inner_text("#app")


def test_uyghur_reads_right_to_left(live_server, pages, artifacts):
    page = open_book(pages, live_server, "ug")
    html = page.evaluate("[document.documentElement.lang, document.documentElement.dir]")
    assert html == ["ug", "rtl"]
    catalogue = requests.get(f"{live_server.url}/i18n/booking/ug.json", timeout=10).json()
    assert page.inner_text("#title") == catalogue["texts"]["page_title"] == "ئالدىن بەلگىلەش"
    # Every key of the page's Chinese fallback table is in the catalogue, and no more.
    keys = page.evaluate("Object.keys(window.onestopBook.TEXT).sort()")
    assert keys == sorted(catalogue["texts"])
    # Mirrored: the hall's name on the right, the language switcher on the left.
    hall = page.locator("#hall-name").bounding_box()
    langs = page.locator("#langs").bounding_box()
    assert langs["x"] < hall["x"]
    assert page.get_attribute("#langs button.on", "data-lang") == "ug"
    page.screenshot(path=str(artifacts / "book-items-ug-390.png"))

    pick_slot(page)
    fill(page, name="ئابدۇللا", phone="13700002222")
    page.click("#submit")
    page.wait_for_selector("#code")
    check_in = visible(page.inner_text("#check-in"))
    assert "تىزىملىتىڭ" in check_in and re.search(r"\d{1,2}:\d{2}–\d{1,2}:\d{2}", check_in)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts / "book-done-ug-390.png"), full_page=True)

    # Switch language in place: the same step, now in Chinese, left to right.
    page.click("#langs button[data-lang='zh']")
    page.wait_for_function("document.documentElement.dir === 'ltr'")
    assert CHECK_IN_ZH.match(visible(page.inner_text("#check-in")))
    assert "lang=zh" in page.url


def test_manage_tokens_are_shortened_in_every_log_line():
    """The manage token opens a resident's appointment: like status tokens, never logged whole."""
    from backend.web.safety import install_log_redaction

    install_log_redaction()
    token = "Qm9vayBtZSBhIHNsb3Q_x-Yz"
    with log_lines("uvicorn.access", "onestop.x") as lines:
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d', "10.0.0.7:5123", "GET", f"/a/{token}?lang=ug", "1.1", 200
        )
        logging.getLogger("onestop.x").warning(f"POST /api/v1/appointments/{token}/move failed")
    assert len(lines) == 2
    assert all(token not in line and token[:6] not in line for line in lines), lines
    assert "/a/Qm9v…?lang=ug" in lines[0] and "/api/v1/appointments/Qm9v…/move" in lines[1]
