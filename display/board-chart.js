/* The board's chart: tickets issued and served per half hour today, an SVG drawn with lit-html's
 * svg`` templates (bars keyed by their half hour); sizes are SVG attributes, never inline
 * styles (the pages' CSP has style-src 'self'), the colours come from board.css classes.
 */
import { html, svg, render as draw } from "/vendor/lit-html/lit-html.js";
import { repeat } from "/vendor/lit-html/directives/repeat.js";
import { state, tx } from "./board-common.js";

var LEFT = 34;
var RIGHT = 10;
var HEIGHT = 190;
var PLOT_TOP = 28;
var PLOT_BOTTOM = HEIGHT - 28;

export function renderChart() {
  var box = document.getElementById("chart");
  var slots = state.snap.half_hours || [];
  if (!slots.length) {
    draw(html`<p class="muted">${tx("b_no_tickets", "今日尚无取号 · No tickets yet today")}</p>`, box);
    return;
  }
  draw(chart(slots, box.clientWidth), box);
}

function chart(slots, clientWidth) {
  var max = 1;
  slots.forEach(function (s) {
    max = Math.max(max, s.arrivals, s.served);
  });
  var step = max <= 5 ? 1 : max <= 10 ? 2 : max <= 25 ? 5 : max <= 50 ? 10 : Math.ceil(max / 50) * 10;
  var top = Math.ceil(max / step) * step;
  var room = Math.max(320, clientWidth || 600);
  var slotW = Math.max(30, Math.min(64, (room - LEFT - RIGHT) / slots.length));
  var width = Math.max(room, LEFT + RIGHT + slots.length * slotW);
  var y = function (v) {
    return PLOT_BOTTOM - (v / top) * (PLOT_BOTTOM - PLOT_TOP);
  };
  var ticks = [];
  for (var v = 0; v <= top; v += step) ticks.push(v);
  var grid = ticks.map(function (v) {
    return svg`<line x1=${LEFT} x2=${width - RIGHT} y1=${y(v)} y2=${y(v)} class="gridline"></line>
      <text x=${LEFT - 6} y=${y(v) + 4} class="axis" text-anchor="end">${v}</text>`;
  });
  var bars = repeat(
    slots,
    function (s) {
      return s.slot;
    },
    function (s, n) {
      return slot(s, n, slots.length, slotW, y);
    }
  );
  return html`<svg
    viewBox=${"0 0 " + width + " " + HEIGHT}
    width=${width}
    height=${HEIGHT}
    role="img"
    aria-label=${tx("chart_title", "每半小时取号与办结")}
    class="half-hours"
  >
    ${grid}${bars}
    <rect x=${LEFT} y="6" width="10" height="10" class="bar-arrivals"></rect>
    <text x=${LEFT + 14} y="15" class="legend">${tx("b_legend_arrivals", "取号 arrivals")}</text>
    <rect x=${LEFT + 120} y="6" width="10" height="10" class="bar-served"></rect>
    <text x=${LEFT + 134} y="15" class="legend">${tx("b_legend_served", "办结 served")}</text>
  </svg>`;
}

/** One half hour: its two bars (issued, served), its title and, when there is room, its label. */
function slot(s, n, count, slotW, y) {
  var bw = Math.min(18, (slotW - 10) / 2);
  var x = LEFT + n * slotW + (slotW - 2 * bw - 10) / 2;
  var label =
    count <= 16 || n % 2 === 0
      ? svg`<text x=${x + 5 + bw} y=${HEIGHT - 10} class="axis" text-anchor="middle">${s.slot}</text>`
      : "";
  return svg`<g class="slot" data-slot=${s.slot}>
    <title>${tx("b_slot_title", "{slot} 取号 {arrivals} · 办结 {served}", s)}</title>
    <rect x=${x + 4} y=${y(s.arrivals)} width=${bw} height=${PLOT_BOTTOM - y(s.arrivals)} class="bar-arrivals"></rect>
    <rect x=${x + 4 + bw + 2} y=${y(s.served)} width=${bw} height=${PLOT_BOTTOM - y(s.served)} class="bar-served"></rect>
    ${label}
  </g>`;
}
