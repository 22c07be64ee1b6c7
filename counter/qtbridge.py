"""The presenter's live-client factory for Qt: LiveClient callbacks delivered on the GUI thread
(QtCore only). The runner and scheduler are clientlib.qtbridge's."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from clientlib.live import LiveClient


class LiveBridge(QObject):
    """Carries LiveClient callbacks from the Socket.IO thread to slots on the GUI thread."""

    snapshot = Signal(object)
    live_event = Signal(object)  # not "event": that would shadow QObject.event()
    connection = Signal(bool)

    def __init__(self, on_snapshot, on_event, on_connection, parent: QObject | None = None):
        super().__init__(parent)
        self._on_snapshot, self._on_event, self._on_connection = (
            on_snapshot,
            on_event,
            on_connection,
        )
        self.snapshot.connect(self._snapshot)
        self.live_event.connect(self._event)
        self.connection.connect(self._connection)

    @Slot(object)
    def _snapshot(self, data) -> None:
        self._on_snapshot(data)

    @Slot(object)
    def _event(self, data) -> None:
        self._on_event(data)

    @Slot(bool)
    def _connection(self, up: bool) -> None:
        self._on_connection(up)


class BridgedLive:
    """A LiveClient whose callbacks are delivered on the GUI thread."""

    def __init__(self, client: LiveClient, bridge: LiveBridge):
        self.client, self.bridge = client, bridge

    def connect(self) -> None:
        self.client.connect()

    def close(self) -> None:
        """Disconnect, or stop reconnecting if the server is away (LiveClient.close does not)."""
        self.client.sio.shutdown()

    @property
    def connected(self) -> bool:
        return self.client.connected


def live_factory(base_url: str):
    """The presenter's `live_factory(token, on_snapshot, on_event, on_connection)`."""

    def make(token, on_snapshot, on_event, on_connection) -> BridgedLive:
        bridge = LiveBridge(on_snapshot, on_event, on_connection)
        client = LiveClient(
            base_url, token, bridge.snapshot.emit, bridge.live_event.emit, bridge.connection.emit
        )
        return BridgedLive(client, bridge)

    return make
