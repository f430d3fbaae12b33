import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/sim-harness';
import { runScanJob } from './run-scan-job';

describe('scan lifecycle against the simulator (manual clock)', () => {
  it('advances once submitted without waiting, collecting or gating', async () => {
    const h = createHarness();
    const outcome = await runScanJob(h.job({ advanceOn: 'submitted', gateQuery: "vulnerability.severity='HIGH'" }), h.effects);
    expect(outcome).toMatchObject({ exitCode: 0, advancedOn: 'submitted', collected: false, gate: null });
    expect(outcome.warnings[0]).toMatch(/gate is not evaluated/);
    expect(h.sim.counters.get('POST /search')).toBeGreaterThanOrEqual(1);
    expect(h.sim.counters.get('GET /scans/{id}')).toBe(1);
  });

  it('advances once started, as soon as the scan leaves the pre-running states', async () => {
    const h = createHarness();
    const outcome = await runScanJob(h.job({ advanceOn: 'started', pollInterval: '10s' }), h.effects);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.advancedOn).toBe('started');
    expect(outcome.status).toBe('RUNNING');
    expect(outcome.timings.runningAt).not.toBeNull();
  });

  it('advances on started when the scan jumps straight past RUNNING between two polls', async () => {
    const h = createHarness();
    const outcome = await runScanJob(h.job({ advanceOn: 'started', pollInterval: '2h' }), h.effects);
    expect(outcome.advancedOn).toBe('started');
    expect(outcome.status).toBe('COMPLETE');
  });

  it('exits 3 with the failure reason when the scan fails', async () => {
    const h = createHarness();
    const outcome = await runScanJob(h.job({ scanConfig: 'Swagger import' }), h.effects);
    expect(outcome.exitCode).toBe(3);
    expect(outcome.failureReason).toBe('SWAGGER_PARSING_ERROR');
    expect(outcome.status).toBe('FAILED');
    expect(outcome.message).toMatch(/failed with reason SWAGGER_PARSING_ERROR; the API definition \(Swagger\/OpenAPI\) attached to the scan configuration could not be parsed; fix or replace it\./);
  });

  it('exits 2 before launching when the scan configuration has errors', async () => {
    const h = createHarness();
    const outcome = await runScanJob(h.job({ app: 'Payments API', scanConfig: 'Payments staging' }), h.effects);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.message).toMatch(/Seed URL list must not be empty/);
    expect(h.sim.counters.get('POST /scans')).toBe(0);
  });

  it('cancels the scan when the pending budget runs out, and exits 4 saying so', async () => {
    const h = createHarness();
    h.sim.faults.add({ route: 'POST /scans', kind: 'never-start' });
    const outcome = await runScanJob(h.job({ maxPending: '10m', pollInterval: '3m' }), h.effects);
    expect(outcome.exitCode).toBe(4);
    expect(outcome.message).toMatch(/pending budget of 10m ran out while scan .* was PENDING; the scan was canceled/);
    const scan = h.sim.state.scans()[0];
    expect(scan?.status).toBe('FAILED');
    expect(scan?.failure_reason).toBe('CANCELED');
    // the budget is checked on the clock, exactly when it ends, not after a whole extra poll
    expect(h.coreClock.slept.slice(0, 4)).toEqual([180_000, 180_000, 180_000, 60_000]);
  });

  it('leaves the scan running with --on-timeout fail, and says so', async () => {
    const h = createHarness();
    h.sim.faults.add({ route: 'POST /scans', kind: 'never-start' });
    const outcome = await runScanJob(h.job({ maxPending: '5m', onTimeout: 'fail' }), h.effects);
    expect(outcome.exitCode).toBe(4);
    expect(outcome.message).toMatch(/left running/);
    expect(h.sim.counters.get('PUT /scans/{id}/action')).toBe(0);
    expect(h.sim.state.scans()[0]?.status).toBe('PENDING');
  });

  it('stops the scan on the execution budget with --on-timeout stop, collects what it found, and still exits 4', async () => {
    const h = createHarness();
    const outcome = await runScanJob(h.job({ maxExecution: '5m', onTimeout: 'stop', pollInterval: '1m' }), h.effects);
    expect(outcome.exitCode).toBe(4);
    expect(outcome.status).toBe('COMPLETE');
    expect(outcome.collected).toBe(true);
    expect(outcome.message).toMatch(/execution budget ran out/);
    expect(h.sink.files.has('insightappsec-scan-metrics.json')).toBe(true);
  });

  it('cancels the scan and exits 130 when the run is interrupted', async () => {
    const h = createHarness();
    const controller = new AbortController();
    const outcome = await runScanJob(h.job(), {
      ...h.effects,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'status' && event.status === 'RUNNING') controller.abort(new Error('SIGTERM'));
      },
    });
    expect(outcome.exitCode).toBe(130);
    expect(outcome.message).toMatch(/was canceled/);
    expect(h.sim.counters.get('PUT /scans/{id}/action')).toBe(1);
    h.clock.advance(60_000);
    expect(h.sim.state.scans()[0]?.status).toBe('FAILED');
  });

  it('attaches to an existing scan with scanId instead of launching', async () => {
    const h = createHarness();
    const first = await runScanJob(h.job({ advanceOn: 'submitted' }), h.effects);
    const attached = await runScanJob(h.job({ scanId: first.scanId ?? '' }), h.effects);
    expect(attached.exitCode).toBe(0);
    expect(attached.scanId).toBe(first.scanId);
    expect(h.sim.state.scans()).toHaveLength(1);
  });
});

describe('the report destination', () => {
  const systemError = (code: string) => Object.assign(new Error(`${code}: failed`), { code, syscall: 'open' });

  it('exits 2 naming the output folder before launching when it cannot be written', async () => {
    const h = createHarness();
    const sink = { ...h.sink, create: h.sink.create, prepare: async () => Promise.reject(systemError('ENOTDIR')) };
    const outcome = await runScanJob(h.job({ outputDir: 'a-file.txt/reports' }), { ...h.effects, sink, inputNames: { outputDir: '--output-dir' } });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.message).toBe("--output-dir 'a-file.txt/reports' cannot be written (ENOTDIR); choose a folder this step may write to.");
    expect(h.sim.counters.total()).toBe(0);
  });

  it('turns a write failure during the run into one sentence and exit 5, not a crash', async () => {
    const h = createHarness();
    const sink = { create: async (name: string) => (name.endsWith('.sarif') ? Promise.reject(systemError('ENOSPC')) : h.sink.create(name)) };
    const outcome = await runScanJob(h.job(), { ...h.effects, sink });
    expect(outcome.exitCode).toBe(5);
    expect(outcome.error?.code).toBe('REPORT_WRITE_FAILED');
    expect(outcome.message).toBe('Writing the reports failed (ENOSPC); check the output folder and the free disk space, then run again.');
  });
});

describe('attaching to an unknown scan', () => {
  it('exits 2 naming the scan id input when no scan has that id, launching nothing', async () => {
    const h = createHarness();
    const outcome = await runScanJob(h.job({ scanId: '00000000-0000-4000-8000-0000000000aa' }), { ...h.effects, inputNames: { scanId: '--scan-id' } });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.message).toBe("--scan-id '00000000-0000-4000-8000-0000000000aa' is not the id of a scan this API key can see; check the id, or leave it out to launch a new scan.");
    expect(h.sim.counters.get('POST /scans')).toBe(0);
  });
});

describe('exactly-once launch', () => {
  it('finds the scan created by a POST /scans whose connection dropped after the server committed it', async () => {
    const h = createHarness();
    h.sim.faults.add({ route: 'POST /scans', kind: 'reset-after-commit', times: 1 });
    const outcome = await runScanJob(h.job(), h.effects);
    expect(outcome.exitCode).toBe(0);
    expect(h.sim.state.scans()).toHaveLength(1);
    expect(outcome.scanId).toBe(h.sim.state.scans()[0]?.id);
    expect(h.sim.counters.get('POST /scans')).toBe(1);
  });

  it('launches again when the dropped POST /scans created nothing', async () => {
    const h = createHarness();
    h.sim.faults.add({ route: 'POST /scans', kind: 'reset', times: 1 });
    const outcome = await runScanJob(h.job(), h.effects);
    expect(outcome.exitCode).toBe(0);
    expect(h.sim.state.scans()).toHaveLength(1);
    expect(h.sim.counters.get('POST /scans')).toBe(2);
  });

  it('never retries a POST /scans that the API refused', async () => {
    const h = createHarness();
    h.sim.faults.add({ route: 'POST /scans', kind: 'status', status: 422, times: 1 });
    const outcome = await runScanJob(h.job(), h.effects);
    expect(outcome.exitCode).toBe(5);
    expect(outcome.message).toMatch(/^POST \/scans failed with 422 Unprocessable Entity/);
    expect(h.sim.counters.get('POST /scans')).toBe(1);
    expect(h.sim.state.scans()).toHaveLength(0);
  });
});

describe('faults while following and collecting', () => {
  it('completes with exact findings when every second request answers 429 with Retry-After', async () => {
    const clean = createHarness();
    const baseline = await runScanJob(clean.job(), clean.effects);
    const h = createHarness();
    h.sim.faults.add({ kind: 'status', status: 429, retryAfter: 2, every: 2 });
    const outcome = await runScanJob(h.job(), h.effects);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.counts).toEqual(baseline.counts);
    expect(h.sim.state.scans()).toHaveLength(1);
    expect(h.coreClock.slept).toContain(2_000);
  });

  it('fails closed with exit 5 when a findings page is not valid JSON', async () => {
    const h = createHarness();
    h.sim.faults.add({ route: 'POST /search', kind: 'truncated-json', every: 3 });
    const outcome = await runScanJob(h.job({ gateQuery: "vulnerability.severity='HIGH'" }), h.effects);
    expect(outcome.exitCode).toBe(5);
    expect(outcome.error?.code).toBe('RESPONSE_INVALID');
    expect(outcome.message).toMatch(/^POST \/search returned a body that is not valid JSON/);
  });

  it('fails closed with exit 5 when the gate search keeps failing, never passing', async () => {
    const h = createHarness();
    h.sim.faults.add({ route: 'POST /search', kind: 'status', status: 503, every: 1, times: 1000 });
    const outcome = await runScanJob(h.job({ scanConfig: 'c0000000-0000-4000-8000-000000000001', app: 'a0000000-0000-4000-8000-000000000001', gateQuery: "vulnerability.severity='HIGH'" }), { ...h.effects, retries: 2 });
    expect(outcome.exitCode).toBe(5);
    expect(outcome.gate).toBeNull();
    expect(outcome.message).toMatch(/POST \/search failed with 503 Service Unavailable after 3 attempts/);
  });

  it('tolerates transient errors while polling without losing the scan', async () => {
    const h = createHarness();
    h.sim.faults.add({ route: 'GET /scans/{id}', kind: 'reset', every: 2 });
    const outcome = await runScanJob(h.job(), h.effects);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.status).toBe('COMPLETE');
  });
});

describe('the scan timeout from launch (one budget over every state)', () => {
  it('counts queued time and running time together, and cancels the scan when it ends', async () => {
    const h = createHarness();
    const job = h.job({ pollInterval: '1m', maxTotal: '5m' });
    const outcome = await runScanJob(job, h.effects);
    expect(outcome.exitCode).toBe(4);
    expect(outcome.message).toMatch(/total budget of 5m from launch ran out while scan .* was (RUNNING|PROVISIONING); the scan was canceled/);
    expect(h.sim.counters.get('PUT /scans/{id}/action')).toBe(1);
  });

  it('never cancels a queued scan when no budget is set', async () => {
    const h = createHarness();
    h.sim.faults.add({ route: 'POST /scans', kind: 'never-start' });
    const controller = new AbortController();
    let polls = 0;
    const outcome = await runScanJob(h.job({ pollInterval: '1h', cancelOnInterrupt: 'false' }), {
      ...h.effects,
      signal: controller.signal,
      onEvent: (event) => {
        // 48 hours of PENDING, then the run is interrupted by the test itself.
        if (event.type === 'progress' && (polls += 1) === 48) controller.abort(new Error('SIGTERM'));
      },
    });
    expect(outcome.exitCode).toBe(130);
    expect(h.sim.counters.get('PUT /scans/{id}/action')).toBe(0);
    expect(h.sim.state.scans()[0]?.status).toBe('PENDING');
  });
});

describe('HTTP exchanges in reports', () => {
  const secrets = ['demo-sess-4b9e2c71', 'demo-bearer-0c5d8a13'];
  const text = (files: Map<string, unknown>) => [...files.values()].map((f) => (typeof f === 'string' ? f : JSON.stringify(f))).join('\n');

  it('carry *** instead of cookies and Authorization values in every report by default', async () => {
    const h = createHarness();
    const outcome = await runScanJob(h.job({ pollInterval: '5m' }), h.effects);
    expect(outcome.collected).toBe(true);
    const all = text(h.sink.files as Map<string, unknown>);
    expect(all).toContain('Cookie: ***');
    for (const secret of secrets) expect(all).not.toContain(secret);
  });

  it('keep them with redactHttpSecrets false', async () => {
    const h = createHarness();
    await runScanJob(h.job({ pollInterval: '5m', redactHttpSecrets: 'false' }), h.effects);
    const findings = String(h.sink.files.get('insightappsec-scan-findings.json'));
    for (const secret of secrets) expect(findings).toContain(secret);
  });
});
