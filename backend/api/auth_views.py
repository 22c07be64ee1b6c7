"""Login, logout and who-am-I."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, request

from ..services import auth
from ..services import login as login_service
from .framework import ANY_PRINCIPAL, PUBLIC, STAFF, command, db, endpoint, now
from .responses.hall import LoginAnswer, LogoutAnswer, WhoAmI
from .schemas import Command, Login

bp = Blueprint("auth", __name__, url_prefix="/api/v1/auth")


@endpoint(
    bp,
    "/login",
    methods=("POST",),
    summary="Staff login; returns a bearer token",
    roles=PUBLIC,
    body=Login,
    response=LoginAnswer,
    tag="auth",
)
def login(body: Login):
    guard = current_app.extensions["onestop"].login_guard
    address = request.remote_addr or "unknown"
    result = login_service.login(
        db(), guard, now(), body.hall, body.username, body.password, body.client, address
    )
    return jsonify(result)


@endpoint(
    bp,
    "/logout",
    methods=("POST",),
    summary="Revoke the current staff token",
    roles=STAFF,
    body=Command,
    response=LogoutAnswer,
    tag="auth",
)
def logout(body: Command):
    def action(uow, rid):
        auth.revoke_token(uow, g.principal)
        return {"revoked": True}

    return command(None, action, body, operation="logout")


@endpoint(
    bp,
    "/me",
    summary="Who the token belongs to",
    roles=ANY_PRINCIPAL,
    response=WhoAmI,
    tag="auth",
)
def me():
    p = g.principal
    return jsonify({"kind": p.kind, "name": p.name, "role": p.role, "hall": p.hall_code})
