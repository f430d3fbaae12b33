import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulator } from '@ias/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentRun } from './agent-emulator';
import { findSecret, removeRunFolders, runStep, startSimulator, type StepOptions } from './harness';

// "Check only (launch nothing)": the packaged task on the emulated agent (test/agent-emulator.ts) against the
// simulator on 127.0.0.1. A check launches nothing: every run also asserts that the simulator saw no POST /scans.
let server: Awaited<ReturnType<typeof startSimulator>>;
const dirs: string[] = [];
beforeAll(async () => {
  server = await startSimulator();
});
afterAll(async () => {
  await server.close();
  await removeRunFolders();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const SUMMARY = /^InsightAppSec check: Preflight failed: \d+ of \d+ checks failed; nothing was launched; exit [25]$/;
const errors = (run: AgentRun): string[] => run.issues.filter((i) => i.type === 'error').map((i) => i.message);

async function check(inputs: Record<string, string>, options: Partial<StepOptions> = {}): Promise<AgentRun> {
  const launches = server.sim.counters.get('POST /scans');
  const run = await runStep({ baseUrl: server.baseUrl, ...options, inputs: { application: 'Demo Shop', scanConfiguration: 'Full', scanGating: 'true', vulnerabilityQuery: "vulnerability.severity='HIGH'", checkOnly: 'true', ...inputs } });
  expect(server.sim.counters.get('POST /scans')).toBe(launches);
  expect(await findSecret(run)).toEqual([]);
  expect(run.commands.filter((c) => c.command === 'task.complete')).toHaveLength(1);
  expect(run.artifacts).toEqual([]);
  return run;
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('Check only (launch nothing)', () => {
  it('passes good settings: one log line per check, Succeeded, result passed, the checks in the run summary, no report', async () => {
    const run = await check({});
    expect(run.stderr).toBe('');
    expect(run.result).toBe('Succeeded');
    expect(run.issues).toEqual([]);
    expect(run.outputs).toEqual({ result: 'passed' });
    expect(run.message).toBe('InsightAppSec check: Preflight passed: every check is ok; nothing was launched; exit 0');
    expect(run.log).toContain(`ok      api-key: IAS Connection API Token is accepted by ${server.baseUrl}`);
    expect(run.log.some((l) => /^ok {6}target: application 'Demo Shop' \(.+\), scan configuration 'Full' \(.+\)$/.test(l))).toBe(true);
    expect(run.log.some((l) => /^ok {6}gate-query: gate: vulnerability\.severity = 'HIGH'/.test(l))).toBe(true);
    expect(run.log).toContain('skipped proxy: no proxy: the API is reached directly');
    expect(run.summaries).toEqual([join(run.folders.temp, 'insightappsec-check-summary.md')]);
    const summary = await readFile(run.summaries[0]!, 'utf8');
    expect(summary).toContain('## InsightAppSec check');
    expect(summary).toMatch(/\| ok \| target \| application 'Demo Shop'/);
    // The output directory was checked, not written.
    expect(run.log.some((l) => l.startsWith(`ok      output-folder: Output directory '${join(run.folders.staging, 'insightappsec')}' can be written`))).toBe(true);
  });

  it('a token the API refuses: Failed, result api-error, the summary line first, then the failed check', async () => {
    const other = createSimulator({ scenario: 'demo', apiKey: 'another-organisations-key-31' });
    const { baseUrl, close } = await other.listen({ host: '127.0.0.1', port: 0 });
    try {
      const run = await runStep({ baseUrl, inputs: { application: 'Demo Shop', scanConfiguration: 'Full', checkOnly: 'true' } });
      expect(await findSecret(run)).toEqual([]);
      expect(other.counters.get('POST /scans')).toBe(0);
      expect(run.result).toBe('Failed');
      expect(run.outputs.result).toBe('api-error');
      const found = errors(run);
      expect(found[0]).toMatch(SUMMARY);
      expect(found[0]).toMatch(/exit 5$/);
      expect(found[1]).toMatch(/^FAILED {2}api-key: IAS Connection API Token is not accepted by .+ \(401 Unauthorized\)/);
      expect(found).toHaveLength(2);
      expect(run.log).toContain('skipped target: Application and Scan Configuration not checked: the API could not be used');
      expect(await readFile(run.summaries[0]!, 'utf8')).toMatch(/\| FAILED \| api-key \|/);
    } finally {
      await close();
      await other.close();
    }
  });

  it('an unknown application: Failed, result config-error, naming the input and the closest name', async () => {
    const run = await check({ application: 'Demo Shopp' });
    expect(run.result).toBe('Failed');
    expect(run.outputs.result).toBe('config-error');
    const found = errors(run);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/exit 2$/);
    expect(found[1]).toMatch(/^FAILED {2}target: Application 'Demo Shopp' matches no application \(closest: 'Demo Shop'\)/);
  });

  it('an unknown scan configuration: Failed, naming the input and the application', async () => {
    const run = await check({ scanConfiguration: 'Nightly' });
    expect(run.outputs.result).toBe('config-error');
    expect(errors(run)[1]).toContain("target: Scan Configuration 'Nightly' matches no scan configuration of 'Demo Shop'");
  });

  it('a query that does not parse: Failed, naming Vulnerability Query, before the API is asked', async () => {
    const requests = server.sim.counters.total();
    const run = await check({ vulnerabilityQuery: 'vulnerability.severity="HIGH"' });
    expect(run.result).toBe('Failed');
    expect(run.outputs.result).toBe('config-error');
    expect(errors(run)[1]).toMatch(/^FAILED {2}settings: Vulnerability Query is not a valid query/);
    expect(server.sim.counters.total()).toBe(requests);
  });

  it('an output directory that cannot be created: Failed, naming Output directory and the cause', async () => {
    const holder = await mkdtemp(join(tmpdir(), 'ias-ado-check-'));
    dirs.push(holder);
    await writeFile(join(holder, 'a-file'), 'x');
    const run = await check({ outputDirectory: join(holder, 'a-file', 'reports') });
    expect(run.outputs.result).toBe('config-error');
    const found = errors(run);
    expect(found).toHaveLength(2);
    expect(found[1]).toMatch(/^FAILED {2}output-folder: Output directory '.+' cannot be written \(ENOTDIR\); choose a folder this step may write to\.$/);
  });

  it('an agent proxy that refuses connections: named as the proxy, its credentials hidden, result api-error', async () => {
    const port = await closedPort();
    const run = await check({}, { proxy: { url: `http://127.0.0.1:${port}`, username: 'build@corp', password: 'Pr0xy;Pass]77' } });
    expect(run.result).toBe('Failed');
    expect(run.outputs.result).toBe('api-error');
    const found = errors(run);
    expect(found).toHaveLength(2);
    expect(found[1]).toContain(`FAILED  proxy: the proxy http://127.0.0.1:${port} did not carry the request to ${new URL(server.baseUrl).origin} (ECONNREFUSED)`);
    expect(run.log).toContain('skipped api-key: IAS Connection API Token not checked: the proxy failed');
    // task-lib itself debug-prints the secret variable as it loads; the agent masks it.
    expect(await findSecret(run, ['Pr0xy;Pass]77', encodeURIComponent('Pr0xy;Pass]77')], { agentMasked: /^##vso\[task\.debug\]Agent\.ProxyPassword=/ })).toEqual([]);
  });

  it('no agent proxy, HTTP_PROXY as a pipeline variable that refuses connections: named as the proxy, its password hidden', async () => {
    const port = await closedPort();
    const run = await check({}, { variables: { HTTP_PROXY: `http://ci:Env-Pr0xy-55@127.0.0.1:${port}` } });
    expect(run.outputs.result).toBe('api-error');
    expect(errors(run)[1]).toContain(`FAILED  proxy: the proxy http://127.0.0.1:${port} did not carry the request to ${new URL(server.baseUrl).origin} (ECONNREFUSED)`);
    expect(run.stdout + run.stderr).not.toContain('Env-Pr0xy-55');
    expect(run.log.join('\n')).not.toContain('Env-Pr0xy-55');
  });

  it('more failed checks than the agent keeps issues: the summary first, 8 checks, a count of the rest; every check in the log', async () => {
    const run = await check({ scanStatusInterval: 'soon', maxPending: 'x', onTimeoutAction: 'x', advanceOn: 'x', reportFormats: 'x', failOnSeverity: 'x', scanId: 'x', cancelOnInterrupt: 'x', generateFindingsReport: 'x', redactHttpSecrets: 'x' });
    const found = errors(run);
    expect(found).toHaveLength(10);
    expect(found[0]).toMatch(SUMMARY);
    const failed = Number(/failed: (\d+) of/.exec(found[0]!)![1]);
    expect(failed).toBeGreaterThan(9);
    expect(found[9]).toBe(`… and ${failed - 8} more failed checks; see the log.`);
    expect(run.log.filter((l) => /FAILED {2}settings: /.test(l))).toHaveLength(failed);
  });

  it('a Check only value that is not yes/no fails before anything is sent', async () => {
    const requests = server.sim.counters.total();
    const run = await check({ checkOnly: 'maybe' });
    expect(run.result).toBe('Failed');
    expect(errors(run)[0]).toBe("Check only (launch nothing) 'maybe' is not a yes/no value; use true or false.");
    expect(server.sim.counters.total()).toBe(requests);
  });
});
