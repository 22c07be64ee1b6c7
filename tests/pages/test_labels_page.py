"""The staff pages name states from i18n/labels.toml (GET /i18n/labels.json): a suspended case
on /cases shows the label's 待补正材料 in Chinese and its English in English."""

from __future__ import annotations

import pytest

from i18n.labels import label
from tests.pages.conftest import LANDSCAPE, clerk

from .test_cases import accept_case, login, text

pytestmark = pytest.mark.slow


def test_a_suspended_case_shows_the_label_from_labels_toml(live_server, pages):
    clerk1 = clerk(live_server, "clerk1", 3)
    number = accept_case(live_server, clerk1, 3, "MZ-05")
    clerk1.post(clerk1.hall_path(f"/cases/{number}/suspend"), {"missing": ["残疾证"]})

    page = pages(LANDSCAPE)
    login(page, live_server, "manager", "/cases")
    page.wait_for_selector("body[data-view='cases'][data-loaded]", state="attached")
    row = f"#case-list tr.case-row[data-case='{number}']"
    assert label("case_state", "suspended") == "待补正材料"
    assert text(page, f"{row} .r-state") == "待补正材料"

    page.click("#lang-toggle button[data-lang='en']")
    page.wait_for_selector("body[data-lang='en']", state="attached")
    assert text(page, f"{row} .r-state") == label("case_state", "suspended", "en")
