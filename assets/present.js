/* Presentation mode (/present, issue 5): keys and buttons move between slides, `n` toggles speaker notes,
 * `f` toggles full screen, and every slide has its own URL (history.pushState).
 *
 * Dash serves every script in assets/ on every page: this one does nothing unless the presentation
 * (#present, with its slides) is on the page. It never handles a key typed in a form field. The IDs are
 * those of dashboard/ids.py (PRESENT_*).
 */
(function () {
  "use strict";

  var ROOT = "present";
  var SLIDE = ".present-slide";
  var NOTES_ON = "present-notes-on";

  function root() {
    var r = document.getElementById(ROOT);
    return r && r.querySelector(SLIDE) ? r : null;
  }

  function slides(r) {
    return Array.prototype.slice.call(r.querySelectorAll(SLIDE));
  }

  function current(r) {
    return parseInt(r.getAttribute("data-current"), 10) || 1;
  }

  function urlFor(r, n, lang) {
    var params = new URLSearchParams(window.location.search);
    params.set("deck", r.getAttribute("data-deck"));
    params.set("slide", String(n));
    params.set("lang", lang || r.getAttribute("data-lang"));
    return window.location.pathname + "?" + params.toString();
  }

  function setText(el, text) {
    // Change the text node React rendered rather than replacing it, so a later re-render stays in step.
    if (!el) return;
    if (el.firstChild && el.firstChild.nodeType === 3 && el.childNodes.length === 1) {
      el.firstChild.nodeValue = text;
    } else {
      el.textContent = text;
    }
  }

  function show(r, n, push) {
    var all = slides(r);
    var total = all.length;
    if (!total) return;
    n = Math.max(1, Math.min(total, n));
    var before = current(r);
    all.forEach(function (s, i) {
      s.hidden = i + 1 !== n;
    });
    r.setAttribute("data-current", String(n));
    var counter = r.getAttribute("data-counter") || "{n} / {total}";
    setText(document.getElementById("present-counter"), counter.replace("{n}", n).replace("{total}", total));
    var live = document.getElementById("present-live");
    if (live) live.textContent = all[n - 1].getAttribute("aria-label") || "";
    var prev = document.getElementById("present-prev");
    var next = document.getElementById("present-next");
    if (prev) prev.setAttribute("aria-disabled", String(n === 1));
    if (next) next.setAttribute("aria-disabled", String(n === total));
    Array.prototype.forEach.call(r.querySelectorAll("a.present-lang"), function (a) {
      a.setAttribute("href", urlFor(r, n, a.getAttribute("hreflang")));
    });
    if (push && n !== before) {
      window.history.pushState({ presentSlide: n }, "", urlFor(r, n));
    }
    // A chart laid out while its slide was hidden fits its slide once shown.
    window.dispatchEvent(new Event("resize"));
  }

  function toggleNotes(r) {
    var on = r.classList.toggle(NOTES_ON);
    var button = document.getElementById("present-notes-toggle");
    if (button) button.setAttribute("aria-pressed", String(on));
  }

  function toggleFullscreen() {
    var d = document;
    var request = d.fullscreenElement ? d.exitFullscreen : d.documentElement.requestFullscreen;
    if (!request) return;
    var result = request.call(d.fullscreenElement ? d : d.documentElement);
    if (result && typeof result.catch === "function") {
      result.catch(function () {
        /* refused (no user gesture, or not allowed): nothing to do */
      });
    }
  }

  function isField(el) {
    if (!el || !el.tagName) return false;
    return el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName);
  }

  document.addEventListener("keydown", function (e) {
    var r = root();
    if (!r || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || isField(e.target)) return;
    var onControl = e.target && e.target.closest && e.target.closest("button, a, summary, [role='button']");
    var n = current(r);
    var total = slides(r).length;
    switch (e.key) {
      case "ArrowRight":
      case "PageDown":
        show(r, n + 1, true);
        break;
      case " ":
      case "Spacebar":
        if (onControl) return; // Space on a button presses it
        show(r, e.shiftKey ? n - 1 : n + 1, true);
        break;
      case "ArrowLeft":
      case "PageUp":
        show(r, n - 1, true);
        break;
      case "Home":
        show(r, 1, true);
        break;
      case "End":
        show(r, total, true);
        break;
      case "n":
      case "N":
        toggleNotes(r);
        break;
      case "f":
      case "F":
        toggleFullscreen();
        break;
      default:
        return;
    }
    e.preventDefault();
  });

  document.addEventListener("click", function (e) {
    var r = root();
    if (!r || !e.target || !e.target.closest) return;
    var button = e.target.closest("#present-prev, #present-next, #present-notes-toggle, #present-fullscreen");
    if (!button) return;
    if (button.id === "present-prev") show(r, current(r) - 1, true);
    else if (button.id === "present-next") show(r, current(r) + 1, true);
    else if (button.id === "present-notes-toggle") toggleNotes(r);
    else toggleFullscreen();
  });

  window.addEventListener("popstate", function () {
    var r = root();
    if (!r) return;
    var params = new URLSearchParams(window.location.search);
    if (params.get("deck") !== r.getAttribute("data-deck") || !params.has("slide")) return;
    show(r, parseInt(params.get("slide"), 10) || 1, false);
  });
})();
