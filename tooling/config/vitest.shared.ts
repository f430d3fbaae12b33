import { defineConfig } from 'vitest/config';

/**
 * The test tiers every package shares (sources resolved through the `source` condition, so no tier needs a build
 * of another package's library output):
 * - `unit`: `src/**\/*.test.ts`, run against the sources with no build first (turbo's `test` task), short timeouts;
 * - `e2e`: `test/**\/*.test.ts`, which may spawn built bundles (turbo's `test:e2e` task builds them first), with
 *   timeouts sized for a loaded 2-core machine.
 * Slow work (the 100,000-case fuzz, the benchmark) is never a test file: each has its own command.
 * Two workers per package: turbo runs two packages at a time, so a 2-core machine carries four workers at most.
 */
export const sharedTestConfig = defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'], testTimeout: 15_000, hookTimeout: 15_000 } },
      { extends: true, test: { name: 'e2e', include: ['test/**/*.test.ts'], testTimeout: 90_000, hookTimeout: 90_000 } },
    ],
  },
});
