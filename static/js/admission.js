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

  // --- the console: a refreshed waiting list keeps the keyboard where it was -------------------
  var focusedId = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "knocks") return;
    var active = document.activeElement;
    focusedId = active && target.contains(active) && active.id ? active.id : null;
  });
  document.addEventListener("htmx:afterSwap", function () {
    if (!focusedId) return;
    var again = document.getElementById(focusedId);
    // A decided person's buttons are gone: go on to the list itself, not to the top of the page.
    var list = document.getElementById("knocks");
    focusedId = null;
    if (again) {
      again.focus();
    } else if (list) {
      list.setAttribute("tabindex", "-1");
      list.focus();
    }
  });
})();
