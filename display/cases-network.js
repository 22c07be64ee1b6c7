/* The county network on the cases page (lit-html): 上报/交办 an open case (up to the hall above
 * by default, or down to a hall directly below, with the reason), where a case was referred to,
 * the halls it came from (each one's number and history), and the inbox (待接收转办件): a
 * referral taken in as one of this hall's items (接收) or, for managers, sent back (退回).
 */
import { html, nothing } from "/vendor/lit-html/lit-html.js";
import { repeat } from "/vendor/lit-html/directives/repeat.js";
import {
  CT,
  T,
  actionForm,
  dropdown,
  field,
  localTime,
  page,
  say,
  section,
  state,
  submit,
  targetOf,
  timezone,
  tx,
  unitName,
  unitOf,
  word,
} from "./cases-common.js";
import { timeline } from "./cases-detail.js";

/** 「已上报 测试县政务服务中心 · COUNTY-20261123-0001」 or 「… · 待接收」. */
export function referralTag(r) {
  return tx("c_ref_tag", "已{dir} {hall} · {now}", {
    dir: word(CT.direction, r.direction),
    hall: T.name(r.to_hall.name),
    now: r.received_as || tx("c_ref_sent", "待对方接收"),
  });
}

/** 「上报 · 来自 青山镇 QS-…」: the hall the case came from. */
export function cameFromTag(came) {
  var from = tx("c_h_from", "来自 {hall} {case}", { hall: T.name(came.hall.name), case: came.number });
  return word(CT.direction, came.referral.direction) + " · " + from;
}

function referralLine(r) {
  var where = T.name(r.to_hall.name) + (r.to_unit ? "（" + unitOf(r.to_hall.code, r.to_unit) + "）" : "");
  return tx("c_ref_to", "{dir}至 {hall}", { dir: word(CT.direction, r.direction), hall: where });
}

/** 上报/交办 an open case: the target (up by default), its department (optional), reason. */
export function referSection(c) {
  var t = state.targets;
  var rows = [];
  if (t.up) rows.push([t.up.code, tx("c_refer_up_opt", "上报 · {hall}", { hall: T.name(t.up.name) })]);
  (t.down || []).forEach(function (d) {
    rows.push([d.code, tx("c_refer_down_opt", "交办 · {hall}", { hall: T.name(d.name) })]);
  });
  var to = state.referTo[c.number] || rows[0][0];
  var chosen = targetOf(to);
  var units = [["", tx("c_refer_any_unit", "（不指定部门）")]].concat(
    ((chosen && chosen.departments) || []).map(function (d) {
      return [d.code, T.name(d.name) + "（" + d.code + "）"];
    })
  );
  var key = "refer:" + c.number;
  function pick(ev) {
    state.referTo[c.number] = ev.target.value;
    page.render();
  }
  function send(ev) {
    ev.preventDefault();
    var form = ev.currentTarget;
    var reason = form.elements.reason.value.trim();
    if (!reason) {
      say(key, "error", tx("c_refer_need_reason", "请填写移交理由。"));
      return;
    }
    var body = { to_hall: form.elements.to_hall.value, reason: reason };
    if (form.elements.to_unit.value) body.to_unit = form.elements.to_unit.value;
    page.post(key, "/cases/" + encodeURIComponent(c.number) + "/refer", body);
  }
  var due =
    (t.refer_up || []).indexOf(c.item) >= 0 && t.up
      ? html`<p class="d-due">${tx("c_refer_due_today", "本事项超出本级权限，应于受理当日上报。")}</p>`
      : nothing;
  var form = actionForm(
    key,
    function (busy) {
      return html`${dropdown(tx("c_refer_target", "移交至"), "to_hall", rows, to, pick)}
        ${dropdown(tx("c_refer_unit", "对方部门（可不选）"), "to_unit", units, "")}
        ${field(
          "reason",
          tx("c_refer_reason", "移交理由"),
          tx("c_refer_reason_hint", "例如：超出镇级权限，需县公安户籍审批"),
          true
        )}
        <div class="d-buttons">${submit(tx("c_refer_submit", "确认移交"), "primary", "", busy)}</div>`;
    },
    send
  );
  return section("d-refer", tx("c_refer_title", "上报/交办"), "Refer up or down", html`${due}${form}`);
}

/** Where this case was referred to: the receiving hall, its number, or why it came back. */
export function referralsSection(c) {
  var items = repeat(
    c.referrals,
    function (r) {
      return r.id;
    },
    function (r) {
      var now =
        r.state === "accepted"
          ? tx("c_ref_accepted", "已接收，编号 {case}", { case: r.received_as })
          : r.state === "returned"
            ? T.label("referral_state", "returned")
            : tx("c_ref_sent", "待对方接收");
      return html`<li class="ref ref-${r.state}" data-referral=${r.id} data-state=${r.state}>
        <div class="ext-top">
          <b>${referralLine(r)}</b><span class="badge ext-badge">${now}</span
          ><span class="muted">${localTime(r.sent_at, timezone())}</span>${
            r.late ? html`<span class="tag">${tx("c_h_late", "逾期上报")}</span>` : nothing
          }
        </div>
        <div class="ext-reason">${tx("c_reason_is", "理由：{reason}", { reason: r.reason })}</div>
        ${
          r.return_reason
            ? html`<div class="ext-reason">${tx("c_ref_return_reason", "退回理由：{reason}", { reason: r.return_reason })}</div>`
            : nothing
        }
      </li>`;
    }
  );
  return section(
    "d-referrals",
    tx("c_referrals", "上报/交办记录"),
    "Referrals",
    html`<ul class="d-list">
      ${items}
    </ul>`
  );
}

/** Where the case came from, nearest first: each hall's case and its history. */
export function legsSection(c) {
  var legs = c.referred_from.map(function (leg) {
    var r = leg.referral;
    var line =
      referralLine(r) +
      " · " +
      localTime(r.sent_at, timezone()) +
      " · " +
      tx("c_reason_is", "理由：{reason}", { reason: r.reason });
    return html`<div class="d-leg" data-hall=${leg.hall.code} data-number=${leg.number}>
      <div class="ext-top">
        <b class="leg-hall">${T.name(leg.hall.name)}</b><span class="leg-number">${leg.number}</span
        ><span class="muted">${leg.item_name + " · " + localTime(leg.accepted_at, timezone())}</span>
      </div>
      <div class="ext-reason">${line}</div>
      ${timeline(leg.history)}
    </div>`;
  });
  return section("d-legs", tx("c_legs", "来源办件"), "Earlier legs", legs);
}

// ---------------------------------------------------------------- inbox (待接收转办件)
/** The inbox's content: its referrals, each with 接收 (and 退回 for managers). */
export function inboxView() {
  var list = state.inbox || [];
  if (!list.length) return html`<p class="muted">${tx("c_inbox_none", "暂无待接收的转办件")}</p>`;
  var items = repeat(
    list,
    function (r) {
      return r.id;
    },
    inboxItem
  );
  return html`<ul class="d-list inbox-list">
    ${items}
  </ul>`;
}

function inboxItem(r) {
  var from = tx("c_inbox_from", "{dir}自 {hall} · {case}", {
    dir: word(CT.direction, r.direction),
    hall: T.name(r.from_hall.name),
    case: r.case,
  });
  var who = r.item_name + " · " + [r.applicant.name, r.applicant.phone].filter(Boolean).join(" · ");
  return html`<li class="ref ref-in" data-referral=${r.id} data-case=${r.case}>
    <div class="ext-top">
      <b>${from}</b><span class="muted">${who}</span
      ><span class="muted">${tx("c_inbox_sent_at", "移交时间 {at}", { at: localTime(r.sent_at, timezone()) })}</span>${
        r.late ? html`<span class="tag">${tx("c_h_late", "逾期上报")}</span>` : nothing
      }
    </div>
    <div class="ext-reason">${tx("c_reason_is", "理由：{reason}", { reason: r.reason })}</div>
    ${
      r.to_unit
        ? html`<div class="muted">${tx("c_inbox_unit", "指定部门：{unit}", { unit: unitName(r.to_unit) })}</div>`
        : nothing
    }
    ${acceptForm(r)} ${page.staff.isManager() ? returnForm(r) : nothing}
  </li>`;
}

function acceptForm(r) {
  var items = [["", tx("c_inbox_same_item", "同一事项（{code}）", { code: r.item })]];
  ((state.snap && state.snap.items) || []).forEach(function (i) {
    if (i.code !== r.item) items.push([i.code, i.name + "（" + i.code + "）"]);
  });
  var units = [["", tx("c_inbox_unit_default", "（按上报指定或事项默认）")]];
  ((state.snap && state.snap.units) || []).forEach(function (u) {
    units.push([u.code, u.name]);
  });
  var key = "accept:" + r.id;
  function send(ev) {
    ev.preventDefault();
    var form = ev.currentTarget;
    var body = {};
    if (form.elements.item.value) body.item = form.elements.item.value;
    if (form.elements.handling_unit.value) body.handling_unit = form.elements.handling_unit.value;
    page.post(key, "/referrals/" + r.id + "/accept", body).then(function (result) {
      if (result && result.case) page.select(result.case.number); // the new case, with its legs
    });
  }
  return actionForm(
    key,
    function (busy) {
      return html`${dropdown(tx("c_inbox_item", "接收为本中心事项"), "item", items, "")}
        ${dropdown(tx("c_inbox_unit_pick", "承办单位（可不选）"), "handling_unit", units, "")}
        <div class="d-buttons">${submit(tx("c_inbox_accept", "接收"), "primary", "", busy)}</div>`;
    },
    send
  );
}

function returnForm(r) {
  var key = "return:" + r.id;
  function send(ev) {
    ev.preventDefault();
    var reason = ev.currentTarget.elements.reason.value.trim();
    if (!reason) {
      say(key, "error", tx("c_inbox_need_reason", "请填写退回理由。"));
      return;
    }
    page.post(key, "/referrals/" + r.id + "/return", { reason: reason });
  }
  return actionForm(
    key,
    function (busy) {
      return html`${field(
        "reason",
        tx("c_inbox_return_reason", "退回理由"),
        tx("c_inbox_return_hint", "例如：属镇级权限，请镇里办理"),
        false
      )}
        <div class="d-buttons">${submit(tx("c_inbox_return", "退回"), "secondary danger", "", busy)}</div>`;
    },
    send
  );
}
