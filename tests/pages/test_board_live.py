"""A live event redraws the board in place: what the manager was on stays where it was.

The board draws its cases and items with lit-html from the snapshot, so a ticket issued while the
page is open updates the figures in the same rows, and the case link the manager had focused
(keyboard, to open it) keeps the focus; a board that rebuilt its lists by hand would drop it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.pages.conftest import clerk, issue
from tests.pages.test_cases import accept_case, manager, move_deadline, sweep

from .test_board import BOARD, cell, login

pytestmark = pytest.mark.slow


def test_a_live_event_keeps_the_focused_case_link_and_the_rows(live_server, pages, artifacts):
    clerk1 = clerk(live_server, "clerk1", 3)  # 3号窗口 民政
    late = accept_case(live_server, clerk1, 3, "MZ-02")
    move_deadline(live_server, late, -timedelta(days=2))
    assert sweep(manager(live_server))["overdue"] == 1

    page = pages(BOARD)
    login(page, live_server, "manager")
    page.wait_for_selector("body[data-view='board'][data-snapshots]", state="attached")
    urgent = f"#urgent tr[data-case='{late}'] a.u-number"
    overdue = f"#overdue-list li[data-case='{late}']"
    item = "#items tr[data-item='MZ-01']"
    page.wait_for_selector(urgent)
    page.wait_for_selector(f"{item}[data-waiting='0']", state="attached")
    assert page.locator(overdue).count() == 1
    # The manager tabs to the red case's link; the rows are marked to tell them apart later.
    page.focus(urgent)
    page.evaluate(
        """([urgent, overdue, item]) => {
             document.querySelector(urgent).__before = true;
             document.querySelector(overdue).__before = true;
             document.querySelector(item).__before = true;
           }""",
        [urgent, overdue, item],
    )
    seen = int(page.get_attribute("body", "data-snapshots") or 0)

    issue(live_server, "MZ-01")  # a kiosk issues a ticket: the board gets a fresh snapshot
    page.wait_for_function(f"Number(document.body.dataset.snapshots) > {seen}")
    page.wait_for_selector(f"{item}[data-waiting='1']", state="attached")
    assert cell(page, f"{item} .i-waiting") == "1"
    assert cell(page, "#t-waiting") == "1"
    # Redrawn in place: the same elements, the focus still on the case link.
    kept = page.evaluate(
        """([urgent, overdue, item]) => ({
             focused: document.activeElement === document.querySelector(urgent),
             link: !!document.querySelector(urgent).__before,
             todo: !!document.querySelector(overdue).__before,
             row: !!document.querySelector(item).__before,
           })""",
        [urgent, overdue, item],
    )
    assert kept == {"focused": True, "link": True, "todo": True, "row": True}
    assert page.locator(f"#alerts li[data-kind='case_overdue'][data-case='{late}']").count() == 1
    page.screenshot(path=str(artifacts / "board-live.png"), full_page=True)

    # The 10-second checks redraw too (here 40 minutes later): still the same link, focused.
    page.evaluate("window.onestopBoard.state.offset += 40 * 60000; window.onestopBoard.recheck()")
    page.wait_for_selector("#alerts li[data-kind='wait_long']")
    assert page.locator(f"{item}.alerted").count() == 1
    assert page.evaluate(f'document.activeElement === document.querySelector("{urgent}")')
