"""The pieces every endpoint uses: authentication, deny-by-default roles, hall scoping, body
parsing into pydantic models, JSON errors, idempotent commands, and the OpenAPI registry."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, current_app, g, jsonify, request
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from ..db.uow import UnitOfWork
from ..domain.errors import DomainError, Forbidden, InvalidInput, NotFound
from ..domain.text import bad_character
from ..services import network
from ..services.auth import Principal, authenticate
from ..services.commands import check_request_id, run_command
from ..services.halls import HallContext, context_for, hall_context

PUBLIC = "public"
STAFF = frozenset({"clerk", "manager", "admin"})
MANAGERS = frozenset({"manager", "admin"})
# 督查督办: reads the board, cases and reports of its own hall and of every hall below it;
# routes name it explicitly (the hall check below lets it into halls under its own)
SUPERVISOR = "supervisor"
OVERSEERS = frozenset({*MANAGERS, SUPERVISOR})
ANY_PRINCIPAL = frozenset(
    {"clerk", "manager", "admin", SUPERVISOR, "kiosk", "display", "printer", "rating_pad"}
)


class ApiError(Exception):
    def __init__(
        self, status: int, code: str, message: str, field: str | None = None, details=None
    ):
        super().__init__(message)
        self.status, self.code, self.message, self.field, self.details = (
            status,
            code,
            message,
            field,
            details,
        )


STATUS_OF = {
    "invalid": 400,
    "not_found": 404,
    "conflict": 409,
    "forbidden": 403,
    "too_many": 429,
}


def error_response(status: int, code: str, message: str, field: str | None = None, details=None):
    body: dict[str, Any] = {"error": {"code": code, "message": message, "field": field}}
    if details:
        body["error"]["details"] = details
    return jsonify(body), status


def domain_error_response(exc: DomainError):
    response, status = error_response(STATUS_OF[exc.kind], exc.code, exc.message, exc.field)
    retry_after = getattr(exc, "retry_after", None)
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response, status


def validation_error_response(exc: ValidationError):
    problems = [
        {"field": ".".join(str(p) for p in e["loc"]) or None, "message": e["msg"]}
        for e in exc.errors()
    ]
    first = problems[0]
    return error_response(
        400, "invalid_field", f"{first['field']}: {first['message']}", first["field"], problems
    )


@dataclass
class RouteSpec:
    rule: str
    methods: list[str]
    summary: str
    roles: frozenset[str] | str
    body: type[BaseModel] | None
    tag: str
    mutating: bool
    endpoint: str = ""
    params: dict[str, str] = field(default_factory=dict)
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None  # the 200 answer's JSON body
    produces: tuple[str, ...] = ()  # other media types it may answer with (PDF, CSV, XLSX)


ROUTES: list[RouteSpec] = []


def now() -> datetime:
    clock = current_app.config.get("ONESTOP_CLOCK")
    return clock() if clock else datetime.now(UTC)


def db():
    return current_app.extensions["onestop"].db


def publisher():
    return current_app.extensions["onestop"].publisher


def protector():
    return current_app.extensions["onestop"].protector


def notifier():
    return current_app.extensions["onestop"].notifier


def unit() -> UnitOfWork:
    """The request's one unit of work: authentication, the hall, the read or the command all run
    in it (a write transaction for mutating routes, a read transaction otherwise)."""
    uow = g.get("uow")
    if uow is None:
        uow = UnitOfWork(db(), now(), write=g.get("mutating", False)).__enter__()
        g.uow = uow
    return uow


def close_unit(_exc: BaseException | None = None) -> None:
    """End the request's unit of work (rolled back unless its command committed); registered as
    a request teardown too, for pages that read through ``read`` outside ``endpoint``."""
    uow = g.pop("uow", None)
    if uow is not None:
        uow.__exit__(None, None, None)


def current_principal() -> Principal | None:
    if "principal" in g:
        return g.principal
    header = request.headers.get("Authorization", "")
    principal = None
    if header.startswith("Bearer ") and len(header) < 200:
        principal = authenticate(unit().session, header[7:].strip(), now())
    g.principal = principal
    return principal


def endpoint(
    bp: Blueprint,
    rule: str,
    *,
    methods: tuple[str, ...] = ("GET",),
    summary: str,
    roles: frozenset[str] | str,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    produces: tuple[str, ...] = (),
    tag: str = "hall",
):
    """Register a view. ``roles`` is required: PUBLIC or a set of roles; anything else is denied.
    Views under /halls/<hall> only see their own hall: a principal of another hall gets 404.
    ``body`` and ``query`` are parsed into the view's ``body`` and ``query`` arguments (a 400
    naming the field when they do not fit); ``response`` describes the 200 answer in the OpenAPI
    document (``produces``: the media types of a download, such as ``application/pdf``)."""
    mutating = any(m in ("POST", "PUT", "PATCH", "DELETE") for m in methods)

    def decorate(view: Callable):
        spec = RouteSpec(
            rule=bp.url_prefix + rule if bp.url_prefix else rule,
            methods=list(methods),
            summary=summary,
            roles=roles,
            body=body,
            tag=tag,
            mutating=mutating,
            query=query,
            response=response,
            produces=produces,
        )
        ROUTES.append(spec)

        @functools.wraps(view)
        def wrapper(**kwargs):
            g.mutating = mutating
            try:
                return guarded(**kwargs)
            finally:
                close_unit()

        def guarded(**kwargs):
            check_path_values(kwargs)
            principal = None
            if roles != PUBLIC:
                principal = current_principal()
                if principal is None:
                    raise ApiError(
                        401,
                        "unauthenticated",
                        "需要登录或设备令牌 / a valid token is required",
                        "Authorization",
                    )
                if principal.role not in roles:
                    raise ApiError(403, "forbidden", f"role {principal.role} may not do this", None)
                if "hall" in kwargs and not may_enter(principal, kwargs["hall"]):
                    raise ApiError(
                        404, "hall_not_found", f"no hall with code {kwargs['hall']!r}", "hall"
                    )
            if body is not None:
                kwargs["body"] = parse_body(body)
            if query is not None:
                kwargs["query"] = query.model_validate(request.args.to_dict())
            g.principal = principal
            return view(**kwargs)

        wrapper.onestop_access = roles  # type: ignore[attr-defined]  # a function attribute, read by app.py
        spec.endpoint = f"{bp.name}.{view.__name__}"
        bp.add_url_rule(rule, view.__name__, wrapper, methods=list(methods))
        return wrapper

    return decorate


def may_enter(principal: Principal, hall: str) -> bool:
    """Staff and devices enter their own hall only; a supervisor also every hall below its own
    (anything else answers 404, as if the hall did not exist)."""
    if hall == principal.hall_code:
        return True
    return principal.role == SUPERVISOR and network.oversees(
        unit().session, principal.hall_id, hall
    )


MAX_PATH_INT = 2**31 - 1  # PostgreSQL's integer; SQLite's would be 2**63 - 1
MAX_JSON_DEPTH = 16


def check_path_values(values: dict[str, Any]) -> None:
    """Path and query values the database cannot hold are a 400 naming them, never a 500."""
    for name, value in values.items():
        if isinstance(value, int) and not 0 <= value <= MAX_PATH_INT:
            raise ApiError(400, "out_of_range", f"{name} must be at most {MAX_PATH_INT}", name)
        if isinstance(value, str) and (bad := bad_character(value)):
            raise _bad_character(name, bad)
    for name, value in request.args.items(multi=True):
        if bad := bad_character(name) or bad_character(value):
            raise _bad_character(name, bad)


def _bad_character(where: str, char: str) -> ApiError:
    return ApiError(
        400,
        "bad_character",
        f"{where} 含有不允许的字符 {char} / {where} holds a character that is not allowed ({char})",
        where,
    )


def parse_body(model: type[BaseModel]) -> BaseModel:
    if not request.is_json:
        raise ApiError(
            415, "json_required", "send a JSON body with Content-Type: application/json", None
        )
    raw = request.get_data(cache=True)  # over MAX_CONTENT_LENGTH with a length: 413 here
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and len(raw) >= limit and request.environ["wsgi.input"].read(1):
        raise RequestEntityTooLarge()  # a chunked body is cut at the limit, not refused
    if json_depth(raw) > MAX_JSON_DEPTH:
        raise ApiError(400, "too_deep", f"the body nests deeper than {MAX_JSON_DEPTH} levels", None)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "malformed_json", "the body is not a JSON object", None)
    found = bad_character_in(data)
    if found is not None:
        raise _bad_character(*found)
    return model.model_validate(data)


def json_depth(raw: bytes) -> int:
    """How deep brackets nest in a JSON text (brackets inside strings do not count)."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_JSON_DEPTH:
        return 0
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def bad_character_in(data: Any, path: str = "") -> tuple[str, str] | None:
    """(dotted path, ``U+XXXX``) of the first key or string holding a character no text may
    hold (NUL and other controls, bidi overrides; see ``domain.text``), or None."""
    if isinstance(data, str):
        bad = bad_character(data)
        return (path or "body", bad) if bad else None
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{path}.{key}" if path else str(key)
            if bad := bad_character(str(key)):
                return here, bad
            found = bad_character_in(value, here)
            if found:
                return found
    if isinstance(data, list):
        for i, value in enumerate(data):
            found = bad_character_in(value, f"{path}.{i}" if path else str(i))
            if found:
                return found
    return None


def hall_ctx(code: str) -> HallContext:
    principal = g.get("principal")
    if principal is not None and principal.hall_code == code and principal.hall_digest:
        return context_for(unit().session, principal.hall_id, principal.hall_digest)
    return hall_context(unit().session, code)


def request_id_from(body: BaseModel | None) -> str | None:
    header = request.headers.get("Idempotency-Key")
    return header or (getattr(body, "request_id", None) if body is not None else None)


def command(
    ctx: HallContext | None,
    action: Callable[[UnitOfWork, str], dict[str, Any]],
    body: BaseModel | None = None,
    operation: str | None = None,
):
    """Run a mutating action once per request id and answer with its (possibly replayed) result."""
    principal: Principal = g.principal
    rid = check_request_id(request_id_from(body))  # 400 request_id_required when absent
    payload = body.model_dump(mode="json", exclude={"request_id"}) if body is not None else None
    result, replayed = run_command(
        unit(),
        publisher(),
        now(),
        principal=principal.key if principal else f"anon:{request.remote_addr}",
        hall_id=ctx.id if ctx else None,
        request_id=rid,
        operation=operation or f"{request.method} {request.path}",
        body=payload,
        action=lambda uow: action(uow, rid),
    )
    response = jsonify(result)
    response.headers["Idempotent-Replayed"] = "true" if replayed else "false"
    return response


def read(fn: Callable[[UnitOfWork], Any]):
    return fn(unit())


__all__ = ["ApiError", "InvalidInput", "NotFound", "Forbidden"]
