"""Headers every page and answer carries, 405 answers that say what is allowed, and status
tokens that never reach a log line in full."""

from __future__ import annotations

import logging
import re

from backend.web.safety import install_log_redaction
from tests.support import log_lines

PAGES = ["/board", "/cases", "/reviews", "/display/town/display-1", "/rate/town/pad-1"]


def test_pages_forbid_inline_script_and_framing(hall):
    for path in [*PAGES, f"/t/{hall.issue('MZ-01')['status_token']}"]:
        r = hall.client.get(path)
        assert r.status_code == 200, path
        policy = r.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy, path
        assert "frame-ancestors 'none'" in policy and r.headers["X-Frame-Options"] == "DENY"
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        html = r.get_data(as_text=True)
        inline = [s for s in re.findall(r"<script\b[^>]*>", html) if "src=" not in s]
        assert not inline, (path, inline)
        assert not re.search(r"\son[a-z]+\s*=", html), path  # onclick= and friends
        assert not re.search(r"<style\b|\sstyle\s*=", html), path  # style-src 'self'


def test_api_answers_carry_the_headers_too(hall):
    r = hall.client.get("/api/v1/halls/town/catalog")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "no-referrer"


def test_method_not_allowed_names_the_allowed_methods(hall):
    r = hall.client.delete("/api/v1/halls/town/catalog")
    assert r.status_code == 405 and r.json["error"]["code"] == "method_not_allowed"
    assert set(r.headers["Allow"].replace(" ", "").split(",")) >= {"GET"}
    r = hall.client.get("/api/v1/halls/town/tickets")
    assert r.status_code == 405 and "POST" in r.headers["Allow"]


def test_status_tokens_are_shortened_in_every_log_line():
    install_log_redaction()
    token = "Zx81qPq3mT0aBcDeFgHiJkLmNo"
    with log_lines("uvicorn.access", "onestop.anything", "gunicorn.access") as lines:
        # uvicorn's access log line, and a message with the path inline
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d', "10.0.0.7:5123", "GET", f"/t/{token}", "1.1", 200
        )
        logging.getLogger("onestop.anything").warning(f"oops on /api/v1/status/{token}?x=1")
        logging.getLogger("gunicorn.access").info("%(r)s", {"r": f"POST /t/{token}/rate"})
    assert len(lines) == 3
    assert all(token not in line and token[:6] not in line for line in lines), lines
    assert "/t/Zx81…" in lines[0] and "/api/v1/status/Zx81…?x=1" in lines[1]
    assert "/t/Zx81…/rate" in lines[2]
