/* What the booking page does: the steps of a booking (item -> day -> slot -> form -> done) and
 * of managing one (view, cancel, move), each loading what it needs and drawing again.
 */
import {
  $,
  ID_NUMBER,
  PHONE,
  SLOT_ERRORS,
  api,
  explain,
  hallApi,
  newRequestId,
  state,
  t,
} from "./book-core.js";
import { render } from "./book-draw.js";

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

export {
  change,
  checkForm,
  chooseDay,
  chooseItem,
  chooseSlot,
  focusFirstError,
  go,
  loadAppointment,
  loadCatalog,
  loadDays,
  loadItems,
  loadSlots,
  readForm,
  startMove,
  submit,
};
