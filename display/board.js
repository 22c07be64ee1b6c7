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
 *
 * This file is the page's entry (session, live connection, snapshot, clock, role); the parts
 * are drawn with lit-html from state by board-hall.js (totals, windows, devices),
 * board-items.js, board-chart.js, board-cases.js and board-alerts.js (board-common.js: what
 * they share), so a live redraw keeps what a manager has focused or open.
 */
import { api, clockText, connectLive } from "./live.js";
import { staffPage } from "./staff.js";
import { staffingStrip } from "./board-staffing.js";
import { appointments } from "./board-appointments.js";
import { T, page, serverNow, state, tx } from "./board-common.js";
import { renderAlerts, updateAlerts } from "./board-alerts.js";
import { renderCases } from "./board-cases.js";
import { renderItems } from "./board-items.js";
import { renderDevices, renderTotals, renderWindows } from "./board-hall.js";
import { renderChart } from "./board-chart.js";

var $ = function (id) {
  return document.getElementById(id);
};

var RESYNC_DEBOUNCE_MS = 300;
var ALERT_RECHECK_MS = 10000;
var BOARD_ROLES = { manager: true, admin: true, supervisor: true };

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

/** Where a link to the cases page goes (page.casesHref, for board-cases.js): a supervisor has no /cases, it has the county
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
page.casesHref = casesHref;

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

// ---------------------------------------------------------------- rendering
/** Everything from the snapshot. Each part is drawn with lit-html from state (board-*.js), so a
 * live redraw keeps the same elements: nothing here is kept by hand across redraws. */
function render() {
  var snap = state.snap;
  var hallName = snap.hall ? T.name(snap.hall.name) : "";
  staff.showHall(hallName, "board_title", "大厅看板");
  $("day").textContent = snap.day || "";
  updateAlerts(); // first: the rows below mark what the alerts name
  renderTotals();
  renderItems();
  renderDevices();
  renderChart();
  renderCases();
  renderAlerts();
  tick();
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

/** The 10-second checks: the time-based alerts, the longest waits, devices gone quiet, what is
 * left of the case deadlines. */
function recheck() {
  if (!state.snap) return;
  updateAlerts();
  renderItems();
  renderDevices();
  renderCases();
  renderAlerts();
  renderWindows();
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
