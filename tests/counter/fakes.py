"""Test doubles for what the counter's tests cannot run for real: the live socket, the view (Qt)
and the receipt printer (hardware). The backend is the real app (tests.counter.hall, and
tests.flaskhttp.FlakySession for the network's failures); the runner and the clock-driven
scheduler are tests.clientlib.fakes'."""

from __future__ import annotations

from typing import Any

from counter.config import CounterConfig, parse_config


def make_config(**overrides) -> CounterConfig:
    data: dict[str, Any] = {"backend_url": "http://127.0.0.1:9", "hall": "qingshan"}
    data.update(overrides)
    return parse_config(data, "test.toml")


class FakeLive:
    def __init__(self, factory: FakeLiveFactory, token, on_snapshot, on_event, on_connection):
        self.factory, self.token = factory, token
        self.on_snapshot, self.on_event, self.on_connection = on_snapshot, on_event, on_connection
        self.connected = False
        self.closed = False

    def connect(self) -> None:
        if self.factory.refuse:
            raise ConnectionError("fake live refused")
        self.connected = True

    def close(self) -> None:
        self.closed, self.connected = True, False

    # what the server does
    def up(self, seq: int = 1) -> None:
        self.on_connection(True)
        self.on_snapshot({"seq": seq, "kind": "staff"})

    def drop(self) -> None:
        self.connected = False
        self.on_connection(False)

    def event(self, type_: str, data: dict | None = None, seq: int = 2) -> None:
        self.on_event({"seq": seq, "type": type_, "data": data or {}})


class FakeLiveFactory:
    def __init__(self):
        self.made: list[FakeLive] = []
        self.refuse = False

    def __call__(self, token, on_snapshot, on_event, on_connection) -> FakeLive:
        live = FakeLive(self, token, on_snapshot, on_event, on_connection)
        self.made.append(live)
        return live

    @property
    def latest(self) -> FakeLive:
        return self.made[-1]


class FakeView:
    """Records what the presenter shows; dialogs are recorded, not opened."""

    def __init__(self):
        self.page = ""
        self.login = None
        self.main = None
        self.connection = None
        self.message = ""
        self.notices: list[tuple[str, str]] = []
        self.dialogs: list[tuple[str, Any]] = []
        self.form: str | None = None  # the case dialog open, until the presenter closes it
        self.form_errors: list[tuple[str, str | None, str]] = []
        self.cases = None  # the My cases page, None when not showing

    def show_login(self, screen) -> None:
        self.page, self.login = "login", screen

    def show_main(self, screen) -> None:
        self.page, self.main = "main", screen

    def set_connection(self, connection) -> None:
        self.connection = connection

    def show_message(self, text: str) -> None:
        self.message = text

    def show_notice(self, text: str, level: str) -> None:
        self.notices.append((text, level))

    @property
    def notice(self) -> str:
        return self.notices[-1][0] if self.notices else ""

    def open_transfer(self, choices) -> None:
        self.dialogs.append(("transfer", choices))

    def open_call_number(self, suggestions) -> None:
        self.dialogs.append(("call_number", suggestions))

    def open_requeue(self) -> None:
        self.dialogs.append(("requeue", None))

    def open_pause(self, choices) -> None:
        self.dialogs.append(("pause", choices))

    def open_accept(self, form) -> None:
        self.dialogs.append(("accept", form))
        self.form = "accept"

    def open_missing(self, form) -> None:
        self.dialogs.append(("missing", form))
        self.form = "missing"

    def open_case_action(self, form) -> None:
        self.dialogs.append(("case_action", form))
        self.form = "case_action"

    def form_error(self, form: str, field: str | None, text: str) -> None:
        self.form_errors.append((form, field, text))

    def close_form(self, form: str) -> None:
        if self.form == form:
            self.form = None

    def show_cases(self, screen) -> None:
        self.cases = screen


class FakePrinter:
    """A CounterPrinter that records receipts; `fault` makes it fail like a real one."""

    def __init__(self, fault=None):
        self.printed: list[tuple[str, Any]] = []
        self.fault = fault

    def _result(self):
        from clientlib.printing import PrintResult, fault_result

        if self.fault is None:
            return PrintResult(True, None, "打印完成", "printed")
        return fault_result(self.fault)

    def print_acceptance(self, receipt, tz=None):
        self.printed.append(("acceptance", receipt))
        return self._result()

    def print_notice(self, receipt):
        self.printed.append(("notice", receipt))
        return self._result()

    def print_refusal(self, receipt):
        self.printed.append(("refusal", receipt))
        return self._result()
