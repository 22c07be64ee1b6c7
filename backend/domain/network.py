"""The county network (县 → 乡镇/街道 → 村/社区): which hall may sit under which, who oversees
whom, which way a referral goes, and when it is due (the same working day)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time
from enum import StrEnum

from i18n import labels

from .errors import Conflict, InvalidInput
from .workcalendar import WorkCalendar


class Level(StrEnum):
    COUNTY = "county"  # 县级政务服务中心
    TOWN = "town"  # 乡镇（街道）便民服务中心
    VILLAGE = "village"  # 村（社区）便民服务站


LEVEL_ZH = labels.zh("hall_level", Level)  # i18n/labels.toml

# the levels a hall of each level may hang under
PARENT_LEVELS: dict[Level, frozenset[Level]] = {
    Level.COUNTY: frozenset(),
    Level.TOWN: frozenset({Level.COUNTY}),
    Level.VILLAGE: frozenset({Level.TOWN, Level.COUNTY}),
}


class Direction(StrEnum):
    UP = "up"  # 上报: to the parent (a town to its county)
    DOWN = "down"  # 交办: to a child (the county to one of its towns)


DIRECTION_ZH = labels.zh("referral_direction", Direction)


class ReferralState(StrEnum):
    SENT = "sent"  # waiting for the receiving hall
    ACCEPTED = "accepted"  # it opened a case of its own
    RETURNED = "returned"  # sent back with a reason: the sending case reopens


def check_parent(level: str, parent_level: str | None) -> None:
    """A hall's parent must be of a level above it (``parent_level`` None: no parent)."""
    allowed = PARENT_LEVELS[Level(level)]
    if parent_level is None:
        if Level(level) is Level.VILLAGE:
            raise InvalidInput("parent_required", "a village point needs a parent", "hall.parent")
        return
    if Level(parent_level) not in allowed:
        raise InvalidInput(
            "parent_level",
            f"a {level} hall cannot sit under a {parent_level} hall "
            f"(allowed: {', '.join(sorted(allowed)) or 'none'})",
            "hall.parent",
        )


def ancestors(parent_of: Mapping[int, int | None], hall: int) -> list[int]:
    """The halls above ``hall``, nearest first (a cycle in bad data stops the walk)."""
    out: list[int] = []
    node = parent_of.get(hall)
    while node is not None and node not in out and node != hall:
        out.append(node)
        node = parent_of.get(node)
    return out


def oversees(parent_of: Mapping[int, int | None], above: int, hall: int) -> bool:
    """Whether ``above`` is ``hall`` itself or one of the halls it sits under."""
    return hall == above or above in ancestors(parent_of, hall)


def direction(parent_of: Mapping[int, int | None], from_hall: int, to_hall: int) -> Direction:
    """Up to the sending hall's parent or down to one of its children; nothing sideways."""
    if parent_of.get(from_hall) == to_hall:
        return Direction.UP
    if parent_of.get(to_hall) == from_hall:
        return Direction.DOWN
    raise Conflict(
        "not_adjacent",
        "a case is referred up to the hall above or down to a hall directly below "
        "(上报/交办 go one level; a town refers another town's matter through the county)",
        "to_hall",
    )


def referral_due(calendar: WorkCalendar, accepted_local: datetime, office_close: time) -> datetime:
    """上报 the same working day: the office close of the working day the matter was accepted
    on (accepted on a closed day or after closing: the next working day's close)."""
    due = calendar.deadline_for(accepted_local, 1, office_close, accepted_day_counts=True)
    if due < accepted_local:
        due = calendar.deadline_for(accepted_local, 1, office_close)
    return due
