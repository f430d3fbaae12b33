import { defineConfig } from 'vitest/config';

// Fault scenarios spawn the built CLI and wait on real back-off: an end-to-end tier only, long timeouts, one file
// at a time (the machine is shared). RESULTS.md is assembled only by `pnpm test:faults` (IAS_WRITE_RESULTS=1).
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          globalSetup: ['test/global-setup.ts'],
        },
      },
    ],
  },
});
