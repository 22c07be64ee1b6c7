"""Test doubles for the kiosk's hardware: a scripted printer and a recording speaker (the backend
is the real app: tests/kiosk/hall.py; the runner and scheduler are tests.clientlib.fakes')."""

from __future__ import annotations

import threading
from typing import Any

from clientlib.printing import READY, Condition, Fault, PrinterStatus, PrintResult, fault_result
from kiosk.config import KioskConfig, parse_config


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
