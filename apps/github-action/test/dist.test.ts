import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Actions run from the repository without installing, so dist/index.js is committed. This is the CI check that the
// committed bundle is the bundle of the current sources. turbo's `build` rewrites dist/ before the tests run, so the
// committed bundle is represented by dist.sha256, which only `pnpm run dist` writes (next to the bundle it hashes).

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FIX = 'run `pnpm --filter @ias/github-action run dist` and commit apps/github-action/dist/ and apps/github-action/dist.sha256';
const scratch = mkdtempSync(join(tmpdir(), 'ias-gha-dist-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function freshBuild(outDir: string): Buffer {
  const tsup = join(dirname(createRequire(import.meta.url).resolve('tsup/package.json')), 'dist/cli-default.js');
  const result = spawnSync(process.execPath, [tsup, '--out-dir', outDir, '--silent'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`the bundle did not build:\n${result.stdout}\n${result.stderr}`);
  return readFileSync(join(outDir, 'index.js'));
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe('the committed bundle', () => {
  let fresh: Buffer;
  beforeAll(() => {
    fresh = freshBuild(join(scratch, 'a'));
  }, 60_000);

  it('is deterministic: two builds are byte for byte the same', () => {
    expect(sha256(freshBuild(join(scratch, 'b')))).toBe(sha256(fresh));
  }, 60_000);

  it('holds no machine-specific path', () => {
    const text = fresh.toString('utf8');
    expect(text).not.toContain(root);
    expect(text).not.toContain(scratch);
    expect(text.startsWith("import { createRequire as __iasCreateRequire } from 'node:module';")).toBe(true);
  });

  it('dist/index.js equals a fresh build of the sources', () => {
    const committed = join(root, 'dist/index.js');
    if (!existsSync(committed)) expect.fail(`dist/index.js is missing; ${FIX}.`);
    const same = sha256(readFileSync(committed)) === sha256(fresh);
    if (!same) expect.fail(`dist/index.js is not the bundle of the current sources; ${FIX}.`);
  });

  it('dist.sha256 records the hash of a fresh build (the committed bundle is up to date)', () => {
    const record = join(root, 'dist.sha256');
    if (!existsSync(record)) expect.fail(`dist.sha256 is missing; ${FIX}.`);
    const recorded = readFileSync(record, 'utf8').split(/\s+/)[0];
    if (recorded !== sha256(fresh)) expect.fail(`the committed bundle (dist.sha256 ${recorded?.slice(0, 12)}…) is not the bundle of the current sources (${sha256(fresh).slice(0, 12)}…); ${FIX}.`);
  });
});
