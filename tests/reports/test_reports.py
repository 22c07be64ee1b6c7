"""Reports: a small November built through the API (served, no-show, returning no-show,
transfer, cancelled ticket; cases on time, late, overdue, extended, refused; ratings with a
rectification and an upheld appeal), then exact figures in JSON, CSV, XLSX and the PDF."""

from __future__ import annotations

import copy
import csv
import io
import re
import shutil
import subprocess
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from backend.domain.cases import Rating
from i18n import labels

SHANGHAI = ZoneInfo("Asia/Shanghai")
APPLICANT = {"name": "张小三", "phone": "13812341234", "id_number": "320102198503151230"}
REPORTS = "/reports"


class Month:
    """Drives the hall through the API, one resident at a time, so every figure is known."""

    def __init__(self, hall, clock):
        self.hall, self.clock = hall, clock
        self.cases: dict[str, str] = {}

    def goto(self, when: str) -> None:
        target = datetime.fromisoformat(when).replace(tzinfo=SHANGHAI).astimezone(UTC)
        assert target >= self.clock.now
        self.hall.next_day(self.clock, 0, seconds=(target - self.clock.now).total_seconds())

    def ok(self, r):
        assert r.status_code == 200, r.json
        return r.json

    def open(self, window: int, clerk: str) -> None:
        state = self.hall.get(f"/windows/{window}", self.staff(clerk)).json["window"]["state"]
        if state != "open":
            self.hall.open_window(window, clerk)

    def win(self, window: int, action: str, clerk: str, **body):
        return self.ok(self.hall.window(window, action, clerk, **body))

    def visit(self, item, window, clerk, wait, service=None, *, case=None, rating=None):
        """Issue, wait ``wait`` minutes, call; serve ``service`` minutes (None: no-show).
        ``case`` names the case accepted during the service."""
        number = self.hall.issue(item)["ticket"]["number"]
        self.call(number, window, clerk, wait)
        if service is None:
            self.clock.advance(minutes=2)
            self.win(window, "no-show", clerk)
            return number
        self.serve(window, clerk, service, case)
        if rating:
            self.rate(number, rating)
        return number

    def call(self, number, window, clerk, wait):
        self.clock.advance(minutes=wait)
        assert self.win(window, "call-next", clerk)["ticket"]["number"] == number

    def serve(self, window, clerk, service, case=None):
        self.last_served = (window, clerk)  # for the rating request
        self.win(window, "start", clerk)
        self.clock.advance(minutes=service)
        if case:
            body = {"applicant": APPLICANT, "materials_received": ["居民身份证"]}
            self.cases[case] = self.win(window, "accept", clerk, **body)["case"]["number"]
        self.win(window, "finish", clerk)

    def rate(self, number: str, rating: str, comment: str = "") -> dict:
        """On the pad of the window that just served ``number``, at its clerk's request."""
        window, clerk = self.last_served
        self.win(window, "rating-request", clerk)
        body = {"ticket": number, "rating": rating, "comment": comment}
        r = self.hall.post("/evaluations", body, self.hall.device(f"pad-{window}"))
        return self.ok(r)

    def case(self, name: str, what: str, who: str = "clerk1", **body):
        return self.ok(self.hall.post(f"/cases/{self.cases[name]}/{what}", body, self.staff(who)))

    def staff(self, who: str):
        return self.hall.staff(who)


def build_november(hall, clock) -> Month:
    m = Month(hall, clock)
    # Monday 23 November, 09:00
    m.open(2, "clerk1")
    m.open(3, "clerk2")
    m.visit("RS-01", 3, "clerk2", 6, 4, rating="very_satisfied")  # B001
    m.visit("MZ-02", 2, "clerk1", 10, 12, case="C1", rating="basically_satisfied")  # A001
    m.visit("MZ-02", 2, "clerk1", 8, 15, case="C2")  # A002: finished late
    m.visit("MZ-01", 2, "clerk1", 5, 20, case="C3", rating="satisfied")  # A003: extended
    m.visit("RS-02", 3, "clerk2", 4)  # B002: no-show, never returns
    bad = m.visit("RS-01", 3, "clerk2", 2, 6)  # B003
    first_rect = m.rate(bad, "dissatisfied")["rectification"]["id"]
    m.visit("MZ-02", 2, "clerk1", 7, 11, case="C4")  # A004: still open, overdue at month end

    m.goto("2026-11-24 09:00")  # Tuesday
    for step, note in [
        ("callback", "电话回访，群众反映等候时间长"),
        ("verify", "核实属实"),
        ("fix", "高峰时段加开综合窗口"),
        ("inform", "已告知群众整改结果"),
    ]:
        m.ok(hall.post(f"/rectifications/{first_rect}/steps", {"step": step, "note": note},
                       m.staff("boss")))  # fmt: skip
    m.case("C3", "extension", days=2, reason="需入户核查家庭经济状况")
    m.case("C3", "extension/decision", who="boss", approve=True, note="同意")
    m.open(1, "clerk3")
    m.open(2, "clerk1")
    m.open(3, "clerk2")
    returning = hall.issue("RS-01")["ticket"]["number"]  # B001: no-show, returns, served
    m.call(returning, 3, "clerk2", 10)
    m.clock.advance(minutes=2)
    m.win(3, "no-show", "clerk2")
    m.clock.advance(minutes=18)
    m.ok(hall.post(f"/tickets/{returning}/requeue", {}, m.staff("clerk2")))
    m.call(returning, 3, "clerk2", 10)
    m.serve(3, "clerk2", 5)
    m.rate(returning, "very_satisfied")
    refused = m.visit("MZ-02", 2, "clerk1", 15, 10, case="C5")  # A001
    m.case("C5", "refuse", reason="不符合临时救助条件")
    appealed = m.rate(refused, "very_dissatisfied")["rectification"]["id"]
    m.ok(hall.post(f"/rectifications/{appealed}/appeal", {"reason": "误触"}, m.staff("clerk1")))
    m.ok(hall.post(f"/rectifications/{appealed}/appeal/decision",
                   {"upheld": True, "note": "监控核实为误触"}, m.staff("boss")))  # fmt: skip
    moved = hall.issue("RS-02")["ticket"]["number"]  # B002: RS-02 at 1, then MZ-01 at 2
    m.call(moved, 1, "clerk3", 5)
    m.win(1, "start", "clerk3")
    m.clock.advance(minutes=5)
    m.win(1, "transfer", "clerk3", to_item="MZ-01", to_window=2, note="需申请低保")
    m.call(moved, 2, "clerk1", 5)
    m.serve(2, "clerk1", 20, case="C6")
    m.rate(moved, "satisfied")
    left = hall.issue("RS-01")["ticket"]["number"]  # B003: leaves before being called
    m.clock.advance(minutes=5)
    m.ok(hall.post(f"/tickets/{left}/cancel", {}, m.staff("boss")))
    asked = m.visit("MZ-02", 2, "clerk1", 10, 11)  # A002: consultation only
    m.rate(asked, "dissatisfied", comment="材料清单没说清楚，白跑一趟，停车还花了 $5 和 $10")

    m.goto("2026-11-25 09:00")
    m.case("C1", "finish", result="已发放临时救助金")
    m.goto("2026-11-30 18:00")  # half an hour after C2's deadline
    m.case("C2", "finish", result="已发放临时救助金")

    m.goto("2026-12-01 09:00")  # December: none of this counts for November
    m.case("C3", "finish", result="已纳入低保")
    m.open(2, "clerk1")
    m.visit("MZ-02", 2, "clerk1", 3, 5, rating="very_satisfied")
    return m


@pytest.fixture
def november(hall, clock):
    return build_november(hall, clock)


def by_key(rows):
    return {r["key"]: r for r in rows}


def figures(row, *keys):
    return tuple(row[k] for k in keys)


TICKETS = ("tickets_issued", "tickets_served", "no_shows", "avg_wait_minutes",
           "avg_service_minutes")  # fmt: skip
CASES = ("cases_accepted", "cases_finished", "cases_on_time", "cases_overdue", "cases_extended",
         "cases_refused", "on_time_rate")  # fmt: skip
RATINGS = ("very_satisfied", "satisfied", "basically_satisfied", "dissatisfied",
           "very_dissatisfied", "evaluations", "satisfaction_rate")  # fmt: skip


def test_monthly_figures_per_department_item_window_and_clerk(hall, november):
    r = hall.get(f"{REPORTS}/monthly?month=2026-11", hall.staff("boss"))
    assert r.status_code == 200, r.json
    data = r.json
    assert data["period"]["first"] == "2026-11-01" and data["period"]["last"] == "2026-11-30"
    assert data["period"]["start"] == "2026-11-01T00:00:00+08:00"
    t = data["totals"]
    # waits 6,10,8,5,4,2,7 + 10 (first call of the returning no-show),15,5,10 -> 82/11
    assert figures(t, *TICKETS) == (12, 10, 1, 7.5, 11.4)
    # accepted: 4 promised + 2 immediate on Monday, 2 promised + 1 immediate on Tuesday;
    # finished: 3 immediate + C1 on time + C2 late; overdue: C2 late + C4 open past deadline
    assert figures(t, *CASES) == (9, 5, 4, 2, 1, 1, 0.8)
    # the very_dissatisfied rating was excluded on appeal
    assert figures(t, *RATINGS) == (2, 2, 1, 2, 0, 7, 0.7143)

    departments = by_key(data["groupings"]["department"])
    assert list(departments) == ["MZ", "RS"]
    assert departments["MZ"]["name"] == "民政"
    assert figures(departments["MZ"], *TICKETS) == (6, 7, 0, 9.2, 14.1)
    assert figures(departments["MZ"], *CASES) == (6, 2, 1, 2, 1, 1, 0.5)
    assert figures(departments["MZ"], *RATINGS) == (0, 2, 1, 1, 0, 4, 0.75)
    assert figures(departments["RS"], *TICKETS) == (6, 3, 1, 5.4, 5.0)
    assert figures(departments["RS"], *CASES) == (3, 3, 3, 0, 0, 0, 1.0)
    assert figures(departments["RS"], *RATINGS) == (2, 0, 0, 1, 0, 3, 0.6667)

    items = by_key(data["groupings"]["item"])
    assert list(items) == ["MZ-01", "MZ-02", "RS-01", "RS-02"]
    assert items["MZ-01"]["department"] == "民政"
    # RS-01 waits 6, 2 and 10: the returning no-show waited until its first call, not 40
    assert figures(items["RS-01"], *TICKETS) == (4, 3, 0, 6.0, 5.0)
    assert figures(items["RS-02"], *TICKETS) == (2, 0, 1, 4.5, None)  # the transfer left
    assert figures(items["MZ-01"], *TICKETS) == (1, 2, 0, 5.0, 20.0)  # ... and was served here
    assert figures(items["MZ-01"], *CASES) == (2, 0, 0, 0, 1, 0, None)
    assert figures(items["MZ-02"], *CASES) == (4, 2, 1, 2, 0, 1, 0.5)

    windows = by_key(data["groupings"]["window"])
    assert list(windows) == [1, 2, 3, None]
    assert windows[None]["name"] == "（未分配）"
    assert figures(windows[1], *TICKETS) == (1, 0, 0, 5.0, None)
    assert figures(windows[2], *TICKETS) == (6, 7, 0, 9.2, 14.1)
    assert figures(windows[3], *TICKETS) == (4, 3, 1, 5.5, 5.0)
    assert figures(windows[None], *TICKETS) == (1, 0, 0, None, None)  # cancelled, never called
    clerks = by_key(data["groupings"]["clerk"])
    assert list(clerks) == ["clerk1", "clerk2", "clerk3", None]  # the manager served nobody
    assert clerks["clerk1"]["tickets_served"] == 7 and clerks["clerk2"]["no_shows"] == 1
    assert figures(clerks["clerk1"], *RATINGS) == (0, 2, 1, 1, 0, 4, 0.75)
    for grouping in ("department", "item", "window", "clerk"):
        rows = data["groupings"][grouping]
        for key in ("tickets_issued", "tickets_served", "cases_accepted", "evaluations"):
            assert sum(r[key] for r in rows) == t[key], (grouping, key)

    days = by_key(data["days"])
    assert len(days) == 30
    assert figures(days["2026-11-23"], *TICKETS) == (7, 6, 1, 6.0, 11.3)
    assert figures(days["2026-11-24"], *TICKETS) == (5, 4, 0, 10.0, 11.5)
    assert days["2026-11-25"]["cases_finished"] == 1
    assert days["2026-11-30"]["cases_overdue"] == 2
    assert days["2026-11-29"]["tickets_issued"] == 0

    r = hall.get(f"{REPORTS}/monthly?month=2026-11&by=item", hall.staff("boss"))
    assert list(r.json["groupings"]) == ["item"]
    december = hall.get(f"{REPORTS}/monthly?month=2026-12", hall.staff("boss")).json
    assert figures(december["totals"], *TICKETS) == (1, 1, 0, 3.0, 5.0)
    assert december["totals"]["cases_finished"] == 1  # C3, finished on 1 December
    assert december["totals"]["cases_overdue"] == 1  # C4 is still open past its deadline


def test_daily_figures(hall, november):
    r = hall.get(f"{REPORTS}/daily?date=2026-11-23", hall.staff("boss"))
    data = r.json
    assert data["period"]["kind"] == "day" and data["period"]["end"] == "2026-11-24T00:00:00+08:00"
    t = data["totals"]
    assert figures(t, *TICKETS) == (7, 6, 1, 6.0, 11.3)
    # only the immediate items are finished that day; nothing was overdue yet
    assert figures(t, *CASES) == (6, 2, 2, 0, 0, 0, 1.0)
    assert figures(t, *RATINGS) == (1, 1, 1, 1, 0, 4, 0.75)
    windows = by_key(data["groupings"]["window"])
    assert list(windows) == [1, 2, 3]  # window 1 was closed: a row of zeros
    assert figures(windows[1], *TICKETS) == (0, 0, 0, None, None)
    assert figures(windows[2], *TICKETS) == (4, 4, 0, 7.5, 14.5)
    tuesday = hall.get(f"{REPORTS}/daily?date=2026-11-24", hall.staff("boss")).json["totals"]
    assert figures(tuesday, *CASES) == (3, 1, 1, 0, 1, 1, 1.0)
    monday_30 = hall.get(f"{REPORTS}/daily?date=2026-11-30", hall.staff("boss")).json["totals"]
    assert figures(monday_30, *CASES) == (0, 1, 0, 2, 0, 0, 0.0)


def test_csv_and_xlsx_exports(hall, november):
    boss = hall.staff("boss")
    r = hall.get(f"{REPORTS}/monthly?month=2026-11&format=csv&by=department", boss)
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.headers["Content-Disposition"] == 'attachment; filename="town-2026-11-department.csv"'
    assert r.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[0][:7] == ["部门编码", "部门", "取号人数", "办结人次", "过号人次",
                           "平均等候(分钟)", "平均办理(分钟)"]  # fmt: skip
    assert rows[0][-7:] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意",
                            "评价总数", "满意率"]  # fmt: skip
    assert "按时办结率" in rows[0] and "超期件数" in rows[0] and "延期件数" in rows[0]
    assert rows[1][:7] == ["MZ", "民政", "6", "7", "0", "9.2", "14.1"]
    assert rows[1][rows[0].index("按时办结率")] == "50.0%"
    assert rows[2][:2] == ["RS", "人社"]
    assert rows[3][:4] == ["合计", "", "12", "10"] and rows[3][-1] == "71.4%"
    assert len(rows) == 4
    daily = hall.get(f"{REPORTS}/daily?date=2026-11-23&format=csv&by=window", boss)
    rows = list(csv.reader(io.StringIO(daily.data.decode("utf-8-sig"))))
    assert [r[:3] for r in rows] == [
        ["窗口号", "窗口", "取号人数"],
        ["1", "1号综合窗口", "0"],
        ["2", "2号窗口 民政", "4"],
        ["3", "3号窗口 人社", "3"],
        ["合计", "", "7"],
    ]

    r = hall.get(f"{REPORTS}/monthly?month=2026-11&format=xlsx", boss)
    assert r.status_code == 200
    assert r.headers["Content-Disposition"] == 'attachment; filename="town-2026-11.xlsx"'
    book = load_workbook(io.BytesIO(r.data))
    assert book.sheetnames == ["按部门", "按事项", "按窗口", "按人员", "按日期"]
    items = list(book["按事项"].values)
    assert items[0][:4] == ("事项编码", "事项", "所属部门", "取号人数")
    assert items[1][:8] == ("MZ-01", "最低生活保障申请", "民政", 1, 2, 0, 5.0, 20.0)
    assert items[-1][0] == "合计" and items[-1][3] == 12
    rate_col = items[0].index("满意率")
    assert items[-1][rate_col] == pytest.approx(0.7143)
    assert book["按事项"].cell(row=2, column=rate_col + 1).number_format == "0.0%"
    clerks = list(book["按人员"].values)
    assert [row[1] for row in clerks] == ["工作人员", "clerk1", "clerk2", "clerk3",
                                          "（未分配）", None]  # fmt: skip
    days = list(book["按日期"].values)
    assert days[0][:3] == ("日期", "工作日", "取号人数") and len(days) == 31
    assert days[23][:4] == ("2026-11-23", "是", 7, 6)
    assert days[22][:4] == ("2026-11-22", "否", 0, 0)  # a Sunday
    one = load_workbook(io.BytesIO(hall.get(
        f"{REPORTS}/daily?date=2026-11-23&format=xlsx&by=clerk", boss).data))  # fmt: skip
    assert one.sheetnames == ["按人员"]


def test_monthly_pdf_report(hall, november, tmp_path):
    r = hall.get(f"{REPORTS}/monthly.pdf?month=2026-11", hall.staff("boss"))
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.data.startswith(b"%PDF")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(r.data)
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm missing: install poppler-utils (make system-test)")
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+5$", info, re.M), info
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True)
    assert "WenQuanYi" in fonts.stdout and "CID TrueType" in fonts.stdout
    assert "Mismatch" not in fonts.stderr
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    assert "民生服务和民情诉求分析报告" in text and "测试镇便民服务中心" in text
    assert "本月共取号 12 人" in text and "按时办结率 80.0%" in text
    assert "本月差评 2 条（另有 1 条经申诉核实不计入）：已整改 1 条（按期 1 条）" in text
    assert "高峰时段加开综合窗口" in text and "申诉成立" in text
    assert "停车还花了 $5 和 $10" in text  # a dollar sign is no TeX
    # Windows required vs opened: the chart's title, its legend and the days it averages.
    assert "每半小时平均需要窗口数与实际开放窗口数" in text
    assert "平均需要窗口" in text and "平均开放窗口" in text
    assert "本月 2 个有办理记录的工作日" in text
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", pdf, tmp_path / "p"],
                   check=True)  # fmt: skip
    from PIL import Image

    page = Image.open(tmp_path / "p-1.png").convert("L")
    dark = sum(page.histogram()[:128])
    assert dark > page.width * page.height * 0.01, "page 1 is blank"


def _pdf_text(data: bytes, tmp_path) -> str:
    pdf = tmp_path / "labels.pdf"
    pdf.write_bytes(data)
    return subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


def test_the_pdf_and_the_exports_name_states_from_the_labels(hall, november, tmp_path, monkeypatch):
    """i18n/labels.toml is read when a report is made: renamed there, renamed in the PDF."""
    renamed = copy.deepcopy(labels.all_labels())
    renamed["rectification_state"]["done"]["zh"] = "整改完毕"
    renamed["appeal_state"]["upheld"]["zh"] = "申诉经核实成立"
    renamed["rectification_step"]["inform"]["zh"] = "告知群众"
    monkeypatch.setattr(labels, "all_labels", lambda: renamed)
    r = hall.get(f"{REPORTS}/monthly.pdf?month=2026-11", hall.staff("boss"))
    text = "".join(_pdf_text(r.data, tmp_path).split())  # the table wraps its cells
    assert "整改完毕1条（按期1条）" in text and "整改完毕（按期）" in text
    assert "申诉经核实成立，不计入" in text
    assert "回访群众→核实→整改→告知群众" in text and "反馈" not in text
    csv_head = hall.get(f"{REPORTS}/monthly?month=2026-11&format=csv", hall.staff("boss")).data
    header = next(csv.reader(io.StringIO(csv_head.decode("utf-8-sig"))))
    assert [h for h in header if h in labels.zh("rating").values()] == list(
        labels.zh("rating", Rating).values()
    )


def test_an_empty_month_still_renders(hall):
    r = hall.get(f"{REPORTS}/monthly.pdf?month=2026-10", hall.staff("boss"))
    assert r.status_code == 200 and r.data.startswith(b"%PDF")
    r = hall.get(f"{REPORTS}/monthly?month=2026-10", hall.staff("boss"))
    assert r.json["totals"]["tickets_issued"] == 0 and r.json["totals"]["on_time_rate"] is None


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/daily?date=2026-13-01", "date"),
        ("/daily?date=23.11.2026", "date"),
        ("/daily?date=2026-11-23&format=pdf", "format"),
        ("/daily?date=2026-11-23&by=floor", "by"),
        ("/monthly?month=2026-13", "month"),
        ("/monthly?month=2026-1", "month"),
        ("/monthly?month=2026-11&format=xls", "format"),
        ("/monthly?month=2026-11&by=day", "by"),
        ("/monthly.pdf?month=November", "month"),
    ],
)
def test_bad_input_names_the_field(hall, path, field):
    r = hall.get(REPORTS + path, hall.staff("boss"))
    assert r.status_code == 400 and r.json["error"]["field"] == field


def test_reports_are_for_managers(hall):
    for path in ("/daily", "/monthly", "/monthly.pdf"):
        assert hall.get(REPORTS + path, hall.staff("clerk1")).status_code == 403
        assert hall.get(REPORTS + path, hall.device("kiosk-1")).status_code == 403
        assert hall.get(REPORTS + path).status_code == 401
    assert hall.get(f"{REPORTS}/daily", hall.staff("boss")).status_code == 200


def test_wrapping_keeps_numbers_whole_and_punctuation_off_line_starts():
    from backend.services.report_pdf import wrap

    assert wrap("本月共取号 12345 人，办结", 14) == ["本月共取号", "12345 人，办结"]
    assert wrap("等候时间太长，窗口少", 10) == ["等候时间太", "长，窗口少"]
    assert wrap("（按期 1 条）", 8) == ["（按期 1", "条）"]
    assert wrap("第一行\n第二行", 40) == ["第一行", "第二行"]
    assert all(len(line) <= 5 for line in wrap("x" * 12, 5))
