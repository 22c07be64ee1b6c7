"""``live``: the test module's own ``live_app`` served over HTTP and Socket.IO by uvicorn."""

from __future__ import annotations

import pytest

from tests.live.served import ServedApp


@pytest.fixture
def live(live_app):
    served = ServedApp(live_app).start()
    yield served
    served.stop()
