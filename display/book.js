/* Residents' appointments (预约), one page in two modes:
 *
 *   /book/<hall>        pick item -> day -> slot, give name and mobile, get the appointment code
 *   /a/<manage_token>   the appointment (masked), cancel it (with a confirm) or move it
 *
 * ES modules, no framework, no eval, no inline style (CSP script-src/style-src 'self'): this one
 * starts the page; book-core.js holds the state, texts, API and helpers, book-steps.js what each
 * step does, book-draw.js and book-manage.js the drawing. Texts: the "booking" catalogue
 * (i18n/messages/booking.pot and the .po files) through i18n.js (GET /i18n/booking/<lang>.json);
 * the Chinese table in book-texts.js is the fallback and must list every key of booking.pot.
 * Double-submit safe: one request id per form content, kept across retries (a network failure
 * or a second tap replays the same id, so the server books once); the button is disabled while
 * a request is in flight. The server's 4xx names the field; the message is shown next to it.
 */
import { TEXT } from "./book-texts.js";
import { applyLanguage, explain, loadLanguage, pickLanguage, state, t } from "./book-core.js";
import { go, loadAppointment, loadCatalog, loadItems } from "./book-steps.js";
import { render } from "./book-draw.js";

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
