"""Statistics for managers: daily and monthly tables (JSON, CSV, XLSX) and the monthly analysis
report (民生服务和民情诉求分析报告) as a PDF."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from ..services import report_export, reports
from ..services.halls import HallContext
from .framework import OVERSEERS, endpoint, hall_ctx, now, read
from .queries import DailyQuery, MonthlyPdfQuery, MonthlyQuery
from .responses.reports import MonthlyReport, Report

bp = Blueprint("reports", __name__, url_prefix="/api/v1/halls/<hall>/reports")

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _month(ctx: HallContext, query: MonthlyQuery | MonthlyPdfQuery) -> tuple[int, int]:
    if (given := query.year_month()) is not None:
        return given
    today = ctx.local(now()).date()
    return today.year, today.month


def _download(data: bytes, kind: str, filename: str) -> Response:
    return Response(
        data,
        mimetype=MIMETYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _answer(ctx: HallContext, period: reports.Period, query: DailyQuery | MonthlyQuery):
    fmt, by = query.format, query.by
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
    roles=OVERSEERS,
    query=DailyQuery,
    response=Report,
    produces=(MIMETYPES["csv"], MIMETYPES["xlsx"]),
    tag="reports",
)
def daily(hall: str, query: DailyQuery):
    ctx = hall_ctx(hall)
    day = query.date or ctx.local(now()).date()
    return _answer(ctx, reports.day_period(ctx, day), query)


@endpoint(
    bp,
    "/monthly",
    summary="Monthly statistics per department, item, window and clerk, with the daily series "
    "(?month=YYYY-MM&format=json|csv|xlsx&by=department|item|window|clerk)",
    roles=OVERSEERS,
    query=MonthlyQuery,
    response=MonthlyReport,
    produces=(MIMETYPES["csv"], MIMETYPES["xlsx"]),
    tag="reports",
)
def monthly(hall: str, query: MonthlyQuery):
    ctx = hall_ctx(hall)
    return _answer(ctx, reports.month_period(ctx, *_month(ctx, query)), query)


@endpoint(
    bp,
    "/monthly.pdf",
    summary="民生服务和民情诉求分析报告: the monthly analysis report as a PDF with charts (?month=YYYY-MM)",
    roles=OVERSEERS,
    query=MonthlyPdfQuery,
    produces=(MIMETYPES["pdf"],),
    tag="reports",
)
def monthly_pdf(hall: str, query: MonthlyPdfQuery):
    from ..services import report_pdf  # matplotlib loads on the first report, not at start-up

    ctx = hall_ctx(hall)
    period = reports.month_period(ctx, *_month(ctx, query))
    data = read(lambda uow: report_pdf.analysis(uow.session, ctx, period, uow.now))
    return _download(report_pdf.render(data), "pdf", f"{ctx.code}-{period.label}-report.pdf")
