import { defineConfig } from 'tsup';
import { libraryPreset } from '../../tooling/config/tsup.preset';

export default defineConfig(libraryPreset({ entry: ['src/index.ts'] }));
