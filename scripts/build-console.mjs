// Builds the web console into dist/console/: console/app.ts bundled by esbuild, plus its page and styles.
import { copyFileSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

mkdirSync('dist/console', { recursive: true });
await build({
  entryPoints: ['console/app.ts'],
  bundle: true,
  format: 'esm',
  target: 'es2020',
  minify: true,
  sourcemap: true,
  outfile: 'dist/console/app.js',
  logLevel: 'warning',
});
for (const f of ['index.html', 'style.css']) copyFileSync(`console/${f}`, `dist/console/${f}`);
