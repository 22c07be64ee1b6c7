"""The clerk's work on the queue at the window: call next, recall, start, finish, no-show,
transfer, call a number out of order, re-queue a returning no-show, pause and resume, sign out,
and the materials ticked on the ticket card. Each goes through counter.actions.Actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from . import builders as b
from .actions import Actions
from .i18n import tr
from .pending import Pending
from .screens import PauseChoices, TransferChoices
from .shift import Shift

SUCCESS = {
    "call-next": "called",
    "call": "called",
    "recall": "recalled",
    "start": "started",
    "finish": "finished",
    "no-show": "marked_no_show",
    "transfer": "transferred",
    "requeue": "requeued",
    "pause": "paused",
    "resume": "resumed",
    "lookup-unlock": "lookup_unlocked",
}


class QueueView(Protocol):
    def show_notice(self, text: str, level: str) -> None: ...

    def open_transfer(self, choices: TransferChoices) -> None: ...

    def open_call_number(self, suggestions: tuple[str, ...]) -> None: ...

    def open_requeue(self) -> None: ...

    def open_pause(self, choices: PauseChoices) -> None: ...


class QueueWork:
    def __init__(self, view: QueueView, shift: Shift, actions: Actions, render: Callable[[], None]):
        self.view, self.shift, self.actions, self.render = view, shift, actions, render

    def call_next(self) -> None:
        self.actions.window_act("call_next", "call-next")

    def recall(self) -> None:
        self.actions.window_act("recall", "recall")

    def start_serving(self) -> None:
        self.actions.window_act("start", "start")

    def finish(self) -> None:
        self.actions.window_act("finish", "finish")

    def no_show(self) -> None:
        self.actions.window_act("no_show", "no-show")

    def resume(self) -> None:
        self.actions.window_act("resume", "resume")

    def sign_out(self) -> None:
        self.actions.window_act("sign_out", "sign-out")

    def transfer_dialog(self) -> None:
        shift, ready = self.shift, self.actions.ready()
        current = shift.current()
        if ready and current and shift.catalog and shift.window is not None:
            self.view.open_transfer(
                b.transfer_choices(
                    current["number"], current["item"], shift.window, shift.catalog, shift.lang
                )
            )
        elif ready:
            self.actions.notice("no_ticket", "error")

    def transfer(self, to_item: str | None, to_window: int | None, note: str = "") -> None:
        if not to_item and not to_window:
            self.actions.notice("target_required", "error")
            return
        body: dict[str, Any] = {}
        if to_item:
            body["to_item"] = to_item
        if to_window:
            body["to_window"] = int(to_window)
        if note and note.strip():
            body["note"] = note.strip()[:200]
        self.actions.window_act("transfer", "transfer", body)

    def call_number_dialog(self) -> None:
        if self.actions.ready():
            line = (self.shift.state or {}).get("line", {}).get("next", [])
            self.view.open_call_number(tuple(e["number"] for e in line))

    def call_number(self, number: str, reason: str) -> None:
        """Call a specific ticket out of order; a reason is mandatory (and audited)."""
        number, reason = (number or "").strip().upper(), (reason or "").strip()
        if not number:
            self.actions.notice("number_required", "error")
        elif not reason:
            self.actions.notice("reason_required", "error")
        else:
            body = {"number": number, "reason": reason[:200]}
            self.actions.window_act("call_number", "call", body)

    def requeue_dialog(self) -> None:
        if self.actions.ready():
            self.view.open_requeue()

    def requeue(self, number: str) -> None:
        """Put a returning no-show back in the line (behind the hall's requeue_behind people)."""
        number = (number or "").strip().upper()
        if not number:
            self.actions.notice("number_required", "error")
            return
        self.actions.act(Pending("requeue", "requeue", number, on_ticket=True))

    def pause_toggle(self) -> None:
        """F9: resume a paused window, or ask for a pause reason."""
        if not self.actions.ready():
            return
        if (self.shift.state or {}).get("window", {}).get("state") == "paused":
            self.resume()
        else:
            self.view.open_pause(b.pause_choices(self.shift.lang))

    def pause(self, reason: str, note: str = "") -> None:
        body = {"reason": reason}
        if note and note.strip():
            body["note"] = note.strip()[:100]
        self.actions.window_act("pause", "pause", body)

    def toggle_material(self, index: int, checked: bool) -> None:
        if self.shift.phase != "main":
            return
        (self.shift.checked.add if checked else self.shift.checked.discard)(index)
        self.render()

    def answered(self, pending: Pending, ticket: dict) -> None:
        """A window (or ticket, or lookup-lock) action answered: say what was done."""
        if pending.action == "call-next" and not ticket:
            self.actions.notice("nobody_waiting", "info")
        elif pending.action in SUCCESS:
            number = ticket.get("number") or pending.target
            text = tr(SUCCESS[pending.action], self.shift.lang, number=number)
            self.view.show_notice(text, "ok")
