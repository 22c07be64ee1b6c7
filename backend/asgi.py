"""ASGI entry point: Socket.IO on one asyncio loop, the Flask API in a pool of real threads.

    gunicorn -w 1 -k uvicorn_worker.UvicornWorker -b 0.0.0.0:5000 backend.asgi:app

``onestop serve`` runs the same app with uvicorn. The push side starts with the ASGI lifespan
(uvicorn's default; do not run it with ``--lifespan off``). ``ONESTOP_HTTP_THREADS`` (default
64) sizes the thread pool of the Flask API; configuration otherwise comes from the environment
as for ``backend.wsgi`` (ONESTOP_DATABASE_URL, ONESTOP_MESSAGE_QUEUE, ...).
"""

from __future__ import annotations

import os

import socketio
from a2wsgi import WSGIMiddleware
from flask import Flask

HTTP_THREADS = 64


def build(flask_app: Flask, workers: int | None = None) -> socketio.ASGIApp:
    """``flask_app`` behind its live hub: ``/socket.io/`` goes to the AsyncServer, the rest
    to Flask in ``workers`` threads; the hub starts and stops with the ASGI lifespan."""
    hub = flask_app.extensions["onestop"].live
    workers = workers or int(os.environ.get("ONESTOP_HTTP_THREADS", HTTP_THREADS))
    return socketio.ASGIApp(
        hub.sio,
        other_asgi_app=WSGIMiddleware(flask_app, workers=workers),
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
