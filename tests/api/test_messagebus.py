"""Services talk through domain events: the counter raises TicketFinished, the cases handler closes
the immediate-service case in the same transaction, and neither module imports the other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import select

from backend.db.engine import open_database
from backend.db.models import AuditEntry, Case, Ticket
from backend.domain.errors import Conflict
from backend.domain.events import TicketFinished
from backend.services import cases, messagebus

SERVICES = Path(__file__).resolve().parents[2] / "backend" / "services"


def imported_services(module: str) -> set[str]:
    """The sibling service modules ``module`` imports, anywhere in it (functions included)."""
    tree = ast.parse((SERVICES / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                found.add(node.module.split(".")[0])
            elif node.level == 1:
                found.update(alias.name for alias in node.names)
            elif node.module and node.module.startswith("backend.services."):
                found.add(node.module.split(".")[2])
            elif node.module == "backend.services":
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("backend.services."):
                    found.add(alias.name.split(".")[2])
    return found


def test_counter_and_cases_do_not_import_each_other():
    assert "cases" not in imported_services("counter")
    assert "counter" not in imported_services("cases")
    # both reach the window helpers through their own module
    assert "window_access" in imported_services("counter") & imported_services("cases")


def test_the_import_check_sees_imports_inside_functions(tmp_path, monkeypatch):
    source = "def f():\n    from .cases import x\n\nfrom . import counter\n"
    (tmp_path / "probe.py").write_text(source, encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.SERVICES", tmp_path)
    assert imported_services("probe") == {"cases", "counter"}


def at_window(hall, item: str, window: int = 3, clerk: str = "clerk2") -> str:
    number = hall.issue(item)["ticket"]["number"]
    hall.open_window(window, clerk)
    assert hall.window(window, "call-next", clerk).json["ticket"]["number"] == number
    return number


def cases_and_audit(db_url):
    db = open_database(db_url)
    try:
        with db.reader() as s:
            rows = s.execute(select(Case.kind, Case.state, Ticket.number).join(Case.ticket)).all()
            actions = s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
            return [tuple(r) for r in rows], list(actions)
    finally:
        db.dispose()


def test_finishing_a_ticket_closes_its_immediate_case(hall, db_url):
    number = at_window(hall, "RS-01")
    r = hall.window(3, "finish", "clerk2")
    assert r.status_code == 200 and r.json["ticket"]["state"] == "finished"
    rows, actions = cases_and_audit(db_url)
    assert rows == [("immediate", "finished", number)]
    assert actions[-2:] == ["ticket.finished", "case.closed_at_window"]


def test_finishing_a_promised_item_opens_no_case(hall, db_url):
    at_window(hall, "MZ-02", window=2, clerk="clerk1")
    assert hall.window(2, "finish", "clerk1").status_code == 200
    assert cases_and_audit(db_url)[0] == []


def test_a_failing_handler_rolls_the_whole_finish_back(hall, db_url, monkeypatch, publisher):
    number = at_window(hall, "RS-01")
    seen: list[TicketFinished] = []

    def refuse(uow, event):
        seen.append(event)
        raise Conflict("handler_refused", "the handler refused", None)

    handlers = [cases.on_ticket_finished, refuse]
    monkeypatch.setitem(messagebus.HANDLERS, TicketFinished, handlers)
    published = len(publisher.events)
    r = hall.window(3, "finish", "clerk2")
    assert r.status_code == 409 and r.json["error"]["code"] == "handler_refused"
    assert len(seen) == 1 and seen[0].actor == "user:clerk2"
    assert len(publisher.events) == published  # nothing pushed
    assert cases_and_audit(db_url)[0] == []  # the case the first handler made is gone too
    window = hall.get("/windows/3", hall.staff("clerk2")).json["window"]
    assert window["current"]["number"] == number and window["current"]["state"] == "called"
    monkeypatch.setitem(messagebus.HANDLERS, TicketFinished, [cases.on_ticket_finished])
    assert hall.window(3, "finish", "clerk2").status_code == 200
    assert cases_and_audit(db_url)[0] == [("immediate", "finished", number)]


def test_unhandled_domain_events_refuse_the_commit(app, hall, clock):
    from backend.db.uow import UnitOfWork

    db = app.extensions["onestop"].db
    with UnitOfWork(db, clock()) as uow:
        uow.raise_event(TicketFinished(1, 1, "test"))
        with pytest.raises(RuntimeError, match="TicketFinished"):
            uow.commit()


def test_the_handler_reads_again_nothing_the_finish_loaded(app, hall):
    """The event holds the ticket, window and hall context it names: the handler costs only its
    own case lookup and writes, not a second read of the hall, the window or the ticket."""
    from sqlalchemy import event

    at_window(hall, "RS-01")
    engine = app.extensions["onestop"].db.engine
    reads: list[str] = []

    def statement(conn, cursor, sql, *rest):
        text = " ".join(sql.split())
        if text.startswith("SELECT") and " FOR UPDATE" not in text:
            reads.append(text)

    event.listen(engine, "before_cursor_execute", statement)
    try:
        assert hall.window(3, "finish", "clerk2").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", statement)
    assert not [r for r in reads if "halls.config_digest FROM halls WHERE halls.id" in r]
    assert not [r for r in reads if r.startswith("SELECT windows.id AS windows_id")]
    assert len([r for r in reads if r.startswith("SELECT tickets.id AS tickets_id")]) <= 1
