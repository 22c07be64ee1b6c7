"""The county's month across its halls: a November driven through the API in the test county
(county → town, east → cun): tickets, cases on time and late, ratings with a bad one, a repeat
visit, a 上报 from the town and a 交办 to east. Every hall's row must be its own monthly report's
figures; CSV, XLSX and the PDF carry the same numbers; only supervisors of the tree may read it."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from backend.db.engine import open_database
from backend.db.uow import Actor, UnitOfWork
from backend.services.auth import add_user
from tests.support import PASSWORD, HallClient, network_config, setup_hall

SHANGHAI = ZoneInfo("Asia/Shanghai")
REPORT = "/network/report"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(n: int) -> str:
    """A valid resident ID number (GB 11643 check digit); a different person for each ``n``."""
    base = f"3201021985031512{n}"
    return base + "10X98765432"[sum(int(d) * w for d, w in zip(base, WEIGHTS, strict=True)) % 11]


def applicant(n: int) -> dict[str, str]:
    return {"name": f"张小{'一二三四五六七八九'[n]}", "phone": f"1381234{n:04d}",
            "id_number": id_number(n)}  # fmt: skip


class County:
    """Drives the halls of the network through the API, one resident at a time."""

    def __init__(self, halls: dict[str, HallClient], clock):
        self.halls, self.clock = halls, clock
        self.cases: dict[str, tuple[str, str]] = {}  # name -> (hall, acceptance number)

    def goto(self, when: str) -> None:
        target = datetime.fromisoformat(when).replace(tzinfo=SHANGHAI).astimezone(UTC)
        assert target >= self.clock.now
        self.clock.now = target
        for hall in self.halls.values():
            hall._staff.clear()  # tokens last one working day: log in again

    def ok(self, r) -> dict:
        assert r.status_code == 200, r.json
        return r.json

    def win(self, code: str, window: int, action: str, clerk: str, **body) -> dict:
        return self.ok(self.halls[code].window(window, action, clerk, **body))

    def open(self, code: str, window: int, clerk: str) -> None:
        hall = self.halls[code]
        if hall.get(f"/windows/{window}", hall.staff(clerk)).json["window"]["state"] != "open":
            hall.open_window(window, clerk)

    def visit(self, code, item, window, clerk, wait, service=None, *, case=None, who=0,
              rating=None) -> str:  # fmt: skip
        """Issue, wait, call; serve (None: a no-show); ``case`` names the case accepted during
        the service for applicant ``who``; ``rating`` on the window's pad."""
        hall = self.halls[code]
        issuer = hall.device() if "kiosk-1" in hall.devices else hall.staff(clerk)  # cun: no kiosk
        number = self.ok(hall.post("/tickets", {"item_code": item}, issuer))["ticket"]["number"]
        self.clock.advance(minutes=wait)
        assert self.win(code, window, "call-next", clerk)["ticket"]["number"] == number
        if service is None:
            self.clock.advance(minutes=2)
            self.win(code, window, "no-show", clerk)
            return number
        self.win(code, window, "start", clerk)
        self.clock.advance(minutes=service)
        if case:
            body = {"applicant": applicant(who), "materials_received": ["居民身份证"]}
            accepted = self.win(code, window, "accept", clerk, **body)["case"]
            self.cases[case] = (code, accepted["number"])
        self.win(code, window, "finish", clerk)
        if rating:
            self.win(code, window, "rating-request", clerk)
            body = {"ticket": number, "rating": rating}
            self.ok(hall.post("/evaluations", body, hall.device(f"pad-{window}")))
        return number

    def case(self, name: str, what: str, who: str = "clerk1", **body) -> dict:
        code, number = self.cases[name]
        hall = self.halls[code]
        return self.ok(hall.post(f"/cases/{number}/{what}", body, hall.staff(who)))

    def take_referral(self, code: str, name: str) -> None:
        """The receiving hall accepts the one referral waiting in its inbox as case ``name``."""
        hall = self.halls[code]
        inbox = self.ok(hall.get("/referrals?state=sent", hall.staff("clerk1")))["referrals"]
        assert len(inbox) == 1, inbox
        r = hall.post(f"/referrals/{inbox[0]['id']}/accept", {}, hall.staff("clerk1"))
        self.cases[name] = (code, self.ok(r)["case"]["number"])


def build_november(network, clock) -> County:
    c = County(network, clock)
    # Monday 23 November 2026, 09:00
    for code in ("county", "town", "east"):
        c.open(code, 2, "clerk1")
        c.open(code, 3, "clerk2")
    c.open("county", 4, "clerk3")
    c.open("cun", 1, "clerk1")

    # town: an immediate item rated well, two promised cases for the same applicant (the second
    # is a 重访) of which one is rated badly, a third case beyond its remit, reported up
    c.visit("town", "RS-01", 3, "clerk2", 5, 4, rating="very_satisfied")
    c.visit("town", "MZ-02", 2, "clerk1", 10, 12, case="T1", who=1, rating="satisfied")
    c.visit("town", "MZ-02", 2, "clerk1", 8, 10, case="T2", who=1, rating="dissatisfied")
    c.visit("town", "MZ-02", 2, "clerk1", 6, 9, case="T3", who=2)
    c.case("T3", "refer", reason="临时救助金额超出镇级审批权限，上报县民政")
    c.visit("town", "MZ-02", 2, "clerk1", 4, 6, case="T4", who=5)  # waits for 补正 at month end
    # the county: an immediate item, a case of its own, a case handed down to east (交办)
    c.visit("county", "RS-01", 3, "clerk2", 3, 5, rating="very_satisfied")
    c.visit("county", "MZ-01", 2, "clerk1", 12, 15, case="K1", who=3, rating="basically_satisfied")
    c.case("K1", "refer", to_hall="east", reason="申请人户籍在东镇，交东镇入户核查")
    c.visit("county", "RS-02", 3, "clerk2", 4, 6)
    c.take_referral("county", "K2")  # the town's matter
    # east: a served immediate item, a no-show, a promised case; it takes the county's case
    c.visit("east", "RS-02", 3, "clerk2", 7, 5, rating="basically_satisfied")
    c.visit("east", "RS-01", 3, "clerk2", 3)  # no-show
    c.visit("east", "MZ-02", 2, "clerk1", 9, 11, case="E1", who=4)
    c.visit("east", "MZ-02", 2, "clerk1", 5, 7, case="E3", who=6)  # still open at month end
    c.take_referral("east", "E2")
    # the village point: one resident served (its pad is attached to no window: no rating)
    c.visit("cun", "RS-01", 1, "clerk1", 2, 3)

    c.goto("2026-11-25 09:00")
    c.case("T1", "finish", result="已发放临时救助金")  # on time
    c.case("K2", "finish", result="县民政已审批发放")  # on time (from the town's acceptance)
    c.case("T4", "suspend", missing=["户口簿"], note="一次性告知：请补交户口簿")
    c.goto("2026-11-30 18:00")  # half an hour after the 5-day deadlines
    c.case("T2", "finish", result="已发放临时救助金")  # late
    c.case("E1", "finish", result="已发放临时救助金")  # late

    c.goto("2026-12-01 09:00")  # December: none of this counts for November
    c.open("town", 3, "clerk2")
    c.visit("town", "RS-01", 3, "clerk2", 3, 4, rating="very_dissatisfied")
    return c


@pytest.fixture
def november(network, clock) -> County:
    return build_november(network, clock)


def ducha(network) -> dict[str, str]:
    return network["county"].staff("ducha")


def county_report(network, fmt: str = "json", hall: str = "county"):
    r = network[hall].get(f"{REPORT}?month=2026-11&format={fmt}", ducha(network))
    assert r.status_code == 200, r.json
    return r


SAME = ("tickets_issued", "tickets_served", "no_shows", "avg_wait_minutes", "cases_accepted",
        "cases_finished", "cases_on_time", "cases_overdue", "on_time_rate", "evaluations",
        "satisfaction_rate")  # fmt: skip


def same_as_each_hall_report(network, data: dict, month: str) -> dict[str, dict]:
    """Every hall's row against the hall's own monthly report (its manager's view)."""
    rows = {h["code"]: h for h in data["halls"]}
    for code, row in rows.items():
        hall = network[code]
        own = hall.get(f"/reports/monthly?month={month}", hall.staff("boss")).json
        for key in SAME:
            assert row[key] == own["totals"][key], (code, key)
        bad = own["totals"]["dissatisfied"] + own["totals"]["very_dissatisfied"]
        assert row["bad_reviews"] == bad, code
        items = sorted(
            (i for i in own["groupings"]["item"] if i["tickets_issued"] or i["cases_accepted"]),
            key=lambda i: (-i["tickets_issued"], -i["tickets_served"], -i["cases_accepted"]),
        )
        assert [(i["code"], i["tickets_issued"], i["tickets_served"], i["cases_accepted"])
                for i in row["top_items"]] == [
            (i["key"], i["tickets_issued"], i["tickets_served"], i["cases_accepted"])
            for i in items[:5]
        ], code  # fmt: skip
    return rows


def test_every_hall_row_is_its_own_monthly_report(network, november):
    data = county_report(network).json
    assert data["root"]["code"] == "county" and data["period"]["label"] == "2026-11"
    rows = same_as_each_hall_report(network, data, "2026-11")
    assert list(rows) == ["county", "east", "town", "cun"]  # tree order: cun sits under town
    assert [rows[c]["depth"] for c in rows] == [0, 1, 1, 2]
    assert rows["cun"]["parent"] == "town" and rows["county"]["parent"] is None

    # what the month was: the town rated one bad, accepted one repeat, reported one case up
    town, county, east, cun = (rows[c] for c in ("town", "county", "east", "cun"))
    assert (town["tickets_issued"], town["cases_finished"], town["cases_on_time"]) == (5, 3, 2)
    # overdue: T2 finished late (T3 left for the county, T4 waits for 补正); at east E1
    # finished late and E3 open past its deadline at the end of the month
    assert town["cases_overdue"] == 1 and east["cases_overdue"] == 2
    assert town["on_time_rate"] == 0.6667 and town["bad_reviews"] == 1
    assert town["repeat_visits"] == 1 and east["repeat_visits"] == county["repeat_visits"] == 0
    assert (town["referrals_up"], town["referrals_received"], town["referrals_down"]) == (1, 0, 0)
    assert (county["referrals_up"], county["referrals_received"], county["referrals_down"]) \
        == (0, 1, 1)  # fmt: skip
    assert (east["referrals_up"], east["referrals_received"], east["referrals_down"]) == (0, 1, 0)
    assert county["on_time_rate"] == 1.0 and east["on_time_rate"] == 0.5
    assert east["no_shows"] == 1 and cun["tickets_served"] == 1 and cun["on_time_rate"] == 1.0
    assert town["top_items"][0]["code"] == "MZ-02" and town["top_items"][0]["tickets_issued"] == 4

    # the county's totals: counts add up, rates over every case and rating, the wait over all
    t = data["totals"]
    for key in ("tickets_issued", "tickets_served", "no_shows", "cases_accepted",
                "cases_finished", "cases_on_time", "evaluations", "bad_reviews",
                "repeat_visits", "referrals_up", "referrals_received", "referrals_down"):  # fmt: skip
        assert t[key] == sum(r[key] for r in rows.values()), key
    assert t["on_time_rate"] == round(t["cases_on_time"] / t["cases_finished"], 4)
    # waits: town 5,10,8,6,4; county 3,12,4; east 7,3,9,5; cun 2 -> 78 / 13
    assert t["avg_wait_minutes"] == 6.0
    # ratings: 6, one of them bad
    assert (t["evaluations"], t["bad_reviews"], t["satisfaction_rate"]) == (6, 1, 0.8333)
    top = {i["code"]: i for i in data["top_items"]}
    assert list(top)[:2] == ["MZ-02", "RS-01"]  # 6 and 4 residents
    assert top["RS-01"]["tickets_issued"] == 4 and top["RS-01"]["halls"] == 4
    assert top["MZ-02"]["cases_accepted"] == sum(
        i["cases_accepted"] for r in rows.values() for i in r["top_items"] if i["code"] == "MZ-02"
    )


def test_a_town_supervisor_view_covers_its_subtree(network, november):
    data = county_report(network, hall="town").json
    assert [h["code"] for h in data["halls"]] == ["town", "cun"]
    assert data["root"]["code"] == "town" and data["totals"]["tickets_issued"] == 6


def test_the_month_in_progress_is_each_hall_report_too(network, november):
    """December, on its first morning: the open overdue cases as they stand now."""
    r = network["county"].get(f"{REPORT}?month=2026-12", ducha(network))
    rows = same_as_each_hall_report(network, r.json, "2026-12")
    assert rows["town"]["tickets_issued"] == 1 and rows["town"]["bad_reviews"] == 1
    assert rows["east"]["cases_overdue"] == 1  # E3, as it stands this morning
    this_month = network["county"].get(REPORT, ducha(network)).json  # no month: this one
    assert this_month["period"]["label"] == "2026-12" and this_month["halls"] == r.json["halls"]


def test_a_lone_hall_matches_its_report_on_the_reports_month(app, db_url, hall, clock):
    """The single hall's November of tests/reports (returning no-show, transfer, cancelled
    ticket, extended, refused and overdue cases, a rating excluded on appeal) seen from the
    hall's own supervisor: one row, the hall's report's figures."""
    from tests.reports.test_reports import build_november as build_one_hall

    build_one_hall(hall, clock)
    db = open_database(db_url)
    try:
        with UnitOfWork(db, clock()) as uow:
            add_user(uow, "town", "ducha", "督查办 陈", "supervisor", PASSWORD, Actor("test"))
            uow.commit()
    finally:
        db.dispose()
    for month in ("2026-11", "2026-12"):
        data = hall.get(f"{REPORT}?month={month}", hall.staff("ducha")).json
        same_as_each_hall_report({"town": hall}, data, month)
        assert data["totals"] == {k: v for k, v in data["halls"][0].items() if k in data["totals"]}
    assert data["halls"][0]["tickets_issued"] == 1  # December


def test_csv_and_xlsx_parse_back_to_the_same_numbers(network, november):
    data = county_report(network).json
    r = county_report(network, "csv")
    assert r.mimetype == "text/csv" and r.data.startswith(b"\xef\xbb\xbf")
    assert r.headers["Content-Disposition"] == 'attachment; filename="county-network-2026-11.csv"'
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:6] == ["中心编码", "服务中心", "层级", "上级中心", "取号人数", "办结人次"]
    for column in ("按时办结率", "满意率", "差评数", "重访件数", "上报件数", "接收移交件数",
                   "交办件数", "平均等候(分钟)", "办理量前五事项（取号人数·受理件数）"):  # fmt: skip
        assert column in header
    assert len(rows) == len(data["halls"]) + 2 and rows[-1][0] == "合计"
    col = {name: header.index(name) for name in header}

    def pct(v):
        return "" if v is None else f"{v * 100:.1f}%"

    for line, hall in zip(rows[1:], data["halls"], strict=False):
        assert line[0] == hall["code"] and line[1] == hall["name"]["zh"]
        assert int(line[col["取号人数"]]) == hall["tickets_issued"]
        assert int(line[col["办结件数"]]) == hall["cases_finished"]
        assert line[col["按时办结率"]] == pct(hall["on_time_rate"])
        assert line[col["满意率"]] == pct(hall["satisfaction_rate"])
        assert int(line[col["重访件数"]]) == hall["repeat_visits"]
        assert int(line[col["上报件数"]]) == hall["referrals_up"]
        assert int(line[col["交办件数"]]) == hall["referrals_down"]
    assert rows[2][col["上级中心"]] == "测试县政务服务中心"
    assert int(rows[-1][col["取号人数"]]) == data["totals"]["tickets_issued"]

    r = county_report(network, "xlsx")
    book = load_workbook(io.BytesIO(r.data))
    assert book.sheetnames == ["各中心对比", "全县事项排名"]
    sheet = list(book["各中心对比"].values)
    assert list(sheet[0]) == header
    keys = ["tickets_issued", "tickets_served", "no_shows", "avg_wait_minutes", "cases_accepted",
            "cases_finished", "cases_on_time", "cases_overdue", "on_time_rate", "evaluations",
            "satisfaction_rate", "bad_reviews", "repeat_visits", "referrals_up",
            "referrals_received", "referrals_down"]  # fmt: skip
    for line, hall in zip(sheet[1:], data["halls"], strict=False):
        assert line[0] == hall["code"]
        assert list(line[4 : 4 + len(keys)]) == [hall[k] for k in keys], hall["code"]
    assert sheet[-1][0] == "合计"
    assert list(sheet[-1][4 : 4 + len(keys)]) == [data["totals"][k] for k in keys]
    assert book["各中心对比"].cell(row=2, column=col["按时办结率"] + 1).number_format == "0.0%"
    items = list(book["全县事项排名"].values)
    assert items[0][:4] == ("事项编码", "事项", "所属部门", "取号人数")
    assert [(i[0], i[3]) for i in items[1:]] == [
        (i["code"], i["tickets_issued"]) for i in data["top_items"]
    ]


def test_pdf_names_every_hall_with_its_on_time_rate(network, november, tmp_path):
    r = county_report(network, "pdf")
    assert r.mimetype == "application/pdf" and r.data.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext missing: install poppler-utils (make system-test)")
    pdf = tmp_path / "county.pdf"
    pdf.write_bytes(r.data)
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True)
    assert "WenQuanYi" in fonts.stdout or "Noto" in fonts.stdout
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    assert "民生服务和民情诉求分析报告" in text and "2026年11月" in text
    data = county_report(network).json
    lines = text.splitlines()
    for hall in data["halls"]:
        name, rate = hall["name"]["zh"], hall["on_time_rate"]
        shown = "—" if rate is None else f"{rate * 100:.1f}%"
        assert any(name in line and shown in line for line in lines), (name, shown)
    # the generated text names the best and the worst hall by on-time rate and by satisfaction
    summary = re.sub(r"\s+", "", text)
    assert "按时办结率最高的是测试县政务服务中心" in summary
    assert "最低的是east镇便民服务中心（50.0%）" in summary
    assert "上报 1 件".replace(" ", "") in summary
    for word in ("按时办结率与满意率", "取号人数前列事项", "上报与交办"):
        assert word in text
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", pdf, tmp_path / "p"],
                   check=True)  # fmt: skip
    from PIL import Image

    page = Image.open(tmp_path / "p-1.png").convert("L")
    assert sum(page.histogram()[:128]) > page.width * page.height * 0.01, "page 1 is blank"


def test_an_empty_month_still_renders(network):
    data = county_report(network).json  # nothing happened in November yet
    assert data["totals"]["tickets_issued"] == 0 and data["totals"]["on_time_rate"] is None
    assert all(h["top_items"] == [] for h in data["halls"]) and data["top_items"] == []
    assert county_report(network, "pdf").data.startswith(b"%PDF")
    assert county_report(network, "xlsx").status_code == 200


def other_county_supervisor(db_url, clock, app) -> dict[str, str]:
    """A supervisor of a second county tree on the same server."""
    tokens = setup_hall(db_url, network_config("other", "county"), clock())
    db = open_database(db_url)
    try:
        with UnitOfWork(db, clock()) as uow:
            add_user(uow, "other", "ducha2", "督查办 李", "supervisor", PASSWORD, Actor("test"))
            uow.commit()
    finally:
        db.dispose()
    return HallClient(app, "other", tokens).staff("ducha2")


def test_only_supervisors_of_the_tree_may_read_it(network, db_url, clock, app):
    town = network["town"]
    for who in ("boss", "clerk1"):
        assert town.get(REPORT, town.staff(who)).status_code == 403
        assert network["county"].get(REPORT, network["county"].staff(who)).status_code == 403
    assert town.get(REPORT, town.device("kiosk-1")).status_code == 403
    assert town.get(REPORT).status_code == 401
    stranger = other_county_supervisor(db_url, clock, app)
    for code in ("county", "town", "cun"):
        r = network[code].get(REPORT, stranger)
        assert r.status_code == 404 and r.json["error"]["field"] == "hall"
    r = network["town"].client.get("/api/v1/halls/other/network/report", headers=stranger)
    assert r.status_code == 200 and [h["code"] for h in r.json["halls"]] == ["other"]
    assert network["county"].get(REPORT, ducha(network)).status_code == 200  # this month


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?month=2026-13", "month"),
        ("?month=2026-1", "month"),
        ("?month=November", "month"),
        ("?month=2026-11&format=xls", "format"),
    ],  # fmt: skip
)
def test_bad_input_names_the_field(network, query, field):
    r = network["county"].get(REPORT + query, ducha(network))
    assert r.status_code == 400 and r.json["error"]["field"] == field
