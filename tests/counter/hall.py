"""The demo hall (config/demo-hall.toml) on the real app in this process, for the counter
presenter's tests: its staff, its kiosk, and what a test reads back from the server."""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta
from pathlib import Path

from backend.db.engine import open_database
from backend.db.uow import Actor, UnitOfWork
from backend.hallconfig import parse_config
from backend.services.auth import add_user, issue_device_token
from backend.services.deadlines import sweep_all
from backend.services.halls import sync_hall
from tests.support import PASSWORD, HallClient, rid

ROOT = Path(__file__).resolve().parents[2]
DEMO_HALL = ROOT / "config" / "demo-hall.toml"
HALL = "qingshan"
STAFF = {"clerk1": "李敏", "clerk2": "张伟", "clerk3": "刘洋"}
MANAGER = ("manager", "王主任")


def demo_config(**hall) -> dict:
    """config/demo-hall.toml on its own (no county above it), with `hall` fields changed."""
    data = tomllib.loads(DEMO_HALL.read_text(encoding="utf-8"))
    data["hall"].pop("parent", None)
    data["hall"].update(hall)
    for item in data["items"]:
        item.pop("refer_up", None)  # nobody above to report to
    return data


def load_demo_hall(url: str, now, **hall):
    """Load (or reload) the demo hall's config; its parsed config."""
    cfg = parse_config(demo_config(**hall), str(DEMO_HALL))
    db = open_database(url)
    try:
        with UnitOfWork(db, now) as uow:
            sync_hall(uow, cfg, Actor("test"))
            uow.commit()
    finally:
        db.dispose()
    return cfg


def setup_demo_hall(url: str, now) -> dict[str, str]:
    """Load the demo hall and its staff; device tokens by code."""
    cfg = load_demo_hall(url, now)
    db = open_database(url)
    actor = Actor("test")
    try:
        with UnitOfWork(db, now) as uow:
            for username, name in STAFF.items():
                add_user(uow, HALL, username, name, "clerk", PASSWORD, actor)
            add_user(uow, HALL, MANAGER[0], MANAGER[1], "manager", PASSWORD, actor)
            tokens = {d.code: issue_device_token(uow, HALL, d.code, actor) for d in cfg.devices}
            uow.commit()
    finally:
        db.dispose()
    return tokens


class DemoHall(HallClient):
    """The server side of a counter test: issue tickets at the kiosk, rate on the window's pad,
    run the deadline sweep, read back what was recorded."""

    def __init__(self, app, db_url: str, clock, tokens: dict[str, str]):
        super().__init__(app, HALL, tokens)
        self.db_url, self.clock = db_url, clock

    def configure(self, **hall) -> None:
        """Reload the hall's config with these [hall] fields changed (public_url = "...")."""
        load_demo_hall(self.db_url, self.clock(), **hall)

    def add_ticket(self, item: str, priority: str = "normal", reason: str | None = None) -> str:
        """A resident takes a ticket at kiosk-1; its number."""
        body = {"item_code": item, "priority": priority, "request_id": rid()}
        if reason:
            body["priority_reason"] = reason
        r = self.client.post(self.url("/tickets"), json=body, headers=self.device("kiosk-1"))
        assert r.status_code == 200, r.json
        return r.json["ticket"]["number"]

    def audit(self) -> list[dict]:
        r = self.get("/audit?limit=500", self.staff(MANAGER[0]))
        assert r.status_code == 200, r.json
        return r.json["entries"]

    def audited(self, action: str, entity: str | None = None) -> int:
        """How many audit entries record `action` (on `entity`: a ticket or case number, or a
        window number)."""
        return sum(
            1
            for e in self.audit()
            if e["action"] == action and (entity is None or _names(e, entity))
        )

    def rate(self, number: str, window: int = 3, rating: str = "satisfied") -> None:
        """The resident rates ticket `number` on the pad of `window` (rating-<window>)."""
        body = {"ticket": number, "rating": rating, "request_id": rid()}
        pad = self.device(f"rating-{window}")
        r = self.client.post(self.url("/evaluations"), json=body, headers=pad)
        assert r.status_code == 200, r.json

    def cases(self, clerk: str) -> list[dict]:
        """The open and suspended cases `clerk` accepted, each as GET /cases/<n> shows it."""
        r = self.get(f"/cases?clerk={clerk}", self.staff(MANAGER[0]))
        assert r.status_code == 200, r.json
        return [self.case(c["number"]) for c in r.json["cases"]]

    def case(self, number: str) -> dict:
        r = self.get(f"/cases/{number}", self.staff(MANAGER[0]))
        assert r.status_code == 200, r.json
        return r.json["case"]

    def sweep_deadlines(self, days_before_deadline: float) -> None:
        """Run the deadline sweep (it stores the colours lists show) as of that long before the
        deadline of the open case accepted last; the app's own clock does not move."""
        r = self.get("/cases", self.staff(MANAGER[0]))
        assert r.status_code == 200, r.json
        deadline = max(datetime.fromisoformat(c["deadline_at"]) for c in r.json["cases"])
        db = open_database(self.db_url)
        try:
            sweep_all(db, deadline - timedelta(days=days_before_deadline), None)
        finally:
            db.dispose()

    def counter_state(self, number: int) -> dict:
        """GET /windows/<n> (the counter state) as the hall manager sees it."""
        r = self.get(f"/windows/{number}", self.staff(MANAGER[0]))
        assert r.status_code == 200, r.json
        return r.json

    def window_view(self, number: int) -> dict:
        return self.counter_state(number)["window"]


def _names(entry: dict, entity: str) -> bool:
    details = entry.get("details") or {}
    return entity in (str(entry.get("entity_id")), details.get("number"), details.get("case"))
