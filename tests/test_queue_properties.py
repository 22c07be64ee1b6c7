"""Stateful property test of the queue through the real API on a file SQLite database.

Hypothesis drives kiosks and clerks at random (issue, sign in/out, call-next, recall, start,
finish, no-show, re-queue, transfer, the clock moving on) and after every step the database must
still make sense: numbers unique and gap-free, one state per leg, windows and their current
tickets agreeing, every call audited once. Each call-next is checked against the calling order
documented in backend/domain/queue_policy.py, in particular FIFO within one item and class.
"""

from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from sqlalchemy import select

from backend.app import create_app
from backend.db.engine import open_database
from backend.db.migrate import upgrade
from backend.db.models import AuditEntry, ServiceItem, Ticket, User, Window
from backend.db.uow import RecordingPublisher
from backend.domain.queue_policy import queue_key_for
from backend.domain.tickets import GreenReason, TicketState
from tests.support import MONDAY_9AM, SMALL_HALL, FakeClock, HallClient, hall_config, setup_hall

HALL = "town"
ITEMS = [i["code"] for i in SMALL_HALL["items"]]
PREFIX = {i["code"]: i["prefix"] for i in SMALL_HALL["items"]}
WINDOW_ITEMS = {w["number"]: list(w["items"]) for w in SMALL_HALL["windows"]}
WINDOWS = sorted(WINDOW_ITEMS)
CLERKS = ["clerk1", "clerk2", "clerk3"]
MANAGER = "boss"
AGING = timedelta(minutes=SMALL_HALL["queue"]["aging_limit_minutes"])
REQUEUE_BEHIND = SMALL_HALL["queue"]["requeue_behind"]
CLASS_ORDER = ["green", "appointment", "normal"]  # the default class_order
MAX_CLOCK_MINUTES = 12 * 60  # stay on the same day and inside the 14 h login tokens
AT_WINDOW = {"called", "serving"}


# --- one migrated database with the hall, staff logins and device tokens, copied per run ---

_template: dict | None = None


def template() -> dict:
    global _template
    if _template is None:
        folder = Path(tempfile.mkdtemp(prefix="onestop-props-"))
        atexit.register(shutil.rmtree, folder, True)
        url = f"sqlite:///{folder / 'template.db'}"
        upgrade(url)
        devices = setup_hall(url, hall_config(HALL), MONDAY_9AM)
        app = create_app(
            {
                "ONESTOP_DATABASE_URL": url,
                "ONESTOP_CLOCK": FakeClock(),
                "ONESTOP_PUBLISHER": RecordingPublisher(),
                "TESTING": True,
            }
        )
        client = HallClient(app, HALL, devices)
        staff = {name: client.staff(name) for name in [*CLERKS, MANAGER]}
        app.extensions["onestop"].db.dispose()
        _template = {"path": folder / "template.db", "devices": devices, "staff": staff}
    return _template


def copy_database(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    src.close()


# --- the state as read back from the database ---


@dataclass(frozen=True)
class Leg:
    id: int
    root: int  # id of the first leg
    parent: int | None
    item: str
    priority: str
    state: str
    number: str
    prefix: str
    seq: int
    day: date
    queue_key: int
    waiting_since: datetime
    issued_at: datetime
    target_window: int | None
    window: int | None  # number of the window that called it
    requeue_count: int
    call_count: int
    token: str
    called_at: datetime | None


@dataclass(frozen=True)
class Win:
    number: int
    state: str
    clerk: str | None
    current: int | None
    items: list[str]


@dataclass
class Snapshot:
    legs: dict[int, Leg]
    windows: dict[int, Win]

    def waiting(self) -> list[Leg]:
        return [leg for leg in self.legs.values() if leg.state == "waiting"]

    def chains(self) -> dict[int, list[Leg]]:
        out: dict[int, list[Leg]] = defaultdict(list)
        for leg in sorted(self.legs.values(), key=lambda leg: leg.id):
            out[leg.root].append(leg)
        return out

    def latest_legs(self) -> list[Leg]:
        return [legs[-1] for _, legs in sorted(self.chains().items())]


def read_snapshot(db) -> Snapshot:
    with db.reader() as s:
        number_of = dict(s.execute(select(Window.id, Window.number)).all())
        legs = {}
        for t, code in s.execute(
            select(Ticket, ServiceItem.code).join(ServiceItem, Ticket.item_id == ServiceItem.id)
        ):
            legs[t.id] = Leg(
                id=t.id,
                root=t.root_id or t.id,
                parent=t.parent_id,
                item=code,
                priority=t.priority,
                state=t.state,
                number=t.number,
                prefix=t.prefix,
                seq=t.seq,
                day=t.day,
                queue_key=t.queue_key,
                waiting_since=t.waiting_since,
                issued_at=t.issued_at,
                target_window=t.target_window,
                window=number_of.get(t.window_id),
                requeue_count=t.requeue_count,
                call_count=t.call_count,
                token=t.status_token,
                called_at=t.called_at,
            )
        windows = {}
        for w, username in s.execute(
            select(Window, User.username).outerjoin(User, Window.clerk_id == User.id)
        ):
            windows[w.number] = Win(w.number, w.state, username, w.current_ticket_id, w.item_codes)
        return Snapshot(legs, windows)


# --- the calling order of queue_policy.py's docstring, written out again as the oracle ---


def serves(leg: Leg, window: int) -> bool:
    return leg.item in WINDOW_ITEMS[window] and leg.target_window in (None, window)


def documented_key(leg: Leg, window: int, now: datetime) -> tuple:
    """1. transferred to this window; 2. aged past the limit, oldest first (then queue key); 3. the window's item
    order; 4. the class order; 5. queue key, then ticket id."""
    targeted = 0 if leg.target_window == window else 1
    if now - leg.waiting_since >= AGING:
        return (targeted, 0, leg.waiting_since, leg.queue_key, leg.id)
    return (
        targeted,
        1,
        WINDOW_ITEMS[window].index(leg.item),
        CLASS_ORDER.index(leg.priority),
        leg.queue_key,
        leg.id,
    )


def fifo_violations(called: Leg, waiting: list[Leg], window: int, now: datetime) -> list[Leg]:
    """Same-item, same-class tickets queued before ``called`` that this window could call and
    that no targeting or aging rule put behind it."""

    def aged(leg: Leg) -> bool:
        return now - leg.waiting_since >= AGING

    out = []
    for other in waiting:
        if other.id == called.id or not serves(other, window):
            continue
        if (other.item, other.priority) != (called.item, called.priority):
            continue
        if (other.queue_key, other.id) > (called.queue_key, called.id):
            continue  # queued later: fine
        called_targeted = called.target_window == window
        other_targeted = other.target_window == window
        if called_targeted and not other_targeted:
            continue  # rule 1 favours the called ticket
        if called_targeted == other_targeted:
            if aged(called) and not aged(other):
                continue  # rule 2
            if aged(called) and aged(other) and called.waiting_since < other.waiting_since:
                continue  # rule 2: it waited longer
        out.append(other)
    return out


def no_show_allowed(leg: Leg, now: datetime) -> bool:
    """The hall's default 过号 guard: one recall, or 60 s since the first call."""
    return leg.call_count >= 2 or (now - leg.called_at).total_seconds() >= 60


def open_template_hall(machine, prefix: str) -> None:
    """Give a hypothesis machine its own copy of the template hall: a fake clock, the app and a
    test client on it, a database handle, the kiosk's and the staff's tokens."""
    tpl = template()
    machine.folder = Path(tempfile.mkdtemp(prefix=prefix))
    path = machine.folder / "onestop.db"
    copy_database(tpl["path"], path)
    machine.url = f"sqlite:///{path}"
    machine.clock = FakeClock()
    machine.app = create_app(
        {
            "ONESTOP_DATABASE_URL": machine.url,
            "ONESTOP_CLOCK": machine.clock,
            "ONESTOP_PUBLISHER": RecordingPublisher(),
            "TESTING": True,
        }
    )
    machine.client = machine.app.test_client()
    machine.db = open_database(machine.url)
    machine.kiosk = bearer(tpl["devices"]["kiosk-1"])
    machine.staff = tpl["staff"]
    machine.requests = 0


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


picks = st.integers(min_value=0, max_value=10_000)  # an index into what is there to act on
actors = st.sampled_from(["own", "manager", "stranger"])
helpers = st.sampled_from(["own", "manager"])  # whoever may act at the window


class QueueMachine(RuleBasedStateMachine):
    """Rules act mostly where it makes sense (a call at an open idle window, a finish where a
    ticket is being served); ``misuse`` does any action anywhere, by anyone, and checks the
    refusal. Every answer is predicted from the database state before the request."""

    def __init__(self):
        super().__init__()
        open_template_hall(self, "onestop-sm-")
        self.minutes = 0
        self.last = self.snap()  # refreshed by the invariant after every step

    def teardown(self):
        self.app.extensions["onestop"].db.dispose()
        self.db.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- helpers ---

    def snap(self) -> Snapshot:
        return read_snapshot(self.db)

    def post(self, path: str, body: dict, headers: dict):
        self.requests += 1
        body = {"request_id": f"sm-{self.requests}"} | body
        return self.client.post(f"/api/v1/halls/{HALL}{path}", json=body, headers=headers)

    def windows_where(self, test) -> list[int]:
        return [n for n, w in sorted(self.last.windows.items()) if test(w)]

    def idle_windows(self) -> list[int]:
        return self.windows_where(lambda w: w.state == "open" and w.current is None)

    def busy_windows(self) -> list[int]:
        return self.windows_where(lambda w: w.current is not None)

    def act(self, window: int, action: str, actor: str, snap: Snapshot, **body):
        """A window action by its clerk, a manager (may step in anywhere) or another clerk."""
        clerk = snap.windows[window].clerk
        if actor == "stranger":
            who = next(c for c in CLERKS if c != clerk)
        elif actor == "own" and clerk is not None:
            who = clerk
        else:
            who = MANAGER
        return self.post(f"/windows/{window}/{action}", body, self.staff[who])

    @staticmethod
    def expect(r, status: int, code: str | None = None) -> None:
        assert r.status_code == status, (r.status_code, r.json)
        if code is not None:
            assert r.json["error"]["code"] == code, r.json

    # --- what each action must answer, given the state before it ---

    def do_sign_out(self, window: int, actor: str) -> None:
        snap = self.snap()
        w = snap.windows[window]
        r = self.act(window, "sign-out", actor, snap)
        if actor == "stranger":
            self.expect(r, 403, "not_your_window")
        elif w.current is not None:
            self.expect(r, 409, "ticket_in_progress")
        elif w.state == "closed":
            self.expect(r, 409, "invalid_window_transition")
        else:
            self.expect(r, 200)
            assert r.json["window"]["state"] == "closed"

    def do_call_next(self, window: int, actor: str) -> None:
        snap = self.snap()
        w = snap.windows[window]
        now = self.clock()
        r = self.act(window, "call-next", actor, snap)
        if actor == "stranger":
            return self.expect(r, 403, "not_your_window")
        if w.state != "open":
            return self.expect(r, 409, "window_not_open")
        if w.current is not None:
            return self.expect(r, 409, "ticket_in_progress")
        self.expect(r, 200)
        waiting = snap.waiting()
        candidates = sorted(
            (leg for leg in waiting if serves(leg, window)),
            key=lambda leg: documented_key(leg, window, now),
        )
        got = r.json["ticket"]
        if not candidates:
            assert got is None, got
            return
        assert got is not None, "nobody called although tickets wait for this window"
        called = snap.legs[got["id"]]
        assert called.state == "waiting" and serves(called, window)
        skipped = fifo_violations(called, waiting, window, now)
        assert not skipped, (
            f"window {window} called {called.number} while earlier "
            f"{[leg.number for leg in skipped]} of the same item and class kept waiting"
        )
        assert got["id"] == candidates[0].id, (
            f"window {window} called {called.number}, the documented order says "
            f"{candidates[0].number}"
        )
        assert got["state"] == "called" and got["call_count"] == 1

    TICKET_ACTIONS = {  # action: (states it is allowed from, state after)
        "recall": ({"called"}, "called"),
        "start": ({"called"}, "serving"),
        "finish": (AT_WINDOW, "finished"),
        "no-show": ({"called"}, "no_show"),
    }

    def do_ticket_action(self, window: int, action: str, actor: str) -> None:
        allowed_from, to_state = self.TICKET_ACTIONS[action]
        snap = self.snap()
        w = snap.windows[window]
        r = self.act(window, action, actor, snap)
        if actor == "stranger":
            return self.expect(r, 403, "not_your_window")
        if w.current is None:
            return self.expect(r, 409, "no_current_ticket")
        leg = snap.legs[w.current]
        if leg.state not in allowed_from:
            return self.expect(r, 409, "invalid_transition")
        if action == "no-show" and not no_show_allowed(leg, self.clock()):
            return self.expect(r, 409, "no_show_too_soon")
        self.expect(r, 200)
        ticket = r.json["ticket"]
        assert ticket["id"] == leg.id and ticket["state"] == to_state
        if action == "recall":
            assert ticket["call_count"] == leg.call_count + 1
        if action in ("finish", "no-show"):
            assert r.json["window"]["current"] is None

    def do_transfer(self, window: int, actor: str, to_item, to_window) -> None:
        snap = self.snap()
        w = snap.windows[window]
        body = {"to_item": to_item, "to_window": to_window, "note": "转办"}
        r = self.act(window, "transfer", actor, snap, **body)
        if to_item is None and to_window is None:
            return self.expect(r, 400, "transfer_target_required")
        if actor == "stranger":
            return self.expect(r, 403, "not_your_window")
        if w.current is None:
            return self.expect(r, 409, "no_current_ticket")
        old = snap.legs[w.current]
        item = to_item or old.item
        if to_window is not None:
            if to_window == window:
                return self.expect(r, 400, "same_window")
            if item not in WINDOW_ITEMS[to_window]:
                return self.expect(r, 409, "item_not_served")
        elif to_item == old.item:
            return self.expect(r, 400, "same_item")
        self.expect(r, 200)
        after = self.snap()
        assert after.legs[old.id].state == "transferred"
        new = after.legs[r.json["new_leg"]["id"]]
        assert new.state == "waiting" and new.item == item and new.target_window == to_window
        assert (new.parent, new.root) == (old.id, old.root)
        assert (new.number, new.token, new.issued_at) == (old.number, old.token, old.issued_at)
        assert new.waiting_since == old.issued_at  # it already waited once
        assert new.queue_key == queue_key_for(old.issued_at, old.seq)

    def do_requeue(self, leg: Leg, clerk: str) -> None:
        snap = self.snap()
        r = self.post(f"/tickets/{leg.number}/requeue", {}, self.staff[clerk])
        if leg.state != "no_show":
            return self.expect(r, 409, "invalid_transition")
        self.expect(r, 200)
        after = self.snap().legs[leg.id]
        assert after.state == "waiting" and after.window is None
        assert after.requeue_count == leg.requeue_count + 1
        assert after.waiting_since == self.clock()
        line = [
            o
            for o in snap.waiting()
            if (o.item, o.priority) == (leg.item, leg.priority) and o.id != leg.id
        ]
        ahead = [o for o in line if (o.queue_key, o.id) < (after.queue_key, after.id)]
        assert len(ahead) == min(REQUEUE_BEHIND, len(line)), (
            f"{leg.number} re-queued behind {[o.number for o in ahead]} in the line "
            f"{[o.number for o in sorted(line, key=lambda o: (o.queue_key, o.id))]}; "
            f"expected behind {min(REQUEUE_BEHIND, len(line))}"
        )

    # --- rules ---

    @initialize(
        staffed=st.lists(st.booleans(), min_size=len(WINDOWS), max_size=len(WINDOWS)),
        items=st.lists(st.sampled_from(ITEMS), max_size=6),
    )
    def open_the_hall(self, staffed, items):
        for window, clerk, on in zip(WINDOWS, CLERKS, staffed, strict=True):
            if on:
                self.expect(self.post(f"/windows/{window}/sign-in", {}, self.staff[clerk]), 200)
        for item in items:
            self.expect(self.post("/tickets", {"item_code": item}, self.kiosk), 200)

    @rule(
        item=st.sampled_from(ITEMS),
        green=st.booleans(),
        reason=st.sampled_from([r.value for r in GreenReason]),
    )
    def issue(self, item, green, reason):
        before = self.snap()
        last = max(
            (leg.seq for leg in before.legs.values() if leg.prefix == PREFIX[item]), default=0
        )
        body = {"item_code": item}
        if green:
            body |= {"priority": "green", "priority_reason": reason}
        r = self.post("/tickets", body, self.kiosk)
        self.expect(r, 200)
        ticket = r.json["ticket"]
        assert ticket["number"] == f"{PREFIX[item]}{last + 1:03d}"
        assert ticket["state"] == "waiting"
        assert ticket["priority"] == ("green" if green else "normal")

    @rule(window=st.sampled_from(WINDOWS), clerk=st.sampled_from(CLERKS))
    def sign_in(self, window, clerk):
        snap = self.snap()
        w = snap.windows[window]
        elsewhere = [n for n, o in snap.windows.items() if o.clerk == clerk and n != window]
        r = self.post(f"/windows/{window}/sign-in", {}, self.staff[clerk])
        if w.state != "closed" and w.clerk == clerk:
            self.expect(r, 200)
        elif elsewhere:
            self.expect(r, 409, "signed_in_elsewhere")
        elif w.state != "closed":
            self.expect(r, 409, "window_taken")
        else:
            self.expect(r, 200)
            assert r.json["window"]["state"] == "open"

    @precondition(lambda self: self.idle_windows())
    @rule(pick=picks, actor=helpers)
    def sign_out(self, pick, actor):
        windows = self.idle_windows()
        self.do_sign_out(windows[pick % len(windows)], actor)

    @precondition(lambda self: self.idle_windows())
    @rule(pick=picks, actor=helpers)
    def call_next(self, pick, actor):
        windows = self.idle_windows()
        self.do_call_next(windows[pick % len(windows)], actor)

    @precondition(lambda self: self.busy_windows())
    @rule(pick=picks, actor=helpers, action=st.sampled_from(list(TICKET_ACTIONS)))
    def serve(self, pick, actor, action):
        windows = self.busy_windows()
        self.do_ticket_action(windows[pick % len(windows)], action, actor)

    @precondition(lambda self: self.busy_windows())
    @rule(
        pick=picks,
        actor=helpers,
        to_item=st.none() | st.sampled_from(ITEMS),
        to_window=st.none() | st.sampled_from(WINDOWS),
    )
    def transfer(self, pick, actor, to_item, to_window):
        windows = self.busy_windows()
        self.do_transfer(windows[pick % len(windows)], actor, to_item, to_window)

    @precondition(lambda self: any(leg.state == "no_show" for leg in self.last.latest_legs()))
    @rule(pick=picks, clerk=st.sampled_from(CLERKS))
    def requeue(self, pick, clerk):
        no_shows = [leg for leg in self.last.latest_legs() if leg.state == "no_show"]
        self.do_requeue(no_shows[pick % len(no_shows)], clerk)

    @rule(
        window=st.sampled_from(WINDOWS),
        actor=actors,
        action=st.sampled_from(["sign-out", "call-next", *TICKET_ACTIONS, "transfer", "requeue"]),
        to_item=st.none() | st.sampled_from(ITEMS),
        to_window=st.none() | st.sampled_from(WINDOWS),
        pick=picks,
        clerk=st.sampled_from(CLERKS),
    )
    def misuse(self, window, actor, action, to_item, to_window, pick, clerk):
        """Any action, anywhere, by anyone: refused exactly when it should be."""
        if action == "sign-out":
            self.do_sign_out(window, actor)
        elif action == "call-next":
            self.do_call_next(window, actor)
        elif action == "transfer":
            self.do_transfer(window, actor, to_item, to_window)
        elif action == "requeue":
            latest = self.last.latest_legs()
            if latest:
                self.do_requeue(latest[pick % len(latest)], clerk)
        else:
            self.do_ticket_action(window, action, actor)

    @rule(minutes=st.integers(min_value=1, max_value=30))
    def advance_clock(self, minutes):
        if self.minutes + minutes <= MAX_CLOCK_MINUTES:
            self.minutes += minutes
            self.clock.advance(minutes=minutes)

    # --- invariants ---

    @invariant()
    def database_is_consistent(self):
        snap = self.last = self.snap()
        legs = snap.legs
        states = {s.value for s in TicketState}

        # numbers: unique and gap-free per (day, prefix) among first legs
        roots = [leg for leg in legs.values() if leg.parent is None]
        seen = Counter((leg.day, leg.prefix, leg.seq) for leg in roots)
        assert all(c == 1 for c in seen.values()), [k for k, c in seen.items() if c > 1]
        by_line: dict[tuple, list[int]] = defaultdict(list)
        for leg in roots:
            by_line[(leg.day, leg.prefix)].append(leg.seq)
            assert leg.number == f"{leg.prefix}{leg.seq:03d}"
            assert PREFIX[leg.item] == leg.prefix or leg.parent is not None
        for line, seqs in by_line.items():
            assert sorted(seqs) == list(range(1, len(seqs) + 1)), (line, sorted(seqs))

        # one state per leg; a transfer chain has every leg but the last transferred
        for root, chain in snap.chains().items():
            assert chain[0].id == root and chain[0].parent is None
            for prev, leg in zip(chain, chain[1:], strict=False):
                assert leg.parent == prev.id
                assert (leg.number, leg.token, leg.issued_at) == (
                    prev.number,
                    prev.token,
                    prev.issued_at,
                )
            assert all(leg.state == "transferred" for leg in chain[:-1]), chain
            assert chain[-1].state in states - {"transferred"}, chain[-1]

        # windows and their current tickets agree
        current = Counter(w.current for w in snap.windows.values() if w.current is not None)
        assert all(c == 1 for c in current.values()), current
        clerks = Counter(w.clerk for w in snap.windows.values() if w.clerk is not None)
        assert all(c == 1 for c in clerks.values()), clerks
        for w in snap.windows.values():
            assert (w.state == "open") == (w.clerk is not None), w
            assert w.state in ("open", "closed"), w
            if w.current is not None:
                leg = legs[w.current]
                assert leg.state in AT_WINDOW, (w, leg)
                assert leg.window == w.number, (w, leg)
                assert w.state == "open"
        for leg in legs.values():
            if leg.state == "waiting":
                assert leg.id not in current, leg
                assert leg.window is None, leg
            if leg.state in AT_WINDOW:
                assert current[leg.id] == 1, f"{leg.number} is {leg.state} at no window"

        # every call audited exactly once: a leg is called once, and again after each re-queue
        with self.db.reader() as s:
            calls = Counter(
                details["ticket_id"]
                for details in s.scalars(
                    select(AuditEntry.details).where(AuditEntry.action == "ticket.called")
                )
            )
        for leg in legs.values():
            expected = leg.requeue_count + (0 if leg.state == "waiting" else 1)
            assert calls[leg.id] == expected, (leg, calls[leg.id])


QueueMachine.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestQueueProperties = QueueMachine.TestCase
