
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSimulator, type FaultRule } from '@ias/simulator';
import { readTree, runBundle } from '@ias/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';

// End to end: the built bundle, spawned the way a Bamboo Script task runs it, with bamboo_* variables, against the
// simulator on 127.0.0.1. Every byte the task prints or writes is kept, to search it for the API key at the end.
const BUNDLE = fileURLToPath(new URL('../dist/ias-bamboo.js', import.meta.url));
const API_KEY = 'bamboo-e2e-Key-9f8e7d6c5b4a';
const TIME_SCALE = 0.003;
const JUNIT_XSD = readFileSync(new URL('../../../tooling/schemas/junit.xsd', import.meta.url), 'utf8');

/** The schema errors of a JUnit file (none when it is valid). */
async function junitErrors(xml: string | undefined): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml ?? '' }], schema: [{ fileName: 'junit.xsd', contents: JUNIT_XSD }] });
  return result.errors.map((e) => e.rawMessage);
}

interface TaskRun {
  code: number | null;
  stdout: string;
  stderr: string;
  dir: string;
  files: Map<string, string>;
  scans: { id: string; status: string; failure_reason?: string | null }[];
  lastLine: string;
}

const captured: string[] = [];
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function runTask(
  variables: Record<string, string>,
  options: { args?: string[]; faults?: FaultRule[]; onStdout?: (text: string, kill: (signal: NodeJS.Signals) => void) => void } = {},
): Promise<TaskRun> {
  const sim = createSimulator({ scenario: 'demo', timeScale: TIME_SCALE, apiKey: API_KEY });
  for (const fault of options.faults ?? []) sim.faults.add(fault);
  const { baseUrl, close } = await sim.listen({ host: '127.0.0.1', port: 0 });
  const dir = await mkdtemp(join(tmpdir(), 'ias-bamboo-'));
  dirs.push(dir);
  try {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      bamboo_build_working_directory: dir,
      bamboo_buildNumber: '42',
      bamboo_ias_baseUrl: baseUrl,
      bamboo_ias_apiKey_password: API_KEY,
      bamboo_ias_app: 'Demo Shop',
      bamboo_ias_scanConfig: 'Full',
      bamboo_ias_pollInterval: '1s',
      ...variables,
    };
    // An empty value removes a variable the defaults above set.
    for (const [name, value] of Object.entries(env)) if (value === '') delete env[name];
    const result = await runBundle({ bundle: BUNDLE, args: options.args ?? [], cwd: dir, env, ...(options.onStdout === undefined ? {} : { onStdout: options.onStdout }) });
    const files = await readTree(dir);
    captured.push(result.stdout, result.stderr, ...files.values());
    const lines = result.stdout.trimEnd().split('\n');
    return { ...result, dir, files, scans: sim.state.scans(), lastLine: lines[lines.length - 1] ?? '' };
  } finally {
    await close();
    await sim.close();
  }
}

const METRICS = 'insightappsec-scan-metrics.json';
const FINDINGS = 'insightappsec-scan-findings.json';
const JUNIT = 'insightappsec-scan-junit.xml';

describe.concurrent('ias-bamboo bundle against the simulator', () => {
  it('advance on COMPLETED (the default): reports and JUnit in the working directory, exit 0', async () => {
    const run = await runTask({});
    expect(run.code, run.stderr).toBe(0);
    for (const name of [METRICS, FINDINGS, JUNIT, 'insightappsec-scan-result.json']) expect(run.files.has(name), name).toBe(true);
    const metrics = JSON.parse(run.files.get(METRICS)!) as { metrics: { severity: Record<string, number> } };
    const total = Object.values(metrics.metrics.severity).reduce((a, b) => a + b, 0);
    expect(total).toBe(40);
    expect((JSON.parse(run.files.get(FINDINGS)!) as unknown[]).length).toBe(40);
    expect(run.stdout).toContain('Report files in');
    expect(run.stdout).toMatch(/ {2}insightappsec-scan-metrics\.json \(/);
    expect(run.lastLine).toMatch(/^InsightAppSec verdict: PASSED, 0 matching findings \(no vulnerability query enforced; 40 findings in scan [0-9a-f-]{36}\); exit 0$/);
    expect(run.scans[0]?.status).toBe('COMPLETE');
  });

  it('advance on SUBMITTED: exit 0 at once, the scan keeps running, a JUnit file still exists for the parser', async () => {
    const run = await runTask({ bamboo_ias_advanceOn: 'SUBMITTED', bamboo_ias_outputDir: 'reports' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.scans).toHaveLength(1);
    expect(run.scans[0]?.status).not.toMatch(/COMPLETE|FAILED/);
    expect([...run.files.keys()].sort()).toEqual(['reports/insightappsec-scan-junit.xml', 'reports/insightappsec-scan-result.json', 'reports/insightappsec-scan-variables.properties']);
    expect(run.files.get(`reports/${JUNIT}`)).toContain('<testcase name="InsightAppSec scan"');
    expect(run.files.get('reports/insightappsec-scan-variables.properties')).toContain(`scanId=${run.scans[0]!.id}`);
    expect(run.stdout).toContain('Artifact copy pattern for these files: reports/insightappsec-scan-*');
    expect(run.stdout).toContain('No metrics or findings report: the task advanced once the scan was SUBMITTED');
    expect(run.lastLine).toMatch(/PASSED, 0 matching findings \(scan [0-9a-f-]{36} advanced once SUBMITTED; findings not collected\); exit 0$/);
  });

  it('advance on STARTED: waits for RUNNING, then exit 0', async () => {
    const run = await runTask({ bamboo_ias_advanceOn: 'started' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/RUNNING/);
    expect(run.scans[0]?.status).not.toMatch(/COMPLETE|FAILED/);
    expect(run.lastLine).toContain('advanced once STARTED');
  });

  it('vulnerability query matches: exit 1 with the number of matching findings, reports and JUnit still written', async () => {
    const run = await runTask({ bamboo_ias_gateQuery: "vulnerability.severity='HIGH'" });
    expect(run.code, run.stderr).toBe(1);
    const result = JSON.parse(run.files.get('insightappsec-scan-result.json')!) as { gate: { matched: number } };
    const metrics = JSON.parse(run.files.get(METRICS)!) as { metrics: { severity: Record<string, number> } };
    const high = metrics.metrics.severity.HIGH ?? 0;
    expect(high).toBeGreaterThan(0);
    expect(result.gate.matched).toBe(high);
    expect(run.lastLine).toMatch(new RegExp(`FAILED \\(vulnerability query matched\\), ${high} matching findings for .*HIGH.*; exit 1$`));
    expect(run.stderr).toContain(`Gate failed: ${high} finding`);
    for (const name of [METRICS, FINDINGS, JUNIT]) expect(run.files.has(name), name).toBe(true);
    expect(run.files.get(JUNIT)).toContain('<failure');
  });

  it('counts a CRITICAL finding like any other and gates on it (the official plugin crashes)', async () => {
    const run = await runTask({ bamboo_ias_scanConfig: "Bob's nightly", bamboo_ias_gateQuery: "vulnerability.severity='CRITICAL'", bamboo_ias_queryEnforcement: 'true' });
    expect(run.code, run.stderr).toBe(1);
    const metrics = JSON.parse(run.files.get(METRICS)!) as { metrics: { severity: Record<string, number> } };
    const critical = metrics.metrics.severity.CRITICAL ?? 0;
    expect(critical).toBeGreaterThan(0);
    const findings = JSON.parse(run.files.get(FINDINGS)!) as { severity: string }[];
    expect(findings.filter((f) => f.severity === 'CRITICAL')).toHaveLength(critical);
    expect(run.files.get(JUNIT)).toContain('[CRITICAL]');
    expect(run.lastLine).toMatch(new RegExp(`, ${critical} matching finding${critical === 1 ? '' : 's'} for .*CRITICAL.*; exit 1$`));
  });

  it('Vulnerability Query Enforcement off: the query is not applied, exit 0', async () => {
    const run = await runTask({ bamboo_ias_gateQuery: "vulnerability.severity='HIGH'", bamboo_ias_queryEnforcement: 'false', bamboo_ias_findingsReport: 'false' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('but ias.queryEnforcement (Vulnerability Query Enforcement) is false');
    expect(run.files.has(FINDINGS)).toBe(false);
    expect(run.files.has(METRICS)).toBe(true);
    expect(run.stdout).toContain('No findings report: ias.findingsReport (Findings Report Generation) is false.');
  });

  it('the pending budget (a bare number is minutes) cancels a scan that never starts: exit 4', async () => {
    // 0.05 minutes = 3 s.
    const run = await runTask({ bamboo_ias_maxPending: '0.05' }, { faults: [{ route: 'POST /scans', kind: 'never-start' }] });
    expect(run.code, run.stdout + run.stderr).toBe(4);
    expect(run.stderr).toMatch(/pending budget of 3s ran out/);
    expect(run.scans[0]?.status).toMatch(/CANCELING|FAILED/);
    expect(run.files.get(JUNIT)).toContain('type="budget-exceeded"');
    expect(run.lastLine).toMatch(/FAILED \(scan timed out\), 0 matching findings .*; exit 4$/);
  });

  it('the execution budget cancels a running scan: exit 4, the flag overrides the variable', async () => {
    // The simulator holds the scan RUNNING until the CANCEL, so the budget is what ends it (no race with the clock).
    const run = await runTask({ bamboo_ias_maxExecution: '120' }, { args: ['--max-execution', '2s'], faults: [{ route: 'POST /scans', kind: 'never-finish', times: 1 }] });
    expect(run.code, run.stdout + run.stderr).toBe(4);
    expect(run.stderr).toMatch(/execution budget of 2s ran out/);
    expect(run.scans[0]?.status).toMatch(/CANCELING|FAILED/);
  });

  it('a failed scan: exit 3 with the reason, a JUnit file with the failure', async () => {
    const run = await runTask({ bamboo_ias_scanConfig: 'Swagger import' });
    expect(run.code, run.stdout + run.stderr).toBe(3);
    expect(run.stderr).toContain('SWAGGER_PARSING_ERROR');
    expect(run.files.get(JUNIT)).toContain('<failure type="scan-failed"');
    expect(await junitErrors(run.files.get(JUNIT))).toEqual([]);
    expect(run.stdout).toContain('No metrics or findings report: the scan did not complete');
    expect(run.lastLine).toMatch(/FAILED \(scan failed\), 0 matching findings .*; exit 3$/);
  });

  it('"Stop build" (SIGTERM) cancels the scan within 5 seconds: exit 130', async () => {
    let sentAt = 0;
    const run = await runTask({}, {
      onStdout: (text, kill) => {
        if (sentAt === 0 && /Scan [0-9a-f-]{36}: (PENDING|PROVISIONING|RUNNING|QUEUED)/.test(text)) {
          sentAt = Date.now();
          kill('SIGTERM');
        }
      },
    });
    expect(sentAt).toBeGreaterThan(0);
    expect(Date.now() - sentAt).toBeLessThan(5_000);
    expect(run.code, run.stdout + run.stderr).toBe(130);
    expect(run.scans[0]?.status).toMatch(/CANCELING|FAILED/);
    expect(run.stdout).toContain('Received SIGTERM (build stopped)');
    expect(run.lastLine).toMatch(/STOPPED \(build stopped\), 0 matching findings .*was canceled\); exit 130$/);
  });

  it('bad settings: exit 2 before any scan, naming the variable as the user typed it', async () => {
    const run = await runTask({ bamboo_ias_pollInterval: 'often', bamboo_ias_queryEnforcement: 'true' });
    expect(run.code).toBe(2);
    expect(run.scans).toHaveLength(0);
    expect(run.stderr).toContain('ias.queryEnforcement (Vulnerability Query Enforcement) is true but ias.gateQuery (Vulnerability Query) is empty');
    // Bamboo's JUnit Parser still finds a result file: the settings error as one test case in error.
    expect(run.files.get(JUNIT)).toContain('<error type="config-error" message="ias.queryEnforcement (Vulnerability Query Enforcement) is true but ias.gateQuery');
    expect(await junitErrors(run.files.get(JUNIT))).toEqual([]);
    expect([...run.files.keys()].sort()).toEqual([JUNIT, 'insightappsec-scan-variables.properties']);
    expect(run.lastLine).toMatch(/FAILED \(configuration error\), 0 matching findings .*; exit 2$/);
  });

  it('an API key in a variable without "password" in its name is refused', async () => {
    const run = await runTask({ bamboo_ias_apiKey_password: '', bamboo_ias_apiKey: API_KEY });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('rename the variable to ias.apiKey.password');
  });

  it('debug logging traces every request without the API key', async () => {
    const run = await runTask({ bamboo_ias_debug: 'true', bamboo_ias_gateQuery: "vulnerability.severity='HIGH'" }, { faults: [{ route: 'GET /scans/{id}', kind: 'status', status: 503, times: 1 }] });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/DEBUG: HTTP POST http:\/\/127\.0\.0\.1:\d+\/ias\/v1\/scans \(.*x-api-key: \*\*\*/);
    expect(run.stdout).toContain('DEBUG: API key: set (');
    expect(run.stdout).toMatch(/DEBUG: .*503/);
  });

});

// Suites run in order: this one starts once every concurrent run above has finished.
describe('after every run', () => {
  it('the API key appears nowhere in what any run printed or wrote, debug logging included', () => {
    expect(captured.length).toBeGreaterThan(20);
    for (const text of captured) expect(text.includes(API_KEY)).toBe(false);
  });
});
