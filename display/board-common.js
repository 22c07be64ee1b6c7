/* What the board's modules share (board.js and its parts: board-alerts.js, board-cases.js,
 * board-items.js, board-hall.js, board-chart.js): the page's state, the clock helpers, the
 * labels and the small lit-html pieces (staff.js's colour mark and text with marked-up
 * placeholders).
 *
 * Nothing here keeps DOM state: every part draws from state with lit-html, so a live redraw
 * keeps the same elements (focus, what is open or typed, scroll) and touches only what changed.
 */
import { pad } from "./live.js";
import { staffText } from "./staff.js";

// Chinese by default, English by the 中文/English toggle: strings from the "staff" catalogue
// (staff.js: staffText).
export const T = staffText;
export const tx = T.tx;
export const k = T.k;
export const lb = T.lb;

export const state = {
  snap: null,
  offset: 0, // server clock minus browser clock, from the snapshot's "at"
  alerts: [],
  alerted: { items: {}, windows: {}, devices: {} }, // what the alerts name, for the rows' marks
  snapshots: 0,
  firstSeen: {}, // case alert key -> when this page first saw it (0: already there at load)
};

/** The page's links, set by board.js: casesHref(query) -> /cases... or the county page's list. */
export const page = {
  casesHref: function (query) {
    return "/cases" + (query || "");
  },
};

export var PRINTER_TEXT = {
  ready: k("printer_ready", "正常"),
  paper_near_end: k("printer_paper_near_end", "纸将用尽"),
  paper_out: k("printer_paper_out", "缺纸"),
  cover_open: k("printer_cover_open", "仓盖打开"),
  error: k("printer_error", "故障"),
  offline: k("printer_offline", "离线"),
  unknown: k("printer_unknown", "未知"),
};

export var RATING = {
  very_satisfied: lb("rating", "very_satisfied"),
  satisfied: lb("rating", "satisfied"),
  basically_satisfied: lb("rating", "basically_satisfied"),
  dissatisfied: lb("rating", "dissatisfied"),
  very_dissatisfied: lb("rating", "very_dissatisfied"),
};

export function ratingText(r) {
  return RATING[r.rating] ? T.t(RATING[r.rating]) : r.rating_zh;
}

// ---------------------------------------------------------------- time
export function serverNow() {
  return Date.now() + state.offset;
}

export function minutesSince(iso) {
  if (!iso) return null;
  return (serverNow() - Date.parse(iso)) / 60000;
}

export function duration(iso) {
  if (!iso) return "";
  var s = Math.max(0, Math.floor((serverNow() - Date.parse(iso)) / 1000));
  var h = Math.floor(s / 3600);
  var m = Math.floor((s % 3600) / 60);
  var sec = s % 60;
  return (h ? h + ":" + pad(m) : m) + ":" + pad(sec);
}

export function minutesText(value, exact) {
  if (value === null || value === undefined) return "–";
  return tx("b_minutes", "{m} 分", { m: exact ? value : Math.round(value) });
}

/** The longest wait at an item now (the oldest waiting ticket's time, ticking locally). */
export function liveLongest(item) {
  if (!item.waiting) return 0;
  var m = item.oldest_waiting_since ? minutesSince(item.oldest_waiting_since) : null;
  return m === null ? item.longest_wait_minutes || 0 : Math.max(0, m);
}

/** Online while its socket is connected (the server pushes the change) or seen lately; the
 * same rule as the server's alerts, so a quiet hall does not turn its screens "offline". */
export function deviceOnline(d, limitSeconds) {
  if ((d.status || {}).online === true) return true;
  var seen = d.last_seen_at ? (serverNow() - Date.parse(d.last_seen_at)) / 1000 : null;
  return seen !== null && seen <= limitSeconds;
}

export function find(list, keyName, value) {
  for (var i = 0; i < (list || []).length; i++) if (list[i][keyName] === value) return list[i];
  return null;
}

// ---------------------------------------------------------------- lit-html pieces
export const colourMark = T.colourMark;

export const rich = T.rich;
