import { defineConfig } from 'tsup';
import { binaryPreset } from '../../tooling/config/tsup.preset';

// The agent runs `node index.js` and task-lib is CommonJS: one CJS file, no shebang, no ESM banner.
export default defineConfig(
  binaryPreset({
    entry: { index: 'src/main.ts', discover: 'src/discover-main.ts' },
    format: ['cjs'],
    banner: {},
    outDir: 'dist/bundle',
    outExtension: () => ({ js: '.js' }),
  }),
);
