// ESLint flat config: recommended JS + typescript-eslint rules (not type-checked, to stay fast),
// and the dependency direction of CONVENTIONS.md section 2 as `no-restricted-imports` per folder.
// scripts/check-layering.mjs proves the layering rule fires; `npm run lint` runs both.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TS_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const JS_FILES = ['**/*.js', '**/*.mjs', '**/*.cjs'];

/** Bare names (fs, path, crypto, fs/promises, ...) and every `node:` specifier. */
const NODE_BUILTINS = {
  paths: builtinModules
    .filter((name) => !name.startsWith('_'))
    .map((name) => ({ name, message: 'Node built-ins are not allowed here (CONVENTIONS.md section 2).' })),
  patterns: [{ regex: '^node:', message: 'Node built-ins are not allowed here (CONVENTIONS.md section 2).' }],
};

/** A package of ours (`@switchboard/<name>` and its subpaths). */
function ourPackage(name, why) {
  return { regex: `^@switchboard/${name}(/|$)`, message: why };
}

/** A relative import that climbs out of the current folder into a top-level folder of the repo. */
function ourFolder(folder, why) {
  return { regex: `^(\\.\\./)+${folder}(/|$)`, message: why };
}

const SHARED_RULE = 'shared/ imports nothing of ours (CONVENTIONS.md section 2).';
const NODE_MAIN_RULE = 'cluster-node/ and main/ never import each other (CONVENTIONS.md section 2).';
const NODE_RENDERER_RULE = 'cluster-node/ never imports the renderer (CONVENTIONS.md section 2).';
const RENDERER_RULE = 'renderer/ imports shared/ and its own api/ only, never the node or main/ (CONVENTIONS.md section 2).';
const WEB_RULE = 'cluster-node/web/ (the end users\' web client) imports shared/ and its own code only, never Node or the node\'s server code (CONVENTIONS.md section 2).';
const CORE_RULE = 'main/src/core/ never imports electron; put Electron code in main/src/ outside core/ (CONVENTIONS.md section 2).';

/** What each folder may not import; later entries win, so main/src/core repeats main/'s list. */
const LAYERS = [
  {
    files: ['shared/**'],
    paths: NODE_BUILTINS.paths,
    patterns: [
      ...NODE_BUILTINS.patterns,
      ourPackage('[^/]+', SHARED_RULE),
      ourFolder('(cluster-node|main|renderer|e2e|scripts)', SHARED_RULE),
    ],
  },
  {
    files: ['cluster-node/**'],
    paths: [],
    patterns: [
      ourPackage('main', NODE_MAIN_RULE),
      ourPackage('renderer', NODE_RENDERER_RULE),
      ourFolder('main', NODE_MAIN_RULE),
      ourFolder('renderer', NODE_RENDERER_RULE),
    ],
  },
  {
    files: ['renderer/**'],
    paths: NODE_BUILTINS.paths,
    patterns: [
      ...NODE_BUILTINS.patterns,
      ourPackage('(cluster-node|main)', RENDERER_RULE),
      ourFolder('(cluster-node|main)', RENDERER_RULE),
    ],
  },
  {
    // The web chat client runs in the browser: held to the renderer's rules, and it never reaches
    // into the node it is served by (its own code never names a `src`, `test` or `bin` folder).
    files: ['cluster-node/web/**'],
    paths: [...NODE_BUILTINS.paths, ...['pg', 'ioredis', 'fastify', 'ws', 'pino', 'electron'].map((name) => ({ name, message: WEB_RULE }))],
    patterns: [
      ...NODE_BUILTINS.patterns,
      ourPackage('(cluster-node|main|renderer)', WEB_RULE),
      ourFolder('(cluster-node|main|renderer|e2e|scripts|bench)', WEB_RULE),
      { regex: '^(\\.\\./)+(src|test|bin|migrations|dist)(/|$)', message: WEB_RULE },
    ],
  },
  {
    // Tests may import anything (e.g. cluster-node's test support to start nodes); the code may not.
    files: ['main/src/**', 'main/bin/**'],
    paths: [],
    patterns: [ourPackage('cluster-node', NODE_MAIN_RULE), ourFolder('cluster-node', NODE_MAIN_RULE)],
  },
  {
    files: ['main/src/core/**'],
    paths: [{ name: 'electron', message: CORE_RULE }],
    patterns: [
      { regex: '^electron/', message: CORE_RULE },
      ourPackage('cluster-node', NODE_MAIN_RULE),
      ourFolder('cluster-node', NODE_MAIN_RULE),
    ],
  },
];

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/*.d.ts', '.run/**', 'test-results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended.map((config) => ({ ...config, files: config.files ?? TS_FILES })),
  {
    files: TS_FILES,
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read arbitrary JSON response bodies (test/support/api.ts returns `any` on purpose).
    files: ['**/test/**/*.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: JS_FILES,
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
  },
  {
    files: ['renderer/**', 'cluster-node/web/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  ...LAYERS.map(({ files, paths, patterns }) => ({
    files,
    rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
  })),
);
