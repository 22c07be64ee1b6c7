"""The kiosk's 办件查询 guard in the database: wrong tries counted per acceptance number and per
device (one atomic upsert each, so every server process, on SQLite or PostgreSQL, counts
together), the 429 while a lock is in force, and the clerk lifting a lock (audited).

A miss is written in its own short write transaction: the lookup itself is a read."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, literal, or_, select
from sqlalchemy.orm import Session

from ..db.models import Device, LookupGuard
from ..db.types import UTCDateTime
from ..db.uow import Actor, UnitOfWork, upsert
from ..domain.errors import InvalidInput, NotFound
from ..domain.lookup_guard import GuardRule, Scope, locked_error
from .auth import Principal
from .halls import HallContext

Key = tuple[Scope, str]
KEY_LENGTH = 40  # LookupGuard.key, and Case.number


def rule_of(ctx: HallContext) -> GuardRule:
    cfg = ctx.config.lookup_guard
    return GuardRule(
        number_misses=cfg.number_misses,
        device_misses=cfg.device_misses,
        window=timedelta(minutes=cfg.window_minutes),
        lock=timedelta(minutes=cfg.lock_minutes),
    )


def keys_for(who: Principal | None, number: str) -> list[Key]:
    """What a lookup counts against: the number always, and the device that asks."""
    keys: list[Key] = [(Scope.NUMBER, number)]
    if who is not None and who.kind == "device":
        keys.append((Scope.DEVICE, who.name))
    return keys


def check(session: Session, ctx: HallContext, keys: list[Key], now: datetime) -> None:
    """TooMany (429, Retry-After) while any of ``keys`` is locked."""
    wanted = or_(*(and_(LookupGuard.scope == s.value, LookupGuard.key == k) for s, k in keys))
    rows = session.execute(
        select(LookupGuard.scope, LookupGuard.locked_until).where(
            LookupGuard.hall_id == ctx.id, wanted, LookupGuard.locked_until > now
        )
    ).all()
    if rows:
        raise locked_error([(Scope(scope), until) for scope, until in rows], now)


def record_miss(
    uow: UnitOfWork, ctx: HallContext, keys: list[Key], actor: Actor
) -> list[tuple[Scope, datetime]]:
    """Count one miss against each key in ``uow`` (which the caller commits); the locks this
    miss set, (scope, until), are audited and returned."""
    rule, now = rule_of(ctx), uow.now
    locked: list[tuple[Scope, datetime]] = []
    for scope, key in keys:
        limit = rule.limit(scope)
        stmt = _miss(uow.session, ctx.id, scope, key, limit, rule, now)
        misses, until = uow.session.execute(stmt).one()
        if until is not None and until > now and misses >= limit:
            locked.append((scope, until))
        if misses == limit:  # exactly the miss that reached it (concurrent ones count on)
            uow.audit(
                ctx.id,
                actor,
                "case_lookup.locked",
                f"lookup_{scope.value}",
                key,
                {"misses": misses, "locked_until": until.isoformat()},
            )
    return locked


def _miss(session: Session, hall_id: int, scope: Scope, key: str, limit: int, rule, now):
    """INSERT … ON CONFLICT DO UPDATE: a count that has aged out (or whose lock has run out)
    starts again at 1; reaching ``limit`` sets the lock. Right-hand columns are the old row."""
    t = LookupGuard
    at = literal(now, UTCDateTime())
    lock_until = literal(now + rule.lock, UTCDateTime())
    stale = or_(t.since <= rule.fresh_since(now), t.locked_until <= now)
    misses = case((stale, 1), else_=t.misses + 1)
    return (
        upsert(session)(t)
        .values(
            hall_id=hall_id,
            scope=scope.value,
            key=key,
            misses=1,
            since=now,
            locked_until=now + rule.lock if limit <= 1 else None,
        )
        .on_conflict_do_update(
            index_elements=["hall_id", "scope", "key"],
            set_={
                "misses": misses,
                "since": case((stale, at), else_=t.since),
                "locked_until": case(
                    (misses >= limit, lock_until),
                    (stale, literal(None, UTCDateTime())),
                    else_=t.locked_until,
                ),
            },
        )
        .returning(t.misses, t.locked_until)
    )


def normalise_number(number: str) -> str:
    number = (number or "").strip().upper()
    if not number:
        raise InvalidInput("number_required", "受理编号必填 / number is required", "number")
    if len(number) > KEY_LENGTH:
        raise InvalidInput(
            "invalid_number",
            f"受理编号最多 {KEY_LENGTH} 个字符 / at most {KEY_LENGTH} characters",
            "number",
        )
    return number


def lift(
    uow: UnitOfWork,
    ctx: HallContext,
    who: Principal,
    number: str | None,
    device: str | None,
    rid: str | None,
) -> dict[str, Any]:
    """A clerk clears the count (and any lock) of one number or one device; audited."""
    if bool(number) == bool(device):
        raise InvalidInput(
            "lift_target_required",
            "请指定受理编号或设备之一 / give either a number or a device",
            "number",
        )
    if number:
        scope, key = Scope.NUMBER, normalise_number(number)
    else:
        scope, key = Scope.DEVICE, (device or "").strip()  # given: exactly one of the two is
        known = uow.session.scalar(
            select(Device.id).where(Device.hall_id == ctx.id, Device.code == key)
        )
        if known is None:
            raise NotFound(
                "device_not_found", f"本厅没有设备 {key!r} / no device {key!r}", "device"
            )
    row = uow.session.get(LookupGuard, (ctx.id, scope.value, key), with_for_update=True)
    if row is None or not _in_force(row, rule_of(ctx), uow.now):
        raise NotFound(
            "lookup_not_locked",
            "该编号（设备）的办件查询没有被锁定 / case lookup is not locked for it",
            scope.value,
        )
    was = guard_view(row, uow.now)
    row.misses, row.since, row.locked_until = 0, uow.now, None
    uow.audit(ctx.id, who.actor(), "case_lookup.unlocked", f"lookup_{scope.value}", key, was, rid)
    return {"lifted": was}


def _in_force(row: LookupGuard, rule: GuardRule, now: datetime) -> bool:
    """Locked now, or misses that still count towards a lock."""
    if row.locked_until is not None:
        return row.locked_until > now
    return row.misses > 0 and row.since > rule.fresh_since(now)


def guard_view(row: LookupGuard, now: datetime) -> dict[str, Any]:
    until = row.locked_until if row.locked_until is not None and row.locked_until > now else None
    return {
        "scope": row.scope,
        "key": row.key,
        "misses": row.misses,
        "locked": until is not None,
        "locked_until": until.isoformat() if until is not None else None,
    }


def list_locks(session: Session, ctx: HallContext, now: datetime) -> list[dict[str, Any]]:
    """The locks in force, for the clerk who is asked to lift one."""
    rows = session.scalars(
        select(LookupGuard)
        .where(LookupGuard.hall_id == ctx.id, LookupGuard.locked_until > now)
        .order_by(LookupGuard.locked_until.desc())
        .limit(200)
    )
    return [guard_view(row, now) for row in rows]
