"""One query for the legs of a visit (``services.legs``), used by every reader; the hall views and
the status page ask services and run no query of their own."""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import select

from backend.db.engine import open_database
from backend.db.models import Case, Ticket
from backend.services import legs, resident_status

BACKEND = Path(__file__).resolve().parents[2] / "backend"


def transferred_visit(hall) -> tuple[str, str]:
    """A ticket served at window 1 and transferred to window 2, and another ticket waiting."""
    first = hall.issue("MZ-01")
    other = hall.issue("MZ-01")["ticket"]["number"]
    hall.open_window(1, "clerk1")
    hall.open_window(2, "clerk2")
    assert (
        hall.window(1, "call-next", "clerk1").json["ticket"]["number"] == first["ticket"]["number"]
    )
    assert hall.window(1, "transfer", "clerk1", to_window=2).status_code == 200
    assert (
        hall.window(2, "call-next", "clerk2").json["ticket"]["number"] == first["ticket"]["number"]
    )
    return first["status_token"], other


def test_the_legs_of_a_visit_in_order_and_nothing_of_another(hall, db_url):
    token, other = transferred_visit(hall)
    db = open_database(db_url)
    try:
        with db.reader() as s:
            second = legs.latest_leg(s, token)
            assert second is not None and second.parent_id is not None
            found = legs.legs_of(s, second)
            assert [t.id for t in found] == [second.parent_id, second.id]
            assert [t.state for t in legs.legs_of(s, token)] == ["transferred", "called"]
            assert other not in {t.number for t in found}
            ids = s.scalars(select(Ticket.id).where(Ticket.id.in_(legs.leg_ids(token)))).all()
            assert sorted(ids) == [second.parent_id, second.id]
            assert legs.latest_legs(s, second.hall_id, [token, "nope"]) == {token: second}
    finally:
        db.dispose()


def test_every_reader_sees_the_same_legs(hall, db_url):
    token, _ = transferred_visit(hall)
    number = hall.get("/windows/2", hall.staff("clerk2")).json["current"]["number"]
    detail = hall.get(f"/tickets/{number}", hall.staff("clerk2")).json
    assert [leg["state"] for leg in detail["legs"]] == ["transferred", "called"]
    current = hall.get("/windows/2", hall.staff("clerk2")).json["current"]
    assert [h["state"] for h in current["history"]] == ["transferred"]
    assert hall.client.get(f"/api/v1/status/{token}").json["state"] == "called"
    # a case accepted on the second leg is the visit's case for the resident's page
    assert hall.window(2, "start", "clerk2").status_code == 200
    applicant = {"name": "张小三", "phone": "13812341234"}
    assert hall.window(2, "accept", "clerk2", applicant=applicant).status_code == 200
    db = open_database(db_url)
    try:
        with db.reader() as s:
            case = resident_status.case_of_token(s, token)
            assert case is not None and case.id == s.scalar(select(Case.id))
    finally:
        db.dispose()


def queries_in(path: Path) -> list[str]:
    """Names of SQLAlchemy query builders a module imports or calls."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("sqlalchemy")
        ):
            found += [a.name for a in node.names]
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ("scalar", "scalars", "execute", "get")
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "session"
        ):
            found.append(f"session.{node.attr}")
    return found


def test_the_hall_views_and_the_status_page_run_no_query_themselves():
    assert queries_in(BACKEND / "api" / "hall_views.py") == []
    assert queries_in(BACKEND / "web" / "status_page.py") == []
    # the check itself sees a query where there is one
    assert "select" in queries_in(BACKEND / "services" / "hall_reads.py")
