"""Who the driver acts as: the credentials file that ``onestop demo`` writes, staff logins (two
at a time, like the server's scrypt slots, waiting out a 429), device roles by ``/auth/me``."""

from __future__ import annotations

import asyncio
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .http import Api

ROLE_ORDER = {"clerk": 0, "manager": 1, "admin": 2}  # clerks staff windows first


@dataclass(frozen=True)
class Credentials:
    hall: str
    users: dict[str, str]  # username -> password
    devices: dict[str, str]  # device code -> token


@dataclass(frozen=True)
class Staff:
    username: str
    role: str
    token: str


def read_credentials(path: str | Path) -> Credentials:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return Credentials(
        str(data.get("hall", "")), dict(data.get("users", {})), dict(data.get("devices", {}))
    )


async def log_in(api: Api, users: dict[str, str], attempts: int = 10) -> list[Staff]:
    """Every user that logs in, clerks first; a user whose password is refused is left out."""
    slots = asyncio.Semaphore(2)

    async def one(username: str, password: str) -> Staff | None:
        body = {"hall": api.hall, "username": username, "password": password, "client": "simulate"}
        for _ in range(attempts):
            async with slots:
                reply = await api.post(
                    "login", "/api/v1/auth/login", None, body, {"login_busy", "login_throttled"}
                )
            if reply.ok:
                user = reply.body["user"]
                return Staff(user["username"], user["role"], reply.body["token"])
            if reply.status != 429:
                return None
            await asyncio.sleep(1.0)
        return None

    found = await asyncio.gather(*(one(u, p) for u, p in users.items()))
    staff = [s for s in found if s is not None]
    return sorted(staff, key=lambda s: (ROLE_ORDER.get(s.role, 9), s.username))


async def device_roles(api: Api, devices: dict[str, str]) -> dict[str, tuple[str, str]]:
    """code -> (role, token) for the device tokens the server accepts."""

    async def one(code: str, token: str):
        reply = await api.get("read", "/api/v1/auth/me", token)
        return code, (reply.body["role"] if reply.ok else None), token

    found = await asyncio.gather(*(one(c, t) for c, t in devices.items()))
    return {code: (role, token) for code, role, token in found if role}


class StaffPool:
    """Hands each window a user who is not at another window; a user the server says is signed
    in elsewhere (a person at a counter, say) is never handed out again."""

    def __init__(self, staff: list[Staff]):
        self.free = list(staff)
        self.gone: set[str] = set()

    def take(self, refused: set[str]) -> Staff | None:
        for user in self.free:
            if user.username not in refused and user.username not in self.gone:
                self.free.remove(user)
                return user
        return None

    def give_back(self, user: Staff) -> None:
        if user.username not in self.gone:
            self.free.append(user)

    def set_aside(self, user: Staff) -> None:
        self.gone.add(user.username)
