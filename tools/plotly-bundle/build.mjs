// Builds ../../dashboard/vendor/plotly-dashboard.min.js from index.js with the pinned plotly.js and esbuild.
// Options follow plotly.js's own esbuild-config.js (an IIFE defining the global `Plotly`, `global` as `window`).
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const version = require('plotly.js/package.json').version;
const outfile = fileURLToPath(new URL('../../dashboard/vendor/plotly-dashboard.min.js', import.meta.url));

await build({
    entryPoints: [fileURLToPath(new URL('./index.js', import.meta.url))],
    outfile,
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    legalComments: 'eof',
    target: 'es2016',
    define: { global: 'window', 'define.amd': 'false' },
    // plotly's registry imports maplibre's stylesheet for map subplots, which this bundle has none of.
    loader: { '.css': 'empty' },
    banner: {
        js: `/*! plotly.js v${version} (MIT, Plotly Inc.): bar, heatmap, choropleth, scattergeo and the core; ` +
            'built by tools/plotly-bundle */',
    },
    logLevel: 'info',
});
