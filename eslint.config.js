import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layer rules (DEVELOPERS.md): src/core is pure TypeScript — no DOM, React, map, store or other layers;
// features do not import each other.
const notInCore = ['react', 'react-dom', 'react-*', 'maplibre-gl', 'zustand', 'zustand/*', 'idb-keyval', 'comlink',
  '**/data/**', '**/store/**', '**/map/**', '**/features/**', '**/app/**', '**/worker/**', '**/cli/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'public/**', 'tests/e2e/screenshots/**', 'bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', performance: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', structuredClone: 'readonly', self: 'readonly', window: 'readonly', document: 'readonly', fetch: 'readonly', navigator: 'readonly', Blob: 'readonly', File: 'readonly', Worker: 'readonly', indexedDB: 'readonly', localStorage: 'readonly', requestAnimationFrame: 'readonly', cancelAnimationFrame: 'readonly', HTMLElement: 'readonly', KeyboardEvent: 'readonly', MouseEvent: 'readonly', Response: 'readonly', AbortController: 'readonly', queueMicrotask: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', DOMException: 'readonly', Event: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Browser scenarios run code both in Node and in the page (page.evaluate): globals of both.
  { files: ['tests/e2e/**/*.mjs'], rules: { 'no-undef': 'off' } },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: notInCore, message: 'src/core must stay pure: no DOM, React, map, store or other layers.' }] }],
      'no-restricted-globals': ['error', 'window', 'document', 'localStorage', 'indexedDB', 'navigator', 'fetch', 'self', 'HTMLElement'],
    },
  },
);
