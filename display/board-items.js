/* The board's items table (事项与部门): a row per department (its waiting total and longest
 * wait), then a row per item. Drawn with lit-html from the snapshot, rows keyed by department
 * and item code, so a live redraw or the 10-second recheck updates the figures in place; a row
 * an alert names is marked (state.alerted, board-alerts.js).
 */
import { html, render as draw } from "/vendor/lit-html/lit-html.js";
import { repeat } from "/vendor/lit-html/directives/repeat.js";
import { liveLongest, minutesText, state } from "./board-common.js";

/** The items grouped by department, in the snapshot's order. */
function departments(items) {
  var groups = [];
  var byDept = {};
  items.forEach(function (i) {
    var g = byDept[i.department];
    if (!g) {
      g = byDept[i.department] = { code: i.department, name: i.department_name || i.department, items: [] };
      groups.push(g);
    }
    g.items.push(i);
  });
  return groups;
}

export function renderItems() {
  var rows = [];
  departments(state.snap.items).forEach(function (g) {
    rows.push({ key: "d:" + g.code, dept: g });
    g.items.forEach(function (i) {
      rows.push({ key: "i:" + i.code, item: i });
    });
  });
  draw(
    repeat(
      rows,
      function (r) {
        return r.key;
      },
      function (r) {
        return r.dept ? deptRow(r.dept) : itemRow(r.item);
      }
    ),
    document.querySelector("#items tbody")
  );
}

function deptRow(g) {
  var alerted = state.alerted.items;
  var waiting = 0;
  var longest = 0;
  var any = false;
  g.items.forEach(function (i) {
    waiting += i.waiting;
    longest = Math.max(longest, liveLongest(i));
    if (alerted[i.code]) any = true;
  });
  var codes = g.items
    .map(function (i) {
      return i.code;
    })
    .join(",");
  return html`<tr
    class=${"dept-row" + (waiting ? "" : " quiet") + (any ? " alerted" : "")}
    data-department=${g.code}
    data-items=${codes}
    data-waiting=${waiting}
  >
    <td class="d-name">${g.name}</td>
    <td class="num d-waiting">${waiting}</td>
    <td class="num d-longest">${waiting ? minutesText(longest) : "–"}</td>
    <td class="num"></td>
    <td class="num"></td>
  </tr>`;
}

function itemRow(i) {
  var active = i.waiting || i.avg_wait_minutes !== null || i.avg_service_minutes !== null;
  var cls =
    "item-row" +
    (i.waiting ? "" : " quiet") +
    (active ? "" : " inactive") +
    (state.alerted.items[i.code] ? " alerted" : "");
  return html`<tr class=${cls} data-item=${i.code} data-waiting=${i.waiting}>
    <td class="i-name">${i.name.zh}</td>
    <td class="num i-waiting">${i.waiting}</td>
    <td class="num i-longest" data-since=${i.oldest_waiting_since || ""}>${i.waiting ? minutesText(liveLongest(i)) : "–"}</td>
    <td class="num">${minutesText(i.avg_wait_minutes)}</td>
    <td class="num">${minutesText(i.avg_service_minutes)}</td>
  </tr>`;
}
