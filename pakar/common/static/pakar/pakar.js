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
    var radios = document.querySelectorAll("input[name=identity_mode]");
    var sync = function () {
      var anon = document.querySelector("input[name=identity_mode]:checked");
      identity.hidden = !!anon && anon.value === "anonymous";
    };
    radios.forEach(function (r) { r.addEventListener("change", sync); });
    sync();
  }
})();
