/* Reviews and reports page (好差评与报表): /reviews
 *
 * Three tabs, the open one in the address (?tab=reviews|follow-ups|reports):
 *  - 差评整改: GET /rectifications?state=open|done|void (managers: all; a clerk: their own). Each bad rating shows its
 *    deadline (overdue or not), the steps done, and a form for the next step (callback 回访群众 →
 *    verify 核实 → fix 整改 → inform 反馈结果); the server keeps the order and answers 409 to a
 *    step out of order, which is shown as it is. An appeal (申诉: a mistaken or malicious rating)
 *    is filed with a reason and decided by a manager (upheld: the rectification is void and the
 *    rating leaves the statistics).
 *  - 回访: GET /follow-ups?state=pending|done|unreachable (all staff), each pending callback
 *    recorded as done (with the resident's verdict) or unreachable.
 *  - 报表: daily and monthly CSV/XLSX and the monthly analysis PDF (managers). The API wants the
 *    Authorization header, so files are fetched, kept as a Blob and saved with an <a download>.
 *
 * Staff sign in like on the board and /cases (the same session in sessionStorage). The page
 * connects to Socket.IO with view "cases" (a small snapshot: hall, time zone, staff names) and
 * reloads the lists on rectification./evaluation./follow_up./case.finished events and on every
 * snapshot (reconnect, gap). No polling loop. Every POST carries a request id, reused when the
 * same action is retried after a network failure.
 */
(function () {
  "use strict";

  var O = window.Onestop;
  var el = O.el;
  var actionForm = O.actionForm;
  var field = O.field;
  var button = O.submitButton;
  var $ = function (id) {
    return document.getElementById(id);
  };

  var RELOAD_DEBOUNCE_MS = 300;
  var STAFF_ROLES = { clerk: true, manager: true, admin: true };
  var TABS = ["reviews", "follow-ups", "reports"];
  var RECT_EVENTS = /^(rectification|evaluation)\./;
  var FOLLOW_EVENTS = /^(follow_up\.|case\.finished$)/;

  var STEPS = [
    { key: "callback", zh: "回访群众", en: "call the resident back" },
    { key: "verify", zh: "核实", en: "verify" },
    { key: "fix", zh: "整改", en: "fix" },
    { key: "inform", zh: "反馈结果", en: "tell the resident" },
  ];
  var STEP = {};
  STEPS.forEach(function (s, i) {
    STEP[s.key] = { zh: s.zh, en: s.en, n: i + 1 };
  });
  var STEP_HINT = {
    callback: "例如：电话回访群众，了解到等候时间过长",
    verify: "例如：调取叫号记录和监控，核实属实",
    fix: "例如：高峰时段加开窗口，对窗口人员进行提醒",
    inform: "例如：已电话告知群众整改结果，群众表示认可",
  };
  var RECT_STATE = {
    open: { zh: "整改中", en: "open" },
    done: { zh: "已整改", en: "done" },
    void: { zh: "已作废", en: "void" },
  };
  var APPEAL_STATE = {
    pending: "申诉待决定",
    upheld: "申诉成立",
    rejected: "申诉驳回",
  };
  var RESULTS = [
    ["very_satisfied", "非常满意"],
    ["satisfied", "满意"],
    ["basically_satisfied", "基本满意"],
    ["dissatisfied", "不满意"],
    ["very_dissatisfied", "非常不满意"],
  ];
  var RESULT_ZH = {};
  RESULTS.forEach(function (r) {
    RESULT_ZH[r[0]] = r[1];
  });
  var FOLLOW_STATE = { pending: "待回访", done: "已回访", unreachable: "联系不上" };
  var CONFLICT_ZH = {
    rectification_closed: "这条整改已经结束，不能再记录。",
    appeal_exists: "这条差评已经提出过申诉。",
    no_pending_appeal: "这条差评没有待决定的申诉。",
    follow_up_done: "这条回访已经记录过了。",
    idempotency_conflict: "同一请求编号内容不同，请刷新后重试。",
  };
  var GROUPINGS = [
    ["", "全部分组"],
    ["department", "按部门"],
    ["item", "按事项"],
    ["window", "按窗口"],
    ["clerk", "按人员"],
  ];
  var GROUPING_ZH = {};
  GROUPINGS.forEach(function (g) {
    GROUPING_ZH[g[0]] = g[1];
  });
  var FIELD_ZH = { date: "日期", month: "月份", format: "格式", by: "分组" };

  var staff = O.staffPage({
    app: "app",
    client: "reviews-web",
    roles: STAFF_ROLES,
    refused: ["此账号不能使用本页。", "This account cannot use this page."],
    start: start,
    stop: stopLive,
  });
  var live = null;
  var state = {
    snap: null,
    tab: "reviews",
    rstate: "open",
    fstate: "pending",
    rects: null,
    openRects: null, // the open ones, for the tab count and the summary
    follows: null,
    pendingFollows: null,
    loads: { reviews: 0, follows: 0 },
    reloads: 0,
    pending: {}, // action key -> request id, reused when the same action is retried
    downloads: 0,
  };

  // ---------------------------------------------------------------- address bar
  function readAddress() {
    var params = new URLSearchParams(window.location.search);
    var tab = params.get("tab");
    state.tab = TABS.indexOf(tab) >= 0 ? tab : "reviews";
    var rstate = params.get("state");
    state.rstate = rstate === null ? "open" : rstate === "all" ? "" : rstate;
    var fstate = params.get("fstate");
    state.fstate = fstate === null ? "pending" : fstate === "all" ? "" : fstate;
  }

  function writeAddress() {
    var params = new URLSearchParams();
    if (state.tab !== "reviews") params.set("tab", state.tab);
    if (state.rstate !== "open") params.set("state", state.rstate || "all");
    if (state.fstate !== "pending") params.set("fstate", state.fstate || "all");
    var q = params.toString();
    history.replaceState(null, "", window.location.pathname + (q ? "?" + q : ""));
  }

  // ---------------------------------------------------------------- live connection
  var reloadTimers = {};
  function reloadSoon(what) {
    clearTimeout(reloadTimers[what]);
    var load = what === "reviews" ? loadReviews : loadFollows;
    reloadTimers[what] = setTimeout(load, RELOAD_DEBOUNCE_MS);
  }

  function stopLive() {
    clearTimeout(reloadTimers.reviews);
    clearTimeout(reloadTimers.follows);
    if (live) live.close();
    live = null;
    window.onestopReviews.live = null;
  }

  function start() {
    stopLive();
    staff.showApp("reviews");
    var manager = staff.isManager();
    $("managers-only").hidden = manager;
    $("reports-managers-only").hidden = manager;
    $("reports").hidden = !manager;
    if (!manager && state.tab === "reviews" && !new URLSearchParams(location.search).get("tab")) {
      state.tab = "follow-ups"; // clerks: the part of the page they can work on
    }
    showTab();
    setReportDefaults(false);
    staff.setConn("connecting");
    live = O.connectLive({
      token: staff.session.token,
      view: "cases",
      onSnapshot: onSnapshot,
      onEvent: function (event) {
        if (RECT_EVENTS.test(event.type)) reloadSoon("reviews");
        if (FOLLOW_EVENTS.test(event.type)) reloadSoon("follows");
      },
      onStatus: staff.liveStatus,
    });
    window.onestopReviews.live = live;
  }

  function onSnapshot(snap) {
    if (snap.kind !== "cases") return;
    var first = !state.snap;
    state.snap = snap;
    $("hall-name").textContent = snap.hall ? snap.hall.name.zh : "好差评与报表";
    document.title = (snap.hall ? snap.hall.name.zh + " · " : "") + "好差评与报表";
    if (first) setReportDefaults(true); // "today" in the hall's time zone
    reload();
  }

  function reload() {
    if (!staff.session) return;
    loadReviews();
    loadFollows();
  }

  // ---------------------------------------------------------------- tabs
  function showTab() {
    TABS.forEach(function (t) {
      var on = t === state.tab;
      $("tab-" + t).classList.toggle("active", on);
      $("tab-" + t).setAttribute("aria-selected", on ? "true" : "false");
      $("panel-" + t).hidden = !on;
    });
    document.body.dataset.tab = state.tab;
    $("f-rstate").value = state.rstate;
    $("f-fstate").value = state.fstate;
  }

  TABS.forEach(function (t) {
    $("tab-" + t).addEventListener("click", function () {
      state.tab = t;
      showTab();
      writeAddress();
    });
  });
  $("f-rstate").addEventListener("change", function (ev) {
    state.rstate = ev.target.value;
    writeAddress();
    state.rects = null;
    renderReviews();
    loadReviews();
  });
  $("f-fstate").addEventListener("change", function (ev) {
    state.fstate = ev.target.value;
    writeAddress();
    state.follows = null;
    renderFollows();
    loadFollows();
  });

  // ---------------------------------------------------------------- time
  function tz() {
    return state.snap && state.snap.hall && state.snap.hall.timezone;
  }

  function localTime(iso) {
    if (!iso) return "—";
    var p = O.localParts(new Date(iso), tz());
    var day = p.year + "-" + O.pad(p.month) + "-" + O.pad(p.day);
    return day + " " + O.pad(p.hour) + ":" + O.pad(p.minute);
  }

  function staffName(username) {
    var clerks = (state.snap && state.snap.clerks) || [];
    for (var i = 0; i < clerks.length; i++) {
      if (clerks[i].username === username) return clerks[i].name;
    }
    return username || "";
  }

  // ---------------------------------------------------------------- errors
  function unreachable() {
    return "无法连接服务器，请再试一次（不会重复提交） · server unreachable, try again";
  }

  function errorText(err) {
    if (!err.status) return unreachable();
    if (err.code === "step_out_of_order") {
      var m = /next step is (\w+), not (\w+)/.exec(err.message || "");
      var zh = m
        ? "步骤顺序不对：下一步应为「" +
          ((STEP[m[1]] || {}).zh || m[1]) +
          "」，不能先记录「" +
          ((STEP[m[2]] || {}).zh || m[2]) +
          "」。"
        : "步骤顺序不对。";
      return zh + "（" + err.status + " " + err.message + "）";
    }
    if (err.status === 403) return "仅大厅管理员可操作（403 " + err.message + "）";
    return (CONFLICT_ZH[err.code] || "") + err.message + "（" + err.status + "）";
  }

  function showMsg(msg, kind, text) {
    msg.className = "d-msg" + (kind ? " " + kind : "");
    msg.textContent = text;
  }

  // ---------------------------------------------------------------- forms (kept across redraws)
  /** A live update redraws the lists: what someone is typing (and where) must survive it. */
  function keepTyping(box) {
    var kept = { values: {}, focus: null, open: {} };
    box.querySelectorAll("form.d-action").forEach(function (form) {
      form.querySelectorAll("input, textarea, select").forEach(function (input) {
        var key = form.dataset.action + "/" + input.name;
        var changed =
          input.tagName === "SELECT"
            ? Array.prototype.some.call(input.options, function (o) {
                return o.selected !== o.defaultSelected;
              })
            : input.value !== input.defaultValue;
        if (changed) kept.values[key] = input.value;
        if (document.activeElement === input) {
          kept.focus = { key: key, start: input.selectionStart, end: input.selectionEnd };
        }
      });
      var msg = form.querySelector(".d-msg");
      if (msg && msg.textContent) {
        kept.values[form.dataset.action + "/.msg"] = [msg.className, msg.textContent];
      }
    });
    box.querySelectorAll("details[data-key]").forEach(function (d) {
      kept.open[d.dataset.key] = d.open;
    });
    return kept;
  }

  function restoreTyping(box, kept) {
    box.querySelectorAll("details[data-key]").forEach(function (d) {
      if (kept.open[d.dataset.key] !== undefined) d.open = kept.open[d.dataset.key];
    });
    box.querySelectorAll("form.d-action").forEach(function (form) {
      var msg = form.querySelector(".d-msg");
      var saved = kept.values[form.dataset.action + "/.msg"];
      if (msg && saved) {
        msg.className = saved[0];
        msg.textContent = saved[1];
      }
      form.querySelectorAll("input, textarea, select").forEach(function (input) {
        var key = form.dataset.action + "/" + input.name;
        if (kept.values[key] !== undefined) input.value = kept.values[key];
        if (kept.focus && kept.focus.key === key) {
          input.focus();
          try {
            input.setSelectionRange(kept.focus.start, kept.focus.end);
          } catch (e) {
            /* not a text field */
          }
        }
      });
    });
  }

  function selectField(form, name, label, rows, selected) {
    var lab = el("label", "d-field", label);
    var select = el("select");
    select.name = name;
    rows.forEach(function (r) {
      var o = el("option", null, r[1]);
      o.value = r[0];
      if (r[2]) o.disabled = true;
      if (r[0] === selected) {
        o.selected = true;
        o.defaultSelected = true;
      }
      select.appendChild(o);
    });
    lab.appendChild(select);
    form.appendChild(lab);
    return select;
  }

  function post(key, path, body, form, after) {
    var msg = form.querySelector(".d-msg");
    var buttons = form.querySelectorAll("button");
    var rid = state.pending[key] || (state.pending[key] = O.newRequestId());
    body.request_id = rid;
    buttons.forEach(function (b) {
      b.disabled = true;
    });
    showMsg(msg, "", "提交中… · saving");
    return staff.api("POST", path, { body: body, requestId: rid }).then(
      function (result) {
        delete state.pending[key];
        form.reset(); // the next redraw starts from the new state, not from what was typed
        buttons.forEach(function (b) {
          b.disabled = false;
        });
        showMsg(msg, "ok", "已保存 · saved");
        if (after) after(result);
        return result;
      },
      function (err) {
        buttons.forEach(function (b) {
          b.disabled = false;
        });
        if (err.status === 401) {
          staff.sessionEnded();
          return;
        }
        if (err.status) delete state.pending[key]; // answered: a new attempt is a new request
        showMsg(msg, "error", errorText(err));
      }
    );
  }

  function need(form, input, text) {
    if (input.value.trim()) return true;
    showMsg(form.querySelector(".d-msg"), "error", text);
    input.focus();
    return false;
  }

  // ---------------------------------------------------------------- 差评整改: loading
  function loadReviews() {
    if (!staff.session) return;
    var n = ++state.loads.reviews; // clerks get the ratings of their own services
    var q = state.rstate ? "?state=" + encodeURIComponent(state.rstate) : "";
    var calls = [staff.api("GET", "/rectifications" + q)];
    if (state.rstate !== "open") {
      calls.push(staff.api("GET", "/rectifications?state=open"));
    }
    $("reviews-status").textContent = "加载中…";
    Promise.all(calls).then(
      function (results) {
        if (n !== state.loads.reviews) return; // a newer load is on its way
        state.rects = results[0].rectifications;
        state.openRects = (results[1] || results[0]).rectifications;
        $("reviews-status").textContent = "";
        renderReviews();
        loaded();
      },
      function (err) {
        if (n !== state.loads.reviews) return;
        listFailed(err, $("reviews-status"), "reviews");
      }
    );
  }

  function listFailed(err, where, what) {
    if (err.status === 401) {
      staff.sessionEnded();
      return;
    }
    where.textContent = "";
    where.appendChild(
      el(
        "span",
        "error",
        err.status
          ? err.status === 403
            ? "仅大厅管理员可查看（403） · managers only"
            : err.message + "（" + err.status + "）"
          : "无法连接服务器，稍后自动重试 · server unreachable"
      )
    );
    if (!err.status || err.status >= 500) {
      setTimeout(function () {
        reloadSoon(what);
      }, 5000);
    }
  }

  function loaded() {
    state.reloads += 1;
    document.body.dataset.loaded = state.reloads;
  }

  // ---------------------------------------------------------------- 差评整改: rendering
  function isOverdue(r, now) {
    return r.state === "open" && Date.parse(r.deadline_at) < now;
  }

  function renderReviews() {
    var box = $("rect-list");
    var now = Date.now();
    var open = state.openRects || [];
    var late = open.filter(function (r) {
      return isOverdue(r, now);
    }).length;
    $("count-reviews").textContent = open.length;
    $("count-reviews").classList.toggle("hot", open.length > 0);
    var summary = $("reviews-summary");
    summary.textContent = "";
    if (state.openRects) {
      summary.appendChild(document.createTextNode("待整改 "));
      summary.appendChild(el("b", null, open.length));
      summary.appendChild(document.createTextNode(" 条 · 已逾期 "));
      summary.appendChild(el("b", late ? "late" : null, late));
      summary.appendChild(document.createTextNode(" 条"));
    }
    var kept = keepTyping(box);
    box.textContent = "";
    if (!state.rects) return;
    if (!state.rects.length) {
      var empty = el("div", "panel empty-note");
      empty.appendChild(
        el(
          "p",
          null,
          state.rstate === "open"
            ? "没有待整改的差评。"
            : state.rstate === "done"
              ? "还没有整改完成的差评。"
              : state.rstate === "void"
                ? "没有作废的差评。"
                : "还没有差评。"
        )
      );
      empty.appendChild(el("p", "en", "Nothing here."));
      box.appendChild(empty);
      return;
    }
    state.rects.forEach(function (r) {
      box.appendChild(rectCard(r, now));
    });
    restoreTyping(box, kept);
  }

  function rectCard(r, now) {
    var late = isOverdue(r, now);
    var card = el("article", "panel rect rect-" + r.state + (late ? " late" : ""));
    card.dataset.rectification = r.id;
    card.dataset.ticket = r.ticket;
    card.dataset.state = r.state;
    card.dataset.next = r.next_step || "";
    card.dataset.appeal = (r.appeal && r.appeal.state) || "";
    card.dataset.overdue = late ? "1" : "0";

    var head = el("header", "rect-head");
    head.appendChild(el("h3", "rect-ticket", r.ticket));
    head.appendChild(el("span", "rating rating-" + r.rating, r.rating_zh));
    var st = RECT_STATE[r.state] || { zh: r.state, en: "" };
    var badge = el("span", "badge rect-badge", st.zh);
    badge.title = st.en;
    head.appendChild(badge);
    if (r.appeal && r.appeal.state) {
      head.appendChild(
        el("span", "badge appeal-badge ab-" + r.appeal.state, APPEAL_STATE[r.appeal.state])
      );
    }
    head.appendChild(el("span", "rect-id muted", "#" + r.id));
    card.appendChild(head);

    var facts = el("dl", "facts rect-facts");
    fact(facts, "评价时间", localTime(r.opened_at));
    var due = el("span", "rect-due");
    due.appendChild(document.createTextNode(O.deadlineText(r.deadline_at)));
    if (r.state === "open") {
      var left = O.deadlineLeft(r.deadline_at, now); // 「剩 3 天」 / 「已超 2 天」
      due.appendChild(
        late
          ? el("b", "due-late", " 已逾期 " + left.replace("已超 ", ""))
          : el("b", "due-left", " " + left)
      );
    } else if (r.state === "done") {
      var inform = (r.steps || []).filter(function (s) {
        return s.step === "inform";
      })[0];
      if (inform) {
        var onTime = Date.parse(inform.at) <= Date.parse(r.deadline_at);
        due.appendChild(el("b", onTime ? "due-ok" : "due-late", onTime ? " 按期整改" : " 逾期整改"));
      }
    }
    fact(facts, "整改时限", due);
    fact(facts, "群众留言", r.comment ? "「" + r.comment + "」" : el("span", "muted", "无留言"));
    card.appendChild(facts);

    card.appendChild(stepper(r));
    if ((r.steps || []).length) card.appendChild(stepLog(r));
    if (r.state === "open" && r.next_step && staff.isManager()) card.appendChild(stepForm(r));
    card.appendChild(appealSection(r));
    return card;
  }

  function fact(dl, label, value) {
    dl.appendChild(el("dt", null, label));
    var dd = el("dd");
    if (value instanceof Node) dd.appendChild(value);
    else dd.textContent = value;
    dl.appendChild(dd);
  }

  function stepper(r) {
    var done = {};
    (r.steps || []).forEach(function (s) {
      done[s.step] = s;
    });
    var ol = el("ol", "stepper");
    STEPS.forEach(function (s, i) {
      var cls = done[s.key] ? "done" : r.next_step === s.key ? "next" : "todo";
      var li = el("li", "st st-" + cls);
      li.dataset.step = s.key;
      li.appendChild(el("i", "st-n", done[s.key] ? "✓" : i + 1));
      var t = el("span", "st-text", s.zh);
      t.appendChild(el("span", "en", s.key));
      li.appendChild(t);
      ol.appendChild(li);
    });
    return ol;
  }

  function stepLog(r) {
    var ol = el("ol", "step-log");
    r.steps.forEach(function (s) {
      var li = el("li");
      li.dataset.step = s.step;
      li.appendChild(el("b", "sl-what", (STEP[s.step] || {}).zh || s.step));
      li.appendChild(el("span", "sl-at", localTime(s.at)));
      li.appendChild(el("span", "sl-by", staffName(s.by)));
      li.appendChild(el("span", "sl-note", s.note));
      ol.appendChild(li);
    });
    return ol;
  }

  function stepForm(r) {
    var key = "step:" + r.id;
    return actionForm(key, function (form) {
      form.classList.add("step-form");
      var done = {};
      (r.steps || []).forEach(function (s) {
        done[s.step] = true;
      });
      var row = el("div", "step-row");
      form.appendChild(row);
      var select = selectField(
        row,
        "step",
        "记录步骤 Step",
        STEPS.map(function (s, i) {
          return [
            s.key,
            i + 1 + " " + s.zh + (done[s.key] ? "（已完成）" : s.key === r.next_step ? "（下一步）" : ""),
            done[s.key],
          ];
        }),
        r.next_step
      );
      var note = field(row, "note", "情况说明 Note", STEP_HINT[r.next_step] || "", true);
      select.addEventListener("change", function () {
        note.placeholder = STEP_HINT[select.value] || "";
      });
      var buttons = el("div", "d-buttons");
      buttons.appendChild(button("记录", "primary"));
      row.appendChild(buttons);
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        if (!need(form, note, "请填写这一步的情况说明。 · A note is required.")) return;
        post(
          key,
          "/rectifications/" + r.id + "/steps",
          { step: select.value, note: note.value.trim() },
          form,
          function () {
            loadReviews();
          }
        );
      });
    });
  }

  function appealSection(r) {
    var a = r.appeal || {};
    var s = el("div", "appeal" + (a.state ? " appeal-" + a.state : ""));
    if (a.state) {
      var dl = el("dl", "facts small");
      fact(dl, "申诉理由", a.reason || "—");
      if (a.state !== "pending") fact(dl, APPEAL_STATE[a.state], a.note || "—");
      s.appendChild(dl);
      if (a.state === "pending") {
        if (staff.isManager()) s.appendChild(decisionForm(r));
        else s.appendChild(el("p", "muted", "等待大厅管理员决定"));
      }
      return s;
    }
    if (r.state !== "open") return s;
    var details = el("details", "appeal-open");
    details.dataset.key = "appeal:" + r.id;
    var summary = el("summary", null, "申诉（误评、恶意评价） ");
    summary.appendChild(el("span", "en", "Appeal"));
    details.appendChild(summary);
    var key = "appeal:" + r.id;
    details.appendChild(
      actionForm(key, function (form) {
        var reason = field(
          form,
          "reason",
          "申诉理由",
          "例如：群众误触评价器，已电话确认；或：与办理无关的恶意差评",
          true
        );
        var row = el("div", "d-buttons");
        row.appendChild(button("提交申诉", "secondary"));
        form.appendChild(row);
        form.addEventListener("submit", function (ev) {
          ev.preventDefault();
          if (!need(form, reason, "请填写申诉理由。 · A reason is required.")) return;
          var body = { reason: reason.value.trim() };
          post(key, "/rectifications/" + r.id + "/appeal", body, form, loadReviews);
        });
      })
    );
    s.appendChild(details);
    return s;
  }

  function decisionForm(r) {
    var key = "decision:" + r.id;
    return actionForm(key, function (form) {
      form.classList.add("decision-form");
      var note = field(form, "note", "决定意见", "例如：调取监控核实为误触，差评不计入统计", true);
      var row = el("div", "d-buttons");
      row.appendChild(button("申诉成立，差评作废", "primary", "uphold"));
      row.appendChild(button("驳回申诉，继续整改", "secondary danger", "reject"));
      form.appendChild(row);
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        if (!need(form, note, "请填写决定意见。 · A note is required.")) return;
        var upheld = !ev.submitter || ev.submitter.value !== "reject";
        var body = { upheld: upheld, note: note.value.trim() };
        post(key, "/rectifications/" + r.id + "/appeal/decision", body, form, loadReviews);
      });
    });
  }

  // ---------------------------------------------------------------- 回访: loading and rendering
  function loadFollows() {
    if (!staff.session) return;
    var n = ++state.loads.follows;
    var q = state.fstate ? "?state=" + encodeURIComponent(state.fstate) : "";
    var calls = [staff.api("GET", "/follow-ups" + q)];
    if (state.fstate !== "pending") {
      calls.push(staff.api("GET", "/follow-ups?state=pending"));
    }
    $("follow-status").textContent = "加载中…";
    Promise.all(calls).then(
      function (results) {
        if (n !== state.loads.follows) return;
        state.follows = results[0].follow_ups;
        state.pendingFollows = (results[1] || results[0]).follow_ups;
        $("follow-status").textContent = "";
        renderFollows();
        loaded();
      },
      function (err) {
        if (n !== state.loads.follows) return;
        listFailed(err, $("follow-status"), "follows");
      }
    );
  }

  function renderFollows() {
    var pending = state.pendingFollows || [];
    $("count-follow-ups").textContent = pending.length;
    $("count-follow-ups").classList.toggle("hot", pending.length > 0);
    var body = document.querySelector("#follow-list tbody");
    var kept = keepTyping(body);
    body.textContent = "";
    if (!state.follows) return;
    if (!state.follows.length) {
      var tr = el("tr", "empty");
      var td = el(
        "td",
        null,
        (state.fstate === "pending" ? "没有待回访的办件" : "没有符合条件的回访") + " · Nothing here"
      );
      td.colSpan = 7;
      tr.appendChild(td);
      body.appendChild(tr);
      return;
    }
    state.follows.forEach(function (f) {
      body.appendChild(followRow(f));
    });
    restoreTyping(body, kept);
  }

  function followRow(f) {
    var tr = el("tr", "follow f-" + f.state);
    tr.dataset.followUp = f.id;
    tr.dataset.case = f.case;
    tr.dataset.state = f.state;
    var num = el("td", "r-number");
    var a = el("a", null, f.case);
    a.href = "/cases?case=" + encodeURIComponent(f.case) + "&state=all";
    num.appendChild(a);
    tr.appendChild(num);
    tr.appendChild(el("td", "f-item", f.item_name));
    tr.appendChild(el("td", "f-name", f.applicant || "—"));
    tr.appendChild(el("td", "f-phone", f.phone || "—"));
    tr.appendChild(el("td", "f-finished", localTime(f.finished_at)));
    tr.appendChild(el("td", "f-state", FOLLOW_STATE[f.state] || f.state));
    var last = el("td", "f-record");
    if (f.state === "pending") {
      last.appendChild(followForm(f));
    } else {
      if (f.result) {
        last.appendChild(el("b", "rating rating-" + f.result, RESULT_ZH[f.result] || f.result));
      }
      if (f.note) last.appendChild(el("span", "f-note", f.note));
      if (!f.result && !f.note) last.appendChild(el("span", "muted", "—"));
    }
    tr.appendChild(last);
    return tr;
  }

  function followForm(f) {
    var key = "follow:" + f.id;
    return actionForm(key, function (form) {
      form.classList.add("follow-form");
      var row = el("div", "follow-row");
      form.appendChild(row);
      var result = selectField(
        row,
        "result",
        "群众评价",
        [["", "请选择…"]].concat(RESULTS),
        ""
      );
      var note = field(row, "note", "备注", "例如：群众对办理结果满意", false);
      var buttons = el("div", "d-buttons");
      buttons.appendChild(button("记录回访", "primary", "done"));
      buttons.appendChild(button("联系不上", "secondary", "unreachable"));
      row.appendChild(buttons);
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var st = ev.submitter && ev.submitter.value === "unreachable" ? "unreachable" : "done";
        if (st === "done" && !result.value) {
          showMsg(
            form.querySelector(".d-msg"),
            "error",
            "请选择群众对办理结果的评价。 · Pick the resident's verdict."
          );
          result.focus();
          return;
        }
        var body = { state: st, note: note.value.trim() };
        if (st === "done") body.result = result.value;
        post(key, "/follow-ups/" + f.id, body, form, function () {
          loadFollows();
        });
      });
    });
  }

  // ---------------------------------------------------------------- 报表
  function fillGroupings() {
    document.querySelectorAll(".by-select").forEach(function (select) {
      select.textContent = "";
      GROUPINGS.forEach(function (g) {
        var o = el("option", null, g[1]);
        o.value = g[0];
        select.appendChild(o);
      });
    });
  }

  function setReportDefaults(force) {
    var p = O.localParts(new Date(), tz());
    var day = p.year + "-" + O.pad(p.month) + "-" + O.pad(p.day);
    var month = p.year + "-" + O.pad(p.month);
    if (force || !$("daily-date").value) $("daily-date").value = day;
    if (force || !$("monthly-month").value) $("monthly-month").value = month;
  }

  function hallName() {
    var h = state.snap && state.snap.hall;
    return (h && h.name && h.name.zh) || (staff.session && staff.session.hall) || "onestop";
  }

  function safeName(name) {
    return name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, "_");
  }

  function reportRequest(kind, format, period, by) {
    var path, name;
    var grouping = format === "csv" ? by || "department" : by;
    var suffix = grouping ? "-" + GROUPING_ZH[grouping] : "";
    if (format === "pdf") {
      path = "/reports/monthly.pdf?month=" + encodeURIComponent(period);
      name = hallName() + "-" + period + "-民生服务和民情诉求分析报告.pdf";
    } else {
      var params = new URLSearchParams();
      params.set(kind === "daily" ? "date" : "month", period);
      params.set("format", format);
      if (by) params.set("by", by);
      path = "/reports/" + kind + "?" + params.toString();
      var what = kind === "daily" ? "日报" : "月报";
      name = hallName() + "-" + period + "-" + what + suffix + "." + format;
    }
    return { path: path, name: safeName(name) };
  }

  function sizeText(bytes) {
    return bytes >= 1024 * 1024
      ? (bytes / 1024 / 1024).toFixed(1) + " MB"
      : Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  /** fetch with the staff token, keep the answer as a Blob and save it with an <a download>. */
  function download(req, msg, buttons) {
    buttons.forEach(function (b) {
      b.disabled = true;
    });
    showMsg(msg, "", "正在生成 " + req.name + " … · preparing");
    return fetch(staff.base() + req.path, {
      headers: { Authorization: "Bearer " + staff.session.token },
      cache: "no-store",
    })
      .then(function (response) {
        if (!response.ok) {
          return response
            .json()
            .catch(function () {
              return {};
            })
            .then(function (data) {
              var e = (data && data.error) || {};
              var err = new Error(e.message || "HTTP " + response.status);
              err.status = response.status;
              err.field = e.field;
              err.code = e.code;
              throw err;
            });
        }
        return response.blob();
      })
      .then(function (blob) {
        var url = URL.createObjectURL(blob);
        var a = document.createElement("a");
        a.href = url;
        a.download = req.name;
        a.hidden = true;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () {
          URL.revokeObjectURL(url);
        }, 60000);
        state.downloads += 1;
        document.body.dataset.downloads = state.downloads;
        showMsg(msg, "ok", "已下载 " + req.name + "（" + sizeText(blob.size) + "） · downloaded");
      })
      .catch(function (err) {
        if (err.status === 401) {
          staff.sessionEnded();
          return;
        }
        showMsg(msg, "error", downloadError(err));
      })
      .then(function () {
        buttons.forEach(function (b) {
          b.disabled = false;
        });
      });
  }

  function downloadError(err) {
    if (!err.status) return "无法连接服务器，请稍后再试 · server unreachable";
    if (err.status === 403) return "仅大厅管理员可下载报表（403 " + err.message + "）";
    if (err.status === 400 && err.field) {
      var label = FIELD_ZH[err.field] || err.field;
      return "「" + label + "」有误：" + err.message + "（400，字段 " + err.field + "）";
    }
    return err.message + "（" + err.status + "）";
  }

  function reportForm(kind, input, by, msgId) {
    var form = $("report-" + kind);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var msg = $(msgId);
      var format = (ev.submitter && ev.submitter.value) || "xlsx";
      var period = input.value.trim();
      if (!period) {
        showMsg(msg, "error", kind === "daily" ? "请选择日期。 · Pick a day." : "请选择月份。 · Pick a month.");
        input.focus();
        return;
      }
      download(reportRequest(kind, format, period, by.value), msg, form.querySelectorAll("button"));
    });
  }

  fillGroupings();
  reportForm("daily", $("daily-date"), $("daily-by"), "daily-msg");
  reportForm("monthly", $("monthly-month"), $("monthly-by"), "monthly-msg");

  // Deadlines move on: redraw "剩 3 小时 / 已逾期" every minute (from memory, no request).
  setInterval(function () {
    if (staff.session && state.rects) renderReviews();
  }, 60000);

  // ---------------------------------------------------------------- start
  window.onestopReviews = { live: null, state: state, reload: reload };
  readAddress();
  showTab();
  staff.boot();
})();
