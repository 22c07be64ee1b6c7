"""The resident's page behind the receipt's QR code: plain HTML, no script, no personal data.

It shows the ticket's place in the line, the case accepted from it (plain wording, deadline,
result, missing materials), and once the service is finished the one-time rating form."""

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

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="15">
<title>{{ s.number if s else "查询" }} · 排队进度</title>
<style>
 body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:0;background:#f4f6f8;color:#1a1a1a}
 main{max-width:28rem;margin:0 auto;padding:1.5rem}
 h1{font-size:1.1rem;font-weight:600;margin:0 0 1rem}
 .num{font-size:4rem;font-weight:800;letter-spacing:.05em;margin:.5rem 0}
 .state{font-size:1.6rem;font-weight:700;color:#0b5cad}
 .rate{display:block;width:100%;font-size:1.2rem;padding:.7rem;margin:.4rem 0;border-radius:.5rem;border:1px solid #0b5cad;background:#fff}
 textarea{width:100%;font-size:1rem} ul{margin:.2rem 0 .5rem 1.2rem;padding:0}
 .big{font-size:1.3rem} .muted{color:#555;font-size:.9rem} section{background:#fff;border-radius:.6rem;padding:1.2rem;margin:.8rem 0}
</style></head><body><main>
{% if s %}
 <h1>{{ s.hall.name.zh }}<br><span class="muted">{{ s.hall.name.en }}</span></h1>
 <section><div class="muted">您的号码 Your number</div><div class="num">{{ s.number }}</div>
 <div class="big">{{ s.item.name.zh }}</div><div class="muted">{{ s.item.name.en }}</div></section>
 <section><div class="state">{{ s.state_label }}</div>
 {% if s.state == "waiting" %}
  <p class="big">前面还有 <b>{{ s.people_ahead }}</b> 人，预计等候约 <b>{{ s.estimated_wait_minutes }}</b> 分钟</p>
  <p class="muted">{{ s.people_ahead }} ahead of you, about {{ s.estimated_wait_minutes }} min</p>
 {% elif s.window %}
  <p class="big">请到 <b>{{ s.window.name.zh }}</b> 办理</p><p class="muted">Please go to {{ s.window.name.en or s.window.number }}</p>
 {% elif s.state == "no_show" %}
  <p>您已过号，请到服务台或窗口说明，工作人员可为您重新排队。</p><p class="muted">You missed your call; ask staff to re-queue you.</p>
 {% endif %}</section>
 {% if c %}<section><h1>办件进度 Case</h1>
  <div class="muted">受理编号 {{ c.number }} · {{ c.item.name.zh }}</div>
  <div class="state">{{ c.state_label }}</div><p>{{ c.wording }}</p>
  {% if c.deadline %}<p>承诺办结时间：<b>{{ c.deadline }}</b></p>{% endif %}
  {% if c.missing_materials %}<p>需补正材料：</p><ul>{% for m in c.missing_materials %}<li>{{ m }}</li>{% endfor %}</ul>{% endif %}
  {% if c.result %}<p>办理结果：{{ c.result }}</p>{% endif %}
  {% if c.refuse_reason %}<p>原因：{{ c.refuse_reason }}</p>{% endif %}
 </section>{% endif %}
 {% if rate == "open" %}<section><h1>请您评价本次服务 Rate this service</h1>
  <form method="post" action="/t/{{ token }}/rate">
  {% for value, label in ratings %}<button name="rating" value="{{ value }}" class="rate">{{ label }}</button>{% endfor %}
  <p><textarea name="comment" maxlength="400" rows="2" placeholder="意见建议（选填）"></textarea></p></form>
 </section>{% elif rate == "done" %}<section><p>感谢您的评价！Thank you for your rating.</p></section>{% endif %}
 {% if error %}<section><p class="state">{{ error }}</p></section>{% endif %}
 <p class="muted">本页每15秒自动刷新 · refreshes every 15 s</p>
{% else %}
 <section><div class="state">未找到该号码</div><p class="muted">Ticket not found. 请核对二维码或咨询工作人员。</p></section>
{% endif %}
</main></body></html>"""


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
            tickets.public_status(session, ctx, ticket),
            case_queries.public_case(ctx, case) if case else None,
            rate,
        )

    return read(view)


def _render(token: str, error: str | None = None, status: int = 200):
    ticket, case, rate = _page(token)
    ratings = [(r.value, RATING_ZH[r]) for r in Rating]
    page = render_template_string(
        PAGE, s=ticket, c=case, rate=rate, token=token, ratings=ratings, error=error
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
