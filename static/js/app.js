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

  // After an htmx swap, move focus to the first element that asks for it, for keyboard users.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target) return;
    var focus = target.querySelector("[data-autofocus]");
    if (focus) focus.focus();
  });
})();
