"""PNGs of every main screen in portrait and landscape, from a real backend, for review."""

from pathlib import Path

from kiosk.screenshots import capture, make_case, seed_frequent

from .fakes import FakePrinterService, ok_result, paper_out_result

OUT = Path(__file__).resolve().parents[1] / "artifacts" / "kiosk"
NAMES = (
    "home",
    "search",
    "guide",
    "countdown",
    "confirmation-printed",
    "confirmation-fault",
    "offline",
    "case-number",
    "case-phone",
    "case-not-found",
    "case-result",
    "case-result-en",
    "case-result-ug",
    "languages",
    *(f"{screen}-{lang}" for screen in ("home", "guide", "confirmation") for lang in ("en", "ug")),
)


def test_screenshots_portrait_and_landscape(live_server, kiosk_factory):
    seed_frequent(live_server.url, live_server.hall, live_server.kiosk_token)  # 常办事项
    printer = FakePrinterService(  # per orientation: a ticket, a paper-out ticket, the case slip
        *(ok_result(), paper_out_result(), ok_result()) * 2
    )
    kiosk = kiosk_factory(
        printer=printer,
        backend_url=live_server.url,
        token=live_server.kiosk_token,
        api_retries=0,
        api_timeout=2,
    )
    case = make_case(
        live_server.url, live_server.hall, live_server.kiosk_token, live_server.password("clerk1")
    )
    saved = capture(kiosk, OUT, case=case)
    names = {p.name for p in saved}
    for orientation in ("portrait", "landscape"):
        for name in NAMES:
            assert f"{name}-{orientation}.png" in names
    for path in saved:
        assert path.stat().st_size > 10_000, path
