/* The reviews page's 回访 tab (lit-html): one row per sampled finished case, keyed by its id; a
 * pending one has the form that records the callback (the resident's verdict) or that they could
 * not be reached. Drawn again from state on every load (a live event reloads the list): lit-html
 * keeps the same rows and inputs, so what is typed and the caret stay.
 */
import { html, nothing, render } from "/vendor/lit-html/lit-html.js";
import { repeat } from "/vendor/lit-html/directives/repeat.js";
import {
  RESULT,
  RESULTS,
  T,
  actionForm,
  choice,
  field,
  localTime,
  page,
  post,
  say,
  state,
  submit,
  tx,
  word,
} from "./reviews-common.js";

const FOLLOW_STATE = {
  pending: T.lb("follow_up_state", "pending"),
  done: T.lb("follow_up_state", "done"),
  unreachable: T.lb("follow_up_state", "unreachable"),
};

/** The tab's count and the table's rows, from state. */
export function renderFollows() {
  var pending = state.pendingFollows || [];
  var count = document.getElementById("count-follow-ups");
  count.textContent = pending.length;
  count.classList.toggle("hot", pending.length > 0);
  render(rowsView(), document.querySelector("#follow-list tbody"));
}

function rowsView() {
  if (!state.follows) return nothing;
  if (!state.follows.length) {
    return html`<tr class="empty">
      <td colspan="7">
        ${
          state.fstate === "pending"
            ? tx("r_no_pending_follow_ups", "没有待回访的办件 · Nothing here")
            : tx("r_no_follow_ups", "没有符合条件的回访 · Nothing here")
        }
      </td>
    </tr>`;
  }
  return repeat(
    state.follows,
    function (f) {
      return f.id;
    },
    followRow
  );
}

function followRow(f) {
  return html`<tr class=${"follow f-" + f.state} data-follow-up=${f.id} data-case=${f.case} data-state=${f.state}>
    <td class="r-number"><a href=${"/cases?case=" + encodeURIComponent(f.case) + "&state=all"}>${f.case}</a></td>
    <td class="f-item">${f.item_name}</td>
    <td class="f-name">${f.applicant || "—"}</td>
    <td class="f-phone">${f.phone || "—"}</td>
    <td class="f-finished">${localTime(f.finished_at)}</td>
    <td class="f-state">${word(FOLLOW_STATE, f.state)}</td>
    <td class="f-record">${f.state === "pending" ? followForm(f) : recorded(f)}</td>
  </tr>`;
}

function recorded(f) {
  if (!f.result && !f.note) return html`<span class="muted">—</span>`;
  return html`${f.result ? html`<b class=${"rating rating-" + f.result}>${word(RESULT, f.result)}</b>` : nothing}${
    f.note ? html`<span class="f-note">${f.note}</span>` : nothing
  }`;
}

function followForm(f) {
  var key = "follow:" + f.id;
  var rows = [["", tx("r_pick", "请选择…")]].concat(
    RESULTS.map(function (r) {
      return [r[0], T.t(r[1])];
    })
  );
  function onSubmit(ev) {
    ev.preventDefault();
    var form = ev.target;
    var result = form.elements.result;
    var st = ev.submitter && ev.submitter.value === "unreachable" ? "unreachable" : "done";
    if (st === "done" && !result.value) {
      say(key, "error", tx("r_need_verdict", "请选择群众对办理结果的评价。 · Pick the resident's verdict."));
      result.focus();
      return;
    }
    var body = { state: st, note: form.elements.note.value.trim() };
    if (st === "done") body.result = result.value;
    post(key, "/follow-ups/" + f.id, body, form, page.loadFollows);
  }
  return actionForm(
    key,
    "follow-form",
    function (busy) {
      return html`<div class="follow-row">
        ${choice(tx("r_verdict", "群众评价"), "result", rows, "")}
        ${field("note", tx("r_remark", "备注"), tx("r_remark_hint", "例如：群众对办理结果满意"), false)}
        <div class="d-buttons">
          ${submit(tx("r_record_follow_up", "记录回访"), "primary", "done", busy)}
          ${submit(tx("r_unreachable", "联系不上"), "secondary", "unreachable", busy)}
        </div>
      </div>`;
    },
    onSubmit
  );
}
