import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSimulator } from '@ias/simulator';
import { readTree, runBundle } from '@ias/test-utils';
import { afterAll, describe, expect, it } from 'vitest';

// `ias-bamboo check` as the first task of a job: the built bundle with bamboo_* variables against the simulator on
// 127.0.0.1. It replaces the official plugin's validation when the task was saved; it must never launch a scan.
const BUNDLE = fileURLToPath(new URL('../dist/ias-bamboo.js', import.meta.url));
const API_KEY = 'bamboo-check-Key-5e6f7a8b9c0d';
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function check(variables: Record<string, string>, args: string[] = ['check']) {
  const sim = createSimulator({ scenario: 'demo', apiKey: API_KEY });
  const { baseUrl, close } = await sim.listen({ host: '127.0.0.1', port: 0 });
  const dir = await mkdtemp(join(tmpdir(), 'ias-bamboo-check-'));
  dirs.push(dir);
  try {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      bamboo_build_working_directory: dir,
      bamboo_ias_baseUrl: baseUrl,
      bamboo_ias_apiKey_password: API_KEY,
      bamboo_ias_app: 'Demo Shop',
      bamboo_ias_scanConfig: 'Full',
      bamboo_ias_gateQuery: "vulnerability.severity='HIGH'",
      ...variables,
    };
    for (const [name, value] of Object.entries(env)) if (value === '') delete env[name];
    const run = await runBundle({ bundle: BUNDLE, args, cwd: dir, env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace('{dir}', dir)])) });
    const lines = run.stdout.trimEnd().split('\n');
    expect(run.stdout + run.stderr).not.toContain(API_KEY);
    return { ...run, dir, files: await readTree(dir), scans: sim.state.scans(), lastLine: lines.at(-1) ?? '', baseUrl };
  } finally {
    await close();
    await sim.close();
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe.concurrent('ias-bamboo check', () => {
  it('good settings: one line per check, exit 0, no scan and no file written', async () => {
    const run = await check({});
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Rapid7 InsightAppSec settings check');
    expect(run.stdout).toContain(`ok      api-key: ias.apiKey.password is accepted by ${run.baseUrl}`);
    expect(run.stdout).toMatch(/ok {6}target: application 'Demo Shop' \(.+\), scan configuration 'Full'/);
    expect(run.lastLine).toBe('InsightAppSec check: Preflight passed: every check is ok; nothing was launched; exit 0');
    expect(run.scans).toEqual([]);
    expect([...run.files.keys()]).toEqual([]);
  });

  it('also as --check', async () => {
    const run = await check({}, ['--check']);
    expect(run.code).toBe(0);
    expect(run.scans).toEqual([]);
  });

  it('an unknown app or scan configuration: exit 2, naming the variable', async () => {
    const app = await check({ bamboo_ias_app: 'Demo Shopp' });
    expect(app.code).toBe(2);
    expect(app.stderr).toMatch(/ERROR: FAILED {2}target: ias\.app \(App Name\) 'Demo Shopp' matches no application \(closest: 'Demo Shop'\)/);
    const config = await check({ bamboo_ias_scanConfig: 'Nightly' });
    expect(config.code).toBe(2);
    expect(config.stderr).toContain("target: ias.scanConfig (Scan Config Name) 'Nightly' matches no scan configuration of 'Demo Shop'");
    expect([...app.scans, ...config.scans]).toEqual([]);
  });

  it('a key the API refuses: exit 5', async () => {
    const run = await check({ bamboo_ias_apiKey_password: 'not-the-key-123' });
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('api-key: ias.apiKey.password is not accepted by');
    expect(run.stdout + run.stderr).not.toContain('not-the-key-123');
  });

  it('a query that does not parse: exit 2 before the API is asked', async () => {
    const run = await check({ bamboo_ias_gateQuery: 'vulnerability.severity="HIGH"' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('settings: ias.gateQuery (Vulnerability Query) is not a valid query');
  });

  it('a report folder that cannot be created: exit 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ias-bamboo-check-file-'));
    dirs.push(dir);
    await writeFile(join(dir, 'a-file'), 'x');
    const run = await check({ bamboo_ias_outputDir: join(dir, 'a-file', 'reports') });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('output-folder: ias.outputDir');
    expect(run.stderr).toContain('(ENOTDIR)');
  });

  it('ias.proxy that does not answer: named as the proxy, its password hidden, exit 5', async () => {
    const port = await closedPort();
    const run = await check({ bamboo_ias_proxy: `http://ci:Pr0xy-Pass-77@127.0.0.1:${port}` });
    expect(run.code).toBe(5);
    expect(run.stderr).toContain(`proxy: the proxy http://127.0.0.1:${port} did not carry the request`);
    expect(run.stdout + run.stderr).not.toContain('Pr0xy-Pass-77');
  });

  it('an unknown command word is refused before anything runs', async () => {
    const run = await check({}, ['chek']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("'chek' is not a command of ias-bamboo");
    expect(run.scans).toEqual([]);
  });
});
