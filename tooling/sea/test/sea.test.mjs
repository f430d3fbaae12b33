// The single-file executables, built by build.mjs from the shipped bundles, run the demo against the simulator on
// 127.0.0.1 with no `node` anywhere on PATH: the executable is the whole runtime.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulator } from '@ias/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExecutable } from '../build.mjs';

const KEY = 'sea-e2e-Key-1f2e3d4c5b6a';
const GATE = "vulnerability.severity='CRITICAL' || vulnerability.severity='HIGH'";
// Nothing but a folder that does not exist: no node, no shell tools.
const NO_NODE_PATH = '/nonexistent-bin';
let work;
let ias;
let iasBamboo;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ias-sea-test-'));
  const out = join(work, 'bin');
  const log = () => undefined;
  ias = await buildExecutable('cli', { out, log });
  iasBamboo = await buildExecutable('bamboo', { out, log });
}, 120_000);

afterAll(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

function run(executable, args, env, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, { cwd, env: { PATH: NO_NODE_PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function withSimulator(body) {
  const sim = createSimulator({ scenario: 'demo', timeScale: 0.005, apiKey: KEY });
  const listener = await sim.listen({ host: '127.0.0.1', port: 0 });
  try {
    return await body(listener.baseUrl, sim);
  } finally {
    await listener.close();
    await sim.close();
  }
}

describe('single-file executables (Linux x64, Node SEA) with no node on PATH', () => {
  it('the environment really has no node', () => {
    const probe = spawnSync('node', ['--version'], { env: { PATH: NO_NODE_PATH } });
    expect(probe.error?.code).toBe('ENOENT');
  });

  it('ias --version prints the version of the CLI package (its code split in chunks, all inside the executable)', async () => {
    const { version } = JSON.parse(await readFile(createRequire(import.meta.url).resolve('insightappsec-ci/package.json'), 'utf8'));
    const result = await run(ias, ['--version'], {}, work);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
  });

  it('ias runs the demo: scan, reports, gate failed with exit 1', async () => {
    const dir = await mkdtemp(join(work, 'cli-'));
    const result = await withSimulator((baseUrl) =>
      run(ias, ['scan', '--base-url', baseUrl, '--app', 'Demo Shop', '--scan-config', 'Full', '--poll-interval', '1s', '--output-dir', 'ias-reports', '--gate-query', GATE], { IAS_API_KEY: KEY }, dir),
    );
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/Launched scan [0-9a-f-]{36}/);
    expect(result.stdout).toMatch(/Findings: 40 \(CRITICAL \d+, HIGH \d+/);
    expect(result.stdout).toMatch(/Gate failed: \d+ of 40 findings/);
    expect(await readdir(join(dir, 'ias-reports'))).toEqual(expect.arrayContaining([
      'insightappsec-scan-findings.json',
      'insightappsec-scan-junit.xml',
      'insightappsec-scan-metrics.json',
      'insightappsec-scan-report.html',
      'insightappsec-scan-result.json',
      'insightappsec-scan-summary.md',
      'insightappsec-scan.sarif',
    ]));
    expect(result.stdout + result.stderr).not.toContain(KEY);
    expect(result.stderr).not.toMatch(/ExperimentalWarning|single executable/i);
  }, 60_000);

  it('ias check passes against the simulator and launches nothing', async () => {
    const result = await withSimulator(async (baseUrl, sim) => {
      const r = await run(ias, ['check', '--base-url', baseUrl, '--app', 'Demo Shop', '--scan-config', 'Full', '--gate-query', GATE, '--output-dir', join(work, 'check')], { IAS_API_KEY: KEY }, work);
      expect(sim.state.scans()).toEqual([]);
      return r;
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Preflight passed');
  }, 60_000);

  it('ias-bamboo runs the check and the demo scan from bamboo_* variables', async () => {
    const dir = await mkdtemp(join(work, 'bamboo-'));
    const { check, scan } = await withSimulator(async (baseUrl) => {
      const env = {
        bamboo_build_working_directory: dir,
        bamboo_ias_baseUrl: baseUrl,
        bamboo_ias_apiKey_password: KEY,
        bamboo_ias_app: 'Demo Shop',
        bamboo_ias_scanConfig: 'Full',
        bamboo_ias_pollInterval: '1s',
        bamboo_ias_gateQuery: GATE,
      };
      return { check: await run(iasBamboo, ['check'], env, dir), scan: await run(iasBamboo, [], env, dir) };
    });
    expect(check.code, check.stderr).toBe(0);
    expect(scan.code, scan.stderr).toBe(1);
    expect(scan.stdout.trimEnd().split('\n').at(-1)).toMatch(/^InsightAppSec verdict: FAILED \(vulnerability query matched\), \d+ matching findings/);
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['insightappsec-scan-junit.xml', 'insightappsec-scan-variables.properties', 'insightappsec-scan-metrics.json']));
  }, 60_000);
});
