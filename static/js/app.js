// Familieværft – small progressive enhancements. Every page works without this script.
(function () {
  "use strict";

  // Keep a half-written form in this browser until it is submitted: <form data-autosave="key">.
  // CPR numbers and passwords are never stored.
  function skip(el) {
    return !el.name || el.type === "password" || el.type === "hidden" || /cpr/i.test(el.name);
  }
  function storageKey(form) { return "fv-draft:" + form.dataset.autosave; }
  function restore(form) {
    var raw = window.localStorage.getItem(storageKey(form));
    if (!raw) return;
    var data;
    try { data = JSON.parse(raw); } catch (e) { return; }
    var restored = false;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (skip(el) || !(el.name in data) || el.value) return;
      if (el.type === "checkbox" || el.type === "radio") return;
      el.value = data[el.name];
      restored = true;
    });
    if (restored) {
      var note = form.querySelector("[data-autosave-note]");
      if (note) note.hidden = false;
    }
  }
  function save(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!skip(el) && el.type !== "checkbox" && el.type !== "radio" && el.value) data[el.name] = el.value;
    });
    window.localStorage.setItem(storageKey(form), JSON.stringify(data));
  }
  function setup(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("form[data-autosave]").forEach(function (form) {
      if (form.dataset.autosaveReady) return;
      form.dataset.autosaveReady = "1";
      restore(form);
      form.addEventListener("input", function () { save(form); });
      form.addEventListener("submit", function () { window.localStorage.removeItem(storageKey(form)); });
    });
    // A form that came back with errors: move focus to the summary so screen readers hear it.
    var summary = document.getElementById("form-errors");
    if (summary && root === document) summary.focus();
  }
  document.addEventListener("DOMContentLoaded", function () { setup(document); });
  document.addEventListener("htmx:load", function (evt) { setup(evt.target); });

  // The network map on a phone (network.css): drawn at a readable size in a box that pans,
  // centred on the child; a button fits the whole map to the screen and back.
  function centre(map) {
    map.scrollLeft = (map.scrollWidth - map.clientWidth) / 2;
    map.scrollTop = (map.scrollHeight - map.clientHeight) / 2;
  }
  function setupMaps(root) {
    (root.querySelectorAll ? root : document).querySelectorAll(".network-map--zoom").forEach(function (map) {
      if (map.dataset.zoomReady) return;
      map.dataset.zoomReady = "1";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "network-zoom";
      button.textContent = map.dataset.fitLabel;
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", function () {
        var fit = map.classList.toggle("network-map--fit");
        button.setAttribute("aria-pressed", fit ? "true" : "false");
        if (!fit) centre(map);
      });
      map.parentNode.insertBefore(button, map);
      centre(map);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { setupMaps(document); });
  document.addEventListener("htmx:load", function (evt) { setupMaps(evt.target); });

  // The tabs of a case scroll sideways on a narrow screen: keep the current one in view.
  function showCurrentTab() {
    var current = document.querySelector(".tabs [aria-current]");
    var row = current && current.closest(".tabs");
    if (!row || row.scrollWidth <= row.clientWidth) return;
    var item = current.parentElement;
    row.scrollLeft = item.offsetLeft - (row.clientWidth - item.offsetWidth) / 2;
  }
  document.addEventListener("DOMContentLoaded", showCurrentTab);
  document.addEventListener("htmx:afterSettle", showCurrentTab);

  // A table wider than its scrolling box shows its hint (data-scroll-hint names it).
  function showScrollHints() {
    document.querySelectorAll("[data-scroll-hint]").forEach(function (box) {
      var hint = document.getElementById(box.dataset.scrollHint);
      if (hint) { hint.hidden = box.scrollWidth <= box.clientWidth + 1; }
    });
  }
  document.addEventListener("DOMContentLoaded", showScrollHints);
  window.addEventListener("resize", showScrollHints);
})();
