/* Drawing the booking steps: languages, the step bar, items, days, slots and the form. */
import {
  $,
  auto,
  buttonEl,
  dayText,
  el,
  hhmm,
  name,
  notice,
  state,
  switchLanguage,
  t,
  timeText,
} from "./book-core.js";
import { chooseDay, chooseItem, chooseSlot, go, submit } from "./book-steps.js";
import { drawAppointment, drawConfirm, drawDone } from "./book-manage.js";

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

export {
  backButton,
  chosen,
  drawDays,
  drawForm,
  drawItems,
  drawLanguages,
  drawSlots,
  drawSteps,
  field,
  render,
};
