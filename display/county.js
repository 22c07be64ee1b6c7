/* County overview for the supervisor (督查督办): /county
 *
 * Staff sign in like on the board (staff.js: the same session in sessionStorage); only a
 * supervisor is let in (a manager or clerk gets the refusal message). Two tabs:
 *  - 全县大厅: every hall of the tree side by side (county, its towns, their village points
 *    indented), from GET /api/v1/halls/<hall>/network/board; cells turn orange or red over the
 *    limits in LIMITS; the alerts of every hall (「新」 for two minutes on the ones that came while
 *    the page was open); a hall's row opens that hall's own board read-only (/board?hall=<code>).
 *  - 全县办件: the county-wide case list from GET /network/cases with the filters in the address
 *    (/county?tab=cases&hall=town&colour=red), each case opening its detail (read-only).
 * Live: the supervisor's socket (namespace /hall, the board's auth) carries the events of every
 * hall below, each tagged with its hall; any event reloads what is shown, at most once a second
 * (the last event is never left out); every snapshot ((re)connect, gap) reloads too. No polling.
 */
import { api as request, clockText, deadlineText, el, localParts, pad, connectLive } from "./live.js";
import { html, nothing, render } from "/vendor/lit-html/lit-html.js";
import { keyed } from "/vendor/lit-html/directives/keyed.js";
import { repeat } from "/vendor/lit-html/directives/repeat.js";
import { caseText, staffPage, staffText } from "./staff.js";
import {
  caseHead,
  colourCounts,
  colourOf,
  dueCell,
  fact,
  field,
  formView,
  itemCell,
  markCell,
  section,
  stateWord,
  submit,
} from "./case-parts.js";

var $ = function (id) {
  return document.getElementById(id);
};

var T = staffText; // 中文 / English (staff.js)
var tx = T.tx;
var k = T.k;

var RELOAD_EVERY_MS = 1000; // at most one reload a second, the last event included
var RETRY_MS = 5000;
var FRESH_MS = 120000; // an alert that came while the page was open is 「新」 this long
var COUNTY_ROLES = { supervisor: true };
var FILTERS = ["hall", "colour", "state", "item", "unit"];
var COLOURS = ["red", "orange", "yellow", "green", "suspended"];
var REFUSED = [
  "全县督查页面仅供督查督办账号使用，请使用督查督办账号登录。",
  "The county overview is for supervisors (督查督办): please sign in with a supervisor account.",
];
var NOT_SUPERVISED = ["此账号不能查看全县督查。", "This account cannot see the county overview."];

/* Where a hall's figure needs attention: [orange from, red from]; "below" for rates. The
 * board's own alerts use each hall's thresholds; these mark the cells of the county grid. */
var LIMITS = {
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

var LEVEL_TEXT = {
  county: k("co_level_county", "县"),
  town: k("co_level_town", "乡镇"),
  village: k("co_level_village", "村居"),
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
var ACTION_TEXT = caseText.action; // the case labels /cases and /county share (staff.js)

function word(table, code) {
  return table[code] ? T.t(table[code]) : code || "";
}

var staff = staffPage({
  app: "county",
  client: "county-web",
  roles: COUNTY_ROLES,
  refused: REFUSED,
  start: start,
  stop: stopLive,
  onLogout: function () {
    state.board = null;
    state.list = null;
  },
  onLanguage: redraw,
});
var live = null;
var state = {
  tab: "halls",
  filters: {},
  selected: null, // {hall, number} of the case in the detail pane
  board: null, // the county board: the socket's snapshot or GET /network/board
  offset: 0, // server clock minus browser clock
  list: null,
  counts: null,
  listHalls: [],
  detail: null,
  detailStatus: null, // a line shown instead of the case: loading, or why it cannot be shown
  forms: {}, // action key -> {kind, text, busy}: what the 督办 form says
  units: {}, // hall code -> {unit code -> {zh, en}} from each hall's public catalogue
  loads: 0, // board loads answered
  listLoads: 0, // case list loads answered
  detailLoads: 0, // case detail loads drawn
  events: 0, // live events seen
  firstSeen: {}, // alert key -> when this page first saw it (0: there at the first load)
};

// ---------------------------------------------------------------- address bar
function readAddress() {
  var params = new URLSearchParams(window.location.search);
  state.tab = params.get("tab") === "cases" ? "cases" : "halls";
  FILTERS.forEach(function (f) {
    state.filters[f] = params.get(f) || "";
  });
  var number = params.get("case");
  state.selected = number ? { number: number, hall: params.get("case_hall") || "" } : null;
}

function address(tab, filters, selected) {
  var params = new URLSearchParams();
  if (tab === "cases") {
    params.set("tab", "cases");
    FILTERS.forEach(function (f) {
      if (filters[f]) params.set(f, filters[f]);
    });
    if (selected) {
      params.set("case", selected.number);
      if (selected.hall) params.set("case_hall", selected.hall);
    }
  }
  var q = params.toString();
  return window.location.pathname + (q ? "?" + q : "");
}

function writeAddress() {
  history.replaceState(null, "", address(state.tab, state.filters, state.selected));
}

// ---------------------------------------------------------------- live connection
var reloadTimer = null;
var lastReload = 0;

/** Reload now when the last one is a second old, else at the end of that second: a burst of
 * events costs one reload a second and the last event is always covered. */
function reloadSoon() {
  if (reloadTimer) return;
  var wait = Math.max(0, lastReload + RELOAD_EVERY_MS - Date.now());
  reloadTimer = setTimeout(function () {
    reloadTimer = null;
    reload();
  }, wait);
}

function stopLive() {
  clearTimeout(reloadTimer);
  reloadTimer = null;
  if (live) live.close();
  live = null;
  window.onestopCounty.live = null;
}

function onLiveEvent(event) {
  state.events += 1;
  document.body.dataset.events = state.events;
  if (event.hall) document.body.dataset.lastEventHall = event.hall;
  reloadSoon();
}

/** The county board as the socket sends it on (re)connect and after a resync. */
function onLiveSnapshot(snap) {
  if (snap.kind !== "network" || !snap.board) {
    reloadSoon(); // not the county board (an older server): read it over REST
    return;
  }
  clearTimeout(reloadTimer);
  reloadTimer = null;
  lastReload = Date.now();
  showBoard(snap.board);
  if (state.tab === "cases") {
    loadList();
    if (state.selected) loadDetail(state.selected, false);
  }
}

function start() {
  stopLive();
  var user = staff.user();
  if (!COUNTY_ROLES[user.role]) {
    // A manager's board session reaches /county: say why, keep their session for the board.
    staff.showLogin(REFUSED);
    return;
  }
  staff.showApp("county");
  showTab();
  staff.setConn("connecting");
  live = connectLive({
    network: true, // the county board: one sequence per hall
    token: staff.session.token,
    onSnapshot: onLiveSnapshot,
    onEvent: onLiveEvent,
    onStatus: staff.liveStatus,
  });
  window.onestopCounty.live = live;
}

// ---------------------------------------------------------------- tabs
function showTab() {
  var cases = state.tab === "cases";
  $("halls-view").hidden = cases;
  $("cases-view").hidden = !cases;
  document.querySelectorAll(".tabs .tab").forEach(function (b) {
    var on = b.dataset.tab === state.tab;
    b.classList.toggle("on", on);
    b.setAttribute("aria-selected", on ? "true" : "false");
    b.tabIndex = on ? 0 : -1;
  });
  document.body.dataset.tab = state.tab;
}

function chooseTab(tab) {
  if (tab === state.tab) return;
  state.tab = tab;
  writeAddress();
  showTab();
  reload();
}

document.querySelectorAll(".tabs .tab").forEach(function (b) {
  b.addEventListener("click", function () {
    chooseTab(b.dataset.tab);
  });
});

// ---------------------------------------------------------------- loading
function api(path) {
  return request("GET", "/api/v1/halls/" + encodeURIComponent(staff.session.hall) + path, {
    token: staff.session.token,
  });
}

function reload() {
  if (!staff.session || !COUNTY_ROLES[staff.user().role]) return;
  lastReload = Date.now();
  loadBoard();
  if (state.tab === "cases") {
    loadList();
    if (state.selected) loadDetail(state.selected, false);
  }
}

/** A refusal ends the page; a server hiccup is tried again; true when handled for good. */
function failed(err, where) {
  if (err.status === 401) {
    staff.sessionEnded();
    return true;
  }
  if (err.status === 403 || (err.status === 404 && err.code === "hall_not_found")) {
    stopLive();
    staff.showLogin(NOT_SUPERVISED);
    return true;
  }
  if (where) {
    where.textContent = "";
    where.appendChild(
      el(
        "span",
        "error",
        err.status
          ? T.msg(err.message)
          : tx("c_unreachable_retry", "无法连接服务器，稍后自动重试 · server unreachable")
      )
    );
  }
  if (!err.status || err.status >= 500) setTimeout(reloadSoon, RETRY_MS);
  return false;
}

var boardLoads = 0;
function loadBoard() {
  var n = ++boardLoads;
  api("/network/board").then(
    function (board) {
      if (n !== boardLoads) return; // a newer load is on its way
      showBoard(board);
    },
    function (err) {
      if (n !== boardLoads) return;
      failed(err, $("status"));
    }
  );
}

function showBoard(board) {
  ++boardLoads; // an answer still on its way is older than this
  state.board = board;
  state.loads += 1;
  state.offset = Date.parse(board.at) - Date.now();
  $("status").textContent = "";
  renderBoard();
  loadUnits(board.halls);
  if (state.tab === "cases") fillHallChoices();
  document.body.dataset.loads = state.loads;
}

/** Unit names per hall from each hall's public catalogue (once per hall). */
function loadUnits(rows) {
  (rows || []).forEach(function (row) {
    var code = row.hall.code;
    if (state.units[code]) return;
    state.units[code] = {};
    request("GET", "/api/v1/halls/" + encodeURIComponent(code) + "/catalog").then(
      function (catalog) {
        (catalog.departments || []).forEach(function (d) {
          state.units[code][d.code] = d.name;
        });
        if (state.list) renderList();
      },
      function () {
        delete state.units[code]; // try again at the next load
      }
    );
  });
}

function unitName(hall, code) {
  var n = (state.units[hall] || {})[code];
  return n ? T.name(n) : code || "—";
}

function query(filters) {
  var params = new URLSearchParams();
  FILTERS.forEach(function (f) {
    if (filters[f]) params.set(f, filters[f]);
  });
  var q = params.toString();
  return q ? "?" + q : "";
}

var listCalls = 0;
function loadList() {
  var n = ++listCalls;
  var calls = [api("/network/cases" + query(state.filters))];
  if (state.filters.colour) {
    // The colour tiles count every colour, whatever colour is picked.
    calls.push(api("/network/cases" + query(Object.assign({}, state.filters, { colour: "" }))));
  }
  if (!state.list) $("list-status").textContent = tx("loading", "加载中…");
  Promise.all(calls).then(
    function (results) {
      if (n !== listCalls) return;
      state.list = results[0].cases || [];
      state.counts = (results[1] || results[0]).counts || {};
      state.listHalls = results[0].halls || [];
      state.listLoads += 1;
      $("list-status").textContent = "";
      fillHallChoices();
      renderCounts();
      renderList();
      document.body.dataset.listLoads = state.listLoads;
    },
    function (err) {
      if (n !== listCalls) return;
      failed(err, $("list-status"));
    }
  );
}

// ---------------------------------------------------------------- time
function serverNow() {
  return Date.now() + state.offset;
}

function timezone() {
  var root = state.board && state.board.root;
  return (root && root.timezone) || "Asia/Shanghai";
}

function localTime(iso, dateOnly) {
  if (!iso) return "—";
  var p = localParts(new Date(iso), timezone());
  var day = p.year + "-" + pad(p.month) + "-" + pad(p.day);
  return dateOnly ? day : day + " " + pad(p.hour) + ":" + pad(p.minute);
}

function tick() {
  $("clock").textContent = clockText(new Date(serverNow()), timezone(), true);
}

// ---------------------------------------------------------------- the grid of halls
function hallName(h) {
  return h ? T.name(h.name) || h.code : "";
}

function byCode() {
  var out = {};
  ((state.board && state.board.halls) || []).forEach(function (row) {
    out[row.hall.code] = row.hall;
  });
  return out;
}

/** Depth in the tree: the county 0, a town 1, its village points 2 (from the parents). */
function depths(rows) {
  var parent = {};
  rows.forEach(function (row) {
    parent[row.hall.code] = row.hall.parent || null;
  });
  var out = {};
  rows.forEach(function (row) {
    var d = 0;
    var p = parent[row.hall.code];
    var seen = {};
    while (p && Object.prototype.hasOwnProperty.call(parent, p) && !seen[p]) {
      seen[p] = true;
      d += 1;
      p = parent[p];
    }
    out[row.hall.code] = d;
  });
  return out;
}

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

function boardLink(code) {
  return "/board?hall=" + encodeURIComponent(code);
}

function renderBoard() {
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
    li.appendChild(el("span", "a-kind", ALERT_KIND_TEXT[a.kind] ? T.t(ALERT_KIND_TEXT[a.kind]) : a.kind));
    if (a.case) {
      // the text names the case: it opens the case (a referral's is the sending hall's)
      li.dataset.case = a.case;
      var sel = { number: String(a.case), hall: numberHall(String(a.case), halls) || a.hall };
      var c = el("a", "a-text a-case", alertText(a));
      c.href = address("cases", {}, sel);
      c.addEventListener("click", function (ev) {
        ev.preventDefault();
        openCase(sel);
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

// ---------------------------------------------------------------- the county's cases
function option(value, text) {
  var o = el("option", null, text);
  o.value = value;
  return o;
}

var hallChoices = "";
function fillHallChoices() {
  var select = $("f-hall");
  var rows = (state.board && state.board.halls) || [];
  var depth = depths(rows);
  var halls = rows.length
    ? rows.map(function (r) {
        return r.hall;
      })
    : state.listHalls;
  var drawn =
    T.lang() +
    ":" +
    halls
      .map(function (h) {
        return h.code + "/" + (depth[h.code] || 0);
      })
      .join(",");
  if (drawn === hallChoices) {
    showFilters();
    return;
  }
  hallChoices = drawn; // redrawn only when the tree or the language changed (not while open)
  select.textContent = "";
  select.appendChild(option("", tx("co_all_halls", "全县所有大厅")));
  halls.forEach(function (h) {
    var indent = new Array((depth[h.code] || 0) + 1).join("\u3000");
    select.appendChild(option(h.code, indent + hallName(h)));
  });
  showFilters();
}

function showFilters() {
  ["hall", "colour", "state"].forEach(function (f) {
    var select = $("f-" + f);
    var value = state.filters[f] || "";
    if (
      value &&
      !Array.prototype.some.call(select.options, function (o) {
        return o.value === value;
      })
    ) {
      select.appendChild(option(value, value)); // from a link, before the choices are known
    }
    select.value = value;
  });
}

function setFilters(changes) {
  Object.assign(state.filters, changes);
  showFilters();
  writeAddress();
  loadList();
}

["hall", "colour", "state"].forEach(function (f) {
  $("f-" + f).addEventListener("change", function (ev) {
    var change = {};
    change[f] = ev.target.value;
    setFilters(change);
  });
});
$("f-clear").addEventListener("click", function () {
  var none = {};
  FILTERS.forEach(function (f) {
    none[f] = "";
  });
  setFilters(none);
});
document.querySelectorAll("#colour-counts .cc").forEach(function (tile) {
  tile.addEventListener("click", function () {
    var colour = tile.dataset.colour;
    if (colour === "suspended") {
      setFilters({ state: state.filters.state === "suspended" ? "" : "suspended", colour: "" });
      return;
    }
    var change = { colour: state.filters.colour === colour ? "" : colour };
    if (["suspended", "finished", "refused", "referred"].indexOf(state.filters.state) >= 0) change.state = "";
    setFilters(change);
  });
});

function renderCounts() {
  colourCounts(state.counts, state.filters);
}

function caseHall(c) {
  return (c.hall && c.hall.code) || "";
}

function renderList() {
  var cases = state.list || [];
  $("list-count").textContent = cases.length;
  var body = document.querySelector("#case-list tbody");
  if (!cases.length) {
    render(
      html`<tr class="empty"><td colspan="9">${tx("c_no_cases", "没有符合条件的办件 · No cases match")}</td></tr>`,
      body
    );
    return;
  }
  var now = serverNow();
  var order = COLOURS.concat([""]);
  var rows = cases
    .map(function (c, n) {
      return { c: c, n: n };
    })
    .sort(function (x, y) {
      return order.indexOf(colourOf(x.c)) - order.indexOf(colourOf(y.c)) || x.n - y.n;
    });
  render(
    repeat(
      rows,
      function (x) {
        return caseHall(x.c) + "/" + x.c.number;
      },
      function (x) {
        return caseRow(x.c, now);
      }
    ),
    body
  );
}

function isSelected(c) {
  var s = state.selected;
  return !!s && s.number === c.number && (!s.hall || s.hall === caseHall(c));
}

function caseRow(c, now) {
  var colour = colourOf(c);
  var hall = caseHall(c);
  var sel = { number: c.number, hall: hall };
  function open(ev) {
    ev.preventDefault();
    select(sel);
  }
  function click(ev) {
    if (!ev.target.closest("a")) select(sel);
  }
  var where = c.hall
    ? html`<span class="lv-tag lv-tag-${c.hall.level}">${word(LEVEL_TEXT, c.hall.level)}</span>${hallName(c.hall)}`
    : nothing;
  var cls = "case-row" + (colour ? " c-" + colour : "") + (isSelected(c) ? " selected" : "");
  return html`<tr class=${cls} data-case=${c.number} data-hall=${hall} data-colour=${colour} data-state=${c.state} @click=${click}>
    ${markCell(c)}<td class="r-hall">${where}</td>
    <td class="r-number"><a class="case-link" href=${address("cases", state.filters, sel)} @click=${open}>${c.number}</a></td>
    ${itemCell(c)}<td class="r-unit">${unitName(hall, c.handling_unit)}</td>
    <td class="r-clerk">${c.clerk || "—"}</td>
    <td class="r-accepted">${localTime(c.accepted_at, true)}</td>
    ${dueCell(c, now)}<td class="r-state">${stateWord(c)}</td>
  </tr>`;
}

/** From an alert on the other tab: the case list of all halls, with this case open. */
function openCase(sel) {
  state.tab = "cases";
  showTab();
  select(sel);
  loadList();
}

function select(sel) {
  state.selected = sel;
  state.forms = {}; // another case: its forms say nothing yet
  writeAddress();
  if (state.list) renderList();
  loadDetail(sel, true);
}

// ---------------------------------------------------------------- one case (read-only)
var detailLoads = 0;
function loadDetail(sel, fresh) {
  var n = ++detailLoads;
  var hall = sel.hall || staff.session.hall;
  if (fresh) {
    state.detailStatus = { text: tx("loading", "加载中…") + " " + sel.number };
    renderDetail();
  }
  request("GET", "/api/v1/halls/" + encodeURIComponent(hall) + "/cases/" + encodeURIComponent(sel.number), {
    token: staff.session.token,
  }).then(
    function (result) {
      if (n !== detailLoads || state.selected !== sel) return;
      state.detail = Object.assign({ hall_code: hall }, result.case);
      state.detailStatus = null;
      state.detailLoads += 1;
      renderDetail();
      document.body.dataset.detailLoads = state.detailLoads;
    },
    function (err) {
      if (n !== detailLoads) return;
      if (err.status === 401) {
        staff.sessionEnded();
        return;
      }
      var why =
        err.status === 404
          ? tx("c_no_such_case", "没有这个办件：{number}", { number: sel.number })
          : err.status === 403
            ? tx("co_detail_refused", "督查督办账号不能查看此办件的详情。")
            : err.status
              ? T.msg(err.message)
              : tx("c_unreachable_retry", "无法连接服务器，稍后自动重试 · server unreachable");
      state.detailStatus = { text: why, error: true };
      renderDetail();
    }
  );
}

/** A section of the pane; the English hint under its Chinese title only in Chinese. */
function part(title, en, body, extraClass) {
  return section(null, title, T.english() ? null : en, body, extraClass);
}

function closeDetail() {
  state.selected = null;
  state.detail = null;
  writeAddress();
  renderDetail();
  if (state.list) renderList();
}

function renderDetail() {
  var box = $("detail-body");
  var c = state.detail;
  var status = state.selected ? state.detailStatus : null;
  var shown = !!state.selected && (!!status || !!c);
  $("detail-empty").hidden = shown;
  box.hidden = !shown;
  if (!shown) return;
  if (status) {
    delete box.dataset.case;
    render(html`<p class=${status.error ? "error" : "muted"}>${status.text}</p>`, box);
    return;
  }
  box.dataset.case = c.number;
  box.dataset.hall = c.hall_code;
  render(keyed(c.hall_code + "/" + c.number, detailView(c)), box); // another case: a new form
}

function detailView(c) {
  var hall = byCode()[c.hall_code];
  var applicant = c.applicant || {};
  var promised = nothing;
  if (c.kind === "promised") {
    var left = c.colour
      ? html`<b class="d-left">${" " + T.deadlineLeft(c.deadline_at, serverNow())}</b>`
      : nothing;
    promised = html`${fact(tx("c_promised", "承诺时限"), tx("c_working_days", "{n} 个工作日", { n: c.working_days }))}
      ${fact(tx("th_deadline", "办理时限"), html`<span>${deadlineText(c.deadline_at)}${left}</span>`)}`;
  }
  var facts = html`<dl class="facts">
    ${fact(tx("co_f_hall", "大厅"), html`<a href=${boardLink(c.hall_code)}>${hall ? hallName(hall) : c.hall_code}</a>`)}
    ${fact(tx("c_f_item", "事项"), c.item_name + (T.english() ? " (" + c.item + ")" : "（" + c.item + "）"))}
    ${fact(tx("th_unit", "承办单位"), unitName(c.hall_code, c.handling_unit))}
    ${fact(tx("c_applicant", "申请人"), [applicant.name, applicant.phone].filter(Boolean).join(" · ") || "—")}
    ${fact(tx("c_accepted_at", "受理时间"), localTime(c.accepted_at))}
    ${promised}
    ${c.finished_at ? fact(tx("c_finished_at", "办结时间"), localTime(c.finished_at) + (c.on_time === false ? tx("c_finished_late", "（超期办结）") : "")) : nothing}
    ${fact(tx("c_result", "办理结果"), c.result)}
    ${fact(tx("c_refuse_reason", "不予办理理由"), c.refuse_reason)}
  </dl>`;
  var settling = c.state === "open" || c.state === "suspended";
  return html`${caseHead(c, nothing, closeDetail)}${facts}${overdueView(c)}${referralsView(c)}${settling ? superviseForm(c) : nothing}${historyView(c)}`;
}

function overdueView(c) {
  var o = c.overdue;
  if (!o) return nothing;
  var body = html`<dl class="facts small">
      ${fact(tx("c_detected", "发现超期"), localTime(o.detected_at))}
      ${fact(tx("c_overdue_reason", "超期原因"), o.reason)}
      ${fact(tx("c_overdue_action", "督办措施"), o.action)}
    </dl>
    ${o.handled_at ? nothing : html`<p class="d-due">${tx("co_overdue_todo", "待督办：承办大厅尚未记录超期原因和督办措施。")}</p>`}`;
  return part(tx("c_overdue", "超期督办"), "Overdue record", body, o.handled_at ? "handled" : "waiting");
}

function referralsView(c) {
  var legs = c.referred_from || [];
  var sent = c.referrals || [];
  if (!legs.length && !sent.length) return nothing;
  var came = legs.map(function (leg) {
    var from = tx("co_came_from", "来自 {hall}：{number}", {
      hall: T.name((leg.hall || {}).name) || (leg.hall || {}).code,
      number: leg.number,
    });
    return html`<li><div>${from}</div>${leg.referral ? html`<div class="muted">${leg.referral.direction_zh + " · " + leg.referral.reason}</div>` : nothing}</li>`;
  });
  var went = sent.map(function (x) {
    var to = tx("co_sent_to", "{direction}至 {hall} · {at}", {
      direction: x.direction_zh,
      hall: hallName(x.to_hall),
      at: localTime(x.sent_at),
    });
    return html`<li><div>${to}</div><div class="muted">${x.reason + (x.received_as ? " → " + x.received_as : "")}</div></li>`;
  });
  return part(tx("co_referrals", "移交记录"), "Referrals", html`<ul class="d-list">${came}${went}</ul>`);
}

function historyView(c) {
  var items = (c.history || []).map(function (h) {
    var who = String(h.actor || "").replace(/^(user|device):/, "");
    if (who.indexOf("job:") === 0) who = tx("c_system", "系统巡检");
    var d = h.details || {};
    var more = [d.reason, d.result, d.note].filter(Boolean).join(" · ");
    return html`<li data-action=${h.action}><span class="h-at">${localTime(h.at)}</span><b class="h-what">${word(ACTION_TEXT, h.action)}</b><span class="h-who">${who}</span>${more ? html`<span class="h-details">${more}</span>` : nothing}</li>`;
  });
  return part(tx("c_history", "办理记录"), "History", html`<ol class="timeline">${items}</ol>`);
}

/** 督办: order the handling hall to settle an open case; the order goes into its history. */
function superviseForm(c) {
  var key = "supervise";
  function say(kind, text, busy) {
    state.forms[key] = { kind: kind, text: text, busy: !!busy };
    renderDetail();
  }
  function send(event) {
    event.preventDefault();
    var form = event.currentTarget;
    var note = form.elements.note.value.trim();
    if (!note) {
      say("error", tx("co_supervise_empty", "请写明督办意见。"));
      return;
    }
    var path =
      "/api/v1/halls/" +
      encodeURIComponent(c.hall_code) +
      "/cases/" +
      encodeURIComponent(c.number) +
      "/supervise";
    say("", tx("saving", "提交中…"), true);
    request("POST", path, { token: staff.session.token, body: { note: note } }).then(
      function () {
        form.elements.note.value = "";
        say("ok", tx("co_supervise_done", "已督办，记入办理记录。"));
        if (state.selected) loadDetail(state.selected, false);
      },
      function (err) {
        say(
          "error",
          err.status
            ? T.msg(err.message)
            : tx("c_unreachable_retry", "无法连接服务器，稍后自动重试 · server unreachable")
        );
      }
    );
  }
  var form = formView(
    key,
    state.forms[key],
    function (busy) {
      return html`${field("note", tx("co_supervise_note", "督办意见"), tx("co_supervise_hint", "例如：请于本周内办结并报告原因"), true)}${submit(tx("co_supervise_send", "发出督办"), "primary", "", busy)}`;
    },
    send
  );
  return part(tx("co_supervise", "督办"), "Order it settled", form);
}

// ---------------------------------------------------------------- language
function redraw() {
  if (state.board) renderBoard();
  if (state.tab === "cases" && (state.board || state.listHalls.length)) fillHallChoices();
  if (state.counts) renderCounts();
  if (state.list) renderList();
  if (state.detail) renderDetail();
}

/** Every 10 seconds: the longest waits grow, 「新」 marks fade after two minutes. */
function recheck() {
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

setInterval(tick, 1000);
setInterval(recheck, 10000);

window.onestopCounty = {
  live: null,
  state: state,
  reload: reload,
  limits: LIMITS,
};

// ---------------------------------------------------------------- start
readAddress();
showTab();
showFilters();
staff.boot();
