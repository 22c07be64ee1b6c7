"""The ASGI login damper: bounded logins in the API's threads, refused answers held back."""

from __future__ import annotations

import asyncio
import time

from backend.asgi import LOGIN_PATH, LoginDamper


class FakeApp:
    def __init__(self, status: int):
        self.status, self.running, self.most = status, 0, 0

    async def __call__(self, scope, receive, send):
        self.running += 1
        self.most = max(self.most, self.running)
        await asyncio.sleep(0.02)
        self.running -= 1
        await send({"type": "http.response.start", "status": self.status, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})


def call(damper, path):
    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    return damper({"type": "http", "path": path}, receive, send), sent


def test_at_most_slots_logins_run_at_once():
    app = FakeApp(200)
    damper = LoginDamper(app, slots=3, delay=0.1)

    async def many():
        await asyncio.gather(*(call(damper, LOGIN_PATH)[0] for _ in range(12)))

    asyncio.run(many())
    assert app.most == 3


def test_a_refused_login_is_answered_after_the_delay_and_others_at_once():
    async def timed(status, path):
        damper = LoginDamper(FakeApp(status), slots=2, delay=1.0)
        coro, sent = call(damper, path)
        started = time.monotonic()
        await coro
        return time.monotonic() - started, [m["type"] for m in sent]

    waited, sent = asyncio.run(timed(429, LOGIN_PATH))
    assert waited >= 1.0 and sent == ["http.response.start", "http.response.body"]
    assert asyncio.run(timed(403, LOGIN_PATH))[0] >= 1.0
    assert asyncio.run(timed(200, LOGIN_PATH))[0] < 1.0
    assert asyncio.run(timed(429, "/api/v1/halls/x/tickets"))[0] < 1.0  # not a login


def test_other_routes_are_not_limited():
    app = FakeApp(200)
    damper = LoginDamper(app, slots=1, delay=0.1)

    async def many():
        await asyncio.gather(*(call(damper, "/api/v1/halls/x/tickets")[0] for _ in range(5)))

    asyncio.run(many())
    assert app.most == 5
