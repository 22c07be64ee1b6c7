/* One case of the county, read-only (the pane beside the case list): its facts, the overdue
 * record, its referrals, its history, and the supervisor's one action: 督办, an order to the
 * handling hall to settle it. Drawn with lit-html, keyed by the case: a redraw of the same case
 * (a live event) keeps the note being typed; another case gets a new, empty form.
 */
import { html, nothing, render } from "/vendor/lit-html/lit-html.js";
import { keyed } from "/vendor/lit-html/directives/keyed.js";
import { api as request, deadlineText } from "./live.js";
import { caseHead, errorText, fact, field, formView, localTime, section, submit } from "./case-parts.js";
import { state } from "./county-state.js";
import {
  $,
  ACTION_TEXT,
  T,
  boardLink,
  byCode,
  hallName,
  page,
  serverNow,
  timezone,
  tx,
  unitName,
  word,
} from "./county-common.js";

var detailLoads = 0;
export function loadDetail(sel, fresh) {
  var n = ++detailLoads;
  var hall = sel.hall || page.staff.session.hall;
  if (fresh) {
    state.detailStatus = { text: tx("loading", "加载中…") + " " + sel.number };
    renderDetail();
  }
  request("GET", "/api/v1/halls/" + encodeURIComponent(hall) + "/cases/" + encodeURIComponent(sel.number), {
    token: page.staff.session.token,
  }).then(
    function (result) {
      if (n !== detailLoads || state.selected !== sel) return;
      state.detail = Object.assign({ hall_code: hall }, result.case);
      state.detailStatus = null;
      state.detailLoads += 1;
      renderDetail();
      document.body.dataset.detailLoads = state.detailLoads;
    },
    function (err) {
      if (n !== detailLoads) return;
      if (err.status === 401) {
        page.staff.sessionEnded();
        return;
      }
      var why =
        err.status === 404
          ? tx("c_no_such_case", "没有这个办件：{number}", { number: sel.number })
          : err.status === 403
            ? tx("co_detail_refused", "督查督办账号不能查看此办件的详情。")
            : errorText(err);
      state.detailStatus = { text: why, error: true };
      renderDetail();
    }
  );
}

/** A section of the pane; the English hint under its Chinese title only in Chinese. */
function part(title, en, body, extraClass) {
  return section(null, title, T.english() ? null : en, body, extraClass);
}

export function renderDetail() {
  var box = $("detail-body");
  var c = state.detail;
  var status = state.selected ? state.detailStatus : null;
  var shown = !!state.selected && (!!status || !!c);
  $("detail-empty").hidden = shown;
  box.hidden = !shown;
  if (!shown) return;
  if (status) {
    delete box.dataset.case;
    render(html`<p class=${status.error ? "error" : "muted"}>${status.text}</p>`, box);
    return;
  }
  box.dataset.case = c.number;
  box.dataset.hall = c.hall_code;
  render(keyed(c.hall_code + "/" + c.number, detailView(c)), box); // another case: a new form
}

function detailView(c) {
  var hall = byCode()[c.hall_code];
  var applicant = c.applicant || {};
  var promised = nothing;
  if (c.kind === "promised") {
    var left = c.colour
      ? html`<b class="d-left">${" " + T.deadlineLeft(c.deadline_at, serverNow())}</b>`
      : nothing;
    promised = html`${fact(tx("c_promised", "承诺时限"), tx("c_working_days", "{n} 个工作日", { n: c.working_days }))}
      ${fact(tx("th_deadline", "办理时限"), html`<span>${deadlineText(c.deadline_at)}${left}</span>`)}`;
  }
  var facts = html`<dl class="facts">
    ${fact(tx("co_f_hall", "大厅"), html`<a href=${boardLink(c.hall_code)}>${hall ? hallName(hall) : c.hall_code}</a>`)}
    ${fact(tx("c_f_item", "事项"), c.item_name + (T.english() ? " (" + c.item + ")" : "（" + c.item + "）"))}
    ${fact(tx("th_unit", "承办单位"), unitName(c.hall_code, c.handling_unit))}
    ${fact(tx("c_applicant", "申请人"), [applicant.name, applicant.phone].filter(Boolean).join(" · ") || "—")}
    ${fact(tx("c_accepted_at", "受理时间"), localTime(c.accepted_at, timezone()))}
    ${promised}
    ${c.finished_at ? fact(tx("c_finished_at", "办结时间"), localTime(c.finished_at, timezone()) + (c.on_time === false ? tx("c_finished_late", "（超期办结）") : "")) : nothing}
    ${fact(tx("c_result", "办理结果"), c.result)}
    ${fact(tx("c_refuse_reason", "不予办理理由"), c.refuse_reason)}
  </dl>`;
  var settling = c.state === "open" || c.state === "suspended";
  return html`${caseHead(c, nothing, page.closeDetail)}${facts}${overdueView(c)}${referralsView(c)}${settling ? superviseForm(c) : nothing}${historyView(c)}`;
}

function overdueView(c) {
  var o = c.overdue;
  if (!o) return nothing;
  var body = html`<dl class="facts small">
      ${fact(tx("c_detected", "发现超期"), localTime(o.detected_at, timezone()))}
      ${fact(tx("c_overdue_reason", "超期原因"), o.reason)}
      ${fact(tx("c_overdue_action", "督办措施"), o.action)}
    </dl>
    ${o.handled_at ? nothing : html`<p class="d-due">${tx("co_overdue_todo", "待督办：承办大厅尚未记录超期原因和督办措施。")}</p>`}`;
  return part(tx("c_overdue", "超期督办"), "Overdue record", body, o.handled_at ? "handled" : "waiting");
}

function referralsView(c) {
  var legs = c.referred_from || [];
  var sent = c.referrals || [];
  if (!legs.length && !sent.length) return nothing;
  var came = legs.map(function (leg) {
    var from = tx("co_came_from", "来自 {hall}：{number}", {
      hall: T.name((leg.hall || {}).name) || (leg.hall || {}).code,
      number: leg.number,
    });
    return html`<li><div>${from}</div>${leg.referral ? html`<div class="muted">${leg.referral.direction_zh + " · " + leg.referral.reason}</div>` : nothing}</li>`;
  });
  var went = sent.map(function (x) {
    var to = tx("co_sent_to", "{direction}至 {hall} · {at}", {
      direction: x.direction_zh,
      hall: hallName(x.to_hall),
      at: localTime(x.sent_at, timezone()),
    });
    return html`<li><div>${to}</div><div class="muted">${x.reason + (x.received_as ? " → " + x.received_as : "")}</div></li>`;
  });
  return part(tx("co_referrals", "移交记录"), "Referrals", html`<ul class="d-list">${came}${went}</ul>`);
}

function historyView(c) {
  var items = (c.history || []).map(function (h) {
    var who = String(h.actor || "").replace(/^(user|device):/, "");
    if (who.indexOf("job:") === 0) who = tx("c_system", "系统巡检");
    var d = h.details || {};
    var more = [d.reason, d.result, d.note].filter(Boolean).join(" · ");
    return html`<li data-action=${h.action}><span class="h-at">${localTime(h.at, timezone())}</span><b class="h-what">${word(ACTION_TEXT, h.action)}</b><span class="h-who">${who}</span>${more ? html`<span class="h-details">${more}</span>` : nothing}</li>`;
  });
  return part(tx("c_history", "办理记录"), "History", html`<ol class="timeline">${items}</ol>`);
}

/** 督办: order the handling hall to settle an open case; the order goes into its history. */
function superviseForm(c) {
  var key = "supervise";
  function say(kind, text, busy) {
    state.forms[key] = { kind: kind, text: text, busy: !!busy };
    renderDetail();
  }
  function send(event) {
    event.preventDefault();
    var form = event.currentTarget;
    var note = form.elements.note.value.trim();
    if (!note) {
      say("error", tx("co_supervise_empty", "请写明督办意见。"));
      return;
    }
    var path =
      "/api/v1/halls/" +
      encodeURIComponent(c.hall_code) +
      "/cases/" +
      encodeURIComponent(c.number) +
      "/supervise";
    say("", tx("saving", "提交中…"), true);
    request("POST", path, { token: page.staff.session.token, body: { note: note } }).then(
      function () {
        form.elements.note.value = "";
        say("ok", tx("co_supervise_done", "已督办，记入办理记录。"));
        if (state.selected) loadDetail(state.selected, false);
      },
      function (err) {
        say("error", errorText(err));
      }
    );
  }
  var form = formView(
    key,
    state.forms[key],
    function (busy) {
      return html`${field("note", tx("co_supervise_note", "督办意见"), tx("co_supervise_hint", "例如：请于本周内办结并报告原因"), true)}${submit(tx("co_supervise_send", "发出督办"), "primary", "", busy)}`;
    },
    send
  );
  return part(tx("co_supervise", "督办"), "Order it settled", form);
}
