"""Databases for tests: a fresh SQLite file per test (copied from a migrated template), and the
same tests on PostgreSQL in a private schema when ONESTOP_TEST_DATABASE_URL is set.

Staff passwords made during tests are hashed with cheap scrypt parameters (``auth.FAST_TEST_ENV``,
in this process and in the servers tests/live_server.py starts, which inherit the environment);
tests/test_password_hashing.py checks that a real hall still gets the strong ones.
"""

from __future__ import annotations

import os
import shutil
import uuid

import pytest
import sqlalchemy as sa

from backend.app import create_app
from backend.db.migrate import upgrade
from backend.db.models import Base
from backend.db.uow import RecordingPublisher
from backend.services.auth import FAST_TEST_ENV
from tests.support import FakeClock, HallClient, hall_config, setup_hall

PG_URL = os.environ.get("ONESTOP_TEST_DATABASE_URL")
os.environ.setdefault(FAST_TEST_ENV, "1")  # tests only (=0 to time the strong hash)


def pytest_report_header(config):
    pg = PG_URL.split("@")[-1] if PG_URL else "NOT SET: PostgreSQL variants are SKIPPED"
    return [f"onestop: PostgreSQL tests: {pg}"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_schema_url():
    if not PG_URL:
        yield None
        return
    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = sa.engine.make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    url = url.render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


def _truncate(url: str) -> None:
    engine = sa.create_engine(url)
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path, sqlite_template):
    if request.param == "sqlite":
        path = tmp_path / "onestop.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_schema_url")
    if url is None:
        pytest.skip("PostgreSQL not configured (ONESTOP_TEST_DATABASE_URL)")
    _truncate(url)
    return url


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def publisher():
    return RecordingPublisher()


@pytest.fixture
def app(db_url, clock, publisher, tmp_path):
    app = create_app(
        {
            "ONESTOP_DATABASE_URL": db_url,
            "ONESTOP_DATA_KEY_FILE": tmp_path / "data.key",
            "ONESTOP_CLOCK": clock,
            "ONESTOP_PUBLISHER": publisher,
            "ONESTOP_CHECK_RESPONSES": True,  # every 200 answer must fit its declared model
            "TESTING": True,
        }
    )
    yield app
    app.extensions["onestop"].db.dispose()


@pytest.fixture
def hall(app, db_url, clock) -> HallClient:
    tokens = setup_hall(db_url, hall_config("town"), clock())
    return HallClient(app, "town", tokens)


@pytest.fixture
def live_server(tmp_path):
    """A real server process on the demo hall (SQLite); ``.restart()`` restarts it."""
    from tests.live_server import LiveServer

    with LiveServer(tmp_path) as server:
        yield server


@pytest.fixture
def network(app, db_url, clock) -> dict[str, HallClient]:
    """The test county (county → town, east → cun) on one app: a HallClient per hall."""
    from tests.support import setup_network

    tokens = setup_network(db_url, clock())
    return {code: HallClient(app, code, t) for code, t in tokens.items()}
