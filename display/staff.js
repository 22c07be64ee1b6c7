/* onestop staff pages (/board, /cases, /reviews): the sign-in form, the staff session, signing
 * out, the connection badge and the start-up, shared by the three pages; and the small forms for
 * one action (actionForm, field, submitButton) of /cases and /reviews.
 *
 * One staff session {token, hall, user} in sessionStorage under "onestop.board", so a manager
 * signed in on the board is already signed in on /cases and /reviews; the last hall code typed is
 * remembered in localStorage. Each page's HTML holds <main id="login"> with
 * <form id="login-form" class="login-card"> and its own heading; the fields are added here.
 *
 * No framework, no build step: plain browser JavaScript, loaded after live.js and before the
 * page's own script, which calls Onestop.staffPage({...}).
 */
(function () {
  "use strict";

  var O = window.Onestop;
  var el = O.el;
  var $ = function (id) {
    return document.getElementById(id);
  };

  var STORAGE = "onestop.board"; // one staff session for the board, /cases and /reviews
  var HALL_MEMORY = "onestop.board.hall";
  var MANAGERS = { manager: true, admin: true };

  var LOGIN_FIELDS =
    '<label>大厅代码 <span class="en">Hall code</span>' +
    '<input id="login-hall" name="hall" autocomplete="organization" required maxlength="32"' +
    ' spellcheck="false" autocapitalize="off"></label>' +
    '<label>用户名 <span class="en">Username</span>' +
    '<input id="login-user" name="username" autocomplete="username" required maxlength="40"' +
    ' spellcheck="false" autocapitalize="off"></label>' +
    '<label>密码 <span class="en">Password</span>' +
    '<input id="login-password" name="password" type="password"' +
    ' autocomplete="current-password" required maxlength="200"></label>' +
    '<div id="login-error" class="login-error" role="alert" hidden></div>' +
    '<button id="login-submit" type="submit">登录 <span class="en">Sign in</span></button>';

  var SESSION_ENDED = ["登录已失效，请重新登录。", "Your session has ended; please sign in again."];
  var NO_SOCKET_IO = ["实时通信组件未安装。", "socket.io client missing (/vendor/socket.io.min.js)."];

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
    if (token) O.api("POST", "/api/v1/auth/logout", { token: token }).catch(function () {});
  }

  function loginFailure(err) {
    return err.status === 401 || err.status === 403 || err.status === 404
      ? ["大厅代码、用户名或密码不正确。", "Wrong hall code, username or password."]
      : err.status
        ? [err.message, "Sign-in failed (" + err.status + ")"]
        : ["无法连接服务器，请稍后再试。", "The server cannot be reached."];
  }

  /** A form for one action in a detail card: the caller's fields, then a message line. */
  function actionForm(key, build) {
    var form = el("form", "d-action");
    form.dataset.action = key;
    form.noValidate = true;
    build(form);
    var msg = el("div", "d-msg");
    msg.setAttribute("role", "alert");
    form.appendChild(msg);
    return form;
  }

  function field(form, name, label, placeholder, multiline) {
    var lab = el("label", "d-field", label);
    var input = el(multiline ? "textarea" : "input");
    input.name = name;
    input.maxLength = 400;
    if (multiline) input.rows = 2;
    if (placeholder) input.placeholder = placeholder;
    lab.appendChild(input);
    form.appendChild(lab);
    return input;
  }

  function submitButton(text, className, value) {
    var b = el("button", className, text);
    b.type = "submit";
    b.value = value || "";
    return b;
  }

  /**
   * staffPage({app, client, roles, refused: [zh, en], start(), stop(), onLogout()})
   * app: id of the page's element shown when signed in; client: the "client" sent at sign-in;
   * roles: the roles allowed here (others are signed out again with the "refused" message);
   * start: draw the signed-in page (after sign-in, or at boot with a stored session);
   * stop: close the live connection (before the form is shown).
   * Returns the page's staff object; its "session" is null when signed out.
   */
  function staffPage(options) {
    var form = $("login-form");
    form.insertAdjacentHTML("beforeend", LOGIN_FIELDS);

    var page = {
      session: null, // {token, hall, user}
      showLogin: showLogin,
      sessionEnded: sessionEnded,
      refuse: refuse,
      showApp: showApp,
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
      var err = $("login-error");
      if (message) {
        err.textContent = "";
        err.appendChild(el("div", null, message[0]));
        if (message[1]) err.appendChild(el("div", "en", message[1]));
        err.hidden = false;
      } else {
        err.hidden = true;
      }
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

    function setConn(status) {
      var c = $("conn");
      c.className = "conn conn-" + status;
      c.textContent = "";
      if (status === "connected") {
        c.appendChild(document.createTextNode("● 实时 "));
        c.appendChild(el("span", "en", "live"));
      } else {
        c.appendChild(document.createTextNode("连接中… "));
        c.appendChild(el("span", "en", "reconnecting"));
      }
      document.body.dataset.conn = status;
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

    /** O.api on this hall's API with the session's token: api("GET", "/cases?colour=red"). */
    function api(method, path, apiOptions) {
      var init = Object.assign({ token: page.session.token }, apiOptions);
      return O.api(method, base() + path, init);
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
      O.api("POST", "/api/v1/auth/login", {
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
      page.session = loadSession();
      if (typeof window.io !== "function") {
        showLogin(NO_SOCKET_IO);
      } else if (page.session && page.session.token) {
        options.start();
      } else {
        showLogin(null);
      }
    }

    return page;
  }

  O.staffPage = staffPage;
  O.actionForm = actionForm;
  O.field = field;
  O.submitButton = submitButton;
})();
