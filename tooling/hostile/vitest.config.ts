import { defineConfig } from 'vitest/config';

// Each case spawns a built bundle and mostly waits (on budgets, timeouts, back-off): an end-to-end tier only, and the
// cases of a file run side by side, a few at a time, so the suite stays within a few minutes on a shared two-core
// machine.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    projects: [{ extends: true, test: { name: 'e2e', include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 60_000, maxConcurrency: 8 } }],
  },
});
