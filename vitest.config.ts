import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Server and browser tests bind ports and share Chromium: separate processes, two at a time (2 cores).
    pool: 'forks',
    maxWorkers: 2,
  },
});
