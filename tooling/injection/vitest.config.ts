import { mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../tooling/config/vitest.shared.ts';

// Every case spawns a built bundle against a simulator on loopback: longer timeouts, one file at a time (the
// machine is shared).
export default mergeConfig(sharedTestConfig, {
  test: {
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
