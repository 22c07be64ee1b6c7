"""The reviews page redrawn by a live event (lit-html): what a staff member is typing — the very same
input element, its text, the caret and the focus — and an open <details> survive the redraw that
a change pushed through the real server brings, and the new data shows."""

from __future__ import annotations

import pytest

from tests.pages.conftest import LANDSCAPE, clerk
from tests.pages.test_cases import accept_case, login, manager, text
from tests.pages.test_reviews import bad_rating

pytestmark = pytest.mark.slow

KEPT = """(selector) => { const input = document.querySelector(selector);
  return [input.dataset.mark, input.value, document.activeElement === input,
          input.selectionStart, input.selectionEnd]; }"""


def type_with_caret_mid_text(page, selector: str) -> None:
    """Type 同意请办结 into the field and put the caret between 同意 and 请办结."""
    page.click(selector)
    page.keyboard.type("同意请办结")
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    page.evaluate(f"document.querySelector(\"{selector}\").dataset.mark = 'typed-here'")


def test_typing_in_a_step_form_survives_a_live_redraw(live_server, pages):
    clerk1 = clerk(live_server, "clerk1", 3)
    _, typed_id = bad_rating(live_server, clerk1, "dissatisfied", "等候时间太长")
    _, other_id = bad_rating(live_server, clerk1, "very_dissatisfied", "态度差")

    page = pages(LANDSCAPE)
    login(page, live_server, "manager", "/reviews")
    card = f"#rect-list article[data-rectification='{typed_id}']"
    other = f"#rect-list article[data-rectification='{other_id}']"
    note = f"{card} .step-form textarea[name='note']"
    reason = f"{other} .appeal-open textarea[name='reason']"
    page.wait_for_selector(note)
    page.wait_for_selector(f"{other}[data-next='callback']")
    # The other card's appeal opened and half filled in, then the caret in this card's note.
    page.click(f"{other} .appeal-open summary")
    page.fill(reason, "群众误触评价器")
    page.select_option(f"{card} select[name='step']", "verify")
    type_with_caret_mid_text(page, note)
    loaded = int(page.get_attribute("body", "data-loaded"))

    # Another manager records the other card's first step: the server pushes a rectification
    # event, the page reloads the list and draws it again.
    boss = manager(live_server)
    boss.post(
        boss.hall_path(f"/rectifications/{other_id}/steps"),
        {"step": "callback", "note": "已电话回访群众"},
    )
    page.wait_for_function(f"+document.body.dataset.loaded > {loaded}")
    page.wait_for_selector(f"{other}[data-next='verify']")  # the new data shows
    assert "已电话回访群众" in text(page, f"{other} .step-log li[data-step='callback']")
    assert page.get_attribute(f"{other} .stepper .st-next", "data-step") == "verify"

    assert page.evaluate(KEPT, note) == ["typed-here", "同意请办结", True, 2, 2]
    assert page.input_value(f"{card} select[name='step']") == "verify"  # the step picked, kept
    assert page.evaluate(f'document.querySelector("{other} details.appeal-open").open') is True
    assert page.input_value(reason) == "群众误触评价器"
    page.keyboard.type("，")  # typing goes on where it was
    assert page.input_value(note) == "同意，请办结"


def test_typing_in_a_follow_up_form_survives_a_live_redraw(live_server, pages):
    clerk1 = clerk(live_server, "clerk1", 3)
    pending: list[dict] = []
    for _ in range(60):  # 30 % of finished cases are sampled (a stable hash of the number)
        number = accept_case(live_server, clerk1, 3, "MZ-02")
        clerk1.post(clerk1.hall_path(f"/cases/{number}/finish"), {"result": "准予临时救助"})
        pending = clerk1.get(clerk1.hall_path("/follow-ups?state=pending"))["follow_ups"]
        if pending:
            break
    [first] = pending

    page = pages(LANDSCAPE)
    login(page, live_server, "clerk1", "/reviews?tab=follow-ups")
    row = f"#follow-list tr[data-follow-up='{first['id']}']"
    note = f"{row} input[name='note']"
    page.wait_for_selector(note)
    page.select_option(f"{row} select[name='result']", "satisfied")
    type_with_caret_mid_text(page, note)
    loaded = int(page.get_attribute("body", "data-loaded"))

    # More cases finish (each a case.finished event the page reloads on) until one is sampled:
    # its row appears.
    new: list[dict] = []
    for _ in range(60):
        number = accept_case(live_server, clerk1, 3, "MZ-02")
        clerk1.post(clerk1.hall_path(f"/cases/{number}/finish"), {"result": "准予临时救助"})
        now = clerk1.get(clerk1.hall_path("/follow-ups?state=pending"))["follow_ups"]
        new = [f for f in now if f["id"] != first["id"]]
        if new:
            break
    [added] = new
    page.wait_for_function(f"+document.body.dataset.loaded > {loaded}")
    page.wait_for_selector(f"#follow-list tr[data-follow-up='{added['id']}']")
    page.wait_for_function("document.getElementById('count-follow-ups').textContent === '2'")

    assert page.evaluate(KEPT, note) == ["typed-here", "同意请办结", True, 2, 2]
    assert page.input_value(f"{row} select[name='result']") == "satisfied"
    added_note = f"#follow-list tr[data-follow-up='{added['id']}'] input[name='note']"
    assert page.input_value(added_note) == ""  # the new row has its own, empty form
    page.keyboard.type("，")
    assert page.input_value(note) == "同意，请办结"
