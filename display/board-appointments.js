/* The board's appointments strip (预约): today's (or tomorrow's) slots that have appointments,
 * with booked / checked-in / no-show counts and the masked names, from
 * GET /api/v1/halls/<hall>/appointments/today?day=D.
 *
 * board.js starts it when the board connects (with the board's token), hands it every live event
 * (appointment.* ones refresh it, debounced) and stops it when the board closes its connection.
 * A one-minute timer refreshes it too (slots pass, no-shows are marked).
 * Container: <section id="appointments-panel"> in board.html.
 *
 * Languages: every label from the "staff" catalogue (staffText, keys ap_*); the board's
 * 中文 / English toggle redraws the strip (draw(), from the answer it has, no request). Data stays as it is: masked names; item names in the chosen
 * language where the hall file has one.
 */
import { api, el } from "./live.js";
import { staffText } from "./staff.js";

var $ = function (id) {
  return document.getElementById(id);
};
var STORAGE = "onestop.board"; // the staff session of staff.js: {token, hall, user}
var DEBOUNCE_MS = 800;
var TIMER_MS = 60000;
var T = staffText; // 中文 / English (staff.js)
var tx = T.tx;
var k = T.k;
var STATE_TEXT = {
  booked: T.lb("appointment_state", "booked"),
  checked_in: T.lb("appointment_state", "checked_in"),
  no_show: T.lb("appointment_state", "no_show"),
  cancelled: T.lb("appointment_state", "cancelled"),
};
// The table's columns: [class, label, the small English hint shown under Chinese].
var COLUMNS = [
  [null, k("ap_th_slot", "时段"), "slot"],
  [null, k("ap_th_item", "事项"), "item"],
  ["num", k("ap_th_capacity", "容量"), "cap"],
  ["num", k("ap_th_booked", "待签到"), "booked"],
  ["num", k("ap_th_checked_in", "已签到"), "in"],
  ["num", k("ap_th_no_show", "未到"), "no-show"],
  [null, k("ap_th_who", "预约人"), "who"],
];

var state = {
  scope: "today", // today | tomorrow
  token: null,
  hall: null,
  answer: null,
  loads: 0,
  error: null,
};
var debounce = null;
var timer = null;
var asking = 0;
var hallTimezone = null;

function hallDay(offset) {
  var tz = "Asia/Shanghai";
  if (hallTimezone && hallTimezone()) tz = hallTimezone();
  var when = new Date(Date.now() + offset * 86400000);
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: tz }).format(when);
  } catch (e) {
    return when.toISOString().slice(0, 10);
  }
}

function refresh() {
  if (!state.token) return;
  clearTimeout(debounce);
  debounce = null;
  var mine = ++asking;
  var day = hallDay(state.scope === "tomorrow" ? 1 : 0);
  var url = "/api/v1/halls/" + encodeURIComponent(state.hall) + "/appointments/today?day=" + day;
  api("GET", url, { token: state.token })
    .then(function (answer) {
      if (mine !== asking) return;
      state.answer = answer;
      state.error = null;
      state.loads += 1;
      draw();
    })
    .catch(function (err) {
      if (mine !== asking) return;
      state.error = err;
      draw();
    });
}

function onEvent(event) {
  var type = (event && event.type) || "";
  if (type.indexOf("appointment.") !== 0 || !state.token || debounce) return;
  debounce = setTimeout(refresh, DEBOUNCE_MS);
}

function start(token) {
  var session = {};
  try {
    session = JSON.parse(sessionStorage.getItem(STORAGE) || "{}") || {};
  } catch (e) {
    /* storage unavailable */
  }
  state.token = token;
  state.hall = session.hall;
  if (!state.hall) return;
  clearInterval(timer);
  timer = setInterval(refresh, TIMER_MS);
  refresh();
}

function stop() {
  state.token = null;
  state.answer = null;
  asking += 1;
  clearInterval(timer);
  clearTimeout(debounce);
  debounce = null;
}

function choose(scope) {
  if (scope === state.scope) return;
  state.scope = scope;
  state.answer = null;
  draw();
  refresh();
}

// ------------------------------------------------------------ drawing
function hhmm(iso) {
  var m = /T(\d{2}:\d{2})/.exec(iso || "");
  return m ? m[1] : "";
}

function stateText(st) {
  return STATE_TEXT[st] ? T.t(STATE_TEXT[st]) : st;
}

/** Set the leading text of node (the words before its small English hint). */
function lead(node, text) {
  if (!node) return;
  var first = node.firstChild;
  if (first && first.nodeType === Node.TEXT_NODE) first.nodeValue = text + " ";
  else node.insertBefore(document.createTextNode(text + " "), first);
}

/** The heading, the today / tomorrow buttons and the labels of board.html's panel. */
function drawHeading(panel) {
  var title = tx("ap_title", "预约");
  panel.setAttribute("aria-label", title);
  lead(panel.querySelector("h2"), title);
  var seg = panel.querySelector("h2 .seg");
  if (seg) seg.setAttribute("aria-label", tx("ap_day", "日期 day"));
  lead($("appointments-today"), tx("ap_today", "今日"));
  lead($("appointments-tomorrow"), tx("ap_tomorrow", "明日"));
}

function draw() {
  var panel = $("appointments-panel");
  var box = $("appointments");
  if (!panel || !box) return;
  drawHeading(panel);
  panel.dataset.scope = state.scope;
  panel.dataset.loads = state.loads;
  ["today", "tomorrow"].forEach(function (scope) {
    var b = $("appointments-" + scope);
    b.classList.toggle("on", scope === state.scope);
    b.setAttribute("aria-pressed", scope === state.scope ? "true" : "false");
  });
  box.textContent = "";
  var sum = $("appointments-summary");
  sum.textContent = "";
  if (state.error) {
    box.appendChild(
      el(
        "p",
        "muted appt-empty",
        tx("ap_unavailable", "暂时无法获取预约（{status}） · Appointments unavailable", {
          status: state.error.status || "offline",
        })
      )
    );
    return;
  }
  var answer = state.answer;
  if (!answer) {
    box.appendChild(el("p", "muted appt-empty", tx("ap_loading", "加载中… · loading")));
    return;
  }
  panel.dataset.day = answer.day;
  var slots = answer.slots.filter(function (s) {
    return s.appointments.length || s.booked || s.checked_in || s.no_show;
  });
  var totals = { booked: 0, checked_in: 0, no_show: 0 };
  slots.forEach(function (s) {
    totals.booked += s.booked;
    totals.checked_in += s.checked_in;
    totals.no_show += s.no_show;
  });
  sum.textContent = tx("ap_summary", "{day} · 待签到 {booked} · 已签到 {checked_in} · 未到 {no_show}", {
    day: answer.day,
    booked: totals.booked,
    checked_in: totals.checked_in,
    no_show: totals.no_show,
  });
  if (!slots.length) {
    box.appendChild(el("p", "muted appt-empty", tx("ap_none", "暂无预约 · No appointments")));
    return;
  }
  var table = el("table", "grid appt-table");
  var head = el("tr");
  COLUMNS.forEach(function (c) {
    var th = el("th", c[0], T.t(c[1]) + " ");
    th.appendChild(el("span", "en", c[2])); // hidden in English (board.css)
    head.appendChild(th);
  });
  var thead = el("thead");
  thead.appendChild(head);
  table.appendChild(thead);
  var body = el("tbody");
  slots.forEach(function (s) {
    var tr = el("tr", "appt-slot");
    tr.dataset.slot = s.start;
    tr.dataset.item = s.item.code;
    tr.appendChild(el("td", "a-time", hhmm(s.start) + "–" + hhmm(s.end)));
    tr.appendChild(el("td", "a-item", T.name(s.item.name) || s.item.code));
    tr.appendChild(el("td", "num a-cap", s.capacity));
    tr.appendChild(el("td", "num a-booked", s.booked));
    tr.appendChild(el("td", "num a-in", s.checked_in));
    var ns = el("td", "num a-no-show", s.no_show);
    ns.classList.toggle("over", s.no_show > 0);
    tr.appendChild(ns);
    var who = el("td", "a-who");
    s.appointments.forEach(function (a) {
      var chip = el("span", "appt-chip st-" + a.state, a.name_masked);
      chip.dataset.code = a.code;
      chip.dataset.state = a.state;
      chip.lang = "zh-CN"; // the (masked) name as written
      chip.title =
        a.phone_masked + " · " + stateText(a.state) + (a.ticket_number ? " · " + a.ticket_number : "");
      if (a.ticket_number) chip.appendChild(el("b", "appt-ticket", " " + a.ticket_number));
      who.appendChild(chip);
    });
    tr.appendChild(who);
    body.appendChild(tr);
  });
  table.appendChild(body);
  box.appendChild(table);
}

document.addEventListener("DOMContentLoaded", function () {
  ["today", "tomorrow"].forEach(function (scope) {
    var b = $("appointments-" + scope);
    if (b)
      b.addEventListener("click", function () {
        choose(scope);
      });
  });
  draw();
});
if (document.readyState !== "loading") draw();

window.onestopAppointments = { state: state, refresh: refresh, choose: choose };

/** What board.js calls: start(token) when the board connects, onEvent(event) for each live
 * event, stop() when it closes, draw() after its language toggle; timezone(fn) tells the hall's
 * time zone (from the board's snapshot). */
export const appointments = {
  state: state,
  start: start,
  stop: stop,
  onEvent: onEvent,
  draw: draw,
  refresh: refresh,
  timezone: function (fn) {
    hallTimezone = fn;
  },
};
