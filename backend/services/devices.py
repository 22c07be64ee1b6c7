"""Device heartbeats: kiosks and displays report that they are alive and how their printer is."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..db.models import Device
from ..db.uow import UnitOfWork
from ..domain.errors import Forbidden, NotFound
from .auth import Principal
from .halls import HallContext


def report_status(
    uow: UnitOfWork, ctx: HallContext, who: Principal, code: str, status: dict[str, Any], rid
) -> dict[str, Any]:
    """A device reports for itself only. A change of printer condition is audited and pushed;
    a plain heartbeat only refreshes ``last_seen_at``."""
    if who.kind != "device" or who.name != code:
        raise Forbidden("not_this_device", "a device reports only its own status", "device")
    device = uow.session.scalar(select(Device).where(Device.hall_id == ctx.id, Device.code == code))
    if device is None:
        raise NotFound("device_not_found", f"no device {code!r}", "device")
    previous = dict(device.status or {})
    device.last_seen_at = uow.now
    device.status = status
    view = device_view(device)
    if previous.get("printer") != status.get("printer") or previous.get("backend") != status.get(
        "backend"
    ):
        uow.audit(
            ctx.id,
            who.actor(),
            "device.status",
            "device",
            code,
            {"from": previous, "to": status},
            rid,
        )
        uow.emit(ctx.id, "device.status", view)
    return {"device": view}


def device_view(device: Device) -> dict[str, Any]:
    return {
        "code": device.code,
        "kind": device.kind,
        "name": device.name,
        "area": device.area,
        "last_seen_at": device.last_seen_at.isoformat() if device.last_seen_at else None,
        "status": device.status or {},
    }
