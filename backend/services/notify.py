"""Telling residents about their case. The default notifier only records the message (with the
phone masked) and logs it; a hall with an SMS gateway plugs in a notifier that also sends."""

from __future__ import annotations

import logging
from typing import Protocol

from ..db.models import Case, Notification
from ..db.uow import UnitOfWork
from ..domain.cases import CaseState
from .halls import HallContext

log = logging.getLogger("onestop.notify")


def finished_text(ctx: HallContext, case: Case) -> str:
    if case.state == CaseState.REFUSED.value:
        outcome = f"未能办理，原因：{case.refuse_reason}"
    else:
        outcome = f"已办结：{case.result or '办理完毕'}"
    return f"【{ctx.name_zh}】您的{case.item.name_zh}（受理编号 {case.number}）{outcome}"


class Notifier(Protocol):
    def case_finished(self, uow: UnitOfWork, ctx: HallContext, case: Case) -> None: ...


class LogNotifier:
    """Records every message in ``notifications`` and the server log; sends nothing."""

    channel = "log"

    def case_finished(self, uow: UnitOfWork, ctx: HallContext, case: Case) -> None:
        if not case.phone_masked:
            return
        text = finished_text(ctx, case)
        uow.session.add(
            Notification(
                hall_id=ctx.id,
                case_id=case.id,
                channel=self.channel,
                to_masked=case.phone_masked,
                text=text[:400],
                at=uow.now,
            )
        )
        log.info("notify %s: %s", case.phone_masked, text)
