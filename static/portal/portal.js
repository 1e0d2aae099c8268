// Workforce Portal: small progressive enhancements. No inline scripts anywhere (CSP-friendly).
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to a form's error summary so screen-reader and keyboard users hear what went wrong.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  // After a form posts, focus the message it left (a live region too), so the result is heard and seen first.
  var messages = document.getElementById("portal-messages");
  if (!summary && messages) { messages.focus(); }
  // A table marked .table-stack reads as a list below 768 px: each cell is labelled by its column's heading.
  document.querySelectorAll("table.table-stack").forEach(function (table) {
    var heads = [].map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      [].forEach.call(row.children, function (cell, i) {
        if (cell.tagName === "TD" && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", heads[i] || ""); }
      });
    });
  });
  // Links inside the summary focus the field they name.
  document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (target) { event.preventDefault(); target.focus(); target.scrollIntoView({block: "center"}); }
    });
  });
  // A table wider than its box scrolls sideways: the box then takes keyboard focus (arrow keys scroll it) and is
  // a region named after its table, so keyboard and screen-reader users can reach what is off to the side.
  function markScrollingTables() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        var table = box.querySelector("table");
        var caption = table && table.querySelector("caption");
        var labelledBy = table && table.getAttribute("aria-labelledby");
        var named = labelledBy && document.getElementById(labelledBy.split(" ")[0]);
        var name = (caption || named) ? (caption || named).textContent.trim() : "Table";
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", name + " (scrolls sideways)");
        box.setAttribute("data-scroll-marked", "");
      } else if (!scrolls && box.hasAttribute("data-scroll-marked")) {
        ["tabindex", "role", "aria-label", "data-scroll-marked"].forEach(function (a) { box.removeAttribute(a); });
      }
    });
  }
  markScrollingTables();
  window.addEventListener("resize", markScrollingTables);
  // "Add a day" (a formset's extra row): copies the formset's empty row, numbered, and counts it in TOTAL_FORMS.
  // Without JavaScript the button stays hidden and the spare rows the page comes with are used instead.
  document.querySelectorAll("[data-formset-add]").forEach(function (button) {
    var prefix = button.getAttribute("data-formset-add");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var rows = document.getElementById(button.getAttribute("data-formset-rows"));
    var template = document.getElementById(button.getAttribute("data-formset-template"));
    var max = parseInt(button.getAttribute("data-formset-max"), 10);
    if (!total || !rows || !template) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var n = parseInt(total.value, 10);
      if (n >= max) { button.disabled = true; return; }
      var html = template.innerHTML.replace(/__prefix__/g, String(n)).replace(/__number__/g, String(n + 1));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(n + 1);
      var first = rows.lastElementChild.querySelector("input");
      if (first) { first.focus(); }
      if (n + 1 >= max) { button.disabled = true; }
    });
  });
  // The catalogue's filters: folded behind "Filter (n applied)" on a phone, always shown on a wide screen.
  var wide = window.matchMedia("(min-width: 992px)");
  document.querySelectorAll("details.catalogue-filter-toggle").forEach(function (details) {
    function fit() { if (wide.matches) { details.open = true; } }
    fit();
    wide.addEventListener("change", fit);
  });
  // The session-timeout warning: two minutes before an idle session ends, say so and offer to stay signed in
  // (a request renews the session); when it has ended, say that and link to sign in again.
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-session-seconds") || "0", 10);
  var warning = document.getElementById("session-timeout");
  if (idle > 180 && warning) {
    var text = document.getElementById("session-timeout-text");
    var stay = document.getElementById("session-timeout-stay");
    var timers = [];
    var arm = function () {
      timers.forEach(clearTimeout);
      timers = [
        setTimeout(function () { warning.hidden = false; warning.focus(); }, (idle - 120) * 1000),
        setTimeout(function () {
          text.textContent = "You have been signed out because nothing happened for a while. ";
          var link = document.createElement("a");
          link.href = body.getAttribute("data-sign-in-url") + "?next=" + encodeURIComponent(location.pathname);
          link.textContent = "Sign in again";
          text.appendChild(link);
          stay.hidden = true;
        }, idle * 1000)
      ];
    };
    stay.addEventListener("click", function () {
      fetch(body.getAttribute("data-keep-alive-url"), {credentials: "same-origin"}).then(function (response) {
        if (response.ok) { warning.hidden = true; arm(); }
      });
    });
    arm();
  }
  // Buttons that ask before they act: <button data-confirm="Are you sure?">
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (event) {
      if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
});
