import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulator, type Simulator, type SimulatorListener } from '@ias/simulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './spawn-cli';

// `ias check` end to end: the built bundle against ias-sim on 127.0.0.1. Nothing may be launched in any case.
const KEY = 'sk-live-CHECK-CANARY-1a2b3c4d';
let sim: Simulator;
let listener: SimulatorListener;
let dir: string;

beforeEach(async () => {
  sim = createSimulator({ scenario: 'demo', apiKey: KEY });
  listener = await sim.listen({ host: '127.0.0.1', port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'ias-cli-check-'));
});
afterEach(async () => {
  expect(sim.state.scans()).toEqual([]);
  await listener.close();
  await sim.close();
});

const check = (...extra: string[]) => ['check', '--base-url', listener.baseUrl, '--app', 'Demo Shop', '--scan-config', 'Full', '--output-dir', join(dir, 'reports'), ...extra];
const env = { IAS_API_KEY: KEY };

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('ias check (built bundle) against the simulator on 127.0.0.1', () => {
  it('passes good settings with one line per check, exit 0, and launches nothing', async () => {
    const run = await runCli(check('--gate-query', "vulnerability.severity='HIGH'"), env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`ok      api-key: IAS_API_KEY is accepted by ${listener.baseUrl}`);
    expect(run.stdout).toMatch(/ok {6}target: application 'Demo Shop' \(.+\), scan configuration 'Full'/);
    expect(run.stdout).toContain("ok      gate-query: gate: vulnerability.severity = 'HIGH'");
    expect(run.stdout).toContain(`ok      output-folder: --output-dir '${join(dir, 'reports')}' can be written`);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('Preflight passed: every check is ok; nothing was launched; exit 0');
    expect(readdirSync(join(dir, 'reports'))).toEqual([]);
    expect(sim.counters.get('POST /scans')).toBe(0);
  });

  it('a wrong API key: exit 5, the key never shown', async () => {
    const run = await runCli(check(), { IAS_API_KEY: 'sk-wrong-CANARY-99' });
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/FAILED {2}api-key: IAS_API_KEY is not accepted by .+ \(401 Unauthorized\)/);
    expect(run.stdout).toContain('skipped target:');
    expect(run.stdout + run.stderr).not.toContain('sk-wrong-CANARY-99');
  });

  it('an unknown application and an unknown scan configuration: exit 2', async () => {
    const app = await runCli([...check(), '--app', 'Demo Shopp'], env);
    expect(app.code).toBe(2);
    expect(app.stderr).toMatch(/FAILED {2}target: --app 'Demo Shopp' matches no application \(closest: 'Demo Shop'\)/);
    const config = await runCli([...check(), '--scan-config', 'Fulll'], env);
    expect(config.code).toBe(2);
    expect(config.stderr).toMatch(/FAILED {2}target: --scan-config 'Fulll' matches no scan configuration of 'Demo Shop'/);
  });

  it('a bad gate query: exit 2 before the API is asked', async () => {
    const run = await runCli(check('--gate-query', 'vulnerability.severity="HIGH"'), env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^FAILED {2}settings: --gate-query is not a valid query: /m);
    expect(sim.counters.total()).toBe(0);
  });

  it('an output folder that cannot be created: exit 2 with the system code', async () => {
    writeFileSync(join(dir, 'a-file'), 'x');
    const run = await runCli([...check(), '--output-dir', join(dir, 'a-file', 'reports')], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`FAILED  output-folder: --output-dir '${join(dir, 'a-file', 'reports')}' cannot be written (ENOTDIR); choose a folder this step may write to.`);
    expect(run.stdout).toMatch(/ok {6}api-key:/);
  });

  it('a proxy that does not answer: named as the proxy problem, its password hidden, exit 5', async () => {
    const port = await closedPort();
    const run = await runCli(check(), { ...env, HTTP_PROXY: `http://ci:Pr0xy-CANARY@127.0.0.1:${port}` });
    expect(run.code).toBe(5);
    expect(run.stderr).toContain(`FAILED  proxy: the proxy http://127.0.0.1:${port} did not carry the request to ${new URL(listener.baseUrl).origin} (ECONNREFUSED)`);
    expect(run.stdout).toContain('skipped api-key:');
    expect(run.stdout + run.stderr).not.toContain('Pr0xy-CANARY');
  });

  it('NO_PROXY for the API host: the proxy is not used, and the check passes', async () => {
    const port = await closedPort();
    const run = await runCli(check(), { ...env, HTTP_PROXY: `http://127.0.0.1:${port}`, NO_PROXY: '127.0.0.1' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('skipped proxy: no proxy');
  });

  it('--json prints the checks as one object', async () => {
    const run = await runCli(check('--json'), env);
    const result = JSON.parse(run.stdout) as { ok: boolean; exitCode: number; items: { check: string; state: string }[] };
    expect(result).toMatchObject({ ok: true, exitCode: 0 });
    expect(result.items.map((i) => i.check)).toEqual(['gate-query', 'gate-files', 'output-folder', 'proxy', 'api-key', 'target']);
  });
});
