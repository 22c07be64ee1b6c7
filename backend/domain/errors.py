"""Errors raised by domain rules and services; the API maps ``kind`` to an HTTP status."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused an action. ``kind`` is one of: invalid, not_found, conflict, forbidden."""

    kind = "invalid"

    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    kind = "invalid"


class NotFound(DomainError):
    kind = "not_found"


class Conflict(DomainError):
    kind = "conflict"


class Forbidden(DomainError):
    kind = "forbidden"


class TooMany(DomainError):
    """Refused for now: too many attempts or too much load; ``retry_after`` is in seconds."""

    kind = "too_many"

    def __init__(self, code: str, message: str, field: str | None = None, retry_after: int = 1):
        super().__init__(code, message, field)
        self.retry_after = max(1, int(retry_after))
