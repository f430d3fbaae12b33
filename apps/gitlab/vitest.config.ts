import { sharedTestConfig } from '../../tooling/config/vitest.shared.ts';

export default sharedTestConfig;
