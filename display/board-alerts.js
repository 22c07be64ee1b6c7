/* The board's alerts: the server's (from the snapshot) plus the time-based ones recomputed in
 * the browser (long wait, long pause, device offline), in order of urgency; a new overdue case
 * or bad review is marked 「新」 for two minutes. What the alerts name (items, windows, devices)
 * is kept in state.alerted, and the rows' templates mark themselves from it.
 */
import { html, nothing, render as draw } from "/vendor/lit-html/lit-html.js";
import { repeat } from "/vendor/lit-html/directives/repeat.js";
import { uniqueKeys } from "./staff.js";
import {
  PRINTER_TEXT,
  T,
  deviceOnline,
  find,
  minutesSince,
  ratingText,
  serverNow,
  state,
  tx,
} from "./board-common.js";

var $ = function (id) {
  return document.getElementById(id);
};

var TIME_BASED = { wait_long: true, paused_long: true, device_offline: true };
var FRESH_MS = 120000;
var CASE_ALERTS = { case_overdue: true, bad_review: true };
var ALERT_ORDER = [
  "case_overdue",
  "bad_review",
  "queue_long",
  "wait_long",
  "idle_with_queue",
  "paused_long",
  "device_offline",
  "printer_fault",
];

var ALERT_KIND_TEXT = {
  case_overdue: "办件超期",
  bad_review: "差评",
  queue_long: "排队过长",
  wait_long: "等候过久",
  idle_with_queue: "窗口空闲",
  paused_long: "暂停过久",
  device_offline: "设备离线",
  printer_fault: "打印机",
  refer_up_due: "待上报",
  referral_late: "上报超时",
  referral_waiting: "移交待接收",
};

function computeAlerts() {
  var snap = state.snap;
  if (!snap) return [];
  var limits = snap.thresholds || {};
  var local = [];
  snap.items.forEach(function (i) {
    var longest = i.oldest_waiting_since ? minutesSince(i.oldest_waiting_since) : 0;
    if (i.waiting > 0 && longest > limits.wait_minutes) {
      local.push({
        kind: "wait_long",
        item: i.code,
        text: tx("alert_text_wait_long", "{name} 最长等候 {m} 分钟", {
          name: T.name(i.name),
          m: Math.floor(longest),
        }),
      });
    }
  });
  snap.windows.forEach(function (w) {
    if (w.state === "paused" && w.state_since) {
      var paused = minutesSince(w.state_since);
      if (paused > limits.pause_minutes) {
        local.push({
          kind: "paused_long",
          window: w.number,
          text: tx("alert_text_paused_long", "{name} 暂停 {m} 分钟", {
            name: T.name(w.name),
            m: Math.floor(paused),
          }),
        });
      }
    }
  });
  snap.devices.forEach(function (d) {
    if (!deviceOnline(d, limits.device_offline_seconds)) {
      local.push({
        kind: "device_offline",
        device: d.code,
        text: tx("alert_text_device_offline", "{name} 离线", { name: d.name }),
      });
    }
  });
  var kept = (snap.alerts || []).filter(function (a) {
    return !TIME_BASED[a.kind];
  });
  var all = kept.concat(local);
  var rank = function (a) {
    var r = ALERT_ORDER.indexOf(a.kind);
    return r < 0 ? ALERT_ORDER.length : r;
  };
  return all
    .map(function (a, n) {
      return { a: a, n: n };
    })
    .sort(function (x, y) {
      return rank(x.a) - rank(y.a) || x.n - y.n;
    })
    .map(function (x) {
      return x.a;
    });
}

/** Recompute the alerts (and what they name) from the snapshot and the clock. */
export function updateAlerts() {
  state.alerts = computeAlerts();
  var alerted = { items: {}, windows: {}, devices: {} };
  var now = serverNow();
  state.alerts.forEach(function (a) {
    if (a.item) alerted.items[a.item] = true;
    if (a.window !== undefined) alerted.windows[a.window] = true;
    if (a.device) alerted.devices[a.device] = true;
    if (CASE_ALERTS[a.kind]) {
      var key = caseKey(a);
      if (!(key in state.firstSeen)) state.firstSeen[key] = state.snapshots > 1 ? now : 0;
    }
  });
  state.alerted = alerted;
}

function caseKey(a) {
  return a.kind + ":" + (a.case || a.rectification || a.text);
}

/** A key for an alert's row: what it is about (the same alert keeps its <li>). */
function alertKey(a) {
  var about = a.case || a.rectification || a.item || a.device;
  if (about === undefined && a.window !== undefined) about = "w" + a.window;
  return a.kind + ":" + (about === undefined ? a.text : about);
}

export function renderAlerts() {
  var now = serverNow();
  var keys = uniqueKeys(state.alerts, alertKey);
  var rows = state.alerts.map(function (a, i) {
    return { a: a, key: keys[i] };
  });
  var body = rows.length
    ? repeat(
        rows,
        function (row) {
          return row.key;
        },
        function (row) {
          return alertItem(row.a, now);
        }
      )
    : html`<li class="alert-none">${tx("no_alerts", "暂无告警 · No alerts")}</li>`;
  draw(body, $("alerts"));
  $("alert-count").textContent = state.alerts.length;
  $("alerts-panel").classList.toggle("has-alerts", state.alerts.length > 0);
}

function alertItem(a, now) {
  var fresh = false;
  if (CASE_ALERTS[a.kind]) {
    var first = state.firstSeen[caseKey(a)];
    fresh = !!first && now - first < FRESH_MS;
  }
  var kind = ALERT_KIND_TEXT[a.kind] ? tx("alert_" + a.kind, ALERT_KIND_TEXT[a.kind]) : a.kind;
  return html`<li
    class=${"alert alert-" + a.kind + (fresh ? " fresh" : "")}
    data-kind=${a.kind}
    data-case=${(CASE_ALERTS[a.kind] && a.case) || nothing}
  >${fresh ? html`<span class="a-new">${tx("alert_new", "新")}</span>` : nothing}<span class="a-kind">${kind}</span
    ><span class="a-text">${alertText(a)}</span></li>`;
}

/** The server's alerts carry Chinese text; in English they are told again from the snapshot
 * (names of items and units stay as the hall wrote them). */
function alertText(a) {
  if (!T.english()) return a.text;
  var snap = state.snap;
  var c = snap.cases || {};
  var more = /(\d+)/.exec(a.text || "");
  var item = a.item ? find(snap.items, "code", a.item) : null;
  var win = a.window !== undefined ? find(snap.windows, "number", a.window) : null;
  var dev = a.device ? find(snap.devices, "code", a.device) : null;
  if (a.kind === "queue_long" && item) {
    return tx("alert_text_queue_long", "{name} 等候 {n} 人", { name: T.name(item.name), n: item.waiting });
  }
  if (a.kind === "idle_with_queue" && win) {
    return tx("alert_text_idle_with_queue", "{name} 空闲但有群众等候", { name: T.name(win.name) });
  }
  if (a.kind === "printer_fault" && dev) {
    var printer = (dev.status || {}).printer || {};
    var what = PRINTER_TEXT[printer.condition] ? T.t(PRINTER_TEXT[printer.condition]) : printer.condition;
    return tx("alert_text_printer_fault", "{name} 打印机：{what}", { name: dev.name, what: what });
  }
  if (a.kind === "case_overdue") {
    var record = a.case ? find(c.overdue, "case", a.case) : null;
    if (record) {
      return tx("alert_text_case_overdue", "{case} {item}（{unit}）已超期", {
        case: record.case,
        item: record.item_name,
        unit: record.unit_name,
      });
    }
    if (!a.case && more) return tx("alert_text_more_overdue", "另有 {n} 件超期待督办", { n: more[1] });
  }
  if (a.kind === "bad_review") {
    var r = a.rectification ? find(c.rectifications, "id", a.rectification) : null;
    if (r) {
      var said = r.comment
        ? tx("alert_text_comment", "：{comment}", { comment: r.comment.slice(0, 24) })
        : "";
      return (
        tx("alert_text_bad_review", "{ticket} 评价「{rating}」", {
          ticket: r.ticket,
          rating: ratingText(r),
        }) + said
      );
    }
    if (!a.rectification && more) {
      return tx("alert_text_more_bad_reviews", "另有 {n} 条差评待回访", { n: more[1] });
    }
  }
  return a.text;
}
