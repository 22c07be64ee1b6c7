"""Appointments (预约): the bookable days and slots of an item, booking, cancelling and moving by
the resident's manage token, check-in at the kiosk, today's list for staff and the no-show sweep.

A slot's places are claimed by one conditional upsert on ``appointment_slot_counts`` (taken + 1
only while taken < capacity), so concurrent bookings never exceed a slot's capacity on SQLite or
PostgreSQL. Names and phones are sealed; only masked forms leave the server on public answers."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select, text, update
from sqlalchemy.orm import Session

from ..db.models import Appointment, AppointmentSlotCount, Hall, Ticket
from ..db.protect import Protector
from ..db.uow import Actor, UnitOfWork, upsert
from ..domain import appointments as rules
from ..domain.appointments import AppointmentState, Arrival, Rules, Slot, SlotReason
from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.hours import DayKind
from ..domain.numbering import local_day
from ..domain.privacy import mask_id_number, mask_name, mask_phone, phone_digits, valid_id_number
from ..domain.tickets import Priority
from .auth import token_hash
from .halls import HallContext, ItemInfo, context_of

CODE_DIGITS = 8
TOKEN_MAX = 64
EVENTS = ("booked", "cancelled", "moved", "checked_in", "no_show")

# --- the hall's settings, items and slots ---------------------------------------------------------


def rules_of(ctx: HallContext) -> Rules:
    if not ctx.config.appointments.enabled:
        raise NotFound("appointments_off", "本大厅未开通预约 / this hall takes no appointments")
    return ctx.config.appointments.to_rules()


def _config_item(ctx: HallContext, code: str):
    return next((i for i in ctx.config.items if i.code == code), None)


def bookable(ctx: HallContext, code: str) -> bool:
    item = _config_item(ctx, code)
    return bool(item and item.bookable and ctx.windows_serving(code))


def items(session: Session, ctx: HallContext) -> dict[str, Any]:
    rules_of(ctx)
    departments = {d.code: d.name for d in ctx.config.departments}
    out = []
    for item in ctx.config.items:
        if ctx.item(session, item.code) is None:
            continue
        dept = departments.get(item.department)
        out.append(
            {
                "code": item.code,
                "name": {"zh": item.name.zh, "en": item.name.en},
                "department": {"zh": dept.zh, "en": dept.en} if dept else {"zh": "", "en": ""},
                "bookable": bookable(ctx, item.code),
            }
        )
    return {"items": out}


def _item(session: Session, ctx: HallContext, code: str, field: str = "item") -> ItemInfo:
    info = ctx.item(session, code)
    if info is None:
        raise NotFound("item_not_found", f"no service item {code!r} in this hall", field)
    if not bookable(ctx, code):
        raise Conflict(
            "item_not_bookable", f"{info.name_zh}不可预约 / {code} takes no bookings", field
        )
    return info


def capacity(session: Session, ctx: HallContext, code: str, r: Rules) -> int:
    default = ctx.config.queue.default_service_minutes

    def minutes(item_code: str) -> float:
        info = ctx.item(session, item_code)
        return (info.service_minutes if info else 0) or default

    return rules.slot_capacity(code, ctx.window_items, minutes, r.slot_minutes, r.share)


def slots_on(ctx: HallContext, day: date, r: Rules) -> list[Slot]:
    periods = ctx.config.hours.to_domain().periods_on(day, ctx.day_kinds)
    return rules.day_slots(day, periods, ctx.tz, r.slot_minutes)


def open_days(ctx: HallContext, now: datetime, r: Rules) -> list[date]:
    hours = ctx.config.hours.to_domain()
    return rules.bookable_days(
        local_day(now, ctx.timezone),
        ctx.day_kinds,
        lambda d: bool(hours.periods_on(d, ctx.day_kinds)),
        r.days_ahead,
    )


def _taken(session: Session, ctx: HallContext, item_id: int, slots: list[Slot]) -> dict:
    if not slots:
        return {}
    rows = session.execute(
        select(AppointmentSlotCount.slot_start, AppointmentSlotCount.taken).where(
            AppointmentSlotCount.hall_id == ctx.id,
            AppointmentSlotCount.item_id == item_id,
            AppointmentSlotCount.slot_start >= slots[0].start,
            AppointmentSlotCount.slot_start <= slots[-1].start,
        )
    )
    return {start: taken for start, taken in rows}


def _slot_views(session, ctx, info: ItemInfo, day: date, now: datetime, r: Rules) -> list[dict]:
    slots = slots_on(ctx, day, r)
    cap = capacity(session, ctx, info.code, r)
    taken = _taken(session, ctx, info.id, slots)
    out = []
    for slot in slots:
        used = taken.get(slot.start, 0)
        reason = rules.slot_reason(slot, now, r.cutoff_minutes, cap, used)
        out.append(
            {
                "start": slot.start.isoformat(),
                "end": slot.end.isoformat(),
                "capacity": cap,
                "left": max(0, cap - used),
                "bookable": reason is None,
                "reason": reason.value if reason else None,
            }
        )
    return out


def days(session: Session, ctx: HallContext, code: str, now: datetime) -> dict[str, Any]:
    r = rules_of(ctx)
    info = _item(session, ctx, code)
    cal = ctx.calendar
    out = []
    for day in open_days(ctx, now, r):
        kind = ctx.day_kinds(day)
        holiday = kind is DayKind.CLOSED and cal.covers(day.year) and cal.source.is_holiday(day)
        slots = _slot_views(session, ctx, info, day, now, r)
        open_ = [s for s in slots if s["bookable"]]
        out.append(
            {
                "day": day.isoformat(),
                "kind": rules.day_label(day, kind, holiday),
                "bookable": bool(open_),
                "slots_left": sum(s["left"] for s in open_),
            }
        )
    return {"item": code, "days": out}


def slots(session: Session, ctx: HallContext, code: str, day: date, now: datetime) -> dict:
    r = rules_of(ctx)
    info = _item(session, ctx, code)
    views = _slot_views(session, ctx, info, day, now, r) if day in open_days(ctx, now, r) else []
    return {"item": code, "day": day.isoformat(), "slots": views}


# --- claiming and releasing a slot's places -------------------------------------------------------

_CLAIMS: dict[str, Any] = {}
_RELEASE = (
    # declarative __table__ is a Table; the stubs only promise a FromClause
    update(cast(Table, AppointmentSlotCount.__table__))
    .where(
        AppointmentSlotCount.__table__.c.hall_id == bindparam("h"),
        AppointmentSlotCount.__table__.c.item_id == bindparam("i"),
        AppointmentSlotCount.__table__.c.slot_start == bindparam("s"),
        AppointmentSlotCount.__table__.c.taken > 0,
    )
    .values(taken=AppointmentSlotCount.__table__.c.taken - 1)
)


def claim_place(uow: UnitOfWork, hall_id: int, item_id: int, start: datetime, cap: int) -> bool:
    """Take one place of the slot atomically; False when it is full."""
    if cap <= 0:
        return False
    stmt = _CLAIMS.get(uow.dialect)
    if stmt is None:
        table = AppointmentSlotCount.__table__
        stmt = _CLAIMS[uow.dialect] = (
            upsert(uow.session)(table)
            .on_conflict_do_update(
                index_elements=["hall_id", "item_id", "slot_start"],
                set_={"taken": table.c.taken + 1},
                where=table.c.taken < bindparam("cap"),
            )
            .returning(table.c.taken)
        )
    params = {"hall_id": hall_id, "item_id": item_id, "slot_start": start, "taken": 1, "cap": cap}
    return uow.session.execute(stmt, params).scalar_one_or_none() is not None


def release_place(uow: UnitOfWork, a: Appointment) -> None:
    uow.session.execute(_RELEASE, {"h": a.hall_id, "i": a.item_id, "s": a.slot_start})


# --- views ----------------------------------------------------------------------------------------


def view(session: Session, ctx: HallContext, a: Appointment, now: datetime) -> dict[str, Any]:
    """An appointment as the resident's page and the kiosk show it: masked name and phone."""
    r = ctx.config.appointments.to_rules()
    first, last = rules.check_in_window(a.slot_start, r)
    booked = a.state == AppointmentState.BOOKED
    tz = ctx.tz
    return {
        "code": a.code,
        "state": a.state,
        "item": {"code": a.item.code, "name": {"zh": a.item.name_zh, "en": a.item.name_en}},
        "hall": {"code": ctx.code, "name": {"zh": ctx.name_zh, "en": ctx.name_en}},
        "day": a.day.isoformat(),
        "slot_start": a.slot_start.astimezone(tz).isoformat(),
        "slot_end": a.slot_end.astimezone(tz).isoformat(),
        "check_in_from": first.astimezone(tz).isoformat(),
        "check_in_until": last.astimezone(tz).isoformat(),
        "name_masked": a.name_masked,
        "phone_masked": a.phone_masked,
        "ticket_number": _ticket_number(session, a),
        "can_cancel": booked and now < a.slot_start,
        "can_move": booked and now < a.slot_start,
    }


def _ticket_number(session: Session, a: Appointment) -> str | None:
    if a.ticket_id is None:
        return None
    return session.scalar(select(Ticket.number).where(Ticket.id == a.ticket_id))


def _event(a: Appointment) -> dict[str, Any]:
    return {
        "code": a.code,
        "item": a.item.code,
        "slot_start": a.slot_start.isoformat(),
        "state": a.state,
    }


def _change(uow: UnitOfWork, ctx, actor: Actor, a: Appointment, what: str, details, rid) -> None:
    uow.audit(ctx.id, actor, f"appointment.{what}", "appointment", a.code, details, rid)
    uow.emit(ctx.id, f"appointment.{what}", _event(a))


# --- booking --------------------------------------------------------------------------------------


def _slot_for(session, ctx: HallContext, info: ItemInfo, start: datetime, now, r: Rules) -> Slot:
    """The bookable slot beginning at ``start``: 400 when it is no slot boundary, 409 when it
    cannot be booked now."""
    if start.tzinfo is None:
        raise InvalidInput("invalid_slot_start", "slot_start needs a UTC offset", "slot_start")
    local = start.astimezone(ctx.tz)
    slot = rules.find_slot(local, slots_on(ctx, local.date(), r))
    if slot is None:
        raise InvalidInput(
            "not_a_slot",
            f"{local.isoformat()} 不是预约时段的开始 / is not the start of a slot",
            "slot_start",
        )
    if local.date() not in open_days(ctx, now, r):
        raise Conflict(
            "slot_closed", "该日期不可预约 / that day is not open for booking", "slot_start"
        )
    cap = capacity(session, ctx, info.code, r)
    reason = rules.slot_reason(slot, now, r.cutoff_minutes, cap, 0)
    if reason is SlotReason.CLOSED:
        raise Conflict("slot_closed", "该时段不可预约 / the slot takes no bookings", "slot_start")
    if reason is not None:
        raise Conflict(
            "slot_cutoff",
            f"距时段开始不足{r.cutoff_minutes}分钟，不可预约 / "
            f"booking closes {r.cutoff_minutes} minutes before the slot",
            "slot_start",
        )
    return slot


def _claim_or_full(uow, ctx, info: ItemInfo, slot: Slot, r: Rules) -> None:
    cap = capacity(uow.session, ctx, info.code, r)
    if not claim_place(uow, ctx.id, info.id, slot.start, cap):
        raise Conflict("slot_full", "该时段已约满 / the slot is fully booked", "slot_start")


def _lock_person(uow: UnitOfWork, *digests: str) -> None:
    """On PostgreSQL, serialise bookings of one phone / ID (the limits read, then write);
    SQLite has a single writer anyway."""
    if uow.dialect != "postgresql":
        return
    for digest in sorted(d for d in digests if d):
        uow.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": int(digest[:15], 16)})


def _check_limits(session, ctx, r: Rules, now, item_id: int, day: date, phone_d: str, id_d: str):
    a = Appointment
    for field, column, digest, limit in (
        ("phone", a.phone_digest, phone_d, r.max_active_per_phone),
        ("id_number", a.id_digest, id_d, r.max_active_per_id),
    ):
        if not digest:
            continue
        mine = (a.hall_id == ctx.id, column == digest)
        active = session.execute(
            select(a.item_id, a.day).where(
                *mine, a.state == AppointmentState.BOOKED, a.slot_end > now
            )
        ).all()
        if any(i == item_id and d == day for i, d in active):
            raise Conflict(
                "already_booked", "您当天已预约该事项 / already booked for this item and day", field
            )
        if len(active) >= limit:
            raise Conflict(
                "too_many_active",
                f"每人最多{limit}个有效预约 / at most {limit} active appointments",
                field,
            )
        since = now - timedelta(days=r.no_show_days)
        missed = session.scalars(
            select(a.no_show_at).where(
                *mine, a.state == AppointmentState.NO_SHOW, a.no_show_at > since
            )
        ).all()
        until = rules.no_show_blocked_until(missed, now, r)
        if until is not None:
            when = until.astimezone(ctx.tz).strftime("%Y-%m-%d")
            raise Conflict(
                "too_many_no_shows",
                f"近{r.no_show_days}天爽约{r.no_show_limit}次，{when}后可再预约 / "
                f"{r.no_show_limit} no-shows in {r.no_show_days} days: booking again from {when}",
                field,
            )


def _new_code(session: Session, hall_id: int) -> str:
    while True:
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        taken = session.scalar(
            select(Appointment.id).where(Appointment.hall_id == hall_id, Appointment.code == code)
        )
        if taken is None:
            return code


def book(
    uow: UnitOfWork,
    ctx: HallContext,
    actor: Actor,
    protector: Protector,
    *,
    item_code: str,
    slot_start: datetime,
    name: str,
    phone: str,
    id_number: str | None,
    request_id: str | None,
) -> dict[str, Any]:
    r = rules_of(ctx)
    s, now = uow.session, uow.now
    info = _item(s, ctx, item_code, "item_code")
    digits = phone_digits(phone)
    if digits is None or digits[0] != "1":
        raise InvalidInput("invalid_phone", "请填写11位手机号 / a mainland mobile number", "phone")
    id_number = (id_number or "").strip().upper()
    if id_number and not valid_id_number(id_number):
        raise InvalidInput(
            "invalid_id_number", "身份证号码不正确 / not a valid ID number", "id_number"
        )
    slot = _slot_for(s, ctx, info, slot_start, now, r)
    phone_d = protector.digest(digits)
    id_d = protector.digest(id_number) if id_number else ""
    _lock_person(uow, phone_d, id_d)
    _check_limits(s, ctx, r, now, info.id, slot.start.date(), phone_d, id_d)
    _claim_or_full(uow, ctx, info, slot, r)
    token = secrets.token_urlsafe(18)
    a = Appointment(
        hall_id=ctx.id,
        code=_new_code(s, ctx.id),
        manage_token_hash=token_hash(token),
        item_id=info.id,
        day=slot.start.date(),
        slot_start=slot.start,
        slot_end=slot.end,
        state=AppointmentState.BOOKED,
        name_sealed=protector.seal(name),
        name_masked=mask_name(name),
        phone_sealed=protector.seal(digits),
        phone_masked=mask_phone(digits),
        phone_last4=digits[-4:],
        phone_digest=phone_d,
        id_sealed=protector.seal(id_number),
        id_masked=mask_id_number(id_number) if id_number else "",
        id_digest=id_d,
        booked_at=now,
        moves=0,
    )
    s.add(a)
    s.flush()
    details = {"item": info.code, "slot_start": slot.start.isoformat(), "phone": a.phone_masked}
    _change(uow, ctx, actor, a, "booked", details, request_id)
    return {
        "appointment": view(s, ctx, a, now),
        "manage_token": token,
        "manage_path": f"/a/{token}",
    }


# --- the resident's manage page -------------------------------------------------------------------


def by_token(session: Session, token: str) -> tuple[HallContext, Appointment]:
    a = None
    if 0 < len(token) <= TOKEN_MAX:
        a = session.scalar(
            select(Appointment).where(Appointment.manage_token_hash == token_hash(token))
        )
    if a is None:
        raise NotFound("appointment_not_found", "没有该预约 / no such appointment", "token")
    return context_of(session.get_one(Hall, a.hall_id)), a


def _resident(a: Appointment) -> Actor:
    return Actor(f"resident:{a.code}")


def _changeable(a: Appointment, now: datetime, what: str) -> None:
    if a.state != AppointmentState.BOOKED or now >= a.slot_start:
        raise Conflict(
            f"not_{what}able" if what != "move" else "not_movable",
            f"该预约已不能{'取消' if what == 'cancel' else '改约'} / "
            f"the appointment can no longer be {'cancelled' if what == 'cancel' else 'moved'}",
            None,
        )


def cancel(uow: UnitOfWork, token: str, request_id: str | None) -> dict[str, Any]:
    ctx, a = by_token(uow.session, token)
    _changeable(a, uow.now, "cancel")
    a.state, a.cancelled_at = AppointmentState.CANCELLED, uow.now
    release_place(uow, a)
    _change(
        uow, ctx, _resident(a), a, "cancelled", {"slot_start": a.slot_start.isoformat()}, request_id
    )
    return {"appointment": view(uow.session, ctx, a, uow.now)}


def move(uow: UnitOfWork, token: str, slot_start: datetime, request_id: str | None) -> dict:
    ctx, a = by_token(uow.session, token)
    r = rules_of(ctx)
    _changeable(a, uow.now, "move")
    info = _item(uow.session, ctx, a.item.code, "slot_start")
    slot = _slot_for(uow.session, ctx, info, slot_start, uow.now, r)
    if slot.start == a.slot_start:
        raise Conflict("same_slot", "已预约该时段 / that is already the booked slot", "slot_start")
    _claim_or_full(uow, ctx, info, slot, r)
    release_place(uow, a)
    before = a.slot_start
    a.day, a.slot_start, a.slot_end = slot.start.date(), slot.start, slot.end
    a.moves += 1
    details = {"from": before.isoformat(), "to": slot.start.isoformat()}
    _change(uow, ctx, _resident(a), a, "moved", details, request_id)
    return {"appointment": view(uow.session, ctx, a, uow.now)}


# --- check-in at the kiosk ------------------------------------------------------------------------


def _today_of(session, ctx: HallContext, now, *conditions) -> list[Appointment]:
    return list(
        session.scalars(
            select(Appointment)
            .where(
                Appointment.hall_id == ctx.id,
                Appointment.day == local_day(now, ctx.timezone),
                *conditions,
            )
            .order_by(Appointment.slot_start, Appointment.id)
        )
    )


NOT_FOUND = "没有找到今天的预约，请核对预约码 / no appointment for today with that code"


def find_for_check_in(
    session, ctx: HallContext, now, code: str | None, phone_last4: str | None, item_code: str | None
) -> Appointment:
    """Today's appointment to check in: by its code, or by the phone's last 4 digits and the
    item. A cancelled one is not found; one already checked in is a conflict."""
    if code is not None:
        if not (len(code) == CODE_DIGITS and code.isascii() and code.isdigit()):
            raise InvalidInput(
                "invalid_code", f"预约码为{CODE_DIGITS}位数字 / {CODE_DIGITS} digits", "code"
            )
        found = _today_of(session, ctx, now, Appointment.code == code)
        field = "code"
    else:
        info = ctx.item(session, item_code or "")
        if info is None:
            raise NotFound("item_not_found", f"no service item {item_code!r}", "item_code")
        found = _today_of(
            session,
            ctx,
            now,
            Appointment.item_id == info.id,
            Appointment.phone_last4 == phone_last4,
            Appointment.state != AppointmentState.CANCELLED,
        )
        field = "phone_last4"
    found = [a for a in found if a.state != AppointmentState.CANCELLED]
    if not found:
        raise NotFound("appointment_not_found", NOT_FOUND, field)
    waiting = [a for a in found if a.state in (AppointmentState.BOOKED, AppointmentState.NO_SHOW)]
    if not waiting:
        raise Conflict("already_checked_in", "该预约已签到 / already checked in", field)
    if len(waiting) > 1:
        raise Conflict(
            "ambiguous", "找到多个预约，请输入预约码 / several appointments: enter the code", field
        )
    return waiting[0]


def check_in(
    uow: UnitOfWork,
    ctx: HallContext,
    actor: Actor,
    *,
    code: str | None = None,
    phone_last4: str | None = None,
    item_code: str | None = None,
    language: str = "zh",
    request_id: str | None = None,
) -> dict[str, Any]:
    """A ticket for today's appointment: with appointment priority and its slot inside the
    tolerance; outside it an ordinary ticket with the reason in plain words. Either way the
    appointment is checked in (a late one even after the no-show sweep marked it)."""
    from .tickets import issue_ticket  # tickets routes kiosk appointment codes here

    r = rules_of(ctx)
    a = find_for_check_in(uow.session, ctx, uow.now, code, phone_last4, item_code)
    if code is not None and item_code is not None and a.item.code != item_code:
        raise Conflict(
            "appointment_other_item",
            f"该预约办理的是{a.item.name_zh} / the appointment is for {a.item.code}",
            "item_code",
        )
    kind = rules.arrival(uow.now, a.slot_start, r)
    on_time = kind is Arrival.ON_TIME
    issued = issue_ticket(
        uow,
        ctx,
        actor,
        item_code=a.item.code,
        priority=Priority.APPOINTMENT.value if on_time else Priority.NORMAL.value,
        priority_reason=a.code if on_time else None,
        language=language,
        request_id=request_id,
        appointment_id=a.id,
        slot_start=a.slot_start if on_time else None,
    )
    was = a.state
    a.state, a.checked_in_at, a.on_time = AppointmentState.CHECKED_IN, uow.now, on_time
    a.ticket_id = issued["ticket"]["id"]
    details = {
        "ticket": issued["ticket"]["number"],
        "arrival": kind.value,
        "was": was,
    }
    _change(uow, ctx, actor, a, "checked_in", details, request_id)
    tz = ctx.tz
    return issued | {
        "appointment": {
            "code": a.code,
            "slot_start": a.slot_start.astimezone(tz).isoformat(),
            "slot_end": a.slot_end.astimezone(tz).isoformat(),
            "on_time": on_time,
            "arrival": kind.value,
            "explanation": rules.explanation(kind),
        }
    }


# --- staff: the day's appointments per slot -------------------------------------------------------


def day_board(
    session: Session, ctx: HallContext, day: date, item_codes: list[str] | None = None
) -> dict[str, Any]:
    r = rules_of(ctx)
    rows = session.scalars(
        select(Appointment)
        .where(Appointment.hall_id == ctx.id, Appointment.day == day)
        .order_by(Appointment.slot_start, Appointment.id)
    ).all()
    ticket_ids = [a.ticket_id for a in rows if a.ticket_id]
    numbers = (
        dict(
            session.execute(select(Ticket.id, Ticket.number).where(Ticket.id.in_(ticket_ids)))
            .tuples()
            .all()
        )
        if ticket_ids
        else {}
    )
    groups: dict[tuple[datetime, str], dict[str, Any]] = {}
    for a in rows:
        if item_codes is not None and a.item.code not in item_codes:
            continue
        key = (a.slot_start, a.item.code)
        group = groups.get(key)
        if group is None:
            group = groups[key] = {
                "start": a.slot_start.astimezone(ctx.tz).isoformat(),
                "end": a.slot_end.astimezone(ctx.tz).isoformat(),
                "item": {"code": a.item.code, "name": {"zh": a.item.name_zh, "en": a.item.name_en}},
                "capacity": capacity(session, ctx, a.item.code, r),
                "booked": 0,
                "checked_in": 0,
                "no_show": 0,
                "appointments": [],
            }
        if a.state != AppointmentState.CANCELLED:
            group["booked"] += 1
        group["checked_in"] += a.state == AppointmentState.CHECKED_IN
        group["no_show"] += a.state == AppointmentState.NO_SHOW
        group["appointments"].append(
            {
                "code": a.code,
                "name_masked": a.name_masked,
                "phone_masked": a.phone_masked,
                "state": a.state,
                "ticket_number": numbers.get(a.ticket_id) if a.ticket_id else None,
            }
        )
    return {"day": day.isoformat(), "slots": [groups[k] for k in sorted(groups)]}


# --- the no-show sweep ----------------------------------------------------------------------------


def mark_no_shows(uow: UnitOfWork, ctx: HallContext) -> int:
    """Booked appointments whose slot (and check-in tolerance) has passed become no-shows
    (audited)."""
    if not ctx.config.appointments.enabled:
        return 0
    r = ctx.config.appointments.to_rules()
    late = timedelta(minutes=r.late_minutes)
    due = uow.session.scalars(
        select(Appointment)
        .where(
            Appointment.hall_id == ctx.id,
            Appointment.state == AppointmentState.BOOKED,
            Appointment.slot_end <= uow.now,
            Appointment.slot_start <= uow.now - late,
        )
        .order_by(Appointment.id)
        .with_for_update(of=Appointment)
    ).all()
    for a in due:
        a.state, a.no_show_at = (
            AppointmentState.NO_SHOW,
            rules.no_show_at(Slot(a.slot_start, a.slot_end), r),
        )
        _change(
            uow,
            ctx,
            Actor("job:appointments"),
            a,
            "no_show",
            {"slot_start": a.slot_start.isoformat()},
            None,
        )
    return len(due)


def sweep_no_shows(db, now: datetime, publisher) -> dict[str, int]:
    """One no-show sweep of every hall that takes appointments, each in its own transaction."""
    with UnitOfWork(db, now, write=False) as uow:
        contexts = [context_of(h) for h in uow.session.scalars(select(Hall)).all()]
    totals: dict[str, int] = {}
    for ctx in contexts:
        if not ctx.config.appointments.enabled:
            continue
        with UnitOfWork(db, now, write=False) as uow:
            late = timedelta(minutes=ctx.config.appointments.late_minutes)
            pending = uow.session.scalar(
                select(func.count(Appointment.id)).where(
                    Appointment.hall_id == ctx.id,
                    Appointment.state == AppointmentState.BOOKED,
                    Appointment.slot_start < now - late,
                )
            )
        if not pending:
            totals[ctx.code] = 0
            continue
        with UnitOfWork(db, now) as uow:
            totals[ctx.code] = mark_no_shows(uow, ctx)
            uow.commit(publisher)
    return totals


def check_ticket_code(session, ctx: HallContext, code: str | None) -> bool:
    """Whether /tickets must route ``priority=appointment`` through check-in (the hall takes
    appointments and does not accept codes of an outside booking system unchecked)."""
    cfg = ctx.config.appointments
    return cfg.enabled and not cfg.unchecked_codes
