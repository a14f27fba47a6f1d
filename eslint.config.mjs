import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeGlobals = {
  process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly',
  setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly',
  TextDecoder: 'readonly', TextEncoder: 'readonly', AbortController: 'readonly', performance: 'readonly', fetch: 'readonly',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.vscode-test/', 'test-output/', 'bench/.cache/', 'bench/gpu/.payload/', 'bench/gpu/.dry-run/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: nodeGlobals },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Only src/engine may load the native runtime (shared/ARCHITECTURE.md).
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    ignores: ['src/engine/**/*.ts', 'src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'node-llama-cpp', message: 'Only src/engine may import node-llama-cpp.' }],
      }],
    },
  },
  {
    // src/core is pure TypeScript, unit-tested in plain Node.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'vscode', message: 'src/core must not depend on the VS Code API.' },
          { name: 'node-llama-cpp', message: 'src/core must not depend on node-llama-cpp.' },
        ],
      }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', requestAnimationFrame: 'readonly', HTMLElement: 'readonly', KeyboardEvent: 'readonly', MessageEvent: 'readonly' } },
  },
  {
    files: ['test/**/*.mjs'],
    languageOptions: {
      globals: {
        describe: 'readonly', it: 'readonly', before: 'readonly', after: 'readonly', beforeEach: 'readonly', afterEach: 'readonly',
        // functions passed to page.evaluate / addInitScript run in the browser
        Document: 'readonly', KeyboardEvent: 'readonly', CompositionEvent: 'readonly', document: 'readonly', window: 'readonly',
      },
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', 'test/support/**/*.js'],
    languageOptions: { globals: { ...nodeGlobals, require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
