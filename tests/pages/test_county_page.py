"""The county supervisor's page (/county, 督查督办) in headless Chromium against a real server on
the test county (county → towns "east", "town" → village point "cun" under "town"): every hall
side by side with the API's figures, a town's event updating its row live, the drill-down into
the town's own board (read-only), the county-wide case list filtered by hall, and the refusal of
a town manager."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from backend.app import create_app
from backend.db.engine import open_database
from backend.db.migrate import upgrade
from backend.db.uow import RecordingPublisher
from backend.services.deadlines import sweep_all
from tests.live_server import LiveServer
from tests.support import PASSWORD, FakeClock, HallClient, setup_network

pytestmark = pytest.mark.slow

APPLICANT = {"name": "张小三", "phone": "13812341234", "id_number": "320102198503151230"}
TREE = ["county", "east", "town", "cun"]  # tree order: the county, its towns by code, villages


def _at_window(hall: HallClient, item: str, window: int = 2, clerk: str = "clerk1") -> str:
    """A ticket for ``item`` (from the kiosk; the village point has none: its clerk issues it)
    called and started at ``window``."""
    if "kiosk-1" in hall.devices:
        number = hall.issue(item)["ticket"]["number"]
    else:
        r = hall.post("/tickets", {"item_code": item}, hall.staff(clerk))
        assert r.status_code == 200, r.json
        number = r.json["ticket"]["number"]
    if hall.get(f"/windows/{window}", hall.staff(clerk)).json["window"]["state"] != "open":
        hall.open_window(window, clerk)
    assert hall.window(window, "call-next", clerk).json["ticket"]["number"] == number
    assert hall.window(window, "start", clerk).status_code == 200
    return number


def _accept(hall: HallClient, window: int = 2, clerk: str = "clerk1") -> dict:
    body = {"applicant": APPLICANT, "materials_received": ["居民身份证"], "decision": "coordinated"}
    r = hall.window(window, "accept", clerk, **body)
    assert r.status_code == 200, r.json
    assert hall.window(window, "finish", clerk).status_code == 200
    return r.json["case"]


def _sign_out_all(net: dict[str, HallClient]) -> None:
    for hall in net.values():
        for window in (1, 2, 3, 4):
            for clerk in ("clerk1", "clerk2"):
                hall.window(window, "sign-out", clerk)
        hall._staff.clear()


def seed_county(url: str) -> dict[str, dict[str, str]]:
    """The test county with three weeks of history, written through the API on a clock in the
    past: an overdue (red) case at the town and one on track, a bad review there, a case of every hall, a village
    case referred up to the town and a town case referred up to the county (both waiting), a
    late and an on-time case finished this month, then today's colours swept. Returns the device tokens per hall."""
    upgrade(url)
    now = datetime.now(UTC)
    start = now.replace(hour=1, minute=0, second=0, microsecond=0) - timedelta(days=21)
    start -= timedelta(days=start.weekday())  # a Monday, 09:00 in Shanghai
    clock = FakeClock(start)
    tokens = setup_network(url, clock())
    app = create_app(
        {
            "ONESTOP_DATABASE_URL": url,
            "ONESTOP_CLOCK": clock,
            "ONESTOP_PUBLISHER": RecordingPublisher(),
        }
    )
    try:
        net = {code: HallClient(app, code, t) for code, t in tokens.items()}
        town, east, county, cun = net["town"], net["east"], net["county"], net["cun"]
        _at_window(town, "MZ-02")
        _accept(town)  # 5 working days, three weeks ago: red
        _at_window(town, "MZ-02")
        up = _accept(town)
        _at_window(east, "MZ-01")
        late = _accept(east)
        _at_window(county, "GA-01", window=4)
        in_time = _accept(county, window=4)
        _at_window(county, "GA-01", window=4)
        _accept(county, window=4)
        _at_window(cun, "MZ-01", window=1)
        _accept(cun, window=1)
        ticket = _at_window(town, "RS-01", window=3, clerk="clerk2")
        town.window(3, "finish", "clerk2")
        town.window(3, "rating-request", "clerk2")
        r = town.post(
            "/evaluations", {"ticket": ticket, "rating": "dissatisfied"}, town.device("pad-3")
        )
        assert r.status_code == 200, r.json
        _sign_out_all(net)

        clock.advance(days=10)
        _at_window(town, "MZ-01")
        _accept(town)  # 15 working days, a week and a half ago: not yet due
        _at_window(east, "MZ-01")
        _accept(east)
        _at_window(cun, "MZ-02", window=1)
        village = _accept(cun, window=1)
        for hall, number, reason in (
            (cun, village["number"], "超出村级权限"),
            (town, up["number"], "超出镇级权限"),
        ):
            r = hall.post(f"/cases/{number}/refer", {"reason": reason}, hall.staff("clerk1"))
            assert r.status_code == 200, r.json
        _sign_out_all(net)

        clock.now = datetime.now(UTC) - timedelta(minutes=5)  # this month: on time and late
        for hall, number in ((east, late["number"]), (county, in_time["number"])):
            r = hall.post(f"/cases/{number}/finish", {"result": "已办结"}, hall.staff("clerk1"))
            assert r.status_code == 200, r.json
    finally:
        app.extensions["onestop"].db.dispose()
    db = open_database(url)
    try:
        sweep_all(
            db, datetime.now(UTC), RecordingPublisher()
        )  # today's colours, as the server's job
    finally:
        db.dispose()
    return tokens


class CountyServer(LiveServer):
    """A real server process on the seeded test county (SQLite)."""

    tokens: dict[str, dict[str, str]]

    def prepare(self) -> None:
        self.tokens = seed_county(self.database_url)

    @property
    def hall(self) -> str:
        return "county"

    def password(self, username: str) -> str:
        return PASSWORD

    def login(self, hall: str, username: str) -> str:
        r = requests.post(
            f"{self.url}/api/v1/auth/login",
            json={"hall": hall, "username": username, "password": PASSWORD},
            timeout=10,
        )
        assert r.status_code == 200, r.text
        return r.json()["token"]

    def get(self, token: str, path: str) -> dict:
        r = requests.get(
            f"{self.url}/api/v1/halls/county{path}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert r.status_code == 200, r.text
        return r.json()

    def post(self, hall: str, token: str, path: str, body: dict | None = None) -> dict:
        r = requests.post(
            f"{self.url}/api/v1/halls/{hall}{path}",
            json={"request_id": uuid.uuid4().hex} | (body or {}),
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert r.status_code == 200, r.text
        return r.json()

    def bad_review(self, hall: str) -> None:
        """A resident served at window 3 now rates it 不满意 on the window's pad."""
        clerk = self.login(hall, "clerk2")
        self.post(hall, clerk, "/windows/3/sign-in")
        number = self.post(hall, clerk, "/windows/3/call-next")["ticket"]["number"]
        self.post(hall, clerk, "/windows/3/start")
        self.post(hall, clerk, "/windows/3/finish")
        self.post(hall, clerk, "/windows/3/rating-request")
        rating = {"ticket": number, "rating": "dissatisfied"}
        self.post(hall, self.tokens[hall]["pad-3"], "/evaluations", rating)

    def issue(self, hall: str, item: str) -> str:
        r = requests.post(
            f"{self.url}/api/v1/halls/{hall}/tickets",
            json={"item_code": item, "request_id": uuid.uuid4().hex},
            headers={"Authorization": f"Bearer {self.tokens[hall]['kiosk-1']}"},
            timeout=10,
        )
        assert r.status_code == 200, r.text
        return r.json()["ticket"]["number"]


@pytest.fixture
def county(tmp_path: Path):
    with CountyServer(tmp_path) as server:
        yield server


def sign_in(page, server, hall: str = "county", username: str = "ducha", path: str = "/county"):
    page.goto(f"{server.url}{path}")
    page.fill("#login-hall", hall)
    page.fill("#login-user", username)
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")


def text(page, selector: str) -> str:
    return page.locator(selector).inner_text().strip()


def rate(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 1000) / 10:g}%"


def test_every_hall_side_by_side_and_a_town_event_updates_its_row(county, pages, artifacts):
    page = pages()
    sign_in(page, county)
    page.wait_for_selector("body[data-view='county'][data-loads]", state="attached")
    page.evaluate("window.__sameDocument = true")  # later updates come without a reload
    page.wait_for_selector("#conn.conn-connected")
    assert text(page, "#hall-name") == "测试县政务服务中心"
    assert text(page, "#who") == "督查办 陈"

    rows = page.locator("#halls tbody tr.hall-row")
    assert [rows.nth(i).get_attribute("data-hall") for i in range(rows.count())] == TREE
    depth = {h: page.get_attribute(f"#halls tr[data-hall='{h}']", "data-depth") for h in TREE}
    assert depth == {"county": "0", "east": "1", "town": "1", "cun": "2"}
    assert text(page, "#halls tr[data-hall='cun'] .lv-tag") == "村居"

    # every figure as the API gives it
    board = county.get(county.login("county", "ducha"), "/network/board")
    for row in board["halls"]:
        tr = f"#halls tr[data-hall='{row['hall']['code']}']"
        assert text(page, f"{tr} .h-link") == row["hall"]["name"]["zh"]
        assert text(page, f"{tr} .f-waiting") == str(row["waiting"])
        assert text(page, f"{tr} .f-windows-open") == f"{row['windows_open']} / {row['windows']}"
        assert text(page, f"{tr} .f-on-time-rate") == rate(row["on_time_rate"])
        for key in ("cases_open", "red", "orange", "bad_reviews", "referrals_waiting", "alerts"):
            assert text(page, f"{tr} .f-{key.replace('_', '-')}") == str(row[key]), key
        assert (
            text(page, f"{tr} .f-devices-offline") == f"{row['devices_offline']} / {row['devices']}"
        )
    town = next(r for r in board["halls"] if r["hall"]["code"] == "town")
    assert town["red"] >= 1 and town["bad_reviews"] == 1 and town["referrals_waiting"] == 1
    rates = {r["hall"]["code"]: r["on_time_rate"] for r in board["halls"]}
    assert rates == {"county": 1, "east": 0, "town": None, "cun": None}
    assert text(page, "#halls tr[data-hall='county'] .f-on-time-rate") == "100%"
    page.screenshot(path=str(artifacts / "county-halls.png"))
    # over the limits: red cases are red, a bad review orange, a late month red
    assert page.get_attribute("#halls tr[data-hall='east'] .f-on-time-rate", "data-level") == "red"
    assert page.get_attribute("#halls tr[data-hall='county'] .f-on-time-rate", "data-level") is None
    assert page.get_attribute("#halls tr[data-hall='town'] .f-red", "data-level") == "red"
    assert (
        page.get_attribute("#halls tr[data-hall='town'] .f-bad-reviews", "data-level") == "orange"
    )
    for row in board["halls"]:
        level = page.get_attribute(
            f"#halls tr[data-hall='{row['hall']['code']}'] .f-red", "data-level"
        )
        assert level == ("red" if row["red"] else None)
    assert text(page, "#halls tfoot .f-cases-open") == str(board["totals"]["cases_open"])
    assert text(page, "#t-red") == str(board["totals"]["red"])

    # the alerts of every hall, each naming its hall
    alerts = page.locator("#alerts li.alert")
    assert alerts.count() == len(board["alerts"])
    late = page.locator("#alerts li[data-kind='referral_waiting'][data-hall='town']")
    assert late.count() == 1 and "东村便民服务站" in late.inner_text()
    assert page.locator("#alerts li .a-new").count() == 0  # all there at the first load

    # a town event: its row changes live, the event tagged with its hall
    assert text(page, "#halls tr[data-hall='town'] .f-waiting") == "0"
    county.issue("town", "MZ-01")
    page.wait_for_selector("#halls tr[data-hall='town'][data-waiting='1']")
    assert text(page, "#halls tr[data-hall='town'] .f-waiting") == "1"
    assert text(page, "#halls tr[data-hall='east'] .f-waiting") == "0"
    assert text(page, "#t-waiting") == "1"
    assert page.evaluate("document.body.dataset.lastEventHall") == "town"
    # a burst of events: at most one reload a second, and the last one is shown
    loads = int(page.evaluate("document.body.dataset.loads"))
    for _ in range(4):
        county.issue("town", "RS-01")
    page.wait_for_selector("#halls tr[data-hall='town'][data-waiting='5']")
    page.wait_for_timeout(1500)
    assert int(page.evaluate("document.body.dataset.loads")) - loads <= 3
    # a new alert while the page is open is marked 「新」
    county.bad_review("town")
    fresh = "#alerts li.fresh[data-kind='bad_reviews'][data-hall='town']"
    page.wait_for_selector(fresh)
    assert text(page, f"{fresh} .a-new") == "新" and "2 条差评待整改" in text(page, fresh)
    assert text(page, "#halls tr[data-hall='town'] .f-bad-reviews") == "2"
    assert page.evaluate("window.__sameDocument") is True

    # English from the staff pages' toggle
    page.click("#lang-toggle button[data-lang='en']")
    page.wait_for_selector("body[data-lang='en']", state="attached")
    assert text(page, "#halls th[data-i18n='co_th_hall']") == "Hall"
    assert text(page, "#halls tr[data-hall='cun'] .lv-tag") == "Village"
    assert text(page, "#tab-cases [data-i18n='co_tab_cases']") == "County cases"
    page.click("#lang-toggle button[data-lang='zh']")
    page.wait_for_selector("body[data-lang='zh']", state="attached")


def test_a_live_event_keeps_the_focused_hall_link_and_the_rows(county, pages, artifacts):
    """The grid and the alerts are drawn in place (rows keyed by hall, alerts by what they are
    about): a town's ticket, or the 10-second recheck, updates the figures in the same elements
    and the hall link the supervisor tabbed to keeps the focus; 「新」 is kept as data, so it stays
    on through a redraw and fades on the clock. A page that rebuilt its rows by hand drops both."""
    page = pages()
    sign_in(page, county)
    page.wait_for_selector("body[data-view='county'][data-loads]", state="attached")
    page.wait_for_selector("#conn.conn-connected")
    row = "#halls tbody tr[data-hall='town']"
    link = f"{row} .h-link"
    alert = "#alerts li[data-kind='referral_waiting'][data-hall='town']"
    page.wait_for_selector(f"{row}[data-waiting='0']")
    assert page.locator(alert).count() == 1
    # The supervisor tabs to the town's link; the row, the link and an alert are marked.
    page.focus(link)
    marks = [row, link, alert]
    page.evaluate(
        "(sels) => sels.forEach((s) => { document.querySelector(s).__before = true; })", marks
    )
    kept = """(sels) => ({
        focused: document.activeElement === document.querySelector(sels[1]),
        marked: sels.map((s) => !!(document.querySelector(s) || {}).__before),
      })"""
    loads = int(page.get_attribute("body", "data-loads") or 0)

    county.issue("town", "MZ-01")  # a town kiosk issues a ticket: the page reloads the board
    page.wait_for_selector(f"{row}[data-waiting='1']")
    assert int(page.get_attribute("body", "data-loads") or 0) > loads
    assert text(page, f"{row} .f-waiting") == "1"
    assert text(page, "#halls tfoot .f-waiting") == "1" and text(page, "#t-waiting") == "1"
    assert page.evaluate(kept, marks) == {"focused": True, "marked": [True, True, True]}
    assert page.get_attribute(f"{row} .f-longest-wait-minutes", "data-level") is None

    # The 10-second recheck, 40 minutes on: the wait grows past the limit in the same cell.
    later = page.evaluate(
        """(sel) => {
             const county = window.onestopCounty;
             county.state.offset += 40 * 60000;
             county.recheck();
             const cell = document.querySelector(sel + " .f-longest-wait-minutes");
             return { text: cell.textContent.trim(), level: cell.dataset.level || null };
           }""",
        row,
    )
    assert later["level"] == "red" and int(later["text"].split()[0]) >= 40, later
    assert page.evaluate(kept, marks) == {"focused": True, "marked": [True, True, True]}

    # A bad review while the page is open: 「新」 on its alert, kept through the next redraw.
    county.issue("town", "RS-01")  # window 3's ticket, the one to be rated
    page.wait_for_selector(f"{row}[data-waiting='2']")
    county.bad_review("town")
    fresh = "#alerts li.fresh[data-kind='bad_reviews'][data-hall='town']"
    page.wait_for_selector(fresh)
    page.wait_for_selector(f"{row}[data-waiting='1']")
    assert text(page, f"{fresh} .a-new") == "新"
    page.evaluate("(s) => { document.querySelector(s).__fresh = true; }", fresh)
    county.issue("town", "MZ-01")
    page.wait_for_selector(f"{row}[data-waiting='2']")
    assert page.evaluate("(s) => !!document.querySelector(s).__fresh", fresh)
    assert page.evaluate(kept, marks) == {"focused": True, "marked": [True, True, True]}
    page.screenshot(path=str(artifacts / "county-live.png"), full_page=True)
    # Two minutes on, the recheck takes 「新」 off the same alert.
    faded = page.evaluate(
        """(s) => {
             const li = document.querySelector(s);
             window.onestopCounty.state.offset += 3 * 60000;
             window.onestopCounty.recheck();
             return { same: li.isConnected, fresh: li.classList.contains("fresh"),
                      mark: li.querySelectorAll(".a-new").length };
           }""",
        fresh,
    )
    assert faded == {"same": True, "fresh": False, "mark": 0}
    assert page.evaluate(kept, marks) == {"focused": True, "marked": [True, True, True]}


def test_a_hall_opens_its_own_board_read_only(county, pages):
    page = pages()
    sign_in(page, county)
    page.wait_for_selector("body[data-view='county'][data-loads]", state="attached")
    page.click("#halls tr[data-hall='town'] .h-link")
    page.wait_for_url("**/board?hall=town")
    page.wait_for_selector("body[data-view='board'][data-snapshots]", state="attached")
    assert text(page, "#hall-name") == "town镇便民服务中心"
    assert page.locator("#windows tr[data-window]").count() == 3
    assert page.get_attribute("body", "data-readonly") == "1"
    assert page.is_visible("#read-only") and page.is_visible("#to-county")
    for link in ("#to-cases", "#to-reviews", "#to-reports", "#to-rectifications"):
        assert page.is_hidden(link), link
    # the town's red case is on its board; its link opens the county page's list, read-only
    urgent = page.locator("#urgent tr.u-row.c-red a.u-number").first
    number = urgent.inner_text().strip()
    assert number.startswith("TOWN-")
    href = urgent.get_attribute("href")
    assert href.startswith("/county?tab=cases&hall=town") and f"case={number}" in href
    assert page.get_attribute("#colour-counts .cc[data-colour='red']", "href").startswith(
        "/county?tab=cases&hall=town&colour=red"
    )
    # live: the town's ticket reaches this board (the socket asked for the town)
    county.issue("town", "MZ-01")
    page.wait_for_function("document.getElementById('t-waiting').textContent === '1'")

    page.click("#to-county")
    page.wait_for_selector("body[data-view='county'][data-loads]", state="attached")
    page.goto(f"{county.url}{href}")
    page.wait_for_selector(f"#detail-body[data-case='{number}'][data-hall='town']")
    assert "town镇便民服务中心" in text(page, "#detail-body dl.facts >> nth=0")
    # no hall's own actions here: the one form is the supervisor's 督办, written into the history
    forms = page.locator("#detail-body form")
    assert forms.count() == 1 and forms.first.get_attribute("data-action") == "supervise"
    forms.first.locator("button").click()
    page.wait_for_selector("#detail-body form[data-action='supervise'] .d-msg.error")
    forms.first.locator("textarea[name='note']").fill("请本周内办结并报告原因")
    forms.first.locator("button").click()
    page.wait_for_selector("#detail-body .timeline li[data-action='case.supervised']")
    assert "请本周内办结" in text(page, "#detail-body .timeline li[data-action='case.supervised']")

    # a hall outside the supervisor's tree: said so, still signed in
    page.goto(f"{county.url}/board?hall=nowhere")
    page.wait_for_selector("body[data-refused-hall='nowhere']", state="attached")
    assert "nowhere" in text(page, "#hall-name")
    assert page.evaluate("sessionStorage.getItem('onestop.board')") is not None


def test_the_county_case_list_filters_by_hall_colour_and_state(county, pages):
    page = pages()
    sign_in(page, county)
    page.wait_for_selector("body[data-view='county'][data-loads]", state="attached")
    page.click("#tab-cases")
    page.wait_for_selector("body[data-list-loads]", state="attached")
    assert "tab=cases" in page.url
    every = county.get(county.login("county", "ducha"), "/network/cases")
    rows = page.locator("#case-list tr.case-row")
    assert rows.count() == len(every["cases"])
    assert {rows.nth(i).get_attribute("data-hall") for i in range(rows.count())} == {
        "county",
        "east",
        "town",
        "cun",
    }
    assert text(page, "#colour-counts .cc[data-colour='red'] b") == str(every["counts"]["red"])
    # the hall filter offers the tree, indented
    options = page.locator("#f-hall option")
    assert [options.nth(i).get_attribute("value") for i in range(options.count())] == ["", *TREE]

    loads = int(page.evaluate("document.body.dataset.listLoads"))
    page.select_option("#f-hall", "town")
    page.wait_for_function(f"+document.body.dataset.listLoads > {loads}")
    assert "hall=town" in page.url
    halls = {rows.nth(i).get_attribute("data-hall") for i in range(rows.count())}
    assert halls == {"town"}
    town_cases = rows.count()
    # unit names from each hall's public catalogue
    page.wait_for_function(
        "document.querySelector('#case-list tr.case-row .r-unit').textContent === '民政'"
    )

    loads = int(page.evaluate("document.body.dataset.listLoads"))
    page.click("#colour-counts .cc[data-colour='red']")
    page.wait_for_function(f"+document.body.dataset.listLoads > {loads}")
    assert "hall=town" in page.url and "colour=red" in page.url
    assert 1 <= rows.count() < town_cases
    assert {rows.nth(i).get_attribute("data-colour") for i in range(rows.count())} == {"red"}

    # the filters live in the address: a link opens the same list
    page.goto(f"{county.url}/county?tab=cases&hall=town&state=referred")
    page.wait_for_selector("body[data-list-loads]", state="attached")
    assert page.input_value("#f-hall") == "town" and page.input_value("#f-state") == "referred"
    referred = page.locator("#case-list tr.case-row")
    assert referred.count() == 1 and referred.first.get_attribute("data-state") == "referred"
    page.goto(f"{county.url}/county?tab=cases&hall=east")
    page.wait_for_selector("body[data-list-loads]", state="attached")
    assert {rows.nth(i).get_attribute("data-hall") for i in range(rows.count())} == {"east"}

    # a case opens its detail (read-only), the address names it
    rows.first.locator("a.case-link").click()
    number = rows.first.get_attribute("data-case")
    page.wait_for_selector(f"#detail-body[data-case='{number}']")
    assert f"case={number}" in page.url and "case_hall=east" in page.url
    assert page.locator("#detail-body .timeline li").count() >= 1


def test_the_supervisors_note_survives_a_live_redraw_of_the_case(county, pages, artifacts):
    """The 督办 note being typed in the open case stays — the same element, its text, the caret,
    the focus — while a town event pushed to the county socket reloads and redraws the case;
    another case opened after it gets its own, empty form."""
    page = pages()
    sign_in(page, county, path="/county?tab=cases&hall=town")
    page.wait_for_selector("body[data-list-loads]", state="attached")
    red = page.locator("#case-list tr.case-row[data-colour='red']").first
    number = red.get_attribute("data-case")
    red.locator("a.case-link").click()
    in_form = "form[data-action='supervise'] textarea[name='note']"
    note = f"#detail-body {in_form}"
    page.wait_for_selector(f"#detail-body[data-case='{number}'] {in_form}")
    page.click(note)
    page.keyboard.type("请本周内办结")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.evaluate(f"document.querySelector(\"{note}\").dataset.mark = 'typed-here'")
    loads = int(page.get_attribute("body", "data-detail-loads"))

    county.issue("town", "MZ-01")  # a town event: the page reloads the board, list and case
    page.wait_for_function(f"+document.body.dataset.detailLoads > {loads}")
    kept = page.evaluate(
        f"""() => {{ const input = document.querySelector("{note}");
             return [input.dataset.mark, input.value, document.activeElement === input,
                     input.selectionStart]; }}"""
    )
    assert kept == ["typed-here", "请本周内办结", True, 4]
    page.keyboard.type("，")  # typing goes on where it was
    assert page.input_value(note) == "请本周内，办结"
    page.screenshot(path=str(artifacts / "county-cases.png"))

    # Another open case of the town (on track): its own, empty form, nothing carried over.
    other = page.locator("#case-list tr.case-row[data-colour='green']").first
    number = other.get_attribute("data-case")
    other.locator("a.case-link").click()
    page.wait_for_selector(f"#detail-body[data-case='{number}'] {in_form}")
    assert page.input_value(note) == ""
    assert page.evaluate(f'document.querySelector("{note}").dataset.mark') is None


def test_an_alert_naming_a_case_opens_it_on_the_cases_tab(county, pages):
    """An alert's text that names a case (a referral waiting, a case to refer up) opens the case
    list of every hall with that case in the detail pane, the address naming it; closing the
    pane takes it out of the address again."""
    page = pages()
    sign_in(page, county)
    page.wait_for_selector("body[data-view='county'][data-loads]", state="attached")
    assert page.get_attribute("body", "data-tab") == "halls"
    alert = page.locator("#alerts li[data-case][data-hall='town']").first
    number = alert.get_attribute("data-case")
    page.evaluate("window.__sameDocument = true")  # opened in place, not by loading its link
    alert.locator("a.a-case").click()
    page.wait_for_selector("body[data-tab='cases']", state="attached")
    page.wait_for_selector(f"#detail-body[data-case='{number}']")
    assert page.is_hidden("#halls-view") and page.is_visible("#cases-view")
    assert "tab=cases" in page.url and f"case={number}" in page.url
    assert text(page, "#detail-body .d-number") == number
    page.wait_for_selector(f"#case-list tr.case-row.selected[data-case='{number}']")
    assert page.evaluate("window.__sameDocument") is True

    page.click("#detail-body .d-close")
    page.wait_for_selector("#detail-body", state="hidden")
    assert page.is_visible("#detail-empty") and "case=" not in page.url
    assert page.locator("#case-list tr.case-row.selected").count() == 0


def test_a_town_manager_is_refused(county, pages):
    page = pages()
    sign_in(page, county, hall="town", username="boss")
    page.wait_for_selector("#login-error", state="visible")
    assert "督查督办" in text(page, "#login-error")
    assert page.is_hidden("#county")
    assert page.evaluate("sessionStorage.getItem('onestop.board')") is None
    # a manager signed in on the board who comes here is told the same, and stays signed in there
    sign_in(page, county, hall="town", username="boss", path="/board")
    page.wait_for_selector("body[data-view='board'][data-snapshots]", state="attached")
    assert page.is_hidden("#to-county")
    page.goto(f"{county.url}/county")
    page.wait_for_selector("#login-error", state="visible")
    assert "督查督办" in text(page, "#login-error")
    page.goto(f"{county.url}/board")
    page.wait_for_selector("body[data-view='board'][data-snapshots]", state="attached")
