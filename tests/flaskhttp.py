"""The real app in this process as a client's HTTP session: clientlib.api.ApiClient calls go to
a Flask test client, so kiosk and counter tests can use the app fixture and its FakeClock.

`FlakySession` wraps it to fail on demand the way a network does (connection refused, a timeout
after the server acted, a 5xx) and records what was sent; it knows no server rule."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests


class FlaskResponse:
    def __init__(self, response):
        self._response = response
        self.status_code = response.status_code
        self.ok = response.status_code < 400
        self.headers = response.headers

    def json(self):
        body = self._response.get_json(silent=True)
        if body is None:
            raise ValueError("no JSON body")
        return body


class FlaskSession:
    """What ApiClient needs of a requests.Session: ``request(method, url, json, headers, timeout)``."""

    def __init__(self, app):
        self.client = app.test_client()

    def request(self, method, url, json=None, headers=None, timeout=None):
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return FlaskResponse(self.client.open(path, method=method, json=json, headers=headers))


@dataclass(frozen=True)
class Sent:
    """One request as the client sent it."""

    method: str
    path: str
    body: dict | None
    request_id: str | None  # the Idempotency-Key header

    @property
    def action(self) -> str:
        """The last path segment ("finish", "accept", "suspend"), without the query."""
        return self.path.split("?")[0].rstrip("/").rsplit("/", 1)[-1]


class FlakySession:
    """`down`: every request is refused before it reaches the server; `lose_answers` = n: the
    next n mutating requests reach the server but their answers are lost (a read timeout);
    `error_5xx` = n: the next n requests answer 503 without reaching the app."""

    def __init__(self, inner: FlaskSession):
        self.inner = inner
        self.down = False
        self.lose_answers = 0
        self.error_5xx = 0
        self.sent: list[Sent] = []
        self._lock = threading.Lock()
        self._serial = threading.Lock()  # one request at a time: the Qt runner has 4 threads

    def request(self, method, url, json=None, headers=None, timeout=None):
        path = urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")
        with self._lock:
            rid = (headers or {}).get("Idempotency-Key")
            self.sent.append(Sent(method, path, dict(json) if json is not None else None, rid))
            if self.down:
                raise requests.ConnectionError("connection refused (test: the network is down)")
            if self.error_5xx:
                self.error_5xx -= 1
                return _Unavailable()
            lose = method != "GET" and self.lose_answers > 0
            if lose:
                self.lose_answers -= 1
        with self._serial:
            response = self.inner.request(method, url, json=json, headers=headers, timeout=timeout)
        if lose:
            raise requests.Timeout("read timed out (test: the answer was lost)")
        return response

    def posts(self, action: str) -> list[Sent]:
        """The POSTs whose path ends in `action`, in the order sent."""
        return [s for s in self.sent if s.method == "POST" and s.action == action]

    def gets(self, fragment: str) -> int:
        """How many GETs had `fragment` in their path."""
        return sum(1 for s in self.sent if s.method == "GET" and fragment in s.path)


class _Unavailable:
    status_code = 503
    ok = False
    headers: dict = {}

    def json(self):
        return {"error": {"code": "unavailable", "message": "test: 503"}}
