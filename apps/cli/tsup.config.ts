import { defineConfig } from 'tsup';
import { binaryPreset } from '../../tooling/config/tsup.preset';

// Split: each command's code is a chunk its action loads (src/run.ts), so `ias --version` loads only the entry's.
export default defineConfig(binaryPreset({ entry: { ias: 'src/main.ts' } }, { split: true }));
