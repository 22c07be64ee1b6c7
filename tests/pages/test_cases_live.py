"""The cases page redrawn by a live event (lit-html): what a manager is typing in the open case's
detail — the very same input element, its text, the caret and the focus — survives the redraw
that a change to that case, pushed through the real server, brings."""

from __future__ import annotations

import pytest

from tests.pages.conftest import LANDSCAPE, clerk
from tests.pages.test_cases import accept_case, login, text

pytestmark = pytest.mark.slow

NOTE = "#d-extensions li[data-state='requested'] input[name='note']"


def test_typing_in_the_case_detail_survives_a_live_redraw(live_server, pages):
    clerk1 = clerk(live_server, "clerk1", 3)
    number = accept_case(live_server, clerk1, 3, "MZ-01")
    clerk1.post(clerk1.hall_path(f"/cases/{number}/extension"), {"days": 2, "reason": "需入户核查"})

    page = pages(LANDSCAPE)
    login(page, live_server, "manager", f"/cases?case={number}")
    page.wait_for_selector(f"#detail-body[data-case='{number}'] {NOTE}")
    assert page.locator("#detail-body .facts b.missing").count() == 0
    page.click(NOTE)
    page.keyboard.type("同意请办结")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")  # the caret between 同意 and 请办结
    page.evaluate(f"document.querySelector(\"{NOTE}\").dataset.mark = 'typed-here'")
    loaded = int(page.get_attribute("body", "data-loaded"))

    # The clerk asks for a missing document: the server pushes case.suspended, the page reloads
    # the list and the open case and draws them again.
    clerk1.post(clerk1.hall_path(f"/cases/{number}/suspend"), {"missing": ["户口簿原件"]})
    page.wait_for_function(f"+document.body.dataset.loaded > {loaded}")
    page.wait_for_selector("#detail-body .facts b.missing")  # the open case drawn again
    assert text(page, "#detail-body .facts b.missing") == "户口簿原件"

    kept = page.evaluate(
        f"""() => {{ const input = document.querySelector("{NOTE}");
             return [input.dataset.mark, input.value, document.activeElement === input,
                     input.selectionStart, input.selectionEnd]; }}"""
    )
    assert kept == ["typed-here", "同意请办结", True, 2, 2]
    page.keyboard.type("，")  # typing goes on where it was
    assert page.input_value(NOTE) == "同意，请办结"

    # Another case: its own, empty form (nothing carried over from this one).
    other = accept_case(live_server, clerk1, 3, "MZ-01")
    clerk1.post(clerk1.hall_path(f"/cases/{other}/extension"), {"days": 1, "reason": "需补充调查"})
    page.click(f"#case-list tr.case-row[data-case='{other}']")
    page.wait_for_selector(f"#detail-body[data-case='{other}'] {NOTE}")
    assert page.input_value(NOTE) == ""
