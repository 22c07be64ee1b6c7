/* Waiting-hall display: /display/<hall>/<device>#token=<device token>
 *
 * Shows the current call in huge type, the latest calls, every open window of the display's area
 * with the number it serves, waiting counts per department, a scrolling notice, clock and date.
 * Speaks each call (chime, then the clip voice.repeat times) through a queue so a new call never
 * cuts off the one being spoken. Numbers and window names only: no names of people, ever.
 * Chinese first, then one second language: ?lang2=en (default) or ?lang2=ug (Uyghur, right to
 * left; numbers stay left to right), strings from the "display" catalogue (/i18n/display/*.json).
 * The hero shows the latest call until that ticket is finished, missed or transferred.
 */
import {
  api,
  clockText,
  connectLive,
  dateText,
  el,
  restWindowName,
  shortWindowName,
  tokenFromFragment,
  socketClient,
  socketReady,
} from "./live.js";
import { load as loadCatalogue } from "./i18n.js";

var RECENT_SHOWN = 8;
var FLASH_MS = 8000;
var ANNOUNCE_LATE_SECONDS = 120; // calls first seen in a (re)sync snapshot are spoken if this fresh
var HEARTBEAT_MS = 60000;
var CLIP_GUARD_MS = 20000; // a clip that neither ends nor fails within this is skipped
var QUEUE_LIMIT = 48;

var path = window.location.pathname.split("/").filter(Boolean); // ["display", hall, device]
var hall = decodeURIComponent(path[1] || "");
var device = decodeURIComponent(path[2] || "");
var token = tokenFromFragment("onestop.display." + hall + "." + device);

var $ = function (id) {
  return document.getElementById(id);
};

// ---------------------------------------------------------------- languages
var LANG2 = (new URLSearchParams(window.location.search).get("lang2") || "en").toLowerCase();
var ACTIVE = { called: true, recalled: true, serving: true }; // the hero shows these
var WAITED_FOR = { called: true, recalled: true }; // the resident has not reached the window yet
var zh = null; // the Chinese catalogue
var l2 = null; // the second language's catalogue

function t(key, values) {
  return zh ? zh.t(key, values) : key;
}

// Fill node with template, each {name} a value: a Node, or text kept left to right (<bdi>).
function fill(node, template, values) {
  template.split(/(\{\w+\})/).forEach(function (part) {
    var m = /^\{(\w+)\}$/.exec(part);
    if (!m || !values || !(m[1] in values)) {
      if (part) node.appendChild(document.createTextNode(part));
      return;
    }
    var v = values[m[1]];
    if (v instanceof Node) {
      node.appendChild(v);
    } else {
      var bdi = el("bdi", null, v);
      bdi.setAttribute("dir", "ltr");
      node.appendChild(bdi);
    }
  });
  return node;
}

function marks(node) {
  if (!l2) return node;
  node.setAttribute("lang", l2.lang);
  node.setAttribute("dir", l2.dir);
  return node;
}

// The second-language line for key: <span class="en l2" lang dir>, empty without a catalogue.
function second(key, values, className) {
  var span = marks(el("span", className || "en l2"));
  if (l2) fill(span, l2.t(key), values);
  return span;
}

function secondWindowName(name, number) {
  if (l2 && l2.lang === "en" && name && name.en) return name.en.split(/\s+[–-]\s+/)[0];
  return l2 ? l2.t("window_n", { n: number }) : "";
}

function applyLanguages() {
  document.querySelectorAll("[data-t]").forEach(function (node) {
    node.textContent = t(node.getAttribute("data-t"));
  });
  document.querySelectorAll("[data-t2]").forEach(function (node) {
    node.textContent = "";
    marks(node);
    if (l2) fill(node, l2.t(node.getAttribute("data-t2")));
  });
  document.body.dataset.lang2 = l2 ? l2.lang : "";
  document.body.dataset.dir2 = l2 ? l2.dir : "";
}

function loadLanguages() {
  var keep = { document: false }; // <html lang="zh-CN">: the CJK font draws SC forms
  function one(lang) {
    return loadCatalogue("display", lang, keep).then(
      function (cat) {
        return cat.lang === lang ? cat : null;
      },
      function () {
        return null;
      }
    );
  }
  return Promise.all([one("zh"), one(LANG2 === "zh" ? "en" : LANG2)]).then(function (cats) {
    zh = cats[0];
    l2 = cats[1];
    if (!l2 && LANG2 !== "en") {
      return one("en").then(function (en) {
        l2 = en; // an unknown ?lang2= falls back to English
      });
    }
  });
}

var state = {
  snap: null, // the latest display snapshot, kept current by events
  featured: null, // the call shown in huge type
  departments: {}, // code -> {zh, en}, from the public catalog
  departmentOrder: [],
  knownCalls: {}, // "number|window|called_at" of every call already shown
  connected: false,
  timezone: null,
};

// ---------------------------------------------------------------- voice queue
window.onestopVoiceLog = []; // test hook: clip URLs in the order they started playing

var voice = {
  queue: [], // URLs still to play, in order
  current: null,
  blocked: false,
  repeat: 2,
  chime: true,
  prefetched: {},
};

function callClip(call) {
  return (
    "/voice/" +
    encodeURIComponent(hall) +
    "/call/" +
    encodeURIComponent(call.number) +
    "/" +
    encodeURIComponent(call.window) +
    ".wav"
  );
}

function prefetch(url) {
  // Ask for the clip now so the server renders it while the chime plays.
  if (voice.prefetched[url]) return;
  var audio = new Audio();
  audio.preload = "auto";
  audio.src = url;
  voice.prefetched[url] = audio;
  setTimeout(function () {
    delete voice.prefetched[url];
  }, 60000);
}

function announce(call) {
  var urls = [];
  if (voice.chime) urls.push("/voice/chime.wav");
  var clip = callClip(call);
  prefetch(clip);
  for (var i = 0; i < Math.max(1, voice.repeat); i++) urls.push(clip);
  voice.queue.push.apply(voice.queue, urls);
  while (voice.queue.length > QUEUE_LIMIT) voice.queue.shift(); // a huge backlog: oldest go
  pump();
}

function pump() {
  if (voice.current || voice.blocked || voice.queue.length === 0) return;
  var url = voice.queue[0];
  var audio = new Audio(url);
  var settled = false; // this clip is over (ended, failed, refused or timed out)
  var started = false; // it began playing and left the queue
  var guard = null;
  voice.current = audio;

  function next() {
    if (settled) return;
    settled = true;
    clearTimeout(guard);
    voice.current = null;
    pump();
  }

  function begin() {
    if (settled || started) return;
    started = true;
    voice.queue.shift();
    window.onestopVoiceLog.push(url);
    guard = setTimeout(function () {
      audio.pause();
      next();
    }, CLIP_GUARD_MS);
  }

  function fail() {
    if (settled) return;
    if (!started) voice.queue.shift(); // unplayable (404, 503 without espeak-ng): skip it
    next();
  }

  audio.addEventListener("ended", next);
  audio.addEventListener("error", fail);
  var played = audio.play();
  if (!played || !played.then) {
    begin();
    return;
  }
  played.then(begin, function (err) {
    if (settled) return;
    if (err && err.name === "NotAllowedError") {
      // Autoplay refused (browser without the kiosk flag): keep the queue, wait for one tap.
      settled = true;
      voice.current = null;
      voice.blocked = true;
      $("sound-unlock").hidden = false;
      return;
    }
    fail();
  });
}

$("sound-unlock").addEventListener("click", function () {
  voice.blocked = false;
  $("sound-unlock").hidden = true;
  pump(); // play() inside the user gesture unlocks audio for the page
});

// ---------------------------------------------------------------- rendering helpers
function areaWindows() {
  return state.snap ? state.snap.windows : [];
}

function findWindow(number) {
  var list = areaWindows();
  for (var i = 0; i < list.length; i++) if (list[i].number === number) return list[i];
  return null;
}

function callKey(call) {
  return call.number + "|" + call.window + "|" + call.at;
}

function renderHeader() {
  var h = state.snap && state.snap.hall;
  if (!h) return;
  $("hall-zh").textContent = h.name.zh;
  var hall2 = $("hall-en");
  hall2.textContent = "";
  marks(hall2);
  if (l2) hall2.textContent = h.name[l2.lang] || (l2.lang === "en" ? "" : l2.t("hall_generic"));
  document.title = h.name.zh + " · " + t("title");
  if (state.timezone !== (h.timezone || null)) {
    state.timezone = h.timezone || null;
    tickClock(); // the hall's time zone, not the kiosk's, from now on
  }
  var text = (h.announcements || []).join("　　◆　　");
  var notice = $("notice-text");
  if (notice.dataset.text !== text) {
    notice.dataset.text = text;
    notice.textContent = text;
    // The same reading speed whatever the length of the notices.
    requestAnimationFrame(function () {
      var track = notice.parentNode.clientWidth;
      var width = notice.scrollWidth;
      var speed = Math.max(80, Math.min(window.innerWidth, window.innerHeight) * 0.1); // px/s, ~3 characters a second
      notice.style.setProperty("--from", track + "px");
      notice.style.animationDuration = ((track + width) / speed).toFixed(1) + "s";
      notice.classList.toggle("still", !text);
    });
  }
}

function renderNow() {
  var call = state.featured;
  var now = $("now");
  var hint = $("now-hint");
  hint.textContent = "";
  now.dataset.number = call ? call.number : "";
  if (!call) {
    $("now-number").textContent = "—";
    $("now-window").textContent = "";
    now.classList.add("empty");
    hint.appendChild(el("span", null, t("hint_idle")));
    hint.appendChild(document.createTextNode(" "));
    hint.appendChild(second("hint_idle"));
    return;
  }
  now.classList.remove("empty");
  $("now-number").textContent = call.number;
  var name = shortWindowName(call.window_name, call.window);
  $("now-window").textContent = name;
  hint.appendChild(fill(el("span"), t("hint_go"), { number: call.number, window: el("b", null, name) }));
  hint.appendChild(document.createTextNode(" "));
  var name2 = el("b", null, secondWindowName(call.window_name, call.window));
  hint.appendChild(second("hint_go", { number: call.number, window: name2 }));
}

function flashNow() {
  var now = $("now");
  now.classList.remove("flash");
  void now.offsetWidth; // restart the animation
  now.classList.add("flash");
  clearTimeout(flashNow.timer);
  flashNow.timer = setTimeout(function () {
    now.classList.remove("flash");
  }, FLASH_MS);
}

var STATE_LABEL = {
  called: ["请前往", "called"],
  recalled: ["请前往", "called"],
  serving: ["办理中", "serving"],
  finished: ["已办理", "done"],
  no_show: ["过号", "missed"],
  transferred: ["已转办", "done"],
};

function renderRecent() {
  var list = $("recent-calls");
  list.textContent = "";
  var calls = (state.snap && state.snap.recent_calls) || [];
  calls.slice(0, RECENT_SHOWN).forEach(function (c) {
    var label = STATE_LABEL[c.state] || ["", ""];
    var li = el("li", "recent-item state-" + (label[1] || c.state));
    li.dataset.number = c.number;
    li.dataset.window = c.window;
    li.appendChild(el("span", "r-number", c.number));
    li.appendChild(el("span", "r-arrow", "→"));
    li.appendChild(el("span", "r-window", shortWindowName(c.window_name, c.window)));
    list.appendChild(li);
  });
  if (!calls.length) {
    var none = el("li", "recent-empty", t("no_calls") + " ");
    none.appendChild(second("no_calls"));
    list.appendChild(none);
  }
}

function renderWindows() {
  var list = $("windows");
  list.textContent = "";
  var shown = areaWindows().filter(function (w) {
    return w.state === "open" || w.state === "paused";
  });
  list.classList.toggle("many", shown.length > 6);
  list.classList.toggle("lots", shown.length > 9);
  shown.forEach(function (w) {
    var li = el("li", "window-card ws-" + w.state + (w.current ? " has-current" : ""));
    li.dataset.window = w.number;
    li.dataset.state = w.state;
    var head = el("div", "w-head");
    head.appendChild(el("span", "w-name", shortWindowName(w.name, w.number)));
    head.appendChild(el("span", "w-sub", restWindowName(w.name)));
    li.appendChild(head);
    var body = el("div", "w-body");
    if (w.state === "paused") {
      body.appendChild(el("span", "w-paused", t("window_paused")));
      body.appendChild(second("window_paused"));
    } else if (w.current) {
      body.appendChild(el("span", "w-number", w.current.number));
      body.appendChild(
        el("span", "w-state", t(w.current.state === "serving" ? "state_serving" : "state_called"))
      );
    } else {
      body.appendChild(el("span", "w-idle", t("window_ready")));
      body.appendChild(second("window_ready"));
    }
    li.appendChild(body);
    list.appendChild(li);
  });
  if (!shown.length) {
    var none = el("li", "windows-empty", t("no_window") + " · ");
    none.appendChild(second("no_window"));
    list.appendChild(none);
  }
}

function renderWaiting() {
  var list = $("waiting");
  list.textContent = "";
  if (!state.snap) return;
  // Departments whose items this area's windows serve ("all": every department).
  var served = null;
  if (state.snap.area !== "all") {
    served = {};
    areaWindows().forEach(function (w) {
      (w.items || []).forEach(function (code) {
        served[code] = true;
      });
    });
  }
  var sums = {};
  var order = [];
  state.snap.items.forEach(function (item) {
    if (served && !served[item.code]) return;
    if (!(item.department in sums)) {
      sums[item.department] = 0;
      order.push(item.department);
    }
    sums[item.department] += item.waiting || 0;
  });
  var rank = {};
  state.departmentOrder.forEach(function (code, i) {
    rank[code] = i;
  });
  order.sort(function (a, b) {
    return (rank[a] === undefined ? 999 : rank[a]) - (rank[b] === undefined ? 999 : rank[b]);
  });
  var total = 0;
  order.forEach(function (code) {
    var name = state.departments[code];
    var li = el("li", "dept" + (sums[code] ? "" : " zero"));
    li.dataset.department = code;
    li.dataset.waiting = sums[code];
    li.appendChild(el("span", "d-name", name ? name.zh : code));
    var count = el("span", "d-count");
    count.appendChild(el("b", null, sums[code]));
    count.appendChild(document.createTextNode(t("people_unit")));
    li.appendChild(count);
    list.appendChild(li);
    total += sums[code];
  });
  list.dataset.total = total;
}

function renderAll() {
  renderHeader();
  renderNow();
  renderRecent();
  renderWindows();
  renderWaiting();
}

function tickClock() {
  var now = new Date();
  $("clock-time").textContent = clockText(now, state.timezone, true);
  $("clock-date").textContent = dateText(now, state.timezone);
}

// ---------------------------------------------------------------- snapshot and events
var resyncTimer = null;
function resyncSoon(delay) {
  clearTimeout(resyncTimer);
  resyncTimer = setTimeout(function () {
    if (live) live.resync("refresh");
  }, delay || 800);
}

function onSnapshot(snap, info) {
  var previous = state.knownCalls;
  var hadState = !!state.snap;
  state.snap = snap;
  if (snap.voice) {
    voice.repeat = snap.voice.repeat || 1;
    voice.chime = snap.voice.chime !== false;
  }
  var known = {};
  (snap.recent_calls || []).forEach(function (c) {
    known[callKey(c)] = true;
  });
  state.knownCalls = known;

  // Calls made while we were away (outage, gap): show and speak them if they are fresh.
  var fresh = [];
  if (hadState && !info.first) {
    var at = Date.parse(snap.at);
    fresh = (snap.recent_calls || []).filter(function (c) {
      return !previous[callKey(c)] && at - Date.parse(c.at) < ANNOUNCE_LATE_SECONDS * 1000;
    });
  }
  var latest = (snap.recent_calls || [])[0] || null;
  if (!hadState || fresh.length || !state.featured || !stillKnown(state.featured, snap)) {
    state.featured = latest;
  }
  if (state.featured && !ACTIVE[currentState(state.featured, snap)]) state.featured = nextWaitedFor();
  renderAll();
  fresh.reverse().forEach(function (c) {
    announce(c);
  });
  if (fresh.length) flashNow();
  document.body.dataset.seq = snap.seq;
  document.body.dataset.ready = "1";
  if (!heartbeatStarted) startHeartbeat();
}

function currentState(call, snap) {
  var found = call.state;
  (snap.recent_calls || []).forEach(function (c) {
    if (c.number === call.number && c.window === call.window) found = c.state;
  });
  return found;
}

// After the hero's ticket is done: the latest call whose resident is still on the way, if any.
function nextWaitedFor() {
  var calls = (state.snap && state.snap.recent_calls) || [];
  for (var i = 0; i < calls.length; i++) if (WAITED_FOR[calls[i].state]) return calls[i];
  return null;
}

function stillKnown(call, snap) {
  return (snap.recent_calls || []).some(function (c) {
    return c.number === call.number && c.window === call.window;
  });
}

function itemOf(code) {
  var items = (state.snap && state.snap.items) || [];
  for (var i = 0; i < items.length; i++) if (items[i].code === code) return items[i];
  return null;
}

function adjustWaiting(code, delta) {
  var item = itemOf(code);
  if (item) item.waiting = Math.max(0, (item.waiting || 0) + delta);
  else resyncSoon(); // an item we do not know yet (catalog changed)
}

function updateRecent(d) {
  (state.snap.recent_calls || []).forEach(function (c) {
    if (c.number === d.number && c.window === d.window) c.state = d.state;
  });
  if (state.featured && state.featured.number === d.number && state.featured.window === d.window) {
    state.featured.state = d.state;
  }
}

function callOf(d, at) {
  return {
    number: d.number,
    window: d.window,
    window_name: d.window_name,
    area: d.area,
    at: d.called_at || at,
    state: d.state,
  };
}

function onEvent(e) {
  var d = e.data || {};
  var w;
  switch (e.type) {
    case "ticket.issued":
      adjustWaiting(d.item, +1);
      renderWaiting();
      break;
    case "ticket.requeued":
      if (d.state === "waiting") adjustWaiting(d.item, +1);
      renderWaiting();
      break;
    case "ticket.called": {
      var call = callOf(d, e.at);
      w = findWindow(d.window);
      if (w) w.current = { number: d.number, state: d.state };
      state.snap.recent_calls = [call]
        .concat(
          (state.snap.recent_calls || []).filter(function (c) {
            return callKey(c) !== callKey(call);
          })
        )
        .slice(0, RECENT_SHOWN);
      state.knownCalls[callKey(call)] = true;
      adjustWaiting(d.item, -1);
      state.featured = call;
      renderAll();
      flashNow();
      announce(call);
      break;
    }
    case "ticket.recalled": {
      updateRecent(d);
      var again = callOf(d, e.at);
      (state.snap.recent_calls || []).forEach(function (c) {
        if (c.number === d.number && c.window === d.window) again = c;
      });
      state.featured = again;
      renderAll();
      flashNow();
      announce(again);
      break;
    }
    case "ticket.started":
      w = findWindow(d.window);
      if (w && w.current && w.current.number === d.number) w.current.state = d.state;
      updateRecent(d);
      renderAll();
      break;
    case "ticket.finished":
    case "ticket.no_show":
    case "ticket.transferred":
      w = findWindow(d.window);
      if (w && w.current && w.current.number === d.number) w.current = null;
      updateRecent(d);
      if (state.featured && state.featured.number === d.number && state.featured.window === d.window) {
        state.featured = nextWaitedFor(); // the hero clears when its ticket is done
      }
      renderAll();
      break;
    case "window.opened":
    case "window.paused":
    case "window.resumed":
    case "window.closed":
    case "window.staffed":
      w = findWindow(d.number);
      if (!w) {
        if (state.snap.area === "all" || d.area === state.snap.area) resyncSoon(100);
        break;
      }
      w.state = d.state;
      w.name = d.name || w.name;
      w.items = d.items || w.items;
      w.state_since = d.state_since;
      w.current = d.current ? { number: d.current.number, state: d.current.state } : null;
      renderWindows();
      renderWaiting();
      break;
    case "device.status":
      break; // nothing public
    case "catalog.changed":
      loadCatalog();
      resyncSoon(100);
      break;
    default:
      resyncSoon(); // cancelled and anything new: let the server's snapshot decide
  }
  document.body.dataset.seq = e.seq;
}

function onSkip(e) {
  // Another area's event: its calls change hall-wide waiting counts we cannot see.
  document.body.dataset.seq = e.seq;
  resyncSoon(1000);
}

function onStatus(status, detail) {
  state.connected = status === "connected";
  var conn = $("conn");
  conn.hidden = status === "connected" || status === "refused";
  document.body.classList.toggle("offline", !state.connected);
  document.body.dataset.conn = status;
  if (status === "refused") {
    showFatal("token_refused", detail);
  } else {
    $("fatal").hidden = true;
  }
}

function showFatal(key, detail) {
  var box = $("fatal");
  box.textContent = "";
  box.appendChild(el("div", "fatal-zh", t(key)));
  var line = second(key, null, "en");
  if (detail) line.appendChild(document.createTextNode(" (" + detail + ")"));
  box.appendChild(line);
  box.hidden = false;
}

// ---------------------------------------------------------------- catalog, heartbeat
var catalogDelay = 2000;
function loadCatalog() {
  api("GET", "/api/v1/halls/" + encodeURIComponent(hall) + "/catalog").then(
    function (catalog) {
      var names = {};
      var order = [];
      (catalog.departments || []).forEach(function (d) {
        names[d.code] = d.name;
        order.push(d.code);
      });
      state.departments = names;
      state.departmentOrder = order;
      catalogDelay = 2000;
      renderWaiting();
    },
    function () {
      setTimeout(loadCatalog, catalogDelay); // server not reachable yet: try again, slower
      catalogDelay = Math.min(catalogDelay * 2, 60000);
    }
  );
}

var heartbeatStarted = false;
function heartbeat() {
  // Tell the managers' board this screen is alive (device presence). Not a data poll.
  if (live && live.socket && live.socket.connected) live.socket.emit("heartbeat");
}
function startHeartbeat() {
  heartbeatStarted = true;
  heartbeat();
  setInterval(heartbeat, HEARTBEAT_MS);
}

// ---------------------------------------------------------------- start
tickClock();
setInterval(tickClock, 1000);
window.addEventListener("resize", function () {
  $("notice-text").dataset.text = ""; // recompute the scrolling speed for the new width
  renderHeader();
});

var live = null;
window.onestopDisplay = {
  live: null,
  state: state,
  voice: voice,
  hall: hall,
  device: device,
};

function start() {
  applyLanguages();
  renderNow();
  if (!token || !hall || !device) {
    showFatal("token_missing");
    $("conn").hidden = true;
  } else if (!socketClient()) {
    showFatal("socket_missing");
  } else {
    $("conn").hidden = false;
    loadCatalog();
    live = connectLive({
      token: token,
      onSnapshot: onSnapshot,
      onEvent: onEvent,
      onSkip: onSkip,
      onStatus: onStatus,
    });
    window.onestopDisplay.live = live;
  }
}

// The catalogues first (a local request); without them the screen still runs, in Chinese.
function ready() {
  return socketReady;
}
loadLanguages().then(ready, ready).then(start);
