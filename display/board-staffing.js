/* The board's staffing strip: windows planned vs needed per half hour, the gap, and the expected
 * p90 wait as planned and as advised, from GET /api/v1/halls/<hall>/staffing?day=today|tomorrow.
 *
 * "今日剩余 / Today remaining" shows the half hours not over yet, planned = the windows open now;
 * "明日 / Tomorrow" the whole of tomorrow against the planned roster (every window in the hall
 * file); the date field asks for any other day (a past one: needed vs opened). Live: the
 * board's live events ask for fresh advice at most once a minute (the last event in a quiet
 * minute still counts: a trailing refresh), and a 5-minute timer rolls the strip on as half
 * hours end in a quiet hall. board.js imports and calls staffingStrip(...).
 */
import { el } from "./live.js";
import { staffText } from "./staff.js";

var $ = function (id) {
  return document.getElementById(id);
};

var T = staffText; // 中文 / English (staff.js)
var tx = T.tx;
var k = T.k;

var EVENT_REFRESH_MS = 60000; // at most one refresh a minute on live events
var TIMER_REFRESH_MS = 5 * 60000; // and one every 5 minutes regardless

var SCOPES = {
  today: ["今日剩余", "Today remaining"],
  tomorrow: ["明日", "Tomorrow"],
};
var DAY_KIND = {
  workday: k("s_day_workday", "工作日"),
  after_holiday: k("s_day_after_holiday", "节后首个工作日"),
  makeup_workday: k("s_day_makeup_workday", "调休上班日"),
  weekend: k("s_day_weekend", "双休日值班"),
  holiday: k("s_day_holiday", "节假日休息"),
};
var SOURCE = [
  [/^history/, k("s_source_history", "按本厅历史取号")],
  [/^profile/, k("s_source_profile", "按演示客流曲线（历史不足）")],
  [/^recorded/, k("s_source_recorded", "按当日实际取号")],
  [/^closed/, k("s_source_closed", "不开放")],
];
var DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
var ROWS = [
  ["planned", k("s_row_planned", "计划窗口"), "planned"],
  ["needed", k("s_row_needed", "需要窗口"), "needed"],
  ["gap", k("s_row_gap", "缺口"), "gap"],
  ["p90_planned", k("s_row_p90_planned", "P90等候·按计划"), "p90 min, planned"],
  ["p90_advised", k("s_row_p90_advised", "P90等候·按建议"), "p90 min, advised"],
];

function dayKind(kind) {
  return DAY_KIND[kind] ? T.t(DAY_KIND[kind]) : kind;
}

/**
 * staffingStrip({api(method, path): Promise})
 *   -> {start(), stop(), onEvent(), refresh(), choose("today"|"tomorrow"|"YYYY-MM-DD"), state}
 */
function staffingStrip(options) {
  var state = {
    scope: "today",
    plan: null,
    loads: 0, // answers drawn so far
    lastAsked: 0, // Date.now() of the last request
    error: null,
  };
  var trailing = null;
  var timer = null;
  var running = false;
  var asking = 0; // request counter: an older answer never overwrites a newer one

  function refresh() {
    if (!running) return;
    clearTimeout(trailing);
    trailing = null;
    state.lastAsked = Date.now();
    var mine = ++asking;
    var scope = state.scope;
    $("staffing-panel").dataset.loading = "1";
    options
      .api("GET", "/staffing?day=" + encodeURIComponent(scope))
      .then(function (plan) {
        if (mine !== asking || scope !== state.scope) return;
        state.plan = plan;
        state.error = null;
        state.loads += 1;
        draw();
      })
      .catch(function (err) {
        if (mine !== asking) return;
        state.error = err;
        draw();
      })
      .then(function () {
        if (mine === asking) delete $("staffing-panel").dataset.loading;
      });
  }

  /** A live event: refresh today's advice now, or once the minute since the last one is up. */
  function onEvent() {
    if (!running || state.scope !== "today" || trailing) return;
    var wait = state.lastAsked + EVENT_REFRESH_MS - Date.now();
    if (wait <= 0) refresh();
    else trailing = setTimeout(refresh, wait);
  }

  function choose(scope) {
    if (!(SCOPES[scope] || DAY_RE.test(scope)) || scope === state.scope) return;
    state.scope = scope;
    if (SCOPES[scope]) $("staffing-date").value = "";
    state.plan = null;
    draw();
    refresh();
  }

  function start() {
    running = true;
    clearInterval(timer);
    timer = setInterval(refresh, TIMER_REFRESH_MS);
    refresh();
  }

  function stop() {
    running = false;
    clearInterval(timer);
    clearTimeout(trailing);
    trailing = null;
    state.plan = null;
    asking += 1;
  }

  // ------------------------------------------------------------ drawing
  function gapClass(gap) {
    return gap >= 2 ? "gap-short2" : gap === 1 ? "gap-short1" : gap === 0 ? "gap-ok" : "gap-over";
  }

  function gapText(gap) {
    return gap > 0 ? "+" + gap : gap < 0 ? "−" + -gap : "0";
  }

  function waitText(value) {
    return value === null || value === undefined ? "–" : String(Math.round(value));
  }

  function summary(plan) {
    var short = plan.slots.filter(function (s) {
      return s.gap > 0;
    });
    if (!plan.slots.length) return "";
    if (!short.length) return tx("s_enough", "各时段窗口充足 · enough windows in every half hour");
    var most = short.reduce(function (a, s) {
      return s.gap > a.gap ? s : a;
    });
    return tx("s_short", "{n} 个时段需加开窗口，{start} 最多差 {gap} 个 · short in {n} half hours", {
      n: short.length,
      start: most.start,
      gap: most.gap,
    });
  }

  function emptyText(plan) {
    if (state.scope === "today")
      return tx("s_none_today", "今日已无剩余办公时段 · No office hours left today");
    var kind = dayKind(plan.day_kind);
    return state.scope === "tomorrow"
      ? tx("s_closed_tomorrow", "明日不开放（{kind}）· Closed tomorrow", { kind: kind })
      : tx("s_closed_day", "{day} 不开放（{kind}）· Closed that day", { day: plan.day, kind: kind });
  }

  function sourceText(source) {
    for (var i = 0; i < SOURCE.length; i++) {
      if (SOURCE[i][0].test(source || "")) return T.t(SOURCE[i][1]);
    }
    return source || "";
  }

  function groupsText(s) {
    return (s.groups || [])
      .filter(function (g) {
        return g.needed || g.planned;
      })
      .map(function (g) {
        return tx("s_group", "{group} 计划 {planned} / 需要 {needed}（共 {available} 个窗口）", g);
      })
      .join("\n");
  }

  function draw() {
    var panel = $("staffing-panel");
    var box = $("staffing");
    panel.dataset.scope = state.scope;
    panel.dataset.loads = state.loads;
    Object.keys(SCOPES).forEach(function (scope) {
      var b = $("staffing-" + scope);
      b.setAttribute("aria-pressed", scope === state.scope ? "true" : "false");
      b.classList.toggle("on", scope === state.scope);
    });
    $("staffing-date").classList.toggle("on", !SCOPES[state.scope]);
    box.textContent = "";
    var plan = state.plan;
    var note = $("staffing-note");
    note.textContent = "";
    $("staffing-summary").textContent = "";
    if (state.error) {
      var denied = state.error.status === 403 || state.error.status === 401;
      box.appendChild(
        el(
          "p",
          "muted staffing-empty",
          denied
            ? tx("s_denied", "无权查看排班建议 · Staffing advice is for managers")
            : tx("s_unavailable", "暂时无法获取排班建议（{status}） · Staffing advice unavailable", {
                status: state.error.status || "offline",
              })
        )
      );
      return;
    }
    if (!plan) {
      box.appendChild(el("p", "muted staffing-empty", tx("s_computing", "计算中… · computing")));
      return;
    }
    panel.dataset.day = plan.day;
    note.textContent = tx("s_note", "{day} {kind} · 目标 {target}", {
      day: plan.day,
      kind: dayKind(plan.day_kind),
      target: T.bi(plan.target),
    });
    note.title = plan.target + "\n" + sourceText(plan.source) + " · " + plan.source;
    note.appendChild(el("span", "s-source", " · " + sourceText(plan.source)));
    $("staffing-summary").textContent = summary(plan);
    if (!plan.slots.length) {
      box.appendChild(el("p", "muted staffing-empty", emptyText(plan)));
      return;
    }
    var table = el("table", "staffing-table");
    var head = el("tr", "s-head");
    head.appendChild(el("th", "s-label", tx("s_half_hour", "时段 · half hour")));
    plan.slots.forEach(function (s) {
      var th = el("th", "s-slot", s.start);
      th.title = s.start + "–" + s.end;
      head.appendChild(th);
    });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var body = el("tbody");
    ROWS.forEach(function (row) {
      var tr = el("tr", "s-row row-" + row[0]);
      var label = el("th", "s-label", T.t(row[1]) + " ");
      label.appendChild(el("span", "en", row[2]));
      tr.appendChild(label);
      plan.slots.forEach(function (s) {
        var td;
        if (row[0] === "gap") {
          td = el("td", "s-gap " + gapClass(s.gap), gapText(s.gap));
          td.dataset.gap = s.gap;
          td.title =
            tx("s_gap_title", "{start}–{end} 缺口 {gap}", {
              start: s.start,
              end: s.end,
              gap: gapText(s.gap),
            }) +
            "\n" +
            groupsText(s);
        } else if (row[0] === "planned" || row[0] === "needed") {
          td = el("td", "s-num", s[row[0]]);
        } else {
          var value = s[row[0]];
          td = el("td", "s-wait", waitText(value));
          td.classList.toggle("over", value !== null && value > plan.target_minutes);
        }
        td.dataset.slot = s.start;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    box.appendChild(table);
  }

  Object.keys(SCOPES).forEach(function (scope) {
    $("staffing-" + scope).addEventListener("click", function () {
      choose(scope);
    });
  });
  $("staffing-date").addEventListener("change", function (ev) {
    if (DAY_RE.test(ev.target.value)) choose(ev.target.value);
  });

  /** The language changed: draw again from what is there (no request). */
  function redraw() {
    if (running) draw();
  }

  return {
    start: start,
    stop: stop,
    onEvent: onEvent,
    refresh: refresh,
    choose: choose,
    redraw: redraw,
    state: state,
  };
}

export { staffingStrip };
