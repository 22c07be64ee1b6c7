"""The resident's ticket page behind the receipt's QR code: plain HTML, no script, no personal data."""

from __future__ import annotations

from flask import Blueprint, render_template_string

from ..api.framework import read
from ..db.models import Hall
from ..domain.errors import NotFound
from ..services import halls, tickets

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
 <p class="muted">本页每15秒自动刷新 · refreshes every 15 s</p>
{% else %}
 <section><div class="state">未找到该号码</div><p class="muted">Ticket not found. 请核对二维码或咨询工作人员。</p></section>
{% endif %}
</main></body></html>"""


@bp.get("/t/<token>")
def ticket_page(token: str):
    def view(uow):
        try:
            ticket = tickets.latest_leg_by_token(uow.session, token)
        except NotFound:
            return None
        ctx = halls.context_of(uow.session.get(Hall, ticket.hall_id))
        return tickets.public_status(uow.session, ctx, ticket)

    status = read(view)
    return render_template_string(PAGE, s=status), 200 if status else 404
