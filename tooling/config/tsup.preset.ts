import type { Options } from 'tsup';
import { zodEnglishOnly } from './esbuild-zod-locales';

/**
 * The one bundler preset: ESM for Node 20 (Azure DevOps Node20_1; the GitHub action runs it on node24), workspace packages
 * resolved from their sources through the `source` export condition so a bundle never depends on
 * another package's build output.
 */
export function libraryPreset(overrides: Options = {}): Options {
  return {
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    sourcemap: false,
    clean: true,
    dts: true,
    tsconfig: 'tsconfig.json',
    esbuildOptions(options) {
      options.conditions = ['source'];
    },
    ...overrides,
  };
}

/**
 * A single-file executable bundle: every dependency inlined, a shebang, no declarations. Minified, tree-shaken and
 * without zod's unused locales, because a CI step pays the parse time of every byte on every run (tooling/bench
 * measures `ias --version` and the bundle sizes).
 */
export function binaryPreset(overrides: Options = {}): Options {
  return libraryPreset({
    dts: false,
    noExternal: [/.*/],
    splitting: false,
    minify: true,
    treeshake: false,
    esbuildPlugins: [zodEnglishOnly],
    esbuildOptions(options) {
      options.conditions = ['source'];
      options.treeShaking = true;
    },
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __iasCreateRequire } from 'node:module';\nconst require = __iasCreateRequire(import.meta.url);",
    },
    ...overrides,
  });
}
