"""Ticket lifecycle: the states a ticket passes through and which actions move it."""

from __future__ import annotations

from enum import StrEnum

from i18n import labels

from .errors import Conflict


class TicketState(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    FINISHED = "finished"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"


class Priority(StrEnum):
    NORMAL = "normal"
    GREEN = "green"  # 绿色通道: elderly 70+, disabled, pregnant, servicemen
    APPOINTMENT = "appointment"  # 预约 checked in at the kiosk


class GreenReason(StrEnum):
    ELDERLY = "elderly"
    DISABLED = "disabled"
    PREGNANT = "pregnant"
    SERVICEMAN = "serviceman"


class Action(StrEnum):
    CALL = "call"
    RECALL = "recall"
    START = "start"
    FINISH = "finish"
    NO_SHOW = "no_show"
    TRANSFER = "transfer"
    CANCEL = "cancel"
    REQUEUE = "requeue"


S = TicketState
TRANSITIONS: dict[tuple[TicketState, Action], TicketState] = {
    (S.WAITING, Action.CALL): S.CALLED,
    (S.WAITING, Action.CANCEL): S.CANCELLED,
    (S.CALLED, Action.RECALL): S.CALLED,
    (S.CALLED, Action.START): S.SERVING,
    (S.CALLED, Action.FINISH): S.FINISHED,  # served at once; start is implied
    (S.CALLED, Action.NO_SHOW): S.NO_SHOW,
    (S.CALLED, Action.TRANSFER): S.TRANSFERRED,
    (S.SERVING, Action.FINISH): S.FINISHED,
    (S.SERVING, Action.TRANSFER): S.TRANSFERRED,
    (S.NO_SHOW, Action.REQUEUE): S.WAITING,
}

TERMINAL = frozenset({S.FINISHED, S.TRANSFERRED, S.CANCELLED})
AT_WINDOW = frozenset({S.CALLED, S.SERVING})

STATE_LABELS_ZH = labels.zh("ticket_state", TicketState)  # i18n/labels.toml


def next_state(state: TicketState | str, action: Action | str) -> TicketState:
    """The state after ``action``, or Conflict naming what is allowed from ``state``."""
    state, action = TicketState(state), Action(action)
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        allowed = sorted(a.value for (s, a) in TRANSITIONS if s == state) or ["nothing"]
        raise Conflict(
            "invalid_transition",
            f"cannot {action.value} a ticket that is {state.value} (allowed: {', '.join(allowed)})",
            "state",
        ) from None
