/* Drawing the results: the appointment code, the booked appointment (manage mode) and the
 * confirmation of a cancel or a move.
 */
import { auto, buttonEl, el, hhmm, name, notice, spaced, state, t, timeText } from "./book-core.js";
import { change, go, startMove } from "./book-steps.js";
import { backButton, render } from "./book-draw.js";

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
  var p = el("p", "check-in", t("check_in", { from: hhmm(a.check_in_from), until: hhmm(a.check_in_until) }));
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

export { checkInLine, codeBlock, details, drawAppointment, drawConfirm, drawDone, hallPhone };
