import { mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../tooling/config/vitest.shared.ts';

// Fault scenarios spawn the built CLI and wait on real back-off: longer timeouts, one file at a time (the
// machine is shared), and RESULTS.md assembled once every file has run.
export default mergeConfig(sharedTestConfig, {
  test: {
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    globalSetup: ['test/global-setup.ts'],
  },
});
