// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'coverage/',
      'src/graphql/__generated__/',
      'examples/*/src/gql/',
      '.ci/out/',
      'test-results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits hides its failure.
      '@typescript-eslint/no-floating-promises': 'error',
      // A new union member (an error code, a failure kind) must be handled everywhere.
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      // Type-only imports vanish at build time and keep module graphs honest.
      '@typescript-eslint/consistent-type-imports': 'error',
      // `return send(res, …)` in a void handler reads as "answer and stop"; that is the intent.
      '@typescript-eslint/no-confusing-void-expression': [
        'error',
        { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true },
      ],
      // Template literals with numbers are how log and error messages are written here.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'no-restricted-imports': [
        'error',
        {
          // Node built-ins by their unambiguous `node:` name.
          patterns: [
            {
              regex:
                '^(assert|buffer|child_process|crypto|events|fs|http|https|net|os|path|stream|timers|url|util|zlib)(/.*)?$',
              message: 'Import Node built-ins with the node: prefix.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        // The upstream client uses undici with an injected dispatcher, never the global fetch.
        { name: 'fetch', message: 'Use undici with an injected dispatcher.' },
      ],
      'no-restricted-properties': [
        'error',
        // Configuration is read in one place, src/config.ts.
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through src/config.ts.',
        },
      ],
    },
  },
  {
    files: ['src/config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['examples/**/*.{ts,tsx}'],
    // The example is a browser portal's code: the platform's fetch is the right client there.
    rules: { 'no-restricted-globals': 'off' },
  },
  {
    files: ['scripts/portal.ts'],
    // It starts the gateway as a child process, so it hands the gateway its environment.
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Tests and the benchmark call the gateway over HTTP like any client would.
      'no-restricted-globals': 'off',
      // Tests read their own environment switches (CI, paths of tools).
      'no-restricted-properties': 'off',
    },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
