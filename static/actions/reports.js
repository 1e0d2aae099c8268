/* The Board report status page: poll the report's status until it is ready or failed, and update the
   page without reloading (the status region is aria-live, so screen readers hear the change). The server
   renders the status text and the rest of the page's live part (download, what went wrong, file size and
   checksum, Regenerate) from the same templates as the page, so an update shows what a reload would. */
(function () {
  "use strict";
  var root = document.querySelector("[data-report-status-url]");
  if (!root) { return; }
  var url = root.getAttribute("data-report-status-url");
  var label = root.querySelector("[data-report-status-label]");
  var detail = root.querySelector("[data-report-status-detail]");
  var live = document.querySelector("[data-report-live]");
  var delay = 1500;
  var shownHtml = null;

  function show(data) {
    root.setAttribute("data-status", data.status);
    if (label.textContent !== data.status_label) { label.textContent = data.status_label; }
    label.className = "report-status report-status-" + data.status;
    if (detail.textContent.trim() !== data.detail) { detail.textContent = data.detail; }
    if (live && shownHtml !== data.panel_html) {
      live.innerHTML = data.panel_html;  // rendered and escaped by the server's templates
      shownHtml = data.panel_html;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (data) {
        show(data);
        if (!data.finished) { window.setTimeout(poll, delay); }
      })
      .catch(function () { delay = Math.min(delay * 2, 15000); window.setTimeout(poll, delay); });
  }

  if (root.getAttribute("data-status") !== "ready" && root.getAttribute("data-status") !== "failed") {
    window.setTimeout(poll, delay);
  }
}());
