import { defineConfig } from 'tsup';
import { binaryPreset } from '../../tooling/config/tsup.preset';

// One deterministic single-file ESM bundle for both the main and the post step. No shebang: the runner starts it
// with its own node. The createRequire banner lets bundled CommonJS dependencies `require` Node built-ins.
export default defineConfig(
  binaryPreset({
    entry: { index: 'src/main.ts', discover: 'src/discover-main.ts' },
    banner: {
      js: "import { createRequire as __iasCreateRequire } from 'node:module';\nconst require = __iasCreateRequire(import.meta.url);",
    },
  }),
);
