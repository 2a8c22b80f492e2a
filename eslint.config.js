// `npm run lint` (run by CI): typescript-eslint's recommended rules, and the layering of
// docs/architecture.md ("Layers") as import rules, so that the arrows outlive any review.
import tseslint from 'typescript-eslint';

const DIALECTS = ['zego', 'tencent-ivh', 'openai', 'elevenlabs', 'heygen', 'mistral', 'native'];

/** Import patterns a file under `from` may not use, with why. */
const forbid = (files, patterns, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }] },
});

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'packages/*/dist/**', 'packages/client/src/schema.ts', 'console/dist/**', 'bench/.work/**', 'test/**/.examples-*/**', '**/*.js', '**/*.mjs'],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      // The store and the dialects read rows and wire bodies whose shapes are checked at their edges.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  // No dialect imports another dialect: shared edge pieces live in src/dialects/*.ts.
  ...DIALECTS.map((d) =>
    forbid(
      [`src/dialects/${d}/**/*.ts`],
      DIALECTS.filter((o) => o !== d).map((o) => `../${o}/*`),
      'a dialect does not import another dialect: move what both need to src/dialects/ (the shared edge)',
    ),
  ),
  // The core and the store know nothing of the dialects, the gateway, the CLI or the HTTP service.
  forbid(
    ['src/core/**/*.ts', 'src/store/**/*.ts', 'src/files/**/*.ts', 'src/limits/**/*.ts', 'src/outbound/**/*.ts'],
    ['**/dialects/*', '**/dialects/**', '**/upstream/**', '**/cli/**', '**/app.js', '**/server.js', '**/console.js'],
    'the core, the store, files, limits and the outbound guard sit below the dialects, the gateway and the CLI',
  ),
  // The outbound guard is a leaf: it takes its policy, not the services.
  forbid(['src/outbound/**/*.ts'], ['**/services.js', '**/store/**'], 'the outbound guard is a leaf module'),
  // Vendor mappings say what a vendor lists; only the runner and the writer touch the catalog.
  forbid(['src/upstream/sync/zego.ts', 'src/upstream/sync/ivh.ts'], ['**/store/**', '**/services.js'], 'a vendor mapping goes through its SyncContext'),
);
