// Pulse form: show how many statements are answered. The form works the same without this file.
(function () {
  "use strict";
  function update(form) {
    var groups = form.querySelectorAll("fieldset.health-statement");
    var done = 0;
    groups.forEach(function (group) {
      if (group.querySelector("input[type=radio]:checked")) done += 1;
      group.classList.toggle("health-statement--done", !!group.querySelector("input[type=radio]:checked"));
    });
    var out = form.querySelector("[data-health-progress]");
    if (!out) return;
    out.hidden = false;
    out.textContent = out.getAttribute("data-template")
      .replace("{done}", String(done))
      .replace("{total}", String(groups.length));
  }
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-health-pulse]");
    if (form) update(form);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-health-pulse]").forEach(update);
  });
})();
