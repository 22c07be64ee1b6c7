/* The cases page's detail pane (lit-html): one case's facts, its overdue record, extension
 * requests and the manager's decisions, escalations and history. The county network's parts
 * (上报/交办, referrals, earlier legs) come from cases-network.js.
 *
 * Drawn again from state on every load (a live event reloads the open case): lit-html keeps the
 * same elements, so what a manager types, where the caret is and what is open stay as they are.
 */
import { html, nothing } from "/vendor/lit-html/lit-html.js";
import { repeat } from "/vendor/lit-html/directives/repeat.js";
import { deadlineText } from "./live.js";
import { caseHead } from "./case-parts.js";
import {
  CT,
  T,
  actionForm,
  canRefer,
  fact,
  field,
  hallName,
  listSep,
  localTime,
  page,
  section,
  say,
  state,
  submit,
  timezone,
  tx,
  unitName,
  unitOf,
  word,
} from "./cases-common.js";
import { cameFromTag, legsSection, referSection, referralTag, referralsSection } from "./cases-network.js";

function listClerk(number) {
  var rows = state.list || [];
  for (var i = 0; i < rows.length; i++) if (rows[i].number === number) return rows[i].clerk;
  return null;
}

/** The pane for state.detail (or its loading / missing / error line). */
export function detailView() {
  var status = state.detailStatus;
  if (status === "loading")
    return html`<p class="muted">${tx("loading", "加载中…") + " " + state.selected}</p>`;
  if (status === "missing") {
    return html`<p class="error">${tx("c_no_such_case", "没有这个办件：{number}", { number: state.selected })}</p>`;
  }
  if (status) return html`<span class="error">${status}</span>`;
  var c = state.detail;
  var manager = page.staff.isManager();
  var referrals = c.referrals || [];
  return html`${head(c)} ${facts(c)} ${c.state === "open" && canRefer() ? referSection(c) : nothing}
  ${referrals.length ? referralsSection(c) : nothing} ${overdueSection(c, manager)}
  ${extensionSection(c, manager)} ${(c.escalations || []).length ? escalationSection(c) : nothing}
  ${section("d-history", tx("c_history", "办理记录"), "History", timeline(c.history))}
  ${(c.referred_from || []).length ? legsSection(c) : nothing}`;
}

function head(c) {
  var sent = (c.referrals || []).slice(-1)[0];
  var came = (c.referred_from || [])[0];
  var tags = html`${
    c.repeat_visit
      ? html`<span class="tag">${tx("c_repeat", "重访") + (c.repeat_of ? " " + c.repeat_of : "")}</span>`
      : nothing
  }${
    c.state === "referred" && sent ? html`<span class="tag d-referred">${referralTag(sent)}</span>` : nothing
  }${came ? html`<span class="tag d-came">${cameFromTag(came)}</span>` : nothing}`;
  return caseHead(c, tags, page.close);
}

function facts(c) {
  var a = c.applicant || {};
  var promised = null;
  if (c.kind === "promised") {
    var left = nothing;
    if (c.colour) left = html`<b class="d-left">${" " + T.deadlineLeft(c.deadline_at, Date.now())}</b>`;
    else if (c.state === "suspended") {
      left = html`<span class="muted"
        >${tx("c_suspended_note", "（补正期间计时暂停，材料补齐后顺延）")}</span
      >`;
    } else if (c.state === "referred") {
      left = html`<span class="muted">${tx("c_referred_note", "（已移交，本中心不再计时）")}</span>`;
    }
    promised = html`${fact(
      tx("c_promised", "承诺时限"),
      tx("c_working_days", "{n} 个工作日", { n: c.working_days }) +
        (c.extended_days ? tx("c_extended_days", "（延期 {n} 个工作日）", { n: c.extended_days }) : "")
    )}
    ${fact(tx("th_deadline", "办理时限"), html`<span>${deadlineText(c.deadline_at)}${left}</span>`)}`;
  }
  var missing = c.missing_materials || [];
  return html`<dl class="facts">
    ${fact(tx("c_f_item", "事项"), c.item_name + (T.english() ? " (" + c.item + ")" : "（" + c.item + "）"))}
    ${fact(tx("th_unit", "承办单位"), unitName(c.handling_unit))}
    ${fact(tx("th_handler", "经办人"), listClerk(c.number))}
    ${fact(tx("c_applicant", "申请人"), [a.name, a.phone, a.id_number].filter(Boolean).join(" · ") || "—")}
    ${fact(tx("c_accepted_at", "受理时间"), localTime(c.accepted_at, timezone()))}
    ${promised || fact(tx("c_kind", "类型"), tx("c_kind_instant", "即办件"))}
    ${fact(tx("c_ticket", "受理号"), c.ticket_number)}
    ${fact(tx("c_decision", "办理方式"), word(CT.decision, c.decision))}
    ${fact(tx("c_materials", "已收材料"), (c.materials_received || []).join(listSep()))}
    ${
      missing.length
        ? fact(tx("c_missing", "待补材料"), html`<b class="missing">${missing.join(listSep())}</b>`)
        : nothing
    }
    ${
      c.finished_at
        ? fact(
            tx("c_finished_at", "办结时间"),
            localTime(c.finished_at, timezone()) +
              (c.on_time === false ? tx("c_finished_late", "（超期办结）") : "")
          )
        : nothing
    }
    ${fact(tx("c_result", "办理结果"), c.result)}
    ${fact(tx("c_refuse_reason", "不予办理理由"), c.refuse_reason)}
  </dl>`;
}

function overdueSection(c, manager) {
  var o = c.overdue;
  var title = tx("c_overdue", "超期督办");
  if (!o) {
    return section(
      "d-overdue",
      title,
      "Overdue record",
      html`<p class="muted">${tx("c_not_overdue", "未超期 · none")}</p>`
    );
  }
  var record = html`<dl class="facts small">
    ${fact(tx("c_detected", "发现超期"), localTime(o.detected_at, timezone()))}
    ${fact(tx("th_unit", "承办单位"), unitName(o.handling_unit))}
    ${fact(tx("c_old_deadline", "原办理时限"), deadlineText(o.deadline_at))}
    ${
      o.handled_at
        ? html`${fact(tx("c_overdue_reason", "超期原因"), o.reason)}
          ${fact(tx("c_overdue_action", "督办措施"), o.action)}
          ${fact(tx("c_handled_at", "处理时间"), localTime(o.handled_at, timezone()))}`
        : nothing
    }
  </dl>`;
  if (o.handled_at) return section("d-overdue", title, "Overdue record", record, "handled");
  var key = "overdue:" + c.number;
  function send(ev) {
    ev.preventDefault();
    var form = ev.currentTarget;
    var reason = form.elements.reason.value.trim();
    var action = form.elements.action.value.trim();
    if (!reason || !action) {
      say(key, "error", tx("c_need_reason_action", "请填写超期原因和督办措施。"));
      return;
    }
    page.post(key, "/cases/" + encodeURIComponent(c.number) + "/overdue", { reason: reason, action: action });
  }
  var form = manager
    ? actionForm(
        key,
        function (busy) {
          return html`${field(
            "reason",
            tx("c_reason_label", "超期原因（承办单位说明）"),
            tx("c_reason_hint", "例如：入户核查未完成"),
            true
          )}
            ${field("action", tx("c_overdue_action", "督办措施"), tx("c_action_hint", "例如：责令两个工作日内办结"), true)}
            <div class="d-buttons">${submit(tx("c_record_overdue", "记录督办"), "primary", "", busy)}</div>`;
        },
        send
      )
    : nothing;
  var body = html`${record}
    <p class="d-due">${tx("c_overdue_todo", "待督办：向承办单位询问超期原因，责令限期办结。")}</p>
    ${form}`;
  return section("d-overdue", title, "Overdue record", body, "waiting");
}

function extensionSection(c, manager) {
  var list = c.extensions || [];
  var title = tx("c_extensions", "延期申请");
  if (!list.length)
    return section(
      "d-extensions",
      title,
      "Extensions",
      html`<p class="muted">${tx("none", "无 · none")}</p>`
    );
  var items = repeat(
    list,
    function (x) {
      return x.id;
    },
    function (x) {
      return extension(c, x, manager);
    }
  );
  return section(
    "d-extensions",
    title,
    "Extensions",
    html`<ul class="d-list">
      ${items}
    </ul>`
  );
}

function extension(c, x, manager) {
  var key = "extension:" + c.number;
  function send(ev) {
    ev.preventDefault();
    var approve = !ev.submitter || ev.submitter.value !== "refuse";
    var note = ev.currentTarget.elements.note.value.trim();
    page.post(key, "/cases/" + encodeURIComponent(c.number) + "/extension/decision", {
      approve: approve,
      note: note || null,
    });
  }
  var decide = nothing;
  if (x.state === "requested" && manager) {
    decide = actionForm(
      key,
      function (busy) {
        return html`${field("note", tx("c_decision_note", "审批意见（可不填）"), tx("c_decision_hint", "例如：同意，请按期办结"), false)}
          <div class="d-buttons">
            ${submit(tx("c_act_extension_approved", "批准延期"), "primary", "approve", busy)}
            ${submit(tx("c_refuse", "不批准"), "secondary danger", "refuse", busy)}
          </div>`;
      },
      send
    );
  } else if (x.state === "requested") {
    decide = html`<div class="muted">${tx("c_wait_manager", "等待大厅管理员审批")}</div>`;
  }
  return html`<li class="ext ext-${x.state}" data-extension=${x.id} data-state=${x.state}>
    <div class="ext-top">
      <b>${tx("b_extension_days", "延期 {n} 个工作日", { n: x.days })}</b>
      <span class="badge ext-badge">${word(CT.extension, x.state)}</span>
      <span class="muted">${localTime(x.requested_at, timezone())}</span>
    </div>
    <div class="ext-reason">${tx("c_reason_is", "理由：{reason}", { reason: x.reason })}</div>
    ${
      x.decided_at
        ? html`<div class="muted">${tx("c_decided", "审批：{at}", { at: localTime(x.decided_at, timezone()) }) + (x.note ? " · " + x.note : "")}</div>`
        : nothing
    }
    ${decide}
  </li>`;
}

function escalationSection(c) {
  var items = c.escalations.map(function (e) {
    var reply = e.reply
      ? tx("c_reply", "回复（{at}）：{reply}", { at: localTime(e.replied_at, timezone()), reply: e.reply })
      : tx("c_no_reply", "尚未回复");
    return html`<li>
      <div>${tx("c_escalated_to", "{at} 上报 {unit}", { at: localTime(e.reported_at, timezone()), unit: e.to_unit })}</div>
      <div class="muted">${tx("c_reason_is", "理由：{reason}", { reason: e.reason })}</div>
      <div class=${e.reply ? "" : "muted"}>${reply}</div>
    </li>`;
  });
  return section(
    null,
    tx("c_act_escalated", "上报"),
    "Escalations",
    html`<ul class="d-list">
      ${items}
    </ul>`
  );
}

function actorText(actor) {
  if (!actor) return "";
  if (actor.indexOf("job:") === 0) return tx("c_system", "系统巡检");
  var name = actor.replace(/^(user|device):/, "");
  var at = name.indexOf("@");
  if (at > 0) return name.slice(0, at) + " · " + hallName(name.slice(at + 1)); // another hall's staff
  var clerks = (state.snap && state.snap.clerks) || [];
  for (var i = 0; i < clerks.length; i++) if (clerks[i].username === name) return clerks[i].name;
  return name;
}

function detailsText(action, d) {
  d = d || {};
  if (action === "case.colour") {
    return (T.colourLetter(d.from) || "—") + " → " + (T.colourLetter(d.to) || "—");
  }
  var parts = [];
  if (d.missing) parts.push(tx("c_h_missing", "缺：{list}", { list: d.missing.join(listSep()) }));
  if (d.received) parts.push(tx("c_h_received", "收到：{list}", { list: d.received.join(listSep()) }));
  if (d.days) parts.push(tx("c_working_days", "{n} 个工作日", { n: d.days }));
  if (d.reason) parts.push(d.reason);
  if (d.action) parts.push(tx("c_h_action", "措施：{action}", { action: d.action }));
  if (d.to) parts.push(tx("c_h_to", "至 {to}", { to: hallName(d.to) }));
  if (d.unit) {
    var unit = action === "case.referred" ? unitOf(d.to, d.unit) : unitName(d.unit);
    parts.push(tx("c_h_unit", "部门 {unit}", { unit: unit }));
  }
  if (d.from && d.origin) {
    parts.push(tx("c_h_from", "来自 {hall} {case}", { hall: hallName(d.from), case: d.origin }));
  }
  if (d.as) parts.push(tx("c_h_as", "接收为 {case}", { case: d.as }));
  if (d.late) parts.push(tx("c_h_late", "逾期上报"));
  if (d.reply) parts.push(d.reply);
  if (d.result) parts.push(d.result);
  if (d.note) parts.push(d.note);
  if (d.ticket && action === "case.accepted")
    parts.push(tx("c_h_ticket", "号票 {ticket}", { ticket: d.ticket }));
  if (d.repeat_of) parts.push(tx("c_h_repeat", "重访，前次 {case}", { case: d.repeat_of }));
  return parts.join(" · ");
}

/** A case's history, oldest first (the open case's, or an earlier leg's). */
export function timeline(entries) {
  return html`<ol class="timeline">
    ${(entries || []).map(function (h) {
      var what = h.action === "case.referred" && h.details && h.details.direction;
      var more = detailsText(h.action, h.details);
      return html`<li data-action=${h.action}>
        <span class="h-at">${localTime(h.at, timezone())}</span
        ><b class="h-what">${what ? word(CT.direction, what) : word(CT.action, h.action)}</b
        ><span class="h-who">${actorText(h.actor)}</span
        >${more ? html`<span class="h-details">${more}</span>` : nothing}
      </li>`;
    })}
  </ol>`;
}
