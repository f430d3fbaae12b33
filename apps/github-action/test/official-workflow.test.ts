import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, expectKeyNeverShown, removeWorkspace, workflowCommands } from './harness';
import { demoQueuedFor, runStep, startManualSimulator, type ManualSimulator } from './runner-step';

// A workflow written for rapid7/insightappsec-scan-github-actions, with only `uses:` changed, through the runner's
// contract on the simulator's manual clock. What the official action does (its index.js and lib/ScanTools.js):
// it polls every 5 minutes, has no limit while the scan is queued, counts scan-timeout-mins once from the launch,
// whatever the state, and then cancels the scan and fails the step.

const FULL_CONFIG_ID = 'c0000000-0000-4000-8000-000000000001';
const MINUTE = 60_000;

/** The official action's README example: region, key, configuration id, gating query, wait. */
const official = (extra: Record<string, string> = {}): Record<string, string> => ({
  region: 'us',
  'api-key': API_KEY,
  'scan-config-id': FULL_CONFIG_ID,
  'vuln-query': "vulnerability.severity='CRITICAL'",
  'wait-for-scan-complete': 'true',
  ...extra,
});

const workspaces: string[] = [];
afterEach(async () => {
  for (const w of workspaces.splice(0)) await removeWorkspace(w);
});

async function step(sim: ManualSimulator, inputs: Record<string, string>) {
  const run = await runStep(inputs, { fetch: sim.fetch, clock: sim.coreClock });
  workspaces.push(run.workspace);
  return run;
}

/** Intervals between status reads of the scan, in minutes. */
function pollGaps(sim: ManualSimulator): number[] {
  const reads = sim.requests.filter((r) => r.method === 'GET' && /\/scans\/[^/]+$/.test(r.path)).map((r) => r.at);
  return reads.slice(1).map((at, i) => (at - reads[i]!) / MINUTE);
}

describe('a workflow written for the official action', () => {
  it('waits for a scan queued 45 minutes instead of canceling it, polling every 5 minutes, then gates it', async () => {
    const sim = startManualSimulator({ apiKey: API_KEY, scenario: demoQueuedFor(45 * 60) });
    const run = await step(sim, official());
    expect(sim.actionsSent()).toEqual([]);
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ status: 'COMPLETE', result: 'gate-failed' });
    const findings = JSON.parse(run.outputs['scan-findings']!) as { vulnerabilities: Record<string, number>; scanLink: string };
    expect(Object.keys(findings.vulnerabilities)).toEqual(['CRITICAL']);
    expect(findings.scanLink).toContain(`/configuration/${FULL_CONFIG_ID}/scan/${run.outputs['scan-id']}`);
    expect(new Set(pollGaps(sim))).toEqual(new Set([5]));
    expect(sim.clock.now() - sim.launchedAt()).toBeGreaterThan(45 * MINUTE);
    expectKeyNeverShown(run);
  });

  it('cancels with scan-timeout-mins 10 exactly 10 minutes after launch, though the scan only started running at 9.5 minutes', async () => {
    // 7 minutes QUEUED, 1 PENDING, 1.5 PROVISIONING: a pending budget of 10 plus an execution budget of 10 would
    // have let it run until 19.5 minutes.
    const sim = startManualSimulator({ apiKey: API_KEY, scenario: demoQueuedFor(7 * 60) });
    const run = await step(sim, official({ 'scan-timeout-mins': '10' }));
    expect(sim.actionsSent()).toEqual([{ action: 'CANCEL', afterLaunchMs: 10 * MINUTE }]);
    expect(run.code).toBe(4);
    expect(run.outputs.result).toBe('budget-exceeded');
    const errors = workflowCommands(run.stdout, 'error');
    expect(errors[0]!.message).toMatch(/^The total budget of 10m from launch ran out while scan \S+ was RUNNING; the scan was canceled\.$/);
    expect(sim.sim.state.scans()[0]?.status).toBe('FAILED');
    expectKeyNeverShown(run);
  });

  it('cancels a scan still queued when scan-timeout-mins runs out, as the official action does', async () => {
    const sim = startManualSimulator({ apiKey: API_KEY, scenario: demoQueuedFor(45 * 60) });
    const run = await step(sim, official({ 'scan-timeout-mins': '30' }));
    expect(sim.actionsSent()).toEqual([{ action: 'CANCEL', afterLaunchMs: 30 * MINUTE }]);
    expect(run.code).toBe(4);
  });

  it("returns the official 'Scan ID: <id>' output at once with wait-for-scan-complete false", async () => {
    const sim = startManualSimulator({ apiKey: API_KEY });
    const run = await step(sim, official({ 'wait-for-scan-complete': 'false' }));
    expect(run.code).toBe(0);
    expect(run.outputs['scan-findings']).toBe(`Scan ID: ${run.outputs['scan-id']}`);
    expect(sim.clock.now()).toBe(sim.launchedAt());
  });
});

describe('our own inputs', () => {
  it('never cancel a queued scan unless a budget is set, and poll every 30 s', async () => {
    const sim = startManualSimulator({ apiKey: API_KEY, scenario: demoQueuedFor(45 * 60) });
    const run = await step(sim, { region: 'us', 'api-key': API_KEY, app: 'Demo Shop', 'scan-config': 'Full' });
    expect(sim.actionsSent()).toEqual([]);
    expect(run.code).toBe(0);
    expect(new Set(pollGaps(sim))).toEqual(new Set([0.5]));
  });
});

describe('the failure reason and the runner’s 10 error annotations per step', () => {
  it('with 16 matches, the reason is the first error annotation and 10 errors are emitted in all, then one notice', async () => {
    const sim = startManualSimulator({ apiKey: API_KEY });
    const run = await step(sim, { region: 'us', 'api-key': API_KEY, app: 'Demo Shop', 'scan-config': 'Full', 'fail-on': 'HIGH', 'fail-on-statuses': 'none' });
    expect(run.code).toBe(1);
    const errors = workflowCommands(run.stdout, 'error');
    const matched = Number(/^Gate failed: (\d+) of/.exec(errors[0]!.message)?.[1]);
    expect(matched).toBe(16);
    // actions/runner keeps the first 10 errors of a step as annotations (ExecutionContext.cs, _maxCountPerIssueType).
    expect(errors.slice(0, 10)[0]!.message).toMatch(/^Gate failed: /);
    expect(errors).toHaveLength(10);
    expect(errors.slice(1).every((e) => e.properties.startsWith('title=InsightAppSec '))).toBe(true);
    const notices = workflowCommands(run.stdout, 'notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.message).toMatch(/^7 more findings match the gate/);
    expectKeyNeverShown(run);
  });
});

describe('SARIF for code scanning', () => {
  const TRIAGED = ['FALSE_POSITIVE', 'IGNORED', 'DUPLICATE', 'REMEDIATED'];
  type Sarif = { runs: { results: { properties: { status: string | null } }[] }[] };

  it('holds no FALSE_POSITIVE, IGNORED, DUPLICATE or REMEDIATED result of the demo scan by default; sarif-triaged writes them', async () => {
    const sim = startManualSimulator({ apiKey: API_KEY });
    const base = { region: 'us', 'api-key': API_KEY, app: 'Demo Shop', 'scan-config': 'Full' };
    const run = await step(sim, base);
    const sarif = JSON.parse(run.files[run.outputs['sarif-file']!]!) as Sarif;
    expect(sarif.runs[0]!.results).toHaveLength(26);
    expect(sarif.runs[0]!.results.filter((r) => TRIAGED.includes(r.properties.status ?? ''))).toEqual([]);
    expect(run.stdout).toMatch(/SARIF: 14 triaged findings left out/);

    const all = await step(sim, { ...base, 'sarif-triaged': 'true' });
    const full = JSON.parse(all.files[all.outputs['sarif-file']!]!) as Sarif;
    expect(full.runs[0]!.results).toHaveLength(40);
    expect(all.outputs['findings-count']).toBe('40');
  });
});
