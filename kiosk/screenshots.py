"""Save PNGs of the kiosk screens in portrait (1080x1920) and landscape (1920x1080).

    QT_QPA_PLATFORM=offscreen python -m kiosk.screenshots --config config/kiosk-demo.toml

Takes real tickets on the configured backend (use a demo hall). The offline screen is shown
by pointing the kiosk at an address where nothing listens, then back.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication

from clientlib.api import ApiClient

from .screens import ConfirmationScreen, GuideScreen, HomeScreen, OfflineScreen

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
DEAD_URL = "http://127.0.0.1:9"  # discard port: nothing answers


def wait_until(check: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the kiosk did not reach the expected screen")
        QApplication.processEvents()
        time.sleep(0.01)


def capture(
    kiosk, out_dir: Path, item: str = "MZ-01", department: str = "ZJ", search: str = "dbsq"
) -> list[Path]:
    """Drive `kiosk` (started, on a reachable backend) through its screens; save one PNG each."""
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
        p.toggle_language()
        shot("guide-en", orientation)
        p.go_home()
        shot("home-en", orientation)
        p.toggle_language()
        for _ in range(2):  # two tickets: a test printer may fail the second
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
        for action, name in (
            (p.open_green_channel, "green"),
            (p.open_appointment, "appointment"),
            (p.open_case_query, "case"),
        ):
            p.go_home()
            action()
            shot(name, orientation)
        real_api = p.api
        p.api = ApiClient(DEAD_URL, real_api.hall if hasattr(real_api, "hall") else "", retries=0)
        p.go_home()
        p.check_connection()
        wait_until(lambda: isinstance(screen(), OfflineScreen) and p.state == "offline")
        shot("offline", orientation)
        p.api = real_api
        p.check_connection()
        wait_until(lambda: p.state == "ready")
    return saved


def main(argv: list[str] | None = None) -> int:
    from .app import create_kiosk
    from .config import load_config

    parser = argparse.ArgumentParser(prog="python -m kiosk.screenshots")
    parser.add_argument("--config", required=True)
    parser.add_argument("--out", default="tests/artifacts/kiosk")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv)
    kiosk = create_kiosk(load_config(args.config))
    kiosk.window.show()
    kiosk.presenter.start()
    try:
        for path in capture(kiosk, Path(args.out)):
            print(path)
    finally:
        kiosk.close()
        app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
