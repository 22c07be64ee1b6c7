"""Socket.IO handlers (asyncio): authenticate on connect, join rooms, send a snapshot, resync on
request, record device presence. Every database call runs in a worker thread (``hub.blocking``).

``auth`` is ``{"token": ...}``; staff pages that only need the sequence (the cases page reloads
its list over REST) add ``"view": "cases"`` and get a small snapshot instead of the board.
A supervisor (督查督办) joins the staff rooms of its own hall and of every hall below it and gets
the county board (``kind: "network"``, a sequence number per hall: events to staff rooms carry
their ``hall`` code); with ``"hall": <code>`` of a hall below its own it drills down into that
hall alone (its board, or with ``"view": "cases"`` its cases page's snapshot).
A resident's phone sends ``{"status": <ticket status token>}`` instead and joins only its
ticket's room (``status_watch.py``)."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from socketio.exceptions import ConnectionRefusedError

from ..services.auth import Principal
from . import store
from .publisher import NAMESPACE, display_room, kiosk_room, pad_room, staff_room
from .store import SUPERVISOR, NoSuchHall, Viewer

if TYPE_CHECKING:
    from .hub import LiveHub

log = logging.getLogger(__name__)
VIEWS = frozenset({"cases", "network"})
# A device counts as gone this long after its last socket closed: a page reload or a server
# restart (pending writes are dropped at shutdown) records no offline/online flap.
OFFLINE_GRACE_SECONDS = 2.0


def rooms_of(viewer: Viewer) -> list[str]:
    principal = viewer.principal
    if principal.role == "display":
        return [display_room(principal.hall_id, viewer.area or "all")]
    if principal.role == "kiosk":
        return [kiosk_room(principal.hall_id)]
    if principal.role in ("clerk", "manager", "admin", SUPERVISOR):
        return [staff_room(hall) for hall in viewer.watched()]
    if principal.role == "rating_pad":
        return [pad_room(principal.hall_id, viewer.window)]
    raise ConnectionRefusedError(f"unauthorized: role {principal.role} has no live view")


class Handlers:
    def __init__(self, hub: LiveHub):
        self.hub = hub
        self.clients: dict[str, Viewer] = {}  # sid -> who is connected
        self._sockets: Counter[str] = Counter()  # principal key -> sockets open here
        self._areas: defaultdict[int, Counter[str]] = defaultdict(Counter)  # displays per area
        self._pads: defaultdict[int, Counter[int | None]] = defaultdict(Counter)  # per window
        self._presence_order: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._going: dict[str, asyncio.TimerHandle] = {}  # offline writes waiting out the grace
        self._tasks: set[asyncio.Task] = set()
        self._codes: dict[int, str] = {}  # hall id -> code, of the halls watched here

    def register(self, sio) -> None:
        sio.on("connect", self.on_connect, namespace=NAMESPACE)
        sio.on("resync", self.on_resync, namespace=NAMESPACE)
        sio.on("heartbeat", self.on_heartbeat, namespace=NAMESPACE)
        sio.on("disconnect", self.on_disconnect, namespace=NAMESPACE)

    async def on_connect(self, sid, _environ, auth=None):
        auth = auth if isinstance(auth, dict) else {}
        if "status" in auth and "token" not in auth:
            await self.hub.status_watch.connect(sid, auth["status"])
            return
        token, view, hall = auth.get("token"), auth.get("view"), auth.get("hall")
        view = view if isinstance(view, str) and view in VIEWS else None
        if not token or not isinstance(token, str) or len(token) > 200:
            raise ConnectionRefusedError("unauthorized: a device or staff token is required")
        if hall is not None and (not isinstance(hall, str) or not 0 < len(hall) <= 32):
            raise ConnectionRefusedError("unauthorized: hall must be a hall code")
        hub = self.hub
        try:
            viewer = await hub.blocking(store.sign_in, hub.db, token, hub.clock(), view, hall)
        except NoSuchHall:
            raise ConnectionRefusedError(f"unauthorized: no hall {hall!r}") from None
        if viewer is None:
            raise ConnectionRefusedError("unauthorized: invalid or revoked token")
        rooms = rooms_of(viewer)
        # known before the socket is in a room: every message it gets there names its hall
        self._codes[viewer.principal.hall_id] = viewer.principal.hall_code
        self._codes.update(viewer.halls)
        try:
            for watched in viewer.watched():  # before the snapshot is read
                await hub.relay.watch(watched)
            for room in rooms:
                await hub.sio.enter_room(sid, room, namespace=NAMESPACE)
            self._add(sid, viewer)
            if viewer.principal.kind == "device":
                await self._presence(viewer.principal)
            await self._send_snapshot(sid, viewer)
        except Exception as exc:
            log.exception("live connect failed")
            self._drop(sid)
            raise ConnectionRefusedError("unavailable: try again shortly") from exc

    async def on_resync(self, sid, _data=None):
        if self.hub.status_watch.watching(sid):
            await self.hub.status_watch.resync(sid)
            return
        viewer = self.clients.get(sid)
        if viewer is not None:
            await self._send_snapshot(sid, viewer)

    async def on_heartbeat(self, sid, _data=None):
        viewer = self.clients.get(sid)
        if viewer is not None and viewer.principal.kind == "device":
            await self._presence(viewer.principal)

    async def on_disconnect(self, sid, *_reason):
        self.hub.status_watch.drop(sid)
        self._drop(sid)

    def display_areas(self, hall_id: int) -> list[str]:
        """The areas with a display connected to this process (the display rooms to serve)."""
        return [area for area, count in self._areas[hall_id].items() if count > 0]

    def pad_windows(self, hall_id: int) -> list[int | None]:
        """The windows with a rating pad connected to this process (None: a pad of no window)."""
        return [window for window, count in self._pads[hall_id].items() if count > 0]

    def connected_count(self) -> int:
        return len(self.clients)

    def hall_code(self, hall_id: int) -> str | None:
        """The code of a hall a socket here watches (staff messages carry it), else None."""
        return self._codes.get(hall_id)

    def _add(self, sid: str, viewer: Viewer) -> None:
        self.clients[sid] = viewer
        self._sockets[viewer.principal.key] += 1
        if viewer.principal.role == "display":
            self._areas[viewer.principal.hall_id][viewer.area or "all"] += 1
        if viewer.principal.role == "rating_pad":
            self._pads[viewer.principal.hall_id][viewer.window] += 1

    def _drop(self, sid: str) -> None:
        viewer = self.clients.pop(sid, None)
        if viewer is None:
            return
        self._sockets[viewer.principal.key] -= 1
        if viewer.principal.role == "display":
            self._areas[viewer.principal.hall_id][viewer.area or "all"] -= 1
        if viewer.principal.role == "rating_pad":
            self._pads[viewer.principal.hall_id][viewer.window] -= 1
        key = viewer.principal.key
        if viewer.principal.kind == "device" and self._sockets[key] == 0 and key not in self._going:
            loop = asyncio.get_running_loop()
            self._going[key] = loop.call_later(OFFLINE_GRACE_SECONDS, self._gone, viewer.principal)

    def _gone(self, principal: Principal) -> None:
        self._going.pop(principal.key, None)
        task = asyncio.get_running_loop().create_task(self._record_offline(principal))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _record_offline(self, principal: Principal) -> None:
        try:
            await self._presence(principal)  # online again if it came back meanwhile
        except Exception:
            log.exception("could not record that %s went offline", principal.name)

    async def stop(self) -> None:
        """Shutdown: sockets closed by the shutdown itself are not devices going offline."""
        for timer in self._going.values():
            timer.cancel()
        self._going.clear()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _send_snapshot(self, sid: str, viewer: Viewer) -> None:
        hub = self.hub
        data = await hub.blocking(store.snapshot, hub.db, viewer, hub.clock())
        await hub.sio.emit("snapshot", data, to=sid, namespace=NAMESPACE)

    async def _presence(self, principal: Principal) -> None:
        """Write whether the device has a socket here now; one write at a time per device, so a
        quick disconnect and reconnect can never end as offline."""
        async with self._presence_order[principal.key]:
            online = self._sockets[principal.key] > 0
            hub = self.hub
            await hub.blocking(
                store.mark_presence, hub.db, hub.publisher, principal, online, hub.clock()
            )
