"""HTTP client for the onestop API: bearer token, request ids, timeouts, safe retries.

A mutating call gets one request id and keeps it across retries, so a retry after a timeout or a
dropped connection can never act twice: the server replays its first answer.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import requests

if TYPE_CHECKING:
    from .config import ClientConfig


class ApiUnavailable(Exception):
    """The backend could not be reached (network down, server restarting, timeout)."""


@dataclass
class ApiError(Exception):
    """The backend answered with an error: status, code, message (Chinese/English), field."""

    status: int
    code: str
    message: str
    field: str | None = None
    retry_after: int | None = None  # seconds, from a 429's Retry-After

    def __str__(self) -> str:
        return self.message


def new_request_id() -> str:
    return uuid.uuid4().hex


class ApiClient:
    def __init__(
        self,
        base_url: str,
        hall: str,
        token: str | None = None,
        *,
        timeout: float = 5.0,
        retries: int = 2,
        retry_delay: float = 0.5,
        session: requests.Session | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.hall = hall
        self.token = token
        self.timeout = timeout
        self.retries = retries
        self.retry_delay = retry_delay
        self._shared_session = session
        self._local = threading.local()

    @property
    def http(self) -> requests.Session:
        """One HTTP session per thread: requests does not promise a Session is thread-safe."""
        if self._shared_session is not None:
            return self._shared_session
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    # -- plumbing ---------------------------------------------------------------------------
    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def hall_path(self, path: str) -> str:
        return f"/api/v1/halls/{self.hall}{path}"

    def request(
        self, method: str, path: str, json: dict | None = None, request_id: str | None = None
    ) -> Any:
        """One call; mutating calls carry ``request_id`` (made here if not given) on every try."""
        url = self.base_url + path
        headers = self._headers()
        if method != "GET":
            headers["Idempotency-Key"] = request_id or new_request_id()
        last: Exception | None = None
        for attempt in range(self.retries + 1):
            try:
                response = self.http.request(
                    method, url, json=json, headers=headers, timeout=self.timeout
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                last = exc
                if attempt < self.retries:
                    time.sleep(self.retry_delay * (attempt + 1))
                continue
            if response.status_code >= 500 and attempt < self.retries:
                time.sleep(self.retry_delay * (attempt + 1))
                continue
            return self._result(response)
        raise ApiUnavailable(f"服务器无法连接 / server unreachable: {last}") from last

    @staticmethod
    def _result(response: requests.Response) -> Any:
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.ok:
            return body
        err = (body or {}).get("error", {}) if isinstance(body, dict) else {}
        retry_after = response.headers.get("Retry-After", "")
        raise ApiError(
            response.status_code,
            err.get("code", "http_error"),
            err.get("message", f"HTTP {response.status_code}"),
            err.get("field"),
            int(retry_after) if retry_after.isdigit() else None,
        )

    def get(self, path: str) -> Any:
        return self.request("GET", path)

    def post(self, path: str, body: dict | None = None, request_id: str | None = None) -> Any:
        return self.request("POST", path, body or {}, request_id)

    # -- calls ------------------------------------------------------------------------------
    def login(self, username: str, password: str, client: str = "") -> dict:
        result = self.request(
            "POST",
            "/api/v1/auth/login",
            {"hall": self.hall, "username": username, "password": password, "client": client},
            request_id="login",
        )
        self.token = result["token"]
        return result

    def logout(self) -> None:
        self.post("/api/v1/auth/logout")
        self.token = None

    def me(self) -> dict:
        return self.get("/api/v1/auth/me")

    def catalog(self) -> dict:
        return self.get(self.hall_path("/catalog"))

    def item(self, code: str) -> dict:
        return self.get(self.hall_path(f"/items/{code}"))

    def issue_ticket(
        self,
        item_code: str,
        request_id: str,
        priority: str = "normal",
        priority_reason: str | None = None,
        language: str = "zh",
    ) -> dict:
        body = {"item_code": item_code, "priority": priority, "language": language}
        if priority_reason:
            body["priority_reason"] = priority_reason
        return self.post(self.hall_path("/tickets"), body, request_id)

    def check_in(
        self,
        request_id: str,
        code: str | None = None,
        phone_last4: str | None = None,
        item_code: str | None = None,
        language: str = "zh",
    ) -> dict:
        """预约签到: the appointment's ``code``, or ``phone_last4`` with ``item_code``; answers
        like issue_ticket plus ``appointment`` (slot, on_time, explanation)."""
        body: dict = {"request_id": request_id, "language": language}
        if code is not None:
            body["code"] = code
        else:
            body |= {"phone_last4": phone_last4, "item_code": item_code}
        return self.post(self.hall_path("/appointments/check-in"), body, request_id)

    def ticket(self, number: str) -> dict:
        return self.get(self.hall_path(f"/tickets/{number}"))

    def status(self, token: str) -> dict:
        return self.get(f"/api/v1/status/{token}")

    def queue(self) -> dict:
        return self.get(self.hall_path("/queue"))

    def window_action(
        self, window: int, action: str, request_id: str | None = None, **body
    ) -> dict:
        """sign-in, sign-out, pause, resume, call-next, call, recall, start, finish, no-show, transfer."""
        return self.post(self.hall_path(f"/windows/{window}/{action}"), body, request_id)

    def ticket_action(self, number: str, action: str, request_id: str | None = None) -> dict:
        """cancel or requeue today's ticket ``number``."""
        return self.post(self.hall_path(f"/tickets/{number}/{action}"), {}, request_id)

    def report_device_status(
        self, device: str, printer: dict | None = None, version: str = ""
    ) -> dict:
        """Heartbeat; ``printer`` is {"condition": ready|paper_near_end|paper_out|cover_open|error|offline|unknown, "message": ...}."""
        body: dict = {"version": version}
        if printer is not None:
            body["printer"] = printer
        return self.post(self.hall_path(f"/devices/{device}/status"), body)


def api_client(config: ClientConfig, token: str | None = None) -> ApiClient:
    """An ApiClient for a terminal's config (the kiosk passes its device token)."""
    return ApiClient(
        config.backend_url,
        config.hall,
        token,
        timeout=config.api_timeout,
        retries=config.api_retries,
    )
