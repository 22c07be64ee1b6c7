"""The real app in this process as the kiosk's HTTP session: clientlib.api.ApiClient calls go to
a Flask test client, so kiosk tests can use the app fixture and its FakeClock."""

from __future__ import annotations

from urllib.parse import urlsplit


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
