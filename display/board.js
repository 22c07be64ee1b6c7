/* Managers' live board: /board
 *
 * Login (hall, username, password; the form and the session come from staff.js) -> token in
 * sessionStorage. The board snapshot (managers and admins only) carries everything; on every
 * event we ask for a fresh one (debounced), so there is no polling loop. Time-based figures tick
 * locally: time on the current ticket every second, the time-based alerts (long wait, long
 * pause, device offline) every 10 seconds.
 * Cases (case./overdue./evaluation./rectification. events) come in the same snapshot: open cases
 * by colour, the red and orange ones, and what waits for a manager; a new overdue case or bad
 * review is an alert marked 「新」 for two minutes.
 * The staffing strip (board-staffing.js) fetches its own advice over REST.
 * A supervisor (督查督办) sees its own hall's board, or with ?hall=<code> the board of a hall
 * below its own (the county page's drill-down: the socket asks for that hall), read-only: no
 * links to the managers' pages; its case links open the county page's case list instead.
 */
import { html, nothing, render as draw } from "/vendor/lit-html/lit-html.js";
import { repeat } from "/vendor/lit-html/directives/repeat.js";
import {
  api,
  clockText,
  connectLive,
  deadlineText,
  el,
  pad,
  restWindowName,
  shortWindowName,
} from "./live.js";
import { staffPage, staffText } from "./staff.js";
import { staffingStrip } from "./board-staffing.js";
import { appointments } from "./board-appointments.js";

var $ = function (id) {
  return document.getElementById(id);
};

var RESYNC_DEBOUNCE_MS = 300;
var ALERT_RECHECK_MS = 10000;
var BOARD_ROLES = { manager: true, admin: true, supervisor: true };
var TIME_BASED = { wait_long: true, paused_long: true, device_offline: true };
var FRESH_MS = 120000;
var BOARD_URGENT_ROWS = 8;
var PENDING_LIST_ROWS = 4;
var CASE_ALERTS = { case_overdue: true, bad_review: true };
var ALERT_ORDER = [
  "case_overdue",
  "bad_review",
  "queue_long",
  "wait_long",
  "idle_with_queue",
  "paused_long",
  "device_offline",
  "printer_fault",
];

// Chinese by default, English by the 中文/English toggle: strings from the "staff" catalogue
// (staff.js: staffText).
var T = staffText;
var tx = T.tx;
var k = T.k;
var lb = T.lb;

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
var PRINTER_TEXT = {
  ready: k("printer_ready", "正常"),
  paper_near_end: k("printer_paper_near_end", "纸将用尽"),
  paper_out: k("printer_paper_out", "缺纸"),
  cover_open: k("printer_cover_open", "仓盖打开"),
  error: k("printer_error", "故障"),
  offline: k("printer_offline", "离线"),
  unknown: k("printer_unknown", "未知"),
};
var RATING = {
  very_satisfied: lb("rating", "very_satisfied"),
  satisfied: lb("rating", "satisfied"),
  basically_satisfied: lb("rating", "basically_satisfied"),
  dissatisfied: lb("rating", "dissatisfied"),
  very_dissatisfied: lb("rating", "very_dissatisfied"),
};

var CLERK_REFUSED = [
  "窗口工作人员账号不能查看大厅看板，请使用大厅管理员账号登录。",
  "The board is for hall managers: clerk accounts are refused.",
];

var staff = staffPage({
  app: "board",
  client: "board-web",
  roles: BOARD_ROLES,
  refused: CLERK_REFUSED,
  start: startBoard,
  stop: stopLive,
  onLogout: function () {
    state.snap = null;
  },
  onLanguage: function () {
    staffing.redraw();
    appointments.draw();
    if (state.snap) render();
  },
});
var live = null;
var staffing = staffingStrip({ api: hallApi });
appointments.timezone(function () {
  return state.snap && state.snap.hall ? state.snap.hall.timezone : null;
});
var state = {
  snap: null,
  offset: 0, // server clock minus browser clock, from the snapshot's "at"
  alerts: [],
  snapshots: 0,
  firstSeen: {}, // case alert key -> when this page first saw it (0: already there at load)
};

// ---------------------------------------------------------------- whose board
function supervisor() {
  return staff.user().role === "supervisor";
}

/** The hall this board shows: a supervisor's ?hall= (a hall below its own), else its own. */
function viewedHall() {
  var own = staff.session && staff.session.hall;
  if (!supervisor()) return own;
  return new URLSearchParams(window.location.search).get("hall") || own;
}

/** staff.api for the hall shown (the staffing strip): a supervisor's may be another one. */
function hallApi(method, path, options) {
  var base = "/api/v1/halls/" + encodeURIComponent(viewedHall());
  return api(method, base + path, Object.assign({ token: staff.session.token }, options));
}

/** Where a link to the cases page goes: a supervisor has no /cases, it has the county
 * page's case list (filtered to the hall shown; a case opens there read-only). */
function casesHref(query) {
  if (!supervisor()) return "/cases" + (query || "");
  var from = new URLSearchParams(query || "");
  var to = new URLSearchParams({ tab: "cases", hall: viewedHall() });
  ["colour", "state"].forEach(function (key) {
    if (from.get(key)) to.set(key, from.get(key));
  });
  if (from.get("case")) {
    to.set("case", from.get("case"));
    to.set("case_hall", viewedHall());
  }
  return "/county?" + to.toString();
}

/** Read-only for a supervisor: the managers' pages hidden, the county page linked. */
function showRole() {
  var sup = supervisor();
  var other = sup && viewedHall() !== staff.session.hall;
  document.body.dataset.readonly = sup ? "1" : "";
  ["to-cases", "to-reviews", "to-reports", "to-rectifications"].forEach(function (id) {
    if ($(id)) $(id).hidden = sup;
  });
  document.querySelectorAll("#cases-panel h2 a.more").forEach(function (a) {
    a.href = casesHref("");
  });
  $("to-county").hidden = !sup;
  $("read-only").hidden = !sup;
  document.body.dataset.hallShown = other ? viewedHall() : "";
}

// ---------------------------------------------------------------- live connection
var resyncTimer = null;
function resyncSoon() {
  clearTimeout(resyncTimer);
  resyncTimer = setTimeout(function () {
    if (live) live.resync("event");
  }, RESYNC_DEBOUNCE_MS);
}

function stopLive() {
  clearTimeout(resyncTimer);
  staffing.stop();
  appointments.stop();
  if (live) live.close();
  live = null;
  window.onestopBoard.live = null;
}

function startBoard() {
  stopLive();
  staff.showApp("board");
  showRole();
  staff.setConn("connecting");
  var options = {
    token: staff.session.token,
    onSnapshot: onSnapshot,
    onEvent: function (event) {
      resyncSoon();
      staffing.onEvent();
      appointments.onEvent(event);
    },
    onStatus: liveStatus,
  };
  // A supervisor names the hall (its own too: without one its socket is the county board's).
  if (supervisor()) options.hall = viewedHall();
  live = connectLive(options);
  window.onestopBoard.live = live;
  appointments.start(staff.session.token);
  if (appointments.state.hall !== viewedHall()) {
    appointments.state.hall = viewedHall(); // the strip reads the session's hall by itself
    appointments.refresh();
  }
  staffing.start();
}

/** A supervisor's ?hall= it may not see is refused by the socket: say so, stay signed in. */
function liveStatus(status, detail) {
  if (status === "refused" && supervisor() && /no hall/i.test(String(detail || ""))) {
    stopLive();
    staff.setConn("disconnected");
    $("hall-name").textContent = tx("b_no_such_hall", "无权查看此大厅或大厅不存在：{hall}", {
      hall: viewedHall(),
    });
    document.body.dataset.refusedHall = viewedHall();
    return;
  }
  staff.liveStatus(status, detail);
}

function onSnapshot(snap) {
  if (snap.kind !== "board") {
    stopLive();
    staff.refuse(CLERK_REFUSED, staff.session && staff.session.token);
    return;
  }
  state.snap = snap;
  state.snapshots += 1;
  state.offset = Date.parse(snap.at) - Date.now();
  render();
  document.body.dataset.seq = snap.seq;
  document.body.dataset.snapshots = state.snapshots;
}

// ---------------------------------------------------------------- time helpers
function serverNow() {
  return Date.now() + state.offset;
}

function minutesSince(iso) {
  if (!iso) return null;
  return (serverNow() - Date.parse(iso)) / 60000;
}

function duration(iso) {
  if (!iso) return "";
  var s = Math.max(0, Math.floor((serverNow() - Date.parse(iso)) / 1000));
  var h = Math.floor(s / 3600);
  var m = Math.floor((s % 3600) / 60);
  var sec = s % 60;
  return (h ? h + ":" + pad(m) : m) + ":" + pad(sec);
}

function minutesText(value, exact) {
  if (value === null || value === undefined) return "–";
  return tx("b_minutes", "{m} 分", { m: exact ? value : Math.round(value) });
}

// ---------------------------------------------------------------- alerts
/** Online while its socket is connected (the server pushes the change) or seen lately; the
 * same rule as the server's alerts, so a quiet hall does not turn its screens "offline". */
function deviceOnline(d, limitSeconds) {
  if ((d.status || {}).online === true) return true;
  var seen = d.last_seen_at ? (serverNow() - Date.parse(d.last_seen_at)) / 1000 : null;
  return seen !== null && seen <= limitSeconds;
}

function computeAlerts() {
  var snap = state.snap;
  if (!snap) return [];
  var limits = snap.thresholds || {};
  var local = [];
  snap.items.forEach(function (i) {
    var longest = i.oldest_waiting_since ? minutesSince(i.oldest_waiting_since) : 0;
    if (i.waiting > 0 && longest > limits.wait_minutes) {
      local.push({
        kind: "wait_long",
        item: i.code,
        text: tx("alert_text_wait_long", "{name} 最长等候 {m} 分钟", {
          name: T.name(i.name),
          m: Math.floor(longest),
        }),
      });
    }
  });
  snap.windows.forEach(function (w) {
    if (w.state === "paused" && w.state_since) {
      var paused = minutesSince(w.state_since);
      if (paused > limits.pause_minutes) {
        local.push({
          kind: "paused_long",
          window: w.number,
          text: tx("alert_text_paused_long", "{name} 暂停 {m} 分钟", {
            name: T.name(w.name),
            m: Math.floor(paused),
          }),
        });
      }
    }
  });
  snap.devices.forEach(function (d) {
    if (!deviceOnline(d, limits.device_offline_seconds)) {
      local.push({
        kind: "device_offline",
        device: d.code,
        text: tx("alert_text_device_offline", "{name} 离线", { name: d.name }),
      });
    }
  });
  var kept = (snap.alerts || []).filter(function (a) {
    return !TIME_BASED[a.kind];
  });
  var all = kept.concat(local);
  var rank = function (a) {
    var r = ALERT_ORDER.indexOf(a.kind);
    return r < 0 ? ALERT_ORDER.length : r;
  };
  return all
    .map(function (a, n) {
      return { a: a, n: n };
    })
    .sort(function (x, y) {
      return rank(x.a) - rank(y.a) || x.n - y.n;
    })
    .map(function (x) {
      return x.a;
    });
}

var ALERT_KIND_TEXT = {
  case_overdue: "办件超期",
  bad_review: "差评",
  queue_long: "排队过长",
  wait_long: "等候过久",
  idle_with_queue: "窗口空闲",
  paused_long: "暂停过久",
  device_offline: "设备离线",
  printer_fault: "打印机",
  refer_up_due: "待上报",
  referral_late: "上报超时",
  referral_waiting: "移交待接收",
};

function renderAlerts() {
  state.alerts = computeAlerts();
  var list = $("alerts");
  list.textContent = "";
  var now = serverNow();
  state.alerts.forEach(function (a) {
    var li = el("li", "alert alert-" + a.kind);
    li.dataset.kind = a.kind;
    if (CASE_ALERTS[a.kind]) {
      var key = a.kind + ":" + (a.case || a.rectification || a.text);
      if (!(key in state.firstSeen)) state.firstSeen[key] = state.snapshots > 1 ? now : 0;
      if (state.firstSeen[key] && now - state.firstSeen[key] < FRESH_MS) {
        li.classList.add("fresh");
        li.appendChild(el("span", "a-new", tx("alert_new", "新")));
      }
      if (a.case) li.dataset.case = a.case;
    }
    var kind = ALERT_KIND_TEXT[a.kind] ? tx("alert_" + a.kind, ALERT_KIND_TEXT[a.kind]) : a.kind;
    li.appendChild(el("span", "a-kind", kind));
    li.appendChild(el("span", "a-text", alertText(a)));
    list.appendChild(li);
  });
  if (!state.alerts.length) {
    list.appendChild(el("li", "alert-none", tx("no_alerts", "暂无告警 · No alerts")));
  }
  $("alert-count").textContent = state.alerts.length;
  $("alerts-panel").classList.toggle("has-alerts", state.alerts.length > 0);
  markAlerted();
}

function find(list, keyName, value) {
  for (var i = 0; i < (list || []).length; i++) if (list[i][keyName] === value) return list[i];
  return null;
}

/** The server's alerts carry Chinese text; in English they are told again from the snapshot
 * (names of items and units stay as the hall wrote them). */
function alertText(a) {
  if (!T.english()) return a.text;
  var snap = state.snap;
  var c = snap.cases || {};
  var more = /(\d+)/.exec(a.text || "");
  var item = a.item ? find(snap.items, "code", a.item) : null;
  var win = a.window !== undefined ? find(snap.windows, "number", a.window) : null;
  var dev = a.device ? find(snap.devices, "code", a.device) : null;
  if (a.kind === "queue_long" && item) {
    return tx("alert_text_queue_long", "{name} 等候 {n} 人", { name: T.name(item.name), n: item.waiting });
  }
  if (a.kind === "idle_with_queue" && win) {
    return tx("alert_text_idle_with_queue", "{name} 空闲但有群众等候", { name: T.name(win.name) });
  }
  if (a.kind === "printer_fault" && dev) {
    var printer = (dev.status || {}).printer || {};
    var what = PRINTER_TEXT[printer.condition] ? T.t(PRINTER_TEXT[printer.condition]) : printer.condition;
    return tx("alert_text_printer_fault", "{name} 打印机：{what}", { name: dev.name, what: what });
  }
  if (a.kind === "case_overdue") {
    var record = a.case ? find(c.overdue, "case", a.case) : null;
    if (record) {
      return tx("alert_text_case_overdue", "{case} {item}（{unit}）已超期", {
        case: record.case,
        item: record.item_name,
        unit: record.unit_name,
      });
    }
    if (!a.case && more) return tx("alert_text_more_overdue", "另有 {n} 件超期待督办", { n: more[1] });
  }
  if (a.kind === "bad_review") {
    var r = a.rectification ? find(c.rectifications, "id", a.rectification) : null;
    if (r) {
      var rating = RATING[r.rating] ? T.t(RATING[r.rating]) : r.rating_zh;
      var said = r.comment
        ? tx("alert_text_comment", "：{comment}", { comment: r.comment.slice(0, 24) })
        : "";
      return (
        tx("alert_text_bad_review", "{ticket} 评价「{rating}」", { ticket: r.ticket, rating: rating }) + said
      );
    }
    if (!a.rectification && more) {
      return tx("alert_text_more_bad_reviews", "另有 {n} 条差评待回访", { n: more[1] });
    }
  }
  return a.text;
}

function markAlerted() {
  var items = {};
  var windows = {};
  var devices = {};
  state.alerts.forEach(function (a) {
    if (a.item) items[a.item] = true;
    if (a.window !== undefined) windows[a.window] = true;
    if (a.device) devices[a.device] = true;
  });
  document.querySelectorAll("#items tr[data-item]").forEach(function (tr) {
    tr.classList.toggle("alerted", !!items[tr.dataset.item]);
  });
  document.querySelectorAll("#items tr[data-department]").forEach(function (tr) {
    var any = false;
    (tr.dataset.items || "").split(",").forEach(function (code) {
      if (items[code]) any = true;
    });
    tr.classList.toggle("alerted", any);
  });
  document.querySelectorAll("#windows tr[data-window]").forEach(function (tr) {
    tr.classList.toggle("alerted", !!windows[tr.dataset.window]);
  });
  document.querySelectorAll("#devices li[data-device]").forEach(function (li) {
    li.classList.toggle("alerted", !!devices[li.dataset.device]);
  });
}

// ---------------------------------------------------------------- rendering
function render() {
  var snap = state.snap;
  var hallName = snap.hall ? T.name(snap.hall.name) : "";
  $("hall-name").textContent = hallName || tx("board_title", "大厅看板");
  document.title = (hallName ? hallName + " · " : "") + tx("board_title", "大厅看板");
  $("day").textContent = snap.day || "";
  renderTotals();
  renderWindows();
  renderItems();
  renderDevices();
  renderChart();
  renderCases();
  renderAlerts();
  tick();
}

// ---------------------------------------------------------------- cases
var NEXT_STEP = {
  callback: lb("rectification_step", "callback"),
  verify: lb("rectification_step", "verify"),
  fix: lb("rectification_step", "fix"),
  inform: lb("rectification_step", "inform"),
};

function caseLink(number, className) {
  var a = el("a", className, number);
  a.href = casesHref("?case=" + encodeURIComponent(number));
  return a;
}

function todoList(id, countId, rows, draw, emptyText) {
  var list = $(id);
  list.textContent = "";
  $(countId).textContent = rows.length;
  $(countId).classList.toggle("hot", rows.length > 0);
  if (!rows.length) {
    list.appendChild(el("li", "none", emptyText));
    return;
  }
  rows.slice(0, PENDING_LIST_ROWS).forEach(function (row) {
    list.appendChild(draw(row));
  });
  if (rows.length > PENDING_LIST_ROWS) {
    var more = el("li", "none");
    more.appendChild(caseLinkAll(tx("b_more_rows", "另有 {n} 项 →", { n: rows.length - PENDING_LIST_ROWS })));
    list.appendChild(more);
  }
}

function caseLinkAll(text, query) {
  var a = el("a", "more", text);
  a.href = casesHref(query);
  return a;
}

function todoItem(main, subs, number) {
  var li = el("li");
  if (number) li.dataset.case = number;
  var m = el("span", "t-main");
  main.forEach(function (part) {
    m.appendChild(typeof part === "string" ? document.createTextNode(part) : part);
  });
  li.appendChild(m);
  subs.forEach(function (sub) {
    if (sub) li.appendChild(el("span", "t-sub", sub));
  });
  return li;
}

function renderCases() {
  var c = state.snap.cases;
  $("cases-panel").hidden = !c;
  if (!c) return;
  var now = serverNow();
  T.rich($("open-cases"), "b_open_cases", "在办 {n} 件", { n: el("b", null, c.open) });
  $("open-cases").firstElementChild.id = "c-open";
  document.querySelectorAll("#colour-counts .cc").forEach(function (tile) {
    var colour = tile.dataset.colour;
    var n = (c.counts && c.counts[colour]) || 0;
    var lit = n > 0 && (colour === "red" || colour === "orange");
    tile.className = "cc c-" + colour + (n ? "" : " zero") + (lit ? " lit" : "");
    tile.href = casesHref(colour === "suspended" ? "?state=suspended" : "?colour=" + colour);
    tile.dataset.count = n;
    tile.textContent = "";
    tile.appendChild(T.colourMark(colour));
    tile.appendChild(el("b", null, n));
  });

  var body = document.querySelector("#urgent tbody");
  body.textContent = "";
  $("urgent-count").textContent = c.urgent_total;
  $("urgent-count").classList.toggle("hot", c.urgent_total > 0);
  c.urgent.slice(0, BOARD_URGENT_ROWS).forEach(function (u) {
    var tr = el("tr", "u-row c-" + u.colour);
    tr.dataset.case = u.number;
    tr.dataset.colour = u.colour;
    var mark = el("td", "u-mark");
    mark.appendChild(T.colourMark(u.colour));
    tr.appendChild(mark);
    var what = el("td", "u-what");
    what.appendChild(caseLink(u.number, "u-number"));
    what.appendChild(el("span", "u-item", u.item_name));
    tr.appendChild(what);
    tr.appendChild(el("td", "u-unit", u.unit_name));
    var due = el("td", "u-due", deadlineText(u.deadline_at));
    due.appendChild(el("span", "u-left", T.deadlineLeft(u.deadline_at, now)));
    tr.appendChild(due);
    tr.appendChild(el("td", "u-clerk", u.clerk || "—"));
    body.appendChild(tr);
  });
  if (!c.urgent.length) {
    var none = el("tr", "empty");
    var td = el("td", null, tx("b_no_urgent", "没有超期或一天内到期的办件 · Nothing overdue or due today"));
    td.colSpan = 5;
    none.appendChild(td);
    body.appendChild(none);
  }
  var more = $("urgent-more");
  more.textContent = "";
  var hiddenRows = c.urgent_total - Math.min(c.urgent.length, BOARD_URGENT_ROWS);
  more.hidden = hiddenRows <= 0;
  if (hiddenRows > 0) {
    more.appendChild(caseLinkAll(tx("b_more_urgent", "另有 {n} 件红橙预警 → 办件管理", { n: hiddenRows })));
  }

  todoList(
    "overdue-list",
    "overdue-count",
    c.overdue,
    function (r) {
      return todoItem(
        [caseLink(r.case)],
        [
          r.item_name + " · " + r.unit_name,
          tx("b_deadline", "时限 {at}", { at: deadlineText(r.deadline_at) }) +
            " · " +
            T.deadlineLeft(r.deadline_at, now),
        ],
        r.case
      );
    },
    tx("none", "无 · none")
  );
  todoList(
    "extension-list",
    "extension-count",
    c.extensions,
    function (x) {
      return todoItem(
        [caseLink(x.case)],
        [
          x.item_name + " · " + tx("b_extension_days", "延期 {n} 个工作日", { n: x.days }),
          x.reason + (x.requested_by ? " · " + x.requested_by : ""),
        ],
        x.case
      );
    },
    tx("none", "无 · none")
  );
  todoList(
    "rect-list",
    "rect-count",
    c.rectifications,
    function (r) {
      var li = todoItem(
        [r.ticket + " 「" + (RATING[r.rating] ? T.t(RATING[r.rating]) : r.rating_zh) + "」"],
        [
          r.comment
            ? tx("b_comment", "留言：{comment}", { comment: r.comment })
            : tx("b_no_comment", "无留言"),
          tx("b_next_step", "下一步 {step} · 限 {at}", {
            step: NEXT_STEP[r.next_step] ? T.t(NEXT_STEP[r.next_step]) : r.next_step || "—",
            at: deadlineText(r.deadline_at),
          }),
        ],
        null
      );
      li.dataset.rectification = r.id;
      return li;
    },
    tx("none", "无 · none")
  );

  var rt = c.ratings_today || { total: 0, satisfied: 0, bad: 0 };
  var box = $("ratings-today");
  box.textContent = "";
  T.rich(box, "b_ratings_today", "今日评价 {total} 次 · 满意 {satisfied} · 不满意 {bad}", {
    total: el("b", null, rt.total),
    satisfied: el("b", null, rt.satisfied),
    bad: el("b", null, rt.bad),
  });
  if (rt.total) {
    var rate = el("span");
    T.rich(rate, "b_satisfaction", " · 满意率 {pct}", {
      pct: el("b", null, Math.round((100 * rt.satisfied) / rt.total) + "%"),
    });
    box.appendChild(rate);
  }
}

function renderTotals() {
  var t = state.snap.totals || {};
  $("t-issued").textContent = t.issued;
  $("t-served").textContent = t.served;
  $("t-waiting").textContent = t.waiting;
  $("t-no-show").textContent = t.no_show;
  $("t-avg-wait").textContent = minutesText(t.avg_wait_minutes, true);
}

/** The windows table, drawn again from the snapshot on every tick (the timers run on): lit-html
 * touches only what changed. */
function renderWindows() {
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
  return html`<tr class="w-row st-${w.state}" data-window=${w.number} data-state=${w.state}>
    <td class="w-name"><b>${shortWindowName(w.name, w.number)}</b>${rest ? html`<span class="muted">${" " + rest}</span>` : nothing}</td>
    <td class="w-state"><span class="badge badge-${w.state}">${label}</span>${paused}</td>
    <td class="w-clerk">${w.clerk || "—"}</td>
    <td class="w-current">${current}</td>
    <td class="num w-timer">${w.current ? duration(w.current.since) : ""}</td>
    <td class="num w-served">${w.served_today}</td>
  </tr>`;
}

function renderItems() {
  var body = document.querySelector("#items tbody");
  body.textContent = "";
  var groups = [];
  var byDept = {};
  state.snap.items.forEach(function (i) {
    var g = byDept[i.department];
    if (!g) {
      g = byDept[i.department] = { code: i.department, name: i.department_name || i.department, items: [] };
      groups.push(g);
    }
    g.items.push(i);
  });
  groups.forEach(function (g) {
    var waiting = 0;
    var longest = 0;
    g.items.forEach(function (i) {
      waiting += i.waiting;
      longest = Math.max(longest, liveLongest(i));
    });
    var tr = el("tr", "dept-row" + (waiting ? "" : " quiet"));
    tr.dataset.department = g.code;
    tr.dataset.items = g.items
      .map(function (i) {
        return i.code;
      })
      .join(",");
    tr.dataset.waiting = waiting;
    tr.appendChild(el("td", "d-name", g.name));
    tr.appendChild(el("td", "num d-waiting", waiting));
    var l = el("td", "num d-longest", waiting ? minutesText(longest) : "–");
    tr.appendChild(l);
    tr.appendChild(el("td", "num", ""));
    tr.appendChild(el("td", "num", ""));
    body.appendChild(tr);
    g.items.forEach(function (i) {
      var active = i.waiting || i.avg_wait_minutes !== null || i.avg_service_minutes !== null;
      var row = el("tr", "item-row" + (i.waiting ? "" : " quiet") + (active ? "" : " inactive"));
      row.dataset.item = i.code;
      row.dataset.waiting = i.waiting;
      row.appendChild(el("td", "i-name", i.name.zh));
      row.appendChild(el("td", "num i-waiting", i.waiting));
      var longestCell = el("td", "num i-longest", i.waiting ? minutesText(liveLongest(i)) : "–");
      longestCell.dataset.since = i.oldest_waiting_since || "";
      row.appendChild(longestCell);
      row.appendChild(el("td", "num", minutesText(i.avg_wait_minutes)));
      row.appendChild(el("td", "num", minutesText(i.avg_service_minutes)));
      body.appendChild(row);
    });
  });
}

function liveLongest(item) {
  if (!item.waiting) return 0;
  var m = item.oldest_waiting_since ? minutesSince(item.oldest_waiting_since) : null;
  return m === null ? item.longest_wait_minutes || 0 : Math.max(0, m);
}

function renderDevices() {
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
  return html`<li class=${"device " + (online ? "online" : "offline")} data-device=${d.code}>
    <span class="dot"></span><span class="dev-name">${d.name}</span><span class="muted">${online ? tx("b_online", "在线") : tx("b_offline", "离线")}</span>${paper}
  </li>`;
}

var SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs, text) {
  var node = document.createElementNS(SVG, tag);
  Object.keys(attrs || {}).forEach(function (k) {
    node.setAttribute(k, attrs[k]);
  });
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function renderChart() {
  var box = $("chart");
  box.textContent = "";
  var slots = state.snap.half_hours || [];
  if (!slots.length) {
    box.appendChild(el("p", "muted", tx("b_no_tickets", "今日尚无取号 · No tickets yet today")));
    return;
  }
  var max = 1;
  slots.forEach(function (s) {
    max = Math.max(max, s.arrivals, s.served);
  });
  var step = max <= 5 ? 1 : max <= 10 ? 2 : max <= 25 ? 5 : max <= 50 ? 10 : Math.ceil(max / 50) * 10;
  var top = Math.ceil(max / step) * step;
  var left = 34;
  var right = 10;
  var height = 190;
  var plotTop = 28;
  var plotBottom = height - 28;
  var room = Math.max(320, box.clientWidth || 600);
  var slotW = Math.max(30, Math.min(64, (room - left - right) / slots.length));
  var width = Math.max(room, left + right + slots.length * slotW);
  var chart = svg("svg", {
    viewBox: "0 0 " + width + " " + height,
    width: width,
    height: height,
    role: "img",
    "aria-label": tx("chart_title", "每半小时取号与办结"),
    class: "half-hours",
  });
  var y = function (v) {
    return plotBottom - (v / top) * (plotBottom - plotTop);
  };
  for (var v = 0; v <= top; v += step) {
    chart.appendChild(svg("line", { x1: left, x2: width - right, y1: y(v), y2: y(v), class: "gridline" }));
    chart.appendChild(svg("text", { x: left - 6, y: y(v) + 4, class: "axis", "text-anchor": "end" }, v));
  }
  slots.forEach(function (s, n) {
    var x = left + n * slotW;
    var bw = Math.min(18, (slotW - 10) / 2);
    x += (slotW - 2 * bw - 10) / 2;
    var g = svg("g", { class: "slot", "data-slot": s.slot });
    g.appendChild(svg("title", {}, tx("b_slot_title", "{slot} 取号 {arrivals} · 办结 {served}", s)));
    g.appendChild(
      svg("rect", {
        x: x + 4,
        y: y(s.arrivals),
        width: bw,
        height: plotBottom - y(s.arrivals),
        class: "bar-arrivals",
      })
    );
    g.appendChild(
      svg("rect", {
        x: x + 4 + bw + 2,
        y: y(s.served),
        width: bw,
        height: plotBottom - y(s.served),
        class: "bar-served",
      })
    );
    if (slots.length <= 16 || n % 2 === 0) {
      g.appendChild(
        svg("text", { x: x + 5 + bw, y: height - 10, class: "axis", "text-anchor": "middle" }, s.slot)
      );
    }
    chart.appendChild(g);
  });
  chart.appendChild(svg("rect", { x: left, y: 6, width: 10, height: 10, class: "bar-arrivals" }));
  chart.appendChild(
    svg("text", { x: left + 14, y: 15, class: "legend" }, tx("b_legend_arrivals", "取号 arrivals"))
  );
  chart.appendChild(svg("rect", { x: left + 120, y: 6, width: 10, height: 10, class: "bar-served" }));
  chart.appendChild(
    svg("text", { x: left + 134, y: 15, class: "legend" }, tx("b_legend_served", "办结 served"))
  );
  box.appendChild(chart);
}

// ---------------------------------------------------------------- ticking
function tick() {
  $("clock").textContent = clockText(
    new Date(serverNow()),
    state.snap && state.snap.hall && state.snap.hall.timezone,
    true
  );
  if (!state.snap) return;
  renderWindows();
}

function recheck() {
  if (!state.snap) return;
  document.querySelectorAll("#items .i-longest").forEach(function (td) {
    var item = null;
    var code = td.parentNode.dataset.item;
    state.snap.items.forEach(function (i) {
      if (i.code === code) item = i;
    });
    if (item && item.waiting) td.textContent = minutesText(liveLongest(item));
  });
  renderDevices();
  renderCases();
  renderAlerts();
}

$("show-all-items").addEventListener("change", function (ev) {
  $("items").classList.toggle("show-all", ev.target.checked);
});

setInterval(tick, 1000);
setInterval(recheck, ALERT_RECHECK_MS);

window.onestopBoard = {
  live: null,
  state: state,
  recheck: recheck, // test hook: run the 10-second checks now
  staffing: staffing, // the staffing strip: state, refresh(), choose("today"|"tomorrow")
};

// ---------------------------------------------------------------- start
staff.boot();
