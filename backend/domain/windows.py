"""Window states: closed, open (a clerk signed in) or paused, and the moves between them."""

from __future__ import annotations

from enum import StrEnum

from .errors import Conflict


class WindowState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    PAUSED = "paused"


class PauseReason(StrEnum):
    BREAK = "break"
    MEETING = "meeting"
    HANDOVER = "handover"
    OTHER = "other"


class WindowAction(StrEnum):
    SIGN_IN = "sign_in"
    SIGN_OUT = "sign_out"
    PAUSE = "pause"
    RESUME = "resume"
    TAKE_OVER = "take_over"  # 交接班 / A-B cover: another clerk takes the window, open at once


W = WindowState
WINDOW_TRANSITIONS: dict[tuple[WindowState, WindowAction], WindowState] = {
    (W.CLOSED, WindowAction.SIGN_IN): W.OPEN,
    (W.OPEN, WindowAction.PAUSE): W.PAUSED,
    (W.PAUSED, WindowAction.RESUME): W.OPEN,
    (W.OPEN, WindowAction.SIGN_OUT): W.CLOSED,
    (W.PAUSED, WindowAction.SIGN_OUT): W.CLOSED,
    (W.OPEN, WindowAction.TAKE_OVER): W.OPEN,
    (W.PAUSED, WindowAction.TAKE_OVER): W.OPEN,
}


def next_window_state(state: WindowState | str, action: WindowAction | str) -> WindowState:
    state, action = WindowState(state), WindowAction(action)
    try:
        return WINDOW_TRANSITIONS[(state, action)]
    except KeyError:
        raise Conflict(
            "invalid_window_transition",
            f"cannot {action.value.replace('_', ' ')} a window that is {state.value}",
            "state",
        ) from None


def may_sign_in(user_id: int, primary_id: int | None, backup_id: int | None) -> bool:
    """A/B posts (AB岗): a staffed window takes its A or B clerk; an unstaffed one takes anyone."""
    if primary_id is None and backup_id is None:
        return True
    return user_id in (primary_id, backup_id)
