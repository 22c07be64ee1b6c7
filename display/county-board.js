/* The 全县大厅 tab of the county page: the county's totals, every hall of the tree side by side
 * (cells orange or red over LIMITS), and the alerts of every hall (「新」 for two minutes on the ones
 * that came while the page was open). Drawn with lit-html from state.board: rows keyed by hall
 * code, alerts by what they are about, so a redraw (a live event, the 10-second recheck) keeps the
 * elements and the focus; 「新」 comes from state.firstSeen. A hall's row opens its own board.
 */
import { html, nothing, render as draw } from "/vendor/lit-html/lit-html.js";
import { repeat } from "/vendor/lit-html/directives/repeat.js";
import { uniqueKeys } from "./staff.js";
import { clockText } from "./live.js";
import { localTime } from "./case-parts.js";
import { state } from "./county-state.js";
import {
  $,
  LEVEL_TEXT,
  T,
  address,
  boardLink,
  byCode,
  depths,
  hallName,
  k,
  page,
  serverNow,
  timezone,
  tx,
  word,
} from "./county-common.js";

var FRESH_MS = 120000; // an alert that came while the page was open is 「新」 this long

/* Where a hall's figure needs attention: [orange from, red from]; "below" for rates. The
 * board's own alerts use each hall's thresholds; these mark the cells of the county grid. */
export const LIMITS = {
  waiting: { orange: 10, red: 15 }, // people waiting (the board's queue_length is 15)
  longest_wait_minutes: { orange: 15, red: 30 }, // minutes (the board's wait_minutes is 30)
  on_time_rate: { below: true, orange: 0.95, red: 0.9 }, // share finished on time this month
  red: { red: 1 },
  orange: { orange: 1 },
  bad_reviews: { orange: 1, red: 3 },
  devices_offline: { orange: 1, red: 3 },
  referrals_waiting: { orange: 1 },
  alerts: { orange: 1 },
};

var ALERT_KIND_TEXT = {
  referral_late: k("alert_referral_late", "上报超时"),
  refer_up_due: k("alert_refer_up_due", "待上报"),
  referral_waiting: k("alert_referral_waiting", "移交待接收"),
  cases_red: k("co_alert_cases_red", "红色预警"),
  bad_reviews: k("co_alert_bad_reviews", "差评待整改"),
  devices_offline: k("co_alert_devices_offline", "设备离线"),
  case_overdue: k("alert_case_overdue", "办件超期"),
  bad_review: k("alert_bad_review", "差评"),
  queue_long: k("alert_queue_long", "排队过长"),
  wait_long: k("alert_wait_long", "等候过久"),
  idle_with_queue: k("alert_idle_with_queue", "窗口空闲"),
  paused_long: k("alert_paused_long", "暂停过久"),
  device_offline: k("alert_device_offline", "设备离线"),
  printer_fault: k("alert_printer_fault", "打印机"),
};

export function tick() {
  $("clock").textContent = clockText(new Date(serverNow()), timezone(), true);
}

// ---------------------------------------------------------------- the grid of halls
/** "", "orange" or "red" for one figure of one hall. */
function attention(key, row) {
  var value = row[key];
  if (key === "windows_open") {
    return row.windows_open === 0 && row.waiting > 0 ? "red" : "";
  }
  if (key === "referrals_waiting" && value > 0 && lateReferral(row.hall.code)) return "red";
  var limit = LIMITS[key];
  if (!limit || value === null || value === undefined) return "";
  if (limit.below) {
    if (limit.red !== undefined && value < limit.red) return "red";
    if (limit.orange !== undefined && value < limit.orange) return "orange";
    return "";
  }
  if (limit.red !== undefined && value >= limit.red) return "red";
  if (limit.orange !== undefined && value >= limit.orange) return "orange";
  return "";
}

function lateReferral(code) {
  return ((state.board && state.board.alerts) || []).some(function (a) {
    return a.hall === code && a.kind === "referral_late";
  });
}

/** The longest wait as of now: the board's figure plus the time since it was read. */
function liveLongest(row) {
  var m = row.longest_wait_minutes;
  if (!row.waiting || m === null || m === undefined || !state.board) return m;
  return m + Math.max(0, (serverNow() - Date.parse(state.board.at)) / 60000);
}

function minutesText(value) {
  if (value === null || value === undefined) return "–";
  return tx("b_minutes", "{m} 分", { m: Math.round(value) });
}

function rateText(value) {
  if (value === null || value === undefined) return "–";
  return Math.round(value * 1000) / 10 + "%";
}

/** One figure of a row: its class names the figure (f-waiting), data-level its attention. */
function numberCell(row, key, text) {
  var level = attention(key, row);
  var cls = "num f-" + key.replace(/_/g, "-") + (level ? " lvl-" + level : "");
  return html`<td class=${cls} data-key=${key} data-level=${level || nothing}>${text === undefined ? row[key] : text}</td>`;
}

function figures(row) {
  var longest = liveLongest(row);
  var waited = Object.assign({}, row, { longest_wait_minutes: longest });
  return html`${numberCell(row, "waiting")}${numberCell(
    waited,
    "longest_wait_minutes",
    row.waiting ? minutesText(longest) : "–"
  )}${numberCell(row, "windows_open", row.windows_open + " / " + row.windows)}${numberCell(
    row,
    "on_time_rate",
    rateText(row.on_time_rate)
  )}${numberCell(row, "cases_open")}${numberCell(row, "red")}${numberCell(row, "orange")}${numberCell(
    row,
    "bad_reviews"
  )}${numberCell(row, "devices_offline", row.devices_offline + " / " + row.devices)}${numberCell(
    row,
    "referrals_waiting"
  )}${numberCell(row, "alerts")}`;
}

export function renderBoard() {
  var board = state.board;
  var root = board.root || {};
  page.staff.showHall(hallName(root), "co_title", "全县督查");
  $("day").textContent = localTime(board.at, timezone(), true);
  renderTotals();
  renderHalls();
  renderAlerts();
  tick();
}

/** The county's totals above the grid: the figures in the page's own boxes (their labels are
 * the page's, as on the hall board), a box orange or red over LIMITS. */
function renderTotals() {
  var t = state.board.totals || {};
  var shown = {
    "t-waiting": t.waiting,
    "t-windows": t.windows_open + " / " + t.windows,
    "t-on-time": rateText(t.on_time_rate),
    "t-cases-open": t.cases_open,
    "t-red": t.red,
    "t-orange": t.orange,
    "t-bad-reviews": t.bad_reviews,
    "t-devices-offline": t.devices_offline,
    "t-referrals": t.referrals_waiting,
  };
  Object.keys(shown).forEach(function (id) {
    $(id).textContent = shown[id] === undefined ? "–" : shown[id];
  });
  document.querySelectorAll("#totals .total").forEach(function (box) {
    var key = box.dataset.key;
    var level = key === "windows" ? "" : attention(key, Object.assign({ hall: {} }, t));
    box.classList.toggle("lvl-orange", level === "orange");
    box.classList.toggle("lvl-red", level === "red");
  });
}

/** The grid of halls, one row per hall keyed by its code (a redraw keeps the rows, and the
 * link the supervisor is on), and the county's totals in the foot. */
function renderHalls() {
  var rows = state.board.halls || [];
  var depth = depths(rows);
  draw(
    repeat(
      rows,
      function (row) {
        return row.hall.code;
      },
      function (row) {
        return hallRow(row, depth[row.hall.code]);
      }
    ),
    document.querySelector("#halls tbody")
  );
  $("hall-count").textContent = rows.length;
  var t = state.board.totals;
  draw(
    t
      ? html`<tr class="totals-row">
          <td class="h-name">${tx("co_county_total", "全县合计")}</td>
          ${figures(Object.assign({ hall: {} }, t))}
        </tr>`
      : nothing,
    document.querySelector("#halls tfoot")
  );
}

function openBoard(code) {
  window.location.href = boardLink(code);
}

function hallRow(row, depth) {
  var h = row.hall;
  function click(ev) {
    if (!ev.target.closest("a")) openBoard(h.code);
  }
  function key(ev) {
    if (ev.key === "Enter" && !ev.target.closest("a")) openBoard(h.code);
  }
  var cls = "hall-row lv-" + h.level + (row.alerts > 0 || row.red > 0 ? " needs-action" : "");
  var title =
    tx("co_open_board", "查看该大厅看板（只读）") +
    " · " +
    (T.english() ? word(LEVEL_TEXT, h.level) : h.level_zh);
  return html`<tr class=${cls} data-hall=${h.code} data-level=${h.level} data-depth=${depth} data-waiting=${row.waiting} data-red=${row.red} tabindex="0" @click=${click} @keydown=${key}>
    <td class=${"h-name depth-" + Math.min(3, depth)}><span class=${"lv-tag lv-tag-" + h.level}>${word(LEVEL_TEXT, h.level)}</span><a class="h-link" href=${boardLink(h.code)} title=${title}>${hallName(h)}</a></td>
    ${figures(row)}
  </tr>`;
}

// ---------------------------------------------------------------- alerts
/** What an alert is about: the same alert keeps its <li> (and its 「新」 mark) across loads. */
function alertKey(a) {
  return [a.hall, a.kind, a.case || a.text].join("|");
}

var COUNT_TEXT = {
  cases_red: k("co_alert_text_cases_red", "{n} 件办件已超期（红色）"),
  bad_reviews: k("co_alert_text_bad_reviews", "{n} 条差评待整改"),
  devices_offline: k("co_alert_text_devices_offline", "{n} 台设备离线"),
};

/** The server's alerts are Chinese; in English the counted ones are told again (a referral's
 * names the halls, the case and the item as written: it stays as it is). */
function alertText(a) {
  var n = /^(\d+)/.exec(a.text || "");
  if (T.english() && COUNT_TEXT[a.kind] && n) return T.t(COUNT_TEXT[a.kind], { n: n[1] });
  return a.text;
}

/** The hall of an acceptance number ("TOWN-20261116-0002": the hall code, upper case). */
function numberHall(number, halls) {
  var prefix = number.split("-").slice(0, -2).join("-").toLowerCase();
  return halls[prefix] ? prefix : null;
}

/** The alerts of every hall, keyed by what each is about; when this page first saw an alert
 * is kept in state.firstSeen (0: there at the first load), and 「新」 is drawn from it. */
function renderAlerts() {
  var alerts = state.board.alerts || [];
  var halls = byCode();
  var now = serverNow();
  var keys = uniqueKeys(alerts, alertKey);
  var rows = alerts.map(function (a, i) {
    var key = alertKey(a);
    if (!(key in state.firstSeen)) state.firstSeen[key] = state.loads > 1 ? now : 0;
    var first = state.firstSeen[key];
    return { a: a, key: keys[i], fresh: !!first && now - first < FRESH_MS };
  });
  var body = rows.length
    ? repeat(
        rows,
        function (row) {
          return row.key;
        },
        function (row) {
          return alertItem(row.a, row.fresh, halls);
        }
      )
    : html`<li class="alert-none">${tx("no_alerts", "暂无告警 · No alerts")}</li>`;
  draw(body, $("alerts"));
  $("alert-count").textContent = alerts.length;
  $("alerts-panel").classList.toggle("has-alerts", alerts.length > 0);
}

function alertItem(a, fresh, halls) {
  var text = html`<span class="a-text">${alertText(a)}</span>`;
  if (a.case) {
    // the text names the case: it opens the case (a referral's is the sending hall's)
    var sel = { number: String(a.case), hall: numberHall(String(a.case), halls) || a.hall };
    var open = function (ev) {
      ev.preventDefault();
      page.openCase(sel);
    };
    text = html`<a class="a-text a-case" href=${address("cases", {}, sel)} @click=${open}>${alertText(a)}</a>`;
  }
  return html`<li class=${"alert alert-" + a.kind + (fresh ? " fresh" : "")} data-kind=${a.kind} data-hall=${a.hall} data-case=${a.case ? String(a.case) : nothing}
    >${fresh ? html`<span class="a-new">${tx("alert_new", "新")}</span>` : nothing}<a class="a-hall" href=${boardLink(a.hall)}
      >${halls[a.hall] ? hallName(halls[a.hall]) : a.hall}</a
    ><span class="a-kind">${word(ALERT_KIND_TEXT, a.kind)}</span>${text}${
      a.at ? html`<span class="a-at">${localTime(a.at, timezone()).slice(5)}</span>` : nothing
    }</li
  >`;
}

/** Every 10 seconds: the longest waits grow, 「新」 marks fade after two minutes (the grid and
 * the alerts drawn again from state.board and the clock: lit-html touches only what changed). */
export function recheck() {
  if (!state.board) return;
  renderHalls();
  renderAlerts();
}
