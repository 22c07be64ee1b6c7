"""Where each committed event goes: the Socket.IO rooms of its hall and what each room may see.

Rooms: ``staff:<hall>`` (clerks, managers), ``kiosk:<hall>``, ``display:<hall>:<area>``,
``pad:<hall>`` (rating pads). Every room receives every sequence number of its hall, so a client
can detect a gap; an event that belongs to another display area reaches that area only as
``{"seq", "type": "skip"}``. Rating pads get the full event only for ``rating.requested`` (which
window asks, the ticket number, the item's name) and a skip for everything else.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..db.uow import PublishedEvent

NAMESPACE = "/hall"

# Case work (cases, ratings, rectifications, overdue records) is for staff only: public screens
# and kiosks get these as skips, which keeps their sequence gap-free.
STAFF_ONLY_TYPES = ("case.", "evaluation.", "rectification.", "overdue.", "follow_up.", "rating.")
# What a rating pad needs: the request to show its five buttons (number and item, no names).
PAD_TYPES = frozenset({"rating.requested"})
STAFF_ONLY_KEYS = frozenset({"clerk", "from", "priority_reason", "note"})
# Sent the moment they are committed; everything else is batched per room (see fanout.py).
URGENT_TYPES = frozenset({"ticket.called", "ticket.recalled"})


def staff_room(hall_id: int) -> str:
    return f"staff:{hall_id}"


def kiosk_room(hall_id: int) -> str:
    return f"kiosk:{hall_id}"


def display_room(hall_id: int, area: str) -> str:
    return f"display:{hall_id}:{area}"


def pad_room(hall_id: int) -> str:
    return f"pad:{hall_id}"


def routes(event: PublishedEvent, display_areas: Iterable[str]) -> list[tuple[str, dict]]:
    """(room, message) for every room of the event's hall; ``display_areas`` are the areas
    that have a display connected (``"all"`` included when one shows the whole hall)."""
    full = event.to_json()
    public = {**full, "data": public_view(full["data"])}
    skip = {"seq": event.seq, "type": "skip", "at": full["at"]}
    staff_only = event.type.startswith(STAFF_ONLY_TYPES)
    hall = event.hall_id
    out = [
        (staff_room(hall), full),
        (kiosk_room(hall), skip if staff_only else full),
        (pad_room(hall), public if event.type in PAD_TYPES else skip),
    ]
    area = event.payload.get("area") if isinstance(event.payload, dict) else None
    for display_area in display_areas:
        visible = not staff_only and (area is None or display_area in ("all", area))
        out.append((display_room(hall, display_area), public if visible else skip))
    return out


def public_view(data: Any) -> Any:
    """What a public screen may receive: no staff names, notes or green-channel reasons."""
    if isinstance(data, dict):
        return {k: public_view(v) for k, v in data.items() if k not in STAFF_ONLY_KEYS}
    if isinstance(data, list):
        return [public_view(v) for v in data]
    return data
