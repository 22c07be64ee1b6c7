/* Reviews and reports page (好差评与报表): /reviews — the entry module: sign-in, tabs, the
 * address, the live connection and the lists' loading. The tabs are drawn with lit-html by
 * reviews-rect.js, reviews-follow.js and reviews-reports.js (shared parts: reviews-common.js).
 *
 * Three tabs, the open one in the address (?tab=reviews|follow-ups|reports):
 *  - 差评整改: GET /rectifications?state=open|done|void (managers: all; a clerk: their own). Each bad rating shows its
 *    deadline (overdue or not), the steps done, and a form for the next step (callback 回访群众 →
 *    verify 核实 → fix 整改 → inform 反馈结果); the server keeps the order and answers 409 to a
 *    step out of order, which is shown as it is. An appeal (申诉: a mistaken or malicious rating)
 *    is filed with a reason and decided by a manager (upheld: the rectification is void and the
 *    rating leaves the statistics).
 *  - 回访: GET /follow-ups?state=pending|done|unreachable (all staff), each pending callback
 *    recorded as done (with the resident's verdict) or unreachable.
 *  - 报表: daily and monthly CSV/XLSX and the monthly analysis PDF (managers). The API wants the
 *    Authorization header, so files are fetched, kept as a Blob and saved with an <a download>.
 *
 * Staff sign in like on the board and /cases (the same session in sessionStorage). The page
 * connects to Socket.IO with view "cases" (a small snapshot: hall, time zone, staff names) and
 * reloads the lists on rectification./evaluation./follow_up./case.finished events and on every
 * snapshot (reconnect, gap). No polling loop. Every POST carries a request id, reused when the
 * same action is retried after a network failure.
 */
import { connectLive, el } from "./live.js";
import { staffPage } from "./staff.js";
import { errorText } from "./case-parts.js";
import { T, page, paren, state, tx } from "./reviews-common.js";
import { renderFollows } from "./reviews-follow.js";
import { renderReviews } from "./reviews-rect.js";
import { renderReports, setReportDefaults } from "./reviews-reports.js";

var $ = function (id) {
  return document.getElementById(id);
};

var RELOAD_DEBOUNCE_MS = 300;
var STAFF_ROLES = { clerk: true, manager: true, admin: true };
var TABS = ["reviews", "follow-ups", "reports"];
var RECT_EVENTS = /^(rectification|evaluation)\./;
var FOLLOW_EVENTS = /^(follow_up\.|case\.finished$)/;

var staff = staffPage({
  app: "app",
  client: "reviews-web",
  roles: STAFF_ROLES,
  refused: ["此账号不能使用本页。", "This account cannot use this page."],
  start: start,
  stop: stopLive,
  onLanguage: redraw,
});
var live = null;

/** Draw the whole page again from state (lit-html changes only what changed). */
function render() {
  renderReports();
  if (!state.snap) return;
  renderReviews();
  renderFollows();
}

page.staff = staff;
page.render = render;
page.loadReviews = loadReviews;
page.loadFollows = loadFollows;

// ---------------------------------------------------------------- address bar
function readAddress() {
  var params = new URLSearchParams(window.location.search);
  var tab = params.get("tab");
  state.tab = TABS.indexOf(tab) >= 0 ? tab : "reviews";
  var rstate = params.get("state");
  state.rstate = rstate === null ? "open" : rstate === "all" ? "" : rstate;
  var fstate = params.get("fstate");
  state.fstate = fstate === null ? "pending" : fstate === "all" ? "" : fstate;
}

function writeAddress() {
  var params = new URLSearchParams();
  if (state.tab !== "reviews") params.set("tab", state.tab);
  if (state.rstate !== "open") params.set("state", state.rstate || "all");
  if (state.fstate !== "pending") params.set("fstate", state.fstate || "all");
  var q = params.toString();
  history.replaceState(null, "", window.location.pathname + (q ? "?" + q : ""));
}

// ---------------------------------------------------------------- live connection
var reloadTimers = {};
function reloadSoon(what) {
  clearTimeout(reloadTimers[what]);
  var load = what === "reviews" ? loadReviews : loadFollows;
  reloadTimers[what] = setTimeout(load, RELOAD_DEBOUNCE_MS);
}

function stopLive() {
  clearTimeout(reloadTimers.reviews);
  clearTimeout(reloadTimers.follows);
  if (live) live.close();
  live = null;
  window.onestopReviews.live = null;
}

function start() {
  stopLive();
  staff.showApp("reviews");
  var manager = staff.isManager();
  $("managers-only").hidden = manager;
  $("reports-managers-only").hidden = manager;
  $("reports").hidden = !manager;
  if (!manager && state.tab === "reviews" && !new URLSearchParams(location.search).get("tab")) {
    state.tab = "follow-ups"; // clerks: the part of the page they can work on
  }
  showTab();
  setReportDefaults(false);
  staff.setConn("connecting");
  live = connectLive({
    token: staff.session.token,
    view: "cases",
    onSnapshot: onSnapshot,
    onEvent: function (event) {
      if (RECT_EVENTS.test(event.type)) reloadSoon("reviews");
      if (FOLLOW_EVENTS.test(event.type)) reloadSoon("follows");
    },
    onStatus: staff.liveStatus,
  });
  window.onestopReviews.live = live;
}

function onSnapshot(snap) {
  if (snap.kind !== "cases") return;
  var first = !state.snap;
  state.snap = snap;
  showTitle();
  if (first) setReportDefaults(true); // "today" in the hall's time zone
  reload();
}

function showTitle() {
  var hall = state.snap && state.snap.hall ? T.name(state.snap.hall.name) : "";
  staff.showHall(hall, "r_title", "好差评与报表");
}

/** The language changed: draw again from memory (no request). */
function redraw() {
  if (state.snap) showTitle();
  render();
}

function reload() {
  if (!staff.session) return;
  loadReviews();
  loadFollows();
}

// ---------------------------------------------------------------- tabs
function showTab() {
  TABS.forEach(function (t) {
    var on = t === state.tab;
    $("tab-" + t).classList.toggle("active", on);
    $("tab-" + t).setAttribute("aria-selected", on ? "true" : "false");
    $("panel-" + t).hidden = !on;
  });
  document.body.dataset.tab = state.tab;
  $("f-rstate").value = state.rstate;
  $("f-fstate").value = state.fstate;
}

TABS.forEach(function (t) {
  $("tab-" + t).addEventListener("click", function () {
    state.tab = t;
    showTab();
    writeAddress();
  });
});
$("f-rstate").addEventListener("change", function (ev) {
  state.rstate = ev.target.value;
  writeAddress();
  state.rects = null;
  renderReviews();
  loadReviews();
});
$("f-fstate").addEventListener("change", function (ev) {
  state.fstate = ev.target.value;
  writeAddress();
  state.follows = null;
  renderFollows();
  loadFollows();
});

// ---------------------------------------------------------------- loading
/** GET a list (and, when another state is shown, the open/pending one for the tab's count). */
function loadList(what, path, filter, first, done) {
  if (!staff.session) return;
  var n = ++state.loads[what];
  var calls = [staff.api("GET", path + (filter ? "?state=" + encodeURIComponent(filter) : ""))];
  if (filter !== first) calls.push(staff.api("GET", path + "?state=" + first));
  var status = $(what === "reviews" ? "reviews-status" : "follow-status");
  status.textContent = tx("loading", "加载中…");
  Promise.all(calls).then(
    function (results) {
      if (n !== state.loads[what]) return; // a newer load is on its way
      status.textContent = "";
      done(results[0], results[1] || results[0]);
      state.reloads += 1;
      document.body.dataset.loaded = state.reloads;
    },
    function (err) {
      if (n !== state.loads[what]) return;
      listFailed(err, status, what);
    }
  );
}

function loadReviews() {
  // clerks get the ratings of their own services
  loadList("reviews", "/rectifications", state.rstate, "open", function (shown, open) {
    state.rects = shown.rectifications;
    state.openRects = open.rectifications;
    renderReviews();
  });
}

function loadFollows() {
  loadList("follows", "/follow-ups", state.fstate, "pending", function (shown, pending) {
    state.follows = shown.follow_ups;
    state.pendingFollows = pending.follow_ups;
    renderFollows();
  });
}

function listFailed(err, where, what) {
  if (err.status === 401) {
    staff.sessionEnded();
    return;
  }
  where.textContent = "";
  where.appendChild(
    el(
      "span",
      "error",
      err.status === 403
        ? tx("r_managers_only_view", "仅大厅管理员可查看（403） · managers only")
        : errorText(err) + (err.status ? paren(err.status) : "")
    )
  );
  if (!err.status || err.status >= 500) {
    setTimeout(function () {
      reloadSoon(what);
    }, 5000);
  }
}

// Deadlines move on: redraw "剩 3 小时 / 已逾期" every minute (from memory, no request).
setInterval(function () {
  if (staff.session && state.rects) renderReviews();
}, 60000);

// ---------------------------------------------------------------- start
window.onestopReviews = { live: null, state: state, reload: reload };
readAddress();
showTab();
renderReports(); // before boot: the language is applied to the forms' fixed words
staff.boot();
