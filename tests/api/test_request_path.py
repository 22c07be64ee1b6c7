"""The lean request path: statements per ticket, one transaction, counts instead of the line,
request ids claimed first, and logins that never hold the writer while hashing."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select

from backend.db.models import AuditEntry
from backend.db.uow import UnitOfWork
from backend.domain.estimate import StaffedWindow, forecast
from backend.services import login as login_service
from backend.services.halls import hall_context
from backend.services.queue import estimate_for, waiting_entries
from tests.support import PASSWORD

SIX_MINUTES = timedelta(minutes=6)  # the test hall's default service time


class StatementCounter:
    def __init__(self, engine):
        self.engine, self.statements = engine, []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            self.statements.append(statement)


def engines(app):
    db = app.extensions["onestop"].db
    return {db.engine, db.reader.kw["bind"]}


def count_statements(app, fn):
    counters = [StatementCounter(e) for e in engines(app)]
    for c in counters:
        c.__enter__()
    try:
        result = fn()
    finally:
        for c in counters:
            c.__exit__()
    return result, [s for c in counters for s in c.statements]


def test_issuing_a_ticket_runs_at_most_eight_statements(app, hall):
    hall.open_window(1, "clerk1")
    hall.issue("MZ-01")  # warm the hall's caches, as any running server has them (the recent
    hall.issue("MZ-01")  # service times are re-read at most every RECENT_TTL seconds)
    r, statements = count_statements(
        app, lambda: hall.post("/tickets", {"item_code": "MZ-01"}, hall.device())
    )
    assert r.status_code == 200, r.json
    assert r.json["people_ahead"] == 2
    assert len(statements) <= 8, "\n".join(statements)


def test_a_request_is_one_transaction(app, hall):
    hall.issue("MZ-01")
    begins = []
    listeners = []
    for engine in engines(app):

        def began(conn, engine=engine):
            begins.append(engine)

        event.listen(engine, "begin", began)
        listeners.append((engine, began))
    try:
        assert hall.post("/tickets", {"item_code": "MZ-01"}, hall.device()).status_code == 200
    finally:
        for engine, fn in listeners:
            event.remove(engine, "begin", fn)
    assert len(begins) == 1


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["MZ-01", "MZ-02"]), st.sampled_from(["normal", "green", "appointment"])
        ),
        min_size=1,
        max_size=12,
    )
)
def test_people_ahead_is_the_domain_forecast_over_the_whole_line(hall, tickets):
    """The estimate reads a bounded part of the line (the item's group, in one statement); the
    domain forecast over the whole line, with the same windows, gives the same figures."""
    hall.open_window(1, "clerk1")  # again on later examples: answered 200, nothing changes
    for item, priority in tickets:
        extra = {"priority": priority}
        if priority == "green":
            extra["priority_reason"] = "elderly"
        if priority == "appointment":
            extra["priority_reason"] = "YY-1"
        hall.issue(item, **extra)
    now = hall.app.config["ONESTOP_CLOCK"]()
    db = hall.app.extensions["onestop"].db
    with UnitOfWork(db, now, write=False) as uow:
        ctx = hall_context(uow.session, "town")
        line = waiting_entries(uow.session, ctx.id)
        window = StaffedWindow(1, ctx.window_items[1], now)
        for entry in line:
            got = estimate_for(uow.session, ctx, entry, now)
            want = forecast(entry, line, [window], now, ctx.policy, lambda _code: SIX_MINUTES)
            assert (got["people_ahead"], got["estimated_wait_minutes"]) == (
                want.people_ahead,
                want.wait_minutes,
            ), entry


def _login(hall, password, username="clerk1"):
    return hall.client.post(
        "/api/v1/auth/login", json={"hall": "town", "username": username, "password": password}
    )


def test_repeated_failed_logins_are_throttled_with_retry_after_and_audited(app, hall):
    for _ in range(5):
        assert _login(hall, "wrong-password").status_code == 403
    r = _login(hall, PASSWORD)  # even the right password waits now
    assert r.status_code == 429 and r.json["error"]["code"] == "login_throttled"
    assert 1 <= int(r.headers["Retry-After"]) <= 300
    assert _login(hall, PASSWORD, "clerk2").status_code == 200  # another user is not affected
    db = app.extensions["onestop"].db
    with db.reader() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == "clerk1")).all()
    assert actions.count("auth.failed") == 5 and actions.count("auth.throttled") == 1
    assert "auth.login" not in actions


def test_a_login_being_hashed_does_not_hold_up_a_kiosk(app, hall, monkeypatch):
    hall.issue("MZ-01")
    hashing, finish = threading.Event(), threading.Event()
    real = login_service.check_password_hash

    def slow_check(stored, password):
        hashing.set()
        finish.wait(10)
        return real(stored, password)

    monkeypatch.setattr(login_service, "check_password_hash", slow_check)
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(
            lambda: app.test_client().post(
                "/api/v1/auth/login",
                json={"hall": "town", "username": "clerk1", "password": PASSWORD},
            )
        )
        assert hashing.wait(5)
        issued = pool_free_issue(hall)
        finish.set()
        assert pending.result(10).status_code == 200
    assert issued.status_code == 200


def pool_free_issue(hall):
    """Issue from another thread with a bound, so a held writer fails the test instead of
    hanging it."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(
            lambda: hall.app.test_client().post(
                hall.url("/tickets"),
                json={"item_code": "MZ-01", "request_id": "while-hashing"},
                headers=hall.device(),
            )
        ).result(5)


@pytest.mark.slow
def test_twins_of_a_command_all_get_the_first_answer(app, hall):
    for _ in range(3):
        hall.issue("MZ-01")
    hall.open_window(1, "clerk1")
    headers = hall.staff("clerk1")
    barrier = threading.Barrier(12)

    def twin(_):
        client = app.test_client()
        barrier.wait(5)
        return client.post(
            hall.url("/windows/1/call-next"), json={"request_id": "twin-1"}, headers=headers
        )

    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(twin, range(12)))
    assert [a.status_code for a in answers] == [200] * 12, [a.json for a in answers]
    assert len({a.json["ticket"]["id"] for a in answers}) == 1
    assert sum(a.headers["Idempotent-Replayed"] == "false" for a in answers) == 1


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["MZ-01", "RS-01", "MZ-02", "RS-02"]),
            st.sampled_from(["normal", "green", "appointment"]),
            st.integers(min_value=0, max_value=90),  # minutes waited
            st.sampled_from([None, None, None, 1, 2, 3]),  # transferred to a window
        ),
        min_size=1,
        max_size=40,
    ),
    st.integers(min_value=1, max_value=6),
)
def test_call_candidates_give_the_same_first_calls_as_the_whole_line(hall, tickets, limit):
    from datetime import timedelta

    from backend.db.models import Ticket
    from backend.domain.queue_policy import calling_order
    from backend.services.queue import call_candidates

    ids = []
    for item, priority, _waited, _target in tickets:
        extra = {"priority": priority}
        if priority != "normal":
            extra["priority_reason"] = "elderly" if priority == "green" else "YY-1"
        ids.append(hall.issue(item, **extra)["ticket"]["id"])
    db = hall.app.extensions["onestop"].db
    now = hall.app.config["ONESTOP_CLOCK"]()
    with UnitOfWork(db, now) as uow:
        for ticket_id, (_item, _p, waited, target) in zip(ids, tickets, strict=True):
            row = uow.session.get(Ticket, ticket_id)
            row.waiting_since = now - timedelta(minutes=waited)
            row.target_window = target
        uow.commit()
    with UnitOfWork(db, now, write=False) as uow:
        ctx = hall_context(uow.session, "town")
        for window in ctx.config.windows:
            items = list(window.items)
            everyone = waiting_entries(uow.session, ctx.id, items)
            full = calling_order(everyone, window.number, items, now, ctx.policy)[:limit]
            some = call_candidates(uow.session, ctx, window.number, items, now, limit)
            picked = calling_order(some, window.number, items, now, ctx.policy)[:limit]
            assert [e.ticket_id for e in picked] == [e.ticket_id for e in full], window.number
