"""Save PNGs of the kiosk screens in portrait (1080x1920) and landscape (1920x1080).

Home, a guide and the ticket also in every other catalogue language (``home-en``, ``guide-ug``,
``confirmation-ug``: Uyghur right to left), and the language chooser open (``languages``).

    QT_QPA_PLATFORM=offscreen python -m kiosk.screenshots --config config/kiosk-demo.toml

Takes real tickets on the configured backend (use a demo hall). The offline screen is shown
by pointing the kiosk at an address where nothing listens, then back. 办件查询 is shown typing,
not found and, given a case (`--credentials var/demo-credentials.toml` makes one: clerk1 accepts
a ticket at window 3 and asks for two more materials), with its result in Chinese and English.
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication

from clientlib.api import ApiClient, new_request_id

from .screens import (
    CaseQueryScreen,
    CaseResultScreen,
    ConfirmationScreen,
    GuideScreen,
    HomeScreen,
    OfflineScreen,
)

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
DEAD_URL = "http://127.0.0.1:9"  # discard port: nothing answers


def wait_until(check: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the kiosk did not reach the expected screen")
        QApplication.processEvents()
        time.sleep(0.01)


FREQUENT = {"HJ-01": 4, "MZ-01": 3, "YB-02": 3, "RS-01": 2, "SF-01": 2, "CL-01": 1}


def seed_frequent(base_url: str, hall: str, kiosk_token: str, counts=FREQUENT) -> None:
    """Tickets for a few items, so the home screen has 常办事项 (and people waiting) to show."""
    kiosk = ApiClient(base_url, hall, kiosk_token)
    for item, n in counts.items():
        for _ in range(n):
            kiosk.issue_ticket(item, new_request_id())


def make_case(
    base_url: str,
    hall: str,
    kiosk_token: str,
    clerk_password: str,
    clerk: str = "clerk1",
    window: int = 3,
    item: str = "MZ-01",
    missing: tuple[str, ...] = ("户口簿原件及复印件", "家庭成员近6个月收入证明"),
) -> tuple[str, str]:
    """A real case to look up: the kiosk takes a ticket, `clerk` serves it at `window`,
    accepts it (applicant phone 138****1234) and, if `missing`, asks for those materials.
    Returns (acceptance number, phone last 4)."""
    kiosk = ApiClient(base_url, hall, kiosk_token)
    staff = ApiClient(base_url, hall)
    staff.login(clerk, clerk_password, client="screenshots")
    staff.window_action(window, "sign-in")
    kiosk.issue_ticket(item, new_request_id())
    staff.window_action(window, "call-next")
    staff.window_action(window, "start")
    applicant = {"name": "张三", "phone": "13812341234", "id_number": "320102198503151230"}
    number = staff.post(staff.hall_path(f"/windows/{window}/accept"), {"applicant": applicant})[
        "case"
    ]["number"]
    if missing:
        staff.post(staff.hall_path(f"/cases/{number}/suspend"), {"missing": list(missing)})
    return number, "1234"


def capture(
    kiosk,
    out_dir: Path,
    item: str = "MZ-01",
    department: str = "ZJ",
    search: str = "dbsq",
    case: tuple[str, str] | None = None,
) -> list[Path]:
    """Drive `kiosk` (started, on a reachable backend) through its screens; save one PNG each.
    `case` is (acceptance number, phone last 4) of a case to show the query's result."""
    out_dir.mkdir(parents=True, exist_ok=True)
    p, window = kiosk.presenter, kiosk.window
    saved: list[Path] = []

    def shot(name: str, orientation: str) -> None:
        for _ in range(5):  # let layouts settle (each pass may post more layout requests)
            QApplication.processEvents()
            time.sleep(0.02)
        path = out_dir / f"{name}-{orientation}.png"
        window.grab().save(str(path))
        saved.append(path)

    def screen():
        return p.screen

    home_language = p.config.language
    others = [x.code for x in p.language_choices() if x.code != home_language]

    for orientation, size in SIZES.items():
        window.resize(*size)
        p.go_home()
        wait_until(lambda: isinstance(screen(), HomeScreen) and screen().departments)
        shot("home", orientation)
        p.open_department(department)
        shot("items", orientation)
        p.go_home()
        p.search(search)
        shot("search", orientation)
        p.open_item(item)
        wait_until(lambda: isinstance(screen(), GuideScreen) and item in p.details)
        shot("guide", orientation)
        p.idle.warn()  # as after a minute or two untouched: the countdown over the page
        shot("countdown", orientation)
        p.user_activity()
        for lang in others:
            p.choose_language(lang)
            shot(f"guide-{lang}", orientation)
        p.go_home()
        for lang in others:
            p.choose_language(lang)
            shot(f"home-{lang}", orientation)
        p.choose_language(home_language)
        p.language_button()
        shot("languages", orientation)
        p.close_languages()
        for n in range(2):  # two tickets: a test printer may fail the second
            p.go_home()
            p.open_item(item)
            wait_until(lambda: isinstance(screen(), GuideScreen) and not screen().busy)
            p.take_ticket()
            wait_until(
                lambda: (
                    isinstance(screen(), ConfirmationScreen) and screen().print_state != "printing"
                )
            )
            shot(f"confirmation-{screen().print_state}", orientation)
            for lang in others if n == 0 else ():
                p.choose_language(lang)
                shot(f"confirmation-{lang}", orientation)
            p.choose_language(home_language)
        for action, name in (
            (p.open_green_channel, "green"),
            (p.open_appointment, "appointment"),
        ):
            p.go_home()
            action()
            shot(name, orientation)
        capture_case_query(kiosk, orientation, case, shot)
        catalogs = p.link.catalogs  # the catalog from a backend that does not answer: offline
        real_api = catalogs.api
        catalogs.api = ApiClient(DEAD_URL, getattr(real_api, "hall", ""), retries=0)
        p.go_home()
        p.check_connection()
        wait_until(lambda: isinstance(screen(), OfflineScreen) and p.state == "offline")
        shot("offline", orientation)
        catalogs.api = real_api
        p.check_connection()
        wait_until(lambda: p.state == "ready")
    return saved


def capture_case_query(kiosk, orientation: str, case, shot) -> None:
    """办件查询: typing the number, the phone step, not found, and the result if `case`."""
    p = kiosk.presenter
    number, last4 = case or (f"{p.case_prefix}-20261129-0007", "1234")
    digits = number.split("-", 1)[1].replace("-", "")
    p.go_home()
    p.open_case_query()
    for d in digits[:10]:
        p.case_digit(d)
    shot("case-number", orientation)
    for d in digits[10:]:
        p.case_digit(d)
    p.case_continue()
    for d in last4[:3]:
        p.case_digit(d)
    shot("case-phone", orientation)
    p.case_clear()
    for d in "0000" if last4 != "0000" else "1111":
        p.case_digit(d)
    p.case_continue()
    wait_until(lambda: isinstance(p.screen, CaseQueryScreen) and bool(p.screen.notice))
    shot("case-not-found", orientation)
    if case is not None:
        for d in last4:
            p.case_digit(d)
        p.case_continue()
        wait_until(lambda: isinstance(p.screen, CaseResultScreen))
        p.print_case_result()
        wait_until(lambda: isinstance(p.screen, CaseResultScreen) and not p.screen.printing)
        shot("case-result", orientation)
        home_language = p.language
        for lang in (x.code for x in p.language_choices() if x.code != home_language):
            p.choose_language(lang)
            shot(f"case-result-{lang}", orientation)
        p.choose_language(home_language)


def main(argv: list[str] | None = None) -> int:
    from .app import create_kiosk
    from .config import load_config

    parser = argparse.ArgumentParser(prog="python -m kiosk.screenshots")
    parser.add_argument("--config", required=True)
    parser.add_argument("--out", default="tests/artifacts/kiosk")
    parser.add_argument(
        "--credentials", help="the demo credentials TOML: clerk1 makes a case to look up"
    )
    parser.add_argument(
        "--seed", action="store_true", help="take a few tickets first, for 常办事项 on the home"
    )
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv)
    config = load_config(args.config)
    case = None
    if args.credentials:
        users = tomllib.loads(Path(args.credentials).read_text(encoding="utf-8"))["users"]
        case = make_case(config.backend_url, config.hall, config.token, users["clerk1"])
    if args.seed:
        seed_frequent(config.backend_url, config.hall, config.token)
    kiosk = create_kiosk(config)
    kiosk.window.show()
    kiosk.presenter.start()
    try:
        for path in capture(kiosk, Path(args.out), case=case):
            print(path)
    finally:
        kiosk.close()
        app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
