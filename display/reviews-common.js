/* What the reviews page's modules share (reviews.js, reviews-rect.js, reviews-follow.js,
 * reviews-reports.js): the page's state, the page's actions (filled in by reviews.js: staff,
 * loadReviews, loadFollows, render), the label tables, time and error texts, and the action forms.
 *
 * Action forms keep no DOM state of their own: what a form says (saving, saved, an error) is in
 * state.forms by the form's key, so a redraw from a live event draws it again; what someone is
 * typing (and where the caret is, what <details> is open) stays in the page because lit-html keeps
 * the same elements across redraws (the lists are keyed by id).
 */
import { html, nothing } from "/vendor/lit-html/lit-html.js";
import { newRequestId } from "./live.js";
import { staffText } from "./staff.js";
import { localTime as hallTime } from "./case-parts.js";

export { field, submit } from "./case-parts.js";

export const T = staffText; // 中文 / English (staff.js)
export const tx = T.tx;
const k = T.k;

export const state = {
  snap: null,
  tab: "reviews",
  rstate: "open",
  fstate: "pending",
  rects: null,
  openRects: null, // the open ones, for the tab count and the summary
  follows: null,
  pendingFollows: null,
  loads: { reviews: 0, follows: 0 },
  reloads: 0,
  pending: {}, // action key -> request id, reused when the same action is retried
  forms: {}, // action key -> {kind: "" | "ok" | "error", text, busy}
  stepPick: {}, // rectification id -> the step picked in its form (for the note's hint)
  downloads: 0,
};

/** The page's actions, set by reviews.js: {staff, loadReviews(), loadFollows(), render()}. */
export const page = {};

export const STEPS = [
  { key: "callback", label: T.lb("rectification_step", "callback") },
  { key: "verify", label: T.lb("rectification_step", "verify") },
  { key: "fix", label: T.lb("rectification_step", "fix") },
  { key: "inform", label: T.lb("rectification_step", "inform") },
];
const STEP = {};
STEPS.forEach(function (s) {
  STEP[s.key] = s.label;
});
export function stepText(key) {
  return STEP[key] ? T.t(STEP[key]) : key;
}
export const STEP_HINT = {
  callback: k("r_hint_callback", "例如：电话回访群众，了解到等候时间过长"),
  verify: k("r_hint_verify", "例如：调取叫号记录和监控，核实属实"),
  fix: k("r_hint_fix", "例如：高峰时段加开窗口，对窗口人员进行提醒"),
  inform: k("r_hint_inform", "例如：已电话告知群众整改结果，群众表示认可"),
};
export const RESULTS = [
  ["very_satisfied", T.lb("rating", "very_satisfied")],
  ["satisfied", T.lb("rating", "satisfied")],
  ["basically_satisfied", T.lb("rating", "basically_satisfied")],
  ["dissatisfied", T.lb("rating", "dissatisfied")],
  ["very_dissatisfied", T.lb("rating", "very_dissatisfied")],
];
export const RESULT = {};
RESULTS.forEach(function (r) {
  RESULT[r[0]] = r[1];
});
const CONFLICT = {
  rectification_closed: k("r_conflict_closed", "这条整改已经结束，不能再记录。"),
  appeal_exists: k("r_conflict_appeal_exists", "这条差评已经提出过申诉。"),
  no_pending_appeal: k("r_conflict_no_pending_appeal", "这条差评没有待决定的申诉。"),
  follow_up_done: k("r_conflict_follow_up_done", "这条回访已经记录过了。"),
  idempotency_conflict: k("r_conflict_idempotency", "同一请求编号内容不同，请刷新后重试。"),
};

/** A table's entry in the chosen language; an unknown code as it is. */
export function word(table, code) {
  return table[code] ? T.t(table[code]) : code;
}

/** 「（…）」 in Chinese, " (…)" in English. */
export function paren(text) {
  return T.english() ? " (" + text + ")" : "（" + text + "）";
}

export const rich = T.rich;

// ---------------------------------------------------------------- time and names
export function tz() {
  return state.snap && state.snap.hall && state.snap.hall.timezone;
}

/** A time in the hall's own zone (case-parts.js localTime). */
export function localTime(iso) {
  return hallTime(iso, tz());
}

export function staffName(username) {
  var clerks = (state.snap && state.snap.clerks) || [];
  for (var i = 0; i < clerks.length; i++) {
    if (clerks[i].username === username) return clerks[i].name;
  }
  return username || "";
}

// ---------------------------------------------------------------- errors
function errorText(err) {
  if (!err.status) {
    return tx(
      "unreachable_again",
      "无法连接服务器，请再试一次（不会重复提交） · server unreachable, try again"
    );
  }
  if (err.code === "step_out_of_order") {
    var m = /next step is (\w+), not (\w+)/.exec(err.message || "");
    var said = m
      ? tx("r_out_of_order", "步骤顺序不对：下一步应为「{next}」，不能先记录「{step}」。", {
          next: stepText(m[1]),
          step: stepText(m[2]),
        })
      : tx("r_out_of_order_plain", "步骤顺序不对。");
    return said + paren(err.status + " " + T.msg(err.message));
  }
  if (err.status === 403) {
    return tx("r_managers_only_act", "仅大厅管理员可操作") + paren("403 " + T.msg(err.message));
  }
  return (
    (CONFLICT[err.code] ? T.t(CONFLICT[err.code]) + (T.english() ? " " : "") : "") +
    T.msg(err.message) +
    paren(err.status)
  );
}

// ---------------------------------------------------------------- action forms
/** A form for one action of this page: its fields and buttons (given busy), then its message line
 * (what it says is kept in state.forms by its key). */
export function actionForm(key, className, body, onSubmit) {
  var f = state.forms[key] || {};
  return html`<form class=${"d-action " + className} data-action=${key} novalidate @submit=${onSubmit}>
    ${body(!!f.busy)}
    <div class=${"d-msg" + (f.kind ? " " + f.kind : "")} role="alert">${f.text || ""}</div>
  </form>`;
}

/** Say on the form (and keep in state) what became of its action. */
export function say(key, kind, text, busy) {
  state.forms[key] = { kind: kind, text: text, busy: !!busy };
  page.render();
}

/** A <select> in a label; rows are [value, text, disabled]; the option equal to value is
 * selected (the default: a form.reset() goes back to it). */
export function choice(label, name, rows, value, onChange) {
  return html`<label class="d-field"
    >${label}<select name=${name} @change=${onChange || nothing}>
      ${rows.map(function (r) {
        return html`<option value=${r[0]} ?selected=${r[0] === value} ?disabled=${!!r[2]}>${r[1]}</option>`;
      })}
    </select></label
  >`;
}

/** A required field left empty: say so on the form and put the caret in it. */
export function need(key, input, text) {
  if (input.value.trim()) return true;
  say(key, "error", text);
  input.focus();
  return false;
}

/** POST an action with its request id (kept for a retry after a network failure); on success the
 * form is cleared (the redraw that follows starts from the new state) and then() runs. */
export function post(key, path, body, form, then) {
  var rid = state.pending[key] || (state.pending[key] = newRequestId());
  body.request_id = rid;
  say(key, "", tx("r_saving", "提交中… · saving"), true);
  return page.staff.api("POST", path, { body: body, requestId: rid }).then(
    function (result) {
      delete state.pending[key];
      form.reset();
      say(key, "ok", tx("saved", "已保存 · saved"));
      if (then) then(result);
      return result;
    },
    function (err) {
      if (err.status === 401) {
        say(key, "", "");
        page.staff.sessionEnded();
        return;
      }
      if (err.status) delete state.pending[key]; // answered: a new attempt is a new request
      say(key, "error", errorText(err));
    }
  );
}
