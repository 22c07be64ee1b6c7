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
 *
 * The page's modules: county-state.js (the one shared state), county-common.js (address, clock,
 * names, GET), county-board.js (the 全县大厅 tab), county-list.js (the 全县办件 tab's filters and
 * list), county-detail.js (one case and its 督办 form); this entry signs in, keeps the address and
 * the tabs, the live connection and the reloads.
 */
import { connectLive } from "./live.js";
import { staffPage } from "./staff.js";
import { state } from "./county-state.js";
import { $, COUNTY_ROLES, FILTERS, api, failed, page, writeAddress } from "./county-common.js";
import { LIMITS, recheck, renderBoard, tick } from "./county-board.js";
import {
  fillHallChoices,
  loadList,
  loadUnits,
  renderCounts,
  renderList,
  showFilters,
  wireFilters,
} from "./county-list.js";
import { loadDetail, renderDetail } from "./county-detail.js";

var RELOAD_EVERY_MS = 1000; // at most one reload a second, the last event included
var REFUSED = [
  "全县督查页面仅供督查督办账号使用，请使用督查督办账号登录。",
  "The county overview is for supervisors (督查督办): please sign in with a supervisor account.",
];

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
Object.assign(page, {
  staff: staff,
  reloadSoon: reloadSoon,
  stopLive: stopLive,
  select: select,
  openCase: openCase,
  closeDetail: closeDetail,
});

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
function reload() {
  if (!staff.session || !COUNTY_ROLES[staff.user().role]) return;
  lastReload = Date.now();
  loadBoard();
  if (state.tab === "cases") {
    loadList();
    if (state.selected) loadDetail(state.selected, false);
  }
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

// ---------------------------------------------------------------- the open case
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

function closeDetail() {
  state.selected = null;
  state.detail = null;
  writeAddress();
  renderDetail();
  if (state.list) renderList();
}

// ---------------------------------------------------------------- language
function redraw() {
  if (state.board) renderBoard();
  if (state.tab === "cases" && (state.board || state.listHalls.length)) fillHallChoices();
  if (state.counts) renderCounts();
  if (state.list) renderList();
  if (state.detail) renderDetail();
}

setInterval(tick, 1000);
setInterval(recheck, 10000);

window.onestopCounty = {
  live: null,
  state: state,
  reload: reload,
  recheck: recheck,
  limits: LIMITS,
};

// ---------------------------------------------------------------- start
readAddress();
showTab();
showFilters();
wireFilters();
staff.boot();
