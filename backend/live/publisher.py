"""Where each committed event goes: the Socket.IO rooms of its hall and what each room may see.

Rooms: ``staff:<hall>`` (clerks, managers), ``kiosk:<hall>``, ``display:<hall>:<area>``,
``pad:<hall>:<window>`` (the rating pads of one window; ``pad:<hall>:-`` for a pad attached to
no window). Every room receives every sequence number of its hall, so a client can detect a
gap; whatever a room may not see reaches it only as ``{"seq", "type": "skip", "at"}``.

Staff rooms get every event in full, with ``"hall": <code>`` added (a supervisor's socket is in
the staff rooms of many halls and tells their sequences apart by it). Kiosks and displays get
the *public projection*: an allow-list per event type of the keys a public screen may show
(``PUBLIC``). A type that is not listed (case work, ratings, manager messages, device status,
anything new) is a skip, and a key that is not listed (clerk names, notes, pause reasons,
anything new) is left out. A rating pad gets ``rating.requested`` for its own window only
(number, item, window; no names).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..db.uow import PublishedEvent

NAMESPACE = "/hall"

# A key maps to None (the value as it is) or to the allow-list of the mapping it holds.
Fields = Mapping[str, "Fields | None"]

TICKET: Fields = dict.fromkeys(("number", "item", "item_name", "state", "called_at", "call_count"))
CALL: Fields = {**TICKET, **dict.fromkeys(("window", "window_name", "area"))}
WINDOW: Fields = {
    **dict.fromkeys(("number", "name", "area", "state", "state_since", "items")),
    "current": dict.fromkeys(("number", "state")),
}
PUBLIC: dict[str, Fields] = {
    "ticket.issued": {**TICKET, "waiting_for_item": None},
    "ticket.called": CALL,
    "ticket.recalled": CALL,
    "ticket.started": CALL,
    "ticket.finished": CALL,
    "ticket.no_show": CALL,
    "ticket.transferred": CALL,
    "ticket.cancelled": TICKET,
    "ticket.requeued": {**TICKET, "target_window": None},
    **{
        f"window.{action}": WINDOW
        for action in ("opened", "paused", "resumed", "closed", "staffed", "handed_over")
    },
    "catalog.changed": {"digest": None},
}
# Staff rooms only (not in PUBLIC, so kiosks and displays get a skip): appointments (预约).
STAFF_ONLY = frozenset(
    f"appointment.{what}" for what in ("booked", "cancelled", "moved", "checked_in", "no_show")
)
assert not STAFF_ONLY & PUBLIC.keys()
# What a rating pad needs to show its five buttons.
PAD: dict[str, Fields] = {
    "rating.requested": dict.fromkeys(("window", "window_name", "number", "item_name")),
}
# Sent the moment they are committed; everything else is batched per room (see fanout.py).
URGENT_TYPES = frozenset({"ticket.called", "ticket.recalled"})
NO_WINDOW = "-"


def staff_room(hall_id: int) -> str:
    return f"staff:{hall_id}"


def kiosk_room(hall_id: int) -> str:
    return f"kiosk:{hall_id}"


def display_room(hall_id: int, area: str) -> str:
    return f"display:{hall_id}:{area}"


def pad_room(hall_id: int, window: int | None) -> str:
    return f"pad:{hall_id}:{NO_WINDOW if window is None else window}"


def routes(
    event: PublishedEvent,
    display_areas: Iterable[str],
    pad_windows: Iterable[int | None] = (),
    hall_code: str | None = None,
) -> list[tuple[str, dict]]:
    """(room, message) for every room of the event's hall; ``display_areas`` are the areas
    that have a display connected (``"all"`` included when one shows the whole hall),
    ``pad_windows`` the windows with a rating pad connected (None: a pad with no window),
    ``hall_code`` the hall's code for the staff message (None: unknown, nobody watches it)."""
    full = event.to_json()
    skip = {"seq": event.seq, "type": "skip", "at": full["at"]}
    hall = event.hall_id
    fields = PUBLIC.get(event.type)
    public = skip if fields is None else {**full, "data": project(full["data"], fields)}
    staff = full if hall_code is None else {**full, "hall": hall_code}
    out = [(staff_room(hall), staff), (kiosk_room(hall), public)]
    payload = event.payload if isinstance(event.payload, dict) else {}
    area = payload.get("area")
    for display_area in display_areas:
        visible = area is None or display_area in ("all", area)
        out.append((display_room(hall, display_area), public if visible else skip))
    pad_fields = PAD.get(event.type)
    for window in pad_windows:
        mine = window is not None and payload.get("window") == window
        if pad_fields is not None and mine:
            message = {**full, "data": project(full["data"], pad_fields)}
        else:
            message = skip
        out.append((pad_room(hall, window), message))
    return out


def project(data: Any, fields: Fields) -> Any:
    """Only the allowed keys of ``data`` (recursively for nested allow-lists)."""
    if not isinstance(data, dict):
        return None
    out = {}
    for key, sub in fields.items():
        if key not in data:
            continue
        value = data[key]
        out[key] = value if sub is None else project(value, sub)
    return out


def public_window(view: dict[str, Any]) -> dict[str, Any]:
    """A window as a public screen may show it (snapshots use the same allow-list as events)."""
    return project(view, WINDOW)
