"""The 过号 (no-show) guard: a called ticket may be marked no-show only after enough recalls or
enough time since its first call, so a resident still walking to the window is not dropped."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from .errors import Conflict


@dataclass(frozen=True)
class NoShowGuard:
    """Either condition suffices; a condition of 0 is off; both 0 is no guard at all."""

    min_recalls: int = 1
    min_seconds: int = 60

    def check(self, call_count: int, called_at: datetime | None, now: datetime) -> None:
        """Raise Conflict ``no_show_too_soon`` saying what is still missing."""
        if not (self.min_recalls or self.min_seconds):
            return
        recalls = max(0, call_count - 1)  # the first call is not a recall
        waited = (now - called_at).total_seconds() if called_at else 0.0
        if self.min_recalls and recalls >= self.min_recalls:
            return
        if self.min_seconds and waited >= self.min_seconds:
            return
        raise Conflict("no_show_too_soon", self.refusal(recalls, waited), "ticket")

    def refusal(self, recalls: int, waited: float) -> str:
        left = max(1, math.ceil(self.min_seconds - waited))
        zh, en = [], []
        if self.min_recalls:
            zh.append(f"至少重呼 {self.min_recalls} 次（已重呼 {recalls} 次）")
            en.append(f"recall at least {self.min_recalls} time(s) ({recalls} so far)")
        if self.min_seconds:
            zh.append(f"叫号 {self.min_seconds} 秒后（还需 {left} 秒）")
            en.append(f"wait {self.min_seconds} s after the call ({left} s to go)")
        return (
            f"还不能过号：请{'，或'.join(zh)}再标记过号 / too soon for no-show: {' or '.join(en)}"
        )
