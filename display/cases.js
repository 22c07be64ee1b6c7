/* Cases page (办件管理): /cases
 *
 * Staff sign in like on the board (the same session in sessionStorage, so a manager coming from
 * the board is already signed in). The list comes from GET /api/v1/halls/<hall>/cases with the
 * filters (colour, state, unit, clerk, item); the page connects to Socket.IO with view "cases"
 * (a small snapshot: sequence and filter choices) and reloads the list and the open case on every
 * case./overdue./evaluation./rectification. event and on every snapshot (reconnect, gap). No
 * polling loop. Managers decide extension requests and record the overdue reason and action;
 * clerks see the same pages without those buttons. Filters and the open case live in the address
 * (?colour=red&case=...), so the board can link straight to them.
 *
 * The county network: an open case can be referred (上报 up to the hall above, the default, or
 * 交办 down to a hall directly below; GET /network/targets lists them with their departments),
 * with the reason; the inbox (待接收转办件: GET /referrals?box=in&state=sent) takes a referral
 * in as one of this hall's items (接收, the same code by default) or, for managers, sends it
 * back with a reason (退回). A case's detail shows where it came from (each earlier hall, its
 * number and its history) and where it was referred to (the receiving hall and its number).
 * referral.* events reload like case events.
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

  var T = O.staffText; // 中文 / English (staff.js)
  var tx = T.tx;
  var k = T.k;

  var RELOAD_DEBOUNCE_MS = 300;
  var STAFF_ROLES = { clerk: true, manager: true, admin: true };
  var CASE_EVENTS = /^(case|overdue|evaluation|rectification|referral)\./;
  var FILTERS = ["colour", "state", "unit", "clerk", "item"];
  var COLOUR_ORDER = ["red", "orange", "yellow", "green", "suspended", ""];

  var CT = O.caseText; // the case labels /cases and /county share (staff.js)
  var STATE_TEXT = CT.state;
  var DIRECTION_TEXT = CT.direction;
  var DECISION_TEXT = CT.decision;
  var EXTENSION_TEXT = CT.extension;
  var ACTION_TEXT = CT.action;

  function listSep() {
    return T.english() ? ", " : "、";
  }

  /** A table's entry in the chosen language; an unknown code as it is. */
  function word(table, code) {
    return table[code] ? T.t(table[code]) : code;
  }

  var staff = O.staffPage({
    app: "app",
    client: "cases-web",
    roles: STAFF_ROLES,
    refused: ["此账号不能查看办件。", "This account cannot see cases."],
    start: start,
    stop: stopLive,
    onLanguage: redraw,
  });
  var live = null;
  var state = {
    snap: null, // the "cases" snapshot: units, items, clerks, role
    filters: {},
    group: "colour",
    list: null,
    counts: null,
    selected: null, // case number shown in the detail pane
    detail: null,
    targets: null, // GET /network/targets: {up, down, refer_up}
    inbox: null, // referrals to this hall still waiting (state sent)
    loads: 0,
    reloads: 0,
    pending: {}, // action key -> request id, reused when the same action is retried
  };

  // ---------------------------------------------------------------- address bar <-> filters
  function readAddress() {
    var params = new URLSearchParams(window.location.search);
    FILTERS.forEach(function (k) {
      state.filters[k] = params.get(k) || "";
    });
    state.group = params.get("group") || "colour";
    state.selected = params.get("case") || null;
  }

  function writeAddress() {
    var params = new URLSearchParams();
    FILTERS.forEach(function (k) {
      if (state.filters[k]) params.set(k, state.filters[k]);
    });
    if (state.group !== "colour") params.set("group", state.group);
    if (state.selected) params.set("case", state.selected);
    var q = params.toString();
    history.replaceState(null, "", window.location.pathname + (q ? "?" + q : ""));
  }

  // ---------------------------------------------------------------- live connection
  var reloadTimer = null;
  function reloadSoon() {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(reload, RELOAD_DEBOUNCE_MS);
  }

  function stopLive() {
    clearTimeout(reloadTimer);
    state.targets = null; // another sign-in may be another hall
    if (live) live.close();
    live = null;
    window.onestopCases.live = null;
  }

  function start() {
    stopLive();
    staff.showApp("cases");
    staff.setConn("connecting");
    live = O.connectLive({
      token: staff.session.token,
      view: "cases",
      onSnapshot: onSnapshot,
      onEvent: function (event) {
        if (CASE_EVENTS.test(event.type)) reloadSoon();
      },
      onStatus: staff.liveStatus,
    });
    window.onestopCases.live = live;
  }

  function onSnapshot(snap) {
    if (snap.kind !== "cases") return; // an older server: keep going with the list alone
    state.snap = snap;
    showTitle();
    fillChoices();
    if (!state.targets) loadTargets();
    reload();
  }

  function showTitle() {
    var hall = state.snap && state.snap.hall ? T.name(state.snap.hall.name) : "";
    $("hall-name").textContent = hall || tx("nav_cases", "办件管理");
    document.title = (hall ? hall + " · " : "") + tx("nav_cases", "办件管理");
  }

  /** The language changed: draw everything again from memory (no request). */
  function redraw() {
    if (!state.snap) return;
    showTitle();
    fillChoices();
    if (state.counts) renderCounts();
    if (state.list) renderList();
    if (state.detail && state.selected === state.detail.number) renderDetail();
    renderInbox();
  }

  function failed(err, where) {
    if (err.status === 401) {
      staff.sessionEnded();
      return true;
    }
    where.textContent = "";
    where.appendChild(
      el(
        "span",
        "error",
        err.status ? T.msg(err.message) : tx("c_unreachable_retry", "无法连接服务器，稍后自动重试 · server unreachable")
      )
    );
    return false;
  }

  // ---------------------------------------------------------------- filters
  function option(value, text) {
    var o = el("option", null, text);
    o.value = value;
    return o;
  }

  function fillSelect(id, first, rows) {
    var select = $(id);
    select.textContent = "";
    select.appendChild(option("", first));
    rows.forEach(function (r) {
      select.appendChild(option(r[0], r[1]));
    });
  }

  function fillChoices() {
    var snap = state.snap;
    fillSelect(
      "f-unit",
      tx("c_all_units", "全部单位"),
      snap.units.map(function (u) {
        return [u.code, u.name];
      })
    );
    fillSelect(
      "f-clerk",
      tx("c_all_clerks", "全部人员"),
      snap.clerks.map(function (c) {
        return [c.username, c.name === c.username ? c.name : c.name + "（" + c.username + "）"];
      })
    );
    fillSelect(
      "f-item",
      tx("c_all_items", "全部事项"),
      snap.items.map(function (i) {
        return [i.code, i.name];
      })
    );
    showFilters();
  }

  function showFilters() {
    FILTERS.forEach(function (k) {
      var select = $("f-" + k);
      var value = state.filters[k] || "";
      if (value && !Array.prototype.some.call(select.options, function (o) {
        return o.value === value;
      })) {
        select.appendChild(option(value, value)); // e.g. a unit outside the hall, from a link
      }
      select.value = value;
    });
    $("f-group").value = state.group;
  }

  function setFilter(name, value) {
    state.filters[name] = value;
    showFilters();
    writeAddress();
    reload();
  }

  FILTERS.forEach(function (k) {
    $("f-" + k).addEventListener("change", function (ev) {
      setFilter(k, ev.target.value);
    });
  });
  $("f-group").addEventListener("change", function (ev) {
    state.group = ev.target.value;
    writeAddress();
    renderList();
  });
  $("f-clear").addEventListener("click", function () {
    FILTERS.forEach(function (k) {
      state.filters[k] = "";
    });
    showFilters();
    writeAddress();
    reload();
  });
  document.querySelectorAll("#colour-counts .cc").forEach(function (tile) {
    tile.addEventListener("click", function () {
      var colour = tile.dataset.colour;
      if (colour === "suspended") {
        var on = state.filters.state === "suspended";
        state.filters.state = on ? "" : "suspended";
        state.filters.colour = "";
      } else {
        state.filters.colour = state.filters.colour === colour ? "" : colour;
        if (state.filters.state === "suspended" || state.filters.state === "finished") {
          state.filters.state = "";
        }
      }
      showFilters();
      writeAddress();
      reload();
    });
  });

  function query(filters) {
    var params = new URLSearchParams();
    FILTERS.forEach(function (k) {
      if (filters[k]) params.set(k, filters[k]);
    });
    var q = params.toString();
    return q ? "?" + q : "";
  }

  // ---------------------------------------------------------------- loading
  function reload() {
    if (!staff.session) return;
    loadList();
    loadInbox();
    if (state.selected) loadDetail(state.selected, false);
  }

  function loadList() {
    var n = ++state.loads;
    var calls = [staff.api("GET", "/cases" + query(state.filters))];
    if (state.filters.colour) {
      // The colour tiles count every colour, whatever colour is picked.
      var others = Object.assign({}, state.filters, { colour: "" });
      calls.push(staff.api("GET", "/cases" + query(others)));
    }
    $("list-status").textContent = tx("loading", "加载中…");
    Promise.all(calls).then(
      function (results) {
        if (n !== state.loads) return; // a newer load is on its way
        state.list = results[0].cases;
        state.counts = (results[1] || results[0]).counts;
        state.reloads += 1;
        $("list-status").textContent = "";
        renderCounts();
        renderList();
        document.body.dataset.loaded = state.reloads;
      },
      function (err) {
        if (n !== state.loads) return;
        // Unreachable or a server hiccup: try again; a refused filter waits for a new choice.
        if (!failed(err, $("list-status")) && (!err.status || err.status >= 500)) {
          setTimeout(reloadSoon, 5000);
        }
      }
    );
  }

  // ---------------------------------------------------------------- rendering: counts and list
  function renderCounts() {
    var counts = state.counts || {};
    document.querySelectorAll("#colour-counts .cc").forEach(function (tile) {
      var colour = tile.dataset.colour;
      var n = counts[colour] || 0;
      var active =
        colour === "suspended"
          ? state.filters.state === "suspended"
          : state.filters.colour === colour;
      tile.className = "cc c-" + colour + (n ? "" : " zero") + (active ? " active" : "");
      tile.setAttribute("aria-pressed", active ? "true" : "false");
      tile.dataset.count = n;
      tile.textContent = "";
      tile.appendChild(T.colourMark(colour));
      tile.appendChild(el("b", null, n));
    });
  }

  function groupKey(c) {
    if (state.group === "unit") return c.handling_unit || "";
    if (state.group === "clerk") return c.clerk || "";
    return c.colour || (c.state === "suspended" ? "suspended" : "");
  }

  function unitName(code) {
    var units = (state.snap && state.snap.units) || [];
    for (var i = 0; i < units.length; i++) if (units[i].code === code) return units[i].name;
    return code;
  }

  function groupTitle(key) {
    if (state.group === "unit") return key ? unitName(key) : tx("c_no_unit", "（未指定单位）");
    if (state.group === "clerk") return key || tx("c_no_clerk", "（未指定经办人）");
    if (O.COLOURS[key]) return T.colourLetter(key) + " · " + T.colourText(key);
    return tx("c_group_ended", "已结束（不计时）");
  }

  function renderList() {
    var body = document.querySelector("#case-list tbody");
    body.textContent = "";
    var cases = state.list || [];
    $("list-count").textContent = cases.length;
    if (!cases.length) {
      var tr = el("tr", "empty");
      var td = el("td", null, tx("c_no_cases", "没有符合条件的办件 · No cases match"));
      td.colSpan = 8;
      tr.appendChild(td);
      body.appendChild(tr);
      return;
    }
    var groups = [];
    var byKey = {};
    cases.forEach(function (c) {
      var key = groupKey(c);
      if (!byKey[key]) {
        byKey[key] = { key: key, rows: [] };
        groups.push(byKey[key]);
      }
      byKey[key].rows.push(c);
    });
    if (state.group === "colour") {
      groups.sort(function (a, b) {
        return COLOUR_ORDER.indexOf(a.key) - COLOUR_ORDER.indexOf(b.key);
      });
    } else {
      groups.sort(function (a, b) {
        return groupTitle(a.key).localeCompare(groupTitle(b.key), "zh-CN");
      });
    }
    var now = Date.now();
    groups.forEach(function (g) {
      var head = el("tr", "group-row");
      head.dataset.group = g.key;
      var th = el("td");
      th.colSpan = 8;
      if (state.group === "colour" && O.COLOURS[g.key]) th.appendChild(T.colourMark(g.key));
      else th.appendChild(el("b", null, groupTitle(g.key)));
      th.appendChild(el("span", "g-count", tx("c_n_cases", "{n} 件", { n: g.rows.length })));
      if (state.group !== "colour") th.appendChild(colourSummary(g.rows));
      head.appendChild(th);
      body.appendChild(head);
      g.rows.forEach(function (c) {
        body.appendChild(caseRow(c, now));
      });
    });
  }

  function colourSummary(rows) {
    var n = {};
    rows.forEach(function (c) {
      var k = c.colour || (c.state === "suspended" ? "suspended" : "");
      n[k] = (n[k] || 0) + 1;
    });
    var span = el("span", "g-summary");
    ["red", "orange", "yellow", "green", "suspended"].forEach(function (k) {
      if (n[k]) span.appendChild(el("span", "g-part c-" + k, T.colourLetter(k) + " " + n[k]));
    });
    return span;
  }

  function caseRow(c, now) {
    var colour = c.colour || (c.state === "suspended" ? "suspended" : "");
    var tr = el("tr", "case-row" + (colour ? " c-" + colour : ""));
    tr.dataset.case = c.number;
    tr.dataset.colour = colour;
    tr.dataset.state = c.state;
    tr.tabIndex = 0;
    if (c.number === state.selected) tr.classList.add("selected");
    var mark = el("td", "r-mark");
    mark.appendChild(T.colourMark(colour));
    tr.appendChild(mark);
    tr.appendChild(el("td", "r-number", c.number));
    var item = el("td", "r-item", c.item_name);
    if (c.repeat_visit) item.appendChild(el("span", "tag", tx("c_repeat", "重访")));
    tr.appendChild(item);
    tr.appendChild(el("td", "r-unit", unitName(c.handling_unit)));
    tr.appendChild(el("td", "r-clerk", c.clerk || "—"));
    tr.appendChild(el("td", "r-accepted", localTime(c.accepted_at, true)));
    var due = el("td", "r-due", c.kind === "promised" ? O.deadlineText(c.deadline_at) : "—");
    if (c.colour) due.appendChild(el("span", "r-left", T.deadlineLeft(c.deadline_at, now)));
    else if (c.state === "suspended") due.appendChild(el("span", "r-left", tx("c_clock_stopped", "计时暂停")));
    tr.appendChild(due);
    tr.appendChild(el("td", "r-state", word(STATE_TEXT, c.state)));
    tr.addEventListener("click", function () {
      select(c.number);
    });
    tr.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        select(c.number);
      }
    });
    return tr;
  }

  function select(number) {
    state.selected = number;
    writeAddress();
    document.querySelectorAll("#case-list tr.case-row").forEach(function (tr) {
      tr.classList.toggle("selected", tr.dataset.case === number);
    });
    loadDetail(number, true);
  }

  // ---------------------------------------------------------------- time
  function localTime(iso, dateOnly) {
    if (!iso) return "—";
    var tz = state.snap && state.snap.hall && state.snap.hall.timezone;
    var p = O.localParts(new Date(iso), tz);
    var day = p.year + "-" + O.pad(p.month) + "-" + O.pad(p.day);
    return dateOnly ? day : day + " " + O.pad(p.hour) + ":" + O.pad(p.minute);
  }

  // ---------------------------------------------------------------- detail
  var detailLoads = 0;
  function loadDetail(number, fresh) {
    var n = ++detailLoads;
    if (fresh) {
      $("detail-empty").hidden = true;
      $("detail-body").hidden = false;
      $("detail-body").textContent = "";
      $("detail-body").appendChild(el("p", "muted", tx("loading", "加载中…") + " " + number));
    }
    staff.api("GET", "/cases/" + encodeURIComponent(number)).then(
      function (result) {
        if (n !== detailLoads || state.selected !== number) return;
        state.detail = result.case;
        renderDetail();
      },
      function (err) {
        if (n !== detailLoads) return;
        $("detail-empty").hidden = true;
        $("detail-body").hidden = false;
        var box = $("detail-body");
        if (err.status === 404) {
          box.textContent = "";
          box.appendChild(el("p", "error", tx("c_no_such_case", "没有这个办件：{number}", { number: number })));
          return;
        }
        failed(err, box);
      }
    );
  }

  function section(title, en) {
    var s = el("section", "d-section");
    var h = el("h3", null, title + " ");
    if (en) h.appendChild(el("span", "en", en));
    s.appendChild(h);
    return s;
  }

  function fact(dl, label, value) {
    if (value === null || value === undefined || value === "") return;
    dl.appendChild(el("dt", null, label));
    var dd = el("dd");
    if (value instanceof Node) dd.appendChild(value);
    else dd.textContent = value;
    dl.appendChild(dd);
  }

  function listClerk(number) {
    var rows = state.list || [];
    for (var i = 0; i < rows.length; i++) if (rows[i].number === number) return rows[i].clerk;
    return null;
  }

  function renderDetail() {
    var c = state.detail;
    var box = $("detail-body");
    var manager = staff.isManager();
    $("detail-empty").hidden = true;
    box.hidden = false;
    var colour = c.colour || (c.state === "suspended" ? "suspended" : "");
    var kept = keepTyping(box);
    box.textContent = "";
    box.dataset.case = c.number;

    var head = el("header", "d-head");
    head.appendChild(el("h2", "d-number", c.number));
    var tags = el("div", "d-tags");
    if (colour) tags.appendChild(T.colourMark(colour, true));
    var stateText = T.english() || !c.state_zh ? word(STATE_TEXT, c.state) : c.state_zh;
    tags.appendChild(el("span", "d-state", stateText));
    if (c.repeat_visit) {
      tags.appendChild(el("span", "tag", tx("c_repeat", "重访") + (c.repeat_of ? " " + c.repeat_of : "")));
    }
    var sent = lastReferral(c);
    if (c.state === "referred" && sent) tags.appendChild(el("span", "tag d-referred", referralTag(sent)));
    var came = (c.referred_from || [])[0];
    if (came) {
      var from = tx("c_h_from", "来自 {hall} {case}", { hall: T.name(came.hall.name), case: came.number });
      tags.appendChild(el("span", "tag d-came", word(DIRECTION_TEXT, came.referral.direction) + " · " + from));
    }
    head.appendChild(tags);
    var close = el("button", "d-close", "×");
    close.type = "button";
    close.title = tx("c_close", "关闭 · Close");
    close.setAttribute("aria-label", tx("c_close_detail", "关闭详情"));
    close.addEventListener("click", function () {
      state.selected = null;
      state.detail = null;
      writeAddress();
      box.hidden = true;
      $("detail-empty").hidden = false;
      document.querySelectorAll("#case-list tr.selected").forEach(function (tr) {
        tr.classList.remove("selected");
      });
    });
    head.appendChild(close);
    box.appendChild(head);

    var dl = el("dl", "facts");
    fact(dl, tx("c_f_item", "事项"), c.item_name + (T.english() ? " (" + c.item + ")" : "（" + c.item + "）"));
    fact(dl, tx("th_unit", "承办单位"), unitName(c.handling_unit));
    fact(dl, tx("th_handler", "经办人"), listClerk(c.number));
    var a = c.applicant || {};
    fact(dl, tx("c_applicant", "申请人"), [a.name, a.phone, a.id_number].filter(Boolean).join(" · ") || "—");
    fact(dl, tx("c_accepted_at", "受理时间"), localTime(c.accepted_at));
    if (c.kind === "promised") {
      fact(
        dl,
        tx("c_promised", "承诺时限"),
        tx("c_working_days", "{n} 个工作日", { n: c.working_days }) +
          (c.extended_days ? tx("c_extended_days", "（延期 {n} 个工作日）", { n: c.extended_days }) : "")
      );
      var due = el("span", null, O.deadlineText(c.deadline_at));
      if (c.colour) {
        due.appendChild(el("b", "d-left", " " + T.deadlineLeft(c.deadline_at, Date.now())));
      } else if (c.state === "suspended") {
        due.appendChild(el("span", "muted", tx("c_suspended_note", "（补正期间计时暂停，材料补齐后顺延）")));
      } else if (c.state === "referred") {
        due.appendChild(el("span", "muted", tx("c_referred_note", "（已移交，本中心不再计时）")));
      }
      fact(dl, tx("th_deadline", "办理时限"), due);
    } else {
      fact(dl, tx("c_kind", "类型"), tx("c_kind_instant", "即办件"));
    }
    fact(dl, tx("c_ticket", "受理号"), c.ticket_number);
    fact(dl, tx("c_decision", "办理方式"), word(DECISION_TEXT, c.decision));
    fact(dl, tx("c_materials", "已收材料"), (c.materials_received || []).join(listSep()));
    if ((c.missing_materials || []).length) {
      fact(dl, tx("c_missing", "待补材料"), el("b", "missing", c.missing_materials.join(listSep())));
    }
    if (c.finished_at) {
      fact(
        dl,
        tx("c_finished_at", "办结时间"),
        localTime(c.finished_at) + (c.on_time === false ? tx("c_finished_late", "（超期办结）") : "")
      );
    }
    fact(dl, tx("c_result", "办理结果"), c.result);
    fact(dl, tx("c_refuse_reason", "不予办理理由"), c.refuse_reason);
    box.appendChild(dl);

    if (c.state === "open" && canRefer()) box.appendChild(referSection(c));
    if ((c.referrals || []).length) box.appendChild(referralsSection(c));
    box.appendChild(overdueSection(c, manager));
    box.appendChild(extensionSection(c, manager));
    if ((c.escalations || []).length) box.appendChild(escalationSection(c));
    box.appendChild(historySection(c));
    if ((c.referred_from || []).length) box.appendChild(legsSection(c));
    restoreTyping(box, kept);
  }

  /** A live update re-draws the pane: what a manager is typing (and where) must survive it. */
  function keepTyping(box) {
    var kept = { values: {}, focus: null, number: box.dataset.case };
    box.querySelectorAll("form.d-action").forEach(function (form) {
      form.querySelectorAll("input, textarea, select").forEach(function (input) {
        var key = form.dataset.action + "/" + input.name;
        kept.values[key] = input.value;
        if (document.activeElement === input) {
          kept.focus = { key: key, start: input.selectionStart, end: input.selectionEnd };
        }
      });
    });
    return kept;
  }

  function restoreTyping(box, kept) {
    if (kept.number !== box.dataset.case) return;
    box.querySelectorAll("form.d-action").forEach(function (form) {
      form.querySelectorAll("input, textarea, select").forEach(function (input) {
        var key = form.dataset.action + "/" + input.name;
        if (kept.values[key] && input.tagName === "SELECT") {
          input.value = kept.values[key];
          input.dispatchEvent(new Event("change")); // a choice that fills the next one
        } else if (kept.values[key]) input.value = kept.values[key];
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

  function post(key, path, body, form) {
    var msg = form.querySelector(".d-msg");
    var buttons = form.querySelectorAll("button");
    var rid = state.pending[key] || (state.pending[key] = O.newRequestId());
    body.request_id = rid;
    buttons.forEach(function (b) {
      b.disabled = true;
    });
    msg.className = "d-msg";
    msg.textContent = tx("saving", "提交中…");
    return staff.api("POST", path, { body: body, requestId: rid }).then(
      function (result) {
        delete state.pending[key];
        msg.className = "d-msg ok";
        msg.textContent = tx("saved", "已保存 · saved");
        reload();
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
        msg.className = "d-msg error";
        msg.textContent = err.status
          ? T.msg(err.message) + (err.status === 403 ? tx("managers_only_act", "（仅大厅管理员可操作）") : "")
          : tx("unreachable_again", "无法连接服务器，请再试一次（不会重复提交） · server unreachable, try again");
      }
    );
  }

  function overdueSection(c, manager) {
    var s = section(tx("c_overdue", "超期督办"), "Overdue record");
    s.id = "d-overdue";
    var o = c.overdue;
    if (!o) {
      s.appendChild(el("p", "muted", tx("c_not_overdue", "未超期 · none")));
      return s;
    }
    var dl = el("dl", "facts small");
    fact(dl, tx("c_detected", "发现超期"), localTime(o.detected_at));
    fact(dl, tx("th_unit", "承办单位"), unitName(o.handling_unit));
    fact(dl, tx("c_old_deadline", "原办理时限"), O.deadlineText(o.deadline_at));
    s.appendChild(dl);
    if (o.handled_at) {
      s.classList.add("handled");
      fact(dl, tx("c_overdue_reason", "超期原因"), o.reason);
      fact(dl, tx("c_overdue_action", "督办措施"), o.action);
      fact(dl, tx("c_handled_at", "处理时间"), localTime(o.handled_at));
      return s;
    }
    s.classList.add("waiting");
    s.appendChild(el("p", "d-due", tx("c_overdue_todo", "待督办：向承办单位询问超期原因，责令限期办结。")));
    if (!manager) return s;
    s.appendChild(
      actionForm("overdue:" + c.number, function (form) {
        var reason = field(
          form,
          "reason",
          tx("c_reason_label", "超期原因（承办单位说明）"),
          tx("c_reason_hint", "例如：入户核查未完成"),
          true
        );
        var action = field(
          form,
          "action",
          tx("c_overdue_action", "督办措施"),
          tx("c_action_hint", "例如：责令两个工作日内办结"),
          true
        );
        var row = el("div", "d-buttons");
        row.appendChild(button(tx("c_record_overdue", "记录督办"), "primary"));
        form.appendChild(row);
        form.addEventListener("submit", function (ev) {
          ev.preventDefault();
          var msg = form.querySelector(".d-msg");
          if (!reason.value.trim() || !action.value.trim()) {
            msg.className = "d-msg error";
            msg.textContent = tx("c_need_reason_action", "请填写超期原因和督办措施。");
            return;
          }
          post(
            "overdue:" + c.number,
            "/cases/" + encodeURIComponent(c.number) + "/overdue",
            { reason: reason.value.trim(), action: action.value.trim() },
            form
          );
        });
      })
    );
    return s;
  }

  function extensionSection(c, manager) {
    var s = section(tx("c_extensions", "延期申请"), "Extensions");
    s.id = "d-extensions";
    var list = c.extensions || [];
    if (!list.length) {
      s.appendChild(el("p", "muted", tx("none", "无 · none")));
      return s;
    }
    var ul = el("ul", "d-list");
    list.forEach(function (x) {
      var li = el("li", "ext ext-" + x.state);
      li.dataset.extension = x.id;
      li.dataset.state = x.state;
      var top = el("div", "ext-top");
      top.appendChild(el("b", null, tx("b_extension_days", "延期 {n} 个工作日", { n: x.days })));
      top.appendChild(el("span", "badge ext-badge", word(EXTENSION_TEXT, x.state)));
      top.appendChild(el("span", "muted", localTime(x.requested_at)));
      li.appendChild(top);
      li.appendChild(el("div", "ext-reason", tx("c_reason_is", "理由：{reason}", { reason: x.reason })));
      if (x.decided_at) {
        li.appendChild(
          el(
            "div",
            "muted",
            tx("c_decided", "审批：{at}", { at: localTime(x.decided_at) }) + (x.note ? " · " + x.note : "")
          )
        );
      }
      if (x.state === "requested" && manager) {
        li.appendChild(
          actionForm("extension:" + c.number, function (form) {
            var note = field(
              form,
              "note",
              tx("c_decision_note", "审批意见（可不填）"),
              tx("c_decision_hint", "例如：同意，请按期办结"),
              false
            );
            var row = el("div", "d-buttons");
            row.appendChild(button(tx("c_act_extension_approved", "批准延期"), "primary", "approve"));
            row.appendChild(button(tx("c_refuse", "不批准"), "secondary danger", "refuse"));
            form.appendChild(row);
            form.addEventListener("submit", function (ev) {
              ev.preventDefault();
              var approve = !ev.submitter || ev.submitter.value !== "refuse";
              post(
                "extension:" + c.number,
                "/cases/" + encodeURIComponent(c.number) + "/extension/decision",
                { approve: approve, note: note.value.trim() || null },
                form
              );
            });
          })
        );
      } else if (x.state === "requested") {
        li.appendChild(el("div", "muted", tx("c_wait_manager", "等待大厅管理员审批")));
      }
      ul.appendChild(li);
    });
    s.appendChild(ul);
    return s;
  }

  function escalationSection(c) {
    var s = section(tx("c_act_escalated", "上报"), "Escalations");
    var ul = el("ul", "d-list");
    c.escalations.forEach(function (e) {
      var li = el("li");
      li.appendChild(
        el("div", null, tx("c_escalated_to", "{at} 上报 {unit}", { at: localTime(e.reported_at), unit: e.to_unit }))
      );
      li.appendChild(el("div", "muted", tx("c_reason_is", "理由：{reason}", { reason: e.reason })));
      li.appendChild(
        el(
          "div",
          e.reply ? null : "muted",
          e.reply
            ? tx("c_reply", "回复（{at}）：{reply}", { at: localTime(e.replied_at), reply: e.reply })
            : tx("c_no_reply", "尚未回复")
        )
      );
      ul.appendChild(li);
    });
    s.appendChild(ul);
    return s;
  }

  function actorText(actor) {
    if (!actor) return "";
    if (actor.indexOf("job:") === 0) return tx("c_system", "系统巡检");
    var name = actor.replace(/^(user|device):/, "");
    var at = name.indexOf("@");
    if (at > 0) return name.slice(0, at) + " · " + hallName(name.slice(at + 1)); // another hall's staff
    var clerks = (state.snap && state.snap.clerks) || [];
    for (var i = 0; i < clerks.length; i++) if (clerks[i].username === name) return clerks[i].name;
    return name;
  }

  function detailsText(action, d) {
    d = d || {};
    if (action === "case.colour") {
      return (T.colourLetter(d.from) || "—") + " → " + (T.colourLetter(d.to) || "—");
    }
    var parts = [];
    if (d.missing) parts.push(tx("c_h_missing", "缺：{list}", { list: d.missing.join(listSep()) }));
    if (d.received) parts.push(tx("c_h_received", "收到：{list}", { list: d.received.join(listSep()) }));
    if (d.days) parts.push(tx("c_working_days", "{n} 个工作日", { n: d.days }));
    if (d.reason) parts.push(d.reason);
    if (d.action) parts.push(tx("c_h_action", "措施：{action}", { action: d.action }));
    if (d.to) parts.push(tx("c_h_to", "至 {to}", { to: hallName(d.to) }));
    if (d.unit) {
      var unit = action === "case.referred" ? unitOf(d.to, d.unit) : unitName(d.unit);
      parts.push(tx("c_h_unit", "部门 {unit}", { unit: unit }));
    }
    if (d.from && d.origin) {
      parts.push(tx("c_h_from", "来自 {hall} {case}", { hall: hallName(d.from), case: d.origin }));
    }
    if (d.as) parts.push(tx("c_h_as", "接收为 {case}", { case: d.as }));
    if (d.late) parts.push(tx("c_h_late", "逾期上报"));
    if (d.reply) parts.push(d.reply);
    if (d.result) parts.push(d.result);
    if (d.note) parts.push(d.note);
    if (d.ticket && action === "case.accepted") parts.push(tx("c_h_ticket", "号票 {ticket}", { ticket: d.ticket }));
    if (d.repeat_of) parts.push(tx("c_h_repeat", "重访，前次 {case}", { case: d.repeat_of }));
    return parts.join(" · ");
  }

  function historySection(c) {
    var s = section(tx("c_history", "办理记录"), "History");
    s.id = "d-history";
    s.appendChild(timeline(c.history));
    return s;
  }

  function timeline(entries) {
    var ol = el("ol", "timeline");
    (entries || []).forEach(function (h) {
      var li = el("li");
      li.dataset.action = h.action;
      li.appendChild(el("span", "h-at", localTime(h.at)));
      var what = h.action === "case.referred" && h.details && h.details.direction;
      li.appendChild(el("b", "h-what", what ? word(DIRECTION_TEXT, what) : word(ACTION_TEXT, h.action)));
      li.appendChild(el("span", "h-who", actorText(h.actor)));
      var more = detailsText(h.action, h.details);
      if (more) li.appendChild(el("span", "h-details", more));
      ol.appendChild(li);
    });
    return ol;
  }

  // ---------------------------------------------------------------- the county network
  function loadTargets() {
    staff.api("GET", "/network/targets").then(
      function (result) {
        state.targets = result;
        renderInbox();
        if (state.detail && state.selected === state.detail.number) renderDetail();
      },
      function (err) {
        if (err.status === 401) staff.sessionEnded();
        else if (!err.status || err.status >= 500) setTimeout(loadTargets, 5000);
      }
    );
  }

  function canRefer() {
    var t = state.targets;
    return !!t && (!!t.up || (t.down || []).length > 0);
  }

  /** Every hall this page knows of by code: the targets, the inbox and the open case's legs. */
  function hallName(code) {
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

  function targetOf(code) {
    var t = state.targets || {};
    var all = [].concat(t.up ? [t.up] : [], t.down || []);
    for (var i = 0; i < all.length; i++) if (all[i].code === code) return all[i];
    return null;
  }

  /** A department of another hall by code (from the targets), else the code. */
  function unitOf(hallCode, code) {
    var target = targetOf(hallCode);
    var units = (target && target.departments) || [];
    for (var i = 0; i < units.length; i++) if (units[i].code === code) return T.name(units[i].name);
    return code;
  }

  function lastReferral(c) {
    var list = c.referrals || [];
    return list.length ? list[list.length - 1] : null;
  }

  /** 「已上报 测试县政务服务中心 · COUNTY-20261123-0001」 or 「… · 待接收」. */
  function referralTag(r) {
    var where = T.name(r.to_hall.name);
    var now = r.received_as || tx("c_ref_sent", "待对方接收");
    return tx("c_ref_tag", "已{dir} {hall} · {now}", { dir: word(DIRECTION_TEXT, r.direction), hall: where, now: now });
  }

  function dropdown(name, rows, value) {
    var s = el("select");
    s.name = name;
    rows.forEach(function (r) {
      s.appendChild(option(r[0], r[1]));
    });
    if (value !== undefined) s.value = value;
    return s;
  }

  function labelled(form, text, input) {
    var lab = el("label", "d-field", text);
    lab.appendChild(input);
    form.appendChild(lab);
    return input;
  }

  /** 上报/交办 an open case: the target (up by default), its department (optional), reason. */
  function referSection(c) {
    var s = section(tx("c_refer_title", "上报/交办"), "Refer up or down");
    s.id = "d-refer";
    var t = state.targets;
    if ((t.refer_up || []).indexOf(c.item) >= 0 && t.up) {
      s.appendChild(el("p", "d-due", tx("c_refer_due_today", "本事项超出本级权限，应于受理当日上报。")));
    }
    var rows = [];
    if (t.up) rows.push([t.up.code, tx("c_refer_up_opt", "上报 · {hall}", { hall: T.name(t.up.name) })]);
    (t.down || []).forEach(function (d) {
      rows.push([d.code, tx("c_refer_down_opt", "交办 · {hall}", { hall: T.name(d.name) })]);
    });
    s.appendChild(
      actionForm("refer:" + c.number, function (form) {
        var target = labelled(form, tx("c_refer_target", "移交至"), dropdown("to_hall", rows, rows[0][0]));
        var unit = labelled(form, tx("c_refer_unit", "对方部门（可不选）"), dropdown("to_unit", []));
        function fillUnits() {
          var chosen = targetOf(target.value);
          unit.textContent = "";
          unit.appendChild(option("", tx("c_refer_any_unit", "（不指定部门）")));
          ((chosen && chosen.departments) || []).forEach(function (d) {
            unit.appendChild(option(d.code, T.name(d.name) + "（" + d.code + "）"));
          });
        }
        fillUnits();
        target.addEventListener("change", fillUnits);
        var reason = field(
          form,
          "reason",
          tx("c_refer_reason", "移交理由"),
          tx("c_refer_reason_hint", "例如：超出镇级权限，需县公安户籍审批"),
          true
        );
        var row = el("div", "d-buttons");
        row.appendChild(button(tx("c_refer_submit", "确认移交"), "primary"));
        form.appendChild(row);
        form.addEventListener("submit", function (ev) {
          ev.preventDefault();
          var msg = form.querySelector(".d-msg");
          if (!reason.value.trim()) {
            msg.className = "d-msg error";
            msg.textContent = tx("c_refer_need_reason", "请填写移交理由。");
            return;
          }
          var body = { to_hall: target.value, reason: reason.value.trim() };
          if (unit.value) body.to_unit = unit.value;
          post("refer:" + c.number, "/cases/" + encodeURIComponent(c.number) + "/refer", body, form);
        });
      })
    );
    return s;
  }

  function referralLine(r) {
    var where = T.name(r.to_hall.name) + (r.to_unit ? "（" + unitOf(r.to_hall.code, r.to_unit) + "）" : "");
    return tx("c_ref_to", "{dir}至 {hall}", { dir: word(DIRECTION_TEXT, r.direction), hall: where });
  }

  /** Where this case was referred to: the receiving hall, its number, or why it came back. */
  function referralsSection(c) {
    var s = section(tx("c_referrals", "上报/交办记录"), "Referrals");
    s.id = "d-referrals";
    var ul = el("ul", "d-list");
    c.referrals.forEach(function (r) {
      var li = el("li", "ref ref-" + r.state);
      li.dataset.referral = r.id;
      li.dataset.state = r.state;
      var top = el("div", "ext-top");
      top.appendChild(el("b", null, referralLine(r)));
      var now =
        r.state === "accepted"
          ? tx("c_ref_accepted", "已接收，编号 {case}", { case: r.received_as })
          : r.state === "returned"
            ? tx("c_ref_returned", "已退回")
            : tx("c_ref_sent", "待对方接收");
      top.appendChild(el("span", "badge ext-badge", now));
      top.appendChild(el("span", "muted", localTime(r.sent_at)));
      if (r.late) top.appendChild(el("span", "tag", tx("c_h_late", "逾期上报")));
      li.appendChild(top);
      li.appendChild(el("div", "ext-reason", tx("c_reason_is", "理由：{reason}", { reason: r.reason })));
      if (r.return_reason) {
        li.appendChild(
          el("div", "ext-reason", tx("c_ref_return_reason", "退回理由：{reason}", { reason: r.return_reason }))
        );
      }
      ul.appendChild(li);
    });
    s.appendChild(ul);
    return s;
  }

  /** Where the case came from, nearest first: each hall's case and its history. */
  function legsSection(c) {
    var s = section(tx("c_legs", "来源办件"), "Earlier legs");
    s.id = "d-legs";
    c.referred_from.forEach(function (leg) {
      var box = el("div", "d-leg");
      box.dataset.hall = leg.hall.code;
      box.dataset.number = leg.number;
      var head = el("div", "ext-top");
      head.appendChild(el("b", "leg-hall", T.name(leg.hall.name)));
      head.appendChild(el("span", "leg-number", leg.number));
      head.appendChild(el("span", "muted", leg.item_name + " · " + localTime(leg.accepted_at)));
      box.appendChild(head);
      var r = leg.referral;
      box.appendChild(
        el(
          "div",
          "ext-reason",
          referralLine(r) + " · " + localTime(r.sent_at) + " · " + tx("c_reason_is", "理由：{reason}", { reason: r.reason })
        )
      );
      box.appendChild(timeline(leg.history));
      s.appendChild(box);
    });
    return s;
  }

  // ---------------------------------------------------------------- inbox (待接收转办件)
  function loadInbox() {
    staff.api("GET", "/referrals?box=in&state=sent").then(
      function (result) {
        state.inbox = result.referrals;
        renderInbox();
      },
      function (err) {
        if (err.status === 401) staff.sessionEnded();
      }
    );
  }

  function renderInbox() {
    var panel = $("inbox");
    var list = state.inbox || [];
    panel.hidden = !list.length && !canRefer();
    if (panel.hidden) return;
    $("inbox-count").textContent = list.length;
    var box = $("inbox-list");
    box.dataset.case = "inbox";
    var kept = keepTyping(box);
    box.textContent = "";
    if (!list.length) {
      box.appendChild(el("p", "muted", tx("c_inbox_none", "暂无待接收的转办件")));
      return;
    }
    var ul = el("ul", "d-list inbox-list");
    list.forEach(function (r) {
      ul.appendChild(inboxItem(r));
    });
    box.appendChild(ul);
    restoreTyping(box, kept);
  }

  function inboxItem(r) {
    var li = el("li", "ref ref-in");
    li.dataset.referral = r.id;
    li.dataset.case = r.case;
    var top = el("div", "ext-top");
    var from = tx("c_inbox_from", "{dir}自 {hall} · {case}", {
      dir: word(DIRECTION_TEXT, r.direction),
      hall: T.name(r.from_hall.name),
      case: r.case,
    });
    top.appendChild(el("b", null, from));
    top.appendChild(el("span", "muted", r.item_name + " · " + [r.applicant.name, r.applicant.phone].filter(Boolean).join(" · ")));
    top.appendChild(el("span", "muted", tx("c_inbox_sent_at", "移交时间 {at}", { at: localTime(r.sent_at) })));
    if (r.late) top.appendChild(el("span", "tag", tx("c_h_late", "逾期上报")));
    li.appendChild(top);
    li.appendChild(el("div", "ext-reason", tx("c_reason_is", "理由：{reason}", { reason: r.reason })));
    if (r.to_unit) {
      li.appendChild(el("div", "muted", tx("c_inbox_unit", "指定部门：{unit}", { unit: unitName(r.to_unit) })));
    }
    li.appendChild(
      actionForm("accept:" + r.id, function (form) {
        var items = [["", tx("c_inbox_same_item", "同一事项（{code}）", { code: r.item })]];
        ((state.snap && state.snap.items) || []).forEach(function (i) {
          if (i.code !== r.item) items.push([i.code, i.name + "（" + i.code + "）"]);
        });
        var item = labelled(form, tx("c_inbox_item", "接收为本中心事项"), dropdown("item", items, ""));
        var units = [["", tx("c_inbox_unit_default", "（按上报指定或事项默认）")]];
        ((state.snap && state.snap.units) || []).forEach(function (u) {
          units.push([u.code, u.name]);
        });
        var unit = labelled(form, tx("c_inbox_unit_pick", "承办单位（可不选）"), dropdown("handling_unit", units, ""));
        var row = el("div", "d-buttons");
        row.appendChild(button(tx("c_inbox_accept", "接收"), "primary"));
        form.appendChild(row);
        form.addEventListener("submit", function (ev) {
          ev.preventDefault();
          var body = {};
          if (item.value) body.item = item.value;
          if (unit.value) body.handling_unit = unit.value;
          post("accept:" + r.id, "/referrals/" + r.id + "/accept", body, form).then(function (result) {
            if (result && result.case) select(result.case.number); // the new case, with its legs
          });
        });
      })
    );
    if (staff.isManager()) {
      li.appendChild(
        actionForm("return:" + r.id, function (form) {
          var reason = field(
            form,
            "reason",
            tx("c_inbox_return_reason", "退回理由"),
            tx("c_inbox_return_hint", "例如：属镇级权限，请镇里办理"),
            false
          );
          var row = el("div", "d-buttons");
          row.appendChild(button(tx("c_inbox_return", "退回"), "secondary danger"));
          form.appendChild(row);
          form.addEventListener("submit", function (ev) {
            ev.preventDefault();
            var msg = form.querySelector(".d-msg");
            if (!reason.value.trim()) {
              msg.className = "d-msg error";
              msg.textContent = tx("c_inbox_need_reason", "请填写退回理由。");
              return;
            }
            post("return:" + r.id, "/referrals/" + r.id + "/return", { reason: reason.value.trim() }, form);
          });
        })
      );
    }
    return li;
  }

  // ---------------------------------------------------------------- start
  window.onestopCases = { live: null, state: state, reload: reload };
  readAddress();
  showFilters();
  staff.boot();
})();
