"""`onestop simulate` against a real server: a short simulated period at high speed, then the
hall as the server tells it must agree with what the driver did (every ticket accounted for,
numbers unique, no 5xx, every call seen on a display, the daily report's counts)."""

from __future__ import annotations

import asyncio
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from backend.cli import DEMO_CONFIG, main
from backend.hallconfig import load_config
from backend.simdrive.drive import Options, drive
from backend.simdrive.plan import build_plan
from backend.simdrive.staff import Credentials
from clientlib.api import ApiClient
from tests.live_server import LiveServer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cfg():
    return load_config(DEMO_CONFIG)


@pytest.fixture
def live_server(db_url, tmp_path):
    """The demo hall served by a real server process, on SQLite and on PostgreSQL."""
    with LiveServer(tmp_path, database_url=db_url) as server:
        yield server


def run_in_own_thread(coroutine):
    """``asyncio.run`` in a fresh thread: the page tests' Playwright keeps an event loop running
    in the main thread for the whole session."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_a_simulated_half_hour_leaves_the_hall_consistent(live_server, cfg):
    day = datetime.now(ZoneInfo(cfg.hall.timezone)).date()
    plan = build_plan(
        cfg,
        "pension-certification-peak",
        day,
        seed=7,
        start=time(9, 0),
        duration_minutes=30,
        no_show_rate=0.15,  # enough no-shows to go through the guard
        patience_minutes=20,  # and some who leave before they are called
    )
    assert len(plan.arrivals) >= 30
    creds = Credentials(
        live_server.hall, live_server.credentials["users"], live_server.credentials["devices"]
    )
    options = Options(url=live_server.url, speed=600, rating_share=1.0, progress_minutes=None)
    s = run_in_own_thread(drive(plan, creds, options))
    c = s["counts"]

    assert s["server_errors"] == 0 and s["errors"] == 0, s["failures"]
    assert c["issued"] == len(plan.arrivals) and c["turned_away"] == 0
    assert len(set(s["numbers"])) == len(s["numbers"]) == c["issued"]
    assert c["served"] > 0 and c["no_shows"] > 0
    assert c["called"] == c["served"] + c["no_shows"] + c["transferred"]
    assert c["ratings"] > 0

    boss = ApiClient(live_server.url, live_server.hall)
    boss.login("manager", live_server.password("manager"))
    states = Counter(boss.ticket(n)["state"] for n in s["numbers"])
    assert set(states) <= {"finished", "no_show", "waiting"}  # nobody left at a window
    assert states["finished"] == c["served"]
    assert states["no_show"] == c["no_shows"]
    assert states["waiting"] == c["waiting"] == boss.queue()["waiting_total"]

    report = boss.get(f"/api/v1/halls/{live_server.hall}/reports/daily")["totals"]
    assert report["tickets_issued"] == c["issued"]
    assert report["tickets_served"] == c["served"]
    assert report["no_shows"] == c["no_shows"]
    assert report["evaluations"] == c["ratings"]
    assert s["server_report"]["tickets_served"] == c["served"]

    called = s["push"]["ticket.called"]
    assert called["events"] == c["called"] and called["missing"] == 0  # every call on a display
    assert all(p["missing"] == 0 for p in s["push"].values()), s["push"]
    assert s["sockets"]["displays"] == 2 and s["sockets"].get("gaps", 0) == 0
    windows = {w["number"]: w for w in boss.queue()["windows"]}
    assert all(w["state"] == "closed" for w in windows.values())  # every clerk signed out


def test_simulate_refuses_a_hall_its_config_is_not(tmp_path, capsys):
    assert main(["simulate", "elsewhere", "--credentials", str(tmp_path / "none.toml")]) == 2
    assert "is hall qingshan, not elsewhere" in capsys.readouterr().err


def test_simulate_names_a_missing_credentials_file(tmp_path, capsys):
    assert main(["simulate", "qingshan", "--credentials", str(tmp_path / "none.toml")]) == 2
    assert "run `onestop demo` first" in capsys.readouterr().err
