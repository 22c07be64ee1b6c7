"""The resident's page behind the receipt's QR code: server-rendered HTML, no inline script or
style, no personal data (styles: display/status.css). It works with no script at all (it then
reloads every 15 s); display/status.js keeps the ticket part live over the push channel (its
ticket's own room, backend/live/status_watch.py) and rings when the number is called.

It shows the case accepted from the ticket first when there is one (plain wording, deadline,
result, missing materials), then the ticket: its place in the line and wait (the same estimate
as the kiosk and the receipt), or where to go, or that the counter service is done; and once the
service is finished the one-time rating form. Its words are in Chinese, English or Uyghur
(right to left): ``?lang=``, else the browser's language, else Chinese (links switch).

A case referred to another hall (上报 to the county, 交办 to a town) says where the matter is
now: the receiving hall and department, and once it is accepted there that hall's number,
state, deadline and result (``case_queries.public_case``'s ``holder``), never the referral's
reason or who sent it. The case part is also served alone (GET /t/<token>/case) for
display/status.js to swap in when the push channel says the case changed, at any hall."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template_string, request
from markupsafe import Markup, escape

import i18n

from ..api.framework import db, now, publisher, read
from ..db.uow import UnitOfWork
from ..domain.cases import Rating
from ..domain.errors import DomainError
from ..live import status_read
from ..services import case_queries, resident_status

bp = Blueprint("status_page", __name__)

# The page's words are the "status" gettext catalogue (i18n/messages/status.pot and its .po
# files): the chosen language first, a second one below it (English under Chinese, Chinese
# under any other). display/status.js redraws the live part with the same catalogue, read from
# GET /i18n/status/<lang>.json (<html lang>, <body data-lang-alt>). Styles in status.css.
DOMAIN = "status"
# Lead with the case when there is one: the ticket only says the counter service is done.
PAGE = """<!doctype html>
<html lang="{{ lang }}" dir="{{ dir }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<noscript><meta http-equiv="refresh" content="15"></noscript>
<title>{{ s.number ~ " · " ~ P.title if s else P.title_lookup }}</title>
<link rel="stylesheet" href="/assets/status.css">
{% if s %}<script type="module" src="/assets/status.js"></script>{% endif %}
</head><body{% if s %} data-state="{{ s.state }}" data-lang-alt="{{ second }}"{% endif %}><main>
 <nav class="langs" aria-label="{{ P.languages }}">{% for l in languages %}{% if not loop.first %} · {% endif %}{% if l.code == lang %}<b aria-current="true">{{ l.name }}</b>{% else %}<a href="?lang={{ l.code }}" lang="{{ l.code }}" dir="{{ l.dir }}">{{ l.name }}</a>{% endif %}{% endfor %}</nav>
{% if s %}
 <h1>{{ name(s.hall.name) }}<span class="alt">{{ alt_name(s.hall.name) }}</span></h1>
 {% if c %}{{ case_html }}{% endif %}
 <section class="ticket ticket-{{ s.state }}" id="ticket">
  <div class="muted">{{ P.your_number }} {{ S.your_number }}</div><div class="num">{{ s.number }}</div>
  <div class="big">{{ name(s.item.name) }}</div><div class="muted">{{ alt_name(s.item.name) }}</div>
  <div class="state s-{{ s.state }}" id="ticket-state">{{ P["ticket_" ~ s.state] }}<span class="alt">{{ S["ticket_" ~ s.state] }}</span></div>
  <div id="where">
 {% if s.state == "waiting" and wait %}
  {% if s.people_ahead %}<p class="big" id="wait">{{ say(P.ahead, ("n",), n=s.people_ahead, wait=wait.P) }}</p>
  <p class="muted">{{ say(S.ahead, n=s.people_ahead, wait=wait.S) }}</p>
  {% elif s.estimated_wait_minutes %}<p class="big" id="wait">{{ say(P.none_ahead_wait, wait=wait.P) }}</p>
  <p class="muted">{{ say(S.none_ahead_wait, wait=wait.S) }}</p>
  {% else %}<p class="big" id="wait">{{ P.none_ahead }}</p>
  <p class="muted">{{ S.none_ahead }}</p>{% endif %}
 {% elif s.state == "waiting" %}
  <p class="big" id="wait">{{ P.no_window }}</p>
  <p class="muted">{{ S.no_window }}</p>
 {% elif s.window %}
  {% if s.state == "called" %}<p class="callout" id="callout">{{ say(P.go_to_window, window=s.window.number) }}<span class="alt">{{ say(S.go_to_window, window=s.window.number) }}</span></p>{% endif %}
  <p class="big">{{ say(P.go_to_name, ("name",), name=name(s.window.name)) }}</p><p class="muted">{{ say(S.go_to_name, name=name(s.window.name, second) or s.window.number) }}</p>
 {% elif s.state == "no_show" %}
  <p>{{ P.no_show_text }}</p><p class="muted">{{ S.no_show_text }}</p>
 {% elif s.state == "finished" and c %}
  <p class="muted">{{ P.case_above }} · {{ S.case_above }}</p>
 {% endif %}</div>
  {% if s.state in ("waiting", "called") %}<p class="alerts" id="alerts-row" hidden><button type="button" id="alerts">{{ P.alerts }}<span class="alt">{{ S.alerts }}</span></button></p>{% endif %}
 </section>
 {% if rate == "open" %}<section><h2>{{ P.rate_title }} <span class="muted">{{ S.rate_title }}</span></h2>
  <form method="post" action="/t/{{ token }}/rate"><input type="hidden" name="lang" value="{{ lang }}">
  {% for value in ratings %}<button name="rating" value="{{ value }}" class="rate">{{ P["rating_" ~ value] }}<span class="alt">{{ S["rating_" ~ value] }}</span></button>{% endfor %}
  <p><textarea name="comment" maxlength="400" rows="2" placeholder="{{ P.comment }}"></textarea></p></form>
 </section>{% elif rate == "done" %}<section><p>{{ P.rated }} {{ S.rated }}</p></section>{% endif %}
 {% if error %}<section><p class="error">{{ error }}</p></section>{% endif %}
 <p class="muted" id="live-note">{{ P.refresh_note }} · {{ S.refresh_note }}</p>
{% else %}
 <section><div class="state s-no_show">{{ P.not_found }}</div><p class="muted">{{ S.not_found }}. {{ P.not_found_hint }}</p></section>
{% endif %}
</main></body></html>"""


# The case part, also served alone (GET /t/<token>/case) for display/status.js to swap in when
# the push channel says the case changed (data-version: status_read.case_version of the view).
# A referred case (上报/交办) says where the matter is now, from public_case's ``holder``.
CASE = """<section class="case case-{{ c.state }}" id="case" data-version="{{ version }}" data-case-state="{{ now_state }}">
  <h2>{{ P.case_progress }} <span class="muted">{{ S.case_progress }}</span></h2>
  <div class="state c-{{ c.state }}" id="case-state">{{ P["case_state_" ~ c.state] }}<span class="alt">{{ S["case_state_" ~ c.state] }}</span></div>
  {% if h %}<div class="holder holder-{{ h.state }}" id="case-holder" data-direction="{{ h.direction }}">
  {% for line in where.P %}<p{% if loop.first %} class="big"{% endif %}>{{ line }}</p>{% endfor %}
  <p class="muted">{{ where.S | join(" · ") }}</p>
  {% if h.case %}{% set d = h.case %}
  {% if d.missing_materials %}<p>{{ P.missing_materials }} {{ S.missing_materials }}：</p><ul>{% for m in d.missing_materials %}<li>{{ m }}</li>{% endfor %}</ul>{% endif %}
  {% if d.result %}<p>{{ P.result }} {{ S.result }}：{{ d.result }}</p>{% endif %}
  {% if d.refuse_reason %}<p>{{ P.reason }} {{ S.reason }}：{{ d.refuse_reason }}</p>{% endif %}
  {% endif %}</div>
  <p class="muted">{{ P.case_number }} {{ S.case_number }} {{ c.number }} · {{ name(c.item.name) }}</p>
  {% else %}<p class="big">{{ P["case_words_" ~ c.state] }}</p>
  <p class="muted">{{ P.case_number }} {{ S.case_number }} {{ c.number }} · {{ name(c.item.name) }}</p>
  {% if c.deadline %}<p>{{ P.promised_by }} {{ S.promised_by }}：<b>{{ c.deadline }}</b>{% if c.state == "suspended" %}（{{ P.paused }} / {{ S.paused }}）{% endif %}</p>{% endif %}
  {% if c.missing_materials %}<p>{{ P.missing_materials }} {{ S.missing_materials }}：</p><ul>{% for m in c.missing_materials %}<li>{{ m }}</li>{% endfor %}</ul>{% endif %}
  {% if c.result %}<p>{{ P.result }} {{ S.result }}：{{ c.result }}</p>{% endif %}
  {% if c.refuse_reason %}<p>{{ P.reason }} {{ S.reason }}：{{ c.refuse_reason }}</p>{% endif %}
  {% endif %}
 </section>"""


def pick_language() -> str:
    """?lang= when we have it, else the browser's first language we have, else Chinese."""
    catalogues = i18n.default
    wanted = request.args.get("lang") or request.form.get("lang")
    if wanted and (resolved := catalogues.resolve(wanted)):
        return resolved
    for value, _quality in request.accept_languages:
        code = catalogues.resolve(value)
        if code:
            return code
    return i18n.SOURCE


def second_language(lang: str) -> str:
    """The line under each one: English under Chinese, Chinese under every other language."""
    return "en" if lang == i18n.SOURCE else i18n.SOURCE


def wait_words(minutes: int | None, texts: dict[str, str]) -> str | None:
    """The wait as the receipt words it (约 1 小时 15 分钟); None: no figure."""
    if minutes is None:
        return None
    if minutes <= 0:
        return texts["wait_soon"]
    hours, mins = divmod(minutes, 60)
    if not hours:
        return texts["wait_minutes"].format(m=mins)
    if not mins:
        return texts["wait_hours"].format(h=hours)
    return texts["wait_hours_minutes"].format(h=hours, m=mins)


def say(template: str, bold: tuple[str, ...] = (), **values) -> Markup:
    """A catalogue text with its placeholders filled in and escaped; those named in ``bold``
    in bold type."""
    parts = {k: Markup("<b>{}</b>").format(v) if k in bold else v for k, v in values.items()}
    return Markup(escape(template)).format(**parts)


def _page(token: str):
    """(ticket status, case view, rating state) for a token; (None, None, None) if unknown."""
    return read(lambda uow: resident_status.page(uow.session, token, now()))


class _Words:
    """The page's language, the second one under it, and the helpers both templates use."""

    def __init__(self) -> None:
        self.lang = pick_language()
        self.alt = second_language(self.lang)
        self.primary, self.secondary = i18n.texts(DOMAIN, self.lang), i18n.texts(DOMAIN, self.alt)

    def name(self, names: dict[str, str], which: str | None = None) -> str:
        """A hall, item or window name in ``which`` language (they have zh and en only)."""
        which = which or self.lang
        return (names.get("en") if which == "en" else None) or names.get("zh") or ""

    def alt_name(self, names: dict[str, str]) -> str:
        """The other one of the two names, or "" when there is no other."""
        other = names.get("zh") if self.lang == "en" else names.get("en")
        return "" if other == self.name(names) else (other or "")

    def case(self, case: dict[str, Any]) -> Markup:
        """The case section (also served alone for the live page)."""
        holder = case.get("holder")
        held = (holder or {}).get("case")
        where = (
            {
                "P": case_queries.holder_lines(holder, self.lang),
                "S": case_queries.holder_lines(holder, self.alt),
            }
            if holder
            else None
        )
        return Markup(
            render_template_string(
                CASE,
                c=case,
                h=holder,
                where=where,
                version=status_read.case_version(case),
                now_state=(held or {}).get("state") or case["state"],
                P=self.primary,
                S=self.secondary,
                name=self.name,
            )
        )


def _render(token: str, error: str | None = None, status: int = 200):
    ticket, case, rate = _page(token)
    words = _Words()
    lang, alt, primary, secondary = words.lang, words.alt, words.primary, words.secondary
    known = ticket and ticket.get("people_ahead") is not None
    minutes = ticket.get("estimated_wait_minutes") if known else None
    wait = wait_words(minutes, primary)
    figures = {"P": wait, "S": wait_words(minutes, secondary)} if wait else None

    page = render_template_string(
        PAGE,
        s=ticket,
        c=case,
        case_html=words.case(case) if case else "",
        P=primary,
        S=secondary,
        lang=lang,
        second=alt,
        dir=i18n.direction(lang),
        languages=i18n.languages(),
        name=words.name,
        alt_name=words.alt_name,
        say=say,
        wait=figures,
        rate=rate,
        token=token,
        ratings=[r.value for r in Rating],
        error=error,
    )
    return page, status if ticket else 404


@bp.get("/t/<token>")
def ticket_page(token: str):
    return _render(token)


@bp.get("/t/<token>/case")
def case_part(token: str):
    """The case section alone, in ``?lang=``: what display/status.js swaps in when the push
    channel (or, while it is down, its poll) says the case changed."""
    _ticket, case, _rate = _page(token)
    if case is None:
        return "", 404
    part = _Words().case(case)
    return part, 200, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}


@bp.post("/t/<token>/rate")
def rate(token: str):
    """The QR-code rating: anyone holding the receipt may rate its finished service once."""
    rating = request.form.get("rating", "")
    comment = request.form.get("comment", "")[:400]

    try:
        with UnitOfWork(db(), now()) as uow:
            resident_status.rate_by_qr(uow, token, rating, comment)
            uow.commit(publisher())
    except DomainError as exc:
        return _render(token, error=exc.message, status=409 if exc.kind == "conflict" else 400)
    lang = pick_language()
    return redirect(f"/t/{token}" + (f"?lang={lang}" if lang != i18n.SOURCE else ""), code=303)
