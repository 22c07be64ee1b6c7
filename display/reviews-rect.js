/* The reviews page's 差评整改 tab (lit-html): one card per bad rating, keyed by its id, with its
 * deadline, the four steps (stepper, log, the form for the next one), its appeal and a manager's
 * decision. Drawn again from state on every load (a live event reloads the list) and every minute:
 * lit-html keeps the same elements, so what is typed, the caret and an open <details> stay.
 */
import { html, nothing, render } from "/vendor/lit-html/lit-html.js";
import { repeat } from "/vendor/lit-html/directives/repeat.js";
import { deadlineText } from "./live.js";
import {
  RESULT,
  STEPS,
  STEP_HINT,
  T,
  actionForm,
  choice,
  field,
  localTime,
  need,
  page,
  post,
  rich,
  stepText,
  staffName,
  state,
  submit,
  tx,
  word,
} from "./reviews-common.js";

const RECT_STATE = {
  open: { label: T.lb("rectification_state", "open"), en: "open" },
  done: { label: T.lb("rectification_state", "done"), en: "done" },
  void: { label: T.lb("rectification_state", "void"), en: "void" },
};
const APPEAL_STATE = {
  pending: T.lb("appeal_state", "pending"),
  upheld: T.lb("appeal_state", "upheld"),
  rejected: T.lb("appeal_state", "rejected"),
};

function isOverdue(r, now) {
  return r.state === "open" && Date.parse(r.deadline_at) < now;
}

/** The tab's count, the summary line and the list of cards, from state. */
export function renderReviews() {
  var now = Date.now();
  var open = state.openRects || [];
  var late = open.filter(function (r) {
    return isOverdue(r, now);
  }).length;
  var count = document.getElementById("count-reviews");
  count.textContent = open.length;
  count.classList.toggle("hot", open.length > 0);
  render(
    state.openRects
      ? rich("r_summary", "待整改 {open} 条 · 已逾期 {late} 条", {
          open: html`<b>${open.length}</b>`,
          late: html`<b class=${late ? "late" : ""}>${late}</b>`,
        })
      : nothing,
    document.getElementById("reviews-summary")
  );
  render(listView(now), document.getElementById("rect-list"));
}

function listView(now) {
  if (!state.rects) return nothing;
  if (!state.rects.length) return emptyNote();
  return repeat(
    state.rects,
    function (r) {
      return r.id;
    },
    function (r) {
      return rectCard(r, now);
    }
  );
}

function emptyNote() {
  var s = state.rstate;
  return html`<div class="panel empty-note">
    <p>
      ${
        s === "open"
          ? tx("r_empty_open", "没有待整改的差评。")
          : s === "done"
            ? tx("r_empty_done", "还没有整改完成的差评。")
            : s === "void"
              ? tx("r_empty_void", "没有作废的差评。")
              : tx("r_empty_all", "还没有差评。")
      }
    </p>
    <p class="en">Nothing here.</p>
  </div>`;
}

function rectCard(r, now) {
  var late = isOverdue(r, now);
  var st = RECT_STATE[r.state];
  var appeal = (r.appeal && r.appeal.state) || "";
  var steps = r.steps || [];
  return html`<article
    class=${"panel rect rect-" + r.state + (late ? " late" : "")}
    data-rectification=${r.id}
    data-ticket=${r.ticket}
    data-state=${r.state}
    data-next=${r.next_step || ""}
    data-appeal=${appeal}
    data-overdue=${late ? "1" : "0"}
  >
    <header class="rect-head">
      <h3 class="rect-ticket">${r.ticket}</h3>
      <span class=${"rating rating-" + r.rating}>${RESULT[r.rating] ? T.t(RESULT[r.rating]) : r.rating_zh}</span>
      <span class="badge rect-badge" title=${st ? st.en : ""}>${st ? T.t(st.label) : r.state}</span>
      ${
        appeal
          ? html`<span class=${"badge appeal-badge ab-" + appeal}>${word(APPEAL_STATE, appeal)}</span>`
          : nothing
      }
      <span class="rect-id muted">#${r.id}</span>
    </header>
    <dl class="facts rect-facts">
      <dt>${tx("r_rated_at", "评价时间")}</dt>
      <dd>${localTime(r.opened_at)}</dd>
      <dt>${tx("r_deadline", "整改时限")}</dt>
      <dd><span class="rect-due">${deadlineText(r.deadline_at)}${dueMark(r, late, now)}</span></dd>
      <dt>${tx("r_comment", "群众留言")}</dt>
      <dd>
        ${r.comment ? "「" + r.comment + "」" : html`<span class="muted">${tx("b_no_comment", "无留言")}</span>`}
      </dd>
    </dl>
    ${stepper(r)} ${steps.length ? stepLog(steps) : nothing}
    ${r.state === "open" && r.next_step && page.staff.isManager() ? stepForm(r) : nothing}
    ${appealSection(r)}
  </article>`;
}

/** 「剩 3 天」 / 「已逾期 2 天」 while open; 按期 / 逾期整改 once done. */
function dueMark(r, late, now) {
  if (r.state === "open") {
    return late
      ? html`<b class="due-late"
          >${" " + tx("r_late_by", "已逾期 {t}", { t: T.amount(Date.parse(r.deadline_at) - now) })}</b
        >`
      : html`<b class="due-left">${" " + T.deadlineLeft(r.deadline_at, now)}</b>`;
  }
  if (r.state !== "done") return nothing;
  var inform = (r.steps || []).filter(function (s) {
    return s.step === "inform";
  })[0];
  if (!inform) return nothing;
  var onTime = Date.parse(inform.at) <= Date.parse(r.deadline_at);
  return html`<b class=${onTime ? "due-ok" : "due-late"}
    >${" " + (onTime ? tx("r_done_on_time", "按期整改") : tx("r_done_late", "逾期整改"))}</b
  >`;
}

function doneSteps(r) {
  var done = {};
  (r.steps || []).forEach(function (s) {
    done[s.step] = s;
  });
  return done;
}

function stepper(r) {
  var done = doneSteps(r);
  return html`<ol class="stepper">
    ${STEPS.map(function (s, i) {
      var cls = done[s.key] ? "done" : r.next_step === s.key ? "next" : "todo";
      return html`<li class=${"st st-" + cls} data-step=${s.key}>
        <i class="st-n">${done[s.key] ? "✓" : i + 1}</i
        ><span class="st-text">${T.t(s.label)}<span class="en">${s.key}</span></span>
      </li>`;
    })}
  </ol>`;
}

function stepLog(steps) {
  return html`<ol class="step-log">
    ${steps.map(function (s) {
      return html`<li data-step=${s.step}>
        <b class="sl-what">${stepText(s.step)}</b><span class="sl-at">${localTime(s.at)}</span
        ><span class="sl-by">${staffName(s.by)}</span><span class="sl-note">${s.note}</span>
      </li>`;
    })}
  </ol>`;
}

function stepForm(r) {
  var key = "step:" + r.id;
  var done = doneSteps(r);
  var picked = state.stepPick[r.id] || r.next_step;
  var rows = STEPS.map(function (s, i) {
    var mark = done[s.key]
      ? tx("r_step_done", "（已完成）")
      : s.key === r.next_step
        ? tx("r_step_next", "（下一步）")
        : "";
    return [s.key, i + 1 + " " + T.t(s.label) + mark, !!done[s.key]];
  });
  function onPick(ev) {
    state.stepPick[r.id] = ev.target.value; // the note's hint follows the step picked
    page.render();
  }
  function onSubmit(ev) {
    ev.preventDefault();
    var form = ev.target;
    var note = form.elements.note;
    if (!need(key, note, tx("r_need_note", "请填写这一步的情况说明。 · A note is required."))) return;
    var body = { step: form.elements.step.value, note: note.value.trim() };
    post(key, "/rectifications/" + r.id + "/steps", body, form, function () {
      delete state.stepPick[r.id];
      page.loadReviews();
    });
  }
  return actionForm(
    key,
    "step-form",
    function (busy) {
      return html`<div class="step-row">
        ${choice(tx("r_step_label", "记录步骤 Step"), "step", rows, r.next_step, onPick)}
        ${field("note", tx("r_note_label", "情况说明 Note"), T.t(STEP_HINT[picked]), true)}
        <div class="d-buttons">${submit(tx("r_record", "记录"), "primary", "", busy)}</div>
      </div>`;
    },
    onSubmit
  );
}

function appealSection(r) {
  var a = r.appeal || {};
  var cls = "appeal" + (a.state ? " appeal-" + a.state : "");
  if (a.state) {
    var decided = a.state !== "pending";
    var waiting = page.staff.isManager()
      ? decisionForm(r)
      : html`<p class="muted">${tx("r_wait_manager", "等待大厅管理员决定")}</p>`;
    return html`<div class=${cls}>
      <dl class="facts small">
        <dt>${tx("r_appeal_reason", "申诉理由")}</dt>
        <dd>${a.reason || "—"}</dd>
        ${
          decided
            ? html`<dt>${word(APPEAL_STATE, a.state)}</dt>
              <dd>${a.note || "—"}</dd>`
            : nothing
        }
      </dl>
      ${decided ? nothing : waiting}
    </div>`;
  }
  if (r.state !== "open") return html`<div class=${cls}></div>`;
  return html`<div class=${cls}>
    <details class="appeal-open">
      <summary>${tx("r_appeal", "申诉（误评、恶意评价）") + " "}<span class="en">Appeal</span></summary>
      ${appealForm(r)}
    </details>
  </div>`;
}

function appealForm(r) {
  var key = "appeal:" + r.id;
  function onSubmit(ev) {
    ev.preventDefault();
    var form = ev.target;
    var reason = form.elements.reason;
    if (!need(key, reason, tx("r_need_reason", "请填写申诉理由。 · A reason is required."))) return;
    var body = { reason: reason.value.trim() };
    post(key, "/rectifications/" + r.id + "/appeal", body, form, page.loadReviews);
  }
  return actionForm(
    key,
    "appeal-form",
    function (busy) {
      return html`${field(
        "reason",
        tx("r_appeal_reason", "申诉理由"),
        tx("r_appeal_hint", "例如：群众误触评价器，已电话确认；或：与办理无关的恶意差评"),
        true
      )}
        <div class="d-buttons">${submit(tx("r_appeal_submit", "提交申诉"), "secondary", "", busy)}</div>`;
    },
    onSubmit
  );
}

function decisionForm(r) {
  var key = "decision:" + r.id;
  function onSubmit(ev) {
    ev.preventDefault();
    var form = ev.target;
    var note = form.elements.note;
    if (!need(key, note, tx("r_need_decision", "请填写决定意见。 · A note is required."))) return;
    var upheld = !ev.submitter || ev.submitter.value !== "reject";
    var body = { upheld: upheld, note: note.value.trim() };
    post(key, "/rectifications/" + r.id + "/appeal/decision", body, form, page.loadReviews);
  }
  return actionForm(
    key,
    "decision-form",
    function (busy) {
      return html`${field(
        "note",
        tx("r_decision_note", "决定意见"),
        tx("r_decision_hint", "例如：调取监控核实为误触，差评不计入统计"),
        true
      )}
        <div class="d-buttons">
          ${submit(tx("r_uphold", "申诉成立，差评作废"), "primary", "uphold", busy)}
          ${submit(tx("r_reject", "驳回申诉，继续整改"), "secondary danger", "reject", busy)}
        </div>`;
    },
    onSubmit
  );
}
