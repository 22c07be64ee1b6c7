/* The pieces of a case that /cases and /county both draw with lit-html: a detail pane's sections,
 * facts and one-action forms, and the cells of a case's row in the list.
 */
import { html, nothing, render } from "/vendor/lit-html/lit-html.js";
import { COLOURS, deadlineText, el, localParts, pad } from "./live.js";
import { caseText, staffText } from "./staff.js";

var T = staffText;
var tx = T.tx;

/** The warning colours, most urgent first, then "" (no colour: ended or not timed): the order of
 * live.js's COLOURS. */
export const COLOUR_ORDER = Object.keys(COLOURS).concat([""]);

/** "2026-11-16 09:30" (or the day alone) in the given time zone (the browser's when none). */
export function localTime(iso, timezone, dateOnly) {
  if (!iso) return "—";
  var p = localParts(new Date(iso), timezone);
  var day = p.year + "-" + pad(p.month) + "-" + pad(p.day);
  return dateOnly ? day : day + " " + pad(p.hour) + ":" + pad(p.minute);
}

/** What a failed request says: the server's refusal, or that it could not be reached. */
export function errorText(err) {
  return err.status
    ? T.msg(err.message)
    : tx("c_unreachable_retry", "无法连接服务器，稍后自动重试 · server unreachable");
}

/** "?colour=red&unit=mz" from a list's filters (the empty ones left out). */
export function query(filters) {
  var params = new URLSearchParams();
  Object.keys(filters).forEach(function (f) {
    if (filters[f]) params.set(f, filters[f]);
  });
  var q = params.toString();
  return q ? "?" + q : "";
}

/** An <option> of a filter's <select>. */
export function option(value, text) {
  var o = el("option", null, text);
  o.value = value;
  return o;
}

export function section(id, title, en, body, extraClass) {
  return html`<section class="d-section${extraClass ? " " + extraClass : ""}" id=${id || nothing}>
    <h3>${title} ${en ? html`<span class="en">${en}</span>` : nothing}</h3>
    ${body}
  </section>`;
}

/** A <dt>/<dd> pair, or nothing for an empty value. */
export function fact(label, value) {
  if (value === null || value === undefined || value === "") return nothing;
  return html`<dt>${label}</dt>
    <dd>${value}</dd>`;
}

/** A form for one action: its fields and buttons (given busy), then its message line; f is what
 * the page keeps of it: {kind: "" | "ok" | "error", text, busy}. */
export function formView(key, f, body, onSubmit) {
  f = f || {};
  return html`<form class="d-action" data-action=${key} novalidate @submit=${onSubmit}>
    ${body(!!f.busy)}
    <div class=${"d-msg" + (f.kind ? " " + f.kind : "")} role="alert">${f.text || ""}</div>
  </form>`;
}

export function field(name, label, placeholder, multiline) {
  var input = multiline
    ? html`<textarea name=${name} maxlength="400" rows="2" placeholder=${placeholder || nothing}></textarea>`
    : html`<input name=${name} maxlength="400" placeholder=${placeholder || nothing} />`;
  return html`<label class="d-field">${label}${input}</label>`;
}

/** A <select> in a label; rows are [value, text]; the option equal to value is selected. */
export function dropdown(label, name, rows, value, onChange) {
  return html`<label class="d-field"
    >${label}<select name=${name} @change=${onChange || nothing}>
      ${rows.map(function (r) {
        return html`<option value=${r[0]} ?selected=${r[0] === value}>${r[1]}</option>`;
      })}
    </select></label
  >`;
}

export function submit(text, className, value, busy) {
  return html`<button class=${className} type="submit" value=${value || ""} ?disabled=${busy}>${text}</button>`;
}

// ---------------------------------------------------------------- a case
/** The warning colour a case is listed under ("suspended" while its clock is stopped). */
export function colourOf(c) {
  return c.colour || (c.state === "suspended" ? "suspended" : "");
}

/** The case's state in the chosen language (the server's Chinese name in Chinese). */
export function stateWord(c) {
  if (!T.english() && c.state_zh) return c.state_zh;
  var names = caseText.state;
  return names[c.state] ? T.t(names[c.state]) : c.state;
}

/** The detail pane's head: number, colour and state, the page's own tags, the close button. */
export function caseHead(c, tags, onClose) {
  var colour = colourOf(c);
  return html`<header class="d-head">
    <h2 class="d-number">${c.number}</h2>
    <div class="d-tags">${colour ? T.colourMark(colour, true) : nothing}<span class="d-state">${stateWord(c)}</span>${tags}</div>
    <button class="d-close" type="button" title=${tx("c_close", "关闭 · Close")} aria-label=${tx("c_close_detail", "关闭详情")} @click=${onClose}>×</button>
  </header>`;
}

export function markCell(c) {
  return html`<td class="r-mark">${T.colourMark(colourOf(c))}</td>`;
}

export function itemCell(c) {
  return html`<td class="r-item">${c.item_name}${c.repeat_visit ? html`<span class="tag">${tx("c_repeat", "重访")}</span>` : nothing}</td>`;
}

/** The deadline and what is left of it (or 计时暂停). */
export function dueCell(c, now) {
  var left = nothing;
  if (c.colour) left = html`<span class="r-left">${T.deadlineLeft(c.deadline_at, now)}</span>`;
  else if (c.state === "suspended")
    left = html`<span class="r-left">${tx("c_clock_stopped", "计时暂停")}</span>`;
  return html`<td class="r-due">${c.kind === "promised" ? deadlineText(c.deadline_at) : "—"}${left}</td>`;
}

/** The colour tiles above a case list (#colour-counts .cc): each tile's count, and whether the
 * list's filters (colour, or the suspended state) select it. */
export function colourCounts(counts, filters) {
  counts = counts || {};
  document.querySelectorAll("#colour-counts .cc").forEach(function (tile) {
    var colour = tile.dataset.colour;
    var n = counts[colour] || 0;
    var active = colour === "suspended" ? filters.state === "suspended" : filters.colour === colour;
    tile.className = "cc c-" + colour + (n ? "" : " zero") + (active ? " active" : "");
    tile.setAttribute("aria-pressed", active ? "true" : "false");
    tile.dataset.count = n;
    render(html`${T.colourMark(colour)}<b>${n}</b>`, tile);
  });
}
