"""The waiting-hall display, the managers' board, the county supervisor's overview, the cases
page, the reviews and reports page, the rating pad, their static assets, fonts and voice clips.

Everything is served by this server: the Socket.IO client (its ES module build) and lit-html
from the npm packages installed at set-up (display/node_modules), the CJK font from the Debian
package fonts-noto-cjk, the Arabic-script font for Uyghur (Noto Sans Arabic) from fonts-noto-core."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    send_file,
    send_from_directory,
)
from sqlalchemy import select

from ..api.framework import check_path_values, now, read
from ..db.models import Hall, Ticket, Window
from ..domain.numbering import local_day, parse_number
from ..live.voice import CACHE_FILES, VoiceUnavailable, call_text, chime, synthesize

ROOT = Path(__file__).resolve().parent.parent.parent
DISPLAY_DIR = ROOT / "display"
# The staff pages are templates over one skeleton (display/parts/staff-page.html).
bp = Blueprint("pages", __name__, template_folder=str(DISPLAY_DIR))
NODE_MODULES = DISPLAY_DIR / "node_modules"
SOCKET_IO_JS = NODE_MODULES / "socket.io-client" / "dist" / "socket.io.min.js"
SOCKET_IO_ESM = NODE_MODULES / "socket.io-client" / "dist" / "socket.io.esm.min.js"
LIT_HTML = NODE_MODULES / "lit-html"
LIT_MODULE = re.compile(r"^(directives/)?[a-z0-9-]+\.js$")
FONTS = {
    "cjk-bold": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    "cjk-regular": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    "arabic-bold": Path("/usr/share/fonts/truetype/noto/NotoSansArabic-Bold.ttf"),
    "arabic-regular": Path("/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf"),
}
FONT_TYPES = {".ttc": "font/collection", ".ttf": "font/ttf"}
# No .html: the pages have their own routes, and the staff pages' files are templates.
ASSET = re.compile(r"^[a-z0-9_-]+\.(js|css|svg|png)$")


@bp.get("/display/<hall>/<device>")
def display_page(hall: str, device: str):
    """One URL per display device; the device token follows in the fragment (#token=...)."""
    return send_from_directory(DISPLAY_DIR, "display.html", max_age=0)


@bp.get("/board")
def board_page():
    return staff_page("board")


@bp.get("/county")
def county_page():
    """The county supervisor's (督查督办) overview: every hall of the tree, their alerts, the
    county-wide case list; a hall's row opens its board read-only (/board?hall=<code>)."""
    return staff_page("county")


@bp.get("/cases")
def cases_page():
    """Open cases by colour, unit and clerk, one case's history, and the managers' decisions."""
    return staff_page("cases")


@bp.get("/reviews")
def reviews_page():
    """Rectifications of bad ratings and appeals, follow-up calls, and report downloads."""
    return staff_page("reviews")


@bp.get("/rate/<hall>/<device>")
def rating_pad_page(hall: str, device: str):
    """The rating pad (评价器) at a window: ``?window=N`` names the window (else the number at the
    start of the device's name); the device token follows in the fragment (#token=...)."""
    return send_from_directory(DISPLAY_DIR, "rate.html", max_age=0)


def staff_page(name: str) -> Response:
    """A staff page drawn from its template; like the static pages, revalidated on every load."""
    response = Response(render_template(f"{name}.html"), mimetype="text/html")
    response.cache_control.no_cache = True
    return response


@bp.get("/")
def index():
    return redirect("/board")


@bp.get("/assets/<name>")
def asset(name: str):
    if not ASSET.match(name):
        abort(404)
    # Module scripts need a JavaScript MIME type; say it rather than trust the system's table.
    mimetype = "text/javascript" if name.endswith(".js") else None
    return send_from_directory(DISPLAY_DIR, name, max_age=60, mimetype=mimetype)


@bp.get("/vendor/socket.io.min.js")
def socket_io_client():
    if not SOCKET_IO_JS.exists():
        abort(503, "socket.io client not installed: run `make install` (npm ci in display/)")
    return send_file(SOCKET_IO_JS, mimetype="text/javascript", max_age=3600)


@bp.get("/vendor/socket.io.esm.min.js")
def socket_io_module():
    """The ES module build of the same client: live.js imports it."""
    if not SOCKET_IO_ESM.exists():
        abort(503, "socket.io client not installed: run `make install` (npm ci in display/)")
    return send_file(SOCKET_IO_ESM, mimetype="text/javascript", max_age=3600)


@bp.get("/vendor/lit-html/<path:name>")
def lit_html_module(name: str):
    """lit-html's ES modules (the staff pages' renderer), its own relative imports included."""
    if not LIT_MODULE.match(name):
        abort(404)
    if not (LIT_HTML / name).exists():
        abort(503, "lit-html not installed: run `make install` (npm ci in display/)")
    return send_file(LIT_HTML / name, mimetype="text/javascript", max_age=3600)


@bp.get("/fonts/<name>.<ext>")
def font(name: str, ext: str):
    path = FONTS.get(name)
    if path is None or path.suffix != f".{ext}" or not path.exists():
        abort(404)
    return send_file(path, mimetype=FONT_TYPES[path.suffix], max_age=86400)


@bp.get("/voice/chime.wav")
def voice_chime():
    return Response(_chime(), mimetype="audio/wav", headers={"Cache-Control": "max-age=86400"})


@cache
def _chime() -> bytes:
    return chime()


@bp.get("/voice/<hall>/call/<number>/<int:window>.wav")
def voice_call(hall: str, number: str, window: int):
    """「请 A012 号，到 3号窗口 办理」 only for a number called today at that window of that hall
    (else 404, and nothing is rendered or cached); the cache is bounded (live/voice.py)."""
    check_path_values({"hall": hall, "number": number, "window": window})
    number = number.upper()
    try:
        parse_number(number)
    except ValueError:
        abort(404)
    when = now()

    def find(uow):
        hall_row = uow.session.scalar(select(Hall).where(Hall.code == hall))
        if hall_row is None:
            return None
        row = uow.session.scalar(
            select(Window).where(Window.hall_id == hall_row.id, Window.number == window)
        )
        if row is None:
            return None
        called = uow.session.scalar(
            select(Ticket.id)
            .where(
                Ticket.hall_id == hall_row.id,
                Ticket.day == local_day(when, hall_row.timezone),
                Ticket.number == number,
                Ticket.window_id == row.id,
                Ticket.called_at.is_not(None),
            )
            .limit(1)
        )
        if called is None:
            return None
        return row.name_zh.split()[0], hall_row.config.get("display", {}).get("voice", "cmn")

    found = read(find)
    if found is None:
        abort(404)
    window_name, voice = found
    config = current_app.config
    cache_dir = Path(config.get("ONESTOP_VOICE_CACHE", ROOT / "var" / "voice"))
    cap = int(config.get("ONESTOP_VOICE_CACHE_FILES", CACHE_FILES))
    try:
        audio = synthesize(call_text(number, window_name), cache_dir, voice=voice, max_files=cap)
    except VoiceUnavailable as exc:
        abort(503, str(exc))
    return Response(audio, mimetype="audio/wav", headers={"Cache-Control": "max-age=3600"})
