"""Statistics for managers: daily and monthly tables (JSON, CSV, XLSX) and the monthly analysis
report (民生服务和民情诉求分析报告) as a PDF."""

from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, Response, jsonify, request

from ..domain.errors import InvalidInput
from ..services import report_export, reports
from ..services.halls import HallContext
from .framework import MANAGERS, endpoint, hall_ctx, now, read

bp = Blueprint("reports", __name__, url_prefix="/api/v1/halls/<hall>/reports")

FORMATS = ("json", "csv", "xlsx")
FIRST_YEAR, LAST_YEAR = 2000, 2100
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _choice(name: str, allowed: tuple[str, ...], default: str | None) -> str | None:
    value = request.args.get(name, "").strip()
    if not value:
        return default
    if value not in allowed:
        raise InvalidInput(f"invalid_{name}", f"{name} must be one of {', '.join(allowed)}", name)
    return value


def _day(ctx) -> date:
    value = request.args.get("date", "").strip()
    if not value:
        return ctx.local(now()).date()
    try:
        day = date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
        if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError
        return day
    except ValueError:
        raise InvalidInput("invalid_date", "date must be a day as YYYY-MM-DD", "date") from None


def _month(ctx) -> tuple[int, int]:
    value = request.args.get("month", "").strip()
    if not value:
        today = ctx.local(now()).date()
        return today.year, today.month
    match = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if not match or not 1 <= int(match[2]) <= 12 or not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
        raise InvalidInput("invalid_month", "month must be given as YYYY-MM", "month")
    return int(match[1]), int(match[2])


def _download(data: bytes, kind: str, filename: str) -> Response:
    return Response(
        data,
        mimetype=MIMETYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _answer(ctx: HallContext, period: reports.Period):
    fmt = _choice("format", FORMATS, "json")
    by = _choice("by", reports.GROUPINGS, None)
    data = read(lambda uow: reports.report(uow.session, ctx, period, uow.now, by))
    base = f"{ctx.code}-{period.label}"
    if fmt == "json":
        return jsonify(data)
    if fmt == "csv":
        grouping = by or "department"
        return _download(report_export.to_csv(data, grouping), "csv", f"{base}-{grouping}.csv")
    groupings = [by] if by else list(reports.GROUPINGS) + (["day"] if "days" in data else [])
    return _download(report_export.to_xlsx(data, groupings), "xlsx", f"{base}.xlsx")


@endpoint(
    bp,
    "/daily",
    summary="Daily statistics per department, item, window and clerk "
    "(?date=YYYY-MM-DD&format=json|csv|xlsx&by=department|item|window|clerk)",
    roles=MANAGERS,
    tag="reports",
)
def daily(hall: str):
    ctx = hall_ctx(hall)
    return _answer(ctx, reports.day_period(ctx, _day(ctx)))


@endpoint(
    bp,
    "/monthly",
    summary="Monthly statistics per department, item, window and clerk, with the daily series "
    "(?month=YYYY-MM&format=json|csv|xlsx&by=department|item|window|clerk)",
    roles=MANAGERS,
    tag="reports",
)
def monthly(hall: str):
    ctx = hall_ctx(hall)
    return _answer(ctx, reports.month_period(ctx, *_month(ctx)))


@endpoint(
    bp,
    "/monthly.pdf",
    summary="民生服务和民情诉求分析报告: the monthly analysis report as a PDF with charts (?month=YYYY-MM)",
    roles=MANAGERS,
    tag="reports",
)
def monthly_pdf(hall: str):
    from ..services import report_pdf  # matplotlib loads on the first report, not at start-up

    ctx = hall_ctx(hall)
    period = reports.month_period(ctx, *_month(ctx))
    data = read(lambda uow: report_pdf.analysis(uow.session, ctx, period, uow.now))
    return _download(report_pdf.render(data), "pdf", f"{ctx.code}-{period.label}-report.pdf")
