"""Password hashes: a real hall gets strong scrypt, tests a cheap one, and a stored hash of
either kind verifies at login (its parameters are part of the stored string)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from backend.db.uow import Actor, UnitOfWork
from backend.services import auth
from tests.live_server import ROOT
from tests.support import PASSWORD


def _stored(db_url: str, username: str) -> str:
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        value = conn.execute(
            sa.text("SELECT password_hash FROM users WHERE username = :u"), {"u": username}
        ).scalar_one()
    engine.dispose()
    return value


def test_a_real_hall_hashes_with_strong_scrypt():
    """Without the test switch (a fresh interpreter with the environment of a real server)."""
    env = {k: v for k, v in os.environ.items() if k != auth.FAST_TEST_ENV}
    code = "from backend.services import auth; print(auth.hash_password('s3cret-pass'))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out.startswith("scrypt:32768:8:1$")
    assert auth.PASSWORD_METHOD == "scrypt:32768:8:1"


def test_tests_hash_cheaply():
    if os.environ[auth.FAST_TEST_ENV] != "1":
        pytest.skip(f"{auth.FAST_TEST_ENV}=0: this run times the strong hash")
    assert auth.hash_password("s3cret-pass").startswith("scrypt:1024:8:1$")


@pytest.mark.parametrize("method", [auth.PASSWORD_METHOD, auth.FAST_TEST_METHOD])
def test_a_stored_hash_of_either_strength_logs_in(hall, db_url, clock, monkeypatch, method):
    monkeypatch.setattr(auth, "password_method", lambda: method)
    db = hall.app.extensions["onestop"].db
    with UnitOfWork(db, clock()) as uow:
        auth.add_user(uow, "town", "newclerk", "新同事", "clerk", PASSWORD, Actor("test"))
        uow.commit()
    assert _stored(db_url, "newclerk").startswith(method + "$")
    monkeypatch.undo()  # the server's own method is irrelevant to the check
    ok = hall.client.post(
        "/api/v1/auth/login", json={"hall": "town", "username": "newclerk", "password": PASSWORD}
    )
    assert ok.status_code == 200, ok.get_json()
    bad = hall.client.post(
        "/api/v1/auth/login", json={"hall": "town", "username": "newclerk", "password": "wrong-one"}
    )
    assert bad.status_code == 403
