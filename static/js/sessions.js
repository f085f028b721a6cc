// Session form: typing a number of minutes picks "Andet" among the duration buttons, so the
// number is what gets saved. Everything else (the server draft) is htmx; the form works without
// this script, where a duration button wins unless "Andet" is chosen.
(function () {
  "use strict";
  function setup(root) {
    var scope = root && root.querySelectorAll ? root : document;
    scope.querySelectorAll("input.duration-other").forEach(function (input) {
      if (input.dataset.sessionReady) return;
      input.dataset.sessionReady = "1";
      input.addEventListener("input", function () {
        if (!input.value) return;
        var other = input.form && input.form.querySelector("input.duration-preset[value='other']");
        if (other && !other.checked) other.checked = true;
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { setup(document); });
  document.addEventListener("htmx:load", function (evt) { setup(evt.target); });
})();
