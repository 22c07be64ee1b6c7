/* What the cases page's modules share (cases.js, cases-detail.js, cases-network.js): the page's
 * state, the page's actions (filled in by cases.js: staff, post, select, reload, render), the
 * label helpers and the small lit-html pieces of the detail pane (sections, facts, action forms).
 *
 * Action forms keep no DOM state of their own: what a form says (saving, saved, an error) is in
 * state.forms by the form's key, so a redraw from a live event draws it again; what a manager is
 * typing stays in the inputs because lit-html keeps the same elements across redraws.
 */
import { formView } from "./case-parts.js";
import { caseText, staffText } from "./staff.js";

export { dropdown, fact, field, localTime, section, submit } from "./case-parts.js";

export const T = staffText; // 中文 / English (staff.js)
export const tx = T.tx;
export const CT = caseText; // the case labels /cases and /county share (staff.js)

export const state = {
  snap: null, // the "cases" snapshot: units, items, clerks, role
  filters: {},
  group: "colour",
  list: null,
  counts: null,
  selected: null, // case number shown in the detail pane
  detail: null,
  detailStatus: null, // null (the case), "loading", "missing" or an error message
  targets: null, // GET /network/targets: {up, down, refer_up}
  inbox: null, // referrals to this hall still waiting (state sent)
  loads: 0,
  reloads: 0,
  pending: {}, // action key -> request id, reused when the same action is retried
  forms: {}, // action key -> {kind: "" | "ok" | "error", text, busy}
  referTo: {}, // case number -> the hall picked in its 上报/交办 form
};

/** The page's actions, set by cases.js: {staff, post(key, path, body), select(n), close(), render()}. */
export const page = {};

export function listSep() {
  return T.english() ? ", " : "、";
}

/** A table's entry in the chosen language; an unknown code as it is. */
export function word(table, code) {
  return table[code] ? T.t(table[code]) : code;
}

/** The hall's time zone (localTime of case-parts.js is given it; the browser's until known). */
export function timezone() {
  return (state.snap && state.snap.hall && state.snap.hall.timezone) || undefined;
}

export function unitName(code) {
  var units = (state.snap && state.snap.units) || [];
  for (var i = 0; i < units.length; i++) if (units[i].code === code) return units[i].name;
  return code;
}

/** Every hall this page knows of by code: the targets, the inbox and the open case's legs. */
export function hallName(code) {
  var t = state.targets || {};
  var known = [].concat(t.up ? [t.up] : [], t.down || []);
  (state.inbox || []).forEach(function (r) {
    known.push(r.from_hall);
  });
  var d = state.detail || {};
  (d.referrals || []).forEach(function (r) {
    known.push(r.to_hall, r.from_hall);
  });
  (d.referred_from || []).forEach(function (leg) {
    known.push(leg.hall, leg.referral.from_hall, leg.referral.to_hall);
  });
  if (state.snap && state.snap.hall && state.snap.hall.code === code) return T.name(state.snap.hall.name);
  for (var i = 0; i < known.length; i++) if (known[i] && known[i].code === code) return T.name(known[i].name);
  return code;
}

export function targetOf(code) {
  var t = state.targets || {};
  var all = [].concat(t.up ? [t.up] : [], t.down || []);
  for (var i = 0; i < all.length; i++) if (all[i].code === code) return all[i];
  return null;
}

export function canRefer() {
  var t = state.targets;
  return !!t && (!!t.up || (t.down || []).length > 0);
}

/** A department of another hall by code (from the targets), else the code. */
export function unitOf(hallCode, code) {
  var target = targetOf(hallCode);
  var units = (target && target.departments) || [];
  for (var i = 0; i < units.length; i++) if (units[i].code === code) return T.name(units[i].name);
  return code;
}

/** A form for one action of this page (what it says is kept in state.forms by its key). */
export function actionForm(key, body, onSubmit) {
  return formView(key, state.forms[key], body, onSubmit);
}

/** Say on the form (and keep in state) what became of its action. */
export function say(key, kind, text, busy) {
  state.forms[key] = { kind: kind, text: text, busy: !!busy };
  page.render();
}
