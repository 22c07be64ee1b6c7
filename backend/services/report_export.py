"""Statistics tables as CSV (UTF-8 with BOM, so Excel shows Chinese) and XLSX (one sheet per
grouping). Both start with the Chinese header row; the last row is the total (合计)."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from i18n import labels
from i18n.textwidth import text_width

from ..domain.cases import Rating

COLUMNS: list[tuple[str, str]] = [
    ("tickets_issued", "取号人数"),
    ("tickets_served", "办结人次"),
    ("no_shows", "过号人次"),
    ("avg_wait_minutes", "平均等候(分钟)"),
    ("avg_service_minutes", "平均办理(分钟)"),
    ("cases_accepted", "受理件数"),
    ("cases_finished", "办结件数"),
    ("cases_on_time", "按时办结件数"),
    ("cases_overdue", "超期件数"),
    ("cases_extended", "延期件数"),
    ("cases_refused", "不予办理件数"),
    ("cases_referred", "上报交办件数"),
    ("on_time_rate", "按时办结率"),
    *[(r.value, labels.label("rating", r)) for r in Rating],  # i18n/labels.toml
    ("evaluations", "评价总数"),
    ("satisfaction_rate", "满意率"),
]
KEYS: dict[str, list[tuple[str, str]]] = {
    "department": [("key", "部门编码"), ("name", "部门")],
    "item": [("key", "事项编码"), ("name", "事项"), ("department", "所属部门")],
    "window": [("key", "窗口号"), ("name", "窗口")],
    "clerk": [("key", "工号"), ("name", "工作人员")],
    "day": [("key", "日期"), ("working_day", "工作日")],
}
SHEETS = {
    "department": "按部门",
    "item": "按事项",
    "window": "按窗口",
    "clerk": "按人员",
    "day": "按日期",
}
RATES = {"on_time_rate", "satisfaction_rate"}
AVERAGES = {"avg_wait_minutes", "avg_service_minutes"}


def table(report: dict[str, Any], grouping: str) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of one grouping, the total last (days have no total: waits and the
    overdue stock do not add up over days)."""
    keys = KEYS[grouping] + COLUMNS
    rows = report["days"] if grouping == "day" else report["groupings"][grouping]
    body = [[sheet_value(row.get(k)) for k, _ in keys] for row in rows]
    if grouping != "day":
        total = report["totals"]
        body.append(["合计"] + [None] * (len(KEYS[grouping]) - 1) + [total[k] for k, _ in COLUMNS])
    return [h for _, h in keys], body


def sheet_value(value: Any) -> Any:
    """Booleans in words; text that a spreadsheet would take for a formula quoted."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        return "'" + value
    return value


def csv_value(key: str, value: Any) -> Any:
    """A cell as the CSV writes it: rates as 95.0%, None as empty."""
    if value is None:
        return ""
    if key in RATES:
        return f"{value * 100:.1f}%"
    return value


def to_csv(report: dict[str, Any], grouping: str) -> bytes:
    header, body = table(report, grouping)
    keys = [k for k, _ in KEYS[grouping] + COLUMNS]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in body:
        writer.writerow([csv_value(k, v) for k, v in zip(keys, row, strict=True)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(report: dict[str, Any], groupings: list[str]) -> bytes:
    book = Workbook()
    if (default := book.active) is not None:  # a new workbook has one empty sheet
        book.remove(default)
    book.properties.title = f"{report['hall']['name']} {report['period']['label']} 统计"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for grouping in groupings:
        sheet = book.create_sheet(SHEETS[grouping])
        header, body = table(report, grouping)
        keys = [k for k, _ in KEYS[grouping] + COLUMNS]
        sheet.append(header)
        for row in body:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for col, key in enumerate(keys, start=1):
            letter = get_column_letter(col)
            values = [header[col - 1]] + [r[col - 1] for r in body]
            sheet.column_dimensions[letter].width = min(40, max(text_width(v) for v in values) + 2)
            fmt = "0.0%" if key in RATES else "0.0" if key in AVERAGES else None
            for cell in sheet[letter][1:]:
                if fmt:
                    cell.number_format = fmt
        if grouping != "day":
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        sheet.freeze_panes = sheet.cell(row=2, column=len(KEYS[grouping]) + 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
