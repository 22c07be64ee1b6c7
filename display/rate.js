/* Rating pad (好差评评价器) at a window: /rate/<hall>/<device>#token=<device token>
 *
 * The pad belongs to one window, set in the hall file on the server (the device's attached_to,
 * or else the number at the start of its name: 「1号窗口好差评评价器」 -> window 1); the address
 * cannot change it, and the server takes ratings only from the pad of the window whose clerk
 * asked. It connects to Socket.IO with its device token and receives only its own window's
 * "rating.requested" events (everything else arrives as a skip, so its sequence stays gap-free). Idle: 「感谢您的到来」. When the clerk of its window asks
 * for a rating, five big buttons with the ticket number; a tap POSTs the rating once (a retry
 * keeps its request id), thanks the resident, and goes back to idle after a few seconds.
 */
import {
  api,
  clockText,
  connectLive,
  newRequestId,
  shortWindowName,
  tokenFromFragment,
  socketReady,
} from "./live.js";

var $ = function (id) {
  return document.getElementById(id);
};

var THANKS_MS = 6000;
var ASK_TIMEOUT_MS = 120000; // nobody tapped: back to idle
var HEARTBEAT_MS = 60000;
var RATING_TEXT = {
  very_satisfied: "非常满意",
  satisfied: "满意",
  basically_satisfied: "基本满意",
  dissatisfied: "不满意",
  very_dissatisfied: "非常不满意",
};
var BAD = { dissatisfied: true, very_dissatisfied: true };

var parts = window.location.pathname.split("/");
var hall = decodeURIComponent(parts[2] || "");
var device = decodeURIComponent(parts[3] || "");
var token = tokenFromFragment("onestop.rate." + hall + "." + device);

var state = {
  snap: null,
  window: null, // the server's (snapshot.device.window)
  screen: "idle",
  request: null, // {number, item_name, window_name, rids: {rating: request id}}
  done: {}, // ticket numbers rated (or found rated) on this pad
  dismissed: {}, // ticket numbers whose request timed out here
  ratings: 0,
  offset: 0,
};
var live = null;
var busy = false;
var screenTimer = null;

// ---------------------------------------------------------------- faces
var SVG = "http://www.w3.org/2000/svg";
var MOUTHS = {
  5: "M30 62 Q50 84 70 62",
  4: "M32 64 Q50 76 68 64",
  3: "M33 67 L67 67",
  2: "M32 72 Q50 62 68 72",
  1: "M30 76 Q50 56 70 76",
};
function face(mood) {
  var svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 100 100");
  svg.setAttribute("aria-hidden", "true");
  var parts = [
    ["circle", { cx: 50, cy: 50, r: 45, class: "f-head" }],
    ["circle", { cx: 35, cy: 40, r: 6, class: "f-eye" }],
    ["circle", { cx: 65, cy: 40, r: 6, class: "f-eye" }],
    ["path", { d: MOUTHS[mood], class: "f-mouth" }],
  ];
  parts.forEach(function (p) {
    var node = document.createElementNS(SVG, p[0]);
    Object.keys(p[1]).forEach(function (k) {
      node.setAttribute(k, p[1][k]);
    });
    svg.appendChild(node);
  });
  return svg;
}
document.querySelectorAll(".face").forEach(function (span) {
  span.appendChild(face(span.dataset.mood));
});

// ---------------------------------------------------------------- screens
function show(name) {
  clearTimeout(screenTimer);
  state.screen = name;
  ["idle", "ask", "done", "fatal"].forEach(function (s) {
    $("screen-" + s).hidden = s !== name;
  });
  document.body.dataset.screen = name;
}

function idle() {
  state.request = null;
  busy = false;
  show("idle");
}

function fatal(zh, en) {
  $("fatal-text").textContent = zh;
  $("fatal-en").textContent = en || "";
  show("fatal");
}

function ask(request) {
  if (state.done[request.number]) return;
  if (state.request && state.request.number === request.number && state.screen === "ask") return;
  state.request = {
    number: request.number,
    item_name: request.item_name,
    window_name: request.window_name,
    rids: {},
  };
  busy = false;
  $("ask-number").textContent = request.number;
  $("ask-item").textContent = request.item_name || "";
  $("ask-error").hidden = true;
  document.querySelectorAll("#ratings .rate").forEach(function (b) {
    b.disabled = false;
    b.classList.remove("chosen");
  });
  document.body.dataset.ticket = request.number;
  show("ask");
  screenTimer = setTimeout(function () {
    if (state.request) state.dismissed[state.request.number] = true;
    idle();
  }, ASK_TIMEOUT_MS);
}

function thanks(title, text, en) {
  $("done-title").textContent = title;
  $("done-text").textContent = text;
  $("done-en").textContent = en;
  show("done");
  screenTimer = setTimeout(idle, THANKS_MS);
}

// ---------------------------------------------------------------- rating
function rate(value, button) {
  var req = state.request;
  if (!req || busy) return;
  busy = true;
  document.querySelectorAll("#ratings .rate").forEach(function (b) {
    b.disabled = true;
    b.classList.toggle("chosen", b === button);
  });
  $("ask-error").hidden = true;
  // The same choice retried after a network failure keeps its request id: recorded once.
  var rid = req.rids[value] || (req.rids[value] = newRequestId());
  api("POST", "/api/v1/halls/" + encodeURIComponent(hall) + "/evaluations", {
    token: token,
    body: { ticket: req.number, rating: value, request_id: rid },
    requestId: rid,
  }).then(
    function () {
      state.done[req.number] = true;
      state.ratings += 1;
      document.body.dataset.rated = req.number + ":" + value;
      if (BAD[value]) {
        thanks(
          "感谢您的评价！",
          "您的评价：" + RATING_TEXT[value] + "。我们会认真核实、限期整改，并把结果告诉您。",
          "Thank you. We will look into it, put it right and let you know."
        );
      } else {
        thanks(
          "感谢您的评价！",
          "您的评价：" + RATING_TEXT[value] + "。欢迎您再来。",
          "Thank you for your rating."
        );
      }
    },
    function (err) {
      busy = false;
      if (err.code === "already_rated") {
        state.done[req.number] = true;
        document.body.dataset.rated = req.number + ":already";
        thanks(
          "这次服务已经评价过了",
          "每次服务只评价一次（一次一评），您的评价已经记录。感谢您的支持！",
          "This service was already rated. Thank you."
        );
        return;
      }
      if (err.code === "no_rating_request" || err.code === "wrong_window") {
        // The clerk's request closed (next resident called, or it timed out): nothing recorded.
        state.dismissed[req.number] = true;
        document.body.dataset.rated = req.number + ":closed";
        thanks(
          "本次评价邀请已结束",
          "如需评价，请扫描小票上的二维码，或请工作人员重新邀请。",
          "This rating request has closed; rate by the QR code on your receipt."
        );
        return;
      }
      if (err.code === "pad_without_window") {
        fatal("未设置本评价器所在的窗口，请联系大厅管理员。", "This pad is attached to no window.");
        return;
      }
      if (err.status === 401 || err.status === 403) {
        fatal("评价器令牌无效或已停用，请联系大厅管理员。", "The pad's device token is not valid.");
        return;
      }
      document.querySelectorAll("#ratings .rate").forEach(function (b) {
        b.disabled = false;
        b.classList.remove("chosen");
      });
      var box = $("ask-error");
      box.textContent = err.status
        ? "未能记录评价：" + err.message
        : "网络暂时不通，请再点一次您的评价（不会重复记录）。";
      box.hidden = false;
    }
  );
}

document.querySelectorAll("#ratings .rate").forEach(function (button) {
  button.addEventListener("click", function () {
    rate(button.dataset.rating, button);
  });
});

// ---------------------------------------------------------------- header, clock
function windowName() {
  var windows = (state.snap && state.snap.windows) || [];
  for (var i = 0; i < windows.length; i++) {
    if (windows[i].number === state.window) return windows[i].name.zh;
  }
  return null;
}

function renderHeader() {
  var snap = state.snap;
  $("hall-name").textContent = snap.hall ? snap.hall.name.zh : "";
  var name = windowName();
  $("window-name").textContent = name ? shortWindowName({ zh: name }, state.window) : "";
  var phone = snap.hall && snap.hall.supervision_phone;
  $("supervision").textContent = phone ? "监督电话 " + phone : "";
  document.title = (name ? shortWindowName({ zh: name }, state.window) + " · " : "") + "好差评评价器";
}

function tickClock() {
  var tz = state.snap && state.snap.hall && state.snap.hall.timezone;
  $("clock").textContent = clockText(new Date(Date.now() + state.offset), tz, false);
}

function setConn(status) {
  var c = $("conn");
  c.hidden = status === "connected";
  c.className = "conn conn-" + status;
  c.textContent = status === "connected" ? "" : "连接中…";
  document.body.dataset.conn = status;
}

// ---------------------------------------------------------------- live
function onSnapshot(snap) {
  if (snap.kind !== "pad") return;
  state.snap = snap;
  state.offset = Date.parse(snap.at) - Date.now();
  state.window = (snap.device && snap.device.window) || null;
  document.body.dataset.window = state.window || "";
  renderHeader();
  tickClock();
  if (!state.window) {
    fatal(
      '未设置本评价器所在的窗口：请管理员在大厅配置中为它设置 attached_to = "窗口号"。',
      'No window set: give this pad attached_to = "N" in the hall file.'
    );
    return;
  }
  if (!windowName()) {
    fatal("本大厅没有 " + state.window + " 号窗口。", "No window " + state.window + " in this hall.");
    return;
  }
  if (state.screen === "fatal") idle();
  (snap.pending || []).forEach(function (p) {
    if (p.window === state.window && !state.dismissed[p.number]) ask(p);
  });
  document.body.dataset.ready = "1";
}

function onEvent(event) {
  if (event.type !== "rating.requested" || !event.data) return;
  if (event.data.window !== state.window) return; // another window's pad
  delete state.dismissed[event.data.number]; // asked again on purpose
  ask(event.data);
}

function heartbeat() {
  // Tell the managers' board this pad is alive (device presence). Not a data poll.
  if (live && live.socket && live.socket.connected) live.socket.emit("heartbeat");
}

tickClock();
setInterval(tickClock, 1000);
window.onestopPad = { live: null, state: state, hall: hall, device: device };
socketReady.then(start);

function start(io) {
  if (!token || !hall || !device) {
    fatal("缺少设备令牌：请使用 /rate/<大厅>/<设备>#token=… 打开。", "Device token missing.");
  } else if (!io) {
    fatal("实时通信组件未安装。", "socket.io client missing (/vendor/socket.io.esm.min.js).");
  } else {
    setConn("connecting");
    live = connectLive({
      token: token,
      onSnapshot: onSnapshot,
      onEvent: onEvent,
      onStatus: function (status) {
        if (status === "refused") {
          fatal("评价器令牌无效或已停用，请联系大厅管理员。", "The pad's device token was refused.");
          return;
        }
        setConn(status);
      },
    });
    window.onestopPad.live = live;
    setInterval(heartbeat, HEARTBEAT_MS);
  }
}
