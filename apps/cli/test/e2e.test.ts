import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulator, type Simulator, type SimulatorListener } from '@ias/simulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReferenceServer } from './reference-server';
import { runCli } from './spawn-cli';

const KEY = 'sk-live-CANARY-9f8e7d6c5b4a';
let sim: Simulator;
let listener: SimulatorListener;
let dir: string;

beforeEach(async () => {
  sim = createSimulator({ scenario: 'demo', apiKey: KEY, timeScale: 0.002 });
  listener = await sim.listen({ host: '127.0.0.1', port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'ias-cli-e2e-'));
});
afterEach(async () => {
  await listener.close();
  await sim.close();
});

const scan = (...extra: string[]) => ['scan', '--base-url', listener.baseUrl, '--app', 'Demo Shop', '--scan-config', 'Full', '--poll-interval', '1s', '--output-dir', dir, ...extra];
const env = { IAS_API_KEY: KEY, IAS_DEBUG: '1' };

function expectNoKey(...texts: string[]): void {
  for (const text of texts) expect(text).not.toContain(KEY);
  for (const file of readdirSync(dir)) expect(readFileSync(join(dir, file), 'utf8')).not.toContain(KEY);
}

describe('ias scan (built bundle) against the simulator on 127.0.0.1', () => {
  it('runs the demo: scan id, status changes, counts, report paths, gate verdict, exit 1', async () => {
    const run = await runCli(scan('--gate-query', "vulnerability.severity='CRITICAL' || vulnerability.severity='HIGH'"), env);
    expect(run.code).toBe(1);
    const scanId = sim.state.scans()[0]?.id ?? 'none';
    expect(run.stdout).toContain(`Launched scan ${scanId}`);
    expect(run.stdout).toMatch(/RUNNING \(was/);
    expect(run.stdout).toMatch(/COMPLETE \(was/);
    expect(run.stdout).toMatch(/Findings: 40 \(CRITICAL \d+, HIGH \d+/);
    expect(run.stdout).toContain(join(dir, 'insightappsec-scan.sarif'));
    expect(run.stdout).toMatch(/Gate: {4}FAILED, \d+ matching findings/);
    expect(run.stdout).toMatch(/✖ Gate failed: \d+ of 40 findings .* \(exit 1\)/);
    expect(readdirSync(dir).sort()).toEqual([
      'gl-dast-report.json',
      'insightappsec-scan-findings.json',
      'insightappsec-scan-junit.xml',
      'insightappsec-scan-metrics.json',
      'insightappsec-scan-report.html',
      'insightappsec-scan-result.json',
      'insightappsec-scan-summary.md',
      'insightappsec-scan.sarif',
    ]);
    expectNoKey(run.stdout, run.stderr);
  });

  it('prints the outcome as one JSON object with --json, the same as the result file', async () => {
    const run = await runCli(scan('--json', '--fail-on', 'critical'), env);
    const outcome = JSON.parse(run.stdout) as Record<string, unknown> & { gate: { passed: boolean; matched: number }; counts: { total: number; bySeverity: Record<string, number> }; reports: { format: string; path: string }[] };
    expect(run.code).toBe(outcome.exitCode);
    expect(outcome.scanId).toBe(sim.state.scans()[0]?.id);
    expect(outcome.status).toBe('COMPLETE');
    expect(outcome.gate).toMatchObject({ passed: outcome.exitCode === 0 });
    expect(typeof outcome.gate.matched).toBe('number');
    expect(outcome.counts.total).toBe(40);
    expect(outcome.reports.map((r) => r.format)).toContain('result');
    const file = JSON.parse(readFileSync(join(dir, 'insightappsec-scan-result.json'), 'utf8')) as Record<string, unknown>;
    expect({ ...file, reports: undefined }).toEqual({ ...outcome, reports: undefined });
    expect(run.stderr).toMatch(/Launched scan/);
  });

  it('exits 5 on a wrong API key, naming the problem without showing either key', async () => {
    const run = await runCli(scan(), { IAS_API_KEY: 'sk-wrong-key-0000', IAS_DEBUG: '1' });
    expect(run.code).toBe(5);
    expect(run.stdout).toMatch(/failed with 401 Unauthorized; check the API key and the region/);
    expect(run.stdout + run.stderr).not.toContain('sk-wrong-key-0000');
    expect(sim.counters.get('POST /scans')).toBe(0);
  });

  it('exits 2 for an unknown app, listing the closest names, before launching', async () => {
    const run = await runCli(['scan', '--base-url', listener.baseUrl, '--app', 'Demo Shpo', '--scan-config', 'Full'], env);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("--app 'Demo Shpo' matches no application (closest: 'Demo Shop')");
    expect(sim.counters.get('POST /scans')).toBe(0);
  });

  it('exits 2 for a gate query with a double quote before any request', async () => {
    const run = await runCli(scan('--gate-query', 'vulnerability.severity="HIGH"'), env);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('--gate-query is not a valid query: Double quotes are not accepted around values');
    expect(run.stdout).toContain('                       ^^^^^^');
    expect(sim.counters.total()).toBe(0);
  });

  it('refuses the API key as a flag', async () => {
    const run = await runCli([...scan(), '--api-key', 'x'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/set the key in the IAS_API_KEY variable instead/);
  });

  it('cancels the scan within 5 s and exits 130 on SIGTERM while RUNNING', async () => {
    let sentAt = 0;
    const run = await runCli(scan(), env, {
      onStdout: (text, kill) => {
        if (sentAt === 0 && /RUNNING/.test(text)) {
          sentAt = Date.now();
          kill('SIGTERM');
        }
      },
    });
    expect(run.code).toBe(130);
    expect(run.stdout).toMatch(/was canceled/);
    const canceledWithin = Date.now() - sentAt;
    expect(canceledWithin).toBeLessThan(5_000);
    expect(sim.counters.get('PUT /scans/{id}/action')).toBe(1);
    expect(['CANCELING', 'FAILED']).toContain(sim.state.scans()[0]?.status);
  });

  it('stops the scan on --max-execution 2s --on-timeout stop, still writes reports and exits 4', async () => {
    // Slower scans for this one: RUNNING lasts 9 s, well past the 2 s budget.
    await listener.close();
    sim = createSimulator({ scenario: 'demo', apiKey: KEY, timeScale: 0.01 });
    listener = await sim.listen({ host: '127.0.0.1', port: 0 });
    const run = await runCli(scan('--max-execution', '2s', '--on-timeout', 'stop'), env);
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(/execution budget/);
    expect(readdirSync(dir)).toContain('insightappsec-scan-metrics.json');
    expect(sim.state.scans()[0]?.status).toBe('COMPLETE');
  });

  it('resumes a scan launched by an earlier run with --scan-id (launch now, gate later)', async () => {
    const first = await runCli(scan('--advance-on', 'submitted', '--json'), env);
    expect(first.code).toBe(0);
    const scanId = (JSON.parse(first.stdout) as { scanId: string }).scanId;
    const status = await runCli(['status', '--base-url', listener.baseUrl, '--scan-id', scanId], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^Scan ${scanId}: [A-Z_]+`));
    const second = await runCli(scan('--scan-id', scanId, '--fail-on', 'CRITICAL'), env);
    expect(second.code).toBe(1);
    expect(sim.state.scans()).toHaveLength(1);
    expect(second.stdout).toContain(`Attached to scan ${scanId}`);
  });
});

describe('ias scan against an independent IAS-compatible server', () => {
  it('completes a scan and writes correct reports, relying only on the reference contract', async () => {
    const server = await startReferenceServer(KEY, 2500);
    try {
      const run = await runCli(['scan', '--base-url', server.baseUrl, '--app', 'Reference App', '--scan-config', 'Reference Config', '--poll-interval', '1s', '--output-dir', dir, '--gate-query', "vulnerability.severity='HIGH'"], env);
      expect(run.stdout).toMatch(/Gate failed/);
      expect(run.code).toBe(1);
      const findings = JSON.parse(readFileSync(join(dir, 'insightappsec-scan-findings.json'), 'utf8')) as { id: string }[];
      expect(findings.map((f) => f.id).sort()).toEqual(server.findings.map((f) => f.id).sort());
      const metrics = JSON.parse(readFileSync(join(dir, 'insightappsec-scan-metrics.json'), 'utf8')) as { metrics: { severity: Record<string, number>; module: Record<string, number> } };
      const expectedModules: Record<string, number> = {};
      for (const f of server.findings) expectedModules[f.moduleName] = (expectedModules[f.moduleName] ?? 0) + 1;
      expect(metrics.metrics.module).toEqual(expectedModules);
      expect(metrics.metrics.severity.HIGH).toBe(server.findings.filter((f) => f.severity === 'HIGH').length);
      const result = JSON.parse(readFileSync(join(dir, 'insightappsec-scan-result.json'), 'utf8')) as { gate: { matched: number } };
      expect(result.gate.matched).toBe(server.findings.filter((f) => f.severity === 'HIGH').length);
      // 3 pages of 1000 followed by their absolute next links; the empty href on the last page ends paging.
      const searches = server.requests.filter((r) => r === 'POST /ias/v1/search');
      expect(searches.length).toBe(2 + 1 + 3);
    } finally {
      await server.close();
    }
  });
});
