"""Socket.IO: the publisher that pushes committed events to the hall's room."""

from __future__ import annotations

from flask_socketio import SocketIO

from .db.uow import PublishedEvent

socketio = SocketIO()


def hall_room(hall_id: int) -> str:
    return f"hall:{hall_id}"


class SocketIOPublisher:
    """Emits each committed event to its hall's room. Runs after commit, never inside it."""

    def __init__(self, sio: SocketIO):
        self.sio = sio

    def publish(self, events: list[PublishedEvent]) -> None:
        for event in events:
            self.sio.emit("event", event.to_json(), to=hall_room(event.hall_id), namespace="/hall")
