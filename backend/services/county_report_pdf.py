"""The county's monthly analysis report (民生服务和民情诉求分析报告, 各中心对比) as an A4 PDF, drawn
like the hall's monthly report (``report_pdf``: its fonts, page frame, bars and wrapping): the
county's figures and a generated summary naming the best and the worst hall, the per-hall
comparison table, on-time rate and satisfaction per hall, volumes per hall, the most asked-for
items, and referrals (上报/交办) with repeat visits. The data is ``county_report.county_month``."""

from __future__ import annotations

import io
import math
from typing import Any

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.patheffects import Stroke
from matplotlib.ticker import MaxNLocator
from matplotlib.typing import RcKeyType

from i18n.textwidth import text_width

from . import report_pdf as rp

# (header, key, right edge as a fraction of the page width); the hall's name starts at 0.08
COMPARISON = [
    ("取号\n人数", "tickets_issued", 0.345),
    ("办结\n人次", "tickets_served", 0.395),
    ("平均等候\n（分钟）", "avg_wait_minutes", 0.46),
    ("受理\n件数", "cases_accepted", 0.51),
    ("办结\n件数", "cases_finished", 0.56),
    ("按时\n办结率", "on_time_rate", 0.625),
    ("超期\n件数", "cases_overdue", 0.675),
    ("满意率", "satisfaction_rate", 0.74),
    ("差评", "bad_reviews", 0.785),
    ("重访", "repeat_visits", 0.83),
    ("上报", "referrals_up", 0.87),
    ("接收\n移交", "referrals_received", 0.91),
    ("交办", "referrals_down", 0.945),
]
REFERRAL_TABLE = [
    ("上报\n（报上级）", "referrals_up", 0.45),
    ("接收移交\n（上报或交办来的）", "referrals_received", 0.6),
    ("交办\n（交下级）", "referrals_down", 0.72),
    ("重访", "repeat_visits", 0.82),
]
RATES = ("on_time_rate", "satisfaction_rate")
ROW = 0.0205  # the height of a table row (7.5 pt text with air)
TIGHT_ROW = 0.0165  # rows close up to this to keep a table on one page
NAME_COLS = 26  # the hall column's width in columns of 7.5 pt text (a CJK character is two)
BOTTOM = 0.065  # nothing below this but the footer


def _name(hall: dict[str, Any]) -> str:
    return hall["name"]["zh"]


def extremes(halls: list[dict[str, Any]], key: str) -> tuple[list[str], list[str]]:
    """The halls with the highest and the lowest ``key`` among those that have it (ties: all
    of them, in tree order); two empty lists when no two halls differ."""
    rated = [h for h in halls if h[key] is not None]
    if not rated:
        return [], []
    top, low = max(h[key] for h in rated), min(h[key] for h in rated)
    if top == low:
        return [], []
    return [_name(h) for h in rated if h[key] == top], [_name(h) for h in rated if h[key] == low]


def _ranking(halls: list[dict[str, Any]], key: str, label: str, missing: str) -> str:
    rated = [h for h in halls if h[key] is not None]
    best, worst = extremes(halls, key)
    if not rated:
        return f"本月各中心均{missing}，{label}无从比较。"
    if not best:
        names = "、".join(_name(h) for h in rated)
        text = (
            f"{label}：{names}{'均' if len(rated) > 1 else ''}为 {rp.percent_text(rated[0][key])}"
        )
    else:
        top = rp.percent_text(max(h[key] for h in rated))
        low = rp.percent_text(min(h[key] for h in rated))
        text = f"{label}最高的是{'、'.join(best)}（{top}），最低的是{'、'.join(worst)}（{low}）"
    if left := len(halls) - len(rated):
        text += f"；另有 {left} 个中心本月{missing}"
    return text + "。"


def summary_text(data: dict[str, Any]) -> str:
    """The county's month in words, then the best and the worst hall by on-time rate and by
    satisfaction."""
    t, halls = data["totals"], data["halls"]
    below = len(halls) - 1
    who = data["root"]["name"]["zh"] + (f"及所辖 {below} 个服务中心" if below else "")
    return (
        f"本月{who}共取号 {t['tickets_issued']} 人，办结 {t['tickets_served']} 人次，过号 "
        f"{t['no_shows']} 人次，平均等候 {rp.number_text(t['avg_wait_minutes'], ' 分钟')}；受理办件 "
        f"{t['cases_accepted']} 件，办结 {t['cases_finished']} 件，其中按时办结 "
        f"{t['cases_on_time']} 件，按时办结率 {rp.percent_text(t['on_time_rate'])}，超期 "
        f"{t['cases_overdue']} 件；收到有效评价 {t['evaluations']} 条，满意率 "
        f"{rp.percent_text(t['satisfaction_rate'])}，差评 {t['bad_reviews']} 条；重访 "
        f"{t['repeat_visits']} 件；上报 {t['referrals_up']} 件，交办 {t['referrals_down']} 件。\n"
        + _ranking(halls, "on_time_rate", "按时办结率", "无办结办件")
        + _ranking(halls, "satisfaction_rate", "满意率", "无评价")
    )


# --- drawing ---------------------------------------------------------------------------------------


def _strong(where, x: float, y: float, text: str, colour: str = "black", width: float = 0.6,
            **kw: Any) -> None:  # fmt: skip
    """Bold in a one-weight font that stays text: the text, then its outline drawn over it as
    a path (``report_pdf.bold_outline`` turns the text itself into a path, which no reader finds)."""
    where.text(x, y, text, color=colour, **kw)
    where.text(x, y, text, color=colour, path_effects=[Stroke(linewidth=width, foreground=colour)],
               **kw)  # fmt: skip


def _section(fig: Figure, y: float, text: str) -> None:
    _strong(fig, 0.08, y, text, rp.NAVY, fontsize=13)


def _frame(title: str | None, data: dict[str, Any]) -> Figure:
    """``report_pdf``'s page (its footer names the root hall and the month)."""
    fig = rp.page_figure(None, {"hall": {"name": data["root"]["name"]["zh"]}} | data)
    if title:
        _section(fig, 0.945, title)
    return fig


def _lines(fig: Figure, y: float, text: str, size: float = 9.5, width: int = 100,
           colour: str = "black", step: float = 0.021) -> float:  # fmt: skip
    """``text`` wrapped from ``y`` down; returns the y under it."""
    lines = rp.wrap(text, width)
    for k, line in enumerate(lines):
        fig.text(0.08, y - k * step, line, fontsize=size, va="top", color=colour)
    return y - step * len(lines)


def _cover(data: dict[str, Any]) -> tuple[Figure, float]:
    """The title, the county's figures and the summary; returns where the table may start."""
    fig = _frame(None, data)
    t, period = data["totals"], data["period"]
    year, month = period["label"].split("-")
    _strong(fig, 0.5, 0.925, "民生服务和民情诉求分析报告", fontsize=22, ha="center")
    fig.text(0.5, 0.89, f"{data['root']['name']['zh']}　各服务中心对比　{year}年{int(month)}月",
             fontsize=13, ha="center")  # fmt: skip
    fig.text(0.5, 0.865, f"统计期间 {period['first']} 至 {period['last']}　生成于 "
             f"{data['generated_at'][:16].replace('T', ' ')}", fontsize=8.5, ha="center",
             color=rp.GREY)  # fmt: skip
    _section(fig, 0.81, "一、总体情况")
    kpis = [
        ("服务中心", f"{len(data['halls'])} 个"),
        ("取号人数", str(t["tickets_issued"])),
        ("平均等候", rp.number_text(t["avg_wait_minutes"], " 分")),
        ("按时办结率", rp.percent_text(t["on_time_rate"])),
        ("满意率", rp.percent_text(t["satisfaction_rate"])),
        ("差评", str(t["bad_reviews"])),
    ]
    for n, (label, value) in enumerate(kpis):
        ax = fig.add_axes((0.08 + n * 0.1433, 0.71, 0.13, 0.08))
        ax.set_xticks([]), ax.set_yticks([])
        ax.set_facecolor("#EEF4FB")
        for spine in ax.spines.values():
            spine.set_color("#C9D8EC")
        _strong(ax, 0.5, 0.62, value, rp.BLUE, ha="center", va="center", fontsize=15,
                transform=ax.transAxes)  # fmt: skip
        ax.text(0.5, 0.2, label, ha="center", va="center", fontsize=8.5, transform=ax.transAxes)
    return fig, _lines(fig, 0.68, summary_text(data), step=0.022) - 0.035


def _cell(key: str, value: Any) -> str:
    if key in RATES:
        return rp.percent_text(value)
    if key == "avg_wait_minutes":
        return "—" if value is None else f"{value:.1f}"
    return str(value)


def _table(data: dict[str, Any], fig: Figure, y: float, title: str, note: str,
           columns: list, rows: list[dict[str, Any]], marks: dict | None = None) -> list[Figure]:  # fmt: skip
    """A table of halls from ``y`` down (names indented under their parent; a row named 合计
    in bold), continued on new pages as the rows need; returns the new pages."""
    pages: list[Figure] = []
    rows = list(rows)
    while True:
        _section(fig, y, title)
        y = _lines(fig, y - 0.015, note, size=7.5, width=130, colour=rp.GREY, step=0.016)
        y = _header(fig, y - 0.008, columns)
        room = y - BOTTOM - 0.002
        height = ROW if len(rows) * ROW <= room else max(TIGHT_ROW, room / len(rows))
        k = 0
        while rows and y - height > BOTTOM:
            _row(fig, y, height, rows.pop(0), columns, marks or {}, shade=k % 2 == 1)
            y, k = y - height, k + 1
        fig.add_artist(Line2D([0.075, 0.95], [y + 0.004] * 2, lw=0.6, color="#999999"))
        if not rows:
            return pages
        fig, y = _frame(None, data), 0.945
        title = title.removesuffix("（续）") + "（续）"
        pages.append(fig)


def _header(fig: Figure, y: float, columns: list) -> float:
    fig.add_artist(Rectangle((0.075, y - 0.034), 0.875, 0.034, color="#E3ECF7", lw=0))
    _strong(fig, 0.08, y - 0.017, "服务中心", width=0.25, fontsize=7.5, va="center")
    for header, _, right in columns:
        _strong(fig, right, y - 0.017, header, width=0.2, fontsize=7, va="center", ha="right",
                linespacing=1.2)  # fmt: skip
    return y - 0.036


def _row(fig: Figure, y: float, height: float, hall: dict, columns: list, marks: dict, *,
         shade: bool) -> None:  # fmt: skip
    total = "depth" not in hall
    if shade:
        fig.add_artist(Rectangle((0.075, y - height + 0.002), 0.875, height, color="#F6F8FB",
                                 lw=0))  # fmt: skip
    if total:
        fig.add_artist(Line2D([0.075, 0.95], [y + 0.002] * 2, lw=0.6, color="#999999"))

    def put(x: float, text: str, colour: str = "black", **kw: Any) -> None:
        if total:
            _strong(fig, x, y - height / 2 + 0.001, text, colour, width=0.25, fontsize=7.5,
                    va="center", **kw)  # fmt: skip
        else:
            fig.text(x, y - height / 2 + 0.001, text, color=colour, fontsize=7.5, va="center", **kw)

    put(0.08, "合计" if total else rp.wrap("　" * hall["depth"] + _name(hall), NAME_COLS)[0])
    for _, key, right in columns:
        colour = "black"
        if key in marks and not total:
            best, worst = marks[key]
            colour = rp.GREEN if _name(hall) in best else rp.RED if _name(hall) in worst else colour
        put(right, _cell(key, hall[key]), colour, ha="right")


def _height(rows: int, bars: int) -> float:
    """A chart as tall as its rows need (``report_pdf.hbars`` stops at 0.31 of the page)."""
    return min(0.78, 0.06 + 0.0105 * rows * max(2, bars)) if rows else 0.1


def _chart(fig: Figure, top: float, labels: list[str], series: list):
    """``report_pdf.hbars`` grown to its rows, counts on a whole-number axis."""
    ax = rp.hbars(fig, top, labels, series)
    if labels:
        x0, _, width, _ = ax.get_position().bounds
        height = _height(len(labels), len(series))
        ax.set_position((x0, top - height, width, height))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return ax


PANELS = (
    ("on_time_rate", "按时办结率", "本月无办结办件"),
    ("satisfaction_rate", "满意率", "本月无评价"),
)


def _rates_chart(fig: Figure, top: float, halls: list[dict[str, Any]], totals: dict) -> Any:
    """Two panels side by side, one row per hall: a dot at the hall's rate (green the highest,
    red the lowest), its value, and the county's rate as a dashed line. Each panel's axis
    starts below its lowest rate (rates of 85-98% would all look alike from 0)."""
    height = min(0.78, 0.06 + 0.024 * len(halls))
    y = list(range(len(halls)))
    ax = None
    for col, (key, title, missing) in enumerate(PANELS):
        ax = fig.add_axes((0.3 + col * 0.34, top - height, 0.27, height))
        rates = [None if h[key] is None else h[key] * 100 for h in halls]
        known = [r for r in rates if r is not None]
        county = None if totals[key] is None else totals[key] * 100
        # the county's rate lies between its halls' lowest and highest
        low = max(0, math.floor((min(known) - 3) / 5) * 5) if known else 0
        ax.set_xlim(low, 100 + (100 - low) * 0.22)
        best, worst = extremes(halls, key)
        for i, (hall, rate) in enumerate(zip(halls, rates, strict=True)):
            if rate is None:
                ax.text(low, i, "  —", va="center", fontsize=8)
                continue
            name = _name(hall)
            colour = rp.GREEN if name in best else rp.RED if name in worst else rp.BLUE
            ax.hlines(i, low, rate, color="#D5DEEA", lw=1.2, zorder=1)
            ax.plot(rate, i, "o", color=colour, ms=5, zorder=3)
            ax.text(rate, i, f"  {rate:.1f}%", va="center", fontsize=7, zorder=3)
        if county is not None:
            ax.axvline(county, color=rp.ORANGE, ls="--", lw=1, zorder=2)
            ax.text(county, -0.8, f"全县 {county:.1f}%", ha="center", va="bottom", fontsize=7.5,
                    color=rp.ORANGE)  # fmt: skip
        if not known:
            ax.text(0.5, 0.5, missing, transform=ax.transAxes, ha="center", va="center",
                    fontsize=9, color=rp.GREY)  # fmt: skip
        ax.set_yticks(y, ["\n".join(rp.wrap(h, 26)) for h in map(_name, halls)] if col == 0
                      else [])  # fmt: skip
        ax.set_ylim(len(halls) - 0.5, -0.5)
        step = 5 if 100 - low <= 25 else 10 if 100 - low <= 50 else 20
        ax.set_xticks(range(100 - (100 - low) // step * step, 101, step))  # none past 100%
        ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0f}%")
        ax.set_title(title, fontsize=10, loc="left", pad=16)
        rp.style_axes(ax, "x")
    return ax


def _rates_and_volumes(data: dict[str, Any]) -> list[Figure]:
    halls, t = data["halls"], data["totals"]
    names = [_name(h) for h in halls]
    fig = _frame("三、各中心按时办结率与满意率", data)
    y = _lines(fig, 0.925, "按时办结率：本月办结的办件中按承诺时限办结的比例；满意率：非常满意、"
               "满意、基本满意占有效评价的比例（经申诉核实的误评不计入）。绿点最高，红点最低，"
               "橙色虚线为全县；横轴从最低值附近开始。本月无办结或无评价的中心标「—」。",
               size=8.5, colour=rp.GREY, step=0.018)  # fmt: skip
    ax = _rates_chart(fig, y - 0.06, halls, t)
    pages = [fig]
    y = rp.below(ax) - 0.02
    volumes = [("取号人数", [h["tickets_issued"] for h in halls], rp.BLUE),
               ("办结人次", [h["tickets_served"] for h in halls], rp.GREEN),
               ("受理件数", [h["cases_accepted"] for h in halls], rp.GREY)]  # fmt: skip
    if y - 0.1 - _height(len(halls), 3) < BOTTOM:
        fig, y = _frame(None, data), 0.945
        pages.append(fig)
    _section(fig, y, "四、各中心办理量")
    fig.text(0.08, y - 0.025, "取号人数、办结人次为窗口办理；受理件数含移交接收的办件。",
             fontsize=8.5, color=rp.GREY)  # fmt: skip
    busy = any(h["tickets_issued"] or h["tickets_served"] or h["cases_accepted"] for h in halls)
    _chart(fig, y - 0.07, names if busy else [], volumes if busy else [])  # none: 本月无数据
    return pages


def _item_lines(items: list[dict[str, Any]], width: int) -> list[str]:
    """Items 「名称（取号人数/受理件数）」, lines broken between items only."""
    lines, line = [], ""
    for i in items:
        word = f"{i['name']}（{i['tickets_issued']}/{i['cases_accepted']}）"
        if line and text_width(line + "、" + word) > width:
            lines.append(line + "、")
            line = word
        else:
            line = f"{line}、{word}" if line else word
    return [*lines, line] if line else ["本月无办理"]


def _items_pages(data: dict[str, Any]) -> list[Figure]:
    fig = _frame("五、取号人数前列事项（全县）", data)
    items = data["top_items"]
    fig.text(0.08, 0.92, "各中心的同一事项（按事项编码）合计，按取号人数排序（前 10 项）。",
             fontsize=8.5, color=rp.GREY)  # fmt: skip
    series = [("取号人数", [i["tickets_issued"] for i in items], rp.BLUE),
              ("办结人次", [i["tickets_served"] for i in items], rp.GREEN),
              ("受理件数", [i["cases_accepted"] for i in items], rp.GREY)]  # fmt: skip
    labels = [f"{i['name']}\n{i['halls']} 个中心" for i in items]
    ax = _chart(fig, 0.86, labels, series)
    if not items:
        ax.texts[0].set_text("本月无办理")
    y = rp.below(ax)
    pages, title = [fig], "六、各中心办理量前五事项"
    rows = [(h, _item_lines(h["top_items"], 84)) for h in data["halls"]]
    while True:
        _section(fig, y, title)
        fig.text(0.08, y - 0.022, "括号内为取号人数/受理件数。", fontsize=8.5, color=rp.GREY)
        y -= 0.045
        while rows and y - 0.0135 * len(rows[0][1]) - 0.008 > BOTTOM:
            hall, lines = rows.pop(0)
            _strong(fig, 0.08, y, rp.wrap(_name(hall), 24)[0], width=0.2, fontsize=8, va="top")
            fig.text(0.29, y, "\n".join(lines), fontsize=7.5, va="top", linespacing=1.45)
            y -= 0.0135 * len(lines) + 0.008
        if not rows:
            return pages
        fig, y, title = _frame(None, data), 0.945, title.removesuffix("（续）") + "（续）"
        pages.append(fig)


def _referrals_pages(data: dict[str, Any]) -> list[Figure]:
    fig = _frame(None, data)
    t, halls = data["totals"], data["halls"]
    text = (
        f"本月上报 {t['referrals_up']} 件，交办 {t['referrals_down']} 件，各中心接收移交 "
        f"{t['referrals_received']} 件；重访（同一群众同一事项在重访期内再次受理）"
        f"{t['repeat_visits']} 件。"
    )
    for key, words in (("referrals_up", "上报"), ("repeat_visits", "重访")):
        top = max((h[key] for h in halls), default=0)
        most = [_name(h) for h in halls if top and h[key] == top]
        if len(most) > 3:
            text += f"{words}最多的有 {len(most)} 个中心（各 {top} 件）。"
        elif most:
            text += (
                f"{words}最多的是{'、'.join(most)}（{'各 ' if len(most) > 1 else ''}{top} 件）。"
            )
    _section(fig, 0.945, "七、上报与交办、重访")
    y = _lines(fig, 0.92, text) - 0.02
    note = (
        "上报、交办按发出的中心计，接收按接收的中心计（均为本月发出的移交，不论后来接收或退回）。"
    )
    rows = [*halls, {k: t[k] for _, k, _ in REFERRAL_TABLE}]
    return [fig, *_table(data, fig, y, "各中心移交与重访（件）", note, REFERRAL_TABLE, rows)]


def render(data: dict[str, Any]) -> bytes:
    """The report as PDF bytes (fonts from the Debian packages ``report_pdf`` names)."""
    with rp.RENDER_LOCK:  # rcParams and the font manager are process-wide
        name, fonttype, weight = rp.cjk_font()
    rc: dict[RcKeyType, Any] = {
        "font.family": "sans-serif",
        "font.sans-serif": [name, "DejaVu Sans"],
        "font.weight": weight,
        "axes.labelweight": weight,
        "axes.titleweight": weight,
        "pdf.fonttype": fonttype,
        "axes.unicode_minus": False,
        "text.parse_math": False,  # a "$" in a hall's or an item's name is a dollar sign
    }
    out = io.BytesIO()
    with rp.RENDER_LOCK, matplotlib.rc_context(rc):
        cover, top = _cover(data)
        note = ("按时办结率、满意率：绿色为最高，红色为最低。移交的办件在移出和接收的中心各计受理"
                "一次；合计的比率按全县全部办件和评价计算。")  # fmt: skip
        marks = {k: extremes(data["halls"], k) for k in RATES}
        rows = [*data["halls"], data["totals"]]
        figures = [
            cover,
            *_table(data, cover, top, "二、各中心对比", note, COMPARISON, rows, marks),
            *_rates_and_volumes(data),
            *_items_pages(data),
            *_referrals_pages(data),
        ]  # fmt: skip
        for number, fig in enumerate(figures, start=1):
            fig.text(0.92, 0.03, f"第 {number} / {len(figures)} 页", fontsize=7.5,
                     color=rp.GREY, ha="right")  # fmt: skip
        title = f"{data['root']['name']['zh']} {data['period']['label']} 民生服务和民情诉求分析报告"
        with PdfPages(out, metadata={"Title": title, "Creator": "onestop"}) as pdf:
            for fig in figures:
                pdf.savefig(fig)
    return out.getvalue()
