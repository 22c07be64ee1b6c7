"""The pages' scripts are ES modules served by this server: our own from display/, socket.io-client's
ES module build and lit-html's modules from display/node_modules, all as text/javascript (a module
with another type is refused by the browser), and nothing else from node_modules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DISPLAY = Path(__file__).resolve().parent.parent.parent / "display"


@pytest.mark.parametrize(
    "path",
    [
        "/assets/cases.js",
        "/assets/live.js",
        "/assets/case-parts.js",
        "/assets/county-board.js",
        "/assets/board-alerts.js",
        "/assets/reviews-rect.js",
        "/vendor/socket.io.esm.min.js",
        "/vendor/lit-html/lit-html.js",
        "/vendor/lit-html/directives/repeat.js",
        "/vendor/lit-html/directives/keyed.js",
    ],
)
def test_modules_are_served_as_javascript(hall, path):
    r = hall.client.get(path)
    assert r.status_code == 200
    assert r.mimetype == "text/javascript"
    assert b"export" in r.data or b"import" in r.data


@pytest.mark.parametrize(
    "path",
    [
        "/vendor/lit-html/package.json",
        "/vendor/lit-html/../socket.io-client/package.json",
        "/vendor/lit-html/development/lit-html.js.map",
        "/vendor/lit-html/%2e%2e/%2e%2e/package.json",
    ],
)
def test_nothing_else_from_node_modules(hall, path):
    assert hall.client.get(path).status_code == 404


STAFF_PAGES = ("board", "cases", "county", "reviews")


def page_html(hall, page: Path) -> str:
    """What the browser gets: a staff page is a template (the layout adds its script tag)."""
    if page.stem in STAFF_PAGES:
        r = hall.client.get(f"/{page.stem}")
        assert r.status_code == 200 and r.mimetype == "text/html", page.name
        return r.get_data(as_text=True)
    return page.read_text()


def test_every_page_loads_one_module_and_no_inline_script(hall):
    for page in sorted(DISPLAY.glob("*.html")):
        html = page_html(hall, page)
        scripts = re.findall(r"<script[^>]*>", html)
        assert scripts == [f'<script type="module" src="/assets/{page.stem}.js">'], page.name
        assert not re.search(r"<script[^>]*>[^<]+</script>", html), page.name
