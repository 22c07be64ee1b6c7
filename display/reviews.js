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
import { connectLive, deadlineText, el, localParts, newRequestId, pad } from "./live.js";
import { actionForm, field, staffPage, staffText, submitButton } from "./staff.js";

var button = submitButton;
var $ = function (id) {
  return document.getElementById(id);
};

var T = staffText; // 中文 / English (staff.js)
var tx = T.tx;
var k = T.k;

var RELOAD_DEBOUNCE_MS = 300;
var STAFF_ROLES = { clerk: true, manager: true, admin: true };
var TABS = ["reviews", "follow-ups", "reports"];
var RECT_EVENTS = /^(rectification|evaluation)\./;
var FOLLOW_EVENTS = /^(follow_up\.|case\.finished$)/;

var STEPS = [
  { key: "callback", label: T.lb("rectification_step", "callback"), en: "call the resident back" },
  { key: "verify", label: T.lb("rectification_step", "verify"), en: "verify" },
  { key: "fix", label: T.lb("rectification_step", "fix"), en: "fix" },
  { key: "inform", label: T.lb("rectification_step", "inform"), en: "tell the resident" },
];
var STEP = {};
STEPS.forEach(function (s, i) {
  STEP[s.key] = { label: s.label, en: s.en, n: i + 1 };
});
function stepText(key) {
  return STEP[key] ? T.t(STEP[key].label) : key;
}
var STEP_HINT = {
  callback: k("r_hint_callback", "例如：电话回访群众，了解到等候时间过长"),
  verify: k("r_hint_verify", "例如：调取叫号记录和监控，核实属实"),
  fix: k("r_hint_fix", "例如：高峰时段加开窗口，对窗口人员进行提醒"),
  inform: k("r_hint_inform", "例如：已电话告知群众整改结果，群众表示认可"),
};
var RECT_STATE = {
  open: { label: T.lb("rectification_state", "open"), en: "open" },
  done: { label: T.lb("rectification_state", "done"), en: "done" },
  void: { label: T.lb("rectification_state", "void"), en: "void" },
};
var APPEAL_STATE = {
  pending: T.lb("appeal_state", "pending"),
  upheld: T.lb("appeal_state", "upheld"),
  rejected: T.lb("appeal_state", "rejected"),
};
var RESULTS = [
  ["very_satisfied", T.lb("rating", "very_satisfied")],
  ["satisfied", T.lb("rating", "satisfied")],
  ["basically_satisfied", T.lb("rating", "basically_satisfied")],
  ["dissatisfied", T.lb("rating", "dissatisfied")],
  ["very_dissatisfied", T.lb("rating", "very_dissatisfied")],
];
var RESULT = {};
RESULTS.forEach(function (r) {
  RESULT[r[0]] = r[1];
});
var FOLLOW_STATE = {
  pending: T.lb("follow_up_state", "pending"),
  done: T.lb("follow_up_state", "done"),
  unreachable: T.lb("follow_up_state", "unreachable"),
};
var CONFLICT = {
  rectification_closed: k("r_conflict_closed", "这条整改已经结束，不能再记录。"),
  appeal_exists: k("r_conflict_appeal_exists", "这条差评已经提出过申诉。"),
  no_pending_appeal: k("r_conflict_no_pending_appeal", "这条差评没有待决定的申诉。"),
  follow_up_done: k("r_conflict_follow_up_done", "这条回访已经记录过了。"),
  idempotency_conflict: k("r_conflict_idempotency", "同一请求编号内容不同，请刷新后重试。"),
};
var GROUPINGS = [
  ["", k("r_by_all", "全部分组")],
  ["department", k("r_by_department", "按部门")],
  ["item", k("r_by_item", "按事项")],
  ["window", k("r_by_window", "按窗口")],
  ["clerk", k("r_by_clerk", "按人员")],
];
var GROUPING_ZH = {}; // file names stay Chinese (the reports themselves are)
GROUPINGS.forEach(function (g) {
  GROUPING_ZH[g[0]] = g[1].zh;
});
var FIELD = {
  date: k("r_date", "日期"),
  month: k("r_month", "月份"),
  format: k("r_format", "格式"),
  by: k("c_f_group", "分组"),
};

function word(table, code) {
  return table[code] ? T.t(table[code]) : code;
}

var staff = staffPage({
  app: "app",
  client: "reviews-web",
  roles: STAFF_ROLES,
  refused: ["此账号不能使用本页。", "This account cannot use this page."],
  start: start,
  stop: stopLive,
  onLanguage: redraw,
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
  live = connectLive({
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
  showTitle();
  if (first) setReportDefaults(true); // "today" in the hall's time zone
  reload();
}

function showTitle() {
  var hall = state.snap && state.snap.hall ? T.name(state.snap.hall.name) : "";
  $("hall-name").textContent = hall || tx("r_title", "好差评与报表");
  document.title = (hall ? hall + " · " : "") + tx("r_title", "好差评与报表");
}

/** The language changed: draw again from memory (no request). */
function redraw() {
  fillGroupings();
  if (!state.snap) return;
  showTitle();
  renderReviews();
  renderFollows();
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
  var p = localParts(new Date(iso), tz());
  var day = p.year + "-" + pad(p.month) + "-" + pad(p.day);
  return day + " " + pad(p.hour) + ":" + pad(p.minute);
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
  return tx(
    "unreachable_again",
    "无法连接服务器，请再试一次（不会重复提交） · server unreachable, try again"
  );
}

function errorText(err) {
  if (!err.status) return unreachable();
  if (err.code === "step_out_of_order") {
    var m = /next step is (\w+), not (\w+)/.exec(err.message || "");
    var said = m
      ? tx("r_out_of_order", "步骤顺序不对：下一步应为「{next}」，不能先记录「{step}」。", {
          next: stepText(m[1]),
          step: stepText(m[2]),
        })
      : tx("r_out_of_order_plain", "步骤顺序不对。");
    return said + paren(err.status + " " + T.msg(err.message));
  }
  if (err.status === 403) {
    return tx("r_managers_only_act", "仅大厅管理员可操作") + paren("403 " + T.msg(err.message));
  }
  return (
    (CONFLICT[err.code] ? T.t(CONFLICT[err.code]) + (T.english() ? " " : "") : "") +
    T.msg(err.message) +
    paren(err.status)
  );
}

/** 「（…）」 in Chinese, " (…)" in English. */
function paren(text) {
  return T.english() ? " (" + text + ")" : "（" + text + "）";
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
  var rid = state.pending[key] || (state.pending[key] = newRequestId());
  body.request_id = rid;
  buttons.forEach(function (b) {
    b.disabled = true;
  });
  showMsg(msg, "", tx("r_saving", "提交中… · saving"));
  return staff.api("POST", path, { body: body, requestId: rid }).then(
    function (result) {
      delete state.pending[key];
      form.reset(); // the next redraw starts from the new state, not from what was typed
      buttons.forEach(function (b) {
        b.disabled = false;
      });
      showMsg(msg, "ok", tx("saved", "已保存 · saved"));
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
  $("reviews-status").textContent = tx("loading", "加载中…");
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
          ? tx("r_managers_only_view", "仅大厅管理员可查看（403） · managers only")
          : T.msg(err.message) + paren(err.status)
        : tx("c_unreachable_retry", "无法连接服务器，稍后自动重试 · server unreachable")
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
    T.rich(summary, "r_summary", "待整改 {open} 条 · 已逾期 {late} 条", {
      open: el("b", null, open.length),
      late: el("b", late ? "late" : null, late),
    });
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
          ? tx("r_empty_open", "没有待整改的差评。")
          : state.rstate === "done"
            ? tx("r_empty_done", "还没有整改完成的差评。")
            : state.rstate === "void"
              ? tx("r_empty_void", "没有作废的差评。")
              : tx("r_empty_all", "还没有差评。")
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
  head.appendChild(
    el("span", "rating rating-" + r.rating, RESULT[r.rating] ? T.t(RESULT[r.rating]) : r.rating_zh)
  );
  var st = RECT_STATE[r.state];
  var badge = el("span", "badge rect-badge", st ? T.t(st.label) : r.state);
  badge.title = st ? st.en : "";
  head.appendChild(badge);
  if (r.appeal && r.appeal.state) {
    head.appendChild(
      el("span", "badge appeal-badge ab-" + r.appeal.state, word(APPEAL_STATE, r.appeal.state))
    );
  }
  head.appendChild(el("span", "rect-id muted", "#" + r.id));
  card.appendChild(head);

  var facts = el("dl", "facts rect-facts");
  fact(facts, tx("r_rated_at", "评价时间"), localTime(r.opened_at));
  var due = el("span", "rect-due");
  due.appendChild(document.createTextNode(deadlineText(r.deadline_at)));
  if (r.state === "open") {
    // 「剩 3 天」 / 「已逾期 2 天」
    due.appendChild(
      late
        ? el(
            "b",
            "due-late",
            " " + tx("r_late_by", "已逾期 {t}", { t: T.amount(Date.parse(r.deadline_at) - now) })
          )
        : el("b", "due-left", " " + T.deadlineLeft(r.deadline_at, now))
    );
  } else if (r.state === "done") {
    var inform = (r.steps || []).filter(function (s) {
      return s.step === "inform";
    })[0];
    if (inform) {
      var onTime = Date.parse(inform.at) <= Date.parse(r.deadline_at);
      due.appendChild(
        el(
          "b",
          onTime ? "due-ok" : "due-late",
          " " + (onTime ? tx("r_done_on_time", "按期整改") : tx("r_done_late", "逾期整改"))
        )
      );
    }
  }
  fact(facts, tx("r_deadline", "整改时限"), due);
  fact(
    facts,
    tx("r_comment", "群众留言"),
    r.comment ? "「" + r.comment + "」" : el("span", "muted", tx("b_no_comment", "无留言"))
  );
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
    var t = el("span", "st-text", T.t(s.label));
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
    li.appendChild(el("b", "sl-what", stepText(s.step)));
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
      tx("r_step_label", "记录步骤 Step"),
      STEPS.map(function (s, i) {
        var mark = done[s.key]
          ? tx("r_step_done", "（已完成）")
          : s.key === r.next_step
            ? tx("r_step_next", "（下一步）")
            : "";
        return [s.key, i + 1 + " " + T.t(s.label) + mark, done[s.key]];
      }),
      r.next_step
    );
    var note = field(row, "note", tx("r_note_label", "情况说明 Note"), T.t(STEP_HINT[r.next_step]), true);
    select.addEventListener("change", function () {
      note.placeholder = T.t(STEP_HINT[select.value]);
    });
    var buttons = el("div", "d-buttons");
    buttons.appendChild(button(tx("r_record", "记录"), "primary"));
    row.appendChild(buttons);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (!need(form, note, tx("r_need_note", "请填写这一步的情况说明。 · A note is required."))) return;
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
    fact(dl, tx("r_appeal_reason", "申诉理由"), a.reason || "—");
    if (a.state !== "pending") fact(dl, word(APPEAL_STATE, a.state), a.note || "—");
    s.appendChild(dl);
    if (a.state === "pending") {
      if (staff.isManager()) s.appendChild(decisionForm(r));
      else s.appendChild(el("p", "muted", tx("r_wait_manager", "等待大厅管理员决定")));
    }
    return s;
  }
  if (r.state !== "open") return s;
  var details = el("details", "appeal-open");
  details.dataset.key = "appeal:" + r.id;
  var summary = el("summary", null, tx("r_appeal", "申诉（误评、恶意评价）") + " ");
  summary.appendChild(el("span", "en", "Appeal"));
  details.appendChild(summary);
  var key = "appeal:" + r.id;
  details.appendChild(
    actionForm(key, function (form) {
      var reason = field(
        form,
        "reason",
        tx("r_appeal_reason", "申诉理由"),
        tx("r_appeal_hint", "例如：群众误触评价器，已电话确认；或：与办理无关的恶意差评"),
        true
      );
      var row = el("div", "d-buttons");
      row.appendChild(button(tx("r_appeal_submit", "提交申诉"), "secondary"));
      form.appendChild(row);
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        if (!need(form, reason, tx("r_need_reason", "请填写申诉理由。 · A reason is required."))) return;
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
    var note = field(
      form,
      "note",
      tx("r_decision_note", "决定意见"),
      tx("r_decision_hint", "例如：调取监控核实为误触，差评不计入统计"),
      true
    );
    var row = el("div", "d-buttons");
    row.appendChild(button(tx("r_uphold", "申诉成立，差评作废"), "primary", "uphold"));
    row.appendChild(button(tx("r_reject", "驳回申诉，继续整改"), "secondary danger", "reject"));
    form.appendChild(row);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (!need(form, note, tx("r_need_decision", "请填写决定意见。 · A note is required."))) return;
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
  $("follow-status").textContent = tx("loading", "加载中…");
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
      state.fstate === "pending"
        ? tx("r_no_pending_follow_ups", "没有待回访的办件 · Nothing here")
        : tx("r_no_follow_ups", "没有符合条件的回访 · Nothing here")
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
  tr.appendChild(el("td", "f-state", word(FOLLOW_STATE, f.state)));
  var last = el("td", "f-record");
  if (f.state === "pending") {
    last.appendChild(followForm(f));
  } else {
    if (f.result) {
      last.appendChild(el("b", "rating rating-" + f.result, word(RESULT, f.result)));
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
      tx("r_verdict", "群众评价"),
      [["", tx("r_pick", "请选择…")]].concat(
        RESULTS.map(function (r) {
          return [r[0], T.t(r[1])];
        })
      ),
      ""
    );
    var note = field(
      row,
      "note",
      tx("r_remark", "备注"),
      tx("r_remark_hint", "例如：群众对办理结果满意"),
      false
    );
    var buttons = el("div", "d-buttons");
    buttons.appendChild(button(tx("r_record_follow_up", "记录回访"), "primary", "done"));
    buttons.appendChild(button(tx("r_unreachable", "联系不上"), "secondary", "unreachable"));
    row.appendChild(buttons);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var st = ev.submitter && ev.submitter.value === "unreachable" ? "unreachable" : "done";
      if (st === "done" && !result.value) {
        showMsg(
          form.querySelector(".d-msg"),
          "error",
          tx("r_need_verdict", "请选择群众对办理结果的评价。 · Pick the resident's verdict.")
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
    var value = select.value;
    select.textContent = "";
    GROUPINGS.forEach(function (g) {
      var o = el("option", null, T.t(g[1]));
      o.value = g[0];
      select.appendChild(o);
    });
    select.value = value || "";
  });
}

function setReportDefaults(force) {
  var p = localParts(new Date(), tz());
  var day = p.year + "-" + pad(p.month) + "-" + pad(p.day);
  var month = p.year + "-" + pad(p.month);
  if (force || !$("daily-date").value) $("daily-date").value = day;
  if (force || !$("monthly-month").value) $("monthly-month").value = month;
}

function hallName() {
  var h = state.snap && state.snap.hall;
  return (h && h.name && h.name.zh) || (staff.session && staff.session.hall) || "onestop";
}

function safeName(name) {
  // Control characters are not allowed in file names either: the range is meant.
  // eslint-disable-next-line no-control-regex
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
  showMsg(msg, "", tx("r_preparing", "正在生成 {name} … · preparing", { name: req.name }));
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
      showMsg(
        msg,
        "ok",
        tx("r_downloaded", "已下载 {name}（{size}） · downloaded", {
          name: req.name,
          size: sizeText(blob.size),
        })
      );
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
  if (!err.status) return tx("r_unreachable_later", "无法连接服务器，请稍后再试 · server unreachable");
  if (err.status === 403) {
    return tx("r_managers_only_download", "仅大厅管理员可下载报表") + paren("403 " + T.msg(err.message));
  }
  if (err.status === 400 && err.field) {
    return tx("r_bad_field", "「{label}」有误：{message}（400，字段 {field}）", {
      label: word(FIELD, err.field),
      message: T.msg(err.message),
      field: err.field,
    });
  }
  return T.msg(err.message) + paren(err.status);
}

function reportForm(kind, input, by, msgId) {
  var form = $("report-" + kind);
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var msg = $(msgId);
    var format = (ev.submitter && ev.submitter.value) || "xlsx";
    var period = input.value.trim();
    if (!period) {
      showMsg(
        msg,
        "error",
        kind === "daily"
          ? tx("r_need_day", "请选择日期。 · Pick a day.")
          : tx("r_need_month", "请选择月份。 · Pick a month.")
      );
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
