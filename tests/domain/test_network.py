"""The county network's rules on their own: parents by level, oversight, direction, and the
same-working-day due time of a referral."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from backend.domain import network
from backend.domain.errors import Conflict, InvalidInput
from backend.domain.workcalendar import WorkCalendar

SH = ZoneInfo("Asia/Shanghai")
# 1 county, 2 towns under it, a village under town 2, a stray hall
PARENTS = {1: None, 2: 1, 3: 1, 4: 2, 9: None}


def test_parents_by_level():
    network.check_parent("county", None)
    network.check_parent("town", "county")
    network.check_parent("village", "town")
    network.check_parent("village", "county")
    network.check_parent("town", None)  # a town on its own (no county network) stays valid
    for level, parent in (("county", "county"), ("town", "town"), ("town", "village")):
        with pytest.raises(InvalidInput) as err:
            network.check_parent(level, parent)
        assert err.value.field == "hall.parent"
    with pytest.raises(InvalidInput):
        network.check_parent("village", None)


def test_oversight_goes_down_the_tree_only():
    assert network.oversees(PARENTS, 1, 4) and network.oversees(PARENTS, 2, 4)
    assert network.oversees(PARENTS, 3, 3)
    assert not network.oversees(PARENTS, 3, 4) and not network.oversees(PARENTS, 4, 2)
    assert not network.oversees(PARENTS, 1, 9)
    assert network.ancestors({1: 2, 2: 1}, 1) == [2]  # a cycle in bad data ends the walk


def test_direction_is_one_level_up_or_down():
    assert network.direction(PARENTS, 2, 1) is network.Direction.UP
    assert network.direction(PARENTS, 1, 3) is network.Direction.DOWN
    assert network.direction(PARENTS, 4, 2) is network.Direction.UP
    for a, b in ((2, 3), (4, 1), (1, 4), (1, 9)):
        with pytest.raises(Conflict):
            network.direction(PARENTS, a, b)


@pytest.mark.parametrize(
    "accepted, due",
    [
        (datetime(2026, 11, 23, 9, 0), datetime(2026, 11, 23, 17, 30)),  # Monday morning
        (datetime(2026, 11, 23, 19, 0), datetime(2026, 11, 24, 17, 30)),  # after closing
        (datetime(2026, 11, 28, 10, 0), datetime(2026, 11, 30, 17, 30)),  # Saturday duty
        (datetime(2026, 9, 30, 16, 0), datetime(2026, 9, 30, 17, 30)),  # before National Day
        (datetime(2026, 10, 2, 10, 0), datetime(2026, 10, 8, 17, 30)),  # during the holiday
    ],
)
def test_a_referral_is_due_the_same_working_day(accepted, due):
    got = network.referral_due(WorkCalendar(), accepted.replace(tzinfo=SH), time(17, 30))
    assert got == due.replace(tzinfo=SH)
