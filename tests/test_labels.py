"""One table of names (i18n/labels.toml): every state of backend/domain has a label in Chinese
and English, the backend's own tables are read from it, and pages get it at /i18n/labels.json."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from enum import StrEnum

import pytest

import backend.domain
from backend.domain import appointments, cases, network, notifications, tickets, windows
from i18n import labels

# enum of backend/domain -> its group in labels.toml
ENUM_GROUPS: dict[type[StrEnum], str] = {
    tickets.TicketState: "ticket_state",
    cases.CaseState: "case_state",
    windows.WindowState: "window_state",
    appointments.AppointmentState: "appointment_state",
    cases.Rating: "rating",
    cases.RectificationStep: "rectification_step",
    cases.Decision: "case_decision",
    network.Direction: "referral_direction",
    network.Level: "hall_level",
    cases.ExtensionState: "extension_state",
    network.ReferralState: "referral_state",
    cases.RectificationState: "rectification_state",
    cases.AppealState: "appeal_state",
    cases.FollowUpState: "follow_up_state",
    notifications.NotificationState: "notification_state",
}
# values kept as plain strings (no domain enum)
STRING_STATES = {
    "colour": {"green", "yellow", "orange", "red"},
}


def _domain_state_enums() -> set[type[StrEnum]]:
    found = set()
    for info in pkgutil.iter_modules(backend.domain.__path__):
        module = importlib.import_module(f"backend.domain.{info.name}")
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, StrEnum) and obj.__name__.endswith("State"):
                found.add(obj)
    return found


def test_every_state_enum_of_the_domain_is_covered():
    """A new *State enum in backend/domain needs its group here and in labels.toml."""
    assert _domain_state_enums() <= set(ENUM_GROUPS), _domain_state_enums() - set(ENUM_GROUPS)


@pytest.mark.parametrize("enum", list(ENUM_GROUPS), ids=lambda e: e.__name__)
def test_every_enum_value_has_a_label_in_both_languages(enum):
    table = labels.all_labels()[ENUM_GROUPS[enum]]
    assert set(table) == {member.value for member in enum}
    for member in enum:
        assert labels.label(ENUM_GROUPS[enum], member, "zh")
        assert labels.label(ENUM_GROUPS[enum], member, "en").isascii()


@pytest.mark.parametrize(("group", "values"), STRING_STATES.items())
def test_every_string_state_has_a_label(group, values):
    assert set(labels.all_labels()[group]) == values


def test_chosen_terms():
    """The names that differed between tables (see the report of issue #15)."""
    assert labels.label("case_state", "referred") == "已移交"
    assert labels.label("case_state", "suspended") == "待补正材料"
    assert labels.label("rectification_state", "void") == "已作废"
    assert labels.label("appeal_state", "upheld") == "申诉成立"
    assert labels.zh("rectification_step") == {
        "callback": "回访群众",
        "verify": "核实",
        "fix": "整改",
        "inform": "反馈结果",
    }
    assert labels.label("colour", "yellow") == "临近到期"


def test_the_domain_tables_are_read_from_the_labels():
    assert labels.zh("case_state", cases.CaseState) == cases.STATE_ZH
    assert labels.zh("rating", cases.Rating) == cases.RATING_ZH
    assert labels.zh("ticket_state", tickets.TicketState) == tickets.STATE_LABELS_ZH
    assert labels.zh("hall_level", network.Level) == network.LEVEL_ZH
    assert labels.zh("referral_direction", network.Direction) == network.DIRECTION_ZH


def test_unknown_values_show_as_themselves_and_unknown_groups_fail():
    assert labels.label("rectification_state", "archived") == "archived"
    with pytest.raises(KeyError):
        labels.label("no_such_group", "open")
    with pytest.raises(KeyError):
        labels.label("case_state", "open", "fr")
    with pytest.raises(KeyError, match="nope"):
        labels.zh("case_state", ["open", "nope"])


def test_counter_state_texts_come_from_the_labels():
    from counter.i18n import TEXT

    assert TEXT["state_closed"] == labels.pair("window_state", "closed")
    assert TEXT["ticket_serving"] == labels.pair("ticket_state", "serving")
    assert TEXT["appt_state_no_show"] == labels.pair("appointment_state", "no_show")


def test_pages_read_the_labels_without_signing_in(app):
    client = app.test_client()
    r = client.get("/i18n/labels.json")
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert r.json == {"languages": ["zh", "en"], "labels": labels.all_labels()}
    assert r.json["labels"]["case_state"]["referred"] == {"zh": "已移交", "en": "Referred"}
    again = client.get("/i18n/labels.json", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304
