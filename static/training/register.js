// The register's "tick everyone" box: shown only when JavaScript runs (without it each row is ticked by hand).
(function () {
  "use strict";
  var all = document.getElementById("register-select-all");
  if (!all) { return; }
  var ticks = Array.prototype.slice.call(document.querySelectorAll(".register-tick"));
  all.hidden = false;
  all.addEventListener("change", function () {
    ticks.forEach(function (tick) { tick.checked = all.checked; });
  });
  ticks.forEach(function (tick) {
    tick.addEventListener("change", function () {
      var ticked = ticks.filter(function (t) { return t.checked; }).length;
      all.checked = ticked === ticks.length;
      all.indeterminate = ticked > 0 && ticked < ticks.length;
    });
  });
})();
