import { defineConfig } from 'tsup';
import { binaryPreset } from '../../tooling/config/tsup.preset';

export default defineConfig(binaryPreset({ entry: { 'ias-bamboo': 'src/main.ts', 'ias-bamboo-discover': 'src/discover.ts' } }));
