// Builds the web console into dist/console/: console/src/main.tsx (Preact) bundled by esbuild, plus its page,
// styles and icon. Nothing is fetched from elsewhere at run time.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist/console', { recursive: true, force: true });
mkdirSync('dist/console', { recursive: true });
await build({
  entryPoints: ['console/src/main.tsx'],
  bundle: true,
  format: 'esm',
  target: 'es2020',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: true,
  outfile: 'dist/console/main.js',
  logLevel: 'warning',
});
for (const f of ['index.html', 'style.css', 'favicon.svg']) copyFileSync(`console/${f}`, `dist/console/${f}`);
