/* The reviews page's 报表 tab (lit-html): the daily and monthly report forms (CSV / XLSX, and the
 * monthly analysis PDF). The API wants the Authorization header, so a file is fetched, kept as a
 * Blob and saved with an <a download>. The forms' fixed words carry data-i18n (i18n.js fills them
 * when the language changes); the groupings and the messages are drawn from state.
 */
import { html, render } from "/vendor/lit-html/lit-html.js";
import { localParts, pad } from "./live.js";
import { T, page, paren, say, state, tx, tz, word } from "./reviews-common.js";

const k = T.k;
const GROUPINGS = [
  ["", k("r_by_all", "全部分组")],
  ["department", k("r_by_department", "按部门")],
  ["item", k("r_by_item", "按事项")],
  ["window", k("r_by_window", "按窗口")],
  ["clerk", k("r_by_clerk", "按人员")],
];
const GROUPING_ZH = {}; // file names stay Chinese (the reports themselves are)
GROUPINGS.forEach(function (g) {
  GROUPING_ZH[g[0]] = g[1].zh;
});
const FIELD = {
  date: k("r_date", "日期"),
  month: k("r_month", "月份"),
  format: k("r_format", "格式"),
  by: k("c_f_group", "分组"),
};

var defaults = null; // {day, month}: today in the hall's time zone, the forms' first values

/** Today (in the hall's time zone once the snapshot says which) as the forms' values: force
 * puts it in again, else only the first time. */
export function setReportDefaults(force) {
  if (defaults && !force) return;
  var p = localParts(new Date(), tz());
  defaults = { day: p.year + "-" + pad(p.month) + "-" + pad(p.day), month: p.year + "-" + pad(p.month) };
  renderReports();
}

export function renderReports() {
  render(reportsView(), document.getElementById("reports"));
}

function reportsView() {
  var d = defaults || { day: "", month: "" };
  return html`<form class="panel report-card" id="report-daily" novalidate @submit=${onSubmit("daily")}>
      <h2><span data-i18n="r_daily">日报</span> <span class="en">Daily report</span></h2>
      <p class="muted">
        <span data-i18n="r_daily_note">当天的取号、办结、等候、办件时限和好差评，按部门、事项、窗口、人员统计。</span>
        <span class="en">One day's figures per department, item, window and clerk.</span>
      </p>
      <div class="report-fields">
        <label class="d-field"
          ><span data-i18n="r_date">日期</span> <span class="en">Date</span>
          <input type="date" id="daily-date" name="date" min="2000-01-01" max="2100-12-31" required .value=${d.day} />
        </label>
        ${grouping("daily-by")}
      </div>
      <div class="d-buttons">
        ${button("daily", "csv", "r_csv", "下载 CSV")} ${button("daily", "xlsx", "r_xlsx", "下载 Excel（XLSX）")}
      </div>
      <p class="hint">
        <span data-i18n="r_csv_hint"
          >CSV 每个文件一种分组（「全部分组」时为按部门），用 Excel 打开中文不乱码；XLSX 每种分组一页。</span
        >
        <span class="en">CSV: one grouping per file; XLSX: one sheet per grouping.</span>
      </p>
      ${message("daily")}
    </form>

    <form class="panel report-card" id="report-monthly" novalidate @submit=${onSubmit("monthly")}>
      <h2><span data-i18n="r_monthly">月报</span> <span class="en">Monthly report</span></h2>
      <p class="muted">
        <span data-i18n="r_monthly_note"
          >整月统计（另有按日期一页），以及《民生服务和民情诉求分析报告》PDF：总体情况、每日办件量与等候、事项、部门时限、好差评与每条差评的整改。</span
        >
        <span class="en">The month per department, item, window, clerk and day, and the analysis report as a PDF.</span>
      </p>
      <div class="report-fields">
        <label class="d-field"
          ><span data-i18n="r_month">月份</span> <span class="en">Month</span>
          <input type="month" id="monthly-month" name="month" min="2000-01" max="2100-12" required .value=${d.month} />
        </label>
        ${grouping("monthly-by")}
      </div>
      <div class="d-buttons">
        ${button("monthly", "csv", "r_csv", "下载 CSV")} ${button("monthly", "xlsx", "r_xlsx", "下载 Excel（XLSX）")}
        ${button("monthly", "pdf", "r_pdf", "分析报告 PDF", " pdf")}
      </div>
      <p class="hint">
        <span data-i18n="r_pdf_hint">PDF 含图表，生成需要几秒钟。</span>
        <span class="en">The PDF takes a few seconds to draw.</span>
      </p>
      ${message("monthly")}
    </form>`;
}

function grouping(id) {
  return html`<label class="d-field"
    ><span data-i18n="c_f_group">分组</span> <span class="en">Grouping</span>
    <select id=${id} name="by" class="by-select">
      ${GROUPINGS.map(function (g) {
        return html`<option value=${g[0]}>${T.t(g[1])}</option>`;
      })}
    </select>
  </label>`;
}

function button(kind, format, key, zh, extra) {
  var f = state.forms["report:" + kind] || {};
  return html`<button type="submit" class=${"primary" + (extra || "")} value=${format} ?disabled=${!!f.busy}>${tx(key, zh)}</button>`;
}

function message(kind) {
  var f = state.forms["report:" + kind] || {};
  return html`<div class=${"d-msg" + (f.kind ? " " + f.kind : "")} id=${kind + "-msg"} role="alert">${f.text || ""}</div>`;
}

function onSubmit(kind) {
  return function (ev) {
    ev.preventDefault();
    var form = ev.target;
    var key = "report:" + kind;
    var format = (ev.submitter && ev.submitter.value) || "xlsx";
    var input = form.elements[kind === "daily" ? "date" : "month"];
    var period = input.value.trim();
    if (!period) {
      say(
        key,
        "error",
        kind === "daily"
          ? tx("r_need_day", "请选择日期。 · Pick a day.")
          : tx("r_need_month", "请选择月份。 · Pick a month.")
      );
      input.focus();
      return;
    }
    download(key, reportRequest(kind, format, period, form.elements.by.value));
  };
}

function hallName() {
  var h = state.snap && state.snap.hall;
  var session = page.staff.session;
  return (h && h.name && h.name.zh) || (session && session.hall) || "onestop";
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

function fetchBlob(path) {
  return fetch(page.staff.base() + path, {
    headers: { Authorization: "Bearer " + page.staff.session.token },
    cache: "no-store",
  }).then(function (response) {
    if (response.ok) return response.blob();
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
  });
}

function save(blob, name) {
  var url = URL.createObjectURL(blob);
  var a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(function () {
    URL.revokeObjectURL(url);
  }, 60000);
}

/** Fetch the report with the staff token and save it; the form says how it went. */
function download(key, req) {
  say(key, "", tx("r_preparing", "正在生成 {name} … · preparing", { name: req.name }), true);
  return fetchBlob(req.path).then(
    function (blob) {
      save(blob, req.name);
      state.downloads += 1;
      document.body.dataset.downloads = state.downloads;
      var size = sizeText(blob.size);
      say(
        key,
        "ok",
        tx("r_downloaded", "已下载 {name}（{size}） · downloaded", { name: req.name, size: size })
      );
    },
    function (err) {
      if (err.status === 401) {
        say(key, "", "");
        page.staff.sessionEnded();
        return;
      }
      say(key, "error", downloadError(err));
    }
  );
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
