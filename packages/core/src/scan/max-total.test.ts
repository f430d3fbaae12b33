import { DEFAULT_TIMELINE, loadScenario, type Scenario, type TimelineStep } from '@ias/simulator';
import { describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../testing/sim-harness';
import { runScanJob } from './run-scan-job';

// The one budget of the official GitHub action's scan-timeout-mins: counted from launch through every state, not a
// pending budget followed by an execution budget.

const FULL = 'c0000000-0000-4000-8000-000000000001';

/** The demo scenario with the Full configuration's scans queued for `queuedSeconds` before the usual timeline. */
function queuedScenario(queuedSeconds: number): Scenario {
  const scenario = loadScenario('demo');
  const timeline: TimelineStep[] = [{ status: 'QUEUED', seconds: queuedSeconds }, ...DEFAULT_TIMELINE.filter((s) => s.status !== 'QUEUED')];
  return { ...scenario, scan_configs: scenario.scan_configs.map((c) => (c.id === FULL ? { ...c, timeline } : c)) };
}

/** Records when (on the manual clock) the scan was launched and when an action was sent to it. */
function recordTimes(h: Harness): { launchedAt: () => number | undefined; actions: { action: string; at: number }[] } {
  let launchedAt: number | undefined;
  const actions: { action: string; at: number }[] = [];
  const fetch = h.effects.fetch;
  h.effects.fetch = async (input, init) => {
    // ky hands fetch a Request.
    const request = new Request(input, init);
    const body = request.method === 'PUT' ? ((await request.clone().json()) as { action?: string }) : {};
    const response = await fetch(request);
    const path = new URL(request.url).pathname;
    if (request.method === 'POST' && path.endsWith('/scans')) launchedAt = h.clock.now();
    if (request.method === 'PUT' && path.endsWith('/action')) actions.push({ action: String(body.action), at: h.clock.now() });
    return response;
  };
  return { launchedAt: () => launchedAt, actions };
}

describe('maxTotal: one budget from launch', () => {
  it('cancels a scan that waited 9.5 minutes to start and then ran, exactly 10 minutes after launch (not 10 minutes after it started)', async () => {
    // 7 minutes QUEUED, then the default 1 minute PENDING and 1.5 minutes PROVISIONING: RUNNING from 9.5 minutes.
    const h = createHarness({ scenario: queuedScenario(7 * 60) });
    const times = recordTimes(h);
    const outcome = await runScanJob(h.job({ maxTotal: '10m', pollInterval: '5m' }), h.effects);
    expect(outcome.exitCode).toBe(4);
    expect(outcome.message).toMatch(/^The total budget of 10m from launch ran out while scan \S+ was RUNNING; the scan was canceled\.$/);
    expect(times.actions).toEqual([{ action: 'CANCEL', at: times.launchedAt()! + 10 * 60_000 }]);
  });

  it('cancels a scan still queued when the total budget ends, even with on-timeout stop (nothing to stop and collect)', async () => {
    const h = createHarness({ scenario: queuedScenario(45 * 60) });
    const times = recordTimes(h);
    const outcome = await runScanJob(h.job({ maxTotal: '10m', onTimeout: 'stop' }), h.effects);
    expect(outcome.exitCode).toBe(4);
    expect(times.actions).toEqual([{ action: 'CANCEL', at: times.launchedAt()! + 10 * 60_000 }]);
  });

  it('stops a running scan with on-timeout stop, collects what it found, and still exits 4', async () => {
    const h = createHarness();
    const times = recordTimes(h);
    const outcome = await runScanJob(h.job({ maxTotal: '5m', onTimeout: 'stop', pollInterval: '1m' }), h.effects);
    expect(outcome.exitCode).toBe(4);
    expect(outcome.collected).toBe(true);
    expect(outcome.message).toMatch(/the total budget ran out, so the scan was stopped early/);
    expect(times.actions.map((a) => a.action)).toEqual(['STOP']);
  });

  it('with no budget at all, waits for a scan queued 45 minutes and never cancels it', async () => {
    const h = createHarness({ scenario: queuedScenario(45 * 60) });
    const times = recordTimes(h);
    const outcome = await runScanJob(h.job({ pollInterval: '5m' }), h.effects);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.status).toBe('COMPLETE');
    expect(times.actions).toEqual([]);
  });

  it('parses as a duration, none meaning no budget', async () => {
    const h = createHarness();
    expect(h.job({ maxTotal: '90' }).maxTotalMs).toBe(90 * 60_000);
    expect(h.job({ maxTotal: 'none' }).maxTotalMs).toBeUndefined();
    expect(h.job({}).maxTotalMs).toBeUndefined();
  });
});
