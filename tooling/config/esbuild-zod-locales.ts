import { dirname, join } from 'node:path';
import type { Options } from 'tsup';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * zod v4 re-exports every locale (`z.locales`, about 40 languages) from its classic and core entries, and esbuild
 * cannot drop a namespace re-export. Nothing here translates messages: this plugin resolves zod's
 * `../locales/index` to a module with English only, which zod installs as its default. Saves ~200 KB minified.
 */
export const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.c?js$/ }, (args) => {
      if (!/[\\/]zod[\\/]/.test(args.importer)) return undefined;
      const extension = args.path.endsWith('.cjs') ? '.cjs' : '.js';
      return { path: join(dirname(args.importer), '..', 'locales', `index-en${extension}`), namespace: 'zod-english-only', pluginData: { dir: join(dirname(args.importer), '..', 'locales'), extension } };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => {
      const { dir, extension } = args.pluginData as { dir: string; extension: string };
      return { contents: `export { default as en } from ${JSON.stringify(`./en${extension}`)};\n`, resolveDir: dir, loader: 'js' };
    });
  },
};
