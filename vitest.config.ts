import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A PostgreSQL server for the store's second backend (TEST_DATABASE_URL, else a throwaway cluster).
    globalSetup: ['test/setup/postgres.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Server and browser tests bind ports and share Chromium: separate processes, two at a time (2 cores).
    pool: 'forks',
    maxWorkers: 2,
  },
});
