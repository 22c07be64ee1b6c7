"""Flask application factory."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, jsonify, request
from flask.json.provider import DefaultJSONProvider
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from .api import (
    appointment_views,
    auth_views,
    case_views,
    hall_views,
    network_report_views,
    network_views,
    openapi,
    referral_views,
    report_views,
    staffing_views,
    window_views,
)
from .api.framework import (
    ApiError,
    close_unit,
    domain_error_response,
    error_response,
    validation_error_response,
)
from .db.engine import Database, open_database
from .db.protect import Protector, load_protector
from .db.uow import Publisher
from .domain.errors import DomainError
from .jobs import Scheduler
from .live.bus import CHANNEL
from .live.hub import LiveHub
from .services.login import LoginGuard
from .services.notify import LogNotifier, Notifier
from .services.notify_outbox import NotifyJob, Retry
from .services.notify_webhook import WebhookNotifier
from .web import booking_pages, i18n_views, pages, status_page
from .web.safety import add_headers, install_log_redaction

log = logging.getLogger("onestop")
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'var' / 'onestop.db'}"
MAX_BODY_BYTES = 64 * 1024


@dataclass
class OneStop:
    db: Database
    publisher: Publisher
    protector: Protector
    notifier: Notifier
    live: LiveHub
    login_guard: LoginGuard = field(default_factory=LoginGuard.default)
    scheduler: Scheduler | None = None


def settings_from_env() -> dict[str, Any]:
    return {
        "ONESTOP_DATABASE_URL": os.environ.get("ONESTOP_DATABASE_URL", DEFAULT_DATABASE_URL),
        "ONESTOP_MESSAGE_QUEUE": os.environ.get("ONESTOP_MESSAGE_QUEUE") or None,
        "ONESTOP_MESSAGE_CHANNEL": os.environ.get("ONESTOP_MESSAGE_CHANNEL") or CHANNEL,
        "ONESTOP_PUBLIC_URL": os.environ.get("ONESTOP_PUBLIC_URL", ""),
        "ONESTOP_SWEEP_SECONDS": float(os.environ.get("ONESTOP_SWEEP_SECONDS", 60)),
        # residents' messages (services/notify*.py): no URL = record and log only
        "ONESTOP_NOTIFY_WEBHOOK_URL": os.environ.get("ONESTOP_NOTIFY_WEBHOOK_URL", ""),
        "ONESTOP_NOTIFY_WEBHOOK_SECRET": os.environ.get("ONESTOP_NOTIFY_WEBHOOK_SECRET", ""),
        "ONESTOP_NOTIFY_TIMEOUT": float(os.environ.get("ONESTOP_NOTIFY_TIMEOUT", 5)),
        "ONESTOP_NOTIFY_ATTEMPTS": int(os.environ.get("ONESTOP_NOTIFY_ATTEMPTS", 5)),
        "ONESTOP_NOTIFY_SECONDS": float(os.environ.get("ONESTOP_NOTIFY_SECONDS", 5)),
    }


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, static_folder=None)
    app.config.update(settings_from_env())
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.config["JSON_AS_ASCII"] = False
    if isinstance(app.json, DefaultJSONProvider):  # Flask's own provider: Chinese as is
        app.json.ensure_ascii = False
    app.config.update(config or {})

    database = open_database(app.config["ONESTOP_DATABASE_URL"])
    live = LiveHub(
        database,
        lambda: _now(app),
        app.config.get("ONESTOP_MESSAGE_QUEUE"),
        app.config.get("ONESTOP_MESSAGE_CHANNEL") or CHANNEL,
    )
    publisher = app.config.get("ONESTOP_PUBLISHER") or live.publisher
    live.publisher = publisher  # device presence is committed like any other change
    key_file = Path(app.config.get("ONESTOP_DATA_KEY_FILE") or ROOT / "var" / "data.key")
    app.extensions["onestop"] = ext = OneStop(
        db=database,
        publisher=publisher,
        protector=load_protector(key_file),
        notifier=app.config.get("ONESTOP_NOTIFIER") or notifier_from(app.config),
        live=live,
    )

    for bp in (
        auth_views.bp,
        hall_views.bp,
        hall_views.status_bp,
        window_views.bp,
        window_views.messages_bp,
        case_views.bp,
        case_views.window_bp,
        referral_views.bp,
        network_views.bp,
        network_report_views.bp,
        report_views.bp,
        staffing_views.bp,
        appointment_views.bp,
        appointment_views.manage_bp,
        openapi.bp,
        status_page.bp,
        booking_pages.bp,
        i18n_views.bp,
        pages.bp,
    ):
        app.register_blueprint(bp)
    _register_errors(app)
    app.teardown_request(close_unit)
    app.after_request(add_headers)
    if app.config.get("ONESTOP_CHECK_RESPONSES"):  # the test suite: every answer fits its model
        from .api.response_check import check_response

        app.after_request(check_response)
    install_log_redaction()
    _check_every_api_route_declares_access(app)

    app.config["ONESTOP_CALENDAR_WARNINGS"] = calendar_warnings(_now(app))
    for warning in app.config["ONESTOP_CALENDAR_WARNINGS"]:
        log.warning(warning)

    if app.config.get("ONESTOP_SCHEDULER", not app.config.get("TESTING")):
        ext.scheduler = Scheduler(
            database,
            publisher,
            lambda: _now(app),
            float(app.config.get("ONESTOP_SWEEP_SECONDS", 60)),
            notify=NotifyJob(
                database,
                ext.notifier,
                ext.protector,
                Retry(max_attempts=int(app.config.get("ONESTOP_NOTIFY_ATTEMPTS", 5))),
            ),
            notify_interval=float(app.config.get("ONESTOP_NOTIFY_SECONDS", 5)),
        )
        ext.scheduler.start()

    @app.get("/healthz")
    def healthz():
        return jsonify({"ok": True})

    return app


def notifier_from(config: dict[str, Any]) -> Notifier:
    """The webhook notifier when ONESTOP_NOTIFY_WEBHOOK_URL is set, else the logging one."""
    url = config.get("ONESTOP_NOTIFY_WEBHOOK_URL") or ""
    if not url:
        return LogNotifier()
    return WebhookNotifier(
        url,
        config.get("ONESTOP_NOTIFY_WEBHOOK_SECRET") or "",
        float(config.get("ONESTOP_NOTIFY_TIMEOUT", 5)),
    )


def _now(app: Flask) -> datetime:
    clock = app.config.get("ONESTOP_CLOCK")
    return clock() if clock else datetime.now(UTC)


def calendar_warnings(now: datetime) -> list[str]:
    """Name every year from this one to the next that the holiday package does not cover: in
    those years deadlines fall back to Monday-Friday and would miss holidays and make-up days."""
    from .domain.workcalendar import WorkCalendar

    years = [now.year, now.year + 1]
    return [
        f"working-day calendar: no official holiday data for {year} in chinese-calendar; "
        f"deadlines in {year} count Monday-Friday only. Upgrade the chinese-calendar package."
        for year in WorkCalendar().uncovered_years(years)
    ]


def _register_errors(app: Flask) -> None:
    app.register_error_handler(DomainError, domain_error_response)
    app.register_error_handler(ValidationError, validation_error_response)
    app.register_error_handler(
        ApiError, lambda e: error_response(e.status, e.code, e.message, e.field, e.details)
    )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code == 413:
            return error_response(
                413,
                "body_too_large",
                f"the request body is larger than {MAX_BODY_BYTES} bytes",
                None,
            )
        if request.path.startswith("/api/"):
            response, status = error_response(
                exc.code or 500,
                exc.name.lower().replace(" ", "_"),
                exc.description or exc.name,
                None,
            )
            for name, value in exc.get_headers():
                if name.lower() in ("allow", "retry-after"):
                    response.headers[name] = value
            return response, status
        return exc

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(
            500,
            "internal_error",
            "内部错误，请联系管理员 / internal error; it has been logged",
            None,
        )


def _check_every_api_route_declares_access(app: Flask) -> None:
    """Deny by default: refuse to start if an /api route was added without declaring its roles."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        view = app.view_functions[rule.endpoint]
        if not hasattr(view, "onestop_access"):
            raise RuntimeError(f"API route {rule.rule} does not declare who may call it")
