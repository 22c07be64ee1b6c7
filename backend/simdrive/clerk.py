"""One window's simulated clerk: signs in for each shift, calls the next resident, and as the
resident behaves (from the arrival drawn for that ticket) starts when they reach the window,
finishes (or transfers) when their ``service_seconds`` since the call are up, asks for a rating
now and then; a resident who does not come (or left after waiting too long) is recalled first
and then marked no-show, as the hall's guard wants."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from .screens import event_key

if TYPE_CHECKING:
    from .drive import Leg, Run
    from .plan import Span
    from .staff import Staff

WALK_SECONDS = 20.0  # simulated: from the call to the resident at the window (at most)
ABSENT_SECONDS = 60.0  # simulated: how long a resident who left holds the window
RATING_TIMEOUT = 3.0  # real seconds the clerk waits for the pad's rating
SIGN_IN_REFUSALS = frozenset({"signed_in_elsewhere", "not_assigned", "window_taken"})


class Clerk:
    def __init__(self, run: Run, window: int, spans: tuple[Span, ...]):
        self.run, self.window, self.spans = run, window, spans
        self.user: Staff | None = None
        self.items: frozenset[str] = frozenset()
        self.area: str | None = None
        self.wake = asyncio.Event()
        self.refused: set[str] = set()  # users the server will not let sign in here

    @property
    def path(self) -> str:
        return self.run.api.hall_path(f"/windows/{self.window}")

    async def act(self, action: str, body: dict | None = None, expected=frozenset()):
        token = self.user.token if self.user else None
        return await self.run.api.post(action, f"{self.path}/{action}", token, body, expected)

    async def shifts(self) -> None:
        for i, span in enumerate(self.spans):
            if not await self.run.sleep_until(span.start):
                break
            if not await self.sign_in():
                continue
            last = i == len(self.spans) - 1
            try:
                await self.work(span.end, drain=self.run.options.drain and last)
            finally:
                await self.sign_out()
        if self.user is not None:
            self.run.staff.give_back(self.user)
            self.user = None

    async def sign_in(self) -> bool:
        run = self.run
        while True:
            if self.user is None:
                self.user = run.staff.take(self.refused)
                if self.user is None:
                    return False
            reply = await self.act("sign-in", expected=SIGN_IN_REFUSALS)
            if reply.ok:
                break
            if reply.code == "signed_in_elsewhere":  # a person uses this account right now
                run.staff.set_aside(self.user)
            elif reply.code == "not_assigned":  # A/B posts: another user may be assigned here
                self.refused.add(self.user.username)
                run.staff.give_back(self.user)
            else:
                run.say(f"窗口 {self.window}: 签到被拒 / sign-in refused: {reply.code}")
                return False
            self.user = None
        window = reply.body["window"]
        self.items, self.area = frozenset(window["items"]), window["area"]
        if window["state"] == "paused":
            await self.act("resume")
        if window.get("current"):  # left over from an earlier run: finish it
            run.counts["tidied"] += 1
            if window["current"]["state"] == "called":
                await self.act("start")
            await self.act("finish")
        run.clerk_open(self)
        return True

    async def sign_out(self) -> None:
        self.run.clerk_closed(self)
        await self.act("sign-out")

    async def work(self, until: datetime, drain: bool) -> None:
        run = self.run
        while not run.stopping:
            late = run.clock.sim() >= until
            if late and not drain:
                return
            self.wake.clear()
            reply = await self.act("call-next")
            if not reply.ok:
                if not await self.recover(reply.code):
                    return
                await run.sleep_real(0.5)
                continue
            ticket = reply.body["ticket"]
            if ticket is None:
                if late and not run.issuing:
                    return
                left = run.clock.real(until) - time.monotonic()
                wait = run.poll_seconds if late else max(0.001, min(run.poll_seconds, left))
                await run.wait_event(self.wake, wait)
                continue
            await self.serve(ticket, reply)

    async def recover(self, code: str | None) -> bool:
        """After a refused call: finish a ticket left at the window, resume a paused window;
        False when the window is no longer ours to work (closed or taken over)."""
        if code == "ticket_in_progress":
            self.run.counts["tidied"] += 1
            return (await self.act("finish")).ok
        if code == "window_not_open":
            return (await self.act("resume")).ok
        return code != "not_your_window"

    async def serve(self, ticket: dict, reply) -> None:
        run = self.run
        number, item = ticket["number"], ticket["item"]
        run.caused(event_key("ticket.called", self._event(ticket)), reply, self.area)
        run.counts["called"] += 1
        leg = await run.legs.get((number, item))
        if leg is None:  # issued by someone else (a real kiosk, an earlier run)
            run.counts["foreign"] += 1
            leg = run.foreign_leg(number, item)
        waited = None
        if leg.issued is not None:
            waited = run.clock.sim_seconds(reply.answered - leg.issued)
            run.waits.append(waited / 60)
        arrival, patience = leg.arrival, leg.arrival.patience_seconds
        called = reply.sent  # times count from the call, so request latency is not added
        if arrival.no_show:
            await self.no_show(ticket, called, arrival.service_seconds, abandoned=False)
            return
        if patience is not None and waited is not None and waited > patience:
            await self.no_show(ticket, called, ABSENT_SECONDS, abandoned=True)
            return
        await run.sleep_after(called, min(WALK_SECONDS, arrival.service_seconds / 4))
        started = await self.act("start")
        if started.ok:
            run.caused(event_key("ticket.started", self._event(ticket)), started, self.area)
        await run.sleep_after(called, arrival.service_seconds)
        target = arrival.transfer_to
        if target and target != item and await self.transfer(leg, target):
            return
        finished = await self.act("finish")
        if finished.ok:
            run.counts["served"] += 1
            run.caused(event_key("ticket.finished", self._event(ticket)), finished, self.area)
            await self.ask_rating(number)

    async def transfer(self, leg: Leg, target: str) -> bool:
        run = self.run
        seconds = leg.arrival.transfer_service_seconds or run.default_service_seconds(target)
        arrival = replace(
            leg.arrival,
            item_code=target,
            service_seconds=seconds,
            transfer_to=None,
            transfer_window=None,
            no_show=False,
            patience_seconds=None,
        )
        run.legs.put(leg.number, arrival, time.monotonic())
        body: dict[str, str | int] = {"to_item": target}
        if leg.arrival.transfer_window not in (None, self.window):
            body["to_window"] = leg.arrival.transfer_window
        reply = await self.act("transfer", body, {"item_not_found", "item_not_served"})
        if not reply.ok:
            return False
        run.counts["transferred"] += 1
        run.wake_item(target)
        return True

    async def no_show(self, ticket: dict, called: float, hold: float, abandoned: bool) -> None:
        """Recall (as often as the guard asks, at least once) within ``hold`` simulated seconds
        of the call, then 过号; a guard on seconds alone counts the server's real seconds, so
        that is waited for real."""
        run, guard = self.run, self.run.cfg.no_show
        recalls = max(1, guard.min_recalls)
        for n in range(1, recalls + 1):
            await run.sleep_after(called, hold * n / (recalls + 1))
            recalled = await self.act("recall")
            if recalled.ok:
                run.counts["recalls"] += 1
                data = self._event(recalled.body["ticket"])
                run.caused(event_key("ticket.recalled", data), recalled, self.area)
        await run.sleep_after(called, hold)
        deadline = time.monotonic() + guard.min_seconds + 5
        while True:
            reply = await self.act("no-show", expected={"no_show_too_soon"})
            if reply.ok or reply.code != "no_show_too_soon" or time.monotonic() > deadline:
                break
            await asyncio.sleep(1.0)
        if reply.ok:
            run.counts["no_shows"] += 1
            run.counts["abandoned"] += abandoned
            run.caused(event_key("ticket.no_show", self._event(ticket)), reply, self.area)

    async def ask_rating(self, number: str) -> None:
        run = self.run
        if self.window not in run.pads or run.rng.random() >= run.options.rating_share:
            return
        rated = run.expect_rating(self.window, number)
        reply = await self.act("rating-request", expected={"already_rated", "resident_left"})
        if not reply.ok:
            run.forget_rating(self.window, number)
            return
        run.counts["ratings_requested"] += 1
        try:
            await asyncio.wait_for(asyncio.shield(rated), RATING_TIMEOUT)
        except TimeoutError:
            run.counts["ratings_missed"] += 1
        finally:
            run.forget_rating(self.window, number)

    def _event(self, ticket: dict) -> dict:
        """The keys a ticket event carries that identify it (see screens.event_key)."""
        return {
            "number": ticket["number"],
            "item": ticket["item"],
            "window": self.window,
            "call_count": ticket.get("call_count"),
        }
