import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS entry (as @apollo/subgraph and @apollo/server do); Vite would
    // pick its .mjs build for our files, and two graphql instances refuse each other's types.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // A process warning fails the test during which it came.
    setupFiles: ['test/setup/fail-on-process-warnings.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    restoreMocks: true,
  },
});
