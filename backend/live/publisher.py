"""Routes committed events to Socket.IO rooms.

Rooms: ``staff:<hall>`` (clerks, managers), ``kiosk:<hall>``, ``display:<hall>:<area>``,
``pad:<hall>`` (rating pads). Every room receives every sequence number of its hall, so a client
can detect a gap; an event that belongs to another display area reaches that area only as
``{"seq", "type": "skip"}``. Rating pads get the full event only for ``rating.requested`` (which
window asks, the ticket number, the item's name) and a skip for everything else.
"""

from __future__ import annotations

import logging

from flask_socketio import SocketIO

from ..db.uow import PublishedEvent

log = logging.getLogger(__name__)
NAMESPACE = "/hall"

socketio = SocketIO()


def staff_room(hall_id: int) -> str:
    return f"staff:{hall_id}"


def kiosk_room(hall_id: int) -> str:
    return f"kiosk:{hall_id}"


def display_room(hall_id: int, area: str) -> str:
    return f"display:{hall_id}:{area}"


def pad_room(hall_id: int) -> str:
    return f"pad:{hall_id}"


class SocketIOPublisher:
    """Emits each event once per room; never raises into the request that committed it."""

    def __init__(self, sio: SocketIO, areas_of: callable):
        self.sio = sio
        self.areas_of = areas_of  # hall_id -> display areas of that hall (plus "all")

    def publish(self, events: list[PublishedEvent]) -> None:
        for event in events:
            try:
                self._route(event)
            except Exception:  # a push failure must not undo or fail a committed change
                log.exception("could not push event %s/%s", event.hall_id, event.seq)

    def _route(self, event: PublishedEvent) -> None:
        full = event.to_json()
        public = {**full, "data": public_view(full["data"])}
        skip = {"seq": event.seq, "type": "skip", "at": full["at"]}
        staff_only = event.type.startswith(STAFF_ONLY_TYPES)
        self.sio.emit("event", full, to=staff_room(event.hall_id), namespace=NAMESPACE)
        self.sio.emit(
            "event", skip if staff_only else full, to=kiosk_room(event.hall_id), namespace=NAMESPACE
        )
        self.sio.emit(
            "event",
            public if event.type in PAD_TYPES else skip,
            to=pad_room(event.hall_id),
            namespace=NAMESPACE,
        )
        area = event.payload.get("area") if isinstance(event.payload, dict) else None
        for display_area in self.areas_of(event.hall_id):
            visible = not staff_only and (
                area is None or display_area == "all" or display_area == area
            )
            payload = public if visible else skip
            self.sio.emit(
                "event", payload, to=display_room(event.hall_id, display_area), namespace=NAMESPACE
            )


# Case work (cases, ratings, rectifications, overdue records) is for staff only: public screens
# and kiosks get these as skips, which keeps their sequence gap-free.
STAFF_ONLY_TYPES = ("case.", "evaluation.", "rectification.", "overdue.", "follow_up.", "rating.")
# What a rating pad needs: the request to show its five buttons (number and item, no names).
PAD_TYPES = frozenset({"rating.requested"})
STAFF_ONLY_KEYS = frozenset({"clerk", "from", "priority_reason", "note"})


def public_view(data):
    """What a public screen may receive: no staff names, notes or green-channel reasons."""
    if isinstance(data, dict):
        return {k: public_view(v) for k, v in data.items() if k not in STAFF_ONLY_KEYS}
    if isinstance(data, list):
        return [public_view(v) for v in data]
    return data
