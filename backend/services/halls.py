"""Halls and their catalog: load a validated config into the database, and read it back."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..db.models import Department, Device, Hall, ServiceItem, Ticket, Window
from ..db.uow import Actor, UnitOfWork
from ..domain import network
from ..domain.availability import availability, service_hours
from ..domain.cases import DeadlineRule
from ..domain.errors import InvalidInput, NotFound
from ..domain.estimate import linked_items
from ..domain.hours import DayKindOf
from ..domain.numbering import local_day
from ..domain.queue_policy import QueuePolicy
from ..domain.tickets import TicketState
from ..domain.windows import WindowState
from ..domain.workcalendar import WorkCalendar
from ..hallconfig import HallConfig


@dataclass(frozen=True)
class HallContext:
    """A hall row with its parsed settings."""

    id: int
    code: str
    name_zh: str
    name_en: str
    timezone: str
    config: HallConfig
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def policy(self) -> QueuePolicy:
        return self.config.queue.to_policy()

    @cached_property
    def calendar(self) -> WorkCalendar:
        """National holidays and make-up working days plus this hall's overrides."""
        cal = self.config.calendar
        return WorkCalendar(extra_closed=cal.extra_closed, extra_working=cal.extra_working)

    @cached_property
    def deadline_rule(self) -> DeadlineRule:
        """Office hours for deadlines (first opening to last closing of a working day) and the
        hall's counting and warning choices."""
        periods = self.config.hours.to_domain().working_days
        cases = self.config.cases
        return DeadlineRule(
            office_open=min(a for a, _ in periods),
            office_close=max(b for _, b in periods),
            accepted_day_counts=cases.accepted_day_counts,
            restart_on_supplement=cases.supplement == "restart",
            yellow_within_days=cases.yellow_within_days,
            orange_within_days=cases.orange_within_days,
        )

    @property
    def day_kinds(self) -> DayKindOf:
        return self.calendar.day_kind

    def local(self, now: datetime) -> datetime:
        return now.astimezone(self.tz)

    def item(self, session: Session, code: str) -> ItemInfo | None:
        """The active service item with this code (read once per hall version)."""
        return self._items(session).get(code)

    def windows_serving(self, code: str) -> list[int]:
        """Numbers of the windows whose configured items include ``code``."""
        return [w.number for w in self.config.windows if code in w.items]

    @cached_property
    def window_items(self) -> dict[int, tuple[str, ...]]:
        """Each window's items in its calling order."""
        return {w.number: tuple(w.items) for w in self.config.windows}

    @cached_property
    def item_groups(self) -> dict[str, frozenset[str]]:
        """Items linked through windows that serve both (``estimate.linked_items``)."""
        return linked_items(self.window_items)

    def service_hours(self, now: datetime) -> dict[str, str]:
        """Today's service hours (or the next opening), in words."""
        return service_hours(self.config.hours.to_domain(), self.local(now), self.day_kinds)

    def _items(self, session: Session) -> dict[str, ItemInfo]:
        items = self._cache.get("items")
        if items is None:
            rows = session.execute(
                select(
                    ServiceItem.id,
                    ServiceItem.code,
                    ServiceItem.prefix,
                    ServiceItem.name_zh,
                    ServiceItem.name_en,
                    ServiceItem.service_minutes,
                ).where(ServiceItem.hall_id == self.id, ServiceItem.active)
            )
            items = {r.code: ItemInfo(*r) for r in rows}
            self._cache["items"] = items
        return items


@dataclass(frozen=True)
class ItemInfo:
    """What issuing a ticket needs of a service item (``ticket_brief`` reads the names)."""

    id: int
    code: str
    prefix: str
    name_zh: str
    name_en: str
    service_minutes: float


# Parsed hall settings per (hall id, config digest): a hall's JSON config is decoded and validated
# once per version, not once per request. ``hall load`` writes a new digest, which is a new key.
_contexts: dict[tuple[int, str], HallContext] = {}


def hall_context(session: Session, code: str) -> HallContext:
    row = session.execute(select(Hall.id, Hall.config_digest).where(Hall.code == code)).first()
    if row is None:
        raise NotFound("hall_not_found", f"no hall with code {code!r}", "hall")
    return context_for(session, row.id, row.config_digest)


def context_for(session: Session, hall_id: int, digest: str) -> HallContext:
    """The hall's context for the version ``digest`` (read from the database on a miss)."""
    ctx = _contexts.get((hall_id, digest))
    if ctx is None:
        ctx = context_of(session.get_one(Hall, hall_id))
    return ctx


def context_by_id(session: Session, hall_id: int) -> HallContext:
    """The hall's current context, by its id (for handlers that get only a hall id)."""
    digest = session.scalar(select(Hall.config_digest).where(Hall.id == hall_id))
    if digest is None:
        raise NotFound("hall_not_found", f"no hall {hall_id}", "hall")
    return context_for(session, hall_id, digest)


def context_of(hall: Hall) -> HallContext:
    key = (hall.id, hall.config_digest)
    ctx = _contexts.get(key)
    if ctx is None:
        ctx = HallContext(
            id=hall.id,
            code=hall.code,
            name_zh=hall.name_zh,
            name_en=hall.name_en,
            timezone=hall.timezone,
            config=HallConfig.model_validate(hall.config),
        )
        _contexts[key] = ctx
    return ctx


def config_digest(cfg: HallConfig) -> str:
    raw = json.dumps(cfg.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def sync_hall(uow: UnitOfWork, cfg: HallConfig, actor: Actor) -> dict[str, Any]:
    """Create or update a hall from its config. Entries missing from the file are deactivated,
    never deleted, so history keeps its references."""
    s = uow.session
    info = cfg.hall
    hall = s.scalar(select(Hall).where(Hall.code == info.code))
    created = hall is None
    if hall is None:
        hall = Hall(code=info.code, updated_at=uow.now)
        s.add(hall)
    hall.name_zh, hall.name_en, hall.timezone = info.name.zh, info.name.en, info.timezone
    hall.config = cfg.model_dump(mode="json")
    hall.config_digest = config_digest(cfg)
    hall.updated_at = uow.now
    hall.level, hall.parent_id = info.level, _parent_id(s, hall, info.level, info.parent)
    s.flush()

    departments = _upsert(s, Department, hall.id, "code", [d.code for d in cfg.departments])
    for d in cfg.departments:
        department = departments[d.code]
        department.name_zh, department.name_en, department.active = d.name.zh, d.name.en, True
    s.flush()
    items = _upsert(s, ServiceItem, hall.id, "code", [i.code for i in cfg.items])
    for i in cfg.items:
        item = items[i.code]
        item.department_id = departments[i.department].id
        item.name_zh, item.name_en, item.category = i.name.zh, i.name.en, i.category
        item.prefix, item.kind = i.prefix, i.kind
        item.promised_days, item.legal_days = i.promised_days, i.legal_days
        item.service_minutes, item.pinyin, item.active = i.service_minutes, i.pinyin, True
        item.guide = {
            "materials": i.materials,
            "conditions": i.conditions,
            "legal_basis": i.legal_basis,
            "fees": i.fees,
            "procedure": i.procedure,
            "supervision_phone": i.supervision_phone or info.supervision_phone,
        }
    windows = _upsert(s, Window, hall.id, "number", [w.number for w in cfg.windows])
    for w in cfg.windows:
        window = windows[w.number]
        window.name_zh, window.name_en = w.name.zh, w.name.en
        window.department_id = departments[w.department].id if w.department else None
        window.comprehensive, window.area, window.item_codes, window.active = (
            w.comprehensive,
            w.area,
            list(w.items),
            True,
        )
        if window.state is None:
            window.state = WindowState.CLOSED
    devices = _upsert(s, Device, hall.id, "code", [d.code for d in cfg.devices])
    for spec in cfg.devices:
        device = devices[spec.code]
        device.kind, device.name, device.area, device.attached_to, device.active = (
            spec.kind,
            spec.name,
            spec.area,
            spec.attached_to,
            True,
        )
    s.flush()
    uow.audit(
        hall.id,
        actor,
        "hall.created" if created else "hall.updated",
        "hall",
        hall.code,
        {"digest": hall.config_digest, "items": len(cfg.items), "windows": len(cfg.windows)},
    )
    uow.emit(hall.id, "catalog.changed", {"digest": hall.config_digest})
    return {"hall": hall.code, "id": hall.id, "created": created}


def _parent_id(s: Session, hall: Hall, level: str, parent_code: str | None) -> int | None:
    """The parent hall's id: it must be loaded already, of a level above, and not below this
    hall (no cycle)."""
    if parent_code is None:
        network.check_parent(level, None)
        return None
    parent = s.scalar(select(Hall).where(Hall.code == parent_code))
    if parent is None:
        raise NotFound(
            "parent_not_loaded",
            f"hall.parent: no hall {parent_code!r} is loaded; load the county's file first",
            "hall.parent",
        )
    network.check_parent(level, parent.level)
    if hall.id is not None:
        parent_of = dict(s.execute(select(Hall.id, Hall.parent_id)).tuples().all())
        if network.oversees(parent_of, hall.id, parent.id):
            raise InvalidInput(
                "parent_cycle", f"hall {parent_code!r} sits under this hall", "hall.parent"
            )
    return parent.id


def _upsert(s: Session, model, hall_id: int, key: str, wanted: list) -> dict:
    rows = {getattr(r, key): r for r in s.scalars(select(model).where(model.hall_id == hall_id))}
    for value in wanted:
        if value not in rows:
            row = model(hall_id=hall_id, **{key: value})
            s.add(row)
            rows[value] = row
    for value, row in rows.items():
        if value not in wanted:
            row.active = False
    return rows


def item_view(item: ServiceItem, lang_guide: bool = True) -> dict[str, Any]:
    view = {
        "code": item.code,
        "name": {"zh": item.name_zh, "en": item.name_en},
        "department": item.department.code,
        "category": item.category,
        "prefix": item.prefix,
        "kind": item.kind,
        "promised_days": item.promised_days,
        "legal_days": item.legal_days,
        "pinyin": item.pinyin,
    }
    if lang_guide:
        view["guide"] = item.guide
    return view


# 常办事项 on the kiosk's home screen: the most-issued items of the last FREQUENT_DAYS days.
FREQUENT_DAYS = 30
FREQUENT_COUNT = 6
FREQUENT_TTL = timedelta(minutes=1)  # a grouped count over a month of tickets, once a minute


def catalog(
    session: Session, ctx: HallContext, now: datetime, cache: dict | None = None
) -> dict[str, Any]:
    """The public catalog; ``cache`` (one per app) keeps each hall's frequent list a minute."""
    departments = session.scalars(
        select(Department)
        .where(Department.hall_id == ctx.id, Department.active)
        .order_by(Department.id)
    ).all()
    items = session.scalars(
        select(ServiceItem)
        .where(ServiceItem.hall_id == ctx.id, ServiceItem.active)
        .order_by(ServiceItem.id)
    ).all()
    windows = session.scalars(
        select(Window).where(Window.hall_id == ctx.id, Window.active).order_by(Window.number)
    ).all()
    served_by: dict[str, list[int]] = {}
    for w in windows:
        for code in w.item_codes:
            served_by.setdefault(code, []).append(w.number)
    states = {w.number: w.state for w in windows}
    items_of = {w.number: w.item_codes for w in windows}
    allow = ctx.config.queue.issue_when_no_window
    hours = ctx.service_hours(now)
    waiting = waiting_counts(session, ctx)
    return {
        "hall": {
            "code": ctx.code,
            "name": {"zh": ctx.name_zh, "en": ctx.name_en},
            "timezone": ctx.timezone,
            "supervision_phone": ctx.config.hall.supervision_phone,
            "announcements": ctx.config.hall.announcements,
            "hours": ctx.config.hours.model_dump(),
            "public_url": ctx.config.hall.public_url,
        },
        "departments": [
            {"code": d.code, "name": {"zh": d.name_zh, "en": d.name_en}} for d in departments
        ],
        "items": [
            item_view(i)
            | {"windows": served_by.get(i.code, []), "waiting": waiting.get(i.id, 0)}
            | availability(i.code, items_of, states, allow).view(hours)
            for i in items
        ],
        "frequent": frequent_items(session, ctx, items, now, cache),
        "windows": [
            {
                "number": w.number,
                "name": {"zh": w.name_zh, "en": w.name_en},
                "area": w.area,
                "comprehensive": w.comprehensive,
                "items": w.item_codes,
            }
            for w in windows
        ],
    }


def waiting_counts(session: Session, ctx: HallContext) -> dict[int, int]:
    """People waiting now per item id (one grouped count on the queue index)."""
    rows = session.execute(
        select(Ticket.item_id, func.count())
        .where(Ticket.hall_id == ctx.id, Ticket.state == TicketState.WAITING)
        .group_by(Ticket.item_id)
    )
    return {item_id: count for item_id, count in rows}


def frequent_items(
    session: Session,
    ctx: HallContext,
    items: Sequence[ServiceItem],
    now: datetime,
    cache: dict | None = None,
) -> list[str]:
    """Codes of the items most issued in the last FREQUENT_DAYS days (first legs only: a
    transfer is the same resident), at most FREQUENT_COUNT, ties in catalog order."""
    hit = cache.get(ctx.id) if cache is not None else None
    if hit is not None and timedelta(0) <= now - hit[0] < FREQUENT_TTL:
        active = {i.code for i in items}  # a hall reload may have retired one meanwhile
        return [code for code in hit[1] if code in active]
    since = local_day(now, ctx.timezone) - timedelta(days=FREQUENT_DAYS - 1)
    counts = dict(
        session.execute(
            select(Ticket.item_id, func.count())
            .where(Ticket.hall_id == ctx.id, Ticket.day >= since, Ticket.parent_id.is_(None))
            .group_by(Ticket.item_id)
        )
        .tuples()
        .all()
    )
    order = {item.id: n for n, item in enumerate(items)}
    ranked = sorted(
        (i for i in items if counts.get(i.id)), key=lambda i: (-counts[i.id], order[i.id])
    )
    codes = [i.code for i in ranked[:FREQUENT_COUNT]]
    if cache is not None:
        cache[ctx.id] = (now, codes)
    return codes
