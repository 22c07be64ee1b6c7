"""The referral alerts of the county network without a database: 应当日上报未上报 after the
acceptance day's close (a Friday evening's acceptance is due on Monday), a late referral of
this week only, a referral waiting past the receiving hall's working day (a holiday and the
weekend do not count), and the order the board lists them in."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from backend.domain import network
from backend.domain import referral_alerts as ra
from backend.domain.workcalendar import WorkCalendar

SH = ZoneInfo("Asia/Shanghai")
OFFICE = ra.Office(SH, WorkCalendar(), time(17, 30))


def at(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SH)


CASE = ra.OpenCase(
    hall="town",
    number="TOWN-20261123-0001",
    item_name="临时救助申请",
    accepted_at=at(2026, 11, 23, 9),  # a Monday
    refer_up=True,
    referred=False,
)
REFERRAL = ra.Referral(
    case="TOWN-20261123-0001",
    item_name="临时救助申请",
    direction="up",
    state=network.ReferralState.SENT,
    from_hall="town",
    from_name="town镇便民服务中心",
    to_hall="county",
    to_name="测试县政务服务中心",
    sent_at=at(2026, 11, 23, 11),
    due_at=at(2026, 11, 23, 17, 30),
    late=False,
)


def test_refer_up_is_due_at_the_close_of_the_acceptance_day():
    assert ra.refer_up_due(CASE, OFFICE, at(2026, 11, 23, 17, 30)) is None  # still that day
    alert = ra.refer_up_due(CASE, OFFICE, at(2026, 11, 23, 17, 31))
    assert alert is not None and alert.kind is ra.Kind.REFER_UP_DUE
    assert alert.hall == "town" and alert.case == CASE.number
    assert alert.at == at(2026, 11, 23, 17, 30)
    assert "应当日上报未上报" in alert.text and "11月23日 17:30" in alert.text
    view = alert.view()
    assert view == {
        "hall": "town",
        "kind": "refer_up_due",
        "text": alert.text,
        "at": "2026-11-23T17:30:00+08:00",
        "case": CASE.number,
    }


def test_refer_up_accepted_after_closing_on_friday_is_due_on_monday():
    friday_evening = replace(CASE, accepted_at=at(2026, 11, 27, 18, 10))
    assert ra.refer_up_due(friday_evening, OFFICE, at(2026, 11, 29, 12)) is None  # Sunday
    alert = ra.refer_up_due(friday_evening, OFFICE, at(2026, 11, 30, 17, 31))
    assert alert is not None and alert.at == at(2026, 11, 30, 17, 30)


def test_no_refer_up_alert_for_an_item_in_remit_or_a_case_already_referred():
    late = at(2026, 11, 24, 9)
    assert ra.refer_up_due(replace(CASE, refer_up=False), OFFICE, late) is None
    assert ra.refer_up_due(replace(CASE, referred=True), OFFICE, late) is None
    # the instant is compared, not the local wall clock of another zone
    utc_case = replace(CASE, accepted_at=datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    assert ra.refer_up_due(utc_case, OFFICE, at(2026, 11, 23, 17, 0)) is None


def test_a_late_referral_is_an_alert_of_the_sending_hall_this_week_only():
    late = replace(
        REFERRAL, sent_at=at(2026, 11, 24, 9), due_at=at(2026, 11, 23, 17, 30), late=True
    )
    assert ra.referral_late(REFERRAL, OFFICE, at(2026, 11, 24, 10)) is None  # on time
    alert = ra.referral_late(late, OFFICE, at(2026, 11, 29, 23, 59))  # Sunday, same week
    assert alert is not None and alert.kind is ra.Kind.REFERRAL_LATE
    assert alert.hall == "town" and alert.at == late.sent_at
    assert "上报测试县政务服务中心超时" in alert.text
    assert "11月23日 17:30" in alert.text and "11月24日 09:00" in alert.text
    assert ra.referral_late(late, OFFICE, at(2026, 11, 30, 0, 0)) is None  # next week
    down = replace(late, direction="down")
    assert "交办" in ra.referral_late(down, OFFICE, at(2026, 11, 24, 10)).text


def test_week_start_is_monday_midnight_local():
    assert ra.week_start(at(2026, 11, 29, 23), SH) == at(2026, 11, 23, 0, 0)
    # Sunday 17:00 UTC is already Monday 01:00 in Shanghai
    assert ra.week_start(datetime(2026, 11, 29, 17, tzinfo=UTC), SH) == at(2026, 11, 30, 0, 0)


def test_a_referral_waiting_past_the_receiving_halls_working_day():
    assert ra.referral_waiting(REFERRAL, OFFICE, at(2026, 11, 23, 17, 30)) is None
    alert = ra.referral_waiting(REFERRAL, OFFICE, at(2026, 11, 23, 17, 31))
    assert alert is not None and alert.kind is ra.Kind.REFERRAL_WAITING
    assert alert.hall == "county" and alert.case == REFERRAL.case
    assert alert.at == at(2026, 11, 23, 17, 30)
    assert alert.text.startswith("town镇便民服务中心上报的 TOWN-20261123-0001")
    for state in (network.ReferralState.ACCEPTED, network.ReferralState.RETURNED):
        decided = replace(REFERRAL, state=state)
        assert ra.referral_waiting(decided, OFFICE, at(2026, 12, 1)) is None


def test_a_referral_arriving_before_a_holiday_waits_until_the_next_working_day():
    # 2026-09-30 (Wednesday) 18:00, after closing; 1–7 October is the National Day holiday
    before_holiday = replace(REFERRAL, sent_at=at(2026, 9, 30, 18))
    assert ra.referral_waiting(before_holiday, OFFICE, at(2026, 10, 5, 12)) is None
    alert = ra.referral_waiting(before_holiday, OFFICE, at(2026, 10, 20))
    assert alert is not None
    next_day = OFFICE.calendar.add_working_days(before_holiday.sent_at.date(), 1)
    assert alert.at == datetime.combine(next_day, time(17, 30), tzinfo=SH)
    assert next_day > before_holiday.sent_at.date()
    assert not OFFICE.calendar.is_working_day(at(2026, 10, 1).date())


def test_alerts_are_ordered_by_kind_then_oldest_first():
    now = at(2026, 11, 25, 12)
    waiting = ra.referral_waiting(REFERRAL, OFFICE, now)
    newer = ra.refer_up_due(replace(CASE, accepted_at=at(2026, 11, 24, 9)), OFFICE, now)
    older = ra.refer_up_due(CASE, OFFICE, now)
    late = ra.referral_late(replace(REFERRAL, sent_at=at(2026, 11, 24, 9), late=True), OFFICE, now)
    got = ra.ordered([waiting, newer, late, older])
    assert [a.kind for a in got] == [
        ra.Kind.REFER_UP_DUE,
        ra.Kind.REFER_UP_DUE,
        ra.Kind.REFERRAL_LATE,
        ra.Kind.REFERRAL_WAITING,
    ]
    assert got[0] is older and got[1] is newer
