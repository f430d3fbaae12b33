import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, productVersion } from '../src/release-lib';

const out = mkdtempSync(join(tmpdir(), 'ias-release-out-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the release command, collecting the built tree', () => {
  it('writes every artifact with a SHA256SUMS that verifies, at the one product version', () => {
    const version = productVersion();
    const printed = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'tooling/release/src/release.ts'), '--collect', '--out', out], { cwd: join(ROOT, 'tooling/release'), encoding: 'utf8' });
    expect(printed).toContain(`Release ${version}`);
    const sums = readFileSync(join(out, 'SHA256SUMS'), 'utf8').trim().split('\n').map((line) => line.split(/\s+/) as [string, string]);
    const files = sums.map(([, file]) => file);
    expect(files).toEqual(
      expect.arrayContaining([
        `ias-azure-devops-${version}.vsix`,
        `ias-bamboo-${version}.js`,
        `insightappsec-github-action-${version}.js`,
        'gitlab-insightappsec-scan.yml',
        `insightappsec-ci-${version}.tgz`,
        `insightappsec-ci-sim-${version}.tgz`,
      ]),
    );
    for (const [sum, file] of sums) expect(createHash('sha256').update(readFileSync(join(out, file))).digest('hex'), file).toBe(sum);
    // The vsix carries the same version in its manifest and its task.
    const vsix = join(out, `ias-azure-devops-${version}.vsix`);
    expect(execFileSync('unzip', ['-p', vsix, 'extension.vsixmanifest'], { encoding: 'utf8' })).toMatch(new RegExp(`<Identity [^>]*Version="${version.replaceAll('.', '\\.')}"`));
    const [major, minor, patch] = version.split('.').map(Number);
    const task = JSON.parse(execFileSync('unzip', ['-p', vsix, 'InsightAppSecScan/task.json'], { encoding: 'utf8' })) as { version: unknown };
    expect(task.version).toEqual({ Major: major, Minor: minor, Patch: patch });
  }, 120_000);

  it('--check passes when every version agrees', () => {
    const printed = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'tooling/release/src/release.ts'), '--check'], { cwd: join(ROOT, 'tooling/release'), encoding: 'utf8' });
    expect(printed).toContain(productVersion());
  });
});
