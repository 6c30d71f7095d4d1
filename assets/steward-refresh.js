// The steward's upload page while a check or a preparation runs (issue 17): ask the page's progress JSON every
// two seconds and reload the page when its state or stage changed, so the report appears when the job ends.
// It replaces a <meta http-equiv="refresh">, which reloads on a timer the reader does not control (WCAG 2.2.1).
// Served from assets/ but kept off the Dash pages (assets_ignore in dashboard/webapp.py).
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-progress");
  if (!url) { return; }
  var seen = null;
  var every = 2000;
  function key(data) {
    var p = data.progress || {};
    return [data.state, p.state, p.step, p.stage].join("|");
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var now = key(data);
        if (seen !== null && now !== seen) { window.location.reload(); return; }
        seen = now;
        window.setTimeout(poll, every);
      })
      .catch(function () { window.setTimeout(poll, every * 2); });
  }
  window.setTimeout(poll, every);
}());
