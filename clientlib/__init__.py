"""Shared client library for the kiosk and the counter terminal. Never imports the backend."""
