"""Test helpers: a settable clock, a small hall config, and an API client for one hall."""

from __future__ import annotations

import copy
import itertools
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from backend.db.engine import open_database
from backend.db.uow import Actor, UnitOfWork
from backend.hallconfig import parse_config
from backend.services.auth import add_user, issue_device_token
from backend.services.halls import sync_hall

# 2026-11-23 is a Monday; 09:00 in Shanghai.
MONDAY_9AM = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, start: datetime = MONDAY_9AM):
        self.now = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self.now

    def advance(self, **kwargs) -> datetime:
        with self._lock:
            self.now += timedelta(**kwargs)
            return self.now


SMALL_HALL: dict[str, Any] = {
    "hall": {
        "code": "town",
        "name": {"zh": "测试镇便民服务中心", "en": "Test Town"},
        "supervision_phone": "0731-12345",
    },
    "hours": {
        "working_days": [["08:30", "12:00"], ["14:00", "17:30"]],
        "weekend_duty": [["09:00", "12:00"]],
    },
    "queue": {
        "aging_limit_minutes": 45,
        "requeue_behind": 2,
        "default_service_minutes": 6,
        "enforce_opening_hours": False,
        "issue_when_no_window": True,  # most tests queue before any window opens
    },
    # older tests issue appointment tickets with made-up codes; tests of 预约 set this false
    "appointments": {"enabled": True, "unchecked_codes": True},
    "departments": [
        {"code": "MZ", "name": {"zh": "民政", "en": "Civil affairs"}},
        {"code": "RS", "name": {"zh": "人社", "en": "Social security"}},
    ],
    "items": [
        {
            "code": "MZ-01",
            "name": {"zh": "最低生活保障申请"},
            "department": "MZ",
            "prefix": "A",
            "kind": "promised",
            "promised_days": 15,
            "legal_days": 30,
            "materials": ["居民身份证", "户口簿"],
            "pinyin": "zdshbzsq",
        },
        {
            "code": "MZ-02",
            "name": {"zh": "临时救助申请"},
            "department": "MZ",
            "prefix": "A",
            "kind": "promised",
            "promised_days": 5,
        },
        {
            "code": "RS-01",
            "name": {"zh": "城乡居民养老保险参保登记"},
            "department": "RS",
            "prefix": "B",
            "kind": "immediate",
        },
        {
            "code": "RS-02",
            "name": {"zh": "就业失业登记"},
            "department": "RS",
            "prefix": "B",
            "kind": "immediate",
        },
    ],
    "windows": [
        {
            "number": 1,
            "name": {"zh": "1号综合窗口"},
            "comprehensive": True,
            "items": ["MZ-01", "RS-01", "MZ-02", "RS-02"],
        },
        {
            "number": 2,
            "name": {"zh": "2号窗口 民政"},
            "department": "MZ",
            "items": ["MZ-01", "MZ-02"],
        },
        {
            "number": 3,
            "name": {"zh": "3号窗口 人社"},
            "department": "RS",
            "items": ["RS-01", "RS-02"],
        },
    ],
    "devices": [
        {"code": "kiosk-1", "kind": "kiosk", "name": "取号机"},
        {"code": "display-1", "kind": "display", "name": "大屏"},
        {"code": "pad-1", "kind": "rating_pad", "name": "1号窗口评价器"},  # window by its name
        {"code": "pad-2", "kind": "rating_pad", "name": "2号窗口评价器"},
        {"code": "pad-3", "kind": "rating_pad", "name": "人社评价器", "attached_to": "3"},
    ],
}


def hall_config(code: str = "town", **overrides) -> dict[str, Any]:
    data = copy.deepcopy(SMALL_HALL)
    data["hall"]["code"] = code
    for section, values in overrides.items():
        data.setdefault(section, {}).update(values)
    return data


PASSWORD = "test-password-1"
_rids = itertools.count(1)


def rid() -> str:
    return f"req-{next(_rids)}"


def setup_hall(
    url: str, data: dict[str, Any], now: datetime, clerks=("clerk1", "clerk2", "clerk3")
) -> dict[str, str]:
    """Load the hall, add staff, issue device tokens; returns device tokens by code."""
    cfg = parse_config(data, "test-hall.toml")
    db = open_database(url)
    actor = Actor("test")
    tokens = {}
    try:
        with UnitOfWork(db, now) as uow:
            sync_hall(uow, cfg, actor)
            uow.commit()
        with UnitOfWork(db, now) as uow:
            code = cfg.hall.code
            for name in clerks:
                add_user(uow, code, name, name, "clerk", PASSWORD, actor)
            add_user(uow, code, "boss", "王主任", "manager", PASSWORD, actor)
            for device in cfg.devices:
                tokens[device.code] = issue_device_token(uow, code, device.code, actor)
            uow.commit()
    finally:
        db.dispose()
    return tokens


class HallClient:
    """Flask test client bound to one hall, with helpers for the common calls."""

    def __init__(self, app, hall: str, device_tokens: dict[str, str]):
        self.app, self.hall, self.devices = app, hall, device_tokens
        self.client = app.test_client()
        self._staff: dict[str, str] = {}

    def staff(self, username: str) -> dict[str, str]:
        if username not in self._staff:
            r = self.client.post(
                "/api/v1/auth/login",
                json={"hall": self.hall, "username": username, "password": PASSWORD},
            )
            assert r.status_code == 200, r.json
            self._staff[username] = r.json["token"]
        return {"Authorization": f"Bearer {self._staff[username]}"}

    def next_day(self, clock, days: int = 1, **more) -> None:
        """Move the clock on; staff log in again (their tokens last one working day)."""
        clock.advance(days=days, **more)
        self._staff.clear()

    def device(self, code: str = "kiosk-1") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.devices[code]}"}

    def url(self, path: str) -> str:
        return f"/api/v1/halls/{self.hall}{path}"

    def post(self, path: str, json: dict | None = None, headers: dict | None = None):
        body = {"request_id": rid()} | (json or {})
        return self.client.post(self.url(path), json=body, headers=headers or {})

    def get(self, path: str, headers: dict | None = None):
        return self.client.get(self.url(path), headers=headers or {})

    def issue(self, item: str = "MZ-01", **extra) -> dict:
        r = self.post("/tickets", {"item_code": item} | extra, self.device())
        assert r.status_code == 200, r.json
        return r.json

    def window(self, window_no: int, action: str, clerk: str, **body):
        return self.post(f"/windows/{window_no}/{action}", body, self.staff(clerk))

    def open_window(self, number: int, clerk: str) -> None:
        r = self.window(number, "sign-in", clerk)
        assert r.status_code == 200, r.json


@contextmanager
def log_lines(*names: str) -> Iterator[list[str]]:
    """The messages written to the loggers ``names`` (at INFO and above) while inside, taken
    by a handler on each logger: other tests may have stopped them propagating to the root."""
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    keep = Keep(logging.INFO)
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(keep)
        logger.setLevel(logging.INFO)
    try:
        yield lines
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(keep)
            logger.setLevel(level)


# --- a county network: county → two towns → a village point under "town" --------------------------


def network_config(code: str, level: str = "town", parent: str | None = None) -> dict[str, Any]:
    """A hall of the test county: the small hall's catalogue, placed in the tree. The county
    has a public-security department and item GA-01 (户口迁移, 20 days) the towns refer up;
    a village point has one window and no kiosk."""
    data = hall_config(code)
    data["hall"]["level"] = level
    data["hall"]["name"] = {
        "zh": {"county": "测试县政务服务中心", "village": "东村便民服务站"}.get(
            level, f"{code}镇便民服务中心"
        ),
        "en": f"{code} ({level})",
    }
    if parent:
        data["hall"]["parent"] = parent
    if level == "county":
        data["departments"].append({"code": "GA", "name": {"zh": "公安户籍", "en": "Police"}})
        data["items"].append(
            {
                "code": "GA-01",
                "name": {"zh": "户口迁移"},
                "department": "GA",
                "prefix": "G",
                "kind": "promised",
                "promised_days": 20,
            }
        )
        data["windows"].append(
            {"number": 4, "name": {"zh": "4号窗口 公安"}, "department": "GA", "items": ["GA-01"]}
        )
    if level == "town":
        data["items"][1]["refer_up"] = True  # MZ-02 is beyond a town's remit in this county
    if level == "village":
        data["windows"] = [data["windows"][0]]
        data["devices"] = [
            {"code": "pad-1", "kind": "rating_pad", "name": "评价器", "attached_to": "1"}
        ]
        data["items"][1]["refer_up"] = True
    return data


NETWORK = (
    ("county", "county", None),
    ("town", "town", "county"),
    ("east", "town", "county"),
    ("cun", "village", "town"),
)


def setup_network(url: str, now: datetime) -> dict[str, dict[str, str]]:
    """Load the test county (parents first); each hall gets clerks and a manager, the county a
    supervisor (督查督办) ``ducha``. Returns device tokens per hall."""
    tokens = {
        code: setup_hall(url, network_config(code, level, parent), now)
        for code, level, parent in NETWORK
    }
    db = open_database(url)
    try:
        with UnitOfWork(db, now) as uow:
            add_user(uow, "county", "ducha", "督查办 陈", "supervisor", PASSWORD, Actor("test"))
            uow.commit()
    finally:
        db.dispose()
    return tokens
