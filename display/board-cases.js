/* The board's cases panel (办件): open cases by colour, the red and orange ones (红橙预警), the
 * to-do lists (overdue to handle, extensions to decide, bad reviews to put right) and today's
 * ratings. Drawn with lit-html from the snapshot, rows keyed by case or rectification, so a
 * live redraw keeps the same links and rows (a focused link stays focused).
 */
import { html, nothing, render as draw } from "/vendor/lit-html/lit-html.js";
import { repeat } from "/vendor/lit-html/directives/repeat.js";
import { deadlineText } from "./live.js";
import { T, colourMark, lb, page, ratingText, rich, serverNow, state, tx } from "./board-common.js";

var $ = function (id) {
  return document.getElementById(id);
};

var BOARD_URGENT_ROWS = 8;
var PENDING_LIST_ROWS = 4;
var TILES = ["red", "orange", "yellow", "green", "suspended"];

var NEXT_STEP = {
  callback: lb("rectification_step", "callback"),
  verify: lb("rectification_step", "verify"),
  fix: lb("rectification_step", "fix"),
  inform: lb("rectification_step", "inform"),
};

function caseHref(number) {
  return page.casesHref("?case=" + encodeURIComponent(number));
}

function caseLink(number, className) {
  return html`<a class=${className || nothing} href=${caseHref(number)}>${number}</a>`;
}

function moreLink(text, query) {
  return html`<a class="more" href=${page.casesHref(query)}>${text}</a>`;
}

function count(id, n) {
  $(id).textContent = n;
  $(id).classList.toggle("hot", n > 0);
}

export function renderCases() {
  var c = state.snap.cases;
  $("cases-panel").hidden = !c;
  if (!c) return;
  var now = serverNow();
  draw(rich("b_open_cases", "在办 {n} 件", { n: html`<b id="c-open">${c.open}</b>` }), $("open-cases"));
  draw(colourTiles(c.counts || {}), $("colour-counts"));

  count("urgent-count", c.urgent_total);
  var urgent = c.urgent.slice(0, BOARD_URGENT_ROWS);
  draw(
    urgent.length
      ? repeat(
          urgent,
          function (u) {
            return u.number;
          },
          function (u) {
            return urgentRow(u, now);
          }
        )
      : html`<tr class="empty">
          <td colspan="5">${tx("b_no_urgent", "没有超期或一天内到期的办件 · Nothing overdue or due today")}</td>
        </tr>`,
    document.querySelector("#urgent tbody")
  );
  var hiddenRows = c.urgent_total - Math.min(c.urgent.length, BOARD_URGENT_ROWS);
  $("urgent-more").hidden = hiddenRows <= 0;
  draw(
    hiddenRows > 0
      ? moreLink(tx("b_more_urgent", "另有 {n} 件红橙预警 → 办件管理", { n: hiddenRows }))
      : nothing,
    $("urgent-more")
  );

  count("overdue-count", c.overdue.length);
  draw(todoList(c.overdue, "case", overdueItem, now), $("overdue-list"));
  count("extension-count", c.extensions.length);
  draw(todoList(c.extensions, "case", extensionItem, now), $("extension-list"));
  count("rect-count", c.rectifications.length);
  draw(todoList(c.rectifications, "id", rectificationItem, now), $("rect-list"));
  draw(ratingsToday(c.ratings_today || { total: 0, satisfied: 0, bad: 0 }), $("ratings-today"));
}

function colourTiles(counts) {
  return TILES.map(function (colour) {
    var n = counts[colour] || 0;
    var lit = n > 0 && (colour === "red" || colour === "orange");
    var href = page.casesHref(colour === "suspended" ? "?state=suspended" : "?colour=" + colour);
    return html`<a
      class=${"cc c-" + colour + (n ? "" : " zero") + (lit ? " lit" : "")}
      data-colour=${colour}
      data-count=${n}
      href=${href}
      >${colourMark(colour)}<b>${n}</b></a
    >`;
  });
}

function urgentRow(u, now) {
  return html`<tr class=${"u-row c-" + u.colour} data-case=${u.number} data-colour=${u.colour}>
    <td class="u-mark">${colourMark(u.colour)}</td>
    <td class="u-what">${caseLink(u.number, "u-number")}<span class="u-item">${u.item_name}</span></td>
    <td class="u-unit">${u.unit_name}</td>
    <td class="u-due">${deadlineText(u.deadline_at)}<span class="u-left">${T.deadlineLeft(u.deadline_at, now)}</span></td>
    <td class="u-clerk">${u.clerk || "—"}</td>
  </tr>`;
}

/** A to-do list: its first rows (keyed by keyName), then a link to the rest. */
function todoList(rows, keyName, item, now) {
  if (!rows.length) return html`<li class="none">${tx("none", "无 · none")}</li>`;
  var shown = rows.slice(0, PENDING_LIST_ROWS);
  var more = rows.length - shown.length;
  return html`${repeat(
    shown,
    function (row) {
      return row[keyName];
    },
    function (row) {
      return item(row, now);
    }
  )}${
    more > 0
      ? html`<li class="none">${moreLink(tx("b_more_rows", "另有 {n} 项 →", { n: more }))}</li>`
      : nothing
  }`;
}

function todoItem(main, subs, attrs) {
  return html`<li data-case=${attrs.case || nothing} data-rectification=${attrs.rectification || nothing}>
    <span class="t-main">${main}</span>${subs.filter(Boolean).map(function (sub) {
      return html`<span class="t-sub">${sub}</span>`;
    })}
  </li>`;
}

function overdueItem(r, now) {
  return todoItem(
    caseLink(r.case),
    [
      r.item_name + " · " + r.unit_name,
      tx("b_deadline", "时限 {at}", { at: deadlineText(r.deadline_at) }) +
        " · " +
        T.deadlineLeft(r.deadline_at, now),
    ],
    { case: r.case }
  );
}

function extensionItem(x) {
  return todoItem(
    caseLink(x.case),
    [
      x.item_name + " · " + tx("b_extension_days", "延期 {n} 个工作日", { n: x.days }),
      x.reason + (x.requested_by ? " · " + x.requested_by : ""),
    ],
    { case: x.case }
  );
}

function rectificationItem(r) {
  return todoItem(
    r.ticket + " 「" + ratingText(r) + "」",
    [
      r.comment ? tx("b_comment", "留言：{comment}", { comment: r.comment }) : tx("b_no_comment", "无留言"),
      tx("b_next_step", "下一步 {step} · 限 {at}", {
        step: NEXT_STEP[r.next_step] ? T.t(NEXT_STEP[r.next_step]) : r.next_step || "—",
        at: deadlineText(r.deadline_at),
      }),
    ],
    { rectification: r.id }
  );
}

function ratingsToday(rt) {
  var said = rich("b_ratings_today", "今日评价 {total} 次 · 满意 {satisfied} · 不满意 {bad}", {
    total: html`<b>${rt.total}</b>`,
    satisfied: html`<b>${rt.satisfied}</b>`,
    bad: html`<b>${rt.bad}</b>`,
  });
  if (!rt.total) return said;
  var pct = Math.round((100 * rt.satisfied) / rt.total) + "%";
  return html`${said}<span>${rich("b_satisfaction", " · 满意率 {pct}", { pct: html`<b>${pct}</b>` })}</span>`;
}
