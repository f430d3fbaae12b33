import { loadScenario, type Scenario } from '@ias/simulator';
import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/sim-harness';
import { KNOWN_FAILURE_REASONS } from './failure-reasons';
import { runScanJob } from './run-scan-job';


/** The demo scenario plus configs that fail with each reason and one whose scans pass through an unknown status. */
function matrixScenario(): Scenario {
  const demo = loadScenario('demo');
  const template = demo.scan_configs[0]!;
  const failing = KNOWN_FAILURE_REASONS.map((reason, i) => ({
    ...template,
    id: `c1000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: `Fails ${reason}`,
    timeline: [
      { status: 'QUEUED', seconds: 10 },
      { status: 'RUNNING', seconds: 30 },
    ],
    outcome: 'FAILED' as const,
    failure_reason: reason,
    finding_set: 'none',
  }));
  const odd = {
    ...template,
    id: 'c2000000-0000-4000-8000-000000000001',
    name: 'Odd statuses',
    timeline: [
      { status: 'QUEUED', seconds: 10 },
      { status: 'WARMING_UP', seconds: 30 },
      { status: 'RUNNING', seconds: 60 },
      { status: 'POST_PROCESSING', seconds: 10 },
    ],
  };
  return { ...demo, scan_configs: [...demo.scan_configs, ...failing, odd] } as Scenario;
}

describe('budgets × on-timeout actions', () => {
  it.each([
    ['pending', 'cancel', 'FAILED', /pending budget of 5m ran out while scan .* was PENDING; the scan was canceled\./],
    ['pending', 'stop', 'FAILED', /pending budget of 5m ran out .*; the scan was canceled\./],
    ['pending', 'fail', 'PENDING', /pending budget of 5m ran out .*; the scan was left running, as the on-timeout setting 'fail' asks/],
    ['execution', 'cancel', 'FAILED', /execution budget of 5m ran out while scan .* was RUNNING; the scan was canceled\./],
    ['execution', 'stop', 'COMPLETE', /COMPLETE with \d+ findings, but the execution budget ran out, so the scan was stopped early and the step fails\./],
    ['execution', 'fail', 'RUNNING', /execution budget of 5m ran out .*; the scan was left running/],
  ] as const)('%s budget with --on-timeout %s: exit 4, scan %s', async (budget, onTimeout, scanStatus, message) => {
    const h = createHarness();
    if (budget === 'pending') h.sim.faults.add({ route: 'POST /scans', kind: 'never-start' });
    const outcome = await runScanJob(h.job({ [budget === 'pending' ? 'maxPending' : 'maxExecution']: '5m', onTimeout, pollInterval: '1m' }), h.effects);
    expect(outcome.exitCode).toBe(4);
    expect(outcome.result).toBe('budget-exceeded');
    expect(outcome.message).toMatch(message);
    expect(h.sim.state.scans()[0]?.status).toBe(scanStatus);
    expect(h.sim.state.scans()).toHaveLength(1);
  });
});

describe('failure reasons', () => {
  it.each(KNOWN_FAILURE_REASONS.map((reason) => [reason]))('a scan FAILED with %s exits 3 with its advice and the last events', async (reason) => {
    const h = createHarness({ scenario: matrixScenario() });
    const outcome = await runScanJob(h.job({ scanConfig: `Fails ${reason}`, pollInterval: '10s' }), h.effects);
    expect(outcome.exitCode).toBe(3);
    expect(outcome.failureReason).toBe(reason);
    expect(outcome.message).toMatch(new RegExp(`^Scan [0-9a-f-]{36} failed with reason ${reason}; .+\\.$`));
    expect(outcome.message).not.toMatch(/see the scan's event logs/);
    expect(h.logger.text()).toMatch(/Last (platform|engine) events of scan/);
  });
});

describe('unknown statuses', () => {
  it('logs a status it has never seen once, keeps polling, and completes', async () => {
    const h = createHarness({ scenario: matrixScenario() });
    const outcome = await runScanJob(h.job({ scanConfig: 'Odd statuses', pollInterval: '5s' }), h.effects);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.status).toBe('COMPLETE');
    const notices = h.logger.lines.filter((l) => l.includes("Scan status 'WARMING_UP' is new to this tool"));
    expect(notices).toHaveLength(1);
    expect(h.logger.text()).toContain("Scan status 'POST_PROCESSING' is new to this tool");
  });

  it('keeps an unknown failure reason and falls back to the event logs advice', async () => {
    const scenario = matrixScenario();
    const config = scenario.scan_configs.find((c) => c.name === 'Fails SYSTEM_ERROR')!;
    (config as { failure_reason: string }).failure_reason = 'QUANTUM_FLUX';
    const h = createHarness({ scenario });
    const outcome = await runScanJob(h.job({ scanConfig: 'Fails SYSTEM_ERROR' }), h.effects);
    expect(outcome.exitCode).toBe(3);
    expect(outcome.message).toMatch(/failed with reason QUANTUM_FLUX; see the scan's event logs in InsightAppSec\./);
  });
});

describe('polling through trouble', () => {
  it('rides out a burst of 5xx on GET /scans/{id} without losing the scan', async () => {
    const h = createHarness();
    h.sim.faults.add({ route: 'GET /scans/{id}', kind: 'status', status: 503, times: 9 });
    const outcome = await runScanJob(h.job(), h.effects);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.status).toBe('COMPLETE');
    expect(h.logger.text()).toMatch(/Could not read the scan's status .*503.*; polling again in 30s/);
  });

  it('gives up after a bounded window with exit 5, naming the scan so it can be resumed', async () => {
    const h = createHarness();
    h.sim.faults.add({ route: 'GET /scans/{id}', kind: 'status', status: 503 });
    const outcome = await runScanJob(h.job(), { ...h.effects, retries: 1 });
    expect(outcome.exitCode).toBe(5);
    expect(outcome.scanId).not.toBeNull();
    expect(outcome.message).toContain(`Scan ${outcome.scanId} may still be running; attach to it again with its scan id`);
    expect(h.sim.state.scans()[0]?.status).not.toBe('FAILED');
  });

  it('warns that someone must complete authentication when the scan waits for it', async () => {
    const scenario = matrixScenario();
    const config = scenario.scan_configs.find((c) => c.name === 'Odd statuses')!;
    (config as { timeline: { status: string; seconds: number }[] }).timeline = [
      { status: 'QUEUED', seconds: 10 },
      { status: 'AWAITING_AUTHENTICATION', seconds: 60 },
      { status: 'RUNNING', seconds: 60 },
    ];
    const h = createHarness({ scenario });
    const outcome = await runScanJob(h.job({ scanConfig: 'Odd statuses', pollInterval: '20s' }), h.effects);
    expect(outcome.exitCode).toBe(0);
    expect(h.logger.text()).toContain('is waiting for someone to complete its authentication in the InsightAppSec UI');
  });
});
