"""WSGI entry point for gunicorn: ``gunicorn -w 1 --threads 64 backend.wsgi:app``.

Configuration comes from the environment (ONESTOP_DATABASE_URL, ONESTOP_MESSAGE_QUEUE, ...).
"""

from .app import create_app

app = create_app()
