// The release command. Usage (from the repository root):
//   npx pnpm@10.34.8 release 1.2.0          set the version everywhere, stamp CHANGELOG.md, build, collect into release/1.2.0
//   npx pnpm@10.34.8 release -- --collect   collect the already built tree at its current version (CI on a tag)
//   npx pnpm@10.34.8 release -- --check     exit 1 unless every version site agrees
// Options: --out DIR (default release/<version>).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { collectRelease, productVersion, ROOT, setVersion, stampChangelog } from './release-lib';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};
const pnpm = (...rest: string[]): void => {
  execFileSync('npx', ['--yes', 'pnpm@10.34.8', ...rest], { cwd: ROOT, stdio: 'inherit' });
};

async function main(): Promise<number> {
  if (args.includes('--check')) {
    process.stdout.write(`Every version site says ${productVersion()}.\n`);
    return 0;
  }
  const version = args.find((a) => /^\d/.test(a));
  if (version !== undefined) {
    setVersion(version);
    stampChangelog(version, new Date().toISOString().slice(0, 10));
    process.stdout.write(`Version ${version} written to every package, the Azure DevOps manifests and CHANGELOG.md.\n`);
  } else if (!args.includes('--collect')) {
    process.stderr.write('Give the version to release (e.g. 1.2.0), or --collect, or --check.\n');
    return 2;
  }
  if (!args.includes('--collect')) {
    pnpm('run', 'build');
    pnpm('--filter', '@ias/github-action', 'run', 'dist');
    if (existsSync(join(ROOT, 'tooling', 'sea', 'build.mjs'))) execFileSync(process.execPath, [join(ROOT, 'tooling', 'sea', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  }
  const current = productVersion();
  // pnpm runs this in tooling/release; a relative --out is meant from where the user typed the command.
  const given = option('--out');
  const out = given === undefined ? join(ROOT, 'release', current) : resolve(process.env.INIT_CWD ?? process.cwd(), given);
  const { artifacts } = await collectRelease({ out });
  process.stdout.write(`Release ${current} in ${relative(process.cwd(), out) || '.'}:\n`);
  for (const a of artifacts) process.stdout.write(`  ${a.file}  (${a.what})\n`);
  process.stdout.write('  SHA256SUMS\n');
  if (version !== undefined) process.stdout.write(`Commit the version change, tag it v${current} and push the tag: the release workflow publishes these files.\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`release: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
