import { defineConfig } from 'vitest/config';

// Every case spawns a built bundle against a simulator on loopback: an end-to-end tier only, longer timeouts, one
// file at a time (the machine is shared).
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    projects: [{ extends: true, test: { name: 'e2e', include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 60_000, fileParallelism: false } }],
  },
});
