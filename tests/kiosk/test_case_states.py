"""Every case state the backend's lookup can answer has the kiosk's own words in every language."""

from __future__ import annotations

import pytest

from i18n.labels import all_labels
from kiosk.cases import STATES, result_screen

CASE = {
    "number": "QINGSHAN-20261129-0001",
    "accepted_on": "2026-11-29",
    "item": {"name": {"zh": "低保", "en": "Dibao"}},
}


@pytest.mark.parametrize("lang", ["en", "ug"])
def test_a_referred_case_is_said_referred_not_being_handled(lang):
    screen = result_screen(CASE | {"state": "referred"}, lang)
    being_handled = result_screen(CASE | {"state": "open"}, lang)
    assert screen.state == "referred"
    assert screen.state_label and screen.state_label != being_handled.state_label
    assert screen.wording and screen.wording != being_handled.wording


def test_the_kiosk_knows_every_case_state_the_labels_name():
    assert set(all_labels()["case_state"]) == set(STATES)
