// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // Copy-to-clipboard buttons: <button data-copy="#input-id">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    var text = source.value || source.textContent;
    var done = function () {
      var status = button.getAttribute("data-copied") || "Copied";
      button.setAttribute("aria-live", "polite");
      var original = button.textContent;
      button.textContent = status;
      setTimeout(function () { button.textContent = original; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { source.select && source.select(); });
    } else if (source.select) {
      source.select();
      try { document.execCommand("copy"); done(); } catch (e) { /* leave it selected */ }
    }
  });

  // Forms that change something for everyone ask first: <form data-confirm="question">.
  // Without JavaScript the form simply submits.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // After an htmx swap, keep keyboard and screen-reader users in place: focus what asks for it
  // ([data-autofocus]), else the first field of a form that just opened, else (when the focused
  // button was swapped away) the new content itself.
  var swappedId = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    swappedId = event.detail.target && event.detail.target.id;
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = (swappedId && document.getElementById(swappedId)) || event.detail.target;
    swappedId = null;
    if (!target || !document.body.contains(target)) return;
    var focus = target.matches("[data-autofocus]") ? target : target.querySelector("[data-autofocus]");
    if (!focus && target.matches("form")) {
      focus = target.querySelector("input:not([type=hidden]), select, textarea");
    }
    var lost = !document.activeElement || document.activeElement === document.body;
    if (!focus && lost) {
      target.setAttribute("tabindex", "-1");
      focus = target;
    }
    if (focus) focus.focus();
  });

  // A form sent without htmx comes back as a whole new page when something is wrong: start
  // keyboard and screen-reader users at the problem instead of at the top of the page. The error
  // summary when there is one (#error-summary, else any .form-errors box), else the first field
  // marked invalid, whose aria-describedby reads out its error.
  function focusFormErrors() {
    var summary = document.querySelector("#error-summary") || document.querySelector(".form-errors");
    var target = summary || document.querySelector("[aria-invalid='true']");
    if (!target) return;
    if (target === summary && !summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
    target.focus();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusFormErrors);
  } else {
    focusFormErrors();
  }

  // A form that comes back to be corrected answers 422 (errors) or 409 (someone else saved
  // first; coconnect/htmx.py form_status). htmx 2 swaps no 4xx by default: swap these two like a
  // success, so the form shows its messages and keeps what was typed, and raise no error event.
  if (window.htmx) {
    htmx.config.responseHandling = [
      { code: "409", swap: true, error: false },
      { code: "422", swap: true, error: false },
    ].concat(htmx.config.responseHandling);
  }

  // A refused or failed htmx request (expired form, removed item, no connection) would otherwise
  // change nothing on screen: say so in the message area.
  function requestFailed() {
    var box = document.getElementById("messages");
    if (!box) return;
    var message = document.createElement("p");
    message.className = "message message--error";
    message.textContent = box.getAttribute("data-request-failed");
    box.replaceChildren(message);
  }
  document.addEventListener("htmx:responseError", requestFailed);
  document.addEventListener("htmx:sendError", requestFailed);
})();
