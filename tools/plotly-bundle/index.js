'use strict';
// plotly.js for the dashboard: the core (scatter, the axes, legends, hover, error bars, the mode bar) and the trace
// types that dashboard/figures emits. Add a trace type here when a figure builder starts to use one, then rebuild
// (README.md in this folder); tests/browser/test_plotly_bundle.py fails on a trace type missing here.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/choropleth'),
    require('plotly.js/lib/scattergeo'),
]);

module.exports = Plotly;
