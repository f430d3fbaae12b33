import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, expectKeyNeverShown, removeWorkspace, runAction, startSimulator, workflowCommands, type ActionRun, type RunningSimulator } from './harness';

// End to end: the committed bundle, started like the runner starts it, against the simulator on 127.0.0.1.
// Demo scans take 1200 s of scenario time; at timeScale 0.003 that is 3.6 s.

const FULL_CONFIG_ID = 'c0000000-0000-4000-8000-000000000001';
const DEMO_SHOP_ID = 'a0000000-0000-4000-8000-000000000001';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let server: RunningSimulator;
const workspaces: string[] = [];

beforeAll(async () => {
  server = await startSimulator(0.003);
});

afterAll(async () => {
  await server.close();
  for (const w of workspaces) await removeWorkspace(w);
});

async function action(inputs: Record<string, string>): Promise<ActionRun> {
  const run = await runAction({ 'api-key': API_KEY, 'base-url': server.baseUrl, 'poll-interval': '1s', ...inputs });
  workspaces.push(run.workspace);
  return run;
}

function sarifValidator() {
  const ajv = new Ajv04({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(new URL('../../../tooling/schemas/sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as object);
}

describe('the action end to end', () => {
  it('passes a clean scan and sets every output, the summary and the log groups', async () => {
    const run = await action({ app: 'Payments API', 'scan-config': 'Payments smoke', 'fail-on': 'HIGH' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const o = run.outputs;
    expect(o['scan-id']).toMatch(UUID);
    expect(o).toMatchObject({ status: 'COMPLETE', result: 'passed', 'gate-result': 'passed', 'findings-count': '0' });
    expect(JSON.parse(o.counts!)).toEqual({ total: 0, bySeverity: {}, byModule: {} });
    expect(o['report-dir']).toBe(join(run.workspace, 'insightappsec-reports'));
    expect(o['sarif-file']).toBe(join(run.workspace, 'insightappsec-reports', 'insightappsec-scan.sarif'));
    expect(JSON.parse(o['scan-findings']!)).toEqual({ vulnerabilities: {} });
    expect(run.files[o['sarif-file']!]).toBeDefined();
    expect(run.summary).toContain('Payments smoke');
    expect(run.stdout).toContain('::group::InsightAppSec: resolve and launch');
    expect(run.stdout).toContain(`::group::InsightAppSec: scan ${o['scan-id']}`);
    expect(workflowCommands(run.stdout, 'error')).toEqual([]);
    expect(run.state).toMatchObject({ isPost: 'true', scanId: o['scan-id'], scanSettled: 'true' });
    expect(run.stdout).toMatch(/^::debug::/m);
    expectKeyNeverShown(run);
  });

  it('fails the gate with exit 1, the reason first, nine finding annotations (ten errors, the runner cap), a notice for the rest and a valid SARIF file', async () => {
    const run = await action({ app: 'Demo Shop', 'scan-config': 'Full', 'fail-on': 'LOW', 'fail-on-statuses': 'none' });
    expect(run.code).toBe(1);
    const errors = workflowCommands(run.stdout, 'error');
    expect(errors).toHaveLength(10);
    expect(errors[0]!.message).toMatch(/^Gate failed: /);
    const annotations = errors.filter((e) => e.properties.startsWith('title=InsightAppSec '));
    expect(annotations).toHaveLength(9);
    expect(annotations[0]!.properties).toMatch(/^title=InsightAppSec CRITICAL: /);
    const failures = errors.filter((e) => !e.properties.startsWith('title='));
    expect(failures).toHaveLength(1);
    expect(failures[0]!.message).toMatch(/^Gate failed: \d+ of 40 findings of scan /);
    const notices = workflowCommands(run.stdout, 'notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.message).toMatch(/^\d+ more findings match the gate/);

    const o = run.outputs;
    expect(o).toMatchObject({ status: 'COMPLETE', result: 'gate-failed', 'gate-result': 'failed', 'findings-count': '40' });
    const counts = JSON.parse(o.counts!) as { total: number; bySeverity: Record<string, number> };
    expect(counts.total).toBe(40);
    expect(Object.values(counts.bySeverity).reduce((a, b) => a + b, 0)).toBe(40);
    const official = JSON.parse(o['scan-findings']!) as { vulnerabilities: Record<string, number>; scanLink: string };
    expect(Object.keys(official.vulnerabilities)[0]).toBe('CRITICAL');
    // The demo scenario's organisation (packages/simulator, DEFAULT_ORGANIZATION_ID) in region us.
    expect(official.scanLink).toBe(`https://us.appsec.insight.rapid7.com/op/5A1B0C2D3E4F60718293/#/apps/${DEMO_SHOP_ID}/configuration/${FULL_CONFIG_ID}/scan/${o['scan-id']}`);
    expect(run.summary).toMatch(/more matching findings|CRITICAL/);

    const sarifText = run.files[o['sarif-file']!]!;
    const validate = sarifValidator();
    const sarif = JSON.parse(sarifText) as { version: string; runs: { results: unknown[] }[] };
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(sarif.version).toBe('2.1.0');
    // fail-on-statuses none ignores no status, so only the 3 REMEDIATED findings stay out of code scanning.
    expect(sarif.runs[0]!.results).toHaveLength(37);
    expectKeyNeverShown(run);
  });

  it('fails a failed scan with exit 3 and names the failure reason', async () => {
    const run = await action({ app: 'Demo Shop', 'scan-config': 'Swagger import' });
    expect(run.code).toBe(3);
    expect(run.outputs).toMatchObject({ status: 'FAILED', result: 'scan-failed', 'gate-result': 'none', 'findings-count': '' });
    expect(run.outputs['scan-findings']).toBeUndefined();
    const failures = workflowCommands(run.stdout, 'error');
    expect(failures).toHaveLength(1);
    expect(failures[0]!.message).toContain('SWAGGER_PARSING_ERROR');
    expect(run.summary).toContain('scan-failed (exit 3)');
    expectKeyNeverShown(run);
  });

  it('runs out of the pending budget with exit 4 and cancels the scan', async () => {
    server.sim.faults.add({ route: 'POST /scans', kind: 'never-start', times: 1 });
    const run = await action({ app: 'Demo Shop', 'scan-config': 'Full', 'max-pending': '2s' });
    expect(run.code).toBe(4);
    expect(run.outputs.result).toBe('budget-exceeded');
    const scan = server.sim.state.scans().find((s) => s.id === run.outputs['scan-id']);
    expect(scan?.status).toMatch(/^(CANCELING|FAILED)$/);
    expect(workflowCommands(run.stdout, 'error')).toHaveLength(1);
    expectKeyNeverShown(run);
  });

  it('stops bad inputs before launching, naming the input (exit 2)', async () => {
    const launches = server.sim.counters.get('POST /scans');
    const run = await action({ app: 'Demo Shop', 'scan-config': 'Full', 'poll-interval': 'soon', 'cancel-on-interrupt': 'yes' });
    expect(run.code).toBe(2);
    const failures = workflowCommands(run.stdout, 'error');
    expect(failures).toHaveLength(1);
    expect(failures[0]!.message).toMatch(/^cancel-on-interrupt must be true or false/);
    expect(run.outputs.result).toBe('config-error');
    expect(server.sim.counters.get('POST /scans')).toBe(launches);
    expectKeyNeverShown(run);
  });

  it('runs a workflow written for the official action with its meaning: scan-config-id, vuln-query, wait-for-scan-complete, scan-timeout-mins', async () => {
    // action() adds only base-url and poll-interval: the simulator instead of the region's API, and accelerated time.
    const run = await action({
      region: 'us',
      'api-key': API_KEY,
      'scan-config-id': FULL_CONFIG_ID,
      'vuln-query': "vulnerability.severity='CRITICAL'",
      'wait-for-scan-complete': 'true',
      'scan-timeout-mins': '30',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('scan-timeout-mins 30: the scan is canceled if it has not completed 30 minutes after launch');
    const official = JSON.parse(run.outputs['scan-findings']!) as { vulnerabilities: Record<string, number>; scanLink?: string };
    expect(Object.keys(official.vulnerabilities)).toEqual(['CRITICAL']);
    expect(official.vulnerabilities.CRITICAL).toBeGreaterThan(0);
    expect(official.scanLink).toContain(`/configuration/${FULL_CONFIG_ID}/scan/${run.outputs['scan-id']}`);
    expect(run.outputs['gate-result']).toBe('failed');
    expectKeyNeverShown(run);
  });

  it('returns the official "Scan ID: <id>" output without waiting, leaving the scan running on purpose', async () => {
    const run = await action({ 'scan-config-id': FULL_CONFIG_ID, 'wait-for-scan-complete': 'false' });
    expect(run.code).toBe(0);
    expect(run.outputs['scan-findings']).toBe(`Scan ID: ${run.outputs['scan-id']}`);
    expect(run.state.scanSettled).toBe('true');
    expectKeyNeverShown(run);
  });
});
