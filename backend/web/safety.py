"""What every response and every log line carries for safety: a Content-Security-Policy that
allows no inline script and no framing, and status tokens shortened wherever they are logged
(a full ``/t/<token>`` in a log is a key to a resident's ticket, its case and its rating)."""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Response

# 'self' also covers the page's own ws:/wss: origin (CSP level 3) for Socket.IO; audio and
# fonts come from this server. CSSOM changes from scripts (el.style.x = ...) stay allowed.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "media-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


# A status token or an appointment's manage token in a resident page or API path: keep 4
# characters to tell log lines apart.
_TOKEN_IN_PATH = re.compile(
    r"(/t/|/a/|/api/v1/status/|/api/v1/appointments/)([^/?#\s\"']{0,4})[^/?#\s\"']*"
)


def redact(text: str) -> str:
    return _TOKEN_IN_PATH.sub(r"\1\2…", text)


def _redacted(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


def install_log_redaction() -> None:
    """Shorten status tokens in every log record from now on, whichever logger or handler
    (uvicorn's access log, gunicorn's, ours) writes it. Idempotent."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "onestop_redacts", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _redacted(v) for k, v in record.args.items()}
        return record

    factory.onestop_redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
