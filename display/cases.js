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
 *
 * Drawn with lit-html (list, detail pane, inbox) from state: a live event reloads and draws again
 * while what a manager types, the caret and the focus stay where they are. The detail pane is
 * in cases-detail.js, the county network's parts in cases-network.js, what they share in
 * cases-common.js.
 */
import { html, nothing, render } from "/vendor/lit-html/lit-html.js";
import { keyed } from "/vendor/lit-html/directives/keyed.js";
import { repeat } from "/vendor/lit-html/directives/repeat.js";
import { COLOURS, connectLive, el, newRequestId } from "./live.js";
import { staffPage } from "./staff.js";
import { CT, T, canRefer, localTime, page, state, timezone, tx, unitName, word } from "./cases-common.js";
import { detailView } from "./cases-detail.js";
import {
  COLOUR_ORDER,
  colourCounts,
  colourOf,
  dueCell,
  errorText,
  itemCell,
  markCell,
  option,
  query,
} from "./case-parts.js";
import { inboxView } from "./cases-network.js";

var $ = function (id) {
  return document.getElementById(id);
};

var RELOAD_DEBOUNCE_MS = 300;
var STAFF_ROLES = { clerk: true, manager: true, admin: true };
var CASE_EVENTS = /^(case|overdue|evaluation|rectification|referral)\./;
var FILTERS = ["colour", "state", "unit", "clerk", "item"];

var staff = staffPage({
  app: "app",
  client: "cases-web",
  roles: STAFF_ROLES,
  refused: ["此账号不能查看办件。", "This account cannot see cases."],
  start: start,
  stop: stopLive,
  onLanguage: redraw,
});
var live = null;
Object.assign(page, { staff: staff, post: post, select: select, close: closeDetail, render: renderAll });

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
  live = connectLive({
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
  staff.showHall(hall, "nav_cases", "办件管理");
}

/** The language changed: draw everything again from memory (no request). */
function redraw() {
  if (!state.snap) return;
  showTitle();
  fillChoices();
  if (state.counts) renderCounts();
  renderAll();
}

function failed(err, where) {
  if (err.status === 401) {
    staff.sessionEnded();
    return true;
  }
  where.textContent = "";
  where.appendChild(el("span", "error", errorText(err)));
  return false;
}

// ---------------------------------------------------------------- filters
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
    if (
      value &&
      !Array.prototype.some.call(select.options, function (o) {
        return o.value === value;
      })
    ) {
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
  renderAll();
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
      renderAll();
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

var detailLoads = 0;
function loadDetail(number, fresh) {
  var n = ++detailLoads;
  if (fresh) {
    state.detailStatus = "loading";
    renderDetail();
  }
  staff.api("GET", "/cases/" + encodeURIComponent(number)).then(
    function (result) {
      if (n !== detailLoads || state.selected !== number) return;
      state.detail = result.case;
      state.detailStatus = null;
      renderDetail();
    },
    function (err) {
      if (n !== detailLoads) return;
      if (err.status === 401) {
        staff.sessionEnded();
        return;
      }
      state.detailStatus = err.status === 404 ? "missing" : errorText(err);
      renderDetail();
    }
  );
}

function loadTargets() {
  staff.api("GET", "/network/targets").then(
    function (result) {
      state.targets = result;
      renderAll();
    },
    function (err) {
      if (err.status === 401) staff.sessionEnded();
      else if (!err.status || err.status >= 500) setTimeout(loadTargets, 5000);
    }
  );
}

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

// ---------------------------------------------------------------- actions
function select(number) {
  state.selected = number;
  writeAddress();
  renderList();
  loadDetail(number, true);
}

function closeDetail() {
  state.selected = null;
  state.detail = null;
  writeAddress();
  renderAll();
}

/** POST one action of a form (by its key); the answer reloads the page's data. */
function post(key, path, body) {
  var rid = state.pending[key] || (state.pending[key] = newRequestId());
  body.request_id = rid;
  state.forms[key] = { kind: "", text: tx("saving", "提交中…"), busy: true };
  renderAll();
  return staff.api("POST", path, { body: body, requestId: rid }).then(
    function (result) {
      delete state.pending[key];
      state.forms[key] = { kind: "ok", text: tx("saved", "已保存 · saved") };
      reload();
      renderAll();
      return result;
    },
    function (err) {
      if (err.status === 401) {
        delete state.forms[key];
        staff.sessionEnded();
        return;
      }
      if (err.status) delete state.pending[key]; // answered: a new attempt is a new request
      var text = err.status
        ? T.msg(err.message) + (err.status === 403 ? tx("managers_only_act", "（仅大厅管理员可操作）") : "")
        : tx(
            "unreachable_again",
            "无法连接服务器，请再试一次（不会重复提交） · server unreachable, try again"
          );
      state.forms[key] = { kind: "error", text: text };
      renderAll();
    }
  );
}

// ---------------------------------------------------------------- rendering
function renderAll() {
  renderList();
  renderDetail();
  renderInbox();
}

function renderCounts() {
  colourCounts(state.counts, state.filters);
}

function groupKey(c) {
  if (state.group === "unit") return c.handling_unit || "";
  if (state.group === "clerk") return c.clerk || "";
  return c.colour || (c.state === "suspended" ? "suspended" : "");
}

function groupTitle(key) {
  if (state.group === "unit") return key ? unitName(key) : tx("c_no_unit", "（未指定单位）");
  if (state.group === "clerk") return key || tx("c_no_clerk", "（未指定经办人）");
  if (COLOURS[key]) return T.colourLetter(key) + " · " + T.colourText(key);
  return tx("c_group_ended", "已结束（不计时）");
}

function groups(cases) {
  var list = [];
  var byKey = {};
  cases.forEach(function (c) {
    var key = groupKey(c);
    if (!byKey[key]) {
      byKey[key] = { key: key, rows: [] };
      list.push(byKey[key]);
    }
    byKey[key].rows.push(c);
  });
  if (state.group === "colour") {
    list.sort(function (a, b) {
      return COLOUR_ORDER.indexOf(a.key) - COLOUR_ORDER.indexOf(b.key);
    });
  } else {
    list.sort(function (a, b) {
      return groupTitle(a.key).localeCompare(groupTitle(b.key), "zh-CN");
    });
  }
  return list;
}

function renderList() {
  var cases = state.list;
  if (!cases) return;
  $("list-count").textContent = cases.length;
  var body = document.querySelector("#case-list tbody");
  if (!cases.length) {
    render(
      html`<tr class="empty">
        <td colspan="8">${tx("c_no_cases", "没有符合条件的办件 · No cases match")}</td>
      </tr>`,
      body
    );
    return;
  }
  var now = Date.now();
  var rows = [];
  groups(cases).forEach(function (g) {
    rows.push({ key: "group:" + g.key, group: g });
    g.rows.forEach(function (c) {
      rows.push({ key: "case:" + c.number, c: c });
    });
  });
  render(
    repeat(
      rows,
      function (r) {
        return r.key;
      },
      function (r) {
        return r.group ? groupRow(r.group) : caseRow(r.c, now);
      }
    ),
    body
  );
}

function groupRow(g) {
  var title =
    state.group === "colour" && COLOURS[g.key] ? T.colourMark(g.key) : html`<b>${groupTitle(g.key)}</b>`;
  return html`<tr class="group-row" data-group=${g.key}>
    <td colspan="8">
      ${title}<span class="g-count">${tx("c_n_cases", "{n} 件", { n: g.rows.length })}</span>${
        state.group !== "colour" ? colourSummary(g.rows) : nothing
      }
    </td>
  </tr>`;
}

function colourSummary(rows) {
  var n = {};
  rows.forEach(function (c) {
    var k = c.colour || (c.state === "suspended" ? "suspended" : "");
    n[k] = (n[k] || 0) + 1;
  });
  return html`<span class="g-summary"
    >${["red", "orange", "yellow", "green", "suspended"].map(function (k) {
      return n[k] ? html`<span class="g-part c-${k}">${T.colourLetter(k) + " " + n[k]}</span>` : nothing;
    })}</span
  >`;
}

function caseRow(c, now) {
  var colour = colourOf(c);
  function keydown(ev) {
    if (ev.key === "Enter" || ev.key === " ") {
      ev.preventDefault();
      select(c.number);
    }
  }
  function click() {
    select(c.number);
  }
  var cls = "case-row" + (colour ? " c-" + colour : "") + (c.number === state.selected ? " selected" : "");
  return html`<tr class=${cls} data-case=${c.number} data-colour=${colour} data-state=${c.state} tabindex="0" @click=${click} @keydown=${keydown}>
    ${markCell(c)}<td class="r-number">${c.number}</td>${itemCell(c)}
    <td class="r-unit">${unitName(c.handling_unit)}</td>
    <td class="r-clerk">${c.clerk || "—"}</td>
    <td class="r-accepted">${localTime(c.accepted_at, timezone(), true)}</td>
    ${dueCell(c, now)}<td class="r-state">${word(CT.state, c.state)}</td>
  </tr>`;
}

function renderDetail() {
  var box = $("detail-body");
  var shown =
    !!state.selected && (state.detailStatus || (state.detail && state.detail.number === state.selected));
  $("detail-empty").hidden = !!shown;
  box.hidden = !shown;
  if (!shown) return;
  if (!state.detailStatus) box.dataset.case = state.detail.number;
  else delete box.dataset.case;
  render(keyed(state.selected, detailView()), box); // another case: new inputs, nothing carried over
}

function renderInbox() {
  var panel = $("inbox");
  var list = state.inbox || [];
  panel.hidden = !list.length && !canRefer();
  if (panel.hidden) return;
  $("inbox-count").textContent = list.length;
  var box = $("inbox-list");
  box.dataset.case = "inbox";
  render(inboxView(), box);
}

// ---------------------------------------------------------------- start
window.onestopCases = { live: null, state: state, reload: reload };
readAddress();
showFilters();
staff.boot();
