"""The residents' appointment pages: /book/<hall> (pick item, day and slot, get a code) and
/a/<manage_token> (see, cancel or move one appointment). One static page with two modes
(display/book.html, book.js, book.css); everything it shows comes from the public
appointments API, so no personal data is rendered here."""

from __future__ import annotations

import re

from flask import Blueprint, abort, send_from_directory

from .pages import DISPLAY_DIR

bp = Blueprint("booking_pages", __name__)

HALL_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")  # hallconfig.CODE
MANAGE_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def _page():
    response = send_from_directory(DISPLAY_DIR, "book.html", max_age=0)
    response.headers["Cache-Control"] = "no-store"  # the manage page is one resident's
    return response


@bp.get("/book/<hall>")
def book_page(hall: str):
    """The booking page a hall's 公众号 menu or QR poster links to (?lang=zh|en|ug)."""
    if not HALL_CODE.match(hall):
        abort(404)
    return _page()


@bp.get("/a/<token>")
def manage_page(token: str):
    """One appointment behind its unguessable manage token: cancel or move it."""
    if not MANAGE_TOKEN.match(token):
        abort(404)
    return _page()
