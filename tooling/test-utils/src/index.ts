// Test support shared by the end-to-end suites.
export { runBundle } from './run-bundle';
export type { BundleRun, RunBundleOptions } from './run-bundle';
export { readTree } from './read-tree';
