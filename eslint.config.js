// `npm run lint` (run by CI): typescript-eslint's recommended rules, and the layering of
// docs/architecture.md ("Layers") as import rules, so that the arrows outlive any review.
import tseslint from 'typescript-eslint';
import globals from 'globals';

const DIALECTS = ['zego', 'tencent-ivh', 'openai', 'elevenlabs', 'heygen', 'mistral', 'native'];

const ONE_DOOR = [['**/store/*', '!**/store/index.js'], 'import the store through src/store/index.ts, its only door'];
const BELOW = [
  ['**/dialects/*', '**/dialects/**', '**/upstream/**', '**/cli/**', '**/app.js', '**/server.js', '**/console.js'],
  'the core, the store, files, limits and the outbound guard sit below the dialects, the gateway and the CLI',
];
const OTHER_DIALECT = (d) => [
  DIALECTS.filter((o) => o !== d).map((o) => `../${o}/*`),
  'a dialect does not import another dialect: move what both need to src/dialects/ (the shared edge)',
];
const MAPPINGS = ['zego', 'ivh', 'elevenlabs', 'openai', 'heygen', 'vendor-json'].map((m) => `src/upstream/sync/${m}.ts`);

/** Each area of src/ and the imports it may not use (docs/architecture.md, "Checks"). */
const LAYERS = [
  ...DIALECTS.map((d) => ({ files: [`src/dialects/${d}/**/*.ts`], rules: [OTHER_DIALECT(d), ONE_DOOR] })),
  { files: ['src/core/**/*.ts', 'src/files/**/*.ts', 'src/limits/**/*.ts'], rules: [BELOW, ONE_DOOR] },
  { files: ['src/store/**/*.ts'], rules: [BELOW] },
  {
    files: ['src/outbound/**/*.ts'],
    rules: [BELOW, [['**/services.js', '**/store/**'], 'the outbound guard is a leaf module: it takes its policy, not the services']],
  },
  { files: MAPPINGS, rules: [[['**/store/**', '**/services.js'], 'a vendor mapping reaches the catalog only through its SyncContext'], ONE_DOOR] },
  {
    files: ['src/**/*.ts'],
    ignores: [...DIALECTS.map((d) => `src/dialects/${d}/**`), 'src/core/**', 'src/files/**', 'src/limits/**', 'src/store/**', 'src/outbound/**', ...MAPPINGS],
    rules: [ONE_DOOR],
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'packages/*/dist/**',
      'packages/client/src/schema.ts',
      'console/dist/**',
      'bench/.work/**',
      'test/**/.examples-*/**',
      '**/*.js',
      'scripts/**/*.mjs',
    ],
  },
  ...tseslint.configs.recommended,
  // The benchmark is plain JavaScript run by Node: its unused names and undefined globals are caught too.
  {
    files: ['bench/**/*.mjs'],
    languageOptions: { globals: globals.node },
    rules: { 'no-undef': 'error' },
  },
  {
    rules: {
      // The store and the dialects read rows and wire bodies whose shapes are checked at their edges.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  // The layers, one rule set per area (an area's rules in one place: a later `no-restricted-imports`
  // replaces an earlier one for the same file, so the areas do not overlap).
  // The console is a client of /v1 like any other: the typed SDK, and of the core only its enums (no `any`).
  {
    files: ['console/**/*.ts', 'console/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)src/(?!core/types\\.js$)',
              message: 'the console reaches the server only over /v1 (@timbrel/client/native); of the core it shares the enums of src/core/types.ts',
            },
          ],
        },
      ],
    },
  },
  ...LAYERS.map(({ files, ignores = [], rules }) => ({
    files,
    ignores,
    rules: { 'no-restricted-imports': ['error', { patterns: rules.map(([group, message]) => ({ group, message })) }] },
  })),
);
