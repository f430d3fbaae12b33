import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packCli, packSimulator, productVersion } from '../src/release-lib';

/*
 * The npm packages as a user gets them: packed, installed globally into an empty prefix with npm's offline mode (so
 * any dependency to download would fail the install), and run from that prefix's bin folder, with nothing of the
 * repository on the way.
 */

let work: string;
let prefix: string;
let tarballs: { cli: string; sim: string };

const env = (): Record<string, string> => ({ PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: work, npm_config_cache: join(work, 'npm-cache') });

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ias-packages-'));
  prefix = join(work, 'global');
  const out = join(work, 'tarballs');
  execFileSync('mkdir', ['-p', out]);
  tarballs = { cli: packCli(out), sim: packSimulator(out) };
  execFileSync('npm', ['install', '--global', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarballs.cli, tarballs.sim], { cwd: work, env: env(), stdio: 'pipe' });
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The file list and manifest of a tarball, read with tar. */
function tarball(path: string): { files: string[]; manifest: Record<string, unknown> } {
  const files = execFileSync('tar', ['-tzf', path], { encoding: 'utf8' }).trim().split('\n');
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', path, 'package/package.json'], { encoding: 'utf8' })) as Record<string, unknown>;
  return { files, manifest };
}

describe('the npm packages', () => {
  it('carry a name, bin, engines, licence and repository, and no dependency to install', () => {
    const cli = tarball(tarballs.cli);
    expect(cli.manifest).toMatchObject({ name: 'insightappsec-ci', version: productVersion(), bin: { ias: './dist/ias.js' }, engines: { node: '>=20.9' }, license: 'MIT' });
    expect(cli.manifest.repository).toMatchObject({ type: 'git' });
    expect(cli.manifest.dependencies ?? {}).toEqual({});
    expect(cli.files).toEqual(expect.arrayContaining(['package/dist/ias.js', 'package/LICENSE', 'package/README.md']));
    const sim = tarball(tarballs.sim);
    expect(sim.manifest).toMatchObject({ name: 'insightappsec-ci-sim', version: productVersion(), bin: { 'ias-sim': './dist/ias-sim.js' }, license: 'MIT' });
    expect(sim.manifest.dependencies ?? {}).toEqual({});
    expect(sim.files).toEqual(expect.arrayContaining(['package/dist/ias-sim.js', 'package/scenarios/demo.json', 'package/LICENSE']));
  });

  it('install offline and print the version', () => {
    const out = execFileSync(join(prefix, 'bin', 'ias'), ['--version'], { env: env(), encoding: 'utf8' });
    expect(out.trim()).toBe(productVersion());
    expect(readdirSync(join(prefix, 'lib', 'node_modules'))).toEqual(expect.arrayContaining(['insightappsec-ci', 'insightappsec-ci-sim']));
  });

  it('run the demo: the installed ias against the installed ias-sim', async () => {
    const sim = spawn(join(prefix, 'bin', 'ias-sim'), ['--scenario', 'demo', '--port', '0', '--time-scale', '0.002'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const banner = await new Promise<string>((resolve, reject) => {
        let text = '';
        sim.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
          if (/IAS_API_KEY=\S+/.test(text) && /IAS_BASE_URL=\S+/.test(text)) resolve(text);
        });
        sim.on('exit', (code) => reject(new Error(`ias-sim exited with ${code}`)));
      });
      const baseUrl = /IAS_BASE_URL=(\S+)/.exec(banner)?.[1] as string;
      const key = /IAS_API_KEY=(\S+)/.exec(banner)?.[1] as string;
      const reports = join(work, 'reports');
      const scan = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(join(prefix, 'bin', 'ias'), ['scan', '--base-url', baseUrl, '--app', 'Demo Shop', '--scan-config', 'Full', '--poll-interval', '1s', '--output-dir', reports, '--gate-query', "vulnerability.severity='CRITICAL'"], {
          env: { ...env(), IAS_API_KEY: key },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
        child.on('close', (code) => resolve({ code, stdout }));
      });
      expect(scan.code, scan.stdout).toBe(1);
      expect(scan.stdout).toMatch(/Gate failed/);
      expect(readdirSync(reports)).toEqual(expect.arrayContaining(['insightappsec-scan-result.json', 'gl-dast-report.json', 'insightappsec-scan.sarif']));
      expect(JSON.parse(readFileSync(join(reports, 'insightappsec-scan-result.json'), 'utf8'))).toMatchObject({ exitCode: 1 });
    } finally {
      sim.kill('SIGTERM');
    }
  });
});
