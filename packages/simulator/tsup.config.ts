import { defineConfig } from 'tsup';
import { binaryPreset, libraryPreset } from '../../tooling/config/tsup.preset';

export default defineConfig([
  libraryPreset({ entry: ['src/index.ts'] }),
  binaryPreset({ entry: { 'ias-sim': 'src/bin/ias-sim.ts' }, clean: false }),
]);
