// A page's view lives in its address (explore's filters, the network page's choice) with the page's language
// (``lang=``): a copied link, a reload or the EN/FR switch reopens both. Pages call this as a clientside
// callback (``ClientsideFunction("address", "keep")``) whenever their view changes; history.replaceState, so the
// back button is not filled with every click.
(function () {
  "use strict";
  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.address = {
    // ``view``: a whole query ("?wave=2024&role=other") or an object whose keys replace those of the address.
    keep: function (view) {
      var params;
      if (typeof view === "string" && view.startsWith("?")) {
        params = new URLSearchParams(view);
      } else if (view && typeof view === "object") {
        params = new URLSearchParams(window.location.search);
        Object.keys(view).forEach(function (key) { params.set(key, String(view[key])); });
      } else {
        return "";
      }
      params.set("lang", document.documentElement.lang || "en");
      window.history.replaceState(null, "", window.location.pathname + "?" + params.toString());
      return "";
    }
  };
}());
