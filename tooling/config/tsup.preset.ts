import type { Options } from 'tsup';
import { directImports } from './esbuild-direct-imports';
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

/** Lets a bundled CommonJS dependency `require` Node's built-ins from an ES module. */
const REQUIRE_BANNER = "import { createRequire as __iasCreateRequire } from 'node:module';\nconst require = __iasCreateRequire(import.meta.url);";

/**
 * A single-file executable bundle: every dependency inlined, a shebang, no declarations. Minified, tree-shaken and
 * without zod's unused locales, because a CI step pays the parse time of every byte on every run (tooling/bench
 * measures `ias --version` and the bundle sizes).
 *
 * With `split` (the CLI, whose commands load their code with `import()`), the bundle is the entry plus chunks beside
 * it: esbuild's code splitting makes each dynamic import a chunk, so a run loads only the code of what it does.
 * Imports of the workspace packages then go straight to the modules that define the names (esbuild-direct-imports.ts):
 * with splitting, esbuild would otherwise hang every module a package index re-exports on the entry. Every chunk
 * gets the `require` banner; the shebang is the entry's own first line, which esbuild keeps on the entry alone.
 */
export function binaryPreset(overrides: Options = {}, { split = false }: { split?: boolean } = {}): Options {
  return libraryPreset({
    dts: false,
    noExternal: [/.*/],
    splitting: split,
    minify: true,
    treeshake: false,
    esbuildPlugins: split ? [zodEnglishOnly, directImports(['@ias/core', '@ias/host-node'])] : [zodEnglishOnly],
    esbuildOptions(options) {
      options.conditions = ['source'];
      options.treeShaking = true;
    },
    banner: { js: split ? REQUIRE_BANNER : `#!/usr/bin/env node\n${REQUIRE_BANNER}` },
    ...overrides,
  });
}
