"""WSGI entry point, the API only (no Socket.IO): ``gunicorn -w 4 --threads 16 backend.wsgi:app``.

Serving displays and boards needs ``backend.asgi:app`` (or ``onestop serve``). An API-only
process next to push processes sets ONESTOP_MESSAGE_QUEUE so its events reach them through
Redis. Configuration comes from the environment (ONESTOP_DATABASE_URL, ONESTOP_MESSAGE_QUEUE, ...).
"""

from .app import create_app

app = create_app()
