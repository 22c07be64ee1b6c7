/* onestop staff pages (/board, /cases, /reviews): the sign-in form, the staff session, signing
 * out, the connection badge and the start-up, shared by the three pages; and the small forms for
 * one action (actionForm, field, submitButton) of /cases and /reviews.
 *
 * One staff session {token, hall, user} in sessionStorage under "onestop.board", so a manager
 * signed in on the board is already signed in on /cases and /reviews; the last hall code typed is
 * remembered in localStorage. Each page's HTML holds <main id="login"> with
 * <form id="login-form" class="login-card"> and its own heading; the fields are added here.
 *
 * Languages: 中文 by default, English by the toggle (i18n.js staff(), the "staff" catalogue,
 * the choice kept in localStorage); staffText holds the helpers the pages draw with (tx, the
 * server's "中文 / English" messages, colour marks and deadlines in the chosen language).
 *
 * No framework, no build step: an ES module; the page's own module imports staffPage({...}).
 */
import { html } from "/vendor/lit-html/lit-html.js";
import { COLOURS, api as request, el, socketReady } from "./live.js";
import { format as formatText, staff as staffLanguage, switcher } from "./i18n.js";

var $ = function (id) {
  return document.getElementById(id);
};

var STORAGE = "onestop.board"; // one staff session for the board, /cases and /reviews
var HALL_MEMORY = "onestop.board.hall";
var MANAGERS = { manager: true, admin: true };

var LOGIN_FIELDS =
  '<label><span data-i18n="login_hall">大厅代码</span> <span class="en">Hall code</span>' +
  '<input id="login-hall" name="hall" autocomplete="organization" required maxlength="32"' +
  ' spellcheck="false" autocapitalize="off"></label>' +
  '<label><span data-i18n="login_user">用户名</span> <span class="en">Username</span>' +
  '<input id="login-user" name="username" autocomplete="username" required maxlength="40"' +
  ' spellcheck="false" autocapitalize="off"></label>' +
  '<label><span data-i18n="login_password">密码</span> <span class="en">Password</span>' +
  '<input id="login-password" name="password" type="password"' +
  ' autocomplete="current-password" required maxlength="200"></label>' +
  '<div id="login-error" class="login-error" role="alert" hidden></div>' +
  '<button id="login-submit" type="submit"><span data-i18n="login_submit">登录</span>' +
  ' <span class="en">Sign in</span></button>' +
  '<div id="login-lang" class="login-lang" role="group" aria-label="语言 Language"></div>';

var SESSION_ENDED = ["登录已失效，请重新登录。", "Your session has ended; please sign in again."];
var NO_SOCKET_IO = ["实时通信组件未安装。", "socket.io client missing (/vendor/socket.io.esm.min.js)."];

// ---------------------------------------------------------------- 中文 / English texts
// The "staff" catalogue once loaded (i18n.js staff()); until then, and in Chinese, the page
// shows the Chinese written here (often "中文 · English hint"); in English the catalogue's.
var L = null;

function format(template, values) {
  return formatText(template, values);
}

function english() {
  return !!(L && L.lang === "en");
}

/** tx(key, zh, {n: 3}): the text in the chosen language (Chinese when untranslated). */
function tx(key, zh, values) {
  if (L && L.lang !== "zh" && Object.prototype.hasOwnProperty.call(L.texts, key)) {
    return L.t(key, values);
  }
  return format(zh, values);
}

/** A catalogue entry kept in a table: k(key, zh), shown with t(entry, values). */
function k(key, zh) {
  return { key: key, zh: zh };
}

/** A label kept in a table: lb(group, value), shown with t(entry) as label(group, value). */
function lb(group, value) {
  return { group: group, value: value };
}

function t(entry, values) {
  if (!entry) return "";
  return entry.group ? label(entry.group, entry.value) : tx(entry.key, entry.zh, values);
}

// ---------------------------------------------------------------- labels (i18n/labels.toml)
// Every state, step and result name comes from GET /i18n/labels.json, loaded once when the
// module starts; staffPage's boot waits for it before the first draw.
var LABELS = {};
var labelsReady = fetch("/i18n/labels.json", { headers: { Accept: "application/json" } })
  .then(function (r) {
    return r.ok ? r.json() : null;
  })
  .catch(function () {
    return null;
  })
  .then(function (data) {
    LABELS = (data && data.labels) || {};
  });

/** label("case_state", "suspended"): the name in the chosen language, else the raw value. */
function label(group, value) {
  var names = (LABELS[group] || {})[value];
  if (!names) return value == null ? "" : String(value);
  return (english() && names.en) || names.zh || String(value);
}

/** A [中文, English] pair (messages kept as pairs): the English alone in English. */
function pair(p) {
  return english() && p[1] ? p[1] : p[0];
}

/** The server's bilingual "中文 / English" message -> [中文, English] ("" when one-sided). */
function biPair(message) {
  var m = String(message || "");
  var i = m.indexOf(" / ");
  return i < 0 ? [m, ""] : [m.slice(0, i), m.slice(i + 3)];
}

/** The server's bilingual "中文 / English" message: the part in the chosen language. */
function bi(message) {
  var p = biPair(message);
  return english() ? p[1] || p[0] : p[0];
}

/** A server message on a page: in Chinese the whole of it (Chinese first, the English after, as
 * the pages' own messages), in English its English part. */
function msg(message) {
  return english() ? bi(message) : String(message || "");
}

/** A {zh, en} name (hall, item, window): the English one in English when there is one. */
function name(n) {
  if (!n) return "";
  return (english() && n.en) || n.zh || "";
}

/** A template's text with its {placeholders} replaced by the given parts, as a list a lit-html
 * template draws: rich("b_open_cases", "在办 {n} 件", {n: html`<b>3</b>`}). */
function rich(key, zh, parts) {
  return tx(key, zh)
    .split(/(\{\w+\})/)
    .filter(Boolean)
    .map(function (part) {
      var m = /^\{(\w+)\}$/.exec(part);
      return m && parts[m[1]] !== undefined ? parts[m[1]] : part;
    });
}

var COLOUR = {
  red: [k("colour_red", "已超期"), k("colour_mark_red", "红")],
  orange: [k("colour_orange", "即将到期"), k("colour_mark_orange", "橙")],
  yellow: [k("colour_yellow", "临近到期"), k("colour_mark_yellow", "黄")],
  green: [k("colour_green", "正常"), k("colour_mark_green", "绿")],
  suspended: [k("colour_suspended", "补正中"), k("colour_mark_suspended", "停")],
};

/** A colour mark that never relies on colour alone, in the chosen language: a swatch with its
 * letter plus the words (「红 已超期」), as a lit-html template. */
function colourMark(colour, big) {
  var c = COLOURS[colour];
  var size = big ? " cmark-big" : "";
  if (!c) return html`<span class=${"cmark c-none" + size} data-colour=${colour || ""}>—</span>`;
  var words = colourText(colour) || c.zh;
  var title = english() ? words + " · " + c.en : c.mark + " · " + c.zh + " · " + c.en;
  return html`<span class=${"cmark c-" + colour + size} data-colour=${colour} title=${title}
    ><i class="swatch">${colourLetter(colour) || c.mark}</i><span class="cmark-text">${words}</span></span
  >`;
}

/** The colour's name ("已超期" / "Overdue"). */
function colourText(colour) {
  return COLOUR[colour] ? t(COLOUR[colour][0]) : "";
}

function colourLetter(colour) {
  return COLOUR[colour] ? t(COLOUR[colour][1]) : "";
}

/** How long, in words: 「2 天」 / "2 d" (at least a minute). */
function amount(ms) {
  var abs = Math.abs(ms);
  var hours = Math.floor(abs / 3600000);
  if (hours >= 24) return tx("n_days", "{n} 天", { n: Math.floor(hours / 24) });
  if (hours >= 1) return tx("n_hours", "{n} 小时", { n: hours });
  return tx("n_minutes", "{n} 分钟", { n: Math.max(1, Math.floor(abs / 60000)) });
}

/** live.js deadlineLeft in the chosen language: 「已超 2 天」/「剩 5 小时」, "2 d overdue". */
function deadlineLeft(iso, nowMs) {
  if (!iso) return "";
  var ms = Date.parse(iso) - nowMs;
  return ms < 0
    ? tx("time_over", "已超 {t}", { t: amount(ms) })
    : tx("time_left", "剩 {t}", { t: amount(ms) });
}

/** Keys for a keyed list (lit-html repeat) whose items may share one: the second "k" becomes
 * "k#2", the third "k#3", so two alerts about the same thing keep their own rows. */
function uniqueKeys(items, keyOf) {
  var seen = {};
  return items.map(function (item) {
    var key = keyOf(item);
    seen[key] = (seen[key] || 0) + 1;
    return seen[key] > 1 ? key + "#" + seen[key] : key;
  });
}

export const staffText = {
  tx: tx,
  k: k,
  t: t,
  lb: lb,
  label: label,
  pair: pair,
  bi: bi,
  biPair: biPair,
  msg: msg,
  name: name,
  rich: rich,
  english: english,
  colourMark: colourMark,
  colourText: colourText,
  colourLetter: colourLetter,
  amount: amount,
  deadlineLeft: deadlineLeft,
  lang: function () {
    return L ? L.lang : "zh";
  },
};

// One table of case labels for /cases and /county (the state a case is in, what happened
// to it in its history, where a referral went), so the two pages never name a thing twice.
// The names are labels (i18n/labels.toml); the table only says which group each comes from.
function labelTable(group, values) {
  var table = {};
  values.forEach(function (v) {
    table[v] = lb(group, v);
  });
  return table;
}

export const caseText = {
  state: labelTable("case_state", ["open", "suspended", "finished", "refused", "referred"]),
  direction: labelTable("referral_direction", ["up", "down"]),
  decision: labelTable("case_decision", ["done_now", "proxy", "coordinated", "refused"]),
  extension: labelTable("extension_state", ["requested", "approved", "refused"]),
  action: labelTable("case_event", [
    "case.accepted",
    "case.suspended",
    "case.supplemented",
    "case.extension_requested",
    "case.extension_approved",
    "case.extension_refused",
    "case.transferred",
    "case.escalated",
    "case.escalation_replied",
    "case.finished",
    "case.refused",
    "case.colour",
    "case.applicant_viewed",
    "case.closed_at_window",
    "overdue.opened",
    "overdue.handled",
    "follow_up.recorded",
    "case.referred",
    "case.referral_accepted",
    "case.referral_returned",
    "case.supervised",
  ]),
};

function loadSession() {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE) || "null");
  } catch (e) {
    return null;
  }
}

function saveSession(value) {
  try {
    if (value) sessionStorage.setItem(STORAGE, JSON.stringify(value));
    else sessionStorage.removeItem(STORAGE);
  } catch (e) {
    /* storage unavailable: the session lasts as long as the page */
  }
}

function logoutToken(token) {
  if (token) request("POST", "/api/v1/auth/logout", { token: token }).catch(function () {});
}

function loginFailure(err) {
  return err.status === 401 || err.status === 403 || err.status === 404
    ? ["大厅代码、用户名或密码不正确。", "Wrong hall code, username or password."]
    : err.status
      ? [biPair(err.message)[0], (biPair(err.message)[1] || "Sign-in failed") + " (" + err.status + ")"]
      : ["无法连接服务器，请稍后再试。", "The server cannot be reached."];
}

/**
 * staffPage({app, client, roles, refused: [zh, en], start(), stop(), onLogout()})
 * app: id of the page's element shown when signed in; client: the "client" sent at sign-in;
 * roles: the roles allowed here (others are signed out again with the "refused" message);
 * start: draw the signed-in page (after sign-in, or at boot with a stored session);
 * stop: close the live connection (before the form is shown);
 * onLanguage(cat): redraw in the language just chosen (also once at start-up).
 * Returns the page's staff object; its "session" is null when signed out.
 */
function staffPage(options) {
  var form = $("login-form");
  form.insertAdjacentHTML("beforeend", LOGIN_FIELDS);
  var loginMessage = null; // [中文, English] shown on the form
  var connStatus = null;

  var page = {
    session: null, // {token, hall, user}
    showLogin: showLogin,
    sessionEnded: sessionEnded,
    refuse: refuse,
    showApp: showApp,
    showHall: showHall,
    setConn: setConn,
    liveStatus: liveStatus,
    boot: boot,
    base: base,
    api: api,
    user: function () {
      return (page.session && page.session.user) || {};
    },
    isManager: function () {
      return !!(page.session && page.session.user && MANAGERS[page.session.user.role]);
    },
  };

  function showLogin(message) {
    if (options.stop) options.stop();
    $(options.app).hidden = true;
    $("login").hidden = false;
    loginMessage = message || null;
    drawLoginMessage();
    var hall = $("login-hall");
    if (!hall.value) {
      try {
        hall.value = localStorage.getItem(HALL_MEMORY) || "";
      } catch (e) {
        /* ignore */
      }
    }
    (hall.value ? $("login-user") : hall).focus();
    document.body.dataset.view = "login";
  }

  /** The sign-in form's message: Chinese with the English under it, or the English alone. */
  function drawLoginMessage() {
    var err = $("login-error");
    var message = loginMessage;
    err.textContent = "";
    err.hidden = !message;
    if (!message) return;
    if (english() && message[1]) {
      err.appendChild(el("div", null, message[1]));
      return;
    }
    err.appendChild(el("div", null, message[0]));
    if (message[1]) err.appendChild(el("div", "en", message[1]));
  }

  function signOut() {
    saveSession(null);
    page.session = null;
  }

  function sessionEnded() {
    signOut();
    showLogin(SESSION_ENDED);
  }

  /** A token that must not stay usable here: revoke it and go back to the form. */
  function refuse(message, token) {
    logoutToken(token);
    signOut();
    showLogin(message);
  }

  /** The signed-in page: hide the form, show the app, say who is signed in. */
  function showApp(view) {
    var user = page.user();
    $("login").hidden = true;
    $(options.app).hidden = false;
    document.body.dataset.view = view;
    $("who").textContent = user.display_name || user.username || "";
    var toBoard = $("to-board");
    if (toBoard) toBoard.hidden = !MANAGERS[user.role];
    document.body.dataset.role = user.role || "";
  }

  /** The bar's title and the tab's: the hall's name (when known) and the page's own title. */
  function showHall(hallName, titleKey, titleZh) {
    var title = tx(titleKey, titleZh);
    $("hall-name").textContent = hallName || title;
    document.title = (hallName ? hallName + " · " : "") + title;
  }

  function setConn(status) {
    var c = $("conn");
    connStatus = status;
    c.className = "conn conn-" + status;
    c.textContent = "";
    if (status === "connected") {
      c.appendChild(document.createTextNode(tx("conn_live", "● 实时") + " "));
      c.appendChild(el("span", "en", "live"));
    } else {
      c.appendChild(document.createTextNode(tx("conn_reconnecting", "连接中…") + " "));
      c.appendChild(el("span", "en", "reconnecting"));
    }
    document.body.dataset.conn = status;
  }

  /** The 中文 / English toggle (the bar's, mirrored on the sign-in card); every change redraws
   * what staff.js drew, then the page's own onLanguage(cat). */
  function language() {
    staffLanguage("staff", $("lang-toggle"), function (cat) {
      L = cat;
      var mirror = $("login-lang");
      if (mirror) {
        switcher(
          mirror,
          cat,
          function (code) {
            var b = document.querySelector("#lang-toggle button[data-lang='" + code + "']");
            if (b) b.click();
          },
          ["zh", "en"]
        );
      }
      drawLoginMessage();
      if (connStatus) setConn(connStatus);
      if (options.onLanguage) options.onLanguage(cat);
    });
  }

  /** onStatus for connectLive: a refused token ends the session, anything else is shown. */
  function liveStatus(status) {
    if (status === "refused") {
      sessionEnded();
      return;
    }
    setConn(status);
  }

  function base() {
    return "/api/v1/halls/" + encodeURIComponent(page.session.hall);
  }

  /** api on this hall's API with the session's token: api("GET", "/cases?colour=red"). */
  function api(method, path, apiOptions) {
    var init = Object.assign({ token: page.session.token }, apiOptions);
    return request(method, base() + path, init);
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var hall = $("login-hall").value.trim();
    var username = $("login-user").value.trim();
    var password = $("login-password").value;
    if (!hall || !username || !password) {
      showLogin(["请填写大厅代码、用户名和密码。", "Hall code, username and password are required."]);
      return;
    }
    $("login-submit").disabled = true;
    request("POST", "/api/v1/auth/login", {
      body: { hall: hall, username: username, password: password, client: options.client },
    })
      .then(function (result) {
        $("login-password").value = "";
        try {
          localStorage.setItem(HALL_MEMORY, hall);
        } catch (e) {
          /* ignore */
        }
        var user = result.user || {};
        if (!options.roles[user.role]) {
          refuse(options.refused, result.token);
          return;
        }
        page.session = { token: result.token, hall: user.hall || hall, user: user };
        saveSession(page.session);
        options.start();
      })
      .catch(function (err) {
        showLogin(loginFailure(err));
      })
      .then(function () {
        $("login-submit").disabled = false;
      });
  });

  $("logout").addEventListener("click", function () {
    var token = page.session && page.session.token;
    signOut();
    if (options.onLogout) options.onLogout();
    logoutToken(token);
    showLogin(null);
  });

  /** Start from the stored session, or with the form. */
  function boot() {
    language();
    page.session = loadSession();
    Promise.all([socketReady, labelsReady]).then(function (ready) {
      var io = ready[0];
      if (!io) {
        showLogin(NO_SOCKET_IO);
      } else if (page.session && page.session.token) {
        options.start();
      } else {
        showLogin(null);
      }
    });
  }

  return page;
}

export { staffPage, label, labelsReady, uniqueKeys };
