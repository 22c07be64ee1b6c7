/* The 全县办件 tab of the county page: the filters (hall, colour, state: kept in the address),
 * the colour tiles, and the county-wide list of cases from GET /network/cases, most urgent
 * first; a case's row opens its detail (county-detail.js).
 */
import { html, nothing, render } from "/vendor/lit-html/lit-html.js";
import { repeat } from "/vendor/lit-html/directives/repeat.js";
import { api as request } from "./live.js";
import {
  COLOUR_ORDER,
  colourCounts,
  colourOf,
  dueCell,
  itemCell,
  localTime,
  markCell,
  option,
  query,
  stateWord,
} from "./case-parts.js";
import { state } from "./county-state.js";
import {
  $,
  FILTERS,
  LEVEL_TEXT,
  T,
  address,
  api,
  depths,
  failed,
  hallName,
  page,
  timezone,
  serverNow,
  tx,
  unitName,
  word,
  writeAddress,
} from "./county-common.js";

// ---------------------------------------------------------------- loading
/** Unit names per hall from each hall's public catalogue (once per hall). */
export function loadUnits(rows) {
  (rows || []).forEach(function (row) {
    var code = row.hall.code;
    if (state.units[code]) return;
    state.units[code] = {};
    request("GET", "/api/v1/halls/" + encodeURIComponent(code) + "/catalog").then(
      function (catalog) {
        (catalog.departments || []).forEach(function (d) {
          state.units[code][d.code] = d.name;
        });
        if (state.list) renderList();
      },
      function () {
        delete state.units[code]; // try again at the next load
      }
    );
  });
}

var listCalls = 0;
export function loadList() {
  var n = ++listCalls;
  var calls = [api("/network/cases" + query(state.filters))];
  if (state.filters.colour) {
    // The colour tiles count every colour, whatever colour is picked.
    calls.push(api("/network/cases" + query(Object.assign({}, state.filters, { colour: "" }))));
  }
  if (!state.list) $("list-status").textContent = tx("loading", "加载中…");
  Promise.all(calls).then(
    function (results) {
      if (n !== listCalls) return;
      state.list = results[0].cases || [];
      state.counts = (results[1] || results[0]).counts || {};
      state.listHalls = results[0].halls || [];
      state.listLoads += 1;
      $("list-status").textContent = "";
      fillHallChoices();
      renderCounts();
      renderList();
      document.body.dataset.listLoads = state.listLoads;
    },
    function (err) {
      if (n !== listCalls) return;
      failed(err, $("list-status"));
    }
  );
}

// ---------------------------------------------------------------- filters
var hallChoices = "";
export function fillHallChoices() {
  var select = $("f-hall");
  var rows = (state.board && state.board.halls) || [];
  var depth = depths(rows);
  var halls = rows.length
    ? rows.map(function (r) {
        return r.hall;
      })
    : state.listHalls;
  var drawn =
    T.lang() +
    ":" +
    halls
      .map(function (h) {
        return h.code + "/" + (depth[h.code] || 0);
      })
      .join(",");
  if (drawn === hallChoices) {
    showFilters();
    return;
  }
  hallChoices = drawn; // redrawn only when the tree or the language changed (not while open)
  select.textContent = "";
  select.appendChild(option("", tx("co_all_halls", "全县所有大厅")));
  halls.forEach(function (h) {
    var indent = new Array((depth[h.code] || 0) + 1).join("\u3000");
    select.appendChild(option(h.code, indent + hallName(h)));
  });
  showFilters();
}

export function showFilters() {
  ["hall", "colour", "state"].forEach(function (f) {
    var select = $("f-" + f);
    var value = state.filters[f] || "";
    if (
      value &&
      !Array.prototype.some.call(select.options, function (o) {
        return o.value === value;
      })
    ) {
      select.appendChild(option(value, value)); // from a link, before the choices are known
    }
    select.value = value;
  });
}

function setFilters(changes) {
  Object.assign(state.filters, changes);
  showFilters();
  writeAddress();
  loadList();
}

/** The filters' and the colour tiles' handlers (once, at the start). */
export function wireFilters() {
  ["hall", "colour", "state"].forEach(function (f) {
    $("f-" + f).addEventListener("change", function (ev) {
      var change = {};
      change[f] = ev.target.value;
      setFilters(change);
    });
  });
  $("f-clear").addEventListener("click", function () {
    var none = {};
    FILTERS.forEach(function (f) {
      none[f] = "";
    });
    setFilters(none);
  });
  document.querySelectorAll("#colour-counts .cc").forEach(function (tile) {
    tile.addEventListener("click", function () {
      var colour = tile.dataset.colour;
      if (colour === "suspended") {
        setFilters({ state: state.filters.state === "suspended" ? "" : "suspended", colour: "" });
        return;
      }
      var change = { colour: state.filters.colour === colour ? "" : colour };
      if (["suspended", "finished", "refused", "referred"].indexOf(state.filters.state) >= 0)
        change.state = "";
      setFilters(change);
    });
  });
}

export function renderCounts() {
  colourCounts(state.counts, state.filters);
}

function caseHall(c) {
  return (c.hall && c.hall.code) || "";
}

export function renderList() {
  var cases = state.list || [];
  $("list-count").textContent = cases.length;
  var body = document.querySelector("#case-list tbody");
  if (!cases.length) {
    render(
      html`<tr class="empty"><td colspan="9">${tx("c_no_cases", "没有符合条件的办件 · No cases match")}</td></tr>`,
      body
    );
    return;
  }
  var now = serverNow();
  var rows = cases
    .map(function (c, n) {
      return { c: c, n: n };
    })
    .sort(function (x, y) {
      return COLOUR_ORDER.indexOf(colourOf(x.c)) - COLOUR_ORDER.indexOf(colourOf(y.c)) || x.n - y.n;
    });
  render(
    repeat(
      rows,
      function (x) {
        return caseHall(x.c) + "/" + x.c.number;
      },
      function (x) {
        return caseRow(x.c, now);
      }
    ),
    body
  );
}

function isSelected(c) {
  var s = state.selected;
  return !!s && s.number === c.number && (!s.hall || s.hall === caseHall(c));
}

function caseRow(c, now) {
  var colour = colourOf(c);
  var hall = caseHall(c);
  var sel = { number: c.number, hall: hall };
  function open(ev) {
    ev.preventDefault();
    page.select(sel);
  }
  function click(ev) {
    if (!ev.target.closest("a")) page.select(sel);
  }
  var where = c.hall
    ? html`<span class="lv-tag lv-tag-${c.hall.level}">${word(LEVEL_TEXT, c.hall.level)}</span>${hallName(c.hall)}`
    : nothing;
  var cls = "case-row" + (colour ? " c-" + colour : "") + (isSelected(c) ? " selected" : "");
  return html`<tr class=${cls} data-case=${c.number} data-hall=${hall} data-colour=${colour} data-state=${c.state} @click=${click}>
    ${markCell(c)}<td class="r-hall">${where}</td>
    <td class="r-number"><a class="case-link" href=${address("cases", state.filters, sel)} @click=${open}>${c.number}</a></td>
    ${itemCell(c)}<td class="r-unit">${unitName(hall, c.handling_unit)}</td>
    <td class="r-clerk">${c.clerk || "—"}</td>
    <td class="r-accepted">${localTime(c.accepted_at, timezone(), true)}</td>
    ${dueCell(c, now)}<td class="r-state">${stateWord(c)}</td>
  </tr>`;
}
