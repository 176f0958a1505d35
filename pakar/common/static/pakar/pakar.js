/* PAKAR progressive enhancement. Every page works without this file. */
(function () {
  "use strict";
  var print = document.getElementById("print-receipt");
  if (print) {
    print.hidden = false;
    var hint = document.querySelector(".print-hint");
    if (hint) { hint.hidden = true; }
    print.addEventListener("click", function () { window.print(); });
  }
  var summary = document.getElementById("errors");
  if (summary) { summary.focus(); }
  var identity = document.getElementById("identity-fields");
  if (identity) {
    var sync = function () {
      var mode = document.querySelector("input[name=identity_mode]:checked");
      var anonymous = !!mode && mode.value === "anonymous";
      identity.hidden = anonymous;
      // Hidden fields are not sent either, so nothing typed earlier can trip a check the reporter cannot see.
      identity.querySelectorAll("input").forEach(function (i) { i.disabled = anonymous; });
    };
    document.querySelectorAll("input[name=identity_mode]").forEach(function (r) { r.addEventListener("change", sync); });
    sync();
  }
  // A second tap on "send" would abandon the first request, whose answer holds the
  // only copy of the access code. Allow one submission at a time.
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending) { event.preventDefault(); return; }
      form.dataset.sending = "1";
      setTimeout(function () { delete form.dataset.sending; }, 20000);
    });
  });
})();
