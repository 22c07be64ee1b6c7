/* The booking page's state (from the address: /book/<hall> or /a/<manage_token>), its texts in
 * the chosen language, the API calls (one request id per form content), dates and times in the
 * hall's time zone, and the small DOM helpers.
 */
import { load as loadCatalogue } from "./i18n.js";
import { FALLBACK_LANGUAGES, TEXT } from "./book-texts.js";
import { render } from "./book-draw.js";

var PHONE = /^1\d{10}$/;
var ID_NUMBER = /^\d{17}[\dX]$/;
var FIELDS = { name: "err_name", phone: "err_phone", id_number: "err_id" }; // field -> its text
var SLOT_ERRORS = { slot_full: true, slot_cutoff: true, slot_closed: true };

var texts = TEXT;
var $ = function (id) {
  return document.getElementById(id);
};

var path = window.location.pathname;
var manage = /^\/a\/([A-Za-z0-9_-]+)$/.exec(path);
var book = /^\/book\/([A-Za-z0-9_-]+)$/.exec(path);

var state = {
  mode: manage ? "manage" : "book",
  hall: book ? book[1] : null,
  token: manage ? manage[1] : null,
  lang: "zh",
  languages: FALLBACK_LANGUAGES,
  hallInfo: null, // from GET /catalog: {name, timezone, supervision_phone}
  materials: {}, // item code -> [material]
  step: "item", // item | day | slot | form | done  (manage: view | day | slot | confirm)
  items: null,
  filter: "",
  item: null,
  days: null,
  day: null,
  slots: null,
  slot: null,
  form: { name: "", phone: "", id_number: "" },
  errors: {}, // field -> text
  message: "", // a sentence over the current step
  sending: false,
  requestId: null, // kept across retries of the same content
  requestFor: null,
  result: null, // POST answer: {appointment, manage_token, manage_path}
  appointment: null, // manage mode
  confirming: null, // "cancel" | "move"
  notFound: false,
  loads: 0,
};

// ------------------------------------------------------------------ texts
var RTL = false;
var RANGE = /\u2068?(\d{1,2}:\d{2})\u2069?\s*–\s*\u2068?(\d{1,2}:\d{2})\u2069?/g;

/** A text of the catalogue with {values}; on a right-to-left page each value and each time
 * range (9:45–10:10) is isolated so numbers and Chinese names keep their own order. */
function t(key, values) {
  var s = Object.prototype.hasOwnProperty.call(texts, key) ? texts[key] : TEXT[key];
  if (s === undefined) s = key;
  s = String(s).replace(/\{(\w+)\}/g, function (m, name) {
    if (!values || values[name] === undefined) return m;
    return RTL ? "\u2068" + values[name] + "\u2069" : String(values[name]);
  });
  // a time range never breaks across lines (word joiners), and reads left to right
  return s.replace(RANGE, RTL ? "\u2066$1\u2060–\u2060$2\u2069" : "$1\u2060–\u2060$2");
}

function pickLanguage() {
  var asked = new URLSearchParams(window.location.search).get("lang");
  if (asked) return asked;
  var wanted = navigator.languages || [navigator.language || "zh"];
  for (var i = 0; i < wanted.length; i++) {
    var code = String(wanted[i]).toLowerCase().split("-")[0];
    if (code === "zh" || code === "en" || code === "ug") return code;
  }
  return "zh";
}

function applyLanguage(catalog) {
  texts = Object.assign({}, TEXT, catalog.texts || {});
  state.lang = catalog.lang || "zh";
  if (catalog.languages && catalog.languages.length) state.languages = catalog.languages;
  var html = document.documentElement;
  html.lang = state.lang === "zh" ? "zh-CN" : state.lang;
  html.dir = catalog.dir || "ltr";
  RTL = html.dir === "rtl";
}

function loadLanguage(lang) {
  var asked = loadCatalogue("booking", lang).then(function (cat) {
    return { lang: cat.lang, dir: cat.dir, languages: cat.languages, texts: cat.texts };
  });
  return asked.catch(function () {
    return { lang: "zh", dir: "ltr", texts: {} };
  });
}

function switchLanguage(lang) {
  loadLanguage(lang).then(function (catalog) {
    applyLanguage(catalog);
    var url = new URL(window.location.href);
    url.searchParams.set("lang", state.lang);
    window.history.replaceState(window.history.state, "", url.pathname + url.search);
    render();
  });
}

// ------------------------------------------------------------------ API
function newRequestId() {
  if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
  return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
}

/** JSON from our API; a 4xx/5xx rejects with {status, code, field, message}. */
function api(method, url, body) {
  var init = { method: method, headers: { Accept: "application/json" }, cache: "no-store" };
  if (body) {
    init.headers["Content-Type"] = "application/json";
    init.headers["Idempotency-Key"] = body.request_id;
    init.body = JSON.stringify(body);
  }
  return fetch(url, init).then(
    function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (data) {
          if (response.ok) return data;
          var e = (data && data.error) || {};
          var error = new Error(e.message || "HTTP " + response.status);
          error.status = response.status;
          error.code = e.code || "";
          error.field = e.field || "";
          throw error;
        });
    },
    function () {
      var error = new Error("network");
      error.status = 0;
      error.code = "network";
      throw error;
    }
  );
}

function hallApi(suffix) {
  return "/api/v1/halls/" + encodeURIComponent(state.hall) + suffix;
}

/** The words for a refused request, and the form field it is about ("" for none). */
function explain(err) {
  if (err.status === 0) return { text: t("err_network"), field: "" };
  if (err.status === 429) return { text: t("err_busy"), field: "" };
  if (err.status >= 500) return { text: t("err_server"), field: "" };
  var field = String(err.field || "")
    .split(".")
    .pop();
  if (texts["err_" + err.code] !== undefined || TEXT["err_" + err.code] !== undefined) {
    return { text: t("err_" + err.code), field: FIELDS[field] ? field : "" };
  }
  if (FIELDS[field]) return { text: t(FIELDS[field]), field: field };
  return { text: t("err_other", { message: err.message }), field: "" };
}

// ------------------------------------------------------------------ dates and times
function hhmm(iso) {
  var m = /T(\d{2}):(\d{2})/.exec(iso || "");
  return m ? String(Number(m[1])) + ":" + m[2] : "";
}

function hallToday(offsetDays) {
  var tz = (state.hallInfo && state.hallInfo.timezone) || "Asia/Shanghai";
  var now = new Date(Date.now() + (offsetDays || 0) * 86400000);
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: tz }).format(now);
  } catch (e) {
    return now.toISOString().slice(0, 10);
  }
}

function dayText(day) {
  var parts = day.split("-").map(Number);
  var weekday = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2])).getUTCDay();
  var values = { month: t("month_" + parts[1]), d: parts[2], weekday: t("weekday_" + weekday) };
  var text = t("date", values);
  if (day === hallToday(0)) return t("today") + " · " + text;
  if (day === hallToday(1)) return t("tomorrow") + " · " + text;
  return text;
}

function timeText(day, start, end) {
  return t("time_range", { day: dayText(day), start: hhmm(start), end: hhmm(end) });
}

function name(names) {
  if (!names || typeof names === "string") return names || "";
  return (state.lang === "en" && names.en) || names.zh || names.en || "";
}

function spaced(code) {
  return String(code || "").replace(/^(\d{4})(\d{4})$/, "$1 $2");
}

// ------------------------------------------------------------------ DOM helpers
function el(tag, cls, text) {
  var node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

/** Names and materials come in Chinese (or English): on an RTL page their text keeps its own
 * direction (CSS unicode-bidi: plaintext) while the layout stays mirrored. */
function auto(node) {
  node.classList.add("bidi");
  return node;
}

function buttonEl(cls, text, onClick, disabled) {
  var b = el("button", cls, text);
  b.type = "button";
  b.disabled = !!disabled;
  if (onClick) b.addEventListener("click", onClick);
  return b;
}

function notice(text, kind) {
  var p = el("p", "notice " + (kind || "error"), text);
  p.setAttribute("role", kind === "ok" ? "status" : "alert");
  return p;
}

export {
  $,
  FIELDS,
  ID_NUMBER,
  PHONE,
  RANGE,
  RTL,
  SLOT_ERRORS,
  api,
  applyLanguage,
  auto,
  book,
  buttonEl,
  dayText,
  el,
  explain,
  hallApi,
  hallToday,
  hhmm,
  loadLanguage,
  manage,
  name,
  newRequestId,
  notice,
  path,
  pickLanguage,
  spaced,
  state,
  switchLanguage,
  t,
  texts,
  timeText,
};
