/* What the county page's modules share (county.js, county-board.js, county-list.js,
 * county-detail.js): the page's actions (filled in by county.js), the address, the server's
 * clock and the county's time zone, hall and unit names, and the GET helper with its refusals.
 */
import { api as request, el } from "./live.js";
import { errorText } from "./case-parts.js";
import { caseText } from "./staff.js";
import { T } from "./cases-common.js";
import { state } from "./county-state.js";

export { T, tx, word } from "./cases-common.js";
export const k = T.k;

export const $ = function (id) {
  return document.getElementById(id);
};

export const RETRY_MS = 5000;
export const COUNTY_ROLES = { supervisor: true };
export const FILTERS = ["hall", "colour", "state", "item", "unit"];
export const NOT_SUPERVISED = ["此账号不能查看全县督查。", "This account cannot see the county overview."];
export const ACTION_TEXT = caseText.action; // the case labels /cases and /county share (staff.js)
export const LEVEL_TEXT = {
  county: k("co_level_county", "县"),
  town: k("co_level_town", "乡镇"),
  village: k("co_level_village", "村居"),
};

/** The page's actions, set by county.js: {staff, reloadSoon(), stopLive(), select(sel),
 * openCase(sel), closeDetail()}. */
export const page = {};

// ---------------------------------------------------------------- address bar
/** The page's address for a tab, the case list's filters and the case open in it. */
export function address(tab, filters, selected) {
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

export function writeAddress() {
  history.replaceState(null, "", address(state.tab, state.filters, state.selected));
}

export function boardLink(code) {
  return "/board?hall=" + encodeURIComponent(code);
}

// ---------------------------------------------------------------- loading
/** GET a path of the supervisor's own hall (its network reaches every hall below). */
export function api(path) {
  return request("GET", "/api/v1/halls/" + encodeURIComponent(page.staff.session.hall) + path, {
    token: page.staff.session.token,
  });
}

/** A refusal ends the page; a server hiccup is tried again; true when handled for good. */
export function failed(err, where) {
  if (err.status === 401) {
    page.staff.sessionEnded();
    return true;
  }
  if (err.status === 403 || (err.status === 404 && err.code === "hall_not_found")) {
    page.stopLive();
    page.staff.showLogin(NOT_SUPERVISED);
    return true;
  }
  if (where) {
    where.textContent = "";
    where.appendChild(el("span", "error", errorText(err)));
  }
  if (!err.status || err.status >= 500) setTimeout(page.reloadSoon, RETRY_MS);
  return false;
}

// ---------------------------------------------------------------- time
export function serverNow() {
  return Date.now() + state.offset;
}

/** The county's time zone (localTime of case-parts.js is given it). */
export function timezone() {
  var root = state.board && state.board.root;
  return (root && root.timezone) || "Asia/Shanghai";
}

// ---------------------------------------------------------------- halls and units
export function hallName(h) {
  return h ? T.name(h.name) || h.code : "";
}

/** The halls of the county board by code. */
export function byCode() {
  var out = {};
  ((state.board && state.board.halls) || []).forEach(function (row) {
    out[row.hall.code] = row.hall;
  });
  return out;
}

/** Depth in the tree: the county 0, a town 1, its village points 2 (from the parents). */
export function depths(rows) {
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

/** A unit of a hall by its code (from the hall's catalogue), else the code. */
export function unitName(hall, code) {
  var n = (state.units[hall] || {})[code];
  return n ? T.name(n) : code || "—";
}
