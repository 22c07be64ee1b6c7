"""The staff pages (board, cases, county, reviews) are drawn from one skeleton,
display/parts/staff-page.html: the same head, sign-in card and top bar, each with its own title,
style sheets and links to the other pages."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

PAGES = {
    # page: (its title, the links in its bar, the id of its signed-in part)
    "board": (
        "大厅看板 · Hall board",
        ["/cases", "/reviews", "/reviews?tab=reports", "/county"],
        "board",
    ),
    "cases": ("办件管理 · Cases", ["/board", "/reviews"], "app"),
    "county": ("全县督查 · County overview", ["/board"], "county"),
    "reviews": ("好差评与报表 · Reviews and reports", ["/board", "/cases"], "app"),
}


VOID = {"meta", "link", "br", "input", "img", "hr"}


class Outline(HTMLParser):
    """The ids, links, style sheets and title of a page, and whether any tag was left open."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.sheets: list[str] = []
        self.title = ""
        self.open: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"])
        if tag == "a" and "nav-link" in (a.get("class") or ""):
            self.links.append(a["href"])
        if tag == "link" and a.get("rel") == "stylesheet":
            self.sheets.append(a["href"])
        self._in_title = tag == "title"
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        self._in_title = False
        if tag in VOID:
            return
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1:]}>"
        self.open.pop()

    def handle_data(self, data):
        if self._in_title:
            self.title += data


@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_staff_page_has_the_one_skeleton_with_its_own_title_and_links(hall, page):
    title, links, app_id = PAGES[page]
    r = hall.client.get(f"/{page}")
    assert r.status_code == 200 and "no-cache" in r.headers["Cache-Control"]
    text = r.get_data(as_text=True)
    assert "{%" not in text and "{{" not in text and "{#" not in text
    outline = Outline()
    outline.feed(text)
    outline.close()
    assert outline.open == []
    assert outline.title == title
    assert outline.links == links
    assert outline.sheets[:2] == ["/assets/common.css", "/assets/board.css"]
    assert f"/assets/{page}.css" in outline.sheets
    for part in (
        "login",
        "login-form",
        app_id,
        "hall-name",
        "conn",
        "lang-toggle",
        "who",
        "logout",
    ):
        assert outline.ids.count(part) == 1, part
    assert len(outline.ids) == len(set(outline.ids)), "an id is used twice"


@pytest.mark.parametrize("name", ["cases.html", "board.html", "county.html", "reviews.html"])
def test_the_templates_themselves_are_not_served(hall, name):
    assert hall.client.get(f"/assets/{name}").status_code == 404
    assert hall.client.get(f"/assets/parts/{name}").status_code == 404
