"""Staff login with the password check kept off the database's write path.

The scrypt check (~60 ms and 32 MiB each) runs outside any transaction, at most
``HASH_SLOTS`` at a time; repeated failures per (hall, user) and per client address are refused
with 429 and a ``Retry-After`` before any hashing; every failed check is audited, and the first
refusal of each throttle period too (not every refused try, so a flood cannot fill the log).
Throttle counts live in the server process (several processes each count their own).
"""

from __future__ import annotations

import functools
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from werkzeug.security import check_password_hash

from ..db.engine import Database
from ..db.models import ApiToken, Hall, User
from ..db.uow import Actor, UnitOfWork
from ..domain.errors import Forbidden, TooMany
from ..domain.throttle import FailureThrottle
from .auth import TOKEN_HOURS, hash_password, token_hash

HASH_SLOTS = 2  # concurrent scrypt checks (this machine's cores)
HASH_WAIT_SECONDS = 3.0


@functools.cache
def _dummy_hash() -> str:
    """Checked for an unknown user, so that a miss costs as much as a wrong password."""
    return hash_password("not-a-real-password")


@dataclass
class LoginGuard:
    """Per-process login limits: failures per user and per address, and hashing slots."""

    per_user: FailureThrottle
    per_address: FailureThrottle
    slots: threading.BoundedSemaphore
    lock: threading.Lock

    @classmethod
    def default(cls) -> LoginGuard:
        return cls(
            per_user=FailureThrottle(limit=5, window=300),
            per_address=FailureThrottle(limit=30, window=300),
            slots=threading.BoundedSemaphore(HASH_SLOTS),
            lock=threading.Lock(),
        )

    def wait_for(self, user_key, address: str) -> int | None:
        now = time.monotonic()
        with self.lock:
            found = (
                self.per_user.retry_after(user_key, now),
                self.per_address.retry_after(address, now),
            )
        waits = [w for w in found if w is not None]
        return max(waits) if waits else None

    def failed(self, user_key, address: str) -> bool:
        """Count a failure; True when it made the user or the address throttled."""
        now = time.monotonic()
        with self.lock:
            self.per_user.failed(user_key, now)
            self.per_address.failed(address, now)
            return (
                self.per_user.retry_after(user_key, now) is not None
                or self.per_address.retry_after(address, now) is not None
            )

    def succeeded(self, user_key) -> None:
        with self.lock:
            self.per_user.clear(user_key)


@dataclass(frozen=True)
class _Account:
    hall_id: int
    user_id: int
    username: str
    display_name: str
    role: str
    password_hash: str
    active: bool


def login(
    db: Database,
    guard: LoginGuard,
    now: datetime,
    hall_code: str,
    username: str,
    password: str,
    client: str,
    address: str,
) -> dict[str, Any]:
    user_key = (hall_code, username.casefold())
    wait = guard.wait_for(user_key, address)
    if wait is not None:
        raise TooMany(
            "login_throttled",
            f"登录失败次数过多，请 {wait} 秒后再试 / too many failed logins; retry in {wait} s",
            "password",
            retry_after=wait,
        )
    with UnitOfWork(db, now, write=False) as uow:
        hall_id, account = _find(uow, hall_code, username)
    ok = _check(guard, account.password_hash if account else _dummy_hash(), password)
    if account is None or not ok or not account.active:
        throttled = guard.failed(user_key, address)
        _audit_failure(db, now, hall_id, username, client, address, throttled)
        raise Forbidden(
            "bad_credentials", "用户名或密码错误 / wrong username or password", "password"
        )
    guard.succeeded(user_key)
    return _open_session(db, now, hall_code, account, client)


def _find(uow: UnitOfWork, hall_code: str, username: str) -> tuple[int | None, _Account | None]:
    row = uow.session.execute(
        select(
            Hall.id,
            User.id,
            User.username,
            User.display_name,
            User.role,
            User.password_hash,
            User.active,
        )
        .select_from(Hall)
        .outerjoin(User, (User.hall_id == Hall.id) & (User.username == username))
        .where(Hall.code == hall_code)
    ).first()
    if row is None:
        return None, None
    if row[1] is None:
        return row[0], None
    return row[0], _Account(*row)


def _check(guard: LoginGuard, password_hash: str, password: str) -> bool:
    """The hash check, at most HASH_SLOTS at a time; a login that cannot get a slot soon is
    told to come back (the hashes it would queue behind are all guesses or a flood)."""
    if not guard.slots.acquire(timeout=HASH_WAIT_SECONDS):
        raise TooMany("login_busy", "登录繁忙，请稍后再试 / login is busy; retry shortly", None)
    try:
        return check_password_hash(password_hash, password)
    finally:
        guard.slots.release()


def _audit_failure(db, now, hall_id, username, client, address, throttled: bool) -> None:
    with UnitOfWork(db, now) as uow:
        details = {"client": client[:60], "address": address[:64]}
        uow.audit(hall_id, Actor(f"anon:{address[:64]}"), "auth.failed", "user", username, details)
        if throttled:
            uow.audit(
                hall_id, Actor(f"anon:{address[:64]}"), "auth.throttled", "user", username, details
            )
        uow.commit()


def _open_session(db, now, hall_code: str, account: _Account, client: str) -> dict[str, Any]:
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(hours=TOKEN_HOURS)
    with UnitOfWork(db, now) as uow:
        uow.session.add(
            ApiToken(
                user_id=account.user_id,
                token_hash=token_hash(token),
                client=client[:60],
                created_at=now,
                expires_at=expires_at,
            )
        )
        uow.audit(
            account.hall_id,
            Actor(f"user:{account.username}", user_id=account.user_id),
            "auth.login",
            "user",
            account.username,
            {"client": client[:60]},
        )
        uow.commit()
    return {
        "token": token,
        "expires_at": expires_at.isoformat(),
        "user": {
            "username": account.username,
            "display_name": account.display_name,
            "role": account.role,
            "hall": hall_code,
        },
    }
