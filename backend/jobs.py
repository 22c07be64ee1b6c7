"""Periodic jobs inside the server process, safe when several processes run: a job fires only
in the process holding its lease (a row in ``job_leases``), renewed at every run and taken over
by another process only after it has expired."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from .db.engine import Database
from .db.models import JobLease
from .db.uow import Publisher, UnitOfWork, upsert
from .services.appointments import sweep_no_shows
from .services.audit_chain import LOOKBACK_IDS, has_unsealed, seal_pending
from .services.deadlines import sweep_all
from .services.notify_outbox import NotifyJob

log = logging.getLogger("onestop.jobs")
FULL_SEAL_EVERY = 720  # sealer runs between two searches of the whole log (an hour at 5 s)


def take_lease(db: Database, name: str, owner: str, now: datetime, ttl: timedelta) -> bool:
    """Atomically take or renew the lease on ``name``; False while another owner holds it."""
    with UnitOfWork(db, now) as uow:
        stmt = (
            upsert(uow.session)(JobLease)
            .values(name=name, owner=owner, until=now + ttl, runs=1)
            .on_conflict_do_update(
                index_elements=["name"],
                set_={"owner": owner, "until": now + ttl, "runs": JobLease.runs + 1},
                where=(JobLease.until < now) | (JobLease.owner == owner),
            )
            .returning(JobLease.owner)
        )
        held = uow.session.execute(stmt).scalar_one_or_none()
        uow.commit()
    return held == owner


class Scheduler:
    """Runs the deadline sweep and the appointments' no-show sweep every ``interval`` seconds
    and the audit sealer every
    ``seal_interval`` seconds in one daemon thread, each under its own lease."""

    def __init__(
        self,
        db: Database,
        publisher: Publisher,
        clock: Callable[[], datetime],
        interval: float = 60,
        owner: str | None = None,
        seal_interval: float = 5,
        notify: NotifyJob | None = None,
        notify_interval: float = 5,
    ):
        self.db, self.publisher, self.clock, self.interval = db, publisher, clock, interval
        self.notify, self.notify_interval = notify, notify_interval
        self.notify_ttl = timedelta(seconds=max(notify_interval * 6, 30))
        self.seal_interval = seal_interval
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.ttl = timedelta(seconds=max(interval * 3, 30))
        self.seal_ttl = timedelta(seconds=max(seal_interval * 3, 30))
        self._seal_runs = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> dict[str, Any] | None:
        """One period: sweep when this process holds the lease; None when another one does."""
        now = self.clock()
        if not take_lease(self.db, "deadline-sweep", self.owner, now, self.ttl):
            return None
        return sweep_all(self.db, now, self.publisher)

    def no_show_tick(self) -> dict[str, int] | None:
        """Mark unchecked appointments past their slot's tolerance as no-shows when this process
        holds the lease (None when another one does)."""
        now = self.clock()
        if not take_lease(self.db, "appointment-no-shows", self.owner, now, self.ttl):
            return None
        return sweep_no_shows(self.db, now, self.publisher)

    def notify_tick(self) -> dict[str, int] | None:
        """Queue and deliver residents' messages (services/notify_outbox.py) when this process
        holds the notify lease (None when another one does). Idle: one read, no write."""
        if self.notify is None:
            return None
        now = self.clock()
        if not self.notify.has_work(now):
            return {}
        if not take_lease(self.db, "notify", self.owner, now, self.notify_ttl):
            return None
        return self.notify.run(now)

    def seal_tick(self) -> int | None:
        """Seal the audit entries written since the last run when this process holds the
        sealing lease (None when another one does). The first run and every ``FULL_SEAL_EVERY``th
        search the whole log, the others only near the newest sealed id. An idle log costs one
        read and no write."""
        now = self.clock()
        lookback = None if self._seal_runs % FULL_SEAL_EVERY == 0 else LOOKBACK_IDS
        self._seal_runs += 1
        if not has_unsealed(self.db, lookback):
            return 0
        if not take_lease(self.db, "audit-seal", self.owner, now, self.seal_ttl):
            return None
        return seal_pending(self.db, now, lookback=lookback)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="periodic-jobs", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        jobs = [
            (self.interval, self.tick, "deadline sweep"),
            (self.seal_interval, self.seal_tick, "audit sealing"),
            (self.interval, self.no_show_tick, "appointment no-shows"),
        ]
        if self.notify is not None:
            jobs.append((self.notify_interval, self.notify_tick, "notifications"))
        due = [time.monotonic() + period for period, _, _ in jobs]
        while not self._stop.wait(max(0.0, min(due) - time.monotonic())):
            for i, (period, run, name) in enumerate(jobs):
                if time.monotonic() < due[i]:
                    continue
                try:
                    run()
                except Exception:  # a failed run is retried next period
                    log.exception("%s failed", name)
                due[i] = time.monotonic() + period
