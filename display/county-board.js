/* The 全县大厅 tab of the county page: the county's totals, every hall of the tree side by side
 * (cells orange or red over LIMITS), and the alerts of every hall (「新」 for two minutes on the ones
 * that came while the page was open). Drawn from state.board; a hall's row opens its own board.
 */
import { clockText, el } from "./live.js";
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
  localTime,
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

function numberCell(row, key, text) {
  var td = el("td", "num f-" + key.replace(/_/g, "-"), text === undefined ? row[key] : text);
  td.dataset.key = key;
  var level = attention(key, row);
  if (level) {
    td.classList.add("lvl-" + level);
    td.dataset.level = level;
  }
  return td;
}

function figures(tr, row) {
  tr.appendChild(numberCell(row, "waiting"));
  var longest = liveLongest(row);
  var waited = Object.assign({}, row, { longest_wait_minutes: longest });
  tr.appendChild(numberCell(waited, "longest_wait_minutes", row.waiting ? minutesText(longest) : "–"));
  tr.appendChild(numberCell(row, "windows_open", row.windows_open + " / " + row.windows));
  tr.appendChild(numberCell(row, "on_time_rate", rateText(row.on_time_rate)));
  tr.appendChild(numberCell(row, "cases_open"));
  tr.appendChild(numberCell(row, "red"));
  tr.appendChild(numberCell(row, "orange"));
  tr.appendChild(numberCell(row, "bad_reviews"));
  tr.appendChild(numberCell(row, "devices_offline", row.devices_offline + " / " + row.devices));
  tr.appendChild(numberCell(row, "referrals_waiting"));
  tr.appendChild(numberCell(row, "alerts"));
}

export function renderBoard() {
  var board = state.board;
  var root = board.root || {};
  $("hall-name").textContent = hallName(root) || tx("co_title", "全县督查");
  document.title = (hallName(root) ? hallName(root) + " · " : "") + tx("co_title", "全县督查");
  $("day").textContent = localTime(board.at, true);
  renderTotals();
  renderHalls();
  renderAlerts();
  tick();
}

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

function renderHalls() {
  var rows = state.board.halls || [];
  var depth = depths(rows);
  var body = document.querySelector("#halls tbody");
  body.textContent = "";
  rows.forEach(function (row) {
    var h = row.hall;
    var tr = el("tr", "hall-row lv-" + h.level);
    tr.dataset.hall = h.code;
    tr.dataset.level = h.level;
    tr.dataset.depth = depth[h.code];
    tr.dataset.waiting = row.waiting;
    tr.dataset.red = row.red;
    tr.tabIndex = 0;
    var name = el("td", "h-name");
    name.classList.add("depth-" + Math.min(3, depth[h.code]));
    name.appendChild(el("span", "lv-tag lv-tag-" + h.level, word(LEVEL_TEXT, h.level)));
    var a = el("a", "h-link", hallName(h));
    a.href = boardLink(h.code);
    a.title =
      tx("co_open_board", "查看该大厅看板（只读）") +
      " · " +
      (T.english() ? word(LEVEL_TEXT, h.level) : h.level_zh);
    name.appendChild(a);
    tr.appendChild(name);
    figures(tr, row);
    if (row.alerts > 0 || row.red > 0) tr.classList.add("needs-action");
    tr.addEventListener("click", function (ev) {
      if (ev.target.closest("a")) return;
      window.location.href = boardLink(h.code);
    });
    tr.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && !ev.target.closest("a")) window.location.href = boardLink(h.code);
    });
    body.appendChild(tr);
  });
  $("hall-count").textContent = rows.length;

  var foot = document.querySelector("#halls tfoot");
  foot.textContent = "";
  var t = state.board.totals;
  if (t) {
    var tr = el("tr", "totals-row");
    tr.appendChild(el("td", "h-name", tx("co_county_total", "全县合计")));
    figures(tr, Object.assign({ hall: {} }, t));
    foot.appendChild(tr);
  }
}

// ---------------------------------------------------------------- alerts
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

function renderAlerts() {
  var alerts = state.board.alerts || [];
  var halls = byCode();
  var list = $("alerts");
  list.textContent = "";
  var now = Date.now();
  alerts.forEach(function (a) {
    var key = alertKey(a);
    if (!(key in state.firstSeen)) state.firstSeen[key] = state.loads > 1 ? now : 0;
    var li = el("li", "alert alert-" + a.kind);
    li.dataset.kind = a.kind;
    li.dataset.hall = a.hall;
    if (state.firstSeen[key] && now - state.firstSeen[key] < FRESH_MS) {
      li.classList.add("fresh");
      li.appendChild(el("span", "a-new", tx("alert_new", "新")));
    }
    var hall = el("a", "a-hall", halls[a.hall] ? hallName(halls[a.hall]) : a.hall);
    hall.href = boardLink(a.hall);
    li.appendChild(hall);
    li.appendChild(el("span", "a-kind", word(ALERT_KIND_TEXT, a.kind)));
    if (a.case) {
      // the text names the case: it opens the case (a referral's is the sending hall's)
      li.dataset.case = a.case;
      var sel = { number: String(a.case), hall: numberHall(String(a.case), halls) || a.hall };
      var c = el("a", "a-text a-case", alertText(a));
      c.href = address("cases", {}, sel);
      c.addEventListener("click", function (ev) {
        ev.preventDefault();
        page.openCase(sel);
      });
      li.appendChild(c);
    } else {
      li.appendChild(el("span", "a-text", alertText(a)));
    }
    if (a.at) li.appendChild(el("span", "a-at", localTime(a.at).slice(5)));
    list.appendChild(li);
  });
  if (!alerts.length) list.appendChild(el("li", "alert-none", tx("no_alerts", "暂无告警 · No alerts")));
  $("alert-count").textContent = alerts.length;
  $("alerts-panel").classList.toggle("has-alerts", alerts.length > 0);
}

/** Every 10 seconds: the longest waits grow, 「新」 marks fade after two minutes. */
export function recheck() {
  if (!state.board) return;
  (state.board.halls || []).forEach(function (row) {
    var td = document.querySelector("#halls tr[data-hall='" + row.hall.code + "'] .f-longest-wait-minutes");
    if (!td || !row.waiting) return;
    var longest = liveLongest(row);
    var level = attention("longest_wait_minutes", Object.assign({}, row, { longest_wait_minutes: longest }));
    td.textContent = minutesText(longest);
    td.classList.toggle("lvl-orange", level === "orange");
    td.classList.toggle("lvl-red", level === "red");
    if (level) td.dataset.level = level;
    else delete td.dataset.level;
  });
  renderAlerts();
}
