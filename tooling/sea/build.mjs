#!/usr/bin/env node
// Builds single-file executables of `ias` and `ias-bamboo` with Node's single executable applications (SEA) support,
// from the same bundles the packages ship (apps/cli/dist/ias.js, apps/bamboo/dist/ias-bamboo.js).
//
//   node tooling/sea/build.mjs [--app cli|bamboo|all] [--node PATH] [--out DIR] [--sign]
//
// --node   the Node.js binary to turn into the executable (default: this one, process.execPath). It must be the
//          same Node version as the one running this script, which writes the blob; on Node 20 the executable is a
//          copy of that binary with the application injected.
// --out    where the executables go (default tooling/sea/out, which the release collector reads); names are <app>-<platform>-<arch>[.exe].
// --sign   re-sign after injection: ad hoc `codesign --sign -` on macOS; on Windows `signtool sign` with the
//          certificate given in SEA_SIGNTOOL_ARGS (e.g. `/f cert.pfx /p … /fd SHA256 /tr http://timestamp…`).
//
// Steps, after Node's SEA documentation: (1) the ESM bundle is converted to one CommonJS file, since Node 20 runs
// only a CommonJS main script in a SEA (the CLI's bundle is an entry and the chunks it imports, statically or with
// import(): esbuild inlines them all); (2) `node --experimental-sea-config` writes the preparation blob; (3) the
// Node binary is copied, its signature removed (macOS: codesign --remove-signature; Windows: signtool remove /s,
// optional); (4) postject injects the blob as NODE_SEA_BLOB and flips the sentinel fuse; (5) optionally re-signed.
import { execFileSync } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const require = createRequire(import.meta.url);

/** The sentinel Node's SEA support looks for (Node's docs; the same string in every release that has SEA). */
const SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export const APPS = {
  cli: { name: 'ias', bundle: join(root, 'apps/cli/dist/ias.js') },
  bamboo: { name: 'ias-bamboo', bundle: join(root, 'apps/bamboo/dist/ias-bamboo.js') },
};

/** The file name of an executable for a platform and architecture. */
export function executableName(app, platform = process.platform, arch = process.arch) {
  return `${APPS[app].name}-${platform === 'win32' ? 'win' : platform}-${arch}${platform === 'win32' ? '.exe' : ''}`;
}

/**
 * Builds one executable.
 * @returns its path
 */
export async function buildExecutable(app, options = {}) {
  const { bundle, name } = APPS[app];
  const node = options.node ?? process.execPath;
  const platform = options.platform ?? process.platform;
  const out = resolve(options.out ?? join(here, 'out'));
  const log = options.log ?? ((line) => process.stdout.write(`${line}\n`));
  try {
    await stat(bundle);
  } catch {
    throw new Error(`${bundle} does not exist; build it first (npx --yes pnpm@10.34.8 sea builds the bundles and then the executables)`);
  }
  const work = await mkdtemp(join(tmpdir(), `ias-sea-${name}-`));
  try {
    // (1) One CommonJS file from the ESM bundle. The bundle's banner builds `require` from import.meta.url, which a
    // CommonJS file does not have: it is given the executable's own file URL instead.
    const main = join(work, `${name}.cjs`);
    const esbuild = require('esbuild');
    await esbuild.build({
      entryPoints: [bundle],
      outfile: main,
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      logLevel: 'error',
      define: { 'import.meta.url': '__iasSeaUrl' },
      banner: { js: "const __iasSeaUrl = require('node:url').pathToFileURL(process.execPath).href;" },
    });
    // The shebang line of the ESM bundle is kept by esbuild only at the very top; strip any left mid-file.
    const code = (await readFile(main, 'utf8')).replace(/^#!.*\n/m, '');
    // A chunk left to load at run time would not exist beside the executable.
    const left = /\bimport\(\s*["'](\.{1,2}\/[^"']+)["']/.exec(code);
    if (left !== null) throw new Error(`${bundle}: the import of ${left[1]} was not inlined into the executable`);
    await writeFile(main, code);

    // (2) The preparation blob, written by this Node (the same version as the binary it goes into).
    const blob = join(work, `${name}.blob`);
    const config = join(work, 'sea-config.json');
    await writeFile(config, JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true }));
    execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'pipe' });

    // (3) A copy of the Node binary, without its signature.
    await mkdir(out, { recursive: true });
    const target = join(out, executableName(app, platform, options.arch ?? process.arch));
    await rm(target, { force: true });
    await copyFile(node, target);
    await chmod(target, 0o755);
    if (platform === 'darwin') execFileSync('codesign', ['--remove-signature', target], { stdio: 'inherit' });
    if (platform === 'win32' && options.sign) execFileSync('signtool', ['remove', '/s', target], { stdio: 'inherit' });

    // (4) Inject the blob and flip the fuse.
    const { inject } = require('postject');
    await inject(target, 'NODE_SEA_BLOB', await readFile(blob), {
      sentinelFuse: SENTINEL_FUSE,
      ...(platform === 'darwin' ? { machoSegmentName: 'NODE_SEA' } : {}),
    });

    // (5) Signing for distribution.
    if (options.sign && platform === 'darwin') execFileSync('codesign', ['--sign', '-', target], { stdio: 'inherit' });
    if (options.sign && platform === 'win32') {
      const args = (process.env.SEA_SIGNTOOL_ARGS ?? '').split(' ').filter(Boolean);
      if (args.length === 0) throw new Error('--sign on Windows needs SEA_SIGNTOOL_ARGS (the certificate options for signtool sign)');
      execFileSync('signtool', ['sign', ...args, target], { stdio: 'inherit' });
    }
    log(`Built ${target} (${((await stat(target)).size / 1024 / 1024).toFixed(1)} MB) from ${bundle}`);
    return target;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function main() {
  const { values } = parseArgs({
    options: { app: { type: 'string', default: 'all' }, node: { type: 'string' }, out: { type: 'string' }, sign: { type: 'boolean', default: false } },
  });
  const apps = values.app === 'all' ? Object.keys(APPS) : [values.app];
  for (const app of apps) {
    if (!(app in APPS)) throw new Error(`--app ${app} is not one of cli, bamboo, all`);
    await buildExecutable(app, { ...(values.node ? { node: values.node } : {}), ...(values.out ? { out: values.out } : {}), sign: values.sign });
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`sea: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
