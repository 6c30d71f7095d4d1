// The steward's upload page while a check or a preparation runs (issue 17): ask the page's progress JSON every
// two seconds and reload the page when its state or stage changed, so the report appears when the job ends.
// It replaces a <meta http-equiv="refresh">, which reloads on a timer the reader does not control (WCAG 2.2.1).
// Served from assets/ but kept off the Dash pages (assets_ignore in dashboard/webapp.py).
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-progress");
  if (!url) { return; }
  // What the page shows now (the server's key: state, progress state, step, stage): another key means there is
  // more to show, including a job that ended before the first question.
  var seen = script.getAttribute("data-shown") || "";
  var every = 2000;
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        if (data.key !== seen) { window.location.reload(); return; }
        window.setTimeout(poll, every);
      })
      .catch(function () { window.setTimeout(poll, every * 2); });
  }
  window.setTimeout(poll, every);
}());
