import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fastest first: unit, then integration, then end-to-end over real sockets.
    sequence: { groupOrder: 0 },
    testTimeout: 20_000,
    hookTimeout: 20_000,
    restoreMocks: true,
  },
});
