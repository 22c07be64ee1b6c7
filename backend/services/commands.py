"""Run a mutating command once per client request id, publishing its events after commit."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import JSON, Table, bindparam, select, update

from ..db.models import IdempotentRequest
from ..db.uow import Publisher, UnitOfWork, upsert
from ..domain.errors import Conflict, InvalidInput
from . import messagebus

MAX_REQUEST_ID = 80


def fingerprint(operation: str, body: Any) -> str:
    raw = json.dumps([operation, body], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def check_request_id(request_id: Any) -> str:
    if not isinstance(request_id, str) or not request_id.strip():
        raise InvalidInput(
            "request_id_required",
            "every change needs a client request id (header Idempotency-Key or field request_id)",
            "request_id",
        )
    if len(request_id) > MAX_REQUEST_ID:
        raise InvalidInput(
            "request_id_too_long", f"request id is longer than {MAX_REQUEST_ID}", "request_id"
        )
    return request_id.strip()


def run_command(
    uow: UnitOfWork,
    publisher: Publisher,
    now: datetime,
    *,
    principal: str,
    hall_id: int | None,
    request_id: str,
    operation: str,
    body: Any,
    action: Callable[[UnitOfWork], dict[str, Any]],
) -> tuple[dict[str, Any], bool]:
    """Returns (result, replayed). A repeated request id gets the first result and changes nothing;
    the same id with a different body is a conflict. A failed command stores nothing.

    The request id is claimed first, before the action runs: a twin sent while the first is
    still in flight waits on the claim (PostgreSQL's unique index; SQLite's writer gate) and
    then replays the first answer, instead of running the action again against changed state."""
    request_id = check_request_id(request_id)
    print_ = fingerprint(operation, body)
    claim = _claim(uow, hall_id, principal, request_id, print_, now)
    if claim is None:
        prior = _prior(uow, principal, request_id)
        if prior is None:  # pragma: no cover - the claim exists but cannot be read
            raise Conflict("request_conflict", "the request could not be completed; retry it")
        return _replay(prior, print_), True
    result = action(uow)
    messagebus.handle(uow)  # the domain events it raised, in this same transaction
    uow.session.execute(_ANSWER, {"claim": claim, "answer": result})
    uow.commit(publisher)
    return result, False


_CLAIMS: dict[str, Any] = {}  # the claim statement per dialect, built once
_ANSWER = (
    # declarative __table__ is a Table; the stubs only promise a FromClause
    update(cast(Table, IdempotentRequest.__table__))
    .where(IdempotentRequest.__table__.c.id == bindparam("claim"))
    .values(status_code=200, response=bindparam("answer", type_=JSON))
)


def _claim(
    uow: UnitOfWork, hall_id: int | None, principal: str, request_id: str, print_: str, now
) -> int | None:
    """Insert the request id; None when it was already there (a repeat)."""
    stmt = _CLAIMS.get(uow.dialect)
    if stmt is None:
        table = IdempotentRequest.__table__
        stmt = _CLAIMS[uow.dialect] = (
            upsert(uow.session)(table)
            .on_conflict_do_nothing(index_elements=["principal", "request_id"])
            .returning(table.c.id)
        )
    params = {
        "hall_id": hall_id,
        "principal": principal,
        "request_id": request_id,
        "fingerprint": print_,
        "status_code": 0,
        "response": {},
        "created_at": now,
    }
    return uow.session.execute(stmt, params).scalar_one_or_none()


def _prior(uow: UnitOfWork, principal: str, request_id: str) -> IdempotentRequest | None:
    return uow.session.scalar(
        select(IdempotentRequest).where(
            IdempotentRequest.principal == principal, IdempotentRequest.request_id == request_id
        )
    )


def _replay(prior: IdempotentRequest, print_: str) -> dict[str, Any]:
    if prior.fingerprint != print_:
        raise Conflict(
            "request_id_reused",
            "this request id was already used for a different request",
            "request_id",
        )
    return prior.response
