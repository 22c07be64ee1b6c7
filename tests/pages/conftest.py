"""Headless Debian Chromium driven by Playwright against a real server (the ``live_server``
fixture). No browser download: the system Chromium at /usr/bin/chromium is used."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (dev)")

from clientlib.api import ApiClient  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--autoplay-policy=no-user-gesture-required",  # the kiosk-mode flag of the real displays
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "pages"
LANDSCAPE = {"width": 1920, "height": 1080}
PORTRAIT = {"width": 1080, "height": 1920}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def pages(browser):
    """New pages in one fresh context (own sessionStorage); JS errors and anything the page's
    Content-Security-Policy refused (an inline script or style, a remote font) fail the test."""
    context = browser.new_context(locale="zh-CN")
    errors: list[str] = []

    def new_page(viewport=LANDSCAPE):
        page = context.new_page()
        page.set_viewport_size(viewport)
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: _keep_csp_violation(msg, errors))
        page.wait_for_function = _as_function(page.wait_for_function)
        return page

    yield new_page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def _as_function(wait_for_function):
    """Playwright polls a bare expression with ``eval``, which the pages' CSP refuses (as it
    should); the same expression as an arrow function runs without it."""

    def wait(expression: str, *args, **kwargs):
        if not expression.lstrip().startswith(("()", "function", "async")):
            expression = f"() => ({expression})"
        return wait_for_function(expression, *args, **kwargs)

    return wait


def _keep_csp_violation(message, errors: list[str]) -> None:
    if message.type == "error" and "Content Security Policy" in message.text:
        errors.append(message.text)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def kiosk(server) -> ApiClient:
    return ApiClient(server.url, server.hall, server.kiosk_token)


def issue(server, *items: str) -> list[str]:
    k = kiosk(server)
    return [k.issue_ticket(item, uuid.uuid4().hex)["ticket"]["number"] for item in items]


def clerk(server, username: str, window: int) -> ApiClient:
    """A clerk logged in and signed in to ``window``."""
    api = ApiClient(server.url, server.hall)
    api.login(username, server.password(username))
    api.window_action(window, "sign-in")
    return api


def open_display(new_page, server, device: str, viewport=LANDSCAPE):
    page = new_page(viewport)
    page.goto(f"{server.url}/display/{server.hall}/{device}#token={server.device_token(device)}")
    page.wait_for_selector("body[data-ready='1']", state="attached")
    return page


def overflowing(page, selectors: str) -> list[str]:
    """Elements whose text does not fit their box (clipped or spilling out)."""
    return page.evaluate(
        """(selectors) => [...document.querySelectorAll(selectors)]
             .filter(e => e.offsetParent !== null)
             .filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
             .map(e => e.className + ': ' + e.textContent.trim().slice(0, 40))""",
        selectors,
    )
