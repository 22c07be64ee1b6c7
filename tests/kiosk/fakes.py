"""Test doubles for the kiosk: a fake backend and printer (the runner and clock-driven scheduler
are tests.clientlib.fakes')."""

from __future__ import annotations

import threading
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from clientlib.api import ApiError, ApiUnavailable
from clientlib.printing import READY, Condition, Fault, PrinterStatus, PrintResult, fault_result
from kiosk.config import KioskConfig, parse_config

ROOT = Path(__file__).resolve().parents[2]
DEMO_HALL = ROOT / "config" / "demo-hall.toml"


def make_config(**overrides) -> KioskConfig:
    data: dict[str, Any] = {
        "backend_url": "http://127.0.0.1:9",
        "public_url": "https://q.example.cn",
        "hall": "qingshan",
        "kiosk": "kiosk-1",
        "token": "test-token",
        "idle_seconds": 60,
        "confirm_seconds": 8,
        "retry_seconds": 5,
        "heartbeat_seconds": 30,
    }
    data.update(overrides)
    return parse_config(data, "test.toml")


def demo_catalog() -> dict:
    """GET /catalog of the demo hall, built from config/demo-hall.toml."""
    cfg = tomllib.loads(DEMO_HALL.read_text(encoding="utf-8"))
    hall = cfg["hall"]
    served: dict[str, list[int]] = {}
    for w in cfg["windows"]:
        for code in w["items"]:
            served.setdefault(code, []).append(w["number"])
    return {
        "hall": {
            "code": hall["code"],
            "name": hall["name"],
            "timezone": hall["timezone"],
            "supervision_phone": hall["supervision_phone"],
        },
        "departments": [{"code": d["code"], "name": d["name"]} for d in cfg["departments"]],
        "items": [
            {
                "code": i["code"],
                "name": i["name"],
                "department": i["department"],
                "kind": i["kind"],
                "promised_days": i.get("promised_days"),
                "pinyin": i.get("pinyin"),
                "prefix": i["prefix"],
                "guide": {
                    "materials": i.get("materials", []),
                    "conditions": i.get("conditions", []),
                    "legal_basis": i.get("legal_basis", ""),
                    "fees": i.get("fees", ""),
                    "procedure": i.get("procedure", []),
                    "supervision_phone": hall["supervision_phone"],
                },
                "windows": served.get(i["code"], []),
            }
            for i in cfg["items"]
        ],
        "windows": [{"number": w["number"], "name": w["name"]} for w in cfg["windows"]],
    }


CASE_WORDS = {  # as backend.services.case_queries words them
    "open": ("办理中", "正在办理中，我们会在承诺时限内办结"),
    "suspended": ("待补正材料", "材料需要补正：请按一次性告知书补齐材料后送到窗口，补齐后继续办理"),
    "finished": ("已办结", "已办结"),
    "refused": ("不予办理", "未能办理"),
}


class FakeApi:
    """An in-memory backend with the ApiClient methods the kiosk uses; thread-safe.

    `down` makes every call raise ApiUnavailable; `gate` (an Event) holds issue_ticket until
    set; `refuse` is an ApiError every issue_ticket raises. Cases for 办件查询 are in `cases`
    (number -> (phone last 4, public view)); the kiosk reaches them through `get`, as it does
    ApiClient.get; `lookup_gate` holds a lookup, `lookup_error` makes it raise.
    """

    def __init__(self):
        self.catalog_data = demo_catalog()
        self.prefixes = {i["code"]: i["prefix"] for i in self.catalog_data["items"]}
        self.down = False
        self.gate: threading.Event | None = None
        self.refuse: ApiError | None = None
        self.report_error: ApiError | None = None  # the heartbeat raises it
        self.lock = threading.Lock()
        self.issue_calls: list[dict] = []
        self.tickets: dict[str, dict] = {}  # request id -> answer
        self.counters: dict[str, int] = {}
        self.reports: list[dict] = []
        self.waiting: dict[str, int] = {}
        self.frequent: list[str] = []  # 常办事项 item codes (none unless a test sets them)
        self.hall = "qingshan"
        self.cases: dict[str, tuple[str, dict]] = {}
        self.lookups: list[dict[str, str]] = []
        self.lookup_gate: threading.Event | None = None
        self.lookup_error: Exception | None = None
        self.main_thread_calls = 0  # a Qt kiosk must never call the backend on the GUI thread
        # appointments: code -> {item, phone_last4, slot_start, slot_end, on_time, state}
        self.appointments: dict[str, dict] = {}
        self.check_ins: list[dict] = []

    def _check(self) -> None:
        if threading.current_thread() is threading.main_thread():
            self.main_thread_calls += 1
        if self.down:
            raise ApiUnavailable("服务器无法连接 / server unreachable: fake is down")

    def catalog(self) -> dict:
        """The catalog with each item's waiting count now, and 常办事项 (``frequent``)."""
        self._check()
        with self.lock:
            items = [
                i | {"waiting": self.waiting.get(i["code"], 0)} for i in self.catalog_data["items"]
            ]
        return self.catalog_data | {"items": items, "frequent": list(self.frequent)}

    def item(self, code: str) -> dict:
        self._check()
        item = next(i for i in self.catalog_data["items"] if i["code"] == code)
        waiting = self.waiting.get(code, 0)
        return item | {"waiting": waiting, "estimated_wait_minutes": waiting * 8}

    def issue_ticket(
        self, item_code, request_id, priority="normal", priority_reason=None, language="zh"
    ):
        call = {
            "item_code": item_code,
            "request_id": request_id,
            "priority": priority,
            "priority_reason": priority_reason,
            "language": language,
        }
        with self.lock:
            self.issue_calls.append(call)
        if self.gate is not None:
            self.gate.wait(10)
        self._check()
        if self.refuse is not None:
            raise self.refuse
        with self.lock:
            if request_id in self.tickets:
                return self.tickets[request_id]
            prefix = self.prefixes[item_code]
            self.counters[prefix] = self.counters.get(prefix, 0) + 1
            number = f"{prefix}{self.counters[prefix]:03d}"
            ahead = self.waiting.get(item_code, 0)
            self.waiting[item_code] = ahead + 1
            item = next(i for i in self.catalog_data["items"] if i["code"] == item_code)
            windows = [w for w in self.catalog_data["windows"] if w["number"] in item["windows"]]
            answer = {
                "ticket": {
                    "number": number,
                    "item": item_code,
                    "item_name": item["name"],
                    "priority": priority,
                    "state": "waiting",
                    "issued_at": datetime(2026, 6, 1, 1, 30, tzinfo=UTC).isoformat(),
                },
                "people_ahead": ahead,
                "estimated_wait_minutes": ahead * 8,
                "windows": windows,
                "status_token": f"tok{number}",
                "status_path": f"/t/tok{number}",
            }
            self.tickets[request_id] = answer
            return answer

    def add_appointment(self, code: str, item: str = "MZ-01", phone_last4: str = "1234", **kw):
        self.appointments[code] = {
            "item": item,
            "phone_last4": phone_last4,
            "slot_start": "2026-06-01T09:30:00+08:00",
            "slot_end": "2026-06-01T10:00:00+08:00",
            "on_time": True,
            "state": "booked",
        } | kw

    def check_in(
        self, request_id, code=None, phone_last4=None, item_code=None, language="zh"
    ) -> dict:
        """POST /appointments/check-in as the contract words it (404, 409, the ticket)."""
        with self.lock:
            self.check_ins.append(
                {
                    "request_id": request_id,
                    "code": code,
                    "phone_last4": phone_last4,
                    "item_code": item_code,
                }
            )
        self._check()
        if request_id in self.tickets:
            return self.tickets[request_id]
        if code is not None:
            found = [code] if code in self.appointments else []
        else:
            found = [
                c
                for c, a in self.appointments.items()
                if a["phone_last4"] == phone_last4 and a["item"] == item_code
            ]
        found = [c for c in found if self.appointments[c]["state"] != "cancelled"]
        if not found:
            raise ApiError(404, "appointment_not_found", "未找到预约 / no appointment", "code")
        if len(found) > 1:
            raise ApiError(409, "ambiguous", "多个预约 / several appointments", "phone_last4")
        appt = self.appointments[found[0]]
        if appt["state"] == "checked_in":
            raise ApiError(409, "already_checked_in", "已签到 / already checked in", "code")
        priority = "appointment" if appt["on_time"] else "normal"
        answer = self.issue_ticket(appt["item"], request_id, priority, language=language)
        appt["state"] = "checked_in"
        answer = answer | {
            "appointment": {
                "code": found[0],
                "slot_start": appt["slot_start"],
                "slot_end": appt["slot_end"],
                "on_time": appt["on_time"],
                "arrival": "on_time" if appt["on_time"] else "early",
                "explanation": None
                if appt["on_time"]
                else {"zh": "您来早了，已为您取普通号", "en": "You are early: a normal ticket"},
            }
        }
        with self.lock:
            self.tickets[request_id] = answer
        return answer

    def hall_path(self, path: str) -> str:
        return f"/api/v1/halls/{self.hall}{path}"

    def get(self, path: str) -> Any:
        """Only GET /cases/lookup, answered like the backend (same 404 for a wrong pair)."""
        url = urlsplit(path)
        assert url.path == self.hall_path("/cases/lookup"), path
        args = {k: v[0] for k, v in parse_qs(url.query).items()}
        with self.lock:
            self.lookups.append(args)
        if self.lookup_gate is not None:
            self.lookup_gate.wait(10)
        self._check()
        if self.lookup_error is not None:
            raise self.lookup_error
        last4 = args.get("phone_last4", "")
        if not (len(last4) == 4 and last4.isdigit()):
            raise ApiError(400, "invalid_phone_last4", "手机号后4位应为4位数字", "phone_last4")
        phone, view = self.cases.get(args.get("number", "").strip().upper(), ("", {}))
        if not view or phone != last4:
            raise ApiError(
                404, "case_not_found", "未找到该办件，请核对受理编号和手机号后4位", "number"
            )
        return {"case": view}

    def add_case(self, number: str, phone_last4: str, **fields) -> dict:
        """A case as GET /cases/lookup shows it (an open 最低生活保障申请 unless told)."""
        state = fields.get("state", "open")
        view = {
            "number": number,
            "item": {
                "code": "MZ-01",
                "name": {
                    "zh": "最低生活保障申请",
                    "en": "Minimum living allowance (dibao) application",
                },
            },
            "state": state,
            "state_label": CASE_WORDS[state][0],
            "wording": CASE_WORDS[state][1],
            "accepted_on": "2026-11-29",
            "deadline": "2026-12-25 17:30",
            "missing_materials": [],
            "result": None,
            "refuse_reason": None,
            "finished_on": None,
        } | fields
        self.cases[number] = (phone_last4, view)
        return view

    def report_device_status(self, device, printer=None, version="") -> dict:
        self._check()
        if self.report_error is not None:
            raise self.report_error
        with self.lock:
            self.reports.append({"device": device, "printer": printer, "version": version})
        return {"device": {"code": device}}

    @property
    def issued(self) -> list[dict]:
        return list(self.tickets.values())


class RecordingSpeaker:
    """A speaker that writes down what it would say, and on which thread."""

    available = True

    def __init__(self):
        self.said: list[tuple[str, str]] = []
        self.main_thread_calls = 0

    def speak(self, text: str, lang: str) -> None:
        if threading.current_thread() is threading.main_thread():
            self.main_thread_calls += 1
        self.said.append((text, lang))

    def stop(self) -> None:
        pass


class FakePrinterService:
    """Scripted printer: `results` are handed out in turn (then `default`), calls recorded."""

    def __init__(self, *results: PrintResult, status: PrinterStatus = READY):
        self.results = list(results)
        self.default = ok_result()
        self.status_value = status
        self.tickets: list = []
        self.guides: list = []
        self.case_slips: list = []
        self.main_thread_calls = 0

    def _next(self) -> PrintResult:
        if threading.current_thread() is threading.main_thread():
            self.main_thread_calls += 1
        return self.results.pop(0) if self.results else self.default

    def print_ticket(self, receipt) -> PrintResult:
        self.tickets.append(receipt)
        return self._next()

    def print_guide(self, receipt) -> PrintResult:
        self.guides.append(receipt)
        return self._next()

    def print_case(self, slip) -> PrintResult:
        self.case_slips.append(slip)
        return self._next()

    def status(self) -> PrinterStatus:
        if threading.current_thread() is threading.main_thread():
            self.main_thread_calls += 1
        return self.status_value


def ok_result() -> PrintResult:
    return PrintResult(True, None, "打印完成", "printed", READY, READY, 100)


def paper_out_result() -> PrintResult:
    status = PrinterStatus(
        online=False, paper_near_end=True, paper_out=True, cover_open=False, error=False
    )
    assert status.condition is Condition.PAPER_OUT
    return fault_result(Fault.PAPER_OUT, before=status)


PAPER_OUT = PrinterStatus(
    online=False, paper_near_end=True, paper_out=True, cover_open=False, error=False
)
