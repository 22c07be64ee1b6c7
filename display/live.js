/* onestop live client shared by the waiting-hall display and the managers' board.
 *
 * Socket.IO namespace "/hall": the server sends a "snapshot" on connect and after emit("resync"),
 * then events {seq, type, at, data} in sequence order: calls one by one as "event", everything
 * else batched as "events" (a list in order, each applied like an "event"). Rule: keep lastSeq
 * from the snapshot; seq <= lastSeq is ignored, seq == lastSeq + 1 is applied, anything further
 * is a gap -> resync and wait for the snapshot. Events that arrive while a snapshot is awaited
 * are held and replayed after it (those already covered by the snapshot are dropped by the same
 * rule).
 *
 * An ES module, no build step: pages import what they use. The Socket.IO client is its ES module
 * build from npm (/vendor/socket.io.esm.min.js), imported on first load: socketReady resolves to
 * io, or to null when it is not installed, so a page can say so (or poll) instead of failing.
 */
var io = null;
export const socketReady = import("/vendor/socket.io.esm.min.js").then(
  function (m) {
    io = m.io;
    return io;
  },
  function () {
    return null;
  }
);

/** The Socket.IO client once socketReady has resolved (null before, or when not installed). */
export function socketClient() {
  return io;
}
var BUFFER_LIMIT = 500;

function newRequestId() {
  if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
  return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
}

/** fetch JSON from our own API; mutating calls carry an Idempotency-Key. */
function api(method, path, options) {
  options = options || {};
  var headers = { Accept: "application/json" };
  if (options.token) headers.Authorization = "Bearer " + options.token;
  var init = { method: method, headers: headers, cache: "no-store" };
  if (method !== "GET") {
    // Every change carries a request id, so a retry can never act twice.
    headers["Idempotency-Key"] = options.requestId || newRequestId();
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.body || {});
  }
  return fetch(path, init).then(function (response) {
    return response
      .json()
      .catch(function () {
        return {};
      })
      .then(function (data) {
        if (!response.ok) {
          var error = new Error((data && data.error && data.error.message) || "HTTP " + response.status);
          error.status = response.status;
          error.code = data && data.error && data.error.code;
          throw error;
        }
        return data;
      });
  });
}

/**
 * connectLive({token, view, onSnapshot(snap, info), onEvent(event), onStatus(status, detail),
 *              onSkip(event)})
 * view: optional, e.g. "cases" (staff pages that reload over REST get a small snapshot)
 * hall: optional, a supervisor's hall below its own (that hall's board or cases snapshot)
 * network: true for the supervisor's county socket: the snapshot is the county board with each
 *   hall's last sequence number (seqs, by hall code), and the events of every hall follow, each
 *   with its "hall". Sequences are then kept per hall: an event the snapshot covers is dropped,
 *   any other is delivered (the county page reloads on it, so a gap needs no resync).
 * status: "connecting" | "connected" | "disconnected" | "refused"
 */
function connectLive(options) {
  var state = {
    lastSeq: null, // null until the first snapshot
    awaiting: true, // a snapshot has been asked for (or is due on connect)
    buffer: [],
    snapshots: 0,
    events: 0,
    resyncs: 0,
    gaps: 0,
    connected: false,
    refused: null,
    seqs: null, // network: the last sequence number of each hall, by hall code
  };
  var status = function (name, detail) {
    if (options.onStatus) options.onStatus(name, detail);
  };

  var auth = { token: options.token };
  if (options.view) auth.view = options.view;
  if (options.hall) auth.hall = options.hall; // a supervisor's drill-down into a hall below
  var socket = io(window.location.origin + "/hall", {
    auth: auth,
    reconnection: true,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 10000,
    reconnectionAttempts: Infinity,
    randomizationFactor: 0.3,
    timeout: 8000,
  });

  var snapshotTimer = null;
  function expectSnapshot() {
    // The server answers a connect or resync with a snapshot; if none comes, ask again.
    clearTimeout(snapshotTimer);
    snapshotTimer = setTimeout(function () {
      if (state.awaiting && socket.connected) {
        socket.emit("resync");
        expectSnapshot();
      }
    }, 4000);
  }

  function resync(reason) {
    state.awaiting = true;
    state.resyncs += 1;
    if (socket.connected) {
      socket.emit("resync");
      expectSnapshot();
    }
    if (options.onResync) options.onResync(reason);
  }

  /** The county socket's rule: one sequence per hall, no resync on a gap. */
  function handleHallEvent(event) {
    var seqs = state.seqs;
    if (seqs && event.hall && typeof seqs[event.hall] === "number") {
      if (event.seq <= seqs[event.hall]) return; // covered by the snapshot
      seqs[event.hall] = event.seq;
    }
    state.events += 1;
    if (event.type === "skip") return;
    options.onEvent(event);
  }

  function handleEvent(event) {
    if (!event || typeof event.seq !== "number") return;
    if (state.lastSeq === null || state.awaiting) {
      if (state.buffer.length < BUFFER_LIMIT) state.buffer.push(event);
      return;
    }
    if (options.network) {
      handleHallEvent(event);
      return;
    }
    if (event.seq <= state.lastSeq) return; // already covered
    if (event.seq !== state.lastSeq + 1) {
      // Missed something: the snapshot asked for now covers this event and the missing ones.
      state.gaps += 1;
      state.buffer = [];
      resync("gap");
      return;
    }
    state.lastSeq = event.seq;
    state.events += 1;
    if (event.type === "skip") {
      if (options.onSkip) options.onSkip(event);
      return;
    }
    try {
      options.onEvent(event);
    } catch (err) {
      // A client bug must not freeze the screen: start again from a fresh snapshot.
      console.error("onestop: could not apply event", event, err);
      resync("error");
    }
  }

  socket.on("connect", function () {
    // The server sends a snapshot on every (re)connect; socket.io-client delivers it just
    // BEFORE this "connect" callback, so "awaiting" was set at the disconnect, not here.
    state.connected = true;
    state.refused = null;
    if (state.awaiting) expectSnapshot();
    status("connected");
  });

  socket.on("disconnect", function (reason) {
    state.connected = false;
    state.awaiting = true;
    status("disconnected", reason);
    if (reason === "io server disconnect") {
      // The server dropped us on purpose (e.g. token revoked); try again, it will tell us why.
      setTimeout(function () {
        if (!socket.connected) socket.connect();
      }, 3000);
    }
  });

  socket.on("connect_error", function (err) {
    state.connected = false;
    var message = (err && err.message) || String(err);
    if (!socket.active) {
      // Refused by the server's connect handler: socket.io will not retry by itself.
      if (/unauthori[sz]ed/i.test(message)) {
        state.refused = message;
        status("refused", message);
        return;
      }
      setTimeout(function () {
        if (!socket.connected) socket.connect();
      }, 5000);
    }
    status("disconnected", message);
  });

  socket.on("snapshot", function (snap) {
    clearTimeout(snapshotTimer);
    var first = state.snapshots === 0;
    state.snapshots += 1;
    state.awaiting = false;
    state.lastSeq = typeof snap.seq === "number" ? snap.seq : 0;
    if (options.network) state.seqs = Object.assign({}, (snap && snap.seqs) || {});
    try {
      options.onSnapshot(snap, { first: first });
    } catch (err) {
      console.error("onestop: could not draw snapshot", err);
    }
    var held = state.buffer;
    if (!options.network) {
      held.sort(function (a, b) {
        return a.seq - b.seq;
      });
    }
    state.buffer = [];
    for (var i = 0; i < held.length; i++) handleEvent(held[i]);
  });

  socket.on("event", handleEvent);
  socket.on("events", function (list) {
    if (Array.isArray(list)) list.forEach(handleEvent);
  });

  status("connecting");

  var live = {
    socket: socket,
    state: state,
    resync: resync,
    handleEvent: handleEvent, // test hook: feed a crafted event
    close: function () {
      clearTimeout(snapshotTimer);
      socket.off();
      socket.disconnect();
    },
    get lastSeq() {
      return state.lastSeq;
    },
    set lastSeq(value) {
      state.lastSeq = value; // test hook: pretend an event was missed
    },
  };
  return live;
}

function pad(n) {
  return (n < 10 ? "0" : "") + n;
}

var WEEKDAYS = ["日", "一", "二", "三", "四", "五", "六"];

/** Parts of a moment in a time zone (the hall's), falling back to the browser's. */
function localParts(date, timeZone) {
  try {
    var fmt = new Intl.DateTimeFormat("en-GB", {
      timeZone: timeZone || undefined,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      weekday: "short",
      hourCycle: "h23",
    });
    var parts = {};
    fmt.formatToParts(date).forEach(function (p) {
      parts[p.type] = p.value;
    });
    var wd = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(parts.weekday);
    return {
      year: +parts.year,
      month: +parts.month,
      day: +parts.day,
      hour: +parts.hour % 24,
      minute: +parts.minute,
      second: +parts.second,
      weekday: wd,
    };
  } catch (e) {
    return {
      year: date.getFullYear(),
      month: date.getMonth() + 1,
      day: date.getDate(),
      hour: date.getHours(),
      minute: date.getMinutes(),
      second: date.getSeconds(),
      weekday: date.getDay(),
    };
  }
}

function clockText(date, timeZone, withSeconds) {
  var p = localParts(date, timeZone);
  return pad(p.hour) + ":" + pad(p.minute) + (withSeconds ? ":" + pad(p.second) : "");
}

function dateText(date, timeZone) {
  var p = localParts(date, timeZone);
  return p.year + "年" + p.month + "月" + p.day + "日 星期" + WEEKDAYS[p.weekday];
}

/** "3号窗口 民政" -> "3号窗口" (the part that is spoken and shown in big type). */
function shortWindowName(name, number) {
  var zh = (name && name.zh) || "";
  var first = zh.split(/\s+/)[0];
  return first || number + "号窗口";
}

function restWindowName(name) {
  var zh = (name && name.zh) || "";
  var i = zh.search(/\s/);
  return i < 0 ? "" : zh.slice(i).trim();
}

var COLOURS = {
  red: { zh: "已超期", mark: "红", en: "overdue" },
  orange: { zh: "即将到期", mark: "橙", en: "due within a working day" },
  yellow: { zh: "临近到期", mark: "黄", en: "approaching" },
  green: { zh: "正常", mark: "绿", en: "on track" },
  suspended: { zh: "补正中", mark: "停", en: "waiting for materials, clock stopped" },
};

/** "2026-11-30T17:30:00+08:00" -> "11-30 17:30" (the hall-local time the server wrote). */
function deadlineText(iso) {
  if (!iso) return "—";
  return iso.slice(5, 10) + " " + iso.slice(11, 16);
}

/** How far off a deadline is, in plain words: 「已超 2 天」, 「剩 5 小时」. */
function deadlineLeft(iso, nowMs) {
  if (!iso) return "";
  var ms = Date.parse(iso) - nowMs;
  var abs = Math.abs(ms);
  var hours = Math.floor(abs / 3600000);
  var text =
    hours >= 24
      ? Math.floor(hours / 24) + " 天"
      : hours >= 1
        ? hours + " 小时"
        : Math.max(1, Math.floor(abs / 60000)) + " 分钟";
  return (ms < 0 ? "已超 " : "剩 ") + text;
}

function el(tag, className, text) {
  var node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** Read "#token=..." once, keep it in sessionStorage, and take it out of the address bar. */
function tokenFromFragment(storageKey) {
  var hash = window.location.hash.replace(/^#/, "");
  var params = new URLSearchParams(hash);
  var token = params.get("token");
  if (token) {
    try {
      sessionStorage.setItem(storageKey, token);
    } catch (e) {
      /* private mode: keep it in memory only */
    }
    params.delete("token");
    var rest = params.toString();
    history.replaceState(
      null,
      "",
      window.location.pathname + window.location.search + (rest ? "#" + rest : "")
    );
    return token;
  }
  try {
    return sessionStorage.getItem(storageKey);
  } catch (e) {
    return null;
  }
}

export {
  api,
  connectLive,
  newRequestId,
  localParts,
  clockText,
  dateText,
  shortWindowName,
  restWindowName,
  el,
  pad,
  tokenFromFragment,
  COLOURS,
  deadlineText,
  deadlineLeft,
};
