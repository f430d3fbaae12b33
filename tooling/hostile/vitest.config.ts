import { mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../tooling/config/vitest.shared.ts';

// Each case spawns a built bundle and mostly waits (on budgets, timeouts, back-off): cases of a file run side by side,
// a few at a time, so the suite stays within a few minutes on a shared two-core machine.
export default mergeConfig(sharedTestConfig, {
  test: {
    testTimeout: 120_000,
    hookTimeout: 60_000,
    maxConcurrency: 8,
  },
});
