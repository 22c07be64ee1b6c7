"""The resident's page behind the receipt's QR code: plain HTML, no script, no inline style, no
personal data (styles: display/status.css).

It shows the case accepted from the ticket first when there is one (plain wording, deadline,
result, missing materials), then the ticket: its place in the line and wait (the same estimate
as the kiosk and the receipt), or where to go, or that the counter service is done; and once the
service is finished the one-time rating form."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template_string, request
from sqlalchemy import select

from ..api.framework import db, now, publisher, read
from ..db.models import Case, Evaluation, Hall, Ticket
from ..db.uow import Actor, UnitOfWork
from ..domain.cases import RATING_ZH, Rating
from ..domain.errors import DomainError, NotFound
from ..services import case_queries, evaluations, halls, tickets

bp = Blueprint("status_page", __name__)

CASE_EN = {
    "open": "In progress",
    "suspended": "Waiting for missing materials",
    "finished": "Completed",
    "refused": "Not granted",
}

# Lead with the case when there is one: the ticket only says the counter service is done (its
# state words are ``tickets.PUBLIC_STATE``). Styles in display/status.css; no script at all.
PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="15">
<title>{{ s.number if s else "查询" }} · 排队进度</title>
<link rel="stylesheet" href="/assets/status.css">
</head><body><main>
{% if s %}
 <h1>{{ s.hall.name.zh }}<span class="en">{{ s.hall.name.en }}</span></h1>
 {% if c %}<section class="case case-{{ c.state }}" id="case">
  <h2>办件进度 <span class="muted">Case progress</span></h2>
  <div class="state c-{{ c.state }}" id="case-state">{{ c.state_label }}<span class="en">{{ case_en }}</span></div>
  <p class="big">{{ c.wording }}</p>
  <p class="muted">受理编号 Case number {{ c.number }} · {{ c.item.name.zh }}</p>
  {% if c.deadline %}<p>承诺办结时间 Promised by：<b>{{ c.deadline }}</b>{% if c.state == "suspended" %}（补正期间暂停计时 / paused while materials are missing）{% endif %}</p>{% endif %}
  {% if c.missing_materials %}<p>需补正材料 Missing materials：</p><ul>{% for m in c.missing_materials %}<li>{{ m }}</li>{% endfor %}</ul>{% endif %}
  {% if c.result %}<p>办理结果 Result：{{ c.result }}</p>{% endif %}
  {% if c.refuse_reason %}<p>原因 Reason：{{ c.refuse_reason }}</p>{% endif %}
 </section>{% endif %}
 <section class="ticket ticket-{{ s.state }}" id="ticket">
  <div class="muted">您的号码 Your number</div><div class="num">{{ s.number }}</div>
  <div class="big">{{ s.item.name.zh }}</div><div class="muted">{{ s.item.name.en }}</div>
  <div class="state s-{{ s.state }}" id="ticket-state">{{ s.state_label }}<span class="en">{{ s.state_label_en }}</span></div>
 {% if s.state == "waiting" and wait %}
  {% if s.people_ahead %}<p class="big" id="wait">前面还有 <b>{{ s.people_ahead }}</b> 人，预计等待{{ wait.zh }}</p>
  <p class="muted">{{ s.people_ahead }} ahead of you, {{ wait.en }}</p>
  {% elif s.estimated_wait_minutes %}<p class="big" id="wait">前面没有人，预计等待{{ wait.zh }}</p>
  <p class="muted">No one ahead of you; {{ wait.en }}</p>
  {% else %}<p class="big" id="wait">前面没有人，即将叫号，请留意叫号屏</p>
  <p class="muted">No one ahead of you: watch the display for your number</p>{% endif %}
 {% elif s.state == "waiting" %}
  <p class="big" id="wait">当前无窗口办理，窗口开放后按顺序叫号</p>
  <p class="muted">No window open now: you are called in turn once one opens</p>
 {% elif s.window %}
  <p class="big">请到 <b>{{ s.window.name.zh }}</b> 办理</p><p class="muted">Please go to {{ s.window.name.en or s.window.number }}</p>
 {% elif s.state == "no_show" %}
  <p>您已过号，请到服务台或窗口说明，工作人员可为您重新排队。</p><p class="muted">You missed your call; ask staff to re-queue you.</p>
 {% elif s.state == "finished" and c %}
  <p class="muted">办件进度见上方 · The progress of your case is shown above</p>
 {% endif %}</section>
 {% if rate == "open" %}<section><h2>请您评价本次服务 Rate this service</h2>
  <form method="post" action="/t/{{ token }}/rate">
  {% for value, label in ratings %}<button name="rating" value="{{ value }}" class="rate">{{ label }}</button>{% endfor %}
  <p><textarea name="comment" maxlength="400" rows="2" placeholder="意见建议（选填）"></textarea></p></form>
 </section>{% elif rate == "done" %}<section><p>感谢您的评价！Thank you for your rating.</p></section>{% endif %}
 {% if error %}<section><p class="error">{{ error }}</p></section>{% endif %}
 <p class="muted">本页每15秒自动刷新 · refreshes every 15 s</p>
{% else %}
 <section><div class="state s-no_show">未找到该号码</div><p class="muted">Ticket not found. 请核对二维码或咨询工作人员。</p></section>
{% endif %}
</main></body></html>"""


def wait_words(minutes: int | None) -> dict[str, str] | None:
    """The wait as the receipt words it (约 1 小时 15 分钟), in both languages; None: no figure."""
    if minutes is None:
        return None
    if minutes <= 0:
        return {"zh": "即将叫号", "en": "to be called soon"}
    hours, mins = divmod(minutes, 60)
    if not hours:
        return {"zh": f"约 {mins} 分钟", "en": f"about {mins} min"}
    zh = f"约 {hours} 小时" + (f" {mins} 分钟" if mins else "")
    return {"zh": zh, "en": f"about {hours} h" + (f" {mins} min" if mins else "")}


def _page(token: str):
    """(ticket status, case view, rating state) for a token; (None, None, None) if unknown."""

    def view(uow):
        session = uow.session
        try:
            ticket = tickets.latest_leg_by_token(session, token)
        except NotFound:
            return None, None, None
        ctx = halls.context_of(session.get(Hall, ticket.hall_id))
        legs = select(Ticket.id).where(Ticket.status_token == token)
        case = session.scalar(select(Case).where(Case.ticket_id.in_(legs)).limit(1))
        rated = session.scalar(
            select(Evaluation.id).where(Evaluation.ticket_id == (ticket.root_id or ticket.id))
        )
        rate = "done" if rated else ("open" if ticket.state == "finished" else None)
        return (
            tickets.public_status(session, ctx, ticket, now()),
            case_queries.public_case(ctx, case) if case else None,
            rate,
        )

    return read(view)


def _render(token: str, error: str | None = None, status: int = 200):
    ticket, case, rate = _page(token)
    ratings = [(r.value, RATING_ZH[r]) for r in Rating]
    known = ticket and ticket.get("people_ahead") is not None
    page = render_template_string(
        PAGE,
        s=ticket,
        c=case,
        case_en=CASE_EN.get(case["state"], "") if case else "",
        wait=wait_words(ticket.get("estimated_wait_minutes")) if known else None,
        rate=rate,
        token=token,
        ratings=ratings,
        error=error,
    )
    return page, status if ticket else 404


@bp.get("/t/<token>")
def ticket_page(token: str):
    return _render(token)


@bp.post("/t/<token>/rate")
def rate(token: str):
    """The QR-code rating: anyone holding the receipt may rate its finished service once."""
    rating = request.form.get("rating", "")
    comment = request.form.get("comment", "")[:400]

    try:
        with UnitOfWork(db(), now()) as uow:
            ticket = tickets.latest_leg_by_token(uow.session, token)
            ctx = halls.context_of(uow.session.get(Hall, ticket.hall_id))
            evaluations.rate(uow, ctx, Actor("resident:qr"), ticket, rating, comment, "qr", None)
            uow.commit(publisher())
    except DomainError as exc:
        return _render(token, error=exc.message, status=409 if exc.kind == "conflict" else 400)
    return redirect(f"/t/{token}", code=303)
