/* The resident's status page (/t/<token>) kept live on the phone. The page is rendered by the
 * server and works without this script (it then reloads every 15 s); this script joins the
 * push channel for this one ticket (Socket.IO namespace "/hall", auth {status: token}: the
 * ticket's own room, never the hall's) and redraws the ticket part from each "status" message:
 * people ahead, the wait, and 「请到 N号窗口」 the moment the number is called, with a vibration
 * and a chime where the browser allows (a tap on 开启到号提醒 unlocks both).
 *
 * A phone sleeps: on wake (visibilitychange, pageshow) and on every reconnect it asks for the
 * status again; while the socket is down it polls GET /api/v1/status/<token> every 15 s.
 * Statuses carry the hall's event seq; an older one than already shown is ignored. A change to
 * a state the server draws differently (finished: the rating form, the case) reloads the page.
 * The page's words come from the "status" gettext catalogue the server rendered it with
 * (data-texts: the page's language; data-texts-alt: the second line under it).
 *
 * The case part (#case) is live too while the case can still change (data-case-state not
 * finished or refused), also once the ticket itself is done: the socket's "case" message
 * ({version, case}) says the case changed — accepted at the county it was reported to, its
 * deadline, its result — and the server's own rendering of the part (GET /t/<token>/case, the
 * same words and languages as the page) is swapped in when its version differs from the one
 * shown (data-version). While the socket is down the part is fetched with every poll.
 */
import { socketReady } from "./live.js";

// The page's words in its language and in the second one shown under them: the "status"
// catalogue the server rendered the page with (GET /i18n/status/<lang>.json), loaded once.
var PRIMARY = {};
var SECOND = {};
var worded = false; // false until both catalogues are in: a change then reloads the page

function catalogue(lang) {
  var url = "/i18n/status/" + encodeURIComponent(lang) + ".json";
  return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
    if (!r.ok) throw new Error(url + " " + r.status);
    return r.json().then(function (data) {
      return data.texts || {};
    });
  });
}

function loadWords() {
  var lang = document.documentElement.lang || "zh";
  var second = document.body.dataset.langAlt || "en";
  return Promise.all([catalogue(lang), catalogue(second)]).then(
    function (both) {
      PRIMARY = both[0];
      SECOND = both[1];
      worded = true;
    },
    function () {
      /* no words to redraw with: changes reload the server-rendered page */
    }
  );
}

var POLL_MS = 15000;
var SOUND = "/voice/chime.wav";
var LIVE_STATES = { waiting: true, called: true, serving: true };
var CASE_FINAL = { finished: true, refused: true }; // nothing changes a case after these

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, function (whole, name) {
    return values && name in values ? String(values[name]) : whole;
  });
}

/** {main, alt}: the text of ``key`` in the page's language and in the second one. */
function t(key, values) {
  return {
    main: fill(PRIMARY[key] || key, values),
    alt: fill(SECOND[key] || "", values),
  };
}

/** t(key) with the wait in each language's own words. */
function both(key, values, wait) {
  return {
    main: fill(PRIMARY[key] || key, Object.assign({ wait: wait.main }, values)),
    alt: fill(SECOND[key] || "", Object.assign({ wait: wait.alt }, values)),
  };
}

/** The wait as the receipt words it (约 1 小时 15 分钟); the same rule as status_page.py. */
function waitWords(minutes) {
  if (minutes === null || minutes === undefined) return null;
  if (minutes <= 0) return t("wait_soon");
  var h = Math.floor(minutes / 60);
  var m = minutes % 60;
  if (!h) return t("wait_minutes", { m: m });
  return m ? t("wait_hours_minutes", { h: h, m: m }) : t("wait_hours", { h: h });
}

function el(tag, className, text) {
  var node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A big line in the page's language and the second language below it. */
function pair(words, id) {
  var frag = document.createDocumentFragment();
  var main = el("p", "big", words.main);
  if (id) main.id = id;
  frag.appendChild(main);
  frag.appendChild(el("p", "muted", words.alt));
  return frag;
}

var token = decodeURIComponent(window.location.pathname.split("/")[2] || "");
var body = document.body;
var shown = {
  state: body.dataset.state || "",
  seq: -1,
  window: null,
};
var socket = null;
var pollTimer = null;
var audio = null;
var baseTitle = document.title;

function whereFor(s) {
  var frag = document.createDocumentFragment();
  if (s.state === "waiting") {
    var known = s.people_ahead !== null && s.people_ahead !== undefined;
    var wait = known ? waitWords(s.estimated_wait_minutes) : null;
    if (!wait) {
      frag.appendChild(pair(t("no_window"), "wait"));
    } else if (s.people_ahead) {
      frag.appendChild(pair(both("ahead", { n: s.people_ahead }, wait), "wait"));
    } else if (s.estimated_wait_minutes) {
      frag.appendChild(pair(both("none_ahead_wait", {}, wait), "wait"));
    } else {
      frag.appendChild(pair(t("none_ahead"), "wait"));
    }
  } else if (s.window) {
    var names = s.window.name || {};
    var lang = document.documentElement.lang;
    var nameIn = function (which) {
      return (which === "en" && names.en) || names.zh || s.window.number + "号窗口";
    };
    if (s.state === "called") {
      var call = t("go_to_window", { window: s.window.number });
      var callout = el("p", "callout", call.main);
      callout.id = "callout";
      callout.appendChild(el("span", "alt", call.alt));
      frag.appendChild(callout);
    }
    var go = el("p", "big");
    var parts = (PRIMARY.go_to_name || "{name}").split("{name}");
    go.appendChild(document.createTextNode(parts[0]));
    go.appendChild(el("b", "", nameIn(lang)));
    go.appendChild(document.createTextNode(parts.slice(1).join("{name}")));
    frag.appendChild(go);
    var second = nameIn(lang === "zh" ? "en" : "zh"); // the second line's language
    frag.appendChild(el("p", "muted", fill(SECOND.go_to_name || "", { name: second })));
  }
  return frag;
}

function apply(s) {
  if (!s || typeof s !== "object" || !s.state) return;
  if (typeof s.seq === "number") {
    if (s.seq < shown.seq) return; // older than what is on the screen
    shown.seq = s.seq;
  }
  var before = shown.state;
  if (!worded) {
    var key = JSON.stringify([s.state, s.people_ahead, s.estimated_wait_minutes, s.window]);
    if (shown.key !== undefined && shown.key !== key) window.location.reload();
    shown.key = key;
    return;
  }
  if (!LIVE_STATES[s.state] || (before && !LIVE_STATES[before])) {
    if (s.state !== before) window.location.reload(); // the server draws these (rating, case)
    return;
  }
  var section = document.getElementById("ticket");
  var badge = document.getElementById("ticket-state");
  var where = document.getElementById("where");
  if (!section || !badge || !where) return;
  section.className = "ticket ticket-" + s.state;
  badge.className = "state s-" + s.state;
  var label = t("ticket_" + s.state);
  badge.textContent = label.main;
  badge.appendChild(el("span", "alt", label.alt));
  where.textContent = "";
  where.appendChild(whereFor(s));
  var alertsRow = document.getElementById("alerts-row");
  if (alertsRow && s.state === "serving") alertsRow.hidden = true;
  var calledNow = s.state === "called" && (before !== "called" || s.alert);
  shown.state = s.state;
  body.dataset.state = s.state;
  body.dataset.updates = String(+(body.dataset.updates || 0) + 1);
  if (s.state === "called" && s.window) {
    document.title = t("go_to_window", { window: s.window.number }).main + " · " + baseTitle;
  } else {
    document.title = baseTitle;
  }
  if (calledNow) ring();
}

/** Vibrate and chime where the browser allows (most need a tap on the page first). */
function ring() {
  body.dataset.rang = String(+(body.dataset.rang || 0) + 1);
  try {
    if (navigator.vibrate) navigator.vibrate([400, 200, 400, 200, 400]);
  } catch (e) {
    /* not allowed: the words on the screen are enough */
  }
  try {
    var sound = audio || new Audio(SOUND);
    audio = sound;
    sound.currentTime = 0;
    var played = sound.play();
    if (played && played.catch) played.catch(function () {});
  } catch (e) {
    /* no audio: fine */
  }
}

function enableAlerts() {
  var button = document.getElementById("alerts");
  try {
    audio = audio || new Audio(SOUND);
    audio.muted = true;
    var p = audio.play();
    var unmute = function () {
      audio.pause();
      audio.muted = false;
    };
    if (p && p.then) p.then(unmute, unmute);
    else unmute();
  } catch (e) {
    /* no audio */
  }
  try {
    if (navigator.vibrate) navigator.vibrate(60);
  } catch (e) {
    /* no vibration */
  }
  if (button) {
    var on = t("alerts_on");
    button.textContent = on.main;
    button.appendChild(el("span", "alt", on.alt));
    button.disabled = true;
  }
  body.dataset.alerts = "on";
}

function note(kind) {
  var n = document.getElementById("live-note");
  if (!n || !worded) return;
  var words = t(kind);
  n.textContent = words.main + " · " + words.alt;
  body.dataset.live = kind === "live" ? "1" : "0";
}

function fetchStatus() {
  if (!token) return;
  fetch("/api/v1/status/" + encodeURIComponent(token), {
    headers: { Accept: "application/json" },
    cache: "no-store",
  })
    .then(function (r) {
      return r.ok ? r.json() : null;
    })
    .then(function (s) {
      // A poll has no seq; it only fills in while the push channel is down.
      if (s && !(socket && socket.connected)) apply(s);
    })
    .catch(function () {
      /* offline: the next poll or the socket catches up */
    });
  if (caseOpen() && !(socket && socket.connected)) fetchCase();
}

// ---------------------------------------------------------------- the case part
/** Whether the case on the page (if any) can still change. */
function caseOpen() {
  var section = document.getElementById("case");
  return !!section && !CASE_FINAL[section.dataset.caseState || ""];
}

var caseLoading = false;
var caseAgain = false;

/** Fetch the server's rendering of the case part and swap it in if it changed. */
function fetchCase() {
  if (!token) return;
  if (caseLoading) {
    caseAgain = true; // one more once this one is in (a change may have come meanwhile)
    return;
  }
  caseLoading = true;
  var lang = document.documentElement.lang || "zh";
  var url = "/t/" + encodeURIComponent(token) + "/case?lang=" + encodeURIComponent(lang);
  fetch(url, { headers: { Accept: "text/html" }, cache: "no-store" })
    .then(function (r) {
      return r.ok ? r.text() : null;
    })
    .then(function (html) {
      if (html) swapCase(html);
    })
    .catch(function () {
      /* offline: the next message or poll catches up */
    })
    .then(function () {
      caseLoading = false;
      if (caseAgain) {
        caseAgain = false;
        fetchCase();
      }
    });
}

function swapCase(html) {
  var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("case");
  var old = document.getElementById("case");
  if (!fresh) return;
  if (!old) {
    window.location.reload(); // the server places a new case part on the page
    return;
  }
  if (fresh.dataset.version === old.dataset.version) return;
  old.parentNode.replaceChild(document.importNode(fresh, true), old);
  body.dataset.caseUpdates = String(+(body.dataset.caseUpdates || 0) + 1);
}

/** A "case" message: the case's public view and its version. */
function onCase(message) {
  if (!message || typeof message !== "object" || !message.version) return;
  var section = document.getElementById("case");
  if (!section) {
    window.location.reload(); // accepted as a case just now: the server draws it
    return;
  }
  if (message.version !== section.dataset.version) fetchCase();
}

function startPolling() {
  if (pollTimer === null) pollTimer = setInterval(fetchStatus, POLL_MS);
}

function stopPolling() {
  if (pollTimer !== null) clearInterval(pollTimer);
  pollTimer = null;
}

/** Back from sleep or from another tab: the socket may have missed everything. */
function wake() {
  if (document.visibilityState === "hidden") return;
  if (socket && socket.connected) {
    socket.emit("resync");
  } else {
    fetchStatus();
    if (socket) socket.connect();
  }
}

function start() {
  var button = document.getElementById("alerts");
  var row = document.getElementById("alerts-row");
  if (button && row) {
    row.hidden = false;
    button.addEventListener("click", enableAlerts);
  }
  if (!token) return;
  if (!LIVE_STATES[shown.state] && !caseOpen()) {
    startPolling(); // 过号 may be re-queued; a change of state reloads the page
    return;
  }
  document.addEventListener("visibilitychange", wake);
  window.addEventListener("pageshow", function (e) {
    if (e.persisted) wake();
  });
  window.addEventListener("online", wake);
  Promise.all([socketReady, loadWords()]).then(function (got) {
    connect(got[0]);
  });
}

function connect(io) {
  if (!io) {
    note("offline");
    startPolling();
    return;
  }
  socket = io(window.location.origin + "/hall", {
    auth: { status: token },
    reconnection: true,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 10000,
    randomizationFactor: 0.3,
    timeout: 8000,
  });
  socket.on("status", function (s) {
    apply(s);
  });
  socket.on("case", onCase);
  socket.on("connect", function () {
    stopPolling();
    note("live");
  });
  socket.on("disconnect", function () {
    note("offline");
    startPolling();
  });
  socket.on("connect_error", function () {
    note("offline");
    startPolling();
    if (!socket.active) {
      setTimeout(function () {
        if (!socket.connected) socket.connect();
      }, 5000);
    }
  });
  window.OnestopStatus = {
    socket: socket,
    shown: shown,
    apply: apply,
    wake: wake,
    fetchCase: fetchCase,
  };
}

start();
body.dataset.ready = "1";
