"""Going home when nobody touches the kiosk: the idle timeout (longer on a guide, which takes
reading) and the countdown before it, 即将返回首页 N 秒，点击屏幕继续."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from clientlib.plumbing import Jobs

from .config import KioskConfig
from .i18n import tr
from .session import Session


class Countdown(Protocol):
    def set_countdown(self, text: str) -> None: ...  # "" hides it


class Idle:
    """`busy()`: an answer is on its way (shown first); `reset()`: home, for the next resident."""

    def __init__(
        self,
        jobs: Jobs,
        session: Session,
        view: Countdown,
        config: KioskConfig,
        busy: Callable[[], bool],
        reset: Callable[[], None],
    ):
        self.jobs, self.session, self.view, self.config = jobs, session, view, config
        self.busy, self.reset = busy, reset
        self.left = 0  # seconds on the countdown before going home (0: none shown)

    def touched(self) -> None:
        """Any touch on the screen: hide the countdown and restart the idle timeout."""
        if self.jobs.stopped:
            return
        self.jobs.stop_timer("idle_tick")
        self._hide()
        timeout = self._timeout()
        warning = min(self.config.idle_warning_seconds, timeout)
        self.jobs.start_timer("idle", timeout, self._idle)
        self.jobs.start_timer("idle_warning", timeout - warning, self.warn)

    def _timeout(self) -> float:
        if self.session.top[0] == "guide":
            return self.config.guide_idle_seconds
        return self.config.idle_seconds

    def _pristine(self) -> bool:
        """Nothing to forget: the home screen in the kiosk's own language."""
        s = self.session
        return (
            s.nav == [("home",)]
            and s.mode is None
            and not s.query
            and s.language == self.config.language
            and not s.choosing_language
        )

    def warn(self) -> None:
        """The last seconds before going home: the countdown over the page."""
        if self._pristine() or self.busy():
            return
        self.left = max(1, round(min(self.config.idle_warning_seconds, self._timeout())))
        self._show()
        self.jobs.start_timer("idle_tick", 1.0, self._tick, True)

    def _tick(self) -> None:
        if self.left > 1:
            self.left -= 1
            self._show()

    def _show(self) -> None:
        self.view.set_countdown(tr("idle_countdown", self.session.language, n=self.left))

    def _hide(self) -> None:
        if self.left:
            self.left = 0
            self.view.set_countdown("")

    def _idle(self) -> None:
        if self.busy():  # the answer is on its way; show it first
            self.touched()
            return
        self.jobs.stop_timer("idle_tick")
        self._hide()
        if not self._pristine():
            self.reset()
