import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/sim-harness';
import { runScanJob } from './run-scan-job';

// Budgets hold while the status API fails (issue 17, item 11), on the manual clock.
describe('waitForScan while the status API fails', () => {
  it('ends a --max-pending 20s run at about 20s plus one request timeout when every poll fails, exit 4', async () => {
    const h = createHarness();
    h.sim.faults.add({ route: 'GET /scans/{id}', kind: 'status', status: 503 });
    h.sim.faults.add({ route: 'PUT /scans/{id}/action', kind: 'status', status: 503 });
    const started = h.clock.now();
    const outcome = await runScanJob(h.job({ maxPending: '20s', pollInterval: '30s', requestTimeout: '60s' }), h.effects);
    const elapsed = h.clock.now() - started;
    expect(outcome.exitCode).toBe(4);
    expect(outcome.message).toMatch(/pending budget of 20s ran out/);
    expect(outcome.message).toMatch(/the cancel could not be sent .*cancel it in InsightAppSec/);
    expect(elapsed).toBeGreaterThanOrEqual(20_000);
    expect(elapsed).toBeLessThanOrEqual(20_000 + 2 * 60_000);
  });

  it('cancels at the budget when polls fail but the action goes through', async () => {
    const h = createHarness();
    h.sim.faults.add({ route: 'GET /scans/{id}', kind: 'status', status: 502 });
    const started = h.clock.now();
    const outcome = await runScanJob(h.job({ maxPending: '20s', pollInterval: '5s' }), h.effects);
    expect(outcome.exitCode).toBe(4);
    expect(h.sim.counters.get('PUT /scans/{id}/action')).toBe(1);
    expect(h.clock.now() - started).toBeLessThanOrEqual(20_000 + 2 * 60_000);
  });

  it('tolerates a status body cut off while it is read (a 200 that never completes), like any network error', async () => {
    const h = createHarness();
    let broken = 0;
    const fetch: typeof h.effects.fetch = async (input, init) => {
      const request = new Request(input, init);
      if (request.method === 'GET' && /\/scans\/[0-9a-f-]{36}$/.test(new URL(request.url).pathname) && broken < 8) {
        broken += 1;
        const body = new ReadableStream<Uint8Array>({ start: (c) => { c.enqueue(new TextEncoder().encode('{"id":')); c.error(new Error('socket hang up')); } });
        return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
      }
      return h.effects.fetch(request);
    };
    const outcome = await runScanJob(h.job({ pollInterval: '30s' }), { ...h.effects, fetch });
    expect(broken).toBe(8);
    expect(outcome.status).toBe('COMPLETE');
  });

  it('tolerates a 429 while polling like a 5xx, beyond the client retries', async () => {
    const h = createHarness();
    h.sim.faults.add({ route: 'GET /scans/{id}', kind: 'status', status: 429, times: 9 });
    const outcome = await runScanJob(h.job({ pollInterval: '30s' }), h.effects);
    expect(outcome.exitCode).not.toBe(5);
    expect(outcome.status).toBe('COMPLETE');
    expect(h.logger.text()).toMatch(/Could not read the scan's status \(GET \/scans\/\{id\} failed with 429/);
  });
});
