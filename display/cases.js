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
  var CASE_EVENTS = /^(case|overdue|evaluation|rectification)\./;
  var FILTERS = ["colour", "state", "unit", "clerk", "item"];
  var COLOUR_ORDER = ["red", "orange", "yellow", "green", "suspended", ""];

  var STATE_TEXT = {
    open: "办理中",
    suspended: "补正中",
    finished: "已办结",
    refused: "不予办理",
  };
  var DECISION_TEXT = {
    done_now: "即接即办",
    proxy: "全程代办",
    coordinated: "协调促办",
    refused: "明确拒办",
  };
  var EXTENSION_TEXT = { requested: "待审批", approved: "已批准", refused: "未批准" };
  var ACTION_TEXT = {
    "case.accepted": "受理",
    "case.suspended": "一次性告知，待补正",
    "case.supplemented": "补正材料已收，恢复计时",
    "case.extension_requested": "申请延期",
    "case.extension_approved": "批准延期",
    "case.extension_refused": "不批准延期",
    "case.transferred": "转办",
    "case.escalated": "上报",
    "case.escalation_replied": "上级回复",
    "case.finished": "办结",
    "case.refused": "不予办理",
    "case.colour": "预警颜色变化",
    "case.applicant_viewed": "查看申请人完整信息",
    "case.closed_at_window": "窗口当场办结",
    "overdue.opened": "超期，立督办",
    "overdue.handled": "督办处理",
    "follow_up.recorded": "回访",
  };
  var COLOUR_WORD = { red: "红", orange: "橙", yellow: "黄", green: "绿" };

  var staff = O.staffPage({
    app: "app",
    client: "cases-web",
    roles: STAFF_ROLES,
    refused: ["此账号不能查看办件。", "This account cannot see cases."],
    start: start,
    stop: stopLive,
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
    $("hall-name").textContent = snap.hall ? snap.hall.name.zh : "办件管理";
    document.title = (snap.hall ? snap.hall.name.zh + " · " : "") + "办件管理";
    fillChoices();
    reload();
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
        err.status ? err.message : "无法连接服务器，稍后自动重试 · server unreachable"
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
      "全部单位",
      snap.units.map(function (u) {
        return [u.code, u.name];
      })
    );
    fillSelect(
      "f-clerk",
      "全部人员",
      snap.clerks.map(function (c) {
        return [c.username, c.name === c.username ? c.name : c.name + "（" + c.username + "）"];
      })
    );
    fillSelect(
      "f-item",
      "全部事项",
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
    $("list-status").textContent = "加载中…";
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
      tile.appendChild(O.colourMark(colour));
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
    if (state.group === "unit") return key ? unitName(key) : "（未指定单位）";
    if (state.group === "clerk") return key || "（未指定经办人）";
    if (O.COLOURS[key]) return O.COLOURS[key].mark + " · " + O.COLOURS[key].zh;
    return "已结束（不计时）";
  }

  function renderList() {
    var body = document.querySelector("#case-list tbody");
    body.textContent = "";
    var cases = state.list || [];
    $("list-count").textContent = cases.length;
    if (!cases.length) {
      var tr = el("tr", "empty");
      var td = el("td", null, "没有符合条件的办件 · No cases match");
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
      if (state.group === "colour" && O.COLOURS[g.key]) th.appendChild(O.colourMark(g.key));
      else th.appendChild(el("b", null, groupTitle(g.key)));
      th.appendChild(el("span", "g-count", g.rows.length + " 件"));
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
      if (n[k]) span.appendChild(el("span", "g-part c-" + k, O.COLOURS[k].mark + " " + n[k]));
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
    mark.appendChild(O.colourMark(colour));
    tr.appendChild(mark);
    tr.appendChild(el("td", "r-number", c.number));
    var item = el("td", "r-item", c.item_name);
    if (c.repeat_visit) item.appendChild(el("span", "tag", "重访"));
    tr.appendChild(item);
    tr.appendChild(el("td", "r-unit", unitName(c.handling_unit)));
    tr.appendChild(el("td", "r-clerk", c.clerk || "—"));
    tr.appendChild(el("td", "r-accepted", localTime(c.accepted_at, true)));
    var due = el("td", "r-due", c.kind === "promised" ? O.deadlineText(c.deadline_at) : "—");
    if (c.colour) due.appendChild(el("span", "r-left", O.deadlineLeft(c.deadline_at, now)));
    else if (c.state === "suspended") due.appendChild(el("span", "r-left", "计时暂停"));
    tr.appendChild(due);
    tr.appendChild(el("td", "r-state", STATE_TEXT[c.state] || c.state));
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
      $("detail-body").appendChild(el("p", "muted", "加载中… " + number));
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
          box.appendChild(el("p", "error", "没有这个办件：" + number));
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
    if (colour) tags.appendChild(O.colourMark(colour, true));
    tags.appendChild(el("span", "d-state", c.state_zh || STATE_TEXT[c.state] || c.state));
    if (c.repeat_visit) {
      tags.appendChild(el("span", "tag", "重访" + (c.repeat_of ? " " + c.repeat_of : "")));
    }
    head.appendChild(tags);
    var close = el("button", "d-close", "×");
    close.type = "button";
    close.title = "关闭 · Close";
    close.setAttribute("aria-label", "关闭详情");
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
    fact(dl, "事项", c.item_name + "（" + c.item + "）");
    fact(dl, "承办单位", unitName(c.handling_unit));
    fact(dl, "经办人", listClerk(c.number));
    var a = c.applicant || {};
    fact(dl, "申请人", [a.name, a.phone, a.id_number].filter(Boolean).join(" · ") || "—");
    fact(dl, "受理时间", localTime(c.accepted_at));
    if (c.kind === "promised") {
      fact(
        dl,
        "承诺时限",
        c.working_days + " 个工作日" + (c.extended_days ? "（延期 " + c.extended_days + " 个工作日）" : "")
      );
      var due = el("span", null, O.deadlineText(c.deadline_at));
      if (c.colour) {
        due.appendChild(el("b", "d-left", " " + O.deadlineLeft(c.deadline_at, Date.now())));
      } else if (c.state === "suspended") {
        due.appendChild(el("span", "muted", "（补正期间计时暂停，材料补齐后顺延）"));
      }
      fact(dl, "办理时限", due);
    } else {
      fact(dl, "类型", "即办件");
    }
    fact(dl, "受理号", c.ticket_number);
    fact(dl, "办理方式", DECISION_TEXT[c.decision] || c.decision);
    fact(dl, "已收材料", (c.materials_received || []).join("、"));
    if ((c.missing_materials || []).length) {
      fact(dl, "待补材料", el("b", "missing", c.missing_materials.join("、")));
    }
    if (c.finished_at) {
      fact(dl, "办结时间", localTime(c.finished_at) + (c.on_time === false ? "（超期办结）" : ""));
    }
    fact(dl, "办理结果", c.result);
    fact(dl, "不予办理理由", c.refuse_reason);
    box.appendChild(dl);

    box.appendChild(overdueSection(c, manager));
    box.appendChild(extensionSection(c, manager));
    if ((c.escalations || []).length) box.appendChild(escalationSection(c));
    box.appendChild(historySection(c));
    restoreTyping(box, kept);
  }

  /** A live update re-draws the pane: what a manager is typing (and where) must survive it. */
  function keepTyping(box) {
    var kept = { values: {}, focus: null, number: box.dataset.case };
    box.querySelectorAll("form.d-action").forEach(function (form) {
      form.querySelectorAll("input, textarea").forEach(function (input) {
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
      form.querySelectorAll("input, textarea").forEach(function (input) {
        var key = form.dataset.action + "/" + input.name;
        if (kept.values[key]) input.value = kept.values[key];
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
    msg.textContent = "提交中…";
    return staff.api("POST", path, { body: body, requestId: rid }).then(
      function (result) {
        delete state.pending[key];
        msg.className = "d-msg ok";
        msg.textContent = "已保存 · saved";
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
          ? err.message + (err.status === 403 ? "（仅大厅管理员可操作）" : "")
          : "无法连接服务器，请再试一次（不会重复提交） · server unreachable, try again";
      }
    );
  }

  function overdueSection(c, manager) {
    var s = section("超期督办", "Overdue record");
    s.id = "d-overdue";
    var o = c.overdue;
    if (!o) {
      s.appendChild(el("p", "muted", "未超期 · none"));
      return s;
    }
    var dl = el("dl", "facts small");
    fact(dl, "发现超期", localTime(o.detected_at));
    fact(dl, "承办单位", unitName(o.handling_unit));
    fact(dl, "原办理时限", O.deadlineText(o.deadline_at));
    s.appendChild(dl);
    if (o.handled_at) {
      s.classList.add("handled");
      fact(dl, "超期原因", o.reason);
      fact(dl, "督办措施", o.action);
      fact(dl, "处理时间", localTime(o.handled_at));
      return s;
    }
    s.classList.add("waiting");
    s.appendChild(el("p", "d-due", "待督办：向承办单位询问超期原因，责令限期办结。"));
    if (!manager) return s;
    s.appendChild(
      actionForm("overdue:" + c.number, function (form) {
        var reason = field(form, "reason", "超期原因（承办单位说明）", "例如：入户核查未完成", true);
        var action = field(form, "action", "督办措施", "例如：责令两个工作日内办结", true);
        var row = el("div", "d-buttons");
        row.appendChild(button("记录督办", "primary"));
        form.appendChild(row);
        form.addEventListener("submit", function (ev) {
          ev.preventDefault();
          var msg = form.querySelector(".d-msg");
          if (!reason.value.trim() || !action.value.trim()) {
            msg.className = "d-msg error";
            msg.textContent = "请填写超期原因和督办措施。";
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
    var s = section("延期申请", "Extensions");
    s.id = "d-extensions";
    var list = c.extensions || [];
    if (!list.length) {
      s.appendChild(el("p", "muted", "无 · none"));
      return s;
    }
    var ul = el("ul", "d-list");
    list.forEach(function (x) {
      var li = el("li", "ext ext-" + x.state);
      li.dataset.extension = x.id;
      li.dataset.state = x.state;
      var top = el("div", "ext-top");
      top.appendChild(el("b", null, "延期 " + x.days + " 个工作日"));
      top.appendChild(el("span", "badge ext-badge", EXTENSION_TEXT[x.state] || x.state));
      top.appendChild(el("span", "muted", localTime(x.requested_at)));
      li.appendChild(top);
      li.appendChild(el("div", "ext-reason", "理由：" + x.reason));
      if (x.decided_at) {
        li.appendChild(
          el("div", "muted", "审批：" + localTime(x.decided_at) + (x.note ? " · " + x.note : ""))
        );
      }
      if (x.state === "requested" && manager) {
        li.appendChild(
          actionForm("extension:" + c.number, function (form) {
            var note = field(form, "note", "审批意见（可不填）", "例如：同意，请按期办结", false);
            var row = el("div", "d-buttons");
            row.appendChild(button("批准延期", "primary", "approve"));
            row.appendChild(button("不批准", "secondary danger", "refuse"));
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
        li.appendChild(el("div", "muted", "等待大厅管理员审批"));
      }
      ul.appendChild(li);
    });
    s.appendChild(ul);
    return s;
  }

  function escalationSection(c) {
    var s = section("上报", "Escalations");
    var ul = el("ul", "d-list");
    c.escalations.forEach(function (e) {
      var li = el("li");
      li.appendChild(el("div", null, localTime(e.reported_at) + " 上报 " + e.to_unit));
      li.appendChild(el("div", "muted", "理由：" + e.reason));
      li.appendChild(
        el(
          "div",
          e.reply ? null : "muted",
          e.reply ? "回复（" + localTime(e.replied_at) + "）：" + e.reply : "尚未回复"
        )
      );
      ul.appendChild(li);
    });
    s.appendChild(ul);
    return s;
  }

  function actorText(actor) {
    if (!actor) return "";
    if (actor.indexOf("job:") === 0) return "系统巡检";
    var name = actor.replace(/^(user|device):/, "");
    var clerks = (state.snap && state.snap.clerks) || [];
    for (var i = 0; i < clerks.length; i++) if (clerks[i].username === name) return clerks[i].name;
    return name;
  }

  function detailsText(action, d) {
    d = d || {};
    if (action === "case.colour") {
      return (COLOUR_WORD[d.from] || "—") + " → " + (COLOUR_WORD[d.to] || "—");
    }
    var parts = [];
    if (d.missing) parts.push("缺：" + d.missing.join("、"));
    if (d.received) parts.push("收到：" + d.received.join("、"));
    if (d.days) parts.push(d.days + " 个工作日");
    if (d.reason) parts.push(d.reason);
    if (d.action) parts.push("措施：" + d.action);
    if (d.to) parts.push("至 " + d.to);
    if (d.reply) parts.push(d.reply);
    if (d.result) parts.push(d.result);
    if (d.note) parts.push(d.note);
    if (d.ticket && action === "case.accepted") parts.push("号票 " + d.ticket);
    if (d.repeat_of) parts.push("重访，前次 " + d.repeat_of);
    return parts.join(" · ");
  }

  function historySection(c) {
    var s = section("办理记录", "History");
    s.id = "d-history";
    var ol = el("ol", "timeline");
    (c.history || []).forEach(function (h) {
      var li = el("li");
      li.dataset.action = h.action;
      li.appendChild(el("span", "h-at", localTime(h.at)));
      li.appendChild(el("b", "h-what", ACTION_TEXT[h.action] || h.action));
      li.appendChild(el("span", "h-who", actorText(h.actor)));
      var more = detailsText(h.action, h.details);
      if (more) li.appendChild(el("span", "h-details", more));
      ol.appendChild(li);
    });
    s.appendChild(ol);
    return s;
  }

  // ---------------------------------------------------------------- start
  window.onestopCases = { live: null, state: state, reload: reload };
  readAddress();
  showFilters();
  staff.boot();
})();
