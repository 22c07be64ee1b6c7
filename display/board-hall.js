/* The hall on the board: today's totals, the windows table (drawn again every second: the time
 * on the current ticket ticks) and the devices. lit-html, rows keyed by window number and
 * device code; a row an alert names is marked (state.alerted, board-alerts.js).
 */
import { html, nothing, render as draw } from "/vendor/lit-html/lit-html.js";
import { repeat } from "/vendor/lit-html/directives/repeat.js";
import { restWindowName, shortWindowName } from "./live.js";
import { PRINTER_TEXT, T, deviceOnline, duration, k, lb, minutesText, state, tx } from "./board-common.js";

var $ = function (id) {
  return document.getElementById(id);
};

// A window's state on the board: serving/idle are the board's own split of an open window;
// paused/closed are labels (i18n/labels.toml window_state).
var STATE_TEXT = {
  serving: k("state_serving", "服务中"),
  idle: k("state_idle", "空闲"),
  paused: lb("window_state", "paused"),
  closed: lb("window_state", "closed"),
};
var PAUSE_REASON = { break: "休息", meeting: "会议", handover: "交接班", other: "其他" };
var TICKET_STATE = { called: lb("ticket_state", "called"), serving: lb("ticket_state", "serving") };

export function renderTotals() {
  var t = state.snap.totals || {};
  $("t-issued").textContent = t.issued;
  $("t-served").textContent = t.served;
  $("t-waiting").textContent = t.waiting;
  $("t-no-show").textContent = t.no_show;
  $("t-avg-wait").textContent = minutesText(t.avg_wait_minutes, true);
}

/** The windows table, drawn again from the snapshot on every tick (the timers run on): lit-html
 * touches only what changed. */
export function renderWindows() {
  var rows = repeat(
    state.snap.windows,
    function (w) {
      return w.number;
    },
    windowRow
  );
  draw(rows, document.querySelector("#windows tbody"));
}

function windowRow(w) {
  var rest = restWindowName(w.name);
  var label = STATE_TEXT[w.state] ? T.t(STATE_TEXT[w.state]) : w.state;
  var paused = nothing;
  if (w.state === "paused") {
    var why = PAUSE_REASON[w.pause_reason]
      ? tx("pause_" + w.pause_reason, PAUSE_REASON[w.pause_reason])
      : w.pause_reason || "";
    paused = html`<span class="muted paused-for">${(why ? why + " · " : "") + duration(w.state_since)}</span>`;
  }
  var current = "—";
  if (w.current) {
    var ticket = TICKET_STATE[w.current.state] ? T.t(TICKET_STATE[w.current.state]) : w.current.state;
    current = html`<b class="ticket">${w.current.number}</b><span class="muted">${" " + ticket}</span>`;
  }
  var cls = "w-row st-" + w.state + (state.alerted.windows[w.number] ? " alerted" : "");
  return html`<tr class=${cls} data-window=${w.number} data-state=${w.state}>
    <td class="w-name"><b>${shortWindowName(w.name, w.number)}</b>${rest ? html`<span class="muted">${" " + rest}</span>` : nothing}</td>
    <td class="w-state"><span class="badge badge-${w.state}">${label}</span>${paused}</td>
    <td class="w-clerk">${w.clerk || "—"}</td>
    <td class="w-current">${current}</td>
    <td class="num w-timer">${w.current ? duration(w.current.since) : ""}</td>
    <td class="num w-served">${w.served_today}</td>
  </tr>`;
}

export function renderDevices() {
  var limit = (state.snap.thresholds || {}).device_offline_seconds || 120;
  var items = repeat(
    state.snap.devices,
    function (d) {
      return d.code;
    },
    function (d) {
      return deviceItem(d, limit);
    }
  );
  draw(items, $("devices"));
}

function deviceItem(d, limit) {
  var online = deviceOnline(d, limit);
  var printer = (d.status || {}).printer;
  var paper = nothing;
  if (printer) {
    var bad = ["paper_out", "cover_open", "error", "offline"].indexOf(printer.condition) >= 0;
    var what =
      T.english() || !printer.message
        ? PRINTER_TEXT[printer.condition]
          ? T.t(PRINTER_TEXT[printer.condition])
          : printer.condition
        : printer.message;
    paper = html`<span class=${"printer" + (bad ? " bad" : "")}>${tx("b_printer", "打印机：{what}", { what: what })}</span>`;
  }
  var cls = "device " + (online ? "online" : "offline") + (state.alerted.devices[d.code] ? " alerted" : "");
  return html`<li class=${cls} data-device=${d.code}>
    <span class="dot"></span><span class="dev-name">${d.name}</span><span class="muted">${online ? tx("b_online", "在线") : tx("b_offline", "离线")}</span>${paper}
  </li>`;
}
