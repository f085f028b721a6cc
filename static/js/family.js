// The family portal: starts Det Fælles Designsystem's components (static/vendor/dkfds: the
// accordions, closable alerts, the error summary) once the page is parsed.
(function () {
  "use strict";
  function start() {
    if (window.DKFDS && typeof window.DKFDS.init === "function") {
      window.DKFDS.init();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
