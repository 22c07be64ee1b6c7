"""The live layer's database work. Everything here is synchronous and runs in a worker thread,
never on the Socket.IO event loop."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..db.engine import Database
from ..db.models import Device, Event, Hall
from ..db.uow import PublishedEvent, Publisher, UnitOfWork, current_seq
from ..domain.ratings import pad_window
from ..services import network
from ..services.auth import Principal, authenticate
from ..services.devices import device_view
from ..services.halls import context_of
from .snapshots import (
    board_snapshot,
    cases_snapshot,
    display_snapshot,
    kiosk_snapshot,
    network_snapshot,
    pad_snapshot,
    staff_snapshot,
)

BACKFILL_LIMIT = 1000  # outbox rows read at a time


SUPERVISOR = "supervisor"


class NoSuchHall(LookupError):
    """A socket asked for a hall it may not see (or that does not exist)."""


@dataclass(frozen=True)
class Viewer:
    """A connected socket: who it is, its display area (displays), the view it asked for, the
    window it stands at (rating pads). A supervisor (督查督办) watches ``halls`` (id, code):
    with ``network`` its own hall and every hall below it (the county board), otherwise the one
    hall below its own it drills down into."""

    principal: Principal
    area: str | None = None
    view: str | None = None
    window: int | None = None
    halls: tuple[tuple[int, str], ...] = ()
    network: bool = False

    @property
    def hall_id(self) -> int:
        """The hall whose board, cases or queue the socket shows."""
        if self.halls and not self.network:
            return self.halls[0][0]
        return self.principal.hall_id

    def watched(self) -> list[int]:
        """The halls whose events reach this socket."""
        return [h for h, _ in self.halls] if self.halls else [self.principal.hall_id]


def sign_in(
    db: Database, token: str, now: datetime, view: str | None = None, hall: str | None = None
) -> Viewer | None:
    """Who the token is (None: nobody) and what it watches; ``hall``: another hall a supervisor
    looks into (``NoSuchHall`` unless it sits below the supervisor's own)."""
    with UnitOfWork(db, now, write=False) as uow:
        principal = authenticate(uow.session, token, now)
        if principal is None:
            return None
        area = window = None
        if principal.kind == "device":
            device = uow.session.get_one(Device, principal.id)
            area = device.area
            if principal.role == "rating_pad":
                window = pad_window(device.attached_to, device.name)
        if hall is not None and hall != principal.hall_code:
            if principal.role != SUPERVISOR or not network.oversees(
                uow.session, principal.hall_id, hall
            ):
                raise NoSuchHall(hall)
            node = next(n for n in network.nodes(uow.session).values() if n.code == hall)
            return Viewer(principal, view=view, halls=((node.id, node.code),))
        if principal.role == SUPERVISOR and hall is None and view in (None, "network"):
            below = network.below(uow.session, principal.hall_id)
            return Viewer(
                principal, view="network", halls=tuple((n.id, n.code) for n in below), network=True
            )
        return Viewer(principal, area, view, window)


def snapshot(db: Database, viewer: Viewer, now: datetime) -> dict:
    principal = viewer.principal
    with UnitOfWork(db, now, write=False) as uow:
        ctx = context_of(uow.session.get_one(Hall, viewer.hall_id))
        if viewer.network:
            return network_snapshot(uow.session, ctx, dict(viewer.halls), now)
        if principal.role == SUPERVISOR:  # one hall: its own or one below it
            if viewer.view == "cases":
                return cases_snapshot(uow.session, ctx, principal, now)
            return board_snapshot(uow.session, ctx, now)
        if principal.role == "display":
            return display_snapshot(uow.session, ctx, viewer.area or "all", now)
        if principal.role == "rating_pad":
            return pad_snapshot(uow.session, ctx, uow.session.get_one(Device, principal.id), now)
        if principal.role == "kiosk":
            return kiosk_snapshot(uow.session, ctx, now)
        if viewer.view == "cases" and principal.role in ("clerk", "manager", "admin"):
            return cases_snapshot(uow.session, ctx, principal, now)
        if principal.role in ("manager", "admin"):
            return board_snapshot(uow.session, ctx, now)
        return staff_snapshot(uow.session, ctx, now)


def mark_presence(
    db: Database, publisher: Publisher, principal: Principal, online: bool, now: datetime
) -> None:
    """Record that a device's socket is (dis)connected; managers see the change live."""
    with UnitOfWork(db, now) as uow:
        device = uow.session.get_one(Device, principal.id)
        was_online = (device.status or {}).get("online")
        device.last_seen_at = uow.now
        device.status = (device.status or {}) | {"online": online}
        if was_online != online:
            ctx = context_of(uow.session.get_one(Hall, principal.hall_id))
            uow.audit(
                ctx.id,
                principal.actor(),
                "device.online" if online else "device.offline",
                "device",
                principal.name,
            )
            uow.emit(ctx.id, "device.status", device_view(device))
        uow.commit(publisher)


def committed_seqs(db: Database, hall_ids: list[int] | None = None) -> dict[int, int]:
    """The last committed sequence number of each hall (of ``hall_ids``, or of every hall)."""
    with db.reader() as session:
        if hall_ids is None:
            hall_ids = list(session.scalars(select(Hall.id)))
        return {hall: current_seq(session, hall) for hall in hall_ids}


def outbox(db: Database, hall_id: int, first: int, last: int) -> list[PublishedEvent]:
    """Committed events ``first..last`` of a hall, in order (at most BACKFILL_LIMIT)."""
    last = min(last, first + BACKFILL_LIMIT - 1)
    stmt = (
        select(Event)
        .where(Event.hall_id == hall_id, Event.seq >= first, Event.seq <= last)
        .order_by(Event.seq)
    )
    with db.reader() as session:
        return [
            PublishedEvent(e.hall_id, e.seq, e.type, e.payload, e.created_at)
            for e in session.scalars(stmt)
        ]
