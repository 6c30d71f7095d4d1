// A page's callbacks speak the page's language (issue 16): every request this page makes to the app's Dash
// routes (/_dash-layout, /_dash-update-component, ...) names it in the X-Dashboard-Language header, taken from the
// address bar's ?lang= or else the page's <html lang>. Without it they would follow the lang cookie, which another
// tab may have changed, or which the browser may refuse to keep.
(function () {
  "use strict";
  var LANGUAGES = ["en", "fr"];
  function pageLanguage() {
    var asked = (new URLSearchParams(window.location.search).get("lang") || "").slice(0, 2).toLowerCase();
    if (LANGUAGES.indexOf(asked) >= 0) { return asked; }
    var html = (document.documentElement.getAttribute("lang") || "").slice(0, 2).toLowerCase();
    return LANGUAGES.indexOf(html) >= 0 ? html : null;
  }
  function ours(url) {
    try {
      var target = new URL(url, window.location.href);
      return target.origin === window.location.origin && target.pathname.indexOf("/_dash-") >= 0;
    } catch (error) {
      return false;
    }
  }
  var original = window.fetch;
  if (typeof original !== "function") { return; }
  window.fetch = function (resource, init) {
    var url = typeof resource === "string" ? resource : (resource && resource.url) || "";
    var lang = pageLanguage();
    if (lang && ours(url)) {
      init = Object.assign({}, init || {});
      var headers = new Headers(init.headers || (typeof resource !== "string" && resource.headers) || {});
      headers.set("X-Dashboard-Language", lang);
      init.headers = headers;
    }
    return original.call(this, resource, init);
  };
}());
