/* Residents' appointments (预约), one page in two modes:
 *
 *   /book/<hall>        pick item -> day -> slot, give name and mobile, get the appointment code
 *   /a/<manage_token>   the appointment (masked), cancel it (with a confirm) or move it
 *
 * Plain browser JavaScript, no framework, no eval, no inline style (CSP script-src/style-src
 * 'self'). Texts: the "booking" catalogue (i18n/messages/booking.pot and the .po files) through
 * window.OnestopI18n when /assets/i18n.js is loaded, else GET /i18n/booking/<lang>.json; the
 * Chinese table below is the fallback and must list every key of booking.pot.
 * Double-submit safe: one request id per form content, kept across retries (a network failure
 * or a second tap replays the same id, so the server books once); the button is disabled while
 * a request is in flight. The server's 4xx names the field; the message is shown next to it.
 */
(function () {
  "use strict";

  var TEXT = {
    page_title: "预约办事",
    manage_title: "我的预约",
    loading: "加载中…",
    step_item: "事项",
    step_day: "日期",
    step_slot: "时段",
    step_you: "信息",
    choose_item: "您要办理什么事项？",
    search: "搜索事项，如：医保、居住证",
    no_match: "没有找到，请换个词",
    no_items: "本大厅暂未开放网上预约，请直接到大厅取号。",
    item_not_bookable: "不可预约，请到大厅取号",
    choose_day: "哪一天来？",
    today: "今天",
    tomorrow: "明天",
    weekday_0: "周日",
    weekday_1: "周一",
    weekday_2: "周二",
    weekday_3: "周三",
    weekday_4: "周四",
    weekday_5: "周五",
    weekday_6: "周六",
    date: "{month}{d}日 {weekday}",
    month_1: "1月",
    month_2: "2月",
    month_3: "3月",
    month_4: "4月",
    month_5: "5月",
    month_6: "6月",
    month_7: "7月",
    month_8: "8月",
    month_9: "9月",
    month_10: "10月",
    month_11: "11月",
    month_12: "12月",
    makeup_day: "调休上班",
    weekend_day: "周末值班",
    left: "余 {n} 个",
    full: "已约满",
    closed: "不办公",
    no_days: "近期没有可预约的日子，请直接到大厅取号。",
    choose_slot: "几点来？",
    reason_past: "已过",
    reason_cutoff: "已截止",
    reason_full: "已约满",
    reason_closed: "不开放",
    no_slots: "这一天没有可预约的时段，请换一天。",
    back: "上一步",
    change: "修改",
    your_info: "办事人信息",
    chosen_item: "事项",
    chosen_time: "时间",
    time_range: "{day} {start}–{end}",
    name: "姓名",
    name_hint: "与身份证上的一致",
    phone: "手机号",
    phone_hint: "11 位手机号，签到时也可以输入后 4 位",
    id_number: "身份证号（选填）",
    id_hint: "同一手机号、同一身份证同时可保留的预约数量有限",
    privacy: "您的信息只用于这次预约；公开的地方只显示一部分，如 张*三、138****1234。",
    submit: "确认预约",
    submitting: "正在提交…",
    err_name: "请填写姓名",
    err_phone: "请填写 11 位手机号",
    err_id: "身份证号是 18 位（最后一位可以是 X）",
    err_network: "网络不通，请检查网络后再点一次（不会重复预约）",
    err_busy: "操作太频繁，请稍等一会儿再试",
    err_server: "系统繁忙，请稍后再试",
    err_slot_full: "这个时段刚刚约满了，请换一个时段",
    err_slot_cutoff: "这个时段已截止预约，请换一个时段",
    err_slot_closed: "这个时段不开放，请换一个时段",
    err_too_many_active: "您的预约数量已到上限，请先办理或取消已有的预约",
    err_already_booked: "您这一天已经预约过这个事项了",
    err_invalid_id_number: "身份证号不正确，请核对",
    err_too_many_no_shows: "您近期多次预约未到，暂时不能网上预约，请直接到大厅取号",
    err_other: "没有成功：{message}",
    done_title: "预约成功",
    code: "预约码",
    check_in: "请在 {from}–{until} 到大厅自助机签到",
    check_in_how: "在自助机上点「预约签到」，输入预约码，或手机号后 4 位。",
    save_hint: "请截图保存本页，或记下预约码。要取消或改时间，请打开这个链接：",
    manage_link: "查看、取消或改约",
    materials: "请带齐这些材料",
    book_another: "再预约一项",
    state_booked: "已预约",
    state_checked_in: "已签到",
    state_cancelled: "已取消",
    state_no_show: "未到",
    who: "预约人",
    ticket: "您的号码：{number}",
    cancel: "取消预约",
    cancel_confirm: "确定取消这个预约吗？取消后这个时段会让给别人。",
    cancel_yes: "确定取消",
    keep: "不取消",
    cancelled: "预约已取消。",
    move: "改时间",
    move_title: "改到哪一天、几点？",
    move_confirm: "改到 {time}？",
    move_yes: "确定改约",
    moved: "已改约，请按新的时间来。",
    not_found: "没有找到这个预约，请核对链接。",
    no_change: "这个预约已不能取消或改约。",
    cancel_move: "不改了",
    hall_phone: "咨询电话 {phone}",
  };
  var FALLBACK_LANGUAGES = [
    { code: "zh", name: "中文", dir: "ltr" },
    { code: "en", name: "English", dir: "ltr" },
    { code: "ug", name: "ئۇيغۇرچە", dir: "rtl" },
  ];
  var PHONE = /^1\d{10}$/;
  var ID_NUMBER = /^\d{17}[\dX]$/;
  var FIELDS = { name: "err_name", phone: "err_phone", id_number: "err_id" }; // field -> its text
  var SLOT_ERRORS = { slot_full: true, slot_cutoff: true, slot_closed: true };

  var texts = TEXT;
  var $ = function (id) {
    return document.getElementById(id);
  };

  var path = window.location.pathname;
  var manage = /^\/a\/([A-Za-z0-9_-]+)$/.exec(path);
  var book = /^\/book\/([A-Za-z0-9_-]+)$/.exec(path);

  var state = {
    mode: manage ? "manage" : "book",
    hall: book ? book[1] : null,
    token: manage ? manage[1] : null,
    lang: "zh",
    languages: FALLBACK_LANGUAGES,
    hallInfo: null, // from GET /catalog: {name, timezone, supervision_phone}
    materials: {}, // item code -> [material]
    step: "item", // item | day | slot | form | done  (manage: view | day | slot | confirm)
    items: null,
    filter: "",
    item: null,
    days: null,
    day: null,
    slots: null,
    slot: null,
    form: { name: "", phone: "", id_number: "" },
    errors: {}, // field -> text
    message: "", // a sentence over the current step
    sending: false,
    requestId: null, // kept across retries of the same content
    requestFor: null,
    result: null, // POST answer: {appointment, manage_token, manage_path}
    appointment: null, // manage mode
    confirming: null, // "cancel" | "move"
    notFound: false,
    loads: 0,
  };

  // ------------------------------------------------------------------ texts
  var RTL = false;
  var RANGE = /\u2068?(\d{1,2}:\d{2})\u2069?\s*–\s*\u2068?(\d{1,2}:\d{2})\u2069?/g;

  /** A text of the catalogue with {values}; on a right-to-left page each value and each time
   * range (9:45–10:10) is isolated so numbers and Chinese names keep their own order. */
  function t(key, values) {
    var s = Object.prototype.hasOwnProperty.call(texts, key) ? texts[key] : TEXT[key];
    if (s === undefined) s = key;
    s = String(s).replace(/\{(\w+)\}/g, function (m, name) {
      if (!values || values[name] === undefined) return m;
      return RTL ? "\u2068" + values[name] + "\u2069" : String(values[name]);
    });
    // a time range never breaks across lines (word joiners), and reads left to right
    return s.replace(RANGE, RTL ? "\u2066$1\u2060–\u2060$2\u2069" : "$1\u2060–\u2060$2");
  }

  function pickLanguage() {
    var asked = new URLSearchParams(window.location.search).get("lang");
    if (asked) return asked;
    var wanted = navigator.languages || [navigator.language || "zh"];
    for (var i = 0; i < wanted.length; i++) {
      var code = String(wanted[i]).toLowerCase().split("-")[0];
      if (code === "zh" || code === "en" || code === "ug") return code;
    }
    return "zh";
  }

  function applyLanguage(catalog) {
    texts = Object.assign({}, TEXT, catalog.texts || {});
    state.lang = catalog.lang || "zh";
    if (catalog.languages && catalog.languages.length) state.languages = catalog.languages;
    var html = document.documentElement;
    html.lang = state.lang === "zh" ? "zh-CN" : state.lang;
    html.dir = catalog.dir || "ltr";
    RTL = html.dir === "rtl";
  }

  function loadLanguage(lang) {
    var asked;
    if (window.OnestopI18n && window.OnestopI18n.load) {
      asked = window.OnestopI18n.load("booking", lang).then(function (cat) {
        return { lang: cat.lang, dir: cat.dir, languages: cat.languages, texts: cat.texts };
      });
    } else {
      asked = fetch("/i18n/booking/" + encodeURIComponent(lang) + ".json").then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      });
    }
    return asked.catch(function () {
      return { lang: "zh", dir: "ltr", texts: {} };
    });
  }

  function switchLanguage(lang) {
    loadLanguage(lang).then(function (catalog) {
      applyLanguage(catalog);
      var url = new URL(window.location.href);
      url.searchParams.set("lang", state.lang);
      window.history.replaceState(window.history.state, "", url.pathname + url.search);
      render();
    });
  }

  // ------------------------------------------------------------------ API
  function newRequestId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  /** JSON from our API; a 4xx/5xx rejects with {status, code, field, message}. */
  function api(method, url, body) {
    var init = { method: method, headers: { Accept: "application/json" }, cache: "no-store" };
    if (body) {
      init.headers["Content-Type"] = "application/json";
      init.headers["Idempotency-Key"] = body.request_id;
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(
      function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (data) {
            if (response.ok) return data;
            var e = (data && data.error) || {};
            var error = new Error(e.message || "HTTP " + response.status);
            error.status = response.status;
            error.code = e.code || "";
            error.field = e.field || "";
            throw error;
          });
      },
      function () {
        var error = new Error("network");
        error.status = 0;
        error.code = "network";
        throw error;
      }
    );
  }

  function hallApi(suffix) {
    return "/api/v1/halls/" + encodeURIComponent(state.hall) + suffix;
  }

  /** The words for a refused request, and the form field it is about ("" for none). */
  function explain(err) {
    if (err.status === 0) return { text: t("err_network"), field: "" };
    if (err.status === 429) return { text: t("err_busy"), field: "" };
    if (err.status >= 500) return { text: t("err_server"), field: "" };
    var field = String(err.field || "").split(".").pop();
    if (texts["err_" + err.code] !== undefined || TEXT["err_" + err.code] !== undefined) {
      return { text: t("err_" + err.code), field: FIELDS[field] ? field : "" };
    }
    if (FIELDS[field]) return { text: t(FIELDS[field]), field: field };
    return { text: t("err_other", { message: err.message }), field: "" };
  }

  // ------------------------------------------------------------------ dates and times
  function hhmm(iso) {
    var m = /T(\d{2}):(\d{2})/.exec(iso || "");
    return m ? String(Number(m[1])) + ":" + m[2] : "";
  }

  function hallToday(offsetDays) {
    var tz = (state.hallInfo && state.hallInfo.timezone) || "Asia/Shanghai";
    var now = new Date(Date.now() + (offsetDays || 0) * 86400000);
    try {
      return new Intl.DateTimeFormat("en-CA", { timeZone: tz }).format(now);
    } catch (e) {
      return now.toISOString().slice(0, 10);
    }
  }

  function dayText(day) {
    var parts = day.split("-").map(Number);
    var weekday = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2])).getUTCDay();
    var values = { month: t("month_" + parts[1]), d: parts[2], weekday: t("weekday_" + weekday) };
    var text = t("date", values);
    if (day === hallToday(0)) return t("today") + " · " + text;
    if (day === hallToday(1)) return t("tomorrow") + " · " + text;
    return text;
  }

  function timeText(day, start, end) {
    return t("time_range", { day: dayText(day), start: hhmm(start), end: hhmm(end) });
  }

  function name(names) {
    if (!names || typeof names === "string") return names || "";
    return (state.lang === "en" && names.en) || names.zh || names.en || "";
  }

  function spaced(code) {
    return String(code || "").replace(/^(\d{4})(\d{4})$/, "$1 $2");
  }

  // ------------------------------------------------------------------ DOM helpers
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  /** Names and materials come in Chinese (or English): on an RTL page their text keeps its own
   * direction (CSS unicode-bidi: plaintext) while the layout stays mirrored. */
  function auto(node) {
    node.classList.add("bidi");
    return node;
  }

  function buttonEl(cls, text, onClick, disabled) {
    var b = el("button", cls, text);
    b.type = "button";
    b.disabled = !!disabled;
    if (onClick) b.addEventListener("click", onClick);
    return b;
  }

  function notice(text, kind) {
    var p = el("p", "notice " + (kind || "error"), text);
    p.setAttribute("role", kind === "ok" ? "status" : "alert");
    return p;
  }

  // ------------------------------------------------------------------ steps (booking)
  function go(step, push) {
    state.step = step;
    state.message = "";
    state.messageKind = "error";
    if (push !== false) window.history.pushState({ step: step }, "");
    render();
    window.scrollTo(0, 0);
  }

  function loadItems() {
    return api("GET", hallApi("/appointments/items")).then(function (data) {
      state.items = data.items || [];
    });
  }

  function loadCatalog() {
    // The hall's name and each item's materials (public catalogue); the page works without it.
    return api("GET", hallApi("/catalog"))
      .then(function (data) {
        var hall = data.hall || {};
        state.hallInfo = {
          name: hall.name,
          timezone: hall.timezone,
          supervision_phone: hall.supervision_phone,
        };
        (data.items || []).forEach(function (item) {
          state.materials[item.code] = (item.guide && item.guide.materials) || [];
        });
      })
      .catch(function () {});
  }

  function chooseItem(code) {
    state.item = state.items.filter(function (i) {
      return i.code === code;
    })[0];
    state.days = null;
    state.day = state.slot = null;
    go("day");
    loadDays();
  }

  function loadDays() {
    var code = state.item.code;
    api("GET", hallApi("/appointments/days?item=" + encodeURIComponent(code)))
      .then(function (data) {
        if (state.item && state.item.code === code) {
          state.days = data.days || [];
          render();
        }
      })
      .catch(function (err) {
        state.days = [];
        state.message = explain(err).text;
        render();
      });
  }

  function chooseDay(day) {
    state.day = day;
    state.slots = null;
    state.slot = null;
    go("slot");
    loadSlots();
  }

  function loadSlots() {
    var code = state.item.code;
    var day = state.day;
    var url = hallApi(
      "/appointments/slots?item=" + encodeURIComponent(code) + "&day=" + encodeURIComponent(day)
    );
    return api("GET", url)
      .then(function (data) {
        if (state.day === day && state.item && state.item.code === code) {
          state.slots = data.slots || [];
          state.loads += 1;
          render();
        }
      })
      .catch(function (err) {
        state.slots = [];
        state.message = explain(err).text;
        render();
      });
  }

  function chooseSlot(slot) {
    state.slot = slot;
    if (state.mode === "manage") {
      state.confirming = "move";
      go("confirm");
    } else {
      go("form");
    }
  }

  function readForm() {
    var form = $("book-form");
    state.form = {
      name: form.elements.name.value.trim(),
      phone: form.elements.phone.value.replace(/[\s-]/g, ""),
      id_number: form.elements.id_number.value.replace(/\s/g, "").toUpperCase(),
    };
  }

  function checkForm() {
    var f = state.form;
    var errors = {};
    if (!f.name) errors.name = t("err_name");
    if (!PHONE.test(f.phone)) errors.phone = t("err_phone");
    if (f.id_number && !ID_NUMBER.test(f.id_number)) errors.id_number = t("err_id");
    return errors;
  }

  function submit(ev) {
    ev.preventDefault();
    if (state.sending) return; // a second tap while the first is on its way
    readForm();
    state.errors = checkForm();
    state.message = "";
    if (Object.keys(state.errors).length) {
      render();
      focusFirstError();
      return;
    }
    var body = {
      item_code: state.item.code,
      slot_start: state.slot.start,
      name: state.form.name,
      phone: state.form.phone,
    };
    if (state.form.id_number) body.id_number = state.form.id_number;
    var content = JSON.stringify(body);
    if (state.requestFor !== content) {
      // new content: a new request; the same content again (a retry) keeps its id
      state.requestId = newRequestId();
      state.requestFor = content;
    }
    body.request_id = state.requestId;
    state.sending = true;
    render();
    api("POST", hallApi("/appointments"), body)
      .then(function (result) {
        state.sending = false;
        state.result = result;
        state.requestId = state.requestFor = null;
        go("done");
      })
      .catch(function (err) {
        state.sending = false;
        var why = explain(err);
        if (SLOT_ERRORS[err.code]) {
          state.slot = null;
          state.slots = null;
          go("slot");
          state.message = why.text;
          render();
          loadSlots();
          return;
        }
        if (why.field) state.errors[why.field] = why.text;
        else state.message = why.text;
        render();
        focusFirstError();
      });
  }

  function focusFirstError() {
    var first = document.querySelector(".field.has-error input");
    if (first) first.focus();
  }

  // ------------------------------------------------------------------ manage mode
  function loadAppointment() {
    return api("GET", "/api/v1/appointments/" + encodeURIComponent(state.token))
      .then(function (data) {
        state.appointment = data.appointment;
        state.hall = data.appointment.hall.code;
        state.item = data.appointment.item;
      })
      .catch(function (err) {
        if (err.status === 404) state.notFound = true;
        else state.message = explain(err).text;
      });
  }

  function change(action, extra) {
    if (state.sending) return;
    var key = action + (extra ? ":" + extra : "");
    if (state.requestFor !== key) {
      state.requestId = newRequestId();
      state.requestFor = key;
    }
    var body = { request_id: state.requestId };
    if (extra) body.slot_start = extra;
    state.sending = true;
    render();
    var url = "/api/v1/appointments/" + encodeURIComponent(state.token) + "/" + action;
    api("POST", url, body)
      .then(function (data) {
        state.sending = false;
        state.requestId = state.requestFor = null;
        state.appointment = data.appointment;
        state.confirming = null;
        state.slot = null;
        go("view");
        state.message = t(action === "cancel" ? "cancelled" : "moved");
        state.messageKind = "ok";
        render();
      })
      .catch(function (err) {
        state.sending = false;
        state.message = explain(err).text;
        state.messageKind = "error";
        if (action === "move" && SLOT_ERRORS[err.code]) {
          state.slot = null;
          state.slots = null;
          go("slot");
          state.message = explain(err).text;
          render();
          loadSlots();
          return;
        }
        render();
      });
  }

  function startMove() {
    state.days = null;
    state.day = state.slot = null;
    go("day");
    loadDays();
  }

  // ------------------------------------------------------------------ drawing
  function render() {
    document.title = t(state.mode === "manage" ? "manage_title" : "page_title");
    $("title").textContent = document.title;
    var hallName = state.hallInfo ? name(state.hallInfo.name) : "";
    if (!hallName && state.appointment) hallName = name(state.appointment.hall.name);
    $("hall-name").textContent = hallName || "\u00a0";
    $("hall-name").classList.add("bidi");
    drawLanguages();
    drawSteps();
    var app = $("app");
    app.textContent = "";
    app.dataset.step = state.step;
    if (state.message) app.appendChild(notice(state.message, state.messageKind));
    var draw = {
      item: drawItems,
      day: drawDays,
      slot: drawSlots,
      form: drawForm,
      done: drawDone,
      view: drawAppointment,
      confirm: drawConfirm,
    }[state.step];
    draw(app);
    document.body.dataset.step = state.step;
    document.body.dataset.sending = state.sending ? "1" : "0";
  }

  function drawLanguages() {
    var nav = $("langs");
    nav.textContent = "";
    state.languages.forEach(function (lang, i) {
      if (i) nav.appendChild(el("span", "sep", "·"));
      var b = buttonEl("lang", lang.name, function () {
        switchLanguage(lang.code);
      });
      b.lang = lang.code;
      b.dir = lang.dir || "ltr";
      b.dataset.lang = lang.code;
      if (lang.code === state.lang) {
        b.classList.add("on");
        b.setAttribute("aria-current", "true");
      }
      nav.appendChild(b);
    });
  }

  function drawSteps() {
    var steps = $("steps");
    var order = ["item", "day", "slot", "form"];
    var at = order.indexOf(state.step);
    steps.hidden = state.mode !== "book" || at < 0;
    steps.textContent = "";
    ["step_item", "step_day", "step_slot", "step_you"].forEach(function (key, i) {
      var li = el("li", i < at ? "done" : i === at ? "on" : "", t(key));
      if (i === at) li.setAttribute("aria-current", "step");
      steps.appendChild(li);
    });
  }

  function backButton(step) {
    return buttonEl("back", "‹ " + t("back"), function () {
      window.history.length > 1 && window.history.state ? window.history.back() : go(step);
    });
  }

  function drawItems(app) {
    if (!state.items) {
      app.appendChild(el("p", "muted", t("loading")));
      return;
    }
    if (!state.items.length) {
      app.appendChild(el("p", "empty", t("no_items")));
      return;
    }
    app.appendChild(el("h2", null, t("choose_item")));
    var search = el("input", "search");
    search.type = "search";
    search.id = "item-search";
    search.placeholder = t("search");
    search.setAttribute("aria-label", t("search"));
    search.value = state.filter;
    app.appendChild(search);
    var list = el("div", "items");
    list.id = "items";
    app.appendChild(list);
    function fill() {
      list.textContent = "";
      var q = state.filter.trim().toLowerCase();
      var groups = {};
      var order = [];
      state.items.forEach(function (item) {
        var hay = [name(item.name), item.name.zh, item.name.en, name(item.department), item.code]
          .join(" ")
          .toLowerCase();
        if (q && hay.indexOf(q) < 0) return;
        var dept = name(item.department);
        if (!groups[dept]) {
          groups[dept] = [];
          order.push(dept);
        }
        groups[dept].push(item);
      });
      if (!order.length) list.appendChild(el("p", "muted", t("no_match")));
      order.forEach(function (dept) {
        list.appendChild(auto(el("h3", "dept", dept)));
        groups[dept].forEach(function (item) {
          var b = buttonEl(
            "choice item",
            null,
            function () {
              chooseItem(item.code);
            },
            !item.bookable
          );
          b.dataset.item = item.code;
          b.appendChild(auto(el("span", "c-main", name(item.name))));
          if (!item.bookable) b.appendChild(el("span", "c-side", t("item_not_bookable")));
          list.appendChild(b);
        });
      });
    }
    search.addEventListener("input", function () {
      state.filter = search.value;
      fill();
    });
    fill();
  }

  function chosen(app, withTime) {
    var box = el("dl", "chosen");
    box.appendChild(el("dt", null, t("chosen_item")));
    box.appendChild(auto(el("dd", "chosen-item", name(state.item.name))));
    if (withTime && state.slot) {
      box.appendChild(el("dt", null, t("chosen_time")));
      box.appendChild(el("dd", "chosen-time", timeText(state.day, state.slot.start, state.slot.end)));
    }
    app.appendChild(box);
  }

  function drawDays(app) {
    app.appendChild(backButton(state.mode === "manage" ? "view" : "item"));
    if (state.mode === "manage") app.appendChild(el("h2", null, t("move_title")));
    chosen(app, false);
    app.appendChild(el("h2", null, t("choose_day")));
    if (!state.days) {
      app.appendChild(el("p", "muted", t("loading")));
      return;
    }
    var list = el("div", "days");
    list.id = "days";
    var any = false;
    state.days.forEach(function (d) {
      var ok = d.bookable && d.slots_left > 0;
      any = any || ok;
      var b = buttonEl(
        "choice day",
        null,
        function () {
          chooseDay(d.day);
        },
        !ok
      );
      b.dataset.day = d.day;
      b.appendChild(el("span", "c-main", dayText(d.day)));
      var working = !d.kind || /work|makeup/.test(d.kind);
      var side = ok
        ? t("left", { n: d.slots_left })
        : !working
          ? t("closed")
          : d.slots_left === 0
            ? t("full")
            : t("reason_cutoff");
      var kind = d.kind === "makeup" || d.kind === "makeup_workday" ? t("makeup_day") : "";
      if (d.kind === "weekend" || d.kind === "weekend_duty") kind = t("weekend_day");
      if (kind) b.appendChild(el("span", "c-kind", kind));
      b.appendChild(el("span", "c-side" + (ok ? " ok" : ""), side));
      list.appendChild(b);
    });
    app.appendChild(any ? list : el("p", "empty", t("no_days")));
  }

  function drawSlots(app) {
    app.appendChild(backButton("day"));
    chosen(app, false);
    app.appendChild(el("h2", "slot-day", dayText(state.day) + " · " + t("choose_slot")));
    if (!state.slots) {
      app.appendChild(el("p", "muted", t("loading")));
      return;
    }
    var current = state.mode === "manage" && state.appointment ? state.appointment.slot_start : null;
    var grid = el("div", "slots");
    grid.id = "slots";
    var any = false;
    state.slots.forEach(function (s) {
      var ok = s.bookable && s.left > 0 && s.start !== current;
      any = any || ok;
      var b = buttonEl(
        "slot",
        null,
        function () {
          chooseSlot(s);
        },
        !ok
      );
      b.dataset.start = s.start;
      b.appendChild(el("span", "s-time", hhmm(s.start) + "–" + hhmm(s.end)));
      var side = ok ? t("left", { n: s.left }) : t("reason_" + (s.reason || "full"));
      b.appendChild(el("span", "s-side", side));
      grid.appendChild(b);
    });
    app.appendChild(grid);
    if (!any) app.appendChild(el("p", "empty", t("no_slots")));
  }

  function field(form, key, type, hint, attrs) {
    var wrap = el("div", "field" + (state.errors[key] ? " has-error" : ""));
    wrap.dataset.field = key;
    var id = "f-" + key;
    var lab = el("label", null, t(key));
    lab.htmlFor = id;
    var input = el("input");
    input.id = id;
    input.name = key;
    input.type = type;
    input.value = state.form[key] || "";
    Object.keys(attrs || {}).forEach(function (a) {
      input.setAttribute(a, attrs[a]);
    });
    wrap.appendChild(lab);
    wrap.appendChild(input);
    if (state.errors[key]) {
      var err = el("p", "field-error", state.errors[key]);
      err.id = id + "-error";
      err.setAttribute("role", "alert");
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", err.id);
      wrap.appendChild(err);
    } else if (hint) {
      var h = el("p", "hint", t(hint));
      h.id = id + "-hint";
      input.setAttribute("aria-describedby", h.id);
      wrap.appendChild(h);
    }
    input.addEventListener("input", function () {
      if (state.errors[key]) {
        delete state.errors[key];
        wrap.classList.remove("has-error");
      }
    });
    form.appendChild(wrap);
  }

  function drawForm(app) {
    app.appendChild(backButton("slot"));
    chosen(app, true);
    var form = el("form", "book-form");
    form.id = "book-form";
    form.noValidate = true;
    form.appendChild(el("h2", null, t("your_info")));
    field(form, "name", "text", "name_hint", { autocomplete: "name", maxlength: "30" });
    field(form, "phone", "tel", "phone_hint", {
      autocomplete: "tel",
      inputmode: "numeric",
      maxlength: "13",
    });
    field(form, "id_number", "text", "id_hint", {
      autocomplete: "off",
      maxlength: "18",
      autocapitalize: "characters",
      spellcheck: "false",
    });
    form.appendChild(el("p", "privacy", t("privacy")));
    var submitButton = el("button", "primary", t(state.sending ? "submitting" : "submit"));
    submitButton.type = "submit";
    submitButton.id = "submit";
    submitButton.disabled = state.sending;
    submitButton.setAttribute("aria-busy", state.sending ? "true" : "false");
    form.appendChild(submitButton);
    form.addEventListener("submit", submit);
    app.appendChild(form);
  }

  function codeBlock(app, a) {
    var box = el("div", "code-box");
    box.appendChild(el("div", "code-label", t("code")));
    var code = el("div", "code", spaced(a.code));
    code.id = "code";
    code.dataset.code = a.code;
    box.appendChild(code);
    app.appendChild(box);
  }

  function details(app, a) {
    var dl = el("dl", "details");
    dl.appendChild(el("dt", null, t("chosen_item")));
    dl.appendChild(auto(el("dd", "d-item", name(a.item.name))));
    dl.appendChild(el("dt", null, t("chosen_time")));
    var when = el("dd", "d-time", timeText(a.day, a.slot_start, a.slot_end));
    when.id = "when";
    dl.appendChild(when);
    dl.appendChild(el("dt", null, t("who")));
    // each part isolated: a masked phone (138****1234) keeps its order beside an Uyghur name
    var who = "\u2068" + a.name_masked + "\u2069 · \u2066" + a.phone_masked + "\u2069";
    dl.appendChild(auto(el("dd", "d-who", who)));
    app.appendChild(dl);
  }

  function checkInLine(app, a) {
    var p = el(
      "p",
      "check-in",
      t("check_in", { from: hhmm(a.check_in_from), until: hhmm(a.check_in_until) })
    );
    p.id = "check-in";
    app.appendChild(p);
    app.appendChild(el("p", "hint", t("check_in_how")));
  }

  function drawDone(app) {
    var r = state.result;
    var a = r.appointment;
    app.appendChild(notice(t("done_title"), "ok"));
    codeBlock(app, a);
    checkInLine(app, a);
    details(app, a);
    var materials = state.materials[a.item.code] || [];
    if (materials.length) {
      app.appendChild(el("h3", null, t("materials")));
      var ul = el("ul", "materials");
      materials.forEach(function (m) {
        ul.appendChild(auto(el("li", null, m)));
      });
      app.appendChild(ul);
    }
    app.appendChild(el("p", "save", t("save_hint")));
    var link = el("a", "manage-link", t("manage_link"));
    link.id = "manage-link";
    link.href = r.manage_path + (state.lang !== "zh" ? "?lang=" + state.lang : "");
    app.appendChild(link);
    var url = el("p", "url", window.location.origin + r.manage_path);
    url.dir = "ltr";
    app.appendChild(url);
    app.appendChild(
      buttonEl("secondary", t("book_another"), function () {
        state.item = state.day = state.slot = state.result = null;
        state.errors = {};
        go("item");
      })
    );
    hallPhone(app);
  }

  function hallPhone(app) {
    var phone = state.hallInfo && state.hallInfo.supervision_phone;
    if (phone) app.appendChild(el("p", "muted foot", t("hall_phone", { phone: phone })));
  }

  function drawAppointment(app) {
    if (state.notFound) {
      app.appendChild(el("p", "empty", t("not_found")));
      return;
    }
    var a = state.appointment;
    if (!a) {
      app.appendChild(el("p", "muted", t("loading")));
      return;
    }
    var chip = el("p", "state s-" + a.state, t("state_" + a.state));
    chip.id = "state";
    chip.dataset.state = a.state;
    app.appendChild(chip);
    if (a.state === "booked") {
      codeBlock(app, a);
      checkInLine(app, a);
    }
    if (a.ticket_number) app.appendChild(el("p", "ticket", t("ticket", { number: a.ticket_number })));
    details(app, a);
    if (state.confirming === "cancel") {
      var box = el("div", "confirm");
      box.id = "cancel-confirm";
      box.appendChild(el("p", null, t("cancel_confirm")));
      var row = el("div", "row");
      var yes = buttonEl(
        "danger",
        t(state.sending ? "submitting" : "cancel_yes"),
        function () {
          change("cancel");
        },
        state.sending
      );
      yes.id = "cancel-yes";
      row.appendChild(yes);
      row.appendChild(
        buttonEl(
          "secondary",
          t("keep"),
          function () {
            state.confirming = null;
            render();
          },
          state.sending
        )
      );
      box.appendChild(row);
      app.appendChild(box);
    } else if (a.can_cancel || a.can_move) {
      var actions = el("div", "row actions");
      if (a.can_move) {
        var mv = buttonEl("secondary", t("move"), startMove);
        mv.id = "move";
        actions.appendChild(mv);
      }
      if (a.can_cancel) {
        var cancel = buttonEl("danger-outline", t("cancel"), function () {
          state.confirming = "cancel";
          state.message = "";
          render();
        });
        cancel.id = "cancel";
        actions.appendChild(cancel);
      }
      app.appendChild(actions);
    } else if (a.state === "booked") {
      app.appendChild(el("p", "muted", t("no_change")));
    }
    hallPhone(app);
  }

  function drawConfirm(app) {
    app.appendChild(backButton("slot"));
    var box = el("div", "confirm");
    box.id = "move-confirm";
    var when = timeText(state.day, state.slot.start, state.slot.end);
    box.appendChild(el("p", "big", t("move_confirm", { time: when })));
    var row = el("div", "row");
    var yes = buttonEl(
      "primary",
      t(state.sending ? "submitting" : "move_yes"),
      function () {
        change("move", state.slot.start);
      },
      state.sending
    );
    yes.id = "move-yes";
    row.appendChild(yes);
    row.appendChild(
      buttonEl(
        "secondary",
        t("cancel_move"),
        function () {
          state.confirming = null;
          state.slot = null;
          go("view");
        },
        state.sending
      )
    );
    box.appendChild(row);
    app.appendChild(box);
  }

  // ------------------------------------------------------------------ start
  window.addEventListener("popstate", function (ev) {
    var step = ev.state && ev.state.step;
    var first = state.mode === "manage" ? "view" : "item";
    if (state.sending) return;
    if (state.step === "done" && state.mode === "book") {
      go("item", false);
      return;
    }
    if (!step || (step !== first && !state.item)) step = first;
    if ((step === "slot" || step === "form" || step === "confirm") && !state.day) step = "day";
    if ((step === "form" || step === "confirm") && !state.slot) step = "slot";
    if (step === "done" && !state.result) step = first;
    state.step = step;
    state.message = "";
    render();
  });

  window.onestopBook = {
    state: state,
    TEXT: TEXT,
    t: t,
    render: render,
  };

  loadLanguage(pickLanguage()).then(function (catalog) {
    applyLanguage(catalog);
    state.step = state.mode === "manage" ? "view" : "item";
    window.history.replaceState({ step: state.step }, "");
    var first;
    if (state.mode === "manage") {
      first = loadAppointment().then(function () {
        if (state.hall) return loadCatalog();
      });
    } else if (!state.hall) {
      state.notFound = true;
      first = Promise.resolve();
    } else {
      first = Promise.all([
        loadItems().catch(function (err) {
          state.items = [];
          state.message = explain(err).text;
        }),
        loadCatalog(),
      ]);
    }
    render();
    first.then(function () {
      render();
      document.body.dataset.ready = "1";
    });
  });
})();
