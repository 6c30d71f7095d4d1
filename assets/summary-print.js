/* The summary page's one-pager (issue 5). While the page is printed (the browser's print menu, the "Print / save as
 * PDF" button, or a headless print to PDF, which all fire `beforeprint`), each chart is scaled down with CSS zoom to
 * the print column and restored afterwards: zoom is applied synchronously by the print layout, whereas a plotly
 * redraw would not finish before the page is printed. Dash serves this file on every page; it acts only on the
 * summary page's charts. */
(function () {
    var PRINT_WIDTH = 345;   // px: a chart's width in the two-column print layout (assets/print.css)
    var PRINT_HEIGHT = 150;  // px: its height, so that the summary fits on two pages

    function figures() {
        return Array.prototype.slice.call(document.querySelectorAll('.summary-page .chart-card [role=figure]'));
    }

    function fit() {
        figures().forEach(function (box) {
            var width = box.offsetWidth, height = box.offsetHeight;
            if (!width || !height) { return; }
            box.style.width = width + 'px';
            box.style.zoom = String(Math.min(1, PRINT_WIDTH / width, PRINT_HEIGHT / height));
        });
    }

    function restore() {
        figures().forEach(function (box) {
            box.style.width = '';
            box.style.zoom = '';
        });
    }

    window.addEventListener('beforeprint', fit);
    window.addEventListener('afterprint', restore);

    window.dash_clientside = window.dash_clientside || {};
    window.dash_clientside.summary = {
        print: function (n) {
            if (n) { window.print(); }
            return window.dash_clientside.no_update;
        }
    };
})();
