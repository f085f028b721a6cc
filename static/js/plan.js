// Familieværft – the plan page in a meeting. Every form works without this script; with it,
// htmx swaps the updated section in place and the server says (HX-Trigger-After-Settle)
// where the focus goes next and what a screen reader should hear.
(function () {
  "use strict";

  var FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";

  function announce(message) {
    var live = document.getElementById("plan-live");
    if (!live || !message) return;
    // Emptied first so the same message twice ("Målet er tilføjet") is read twice.
    live.textContent = "";
    window.setTimeout(function () { live.textContent = message; }, 60);
  }

  function focusOn(selector) {
    var el = selector && document.querySelector(selector);
    if (!el) return;
    var details = el.closest("details");
    if (details && !details.open) details.open = true;
    if (!el.matches(FOCUSABLE)) el.setAttribute("tabindex", "-1");
    el.focus();
  }

  document.addEventListener("plan:focus", function (evt) { focusOn(evt.detail && evt.detail.selector); });
  document.addEventListener("plan:announce", function (evt) { announce(evt.detail && evt.detail.message); });

  // Escape in an inline edit form restores the text as it was (the form's "Annullér").
  document.addEventListener("keydown", function (evt) {
    if (evt.key !== "Escape" || !evt.target.closest) return;
    var form = evt.target.closest("form[data-inline-edit]");
    var cancel = form && form.querySelector("[data-cancel]");
    if (!cancel) return;
    evt.preventDefault();
    cancel.click();
  });

  // The print view's button (hidden until this script can make it work).
  document.addEventListener("click", function (evt) {
    var button = evt.target.closest && evt.target.closest("[data-print]");
    if (!button) return;
    evt.preventDefault();
    window.print();
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) { button.hidden = false; });
    // A form page that came back with errors: the summary gets the focus.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  });
})();
