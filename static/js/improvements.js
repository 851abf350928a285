// Progressive enhancement for the position form: the conditions/objection field is asked for
// only when it matters. Without this file the form works the same; the server checks it.
(function () {
  "use strict";
  function sync(form) {
    var checked = form.querySelector('input[name="stance"]:checked');
    var text = form.querySelector('textarea[name="text"]');
    if (!text) return;
    var needed = checked && (checked.value === "conditions" || checked.value === "objects");
    var field = text.closest(".form-field");
    if (field) field.hidden = !needed && !text.value;
    text.required = !!needed;
  }
  function init(root) {
    root.querySelectorAll(".position-form").forEach(function (form) {
      sync(form);
      form.addEventListener("change", function () { sync(form); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function () { init(document); });
})();
