// Knock and admit (workshops/admission.py). Every page works without this file: the waiting page
// has a "check now" link, the console's buttons are plain forms.
(function () {
  "use strict";

  // --- the waiting phone: ask for the knock's outcome every few seconds ------------------------
  var wait = document.querySelector("[data-knock-wait]");
  if (wait) {
    var statusUrl = wait.getAttribute("data-status-url");
    var pollMs = (parseFloat(wait.getAttribute("data-poll-seconds")) || 2) * 1000;
    var region = document.getElementById("knock-status");
    var check = wait.querySelector("[data-knock-check]");
    var timer = null;

    var schedule = function (ms) {
      clearTimeout(timer);
      timer = setTimeout(ask, ms);
    };

    var ask = function () {
      fetch(statusUrl, { cache: "no-store", credentials: "same-origin" })
        .then(function (response) {
          if (response.status === 204) {
            // This browser holds no knock any more: the page shows the way in again.
            window.location.reload();
            return null;
          }
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          if (html === null) return;
          var state = new DOMParser().parseFromString(html, "text/html").querySelector("[data-state]");
          if (!state) throw new Error("no state");
          var name = state.getAttribute("data-state");
          var current = region.querySelector("[data-state]");
          if (!current || current.getAttribute("data-state") !== name) {
            // Only a change reaches the live region, so a screen reader hears it once.
            region.replaceChildren(document.importNode(state, true));
          }
          var go = state.getAttribute("data-go");
          if (go) {
            window.location.replace(go);
          } else if (name === "waiting") {
            schedule(pollMs);
          } else if (check) {
            check.remove();
          }
        })
        .catch(function () { schedule(pollMs * 2); });  // offline a moment: keep asking, slower
    };

    schedule(pollMs);
  }

  // --- the console: ask for the waiting list every few seconds --------------------------------
  // Not an htmx trigger: htmx would announce each swap and app.js would then move the focus to the
  // list. A new list replaces the old one quietly; a control that is in both keeps the focus.
  function replaceKnocks(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("knocks");
    var current = document.getElementById("knocks");
    if (!fresh || !current) return null;
    var active = document.activeElement;
    var focusedId = active && current.contains(active) && active.id ? active.id : null;
    var node = document.importNode(fresh, true);
    current.replaceWith(node);
    if (window.htmx) window.htmx.process(node);
    var again = focusedId && document.getElementById(focusedId);
    if (again) again.focus();
    return node;
  }

  function pollKnocks() {
    // Looked up each time: the console's own refresh may have replaced the section.
    var list = document.getElementById("knocks");
    var url = list && list.getAttribute("data-poll-url");
    if (!url) return;  // the door is shut: nothing to ask
    var seconds = parseFloat(list.getAttribute("data-poll-seconds")) || 3;
    fetch(url, { cache: "no-store", credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) {
        if (response.status === 204) return null;
        if (response.status !== 200 && response.status !== 286) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) { if (html) replaceKnocks(html); })
      .catch(function () { /* a moment offline: the next round asks again */ })
      .then(function () { setTimeout(pollKnocks, seconds * 1000); });
  }
  if (document.getElementById("knocks")) {
    setTimeout(pollKnocks, (parseFloat(document.getElementById("knocks").getAttribute("data-poll-seconds")) || 3) * 1000);
  }

  // A decision (htmx) swaps the list: the decided person's buttons are gone, so the keyboard goes
  // on to the list itself rather than to the top of the page.
  var decidedFocus = false;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "knocks") return;
    var active = document.activeElement;
    decidedFocus = !!(active && target.contains(active));
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!decidedFocus) return;
    decidedFocus = false;
    var list = document.getElementById("knocks");
    if (!list) return;
    list.setAttribute("tabindex", "-1");
    list.focus();
  });
})();
