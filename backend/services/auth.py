"""Staff accounts, login tokens and device tokens. Secrets are stored only as hashes."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, bindparam, literal, null, select, union_all, update
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from ..db.models import ApiToken, Device, Hall, User
from ..db.uow import Actor, UnitOfWork, rowcount
from ..domain.errors import Conflict, InvalidInput, NotFound

# supervisor: 督查督办, reads the halls below its own (see api.framework.may_enter)
ROLES = ("clerk", "manager", "admin", "supervisor")
TOKEN_HOURS = 14  # one working day including extended hours
MIN_PASSWORD = 8

# New passwords: werkzeug's scrypt, n=2**15 r=8 p=1 (~60 ms and 32 MiB a check). The parameters
# are part of the stored hash ("scrypt:32768:8:1$salt$hash"), so a check uses the ones the hash
# was made with, whatever this process would choose for a new one.
PASSWORD_METHOD = "scrypt:32768:8:1"
# Tests only: ONESTOP_TEST_FAST_PASSWORD_HASH=1 (set by tests/conftest.py; the servers that
# tests/live_server.py starts inherit it) hashes new passwords with n=2**10, ~50x cheaper;
# never set it for a real hall.
FAST_TEST_ENV = "ONESTOP_TEST_FAST_PASSWORD_HASH"
FAST_TEST_METHOD = "scrypt:1024:8:1"


def password_method() -> str:
    """The hash method for a new password: PASSWORD_METHOD, or FAST_TEST_METHOD under tests."""
    return FAST_TEST_METHOD if os.environ.get(FAST_TEST_ENV) == "1" else PASSWORD_METHOD


def hash_password(password: str) -> str:
    """The stored form of a password (method, parameters, salt and hash in one string)."""
    return generate_password_hash(password, method=password_method())


@dataclass(frozen=True)
class Principal:
    """Who a request comes from: a staff user (role clerk/manager/admin) or a device."""

    kind: str  # user | device
    id: int
    hall_id: int
    hall_code: str
    role: str  # clerk | manager | admin | supervisor | kiosk | display | printer | rating_pad
    name: str
    token_id: int | None = None
    hall_digest: str = field(default="", compare=False)  # the hall's config version

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    def actor(self) -> Actor:
        if self.kind == "user":
            return Actor(f"user:{self.name}", user_id=self.id)
        return Actor(f"device:{self.name}", device_id=self.id)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(
    uow: UnitOfWork,
    hall_code: str,
    username: str,
    display_name: str,
    role: str,
    password: str,
    actor: Actor,
) -> dict[str, Any]:
    if role not in ROLES:
        raise InvalidInput("bad_role", f"role must be one of {', '.join(ROLES)}", "role")
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            "weak_password", f"password needs at least {MIN_PASSWORD} characters", "password"
        )
    hall = _hall(uow.session, hall_code)
    exists = uow.session.scalar(
        select(User).where(User.hall_id == hall.id, User.username == username)
    )
    if exists:
        raise Conflict(
            "user_exists", f"user {username!r} already exists in hall {hall_code}", "username"
        )
    user = User(
        hall_id=hall.id,
        username=username,
        display_name=display_name,
        role=role,
        password_hash=hash_password(password),
        created_at=uow.now,
    )
    uow.session.add(user)
    uow.session.flush()
    uow.audit(hall.id, actor, "user.added", "user", username, {"role": role})
    return {"id": user.id, "username": username, "role": role}


def revoke_token(uow: UnitOfWork, principal: Principal) -> None:
    if principal.token_id is None:
        raise InvalidInput("not_a_login", "only a staff login token can be logged out", "token")
    uow.session.execute(
        update(ApiToken).where(ApiToken.id == principal.token_id).values(revoked_at=uow.now)
    )
    uow.audit(principal.hall_id, principal.actor(), "auth.logout", "user", principal.name)


def revoke_user_tokens(uow: UnitOfWork, hall_code: str, username: str, actor: Actor) -> int:
    hall = _hall(uow.session, hall_code)
    user = uow.session.scalar(
        select(User).where(User.hall_id == hall.id, User.username == username)
    )
    if user is None:
        raise NotFound("user_not_found", f"no user {username!r} in hall {hall_code}", "username")
    revoked = rowcount(
        uow.session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=uow.now)
        )
    )
    uow.audit(hall.id, actor, "auth.revoked", "user", username, {"tokens": revoked})
    return revoked


def issue_device_token(uow: UnitOfWork, hall_code: str, device_code: str, actor: Actor) -> str:
    """A new token for a device; the old one stops working at once."""
    hall = _hall(uow.session, hall_code)
    device = uow.session.scalar(
        select(Device).where(Device.hall_id == hall.id, Device.code == device_code)
    )
    if device is None:
        raise NotFound(
            "device_not_found", f"no device {device_code!r} in hall {hall_code}", "device"
        )
    token = secrets.token_urlsafe(32)
    device.token_hash = token_hash(token)
    uow.audit(hall.id, actor, "device.token_issued", "device", device_code)
    return token


def _token_owner_query():
    """Staff token or device token, with the hall's config digest, as one statement (built once:
    the token is a bind parameter)."""
    digest: BindParameter[str] = bindparam("digest")
    staff = (
        select(
            literal("user").label("kind"),
            User.id,
            Hall.id.label("hall_id"),
            Hall.code,
            Hall.config_digest,
            User.role,
            User.username.label("name"),
            ApiToken.id.label("token_id"),
            ApiToken.revoked_at,
            ApiToken.expires_at,
            User.active,
        )
        .join(User, ApiToken.user_id == User.id)
        .join(Hall, User.hall_id == Hall.id)
        .where(ApiToken.token_hash == digest)
    )
    devices = (
        select(
            literal("device"),
            Device.id,
            Hall.id,
            Hall.code,
            Hall.config_digest,
            Device.kind,
            Device.code,
            null(),
            null(),
            null(),
            Device.active,
        )
        .join(Hall, Device.hall_id == Hall.id)
        .where(Device.token_hash == digest)
    )
    return union_all(staff, devices)


_TOKEN_OWNER = _token_owner_query()


def authenticate(session: Session, token: str, now: datetime) -> Principal | None:
    """The staff user or device a token belongs to, in one statement (the hall's config digest
    comes along, so the request's hall context is a cache hit without another query)."""
    row = session.execute(_TOKEN_OWNER, {"digest": token_hash(token)}).first()
    if row is None or not row.active:
        return None
    if row.kind == "user" and (row.revoked_at is not None or row.expires_at <= now):
        return None
    return Principal(
        row.kind,
        row.id,
        row.hall_id,
        row.code,
        row.role,
        row.name,
        token_id=row.token_id,
        hall_digest=row.config_digest,
    )


def _hall(session: Session, code: str) -> Hall:
    hall = session.scalar(select(Hall).where(Hall.code == code))
    if hall is None:
        raise NotFound("hall_not_found", f"no hall with code {code!r}", "hall")
    return hall
