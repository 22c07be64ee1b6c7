"""Residents' messages through the real app and a real local HTTP server: a checked-in
appointment's ticket is told once when it is N people from its call and once when called (never
inside the clerk's request), the webhook gets the full phone with an HMAC signature, a gateway
that fails twice is retried with backoff until it takes the message, one that hangs times out,
and a message goes out at most once even when several processes run the job."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from backend.db.models import AuditEntry, Notification
from backend.db.uow import UnitOfWork
from backend.jobs import Scheduler
from backend.services.notify import LogNotifier, queue_message
from backend.services.notify_outbox import NotifyJob, Retry, deliver_due, queue_due, tick
from backend.services.notify_webhook import SIGNATURE_HEADER, WebhookNotifier
from tests.support import HallClient, hall_config, rid, setup_hall

TUESDAY_9 = "2026-11-24T09:00:00+08:00"
PHONES = ["13812345678", "13900000001", "13900000002"]
SECRET = "shared-secret"


class Gateway:
    """A local SMS webhook: answers ``script`` statuses in turn (then 200), or never answers
    while ``hang`` is set; records every request it got."""

    def __init__(self, script=(), hang: bool = False):
        self.script, self.hang = list(script), hang
        self.requests: list[tuple[dict, dict]] = []
        self.release = threading.Event()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.requests.append((dict(self.headers), body))
                if gateway.hang:
                    gateway.release.wait(10)
                    return
                status = gateway.script.pop(0) if gateway.script else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def bodies(self) -> list[dict]:
        return [json.loads(body) for _, body in self.requests]


@pytest.fixture
def appt(app, db_url, clock) -> HallClient:
    data = hall_config(
        "town", appointments={"unchecked_codes": False, "share": 1.0}, notify={"tickets_away": 1}
    )
    return HallClient(app, "town", setup_hall(db_url, data, clock()))


def ext(hall):
    return hall.app.extensions["onestop"]


def checked_in_tickets(hall, clock, count: int) -> list[dict]:
    """``count`` appointments for Tuesday 09:00, checked in on time at 08:50."""
    codes = []
    for phone in PHONES[:count]:
        body = {"item_code": "MZ-01", "slot_start": TUESDAY_9, "name": "张小三", "phone": phone}
        r = hall.client.post(hall.url("/appointments"), json={"request_id": rid()} | body)
        assert r.status_code == 201, r.json
        codes.append(r.json["appointment"]["code"])
    hall.next_day(clock, minutes=-10)
    out = []
    for code in codes:
        r = hall.post("/appointments/check-in", {"code": code}, hall.device())
        assert r.status_code == 201, r.json
        out.append(r.json["ticket"])
    return out


def rows(hall) -> list[Notification]:
    with ext(hall).db.reader() as s:
        return list(s.scalars(select(Notification).order_by(Notification.id)))


def run(hall, clock, notifier, retry: Retry | None = None):
    e = ext(hall)
    return tick(e.db, notifier, e.protector, clock(), retry or Retry())


def test_n_away_and_called_once_each_through_the_webhook(appt, clock):
    first, second, _third = checked_in_tickets(appt, clock, 3)
    with Gateway() as gw:
        notifier = WebhookNotifier(gw.url, SECRET, timeout=2)
        assert run(appt, clock, notifier)["queued"] == 0  # no window open: no figure, no message
        appt.open_window(2, "clerk1")
        out = run(appt, clock, notifier)
        # A001 has 0 ahead and A002 1 ahead: both within tickets_away = 1; A003 (2 ahead) is not
        assert out["queued"] == 2 and out["sent"] == 2
        assert [(b["ticket"], b["kind"]) for b in gw.bodies()] == [
            (first["number"], "away"),
            (second["number"], "away"),
        ]
        body = gw.bodies()[1]
        assert body["to"] == PHONES[1] and body["hall"] == "town"
        assert "前面还有 1 人" in body["text"] and "张" not in body["text"]
        headers, raw = gw.requests[1]
        expected = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
        assert headers[SIGNATURE_HEADER] == expected

        r = appt.window(2, "call-next", "clerk1")
        assert r.json["ticket"]["number"] == first["number"]
        assert len(gw.requests) == 2  # nothing is sent inside the clerk's request
        out = run(appt, clock, notifier)
        assert out == {"queued": 2, "sent": 2, "retry": 0, "failed": 0, "interrupted": 0}
        kinds = [(b["ticket"], b["kind"]) for b in gw.bodies()[2:]]
        assert sorted(kinds) == sorted([(first["number"], "called"), (_third["number"], "away")])
        called = next(b for b in gw.bodies() if b["kind"] == "called")
        assert "请 A001 号到 2号窗口 办理" in called["text"]
        appt.window(2, "recall", "clerk1")
        assert run(appt, clock, notifier)["queued"] == 0  # a recall is not a second message
        assert len(gw.requests) == 4
    saved = rows(appt)
    assert {r.state for r in saved} == {"sent"} and all(r.channel == "webhook" for r in saved)
    assert all(
        "****" in r.to_masked and r.to_sealed and PHONES[0] not in r.to_sealed for r in saved
    )
    with ext(appt).db.reader() as s:
        actions = [a.action for a in s.scalars(select(AuditEntry)) if a.action.startswith("notify")]
    assert actions.count("notify.queued") == 4 and actions.count("notify.sent") == 4


def test_a_gateway_failing_twice_is_retried_with_backoff_until_it_takes_it(appt, clock):
    checked_in_tickets(appt, clock, 1)
    appt.open_window(2, "clerk1")
    retry = Retry(max_attempts=5, first=timedelta(seconds=10))
    with Gateway(script=[500, 503]) as gw:
        notifier = WebhookNotifier(gw.url, timeout=2)
        assert run(appt, clock, notifier, retry)["retry"] == 1
        [row] = rows(appt)
        assert row.state == "pending" and row.attempts == 1 and "500" in row.last_error
        assert row.next_attempt_at == clock() + timedelta(seconds=10)
        assert run(appt, clock, notifier, retry)["sent"] == 0  # not due yet: no request
        assert len(gw.requests) == 1
        clock.advance(seconds=10)
        assert run(appt, clock, notifier, retry)["retry"] == 1
        [row] = rows(appt)
        assert row.attempts == 2 and row.next_attempt_at == clock() + timedelta(seconds=20)
        clock.advance(seconds=20)
        assert run(appt, clock, notifier, retry)["sent"] == 1
        assert len(gw.requests) == 3
        [row] = rows(appt)
        assert row.state == "sent" and row.attempts == 3 and row.sent_at == clock()


def test_a_hanging_gateway_times_out_and_fails_after_the_last_attempt(appt, clock):
    checked_in_tickets(appt, clock, 1)
    appt.open_window(2, "clerk1")
    retry = Retry(max_attempts=2, first=timedelta(seconds=1))
    with Gateway(hang=True) as gw:
        notifier = WebhookNotifier(gw.url, timeout=0.5)
        began = time.monotonic()
        assert run(appt, clock, notifier, retry)["retry"] == 1
        assert time.monotonic() - began < 3
        [row] = rows(appt)
        assert "unreachable" in row.last_error and "timed out" in row.last_error
        clock.advance(seconds=1)
        assert run(appt, clock, notifier, retry)["failed"] == 1
        [row] = rows(appt)
        assert row.state == "failed" and row.attempts == 2
        clock.advance(hours=1)
        assert run(appt, clock, notifier, retry)["sent"] == 0
        assert len(gw.requests) == 2  # never again after the last attempt


def test_at_most_once_with_several_processes(appt, clock, db_url):
    """Four schedulers (four processes' worth) run the job at the same moment: one message."""
    checked_in_tickets(appt, clock, 1)
    appt.open_window(2, "clerk1")
    e = ext(appt)
    with Gateway() as gw:
        notifier = WebhookNotifier(gw.url, timeout=2)
        schedulers = [
            Scheduler(e.db, e.publisher, clock, owner=f"p{i}", notify=NotifyJob(e.db, notifier, e.protector))
            for i in range(4)
        ]  # fmt: skip
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda s: s.notify_tick(), schedulers))
        # even without the lease: racing queue and delivery runs still send it once
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda _: tick(e.db, notifier, e.protector, clock()), range(4)))
        assert len(gw.requests) == 1
    assert [r.state for r in rows(appt)] == ["sent"]


def test_an_interrupted_send_is_never_repeated(appt, clock):
    checked_in_tickets(appt, clock, 1)
    appt.open_window(2, "clerk1")
    e = ext(appt)
    assert queue_due(e.db, LogNotifier(), clock()) == 1
    with e.db.writer() as s:  # a process claimed it and died before it could say how it went
        row = s.scalar(select(Notification))
        row.state, row.attempts, row.next_attempt_at = "sending", 1, clock() + timedelta(minutes=2)
        s.commit()
    assert deliver_due(e.db, LogNotifier(), e.protector, clock())["interrupted"] == 0
    clock.advance(minutes=3)
    assert deliver_due(e.db, LogNotifier(), e.protector, clock())["interrupted"] == 1
    [row] = rows(appt)
    assert row.state == "failed" and "interrupted" in row.last_error


def test_the_log_notifier_records_masked_and_a_ticket_without_a_phone_gets_nothing(
    appt, clock, caplog
):
    appt.next_day(clock)
    walk_in = appt.issue("MZ-01")["ticket"]  # no appointment: no phone to tell
    appt.open_window(2, "clerk1")
    appt.window(2, "call-next", "clerk1")
    assert run(appt, clock, LogNotifier())["queued"] == 0
    assert walk_in["number"] and rows(appt) == []
    e = ext(appt)
    with UnitOfWork(e.db, clock()) as uow, caplog.at_level("INFO", "onestop.notify"):
        from backend.db.models import Hall
        from backend.services.halls import context_of

        ctx = context_of(uow.session.scalar(select(Hall)))
        sealed = e.protector.seal(PHONES[0])
        queue_message(uow, ctx, channel="log", kind="case_finished", to_sealed=sealed,
                      to_masked="138****5678", text="【测试】已办结")  # fmt: skip
        uow.commit()
        assert run(appt, clock, LogNotifier())["sent"] == 1
    assert "138****5678" in caplog.text and PHONES[0] not in caplog.text


def test_tickets_away_zero_turns_the_early_message_off(app, db_url, clock):
    data = hall_config(
        "town",
        appointments={"unchecked_codes": False, "share": 1.0},
        notify={"tickets_away": 0, "called": False},
    )
    hall = HallClient(app, "town", setup_hall(db_url, data, clock()))
    checked_in_tickets(hall, clock, 1)
    hall.open_window(2, "clerk1")
    assert run(hall, clock, LogNotifier())["queued"] == 0
    hall.window(2, "call-next", "clerk1")
    assert run(hall, clock, LogNotifier())["queued"] == 0
