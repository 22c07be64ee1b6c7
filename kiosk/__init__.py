"""Touchscreen ticket kiosk (取号机) for the one-stop service hall. Never imports the backend."""

__version__ = "0.1.0"
