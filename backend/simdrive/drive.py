"""The run: kiosks issue each arrival at its time (compressed by the speed), one clerk per
rostered window works its shifts, the display and rating-pad sockets listen; everything on one
asyncio loop with one HTTP connection pool. ``drive()`` returns the summary (summary.py)."""

from __future__ import annotations

import asyncio
import contextlib
import random
import signal
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ..sim.model import Arrival
from .clerk import Clerk
from .http import Api, Reply, new_session
from .plan import Plan, SimClock
from .screens import Screen, event_key
from .staff import Credentials, StaffPool, device_roles, log_in
from .summary import summarise

RATINGS = (
    ("very_satisfied", 0.62),
    ("satisfied", 0.28),
    ("basically_satisfied", 0.07),
    ("dissatisfied", 0.02),
    ("very_dissatisfied", 0.01),
)
LEG_WAIT_SECONDS = 2.0  # how long a call waits for the kiosk's answer naming its ticket
ISSUE_REFUSALS = frozenset({"hall_closed", "no_window_open"})
NO_BOOKING = frozenset({"appointment_not_found", "appointment_other_item"})


class DriveError(Exception):
    """The run cannot start: server unreachable, no kiosk token, nobody could log in."""


@dataclass
class Options:
    url: str = "http://127.0.0.1:5000"
    speed: float = 60.0  # simulated seconds per real second
    seed: int = 1  # ratings and other choices of the driver (arrivals have the plan's seed)
    rating_share: float = 0.2  # of services at a window with a rating pad
    drain: bool = False  # at the end, keep calling until nobody waits
    progress_minutes: float | None = 30.0  # simulated minutes between progress lines
    connections: int = 64
    flush_seconds: float = 3.0  # at the end, how long to wait for the last frames
    say: Callable[[str], None] | None = print


@dataclass
class Leg:
    number: str
    arrival: Arrival
    issued: float | None  # monotonic, when the kiosk sent it


@dataclass(frozen=True)
class Cause:
    """A REST answer that must reach the displays as an event with ``key``."""

    key: tuple
    sent: float
    answered: float
    area: str | None  # the window's area; None: every display


class Legs:
    """The arrival behind each (number, item) issued; a call can overtake the kiosk's answer,
    so ``get`` waits a little for it."""

    def __init__(self):
        self.known: dict[tuple[str, str], Leg] = {}
        self.waiters: defaultdict[tuple[str, str], list[asyncio.Future]] = defaultdict(list)

    def put(self, number: str, arrival: Arrival, issued: float | None) -> None:
        key = (number, arrival.item_code)
        leg = self.known[key] = Leg(number, arrival, issued)
        for waiter in self.waiters.pop(key, []):
            if not waiter.done():
                waiter.set_result(leg)

    async def get(self, key: tuple[str, str], timeout: float = LEG_WAIT_SECONDS) -> Leg | None:
        if key in self.known:
            return self.known[key]
        waiter = asyncio.get_running_loop().create_future()
        self.waiters[key].append(waiter)
        try:
            return await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            return None


class Run:
    def __init__(self, plan: Plan, api: Api, options: Options, staff: StaffPool, kiosks: list):
        self.plan, self.cfg, self.api, self.options = plan, plan.cfg, api, options
        self.staff, self.kiosk_tokens = staff, kiosks
        self.clock = SimClock(plan.start, options.speed)
        self.stop = asyncio.Event()
        self.issuing = True
        self.counts: Counter[str] = Counter()
        self.waits: list[float] = []  # simulated minutes from issue to call
        self.send_lag: list[float] = []  # ms the kiosk was late to issue
        self.loop_lag: list[float] = []  # ms the loop was late to wake a sleeper
        self.causes: list[Cause] = []
        self.legs = Legs()
        self.rng = random.Random(options.seed)
        self.displays: list[Screen] = []
        self.pads: dict[int, Screen] = {}
        self.by_item: defaultdict[str, set[Clerk]] = defaultdict(set)
        self.open: set[int] = set()
        self.ratings: dict[tuple[int, str], asyncio.Future] = {}
        self.numbers: list[str] = []
        self._tasks: set[asyncio.Task] = set()
        # an idle clerk is woken by a ticket for its items, and looks anyway every 5 simulated
        # minutes (a ticket issued elsewhere, a transfer from another process)
        self.poll_seconds = min(2.0, max(0.25, self.clock.real_seconds(300)))

    # -- time ----------------------------------------------------------------------------------
    @property
    def stopping(self) -> bool:
        return self.stop.is_set()

    async def sleep_real(self, seconds: float) -> bool:
        """Sleep unless stopping; False when the run is stopping."""
        if self.stop.is_set():
            return False
        if seconds > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stop.wait(), seconds)
        return not self.stop.is_set()

    async def sleep_until(self, at: datetime) -> bool:
        return await self.sleep_real(self.clock.real(at) - time.monotonic())

    async def sleep_sim(self, seconds: float) -> bool:
        return await self.sleep_real(self.clock.real_seconds(seconds))

    async def sleep_after(self, origin: float, seconds: float) -> bool:
        """Sleep until ``seconds`` simulated seconds after the real instant ``origin``."""
        return await self.sleep_real(origin + self.clock.real_seconds(seconds) - time.monotonic())

    async def wait_event(self, event: asyncio.Event, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), seconds)

    # -- bookkeeping ---------------------------------------------------------------------------
    def say(self, text: str) -> None:
        if self.options.say is not None:
            self.options.say(text)

    def caused(self, key: tuple, reply: Reply, area: str | None) -> None:
        self.causes.append(Cause(key, reply.sent, reply.answered, area))

    def clerk_open(self, clerk: Clerk) -> None:
        self.open.add(clerk.window)
        for item in clerk.items:
            self.by_item[item].add(clerk)

    def clerk_closed(self, clerk: Clerk) -> None:
        self.open.discard(clerk.window)
        for item in clerk.items:
            self.by_item[item].discard(clerk)

    def wake_item(self, item: str) -> None:
        for clerk in self.by_item.get(item, ()):
            clerk.wake.set()

    def default_service_seconds(self, item: str) -> float:
        minutes = next((i.service_minutes for i in self.cfg.items if i.code == item), 0)
        return 60 * (minutes or self.cfg.queue.default_service_minutes)

    def foreign_leg(self, number: str, item: str) -> Leg:
        return Leg(
            number, Arrival(self.clock.sim(), item, self.default_service_seconds(item)), None
        )

    def expect_rating(self, window: int, number: str) -> asyncio.Future:
        future = self.ratings[(window, number)] = asyncio.get_running_loop().create_future()
        return future

    def forget_rating(self, window: int, number: str) -> None:
        self.ratings.pop((window, number), None)

    def spawn(self, coro) -> asyncio.Task:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # -- actors --------------------------------------------------------------------------------
    async def kiosks(self) -> None:
        tasks = []
        for i, arrival in enumerate(self.plan.arrivals):
            if not await self.sleep_until(arrival.at):
                break
            self.send_lag.append(max(0.0, time.monotonic() - self.clock.real(arrival.at)) * 1000)
            token = self.kiosk_tokens[i % len(self.kiosk_tokens)]
            tasks.append(asyncio.create_task(self.issue(i, arrival, token)))
        await asyncio.gather(*tasks)
        self.issuing = False
        for clerks in self.by_item.values():
            for clerk in clerks:
                clerk.wake.set()

    async def issue(self, i: int, arrival: Arrival, token: str) -> None:
        body = {"item_code": arrival.item_code, "priority": arrival.priority}
        if arrival.priority == "green":
            body["priority_reason"] = "elderly"
        elif arrival.priority == "appointment":
            body["priority_reason"] = f"9{i:07d}"  # 8 digits, like a real code
        path = self.api.hall_path("/tickets")
        reply = await self.api.post("issue", path, token, body, ISSUE_REFUSALS | NO_BOOKING)
        if reply.code in NO_BOOKING:
            # a hall that checks appointment codes (the demo hall) has no booking for a simulated
            # arrival: the resident takes a normal ticket, as the kiosk would tell them to
            self.counts["appointments_unbooked"] += 1
            body = {"item_code": arrival.item_code, "priority": "normal"}
            reply = await self.api.post("issue", path, token, body, ISSUE_REFUSALS)
        if not reply.ok:
            self.counts["turned_away"] += reply.code in ISSUE_REFUSALS
            return
        number = reply.body["ticket"]["number"]
        self.counts["issued"] += 1
        self.numbers.append(number)
        self.legs.put(number, arrival, reply.sent)
        key = event_key("ticket.issued", {"number": number, "item": arrival.item_code})
        self.caused(key, reply, None)
        self.wake_item(arrival.item_code)

    async def on_rating(self, pad: Screen, data: dict) -> None:
        """A pad shows the request: the resident taps a rating (unless nobody waits for one)."""
        number = data.get("number")
        if pad.window is None or not isinstance(number, str):
            return  # not a pad's request for one of our tickets
        future = self.ratings.get((pad.window, number))
        if future is None or future.done():
            return
        self.spawn(self._rate(pad, number, future))

    async def _rate(self, pad: Screen, number: str, future: asyncio.Future) -> None:
        rating = self.rng.choices([r for r, _ in RATINGS], [w for _, w in RATINGS])[0]
        body = {"ticket": number, "rating": rating}
        reply = await self.api.post("rate", self.api.hall_path("/evaluations"), pad.token, body)
        self.counts["ratings"] += reply.ok
        if not future.done():
            future.set_result(reply.ok)

    async def progress(self) -> None:
        every = self.options.progress_minutes
        if not every:
            return
        while await self.sleep_sim(every * 60):
            self.say(self.progress_line())

    def progress_line(self) -> str:
        c = self.counts
        waiting = c["issued"] + c["transferred"] - c["called"]
        return (
            f"{self.clock.sim():%H:%M}  取号 issued {c['issued']} · 叫号 called {c['called']} · "
            f"办结 served {c['served']} · 过号 no-show {c['no_shows']} · "
            f"等候 waiting {waiting} · 开窗 open {len(self.open)}"
        )

    async def watch_loop(self, every: float = 0.05) -> None:
        """How late the loop wakes a sleeper: the driver's own saturation shows here."""
        while not self.stop.is_set():
            due = time.monotonic() + every
            await asyncio.sleep(every)
            self.loop_lag.append(max(0.0, time.monotonic() - due) * 1000)

    async def flush(self) -> None:
        """Wait (bounded) until the displays got every event the run caused."""
        deadline = time.monotonic() + self.options.flush_seconds
        while time.monotonic() < deadline:
            if all(self._seen(c) is not None for c in self.causes if self._covering(c)):
                return
            await asyncio.sleep(0.1)

    def _covering(self, cause: Cause) -> list[Screen]:
        return [d for d in self.displays if d.covers(cause.area) or cause.area is None]

    def _seen(self, cause: Cause) -> float | None:
        times = [d.seen[cause.key] for d in self._covering(cause) if cause.key in d.seen]
        return min(times) if times else None


async def _connect_screens(run: Run, url: str, devices: dict[str, tuple[str, str]]) -> None:
    screens = []
    for code, (role, token) in devices.items():
        if role == "display":
            screens.append(Screen(code, token))
        elif role == "rating_pad":
            screens.append(Screen(code, token, on_rating=run.on_rating))

    async def one(screen: Screen) -> None:
        try:
            await screen.connect(url)
        except Exception as exc:  # noqa: BLE001 - a screen that cannot connect is reported
            run.say(f"屏幕 {screen.code} 未连接 / socket not connected: {exc}")
            return
        for _ in range(50):  # the snapshot says what it is
            if screen.kind:
                break
            await asyncio.sleep(0.1)
        if screen.kind == "display":
            run.displays.append(screen)
        elif screen.kind == "pad" and screen.window is not None:
            run.pads[screen.window] = screen

    await asyncio.gather(*(one(s) for s in screens))


async def drive(plan: Plan, credentials: Credentials, options: Options) -> dict:
    """Drive the server at ``options.url`` through ``plan``; returns the summary."""
    cpu0, wall0 = time.process_time(), time.monotonic()
    async with new_session(options.connections) as session:
        api = Api(session, options.url, credentials.hall, random.Random().randbytes(4).hex())
        health = await api.get("read", "/healthz", None)
        if not health.ok:
            raise DriveError(
                f"服务器无法连接 / server not reachable at {options.url}: {health.body}"
            )
        catalog = await api.get("read", api.hall_path("/catalog"), None)
        if not catalog.ok:
            raise DriveError(f"大厅 {credentials.hall} 不存在 / no hall: {catalog.body}")
        items = {i["code"] for i in catalog.body["items"]}
        dropped = [a for a in plan.arrivals if a.item_code not in items]
        if dropped:
            plan = _without(plan, dropped)
            if options.say:
                options.say(f"{len(dropped)} arrivals for items the server lacks: left out")
        devices = await device_roles(api, credentials.devices)
        kiosks = [token for role, token in devices.values() if role == "kiosk"]
        if not kiosks:
            raise DriveError("no kiosk token in the credentials file is accepted by the server")
        staff = await log_in(api, credentials.users)
        if not staff:
            raise DriveError("none of the staff in the credentials file could log in")
        run = Run(plan, api, options, StaffPool(staff), kiosks)
        await _connect_screens(run, options.url, devices)
        windows = {w["number"] for w in catalog.body["windows"]}
        clerks = [Clerk(run, w, spans) for w, spans in sorted(plan.shifts.items()) if w in windows]
        for clerk in clerks:  # in window order: with too few staff, the first windows open
            clerk.user = run.staff.take(set())
        unstaffed = [c.window for c in clerks if c.user is None]
        if unstaffed:
            run.say(f"无人值守窗口 / no staff for windows {', '.join(map(str, unstaffed))}")
        run.say(
            f"simulating {plan.profile} {plan.start:%Y-%m-%d %H:%M}–{plan.end:%H:%M} at ×"
            f"{options.speed:g}: {len(plan.arrivals)} arrivals, {len(clerks)} windows, "
            f"{len(staff)} staff, {len(run.displays)} displays, {len(run.pads)} rating pads"
        )
        _on_signals(run)
        run.clock = SimClock(plan.start, options.speed, time.monotonic() + 0.2)
        watchers = [asyncio.create_task(run.progress()), asyncio.create_task(run.watch_loop())]
        try:
            await asyncio.gather(run.kiosks(), *(c.shifts() for c in clerks))
            await asyncio.gather(*run._tasks)
            await run.flush()
        finally:
            run.stop.set()
            await asyncio.gather(*watchers, return_exceptions=True)
            _off_signals()
        report = await _daily_report(api, staff)
        cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
        summary = summarise(run, report, cpu, wall)
        await asyncio.gather(*(api.post("logout", "/api/v1/auth/logout", s.token) for s in staff))
        await asyncio.gather(*(s.close() for s in [*run.displays, *run.pads.values()]))
    return summary


async def _daily_report(api: Api, staff) -> dict | None:
    boss = next((s for s in staff if s.role in ("manager", "admin")), None)
    if boss is None:
        return None
    reply = await api.get("read", api.hall_path("/reports/daily"), boss.token)
    return reply.body.get("totals") if reply.ok else None


def _without(plan: Plan, dropped: list[Arrival]) -> Plan:
    from dataclasses import replace

    gone = {id(a) for a in dropped}
    return replace(plan, arrivals=tuple(a for a in plan.arrivals if id(a) not in gone))


def _on_signals(run: Run) -> None:
    """Ctrl-C once: stop issuing, finish the services under way, sign out; twice: abort."""
    loop = asyncio.get_running_loop()

    def first() -> None:
        run.say("stopping: finishing the services under way and signing out (Ctrl-C again: abort)")
        run.stop.set()
        _off_signals()

    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, first)


def _off_signals() -> None:
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
