"""Case rules without a database: the stopped clock with real 2025/2026 holidays, restart on
supplement, colours, extensions, sampling, ratings, masking and ID numbers."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from backend.domain import cases as rules
from backend.domain.cases import DeadlineRule, Suspension
from backend.domain.errors import Conflict, InvalidInput
from backend.domain.privacy import (
    mask_id_number,
    mask_name,
    mask_phone,
    phone_digits,
    valid_id_number,
)
from backend.domain.workcalendar import WorkCalendar

SH = ZoneInfo("Asia/Shanghai")
RULE = DeadlineRule(office_open=time(8, 30), office_close=time(17, 30))


def at(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SH)


@pytest.fixture(scope="module")
def cal():
    return WorkCalendar()


def test_spring_festival_2026_with_makeup_days(cal):
    # Accepted Friday 13 Feb 2026; 春节 15-23 Feb are rest days, Sat 14 and Sat 28 Feb are
    # make-up working days: 14 Feb (1), 24 (2), 25 (3), 26 (4), 27 (5).
    due = rules.case_deadline(cal, RULE, at(2026, 2, 13), 5, [])
    assert due == at(2026, 2, 27, 17, 30)


def test_national_day_2025_with_makeup_days(cal):
    # 国庆+中秋 1-8 Oct 2025 rest; Sun 28 Sep and Sat 11 Oct are make-up working days.
    # Accepted Fri 26 Sep: 28 Sep (1), 29 (2), 30 (3), 9 Oct (4), 10 (5), Sat 11 Oct (6).
    assert rules.case_deadline(cal, RULE, at(2025, 9, 26), 3, []) == at(2025, 9, 30, 17, 30)
    assert rules.case_deadline(cal, RULE, at(2025, 9, 26), 6, []) == at(2025, 10, 11, 17, 30)


def test_labour_day_2026_and_accepted_day_counting_rule(cal):
    # 劳动节 1-5 May 2026 rest, Sat 9 May a make-up day. Accepted Thu 30 Apr 2026.
    assert rules.case_deadline(cal, RULE, at(2026, 4, 30), 2, []) == at(2026, 5, 7, 17, 30)
    counts = DeadlineRule(time(8, 30), time(17, 30), accepted_day_counts=True)
    assert rules.case_deadline(cal, counts, at(2026, 4, 30), 2, []) == at(2026, 5, 6, 17, 30)


def test_labour_day_2025_suspension_stops_the_clock(cal):
    # Accepted Mon 28 Apr 2025; Sun 27 Apr was a make-up day, 1-5 May rest.
    plain = rules.case_deadline(cal, RULE, at(2025, 4, 28), 3, [])
    assert plain == at(2025, 5, 6, 17, 30)  # 29 Apr, 30 Apr, 6 May
    suspended = [Suspension(date(2025, 4, 29), date(2025, 4, 30))]  # 29 Apr does not count
    assert rules.case_deadline(cal, RULE, at(2025, 4, 28), 3, suspended) == at(2025, 5, 7, 17, 30)


def test_open_suspension_stops_every_day_to_today():
    days = rules.stopped_days([Suspension(date(2026, 3, 2), None)], date(2026, 3, 4))
    assert days == {date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)}


def test_restart_on_supplement_counts_from_the_supplement_day(cal):
    rule = DeadlineRule(time(8, 30), time(17, 30), restart_on_supplement=True)
    s = [Suspension(date(2026, 3, 3), date(2026, 3, 10))]  # supplements on Tue 10 March
    # restart: 10 March counts as day 1 -> 5 days: 10, 11, 12, 13, 16
    assert rules.case_deadline(cal, rule, at(2026, 3, 2), 5, s) == at(2026, 3, 16, 17, 30)


def test_colours_and_no_colour_when_suspended(cal):
    due = at(2026, 3, 13, 17, 30)  # Friday
    colour = lambda now, state="open": rules.case_colour(cal, RULE, now, due, state)  # noqa: E731
    assert colour(at(2026, 3, 6, 9)) == "green"
    assert colour(at(2026, 3, 11, 9)) == "yellow"
    assert colour(at(2026, 3, 13, 9)) == "orange"
    assert colour(at(2026, 3, 16, 9)) == "red"
    assert colour(at(2026, 3, 16, 9), "suspended") is None
    assert colour(at(2026, 3, 16, 9), "finished") is None


def test_transitions():
    rules.check_action("open", rules.CaseAction.SUSPEND)
    with pytest.raises(Conflict, match="suspended cannot finish"):
        rules.check_action("suspended", rules.CaseAction.FINISH)
    with pytest.raises(Conflict):
        rules.check_action("finished", rules.CaseAction.REFUSE)


def test_extension_limits():
    rules.check_extension(3, 0, 1, 3, 1)
    with pytest.raises(InvalidInput, match="1 to 3"):
        rules.check_extension(4, 0, 1, 3, 1)
    with pytest.raises(Conflict, match="limit 1"):
        rules.check_extension(2, 1, 1, 3, 1)


def test_callback_sample_is_stable_and_near_its_share():
    keys = [f"hall:{i}" for i in range(4000)]
    share = sum(rules.in_sample(k, 0.25) for k in keys) / len(keys)
    assert 0.22 < share < 0.28
    assert [rules.in_sample(k, 0.25) for k in keys[:50]] == [
        rules.in_sample(k, 0.25) for k in keys[:50]
    ]
    assert rules.in_sample("x", 1.0) and not rules.in_sample("x", 0.0)


def test_ratings_and_rectification_order():
    assert [rules.is_bad(r) for r in rules.Rating] == [False, False, False, True, True]
    assert rules.next_rectification_step([]) is rules.RectificationStep.CALLBACK
    assert rules.next_rectification_step(["callback", "verify"]) is rules.RectificationStep.FIX
    assert rules.next_rectification_step(["callback", "verify", "fix", "inform"]) is None


def test_acceptance_number():
    assert rules.acceptance_number("qingshan", date(2026, 11, 29), 7) == "QINGSHAN-20261129-0007"


def test_masking():
    assert mask_name("张三") == "张*"
    assert mask_name("张小三") == "张*三"
    assert mask_name("欧阳小明") == "欧**明"
    assert mask_phone("138 1234 1234") == "138****1234"
    assert mask_id_number("110105194912310029") == "1101**********0029"


def test_id_numbers_and_phones():
    assert valid_id_number("11010519491231002X") and valid_id_number("11010519491231002x")
    assert not valid_id_number("110105194912310021")
    assert not valid_id_number("1101051949123")
    assert phone_digits("138 1234 1234") == phone_digits("+86 13812341234") == "13812341234"
    assert phone_digits("0571-8888888") == "05718888888"  # 4-digit area code, 7 digits
    assert phone_digits("(010) 8888 8888") == "01088888888"  # Beijing: 3-digit area code
    assert phone_digits("0731-84561234") == "073184561234"
    for wrong in (
        "call me",
        "1381234",
        "12812341234",
        "1381234123",
        "010-888888",
        "0",
        "",
        "00861381234123",
        "１３８１２３４１２３４",
        "0571-888888888",
    ):
        assert phone_digits(wrong) is None, wrong
