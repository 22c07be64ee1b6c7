"""The county's monthly statistics across its halls, for the supervisor (督查督办): JSON, CSV and
XLSX (one row per hall) and the analysis report as a PDF (thin: one service call each)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from ..services import county_report
from .framework import SUPERVISOR, endpoint, hall_ctx, now, read
from .queries import NetworkReportQuery
from .report_views import MIMETYPES
from .responses.network_report import NetworkReport

bp = Blueprint("network_report", __name__, url_prefix="/api/v1/halls/<hall>/network")


def _download(data: bytes, kind: str, filename: str) -> Response:
    return Response(
        data,
        mimetype=MIMETYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@endpoint(
    bp,
    "/report",
    summary="The month across this hall and every hall below it (各中心对比): volumes, on-time "
    "rate, satisfaction, bad reviews, repeat visits, referrals, top items "
    "(?month=YYYY-MM&format=json|csv|xlsx|pdf; pdf: 民生服务和民情诉求分析报告)",
    roles=frozenset({SUPERVISOR}),
    query=NetworkReportQuery,
    response=NetworkReport,
    produces=(MIMETYPES["csv"], MIMETYPES["xlsx"], MIMETYPES["pdf"]),
    tag="network",
)
def report(hall: str, query: NetworkReportQuery):
    ctx = hall_ctx(hall)
    if (given := query.year_month()) is not None:
        year, month = given
    else:
        today = ctx.local(now()).date()
        year, month = today.year, today.month
    data = read(lambda uow: county_report.county_month(uow.session, ctx, year, month, uow.now))
    base = f"{ctx.code}-network-{data['period']['label']}"
    if query.format == "json":
        return jsonify(data)
    if query.format == "csv":
        return _download(county_report.to_csv(data), "csv", f"{base}.csv")
    if query.format == "xlsx":
        return _download(county_report.to_xlsx(data), "xlsx", f"{base}.xlsx")
    from ..services.county_report_pdf import render  # matplotlib loads on the first PDF

    return _download(render(data), "pdf", f"{base}-report.pdf")
