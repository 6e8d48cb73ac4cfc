import { defineConfig } from 'vitest/config';

// Two projects: `unit` (no I/O, the bulk) and `integration` (real SQLite files, the local
// Postgres and Redis, child processes). `npm test` runs both; the global setup makes sure the
// services are reachable (starting local binaries when it can) before any integration test.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.int.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Integration files share two cores with real services; keep them from starving.
          maxWorkers: 2,
          // Run after the unit project; vitest requires a distinct group when maxWorkers differs.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
