// The EN/FR switch in the header (issue 16) opens this very view in the other language. Pages that keep their
// view in the address without telling Dash (explore's filters, the presentation's slide use history.replaceState)
// would leave the switch's address behind, so it is brought up to date from the address bar whenever a reader is
// about to follow or copy it.
(function () {
  "use strict";
  function refresh(event) {
    var link = event.target && event.target.closest ? event.target.closest("#lang-switch") : null;
    if (!link) { return; }
    var lang = link.getAttribute("hreflang") || "en";
    var params = new URLSearchParams(window.location.search);
    params.set("lang", lang);
    link.setAttribute("href", window.location.pathname + "?" + params.toString());
  }
  ["mousedown", "click", "auxclick", "contextmenu", "focusin", "keydown", "touchstart"].forEach(function (name) {
    document.addEventListener(name, refresh, true);
  });
}());
