"""``live_app``: an app on the test's database and fake clock; ``live``: that app served over
HTTP and Socket.IO by uvicorn."""

from __future__ import annotations

import pytest

from backend.app import create_app
from tests.live.served import ServedApp


@pytest.fixture
def live_app(db_url, clock, tmp_path):
    app = create_app(
        {
            "ONESTOP_DATABASE_URL": db_url,
            "ONESTOP_CLOCK": clock,
            "ONESTOP_DATA_KEY_FILE": tmp_path / "data.key",
            "TESTING": True,
        }
    )
    yield app
    app.extensions["onestop"].db.dispose()


@pytest.fixture
def live(live_app):
    served = ServedApp(live_app).start()
    yield served
    served.stop()
