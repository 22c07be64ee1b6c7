"""Rules of the kiosk's 办件查询 guard (plain Python; the counting itself is one atomic upsert
in ``services/lookup_guard.py``): which keys a lookup counts against, and what a lock says."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from .errors import TooMany


class Scope(StrEnum):
    NUMBER = "number"  # repeated misses on one acceptance number lock that number
    DEVICE = "device"  # many misses from one kiosk (guessing numbers) lock that kiosk's lookups


@dataclass(frozen=True)
class GuardRule:
    number_misses: int = 5
    device_misses: int = 20
    window: timedelta = timedelta(minutes=15)
    lock: timedelta = timedelta(minutes=15)

    def limit(self, scope: Scope) -> int:
        return self.number_misses if scope is Scope.NUMBER else self.device_misses

    def fresh_since(self, now: datetime) -> datetime:
        """Misses before this instant no longer count."""
        return now - self.window


LOCKED_TEXT = {
    Scope.NUMBER: (
        "该受理编号查询错误次数过多，已暂停查询，请 {minutes} 分钟后再试，或到服务台请工作人员解除",
        "too many wrong tries for this acceptance number: try again in {minutes} min "
        "or ask at the help desk",
    ),
    Scope.DEVICE: (
        "本机办件查询错误次数过多，已暂停查询 {minutes} 分钟，请到服务台咨询",
        "too many wrong tries on this kiosk: case lookup is paused for {minutes} min; "
        "please ask at the help desk",
    ),
}


def locked_error(locks: list[tuple[Scope, datetime]], now: datetime) -> TooMany:
    """The 429 for the locks in force (the number's first: it is what the resident typed)."""
    locks = sorted(locks, key=lambda lock: lock[0] is not Scope.NUMBER)
    seconds = max(1, math.ceil(max((until - now).total_seconds() for _, until in locks)))
    scope = locks[0][0]
    zh, en = LOCKED_TEXT[scope]
    minutes = max(1, math.ceil(seconds / 60))
    return TooMany(
        "lookup_locked",
        f"{zh.format(minutes=minutes)} / {en.format(minutes=minutes)}",
        scope.value,
        retry_after=seconds,
    )
