// The register's "tick everyone not marked yet" box: shown only when JavaScript runs (without it each row is
// ticked by hand). It never ticks someone already marked: changing a mark is that person's own button.
(function () {
  "use strict";
  var all = document.getElementById("register-select-all");
  if (!all) { return; }
  var ticks = Array.prototype.slice.call(document.querySelectorAll(".register-tick"));
  var unmarked = ticks.filter(function (t) { return t.classList.contains("register-unmarked"); });
  if (!unmarked.length) { return; }
  all.hidden = false;
  all.addEventListener("change", function () {
    unmarked.forEach(function (tick) { tick.checked = all.checked; });
  });
  ticks.forEach(function (tick) {
    tick.addEventListener("change", function () {
      var ticked = unmarked.filter(function (t) { return t.checked; }).length;
      all.checked = ticked === unmarked.length;
      all.indeterminate = ticked > 0 && ticked < unmarked.length;
    });
  });
})();
