"""The cases page (/cases) in English: the 中文/English toggle, labels, table headers, state words,
colour marks, deadlines and the detail pane from the "staff" catalogue; the choice kept across a
reload (localStorage) and on the sign-in form; a server error shown in the chosen language."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

import i18n
from tests.pages.conftest import LANDSCAPE, clerk, overflowing

from .test_cases import accept_case, login, manager, move_deadline, sweep, text

pytestmark = pytest.mark.slow

HAN = re.compile(r"[\u4e00-\u9fff]")


def chinese_left(page, selector: str) -> list[str]:
    """Visible leaf texts under ``selector`` that still hold Chinese."""
    return page.evaluate(
        "(sel) => [...document.querySelectorAll(sel + ' *')]"
        ".filter(e => e.offsetParent !== null && e.children.length === 0)"
        ".map(e => e.textContent.trim()).filter(t => /[\\u4e00-\\u9fff]/.test(t))",
        selector,
    )


def not_data(page, texts: list[str], typed: list[str]) -> list[str]:
    """The texts that still hold Chinese once the hall's data (names of units, items and people,
    the applicant's masked name, materials, what staff typed) is taken out."""
    data = page.evaluate(
        """() => {
          const s = window.onestopCases.state, d = s.detail || {};
          return [].concat(
            s.snap.units.map(u => u.name), s.snap.items.map(i => i.name),
            s.snap.clerks.map(c => c.name), (s.list || []).map(c => c.item_name),
            [(d.applicant || {}).name || ''], d.materials_received || [], ['中文']);
        }"""
    )
    out = []
    for t in texts:
        for d in sorted(set(data + typed), key=len, reverse=True):
            if d:
                t = t.replace(d, "")
        if HAN.search(t):
            out.append(t)
    return out


def test_cases_page_switches_to_english_and_back(live_server, pages, artifacts):
    en = i18n.texts("staff", "en")
    clerk1 = clerk(live_server, "clerk1", 3)
    late = accept_case(live_server, clerk1, 3, "MZ-02")
    calm = accept_case(live_server, clerk1, 3, "MZ-01")
    clerk1.post(
        clerk1.hall_path(f"/cases/{calm}/extension"), {"days": 2, "reason": "需入户核查家庭收入"}
    )
    boss = manager(live_server)
    move_deadline(live_server, late, -timedelta(days=1))
    sweep(boss)

    page = pages(LANDSCAPE)
    login(page, live_server, "manager", "/cases")
    page.wait_for_selector("body[data-view='cases'][data-loaded]", state="attached")
    assert page.locator("#lang-toggle button").all_inner_texts() == ["中文", "English"]
    assert text(page, "#case-list th[data-i18n='th_unit']") == "承办单位"
    assert "已超期" in text(page, "#case-list tr.group-row[data-group='red']")
    row = f"#case-list tr.case-row[data-case='{late}']"
    assert text(page, f"{row} .r-state") == "办理中"
    assert "已超" in text(page, f"{row} .r-left")

    page.click("#lang-toggle button[data-lang='en']")
    page.wait_for_selector("body[data-lang='en']", state="attached")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert text(page, "#case-list th[data-i18n='th_unit']") == en["th_unit"] == "Unit"
    assert text(page, "#case-list th[data-i18n='c_th_number']") == "Case no."
    assert text(page, "#filters [data-i18n='c_f_colour']") == "Colour"
    assert page.locator("#f-colour option[value='red']").inner_text() == "Red · overdue"
    assert page.locator("#f-unit option[value='']").inner_text() == "All units"
    assert text(page, "#f-clear") == "Clear filters"
    # Live values: state words, colour marks and the time left come from the catalogue too.
    assert text(page, f"{row} .r-state") == "In progress"
    assert re.fullmatch(r"\d+ (d|h|min) overdue", text(page, f"{row} .r-left"))
    assert "Overdue" in text(page, "#case-list tr.group-row[data-group='red']")
    assert text(page, "#colour-counts .cc[data-colour='red'] .cmark-text") == "Overdue"
    assert page.locator(".cases-app .en").first.is_hidden()

    # The detail pane: labels, the extension request and its buttons in English.
    page.click(f"#case-list tr.case-row[data-case='{calm}']")
    page.wait_for_selector(f"#detail-body[data-case='{calm}'] #d-extensions")
    detail = text(page, "#detail-body")
    for label in ("Applicant", "Time limit", "Extension requests", "History", "Accepted"):
        assert label in detail, label
    assert text(page, "#d-extensions .ext-badge") == "Awaiting approval"
    assert "Extend by 2 working days" in text(page, "#d-extensions")
    assert page.locator("#d-extensions button[value='approve']").inner_text() == "Approve extension"
    assert not_data(page, chinese_left(page, "#app"), ["需入户核查家庭收入"]) == []
    page.screenshot(path=str(artifacts / "cases-en.png"), full_page=True)
    assert not overflowing(
        page, ".cc, .cmark, .case-list td, .d-number, .d-tags, .d-buttons button"
    )

    # A server refusal ("中文 / English") shows its English half.
    page.route(
        "**/extension/decision",
        lambda route: route.fulfill(
            status=409,
            json={"error": {"code": "conflict", "message": "已有决定 / already decided"}},
        ),
    )
    page.click("#d-extensions button[value='approve']")
    page.wait_for_selector("#d-extensions .d-msg.error")
    assert text(page, "#d-extensions .d-msg") == "already decided"
    page.unroute("**/extension/decision")
    boss.post(
        boss.hall_path(f"/cases/{calm}/extension/decision"), {"approve": True, "note": "同意"}
    )
    page.wait_for_selector("#d-extensions li[data-state='approved']")
    assert text(page, "#d-extensions .ext-badge") == "Approved"

    page.reload()  # the session and the language choice survive a reload
    page.wait_for_selector("body[data-lang='en'][data-loaded]", state="attached")
    page.wait_for_function(
        "document.querySelector(\"#case-list th[data-i18n='th_state']\").textContent === 'State'"
    )
    assert text(page, f"{row} .r-state") == "In progress"

    page.click("#lang-toggle button[data-lang='zh']")
    page.wait_for_selector("body[data-lang='zh']", state="attached")
    assert text(page, f"{row} .r-state") == "办理中"
    assert text(page, "#case-list th[data-i18n='th_unit']") == "承办单位"
    assert "已超期" in text(page, "#case-list tr.group-row[data-group='red']")
    assert page.locator(".cases-app .en").first.is_visible()


def test_the_sign_in_form_follows_the_choice(live_server, pages):
    page = pages(LANDSCAPE)
    page.goto(f"{live_server.url}/cases")
    page.wait_for_selector("#login-lang button[data-lang='en']")
    assert text(page, "[data-i18n='login_hall']") == "大厅代码"
    page.click("#login-lang button[data-lang='en']")  # the card's copy of the toggle
    page.wait_for_selector("body[data-lang='en']", state="attached")
    assert text(page, "[data-i18n='login_hall']") == "Hall code"
    assert text(page, "#login-submit") == "Sign in"
    assert page.get_attribute("#login-lang button[data-lang='en']", "aria-pressed") == "true"
    page.fill("#login-hall", live_server.hall)
    page.fill("#login-user", "manager")
    page.fill("#login-password", "wrong password")
    page.click("#login-submit")
    page.wait_for_selector("#login-error", state="visible")
    assert text(page, "#login-error") == "Wrong hall code, username or password."

    page.goto(f"{live_server.url}/reviews")  # the choice is the staff pages' one
    page.wait_for_selector("body[data-lang='en']", state="attached")
    assert text(page, "#login-form h1") == "Reviews and reports"
    assert text(page, "[data-i18n='login_password']") == "Password"
    page.click("#login-lang button[data-lang='zh']")
    page.wait_for_selector("body[data-lang='zh']", state="attached")
    assert text(page, "[data-i18n='login_password']") == "密码"
