"""Socket.IO handlers: authenticate on connect, join rooms, send a snapshot, resync on request.

``auth`` is ``{"token": ...}``; staff pages that only need the sequence (the cases page reloads
its list over REST) add ``"view": "cases"`` and get a small snapshot instead of the board."""

from __future__ import annotations

from flask import current_app, request
from flask_socketio import ConnectionRefusedError, emit, join_room

from ..api.framework import now
from ..db.models import Device, Hall
from ..db.uow import UnitOfWork
from ..services.auth import Principal, authenticate
from ..services.devices import device_view
from ..services.halls import context_of
from .publisher import NAMESPACE, display_room, kiosk_room, pad_room, socketio, staff_room
from .snapshots import (
    board_snapshot,
    cases_snapshot,
    display_snapshot,
    pad_snapshot,
    staff_snapshot,
)

VIEWS = frozenset({"cases"})


def _clients() -> dict[str, tuple[Principal, str | None, str | None]]:
    """Connected clients of this app: sid -> (principal, display area, requested view)."""
    return current_app.extensions.setdefault("onestop_live_clients", {})


def _db():
    return current_app.extensions["onestop"].db


def _snapshot(principal: Principal, area: str | None, view: str | None = None) -> dict:
    with UnitOfWork(_db(), now(), write=False) as uow:
        ctx = context_of(uow.session.get(Hall, principal.hall_id))
        if principal.role == "display":
            return display_snapshot(uow.session, ctx, area or "all", now())
        if principal.role == "rating_pad":
            return pad_snapshot(uow.session, ctx, uow.session.get(Device, principal.id), now())
        if view == "cases" and principal.role in ("clerk", "manager", "admin"):
            return cases_snapshot(uow.session, ctx, principal, now())
        if principal.role in ("manager", "admin"):
            return board_snapshot(uow.session, ctx, now())
        return staff_snapshot(uow.session, ctx, now())


@socketio.on("connect", namespace=NAMESPACE)
def on_connect(auth=None):
    token = (auth or {}).get("token") if isinstance(auth, dict) else None
    view = (auth or {}).get("view") if isinstance(auth, dict) else None
    view = view if isinstance(view, str) and view in VIEWS else None
    if not token or not isinstance(token, str) or len(token) > 200:
        raise ConnectionRefusedError("unauthorized: a device or staff token is required")
    with UnitOfWork(_db(), now(), write=False) as uow:
        principal = authenticate(uow.session, token, now())
        area = None
        if principal is not None and principal.kind == "device":
            area = uow.session.get(Device, principal.id).area
    if principal is None:
        raise ConnectionRefusedError("unauthorized: invalid or revoked token")
    if principal.role == "display":
        join_room(display_room(principal.hall_id, area or "all"))
    elif principal.role == "kiosk":
        join_room(kiosk_room(principal.hall_id))
    elif principal.role in ("clerk", "manager", "admin"):
        join_room(staff_room(principal.hall_id))
    elif principal.role == "rating_pad":
        join_room(pad_room(principal.hall_id))
    else:
        raise ConnectionRefusedError(f"unauthorized: role {principal.role} has no live view")
    _clients()[request.sid] = (principal, area, view)
    if principal.kind == "device":
        _mark_presence(principal, online=True)
    emit("snapshot", _snapshot(principal, area, view))


@socketio.on("resync", namespace=NAMESPACE)
def on_resync(_data=None):
    client = _clients().get(request.sid)
    if client is None:
        return
    emit("snapshot", _snapshot(*client))


@socketio.on("heartbeat", namespace=NAMESPACE)
def on_heartbeat(_data=None):
    client = _clients().get(request.sid)
    if client is not None and client[0].kind == "device":
        _mark_presence(client[0], online=True)


@socketio.on("disconnect", namespace=NAMESPACE)
def on_disconnect(*_args):
    client = _clients().pop(request.sid, None)
    if client is not None and client[0].kind == "device":
        still_connected = any(c[0].key == client[0].key for c in _clients().values())
        if not still_connected:
            _mark_presence(client[0], online=False)


def _mark_presence(principal: Principal, online: bool) -> None:
    """Record that a display/kiosk socket is (dis)connected; managers see the change live."""
    with UnitOfWork(_db(), now()) as uow:
        device = uow.session.get(Device, principal.id)
        was_online = (device.status or {}).get("online")
        device.last_seen_at = uow.now
        device.status = (device.status or {}) | {"online": online}
        if was_online != online:
            ctx = context_of(uow.session.get(Hall, principal.hall_id))
            uow.audit(
                ctx.id,
                principal.actor(),
                "device.online" if online else "device.offline",
                "device",
                principal.name,
            )
            uow.emit(ctx.id, "device.status", device_view(device))
        uow.commit(current_app.extensions["onestop"].publisher)


def connected_count() -> int:
    return len(_clients())
