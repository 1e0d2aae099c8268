/* The Board report status page: poll the report's status until it is ready or failed, and update the
   page without reloading (the status region is aria-live, so screen readers hear the change). */
(function () {
  "use strict";
  var root = document.querySelector("[data-report-status-url]");
  if (!root) { return; }
  var url = root.getAttribute("data-report-status-url");
  var label = root.querySelector("[data-report-status-label]");
  var detail = root.querySelector("[data-report-status-detail]");
  var download = document.querySelector("[data-report-download]");
  var error = document.querySelector("[data-report-error]");
  var delay = 1500;

  function show(data) {
    root.setAttribute("data-status", data.status);
    label.textContent = data.status_label;
    label.className = "report-status report-status-" + data.status;
    if (data.status === "ready" && download) {
      download.querySelector("a").setAttribute("href", data.download_url);
      download.hidden = false;
      detail.textContent = "The report is ready to download.";
    } else if (data.status === "failed") {
      detail.textContent = "The report could not be made.";
      if (error) { error.hidden = false; error.querySelector("[data-report-error-text]").textContent = data.error; }
    } else if (data.status === "rendering") {
      detail.textContent = "The report is being made. This page updates by itself.";
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
