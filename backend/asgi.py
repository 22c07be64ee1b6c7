"""ASGI entry point: Socket.IO on one asyncio loop, the Flask API in a pool of real threads.

    gunicorn -w 1 -k uvicorn_worker.UvicornWorker -b 0.0.0.0:5000 backend.asgi:app

``onestop serve`` runs the same app with uvicorn. The push side starts with the ASGI lifespan
(uvicorn's default; do not run it with ``--lifespan off``). ``ONESTOP_HTTP_THREADS`` (default
64) sizes the thread pool of the Flask API; configuration otherwise comes from the environment
as for ``backend.wsgi`` (ONESTOP_DATABASE_URL, ONESTOP_MESSAGE_QUEUE, ...).
"""

from __future__ import annotations

import asyncio
import os

import socketio
from a2wsgi import WSGIMiddleware
from flask import Flask

HTTP_THREADS = 64
LOGIN_PATH = "/api/v1/auth/login"


class LoginDamper:
    """ASGI wrapper for the login route: at most ``slots`` logins run in the API's threads at
    once (the others wait on the loop, costing no thread), and a refused login's answer (403,
    429) is held back ``delay`` seconds on the loop before it is sent. A login flood then slows
    itself instead of taking the threads and the CPU the kiosks and counters need; a person who
    mistyped waits a second."""

    def __init__(self, app, slots: int = 4, delay: float = 1.0, path: str = LOGIN_PATH):
        self.app, self.slots, self.delay, self.path = app, slots, delay, path
        self._semaphore: asyncio.Semaphore | None = None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("path") != self.path:
            return await self.app(scope, receive, send)
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.slots)
        answer: list[dict] = []

        async def keep(message):
            answer.append(message)

        async with self._semaphore:
            await self.app(scope, receive, keep)
        status = next((m["status"] for m in answer if m["type"] == "http.response.start"), 200)
        if status in (403, 429):
            await asyncio.sleep(self.delay)
        for message in answer:
            await send(message)


def build(flask_app: Flask, workers: int | None = None) -> socketio.ASGIApp:
    """``flask_app`` behind its live hub: ``/socket.io/`` goes to the AsyncServer, the rest
    to Flask in ``workers`` threads; the hub starts and stops with the ASGI lifespan."""
    hub = flask_app.extensions["onestop"].live
    workers = workers or int(os.environ.get("ONESTOP_HTTP_THREADS", HTTP_THREADS))
    return socketio.ASGIApp(
        hub.sio,
        # a2wsgi's Environ TypedDict vs Flask's dict[str, Any] environ: the same WSGI callable
        other_asgi_app=LoginDamper(WSGIMiddleware(flask_app, workers=workers)),  # type: ignore[arg-type]
        socketio_path="socket.io",
        on_startup=hub.start,
        on_shutdown=hub.stop,
    )


def __getattr__(name: str):
    """``backend.asgi:app`` is built on first access, so importing ``build`` creates nothing."""
    if name != "app":
        raise AttributeError(name)
    from .app import create_app

    globals()["app"] = application = build(create_app())
    return application
