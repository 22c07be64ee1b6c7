"""Periodic jobs inside the server process, safe when several processes run: a job fires only
in the process holding its lease (a row in ``job_leases``), renewed at every run and taken over
by another process only after it has expired."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from .db.engine import Database
from .db.models import JobLease
from .db.uow import Publisher, UnitOfWork, upsert
from .services.deadlines import sweep_all

log = logging.getLogger("onestop.jobs")


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
    """Runs the deadline sweep every ``interval`` seconds in a daemon thread."""

    def __init__(
        self,
        db: Database,
        publisher: Publisher,
        clock: Callable[[], datetime],
        interval: float = 60,
        owner: str | None = None,
    ):
        self.db, self.publisher, self.clock, self.interval = db, publisher, clock, interval
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.ttl = timedelta(seconds=max(interval * 3, 30))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> dict[str, Any] | None:
        """One period: sweep when this process holds the lease; None when another one does."""
        now = self.clock()
        if not take_lease(self.db, "deadline-sweep", self.owner, now, self.ttl):
            return None
        return sweep_all(self.db, now, self.publisher)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="deadline-sweep", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.tick()
            except Exception:  # a failed sweep is retried next period
                log.exception("deadline sweep failed")
