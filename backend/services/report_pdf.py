"""The monthly analysis report (民生服务和民情诉求分析报告) as an A4 PDF drawn with matplotlib:
overall figures, volumes by day and by item, waits, time limits, ratings, windows required vs
opened, and the bad reviews with their rectification. Rendering is offline and needs a CJK font from a Debian package."""

from __future__ import annotations

import functools
import io
import math
import re
import threading
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import font_manager, patheffects
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator
from matplotlib.typing import RcKeyType
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from i18n import labels
from i18n.textwidth import text_width

from ..db.models import Evaluation, Rectification, ServiceItem, Ticket, User, Window
from ..domain.cases import RATING_ZH, AppealState, Rating, RectificationState
from . import reports
from .halls import HallContext
from .staffing_history import month_staffing

# WenQuanYi Zen Hei has TrueType outlines and embeds cleanly (CID TrueType, text selectable).
# Noto CJK is CFF in a collection: matplotlib can only draw it as Type 3 glyphs (as Type 42 it
# writes a TrueType font descriptor around CFF data, which viewers may reject).
FONTS = (
    (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 42),
    (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 3),
)
BAD = tuple(r.value for r in Rating if r.value not in reports.GOOD)
BLUE, ORANGE, GREEN, RED, GREY = "#2F6DB5", "#E8833A", "#3A9E5C", "#C8423B", "#8A8A8A"
NAVY = "#1F3F6B"
A4 = (8.27, 11.69)
RENDER_LOCK = threading.Lock()  # matplotlib font and rc state is global: one PDF at a time


# --- data ------------------------------------------------------------------------------------------


def bad_reviews(session: Session, ctx: HallContext, p: reports.Period, now) -> list[dict]:
    """不满意 / 非常不满意 ratings given in the month, with their rectification."""
    clerk = aliased(User)
    rows = session.execute(
        select(Evaluation, Rectification, Ticket.number, ServiceItem.name_zh, Window.name_zh,
               clerk.display_name)
        .join(Ticket, Ticket.id == Evaluation.ticket_id)
        .join(ServiceItem, ServiceItem.id == Evaluation.item_id)
        .outerjoin(Rectification, Rectification.evaluation_id == Evaluation.id)
        .outerjoin(Window, Window.id == Evaluation.window_id)
        .outerjoin(clerk, clerk.id == Evaluation.clerk_id)
        .where(Evaluation.hall_id == ctx.id, Evaluation.rating.in_(BAD),
               Evaluation.at >= p.start, Evaluation.at < p.end)
        .order_by(Evaluation.at, Evaluation.id)
    ).all()  # fmt: skip
    out = []
    for e, rect, number, item, window, clerk_name in rows:
        entry = {
            "at": ctx.local(e.at).strftime("%Y-%m-%d %H:%M"),
            "ticket": number,
            "item": item,
            "window": window,
            "clerk": clerk_name,
            "rating": e.rating,
            "rating_zh": RATING_ZH[Rating(e.rating)],
            "comment": e.comment,
            "excluded": e.excluded,
            "rectification": None,
        }
        if rect is not None:
            steps = {s["step"]: s for s in rect.steps}
            closed = rect.closed_at
            entry["rectification"] = {
                "state": rect.state,
                "state_zh": labels.label("rectification_state", rect.state),
                "deadline": ctx.local(rect.deadline_at).strftime("%Y-%m-%d"),
                "closed_at": ctx.local(closed).strftime("%Y-%m-%d") if closed else None,
                "on_time": (closed <= rect.deadline_at)
                if rect.state is RectificationState.DONE
                else (
                    False
                    if rect.state is RectificationState.OPEN and now > rect.deadline_at
                    else None
                ),
                "steps": [labels.label("rectification_step", s["step"]) for s in rect.steps],
                "measure": (steps.get("fix") or steps.get("verify") or {}).get("note")
                or (
                    f"申诉：{rect.appeal_reason}；{rect.appeal_note or ''}" if e.excluded else None
                ),
            }
        out.append(entry)
    return out


def analysis(session: Session, ctx: HallContext, p: reports.Period, now) -> dict[str, Any]:
    data = reports.report(session, ctx, p, now)
    reviews = bad_reviews(session, ctx, p, now)
    rects = [r["rectification"] for r in reviews if r["rectification"] and not r["excluded"]]
    data["bad_reviews"] = reviews
    data["staffing"] = month_staffing(session, ctx, p).to_json()
    data["rectification"] = {
        "bad": sum(1 for r in reviews if not r["excluded"]),
        "done": sum(1 for r in rects if r["state"] == RectificationState.DONE),
        "done_on_time": sum(
            1 for r in rects if r["state"] == RectificationState.DONE and r["on_time"]
        ),
        "open": sum(1 for r in rects if r["state"] == RectificationState.OPEN),
        "open_overdue": sum(
            1 for r in rects if r["state"] == RectificationState.OPEN and r["on_time"] is False
        ),
        "excluded": sum(1 for r in reviews if r["excluded"]),
    }
    return data


# --- drawing ---------------------------------------------------------------------------------------


@functools.cache
def cjk_font() -> tuple[str, int, int | str]:
    """The first CJK font installed: its family name, PDF font type and weight (asking for
    another weight than the one it has makes matplotlib warn on every text)."""
    manager = font_manager.fontManager
    for path, fonttype in FONTS:
        if path.exists():
            manager.addfont(str(path))
            name = font_manager.FontProperties(fname=str(path)).get_name()
            return name, fonttype, next(f.weight for f in manager.ttflist if f.name == name)
    raise RuntimeError("no CJK font for the PDF report: install Debian package fonts-wqy-zenhei")


def percent_text(value: float | None) -> str:
    """A rate (0..1) as 95.0%, 「—」 when there is none."""
    return "—" if value is None else f"{value * 100:.1f}%"


def number_text(value: float | None, unit: str = "") -> str:
    """A figure for a table or label, 「—」 when there is none."""
    return "—" if value is None else f"{value:g}{unit}"


OPENING, CLOSING = set("（《「“(["), set("，。；：、！？）》」”),.;:!?%")


def _tokens(text: str) -> list[str]:
    """Words that must stay whole: runs of Latin letters and digits, a CJK character; closing
    punctuation sticks to what it follows, opening punctuation to what comes next."""
    out: list[str] = []
    for tok in re.findall(r"[A-Za-z0-9.\-:/+%]+|\s+|.", text):
        if out and (tok[0] in CLOSING or (out[-1] and out[-1][-1] in OPENING)):
            out[-1] += tok
        else:
            out.append(tok)
    return out


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns (a CJK character takes two), never starting with a
    closing mark nor breaking a number; explicit newlines are kept."""
    lines: list[str] = []
    for para in (text or "").split("\n"):
        line = ""
        for tok in _tokens(para):
            while text_width(tok) > width:  # a very long word: cut it
                cut = next(i for i in range(len(tok), 0, -1) if text_width(tok[:i]) <= width)
                if line.strip():
                    lines.append(line.rstrip())
                lines.append(tok[:cut])
                line, tok = "", tok[cut:]
            if text_width(line + tok) > width and line.strip():
                lines.append(line.rstrip())
                line = tok.lstrip()
            else:
                line += tok
        lines.append(line.rstrip())
    return lines


def bold_outline(colour: str = "black", width: float = 0.6) -> list:
    """The CJK font has one weight: a thin outline of its own colour makes headings bold."""
    return [patheffects.withStroke(linewidth=width, foreground=colour)]


def page_figure(title: str | None, data: dict) -> Figure:
    """An A4 page with the report's footer (hall, month) and, if given, a section title."""
    fig = Figure(figsize=A4)
    period = data["period"]
    foot = f"{data['hall']['name']}　{period['label']}　民生服务和民情诉求分析报告"
    fig.text(0.08, 0.03, foot, fontsize=7.5, color=GREY)
    if title:
        _section(fig, 0.945, title)
    return fig


def _section(fig: Figure, y: float, text: str) -> None:
    fig.text(0.08, y, text, fontsize=13, color=NAVY, path_effects=bold_outline(NAVY))


def _empty(ax, text: str = "本月无数据") -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=11, color=GREY)


def style_axes(ax, grid: str = "y") -> None:
    """The reports' chart style: no top/right frame, small ticks, a faint grid on ``grid``."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=8)
    ax.grid(axis=grid, alpha=0.25)
    ax.set_axisbelow(True)


def _summary_text(data: dict) -> str:
    t, r = data["totals"], data["rectification"]
    excluded = f"（另有 {r['excluded']} 条经申诉核实不计入）" if r["excluded"] else ""
    return (
        f"本月共取号 {t['tickets_issued']} 人，办结 {t['tickets_served']} 人次，过号 "
        f"{t['no_shows']} 人次；平均等候 {number_text(t['avg_wait_minutes'], ' 分钟')}，平均办理 "
        f"{number_text(t['avg_service_minutes'], ' 分钟')}。受理办件 {t['cases_accepted']} 件，办结 "
        f"{t['cases_finished']} 件，其中按时办结 {t['cases_on_time']} 件，按时办结率 "
        f"{percent_text(t['on_time_rate'])}；超期 {t['cases_overdue']} 件，延期 {t['cases_extended']} "
        f"件，不予办理 {t['cases_refused']} 件。收到有效评价 {t['evaluations']} 条，满意率 "
        f"{percent_text(t['satisfaction_rate'])}；差评 {r['bad']} 条{excluded}，已整改 {r['done']} 条"
        f"（按期 {r['done_on_time']} 条），整改中 {r['open']} 条（逾期 {r['open_overdue']} 条）。"
    )


def _cover(data: dict) -> Figure:
    fig = page_figure(None, data)
    t, period = data["totals"], data["period"]
    year, month = period["label"].split("-")
    fig.text(0.5, 0.925, "民生服务和民情诉求分析报告", fontsize=22, ha="center",
             path_effects=bold_outline())  # fmt: skip
    fig.text(0.5, 0.89, f"{data['hall']['name']}　{year}年{int(month)}月", fontsize=13,
             ha="center")  # fmt: skip
    fig.text(0.5, 0.865, f"统计期间 {period['first']} 至 {period['last']}　生成于 "
             f"{data['generated_at'][:16].replace('T', ' ')}", fontsize=8.5, ha="center",
             color=GREY)  # fmt: skip
    _section(fig, 0.81, "一、总体情况")
    kpis = [
        ("取号人数", str(t["tickets_issued"])),
        ("办结人次", str(t["tickets_served"])),
        ("平均等候", number_text(t["avg_wait_minutes"], " 分")),
        ("按时办结率", percent_text(t["on_time_rate"])),
        ("满意率", percent_text(t["satisfaction_rate"])),
        ("差评", str(data["rectification"]["bad"])),
    ]
    for n, (label, value) in enumerate(kpis):
        ax = fig.add_axes((0.08 + n * 0.1433, 0.71, 0.13, 0.08))
        ax.set_xticks([]), ax.set_yticks([])
        ax.set_facecolor("#EEF4FB")
        for spine in ax.spines.values():
            spine.set_color("#C9D8EC")
        ax.text(0.5, 0.62, value, ha="center", va="center", fontsize=15, color=BLUE,
                transform=ax.transAxes, path_effects=bold_outline(BLUE))  # fmt: skip
        ax.text(0.5, 0.2, label, ha="center", va="center", fontsize=8.5, transform=ax.transAxes)
    for n, line in enumerate(wrap(_summary_text(data), 100)):
        fig.text(0.08, 0.68 - n * 0.022, line, fontsize=9.5, va="top")
    _section(fig, 0.56, "二、每日办理量与等候时间")
    fig.text(0.08, 0.535, "灰色底纹为休息日（周末及法定节假日）。", fontsize=8.5, color=GREY)
    _daily_chart(fig.add_axes((0.1, 0.1, 0.8, 0.4)), data["days"])
    return fig


def _daily_chart(ax, days: list[dict]) -> None:
    if not any(d["tickets_issued"] or d["tickets_served"] for d in days):
        return _empty(ax)
    x = list(range(1, len(days) + 1))
    for i, d in zip(x, days, strict=True):
        if not d["working_day"]:
            ax.axvspan(i - 0.5, i + 0.5, color="#F0F0F0", lw=0, zorder=0)
    ax.bar([i - 0.2 for i in x], [d["tickets_issued"] for d in days], 0.4, color=BLUE,
           label="取号人数")  # fmt: skip
    ax.bar([i + 0.2 for i in x], [d["tickets_served"] for d in days], 0.4, color=GREEN,
           label="办结人次")  # fmt: skip
    ax.set_xticks(x, [str(i) for i in x])
    ax.set_xlim(0.4, len(days) + 0.6)
    ax.set_xlabel("日期（日）", fontsize=9)
    ax.set_ylabel("人数 / 人次", fontsize=9)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylim(top=max(d["tickets_issued"] for d in days) * 1.25 + 1)
    style_axes(ax)
    waits = ax.twinx()
    values = [math.nan if d["avg_wait_minutes"] is None else d["avg_wait_minutes"] for d in days]
    waits.plot(x, values, "o-", color=ORANGE, ms=3.5, lw=1.4, label="平均等候（分钟）")
    waits.set_ylabel("平均等候（分钟）", fontsize=9)
    waits.set_ylim(0, max(v for v in values if not math.isnan(v)) * 1.25 + 1)
    waits.tick_params(labelsize=8)
    waits.spines[["top"]].set_visible(False)
    handles = ax.get_legend_handles_labels()[0] + waits.get_legend_handles_labels()[0]
    ax.legend(handles=handles, fontsize=8, loc="upper left", frameon=False, ncols=3)


def hbars(fig, top: float, names: list[str], series: list[tuple[str, list, str]],
           width: float = 0.62) -> Any:  # fmt: skip
    """Horizontal grouped bars below ``top``, as tall as the rows need (12 rows fill 0.31 of the
    page); a missing value (None) draws no bar and is labelled 「—」."""
    height = min(0.31, 0.06 + 0.021 * len(names)) if names else 0.1
    ax = fig.add_axes((0.3, top - height, width, height))
    if not names:
        _empty(ax)
        return ax
    y = list(range(len(names)))
    bar = 0.8 / len(series)
    for n, (name, values, colour) in enumerate(series):
        pos = [i - 0.4 + bar * (n + 0.5) for i in y]
        bars = ax.barh(pos, [v or 0 for v in values], bar * 0.9, color=colour, label=name)
        ax.bar_label(bars, [number_text(v) for v in values], fontsize=7, padding=2)
    ax.set_yticks(y, ["\n".join(wrap(s, 26)) for s in names])
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_xlim(right=max(max(v or 0 for v in vs) for _, vs, _ in series) * 1.18 + 0.5)
    ax.legend(fontsize=8, frameon=False, loc="lower right", bbox_to_anchor=(1, 1), ncols=3)
    style_axes(ax, "x")
    return ax


def below(ax) -> float:
    """Where the next section may start under a chart (its tick labels included)."""
    return ax.get_position().y0 - 0.075


def _items_page(data: dict) -> Figure:
    fig = page_figure("三、各事项办理量", data)
    rows = [r for r in data["groupings"]["item"] if r["tickets_issued"] or r["tickets_served"]]
    rows = sorted(rows, key=lambda r: (-r["tickets_issued"], -r["tickets_served"]))[:12]
    fig.text(0.08, 0.92, "按取号人数排序（前 12 项）；转办后在新事项办结的计入新事项的办结人次。",
             fontsize=8.5, color=GREY)  # fmt: skip
    issued = [("取号人数", [r["tickets_issued"] for r in rows], BLUE),
              ("办结人次", [r["tickets_served"] for r in rows], GREEN)]  # fmt: skip
    y = below(hbars(fig, 0.88, [r["name"] for r in rows], issued))
    _section(fig, y, "四、等候与办理时长（分钟）")
    fig.text(
        0.08, y - 0.025, "等候：取号至首次叫号；办理：开始办理至办结。", fontsize=8.5, color=GREY
    )
    timed = [r for r in rows if r["avg_wait_minutes"] is not None]
    minutes = [("平均等候", [r["avg_wait_minutes"] for r in timed], ORANGE),
               ("平均办理", [r["avg_service_minutes"] for r in timed], BLUE)]  # fmt: skip
    hbars(fig, y - 0.07, [r["name"] for r in timed], minutes)
    return fig


def _cases_page(data: dict) -> Figure:
    fig = page_figure("五、办件时限（按部门）", data)
    rows = [
        r for r in data["groupings"]["department"] if r["cases_accepted"] or r["cases_finished"]
    ]
    fig.text(0.08, 0.92, "超期：本月办结但超过承诺时限的，加上月末仍未办结且已过期限的。",
             fontsize=8.5, color=GREY)  # fmt: skip
    counts = [("受理", [r["cases_accepted"] for r in rows], GREY),
              ("办结", [r["cases_finished"] for r in rows], BLUE),
              ("按时办结", [r["cases_on_time"] for r in rows], GREEN)]  # fmt: skip
    ax = hbars(fig, 0.86, [r["name"] for r in rows], counts, width=0.4)
    notes = [("按时办结率", "on_time_rate", 1.2), ("超期", "cases_overdue", 1.31),
             ("延期", "cases_extended", 1.42), ("不予办理", "cases_refused", 1.6)]  # fmt: skip
    for header, key, x in notes if rows else []:
        ax.text(x, 1.01, header, transform=ax.transAxes, fontsize=7.5, color=GREY, ha="right")
        for i, r in enumerate(rows):
            value = percent_text(r[key]) if key == "on_time_rate" else str(r[key])
            colour = RED if key == "cases_overdue" and r[key] else "black"
            ax.text(x, i, value, transform=ax.get_yaxis_transform(), fontsize=8, ha="right",
                    va="center", color=colour)  # fmt: skip
    y = below(ax)
    _section(fig, y, "六、群众评价")
    t = data["totals"]
    fig.text(0.08, y - 0.025, f"有效评价 {t['evaluations']} 条，满意率 {percent_text(t['satisfaction_rate'])}"
             "（非常满意、满意、基本满意占有效评价的比例；经申诉核实的误评不计入）。",
             fontsize=9.5, va="top")  # fmt: skip
    height = min(0.31, y - 0.175)
    ax = fig.add_axes((0.1, y - 0.075 - height, 0.8, height))
    if t["evaluations"]:
        levels = list(Rating)
        by_rating = [t[r.value] for r in levels]
        bars = ax.bar([RATING_ZH[r] for r in levels], by_rating, width=0.6,
                      color=[GREEN, "#6DBE7E", "#A9D18E", ORANGE, RED])  # fmt: skip
        ax.bar_label(
            bars, [f"{c}（{c / t['evaluations'] * 100:.1f}%）" for c in by_rating], fontsize=8
        )
        locator = ax.yaxis.get_major_locator()  # the default AutoLocator is a MaxNLocator
        if isinstance(locator, MaxNLocator):
            locator.set_params(integer=True)
        ax.set_ylim(top=max(by_rating) * 1.2 + 0.5)
        ax.set_ylabel("条数", fontsize=9)
        style_axes(ax)
    else:
        _empty(ax, "本月无评价")
    return fig


STAFFING_TITLE = "每半小时平均需要窗口数与实际开放窗口数"
SHORT_BY = 0.5  # a half hour is listed as short when on average this many windows were missing


def _staffing_page(data: dict) -> Figure:
    """Windows required (Erlang on the month's actual arrivals, for the hall's target) against
    windows opened (signed in and not paused, from the audit trail), per half hour and per day."""
    fig = page_figure("七、窗口开放与需求", data)
    st = data["staffing"]
    intro = (
        f"目标：{st['target']}。需要窗口数按本月各时段实际取号（含转办）、各事项组平均办理时长，"
        f"用排队模型（Erlang）计算；开放窗口数取自审计记录中窗口签到、签退、暂停与恢复的时间"
        f"（暂停期间不计），均为本月 {st['days']} 个有办理记录的工作日的平均值。"
    )
    lines = wrap(intro, 100)
    for k, line in enumerate(lines):
        fig.text(0.08, 0.92 - k * 0.02, line, fontsize=9, va="top", color="#333333")
    top = 0.9 - 0.02 * len(lines)
    ax = fig.add_axes((0.1, top - 0.33, 0.82, 0.3))
    _staffing_chart(ax, st)
    short = [(s, r - o) for s, o, r in zip(st["slots"], st["opened"], st["required"], strict=True)
             if r - o >= SHORT_BY]  # fmt: skip
    y = below(ax) - 0.01
    text = (
        "开放不足的时段（平均缺口 ≥ 0.5 个窗口）：" + "、".join(f"{s} 缺 {g:.1f}" for s, g in short)
        if short
        else "各时段平均开放窗口数均满足目标所需。"
    )
    for k, line in enumerate(wrap(text, 100)):
        fig.text(0.08, y - k * 0.02, line, fontsize=9, va="top",
                 color=RED if short else GREEN)  # fmt: skip
    y -= 0.02 * len(wrap(text, 100)) + 0.05
    _section(fig, y, "每个工作日的窗口工时（小时）")
    ax = fig.add_axes((0.1, 0.09, 0.82, y - 0.14))
    _staffing_days(ax, st["daily"])
    return fig


def _staffing_chart(ax, st: dict) -> None:
    ax.set_title(STAFFING_TITLE, fontsize=10.5, loc="left", pad=18)
    if not st["days"]:
        return _empty(ax)
    x = list(range(len(st["slots"])))
    ax.bar(x, st["opened"], 0.7, color=BLUE, alpha=0.85, label="平均开放窗口")
    short = [(i, o, r - o) for i, o, r in zip(x, st["opened"], st["required"], strict=True)
             if r > o]  # fmt: skip
    if short:
        ax.bar([i for i, _, _ in short], [g for _, _, g in short], 0.7,
               bottom=[o for _, o, _ in short], color="none", edgecolor=RED, hatch="////",
               lw=0.8, label="缺口")  # fmt: skip
    ax.plot(x, st["required"], "D-", color=ORANGE, ms=4, lw=1.6, label="平均需要窗口")
    ax.set_xticks(x, st["slots"], rotation=60, fontsize=7.5)
    ax.set_xlim(-0.6, len(x) - 0.4)
    ax.set_ylim(0, max(st["opened"] + st["required"] + [1]) * 1.2)
    ax.set_ylabel("窗口数", fontsize=9)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=8, frameon=False, loc="lower right", bbox_to_anchor=(1, 1), ncols=3)
    style_axes(ax)


def _staffing_days(ax, daily: list[dict]) -> None:
    if not daily:
        return _empty(ax)
    x = list(range(len(daily)))
    bars = ax.bar([i - 0.2 for i in x], [d["opened_hours"] for d in daily], 0.4, color=BLUE,
                  label="开放窗口工时")  # fmt: skip
    ax.bar_label(bars, [number_text(d["opened_hours"]) for d in daily], fontsize=7, padding=1)
    bars = ax.bar([i + 0.2 for i in x], [d["required_hours"] for d in daily], 0.4, color=ORANGE,
                  label="需要窗口工时")  # fmt: skip
    ax.bar_label(bars, [number_text(d["required_hours"]) for d in daily], fontsize=7, padding=1)
    ax.set_xticks(x, [d["day"][5:] for d in daily], fontsize=7.5)
    top = max(max(d["opened_hours"], d["required_hours"]) for d in daily)
    ax.set_ylim(0, top * 1.25 + 0.5)
    ax.set_ylabel("窗口·小时", fontsize=9)
    ax.legend(fontsize=8, frameon=False, loc="lower right", bbox_to_anchor=(1, 1), ncols=2)
    style_axes(ax)


# (header, left edge as a fraction of the page width, width in columns of 7.5 pt text)
TABLE = [("时间", 0.08, 11), ("事项 / 窗口 / 人员", 0.16, 24), ("评价 / 票号", 0.33, 11),
         ("群众意见", 0.415, 27), ("整改措施", 0.605, 26), ("状态 / 整改期限", 0.79, 24)]  # fmt: skip
ROW_LINES = 4


def _review_cells(r: dict) -> list[str]:
    rect = r["rectification"] or {}
    upheld = labels.label("appeal_state", AppealState.UPHELD)
    first = "待" + labels.label("rectification_step", "callback")  # no step recorded yet
    state = f"{upheld}，不计入" if r["excluded"] else rect.get("state_zh", "—")
    on_time = rect.get("on_time")
    if on_time is not None:
        state += "（按期）" if on_time else "（逾期）"
    where = " ".join(x for x in (r["window"], r["clerk"]) if x)
    return [
        r["at"].replace(" ", "\n"),
        f"{r['item']}\n{where}",
        f"{r['rating_zh']}\n{r['ticket']}",
        r["comment"] or "（未填写）",
        rect.get("measure") or ("已" + "、".join(rect["steps"]) if rect.get("steps") else first),
        f"{state}\n期限 {rect.get('deadline', '—')}",
    ]


def _review_rows(reviews: list[dict]) -> list[tuple[list[list[str]], float]]:
    """Each review's cells as wrapped lines (at most ROW_LINES, cut with 「…」) and its height."""
    out = []
    for r in reviews:
        cells = []
        for text, (_, _, width) in zip(_review_cells(r), TABLE, strict=True):
            lines = wrap(text, width)
            if len(lines) > ROW_LINES:
                lines = [*lines[: ROW_LINES - 1], lines[ROW_LINES - 1][:-1] + "…"]
            cells.append(lines)
        out.append((cells, 0.0135 * max(len(c) for c in cells) + 0.012))
    return out


def _reviews_pages(data: dict) -> list[Figure]:
    """The table of bad reviews, continued on as many pages as its rows need."""
    reviews, summary = data["bad_reviews"], data["rectification"]
    excluded = f"（另有 {summary['excluded']} 条经申诉核实不计入）" if summary["excluded"] else ""
    state = labels.zh("rectification_state", RectificationState)
    steps = labels.zh("rectification_step")
    text = (f"本月差评 {summary['bad']} 条{excluded}：{state[RectificationState.DONE]} {summary['done']} 条（按期 "
            f"{summary['done_on_time']} 条），{state[RectificationState.OPEN]} {summary['open']} 条（逾期 "
            f"{summary['open_overdue']} 条）。整改按{' → '.join(steps.values())}"
            "的顺序逐步记录。")  # fmt: skip
    intro = wrap(text if reviews else "本月无差评。", 100)
    rows, pages = _review_rows(reviews), list[Figure]()
    while rows or not pages:
        fig = page_figure("八、差评及整改情况" + ("（续）" if pages else ""), data)
        top = 0.91
        if not pages:
            for k, line in enumerate(intro):
                fig.text(0.08, 0.92 - k * 0.02, line, fontsize=9.5, va="top")
            top -= 0.02 * len(intro) + 0.02
        if not reviews:
            pages.append(fig)
            break
        fig.add_artist(Rectangle((0.075, top - 0.024), 0.87, 0.03, color="#E3ECF7", lw=0))
        for header, x, _ in TABLE:
            fig.text(x, top - 0.009, header, fontsize=8.5, va="center",
                     path_effects=bold_outline(width=0.25))  # fmt: skip
        y, k = top - 0.034, 0
        while rows and (y - rows[0][1] > 0.06 or k == 0):
            cells, height = rows.pop(0)
            if k % 2:
                fig.add_artist(Rectangle((0.075, y - height + 0.004), 0.87, height,
                                         color="#F6F8FB", lw=0))  # fmt: skip
            for lines, (_, x, _) in zip(cells, TABLE, strict=True):
                fig.text(x, y - 0.002, "\n".join(lines), fontsize=7.5, va="top", linespacing=1.4)
            y, k = y - height, k + 1
        fig.add_artist(Line2D([0.075, 0.945], [y + 0.004] * 2, lw=0.6, color="#999999"))
        pages.append(fig)
    return pages


def render(data: dict) -> bytes:
    """The report as PDF bytes: cover with the daily chart, items and waits, time limits and
    ratings, windows required vs opened, then the bad reviews (as many pages as they need)."""
    with RENDER_LOCK:  # rcParams and the font manager are process-wide
        name, fonttype, weight = cjk_font()
    rc: dict[RcKeyType, Any] = {
        "font.family": "sans-serif",
        "font.sans-serif": [name, "DejaVu Sans"],
        "font.weight": weight,
        "axes.labelweight": weight,
        "axes.titleweight": weight,
        "pdf.fonttype": fonttype,
        "axes.unicode_minus": False,
        "text.parse_math": False,  # a resident's "$" is a dollar sign, not TeX
    }
    out = io.BytesIO()
    with RENDER_LOCK, matplotlib.rc_context(rc):
        figures = [_cover(data), _items_page(data), _cases_page(data), _staffing_page(data),
                   *_reviews_pages(data)]  # fmt: skip
        for number, fig in enumerate(figures, start=1):
            fig.text(0.92, 0.03, f"第 {number} / {len(figures)} 页", fontsize=7.5, color=GREY,
                     ha="right")  # fmt: skip
        title = f"{data['hall']['name']} {data['period']['label']} 民生服务和民情诉求分析报告"
        with PdfPages(out, metadata={"Title": title, "Creator": "onestop"}) as pdf:
            for fig in figures:
                pdf.savefig(fig)
    return out.getvalue()
