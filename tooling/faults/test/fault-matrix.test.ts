// The fault matrix (issue 10, "What to build" 1 and 3): each scenario runs the BUILT CLI against the simulator on
// 127.0.0.1 with faults armed, asserts the outcome, and adds a row to RESULTS.md. Every run has IAS_DEBUG=1 and a
// canary API key; the last test searches everything captured for the key.
import { DEMO_IDS, loadScenario, type FaultRule } from '@ias/simulator';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { allCaptures, CANARY_API_KEY, findSecret, hasStackTrace, runCli, startSimulator, waitUntil, type CliRun, type RunningSimulator } from './harness';
import { writeFragment, type FaultRow } from './results';
import { NEW_IDS, NEW_VALUES, unknownEnumsScenario } from './unknown-enums-scenario';

const RESULT_FILE = 'insightappsec-scan-result.json';
const FINDINGS_FILE = 'insightappsec-scan-findings.json';
const METRICS_FILE = 'insightappsec-scan-metrics.json';

/** Findings of the demo's "Full" configuration. */
const DEMO_FULL_FINDINGS = (() => {
  const demo = loadScenario('demo');
  const set = demo.scan_configs.find((c) => c.id === DEMO_IDS.full)?.finding_set;
  return set === undefined ? 0 : (demo.finding_sets[set]?.length ?? 0);
})();

/** The demo's CRITICAL findings among them: what the gate below matches. */
const DEMO_FULL_CRITICAL = (() => {
  const demo = loadScenario('demo');
  const set = new Set(demo.finding_sets[demo.scan_configs.find((c) => c.id === DEMO_IDS.full)?.finding_set ?? ''] ?? []);
  return demo.findings.filter((f) => set.has(f.id) && f.severity === 'CRITICAL').length;
})();

const GATE = "vulnerability.severity='CRITICAL'";
/** The common run: Demo Shop / Full by name, a server-checked gate, 1 s polls. */
const BY_NAME = ['--app', 'Demo Shop', '--scan-config', 'Full', '--poll-interval', '1s', '--gate-query', GATE];
/** By UUID: resolving takes no POST /search, so the first search of the run is the gate's (or the first findings page). */
const BY_ID = ['--app', DEMO_IDS.shop, '--scan-config', DEMO_IDS.full, '--poll-interval', '1s'];
const TIME_SCALE = 0.002;

const rows: FaultRow[] = [];

interface ResultJson {
  scanId: string | null;
  status: string | null;
  exitCode: number;
  result: string;
  message: string;
  error: { code: string; message: string } | null;
  gate: { passed: boolean; matched: number } | null;
  counts: { total: number; bySeverity: Record<string, number> };
  collected?: boolean;
}

function resultOf(run: CliRun): ResultJson {
  const text = run.files[RESULT_FILE];
  if (text === undefined) throw new Error(`the run wrote no ${RESULT_FILE} (exit ${run.code}); stdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
  return JSON.parse(text) as ResultJson;
}

function findingsOf(run: CliRun): Record<string, unknown>[] {
  const text = run.files[FINDINGS_FILE];
  return text === undefined ? [] : (JSON.parse(text) as Record<string, unknown>[]);
}

/** The findings report without what differs between two scans of the same findings (discovery times, newness). */
function stableFindings(run: CliRun): unknown[] {
  const volatile = new Set(['first_discovered', 'last_discovered', 'newly_discovered', 'links']);
  return findingsOf(run)
    .map((f) => Object.fromEntries(Object.entries(f).filter(([k]) => !volatile.has(k))))
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

/** The gate's verdict without the scan id its server query carries. */
function gateVerdict(result: ResultJson): unknown {
  const gate = result.gate as (ResultJson['gate'] & { matches?: { id: string }[] }) | null;
  return gate === null ? null : { passed: gate.passed, matched: gate.matched, ids: (gate.matches ?? []).map((m) => m.id).sort() };
}

/** The client's retries and launch look-ups, as its debug log tells them. */
function faultsSeenByClient(run: CliRun): number {
  return (run.stdout.match(/; retry \d+\/\d+ in \d+ms|ended without a clear answer/g) ?? []).length;
}

/** A one-line summary of what happened, for the table. */
function observe(run: CliRun, extra = ''): string {
  const code = run.code === null ? `killed by ${run.signal}` : `exit ${run.code}`;
  let result: ResultJson | undefined;
  try {
    result = resultOf(run);
  } catch {
    result = undefined;
  }
  const parts = [code];
  if (result?.error) parts.push(result.error.code);
  if (result?.gate) parts.push(result.gate.passed ? 'gate passed' : `gate failed (${result.gate.matched} matched)`);
  if (extra) parts.push(extra);
  return parts.join(', ');
}

async function withSimulator<T>(options: { timeScale?: number; scenario?: Parameters<typeof startSimulator>[0]['scenario']; faults?: FaultRule[] }, body: (s: RunningSimulator) => Promise<T>): Promise<T> {
  const running = await startSimulator({ timeScale: options.timeScale ?? TIME_SCALE, ...(options.scenario === undefined ? {} : { scenario: options.scenario }) });
  try {
    for (const rule of options.faults ?? []) running.sim.faults.add(rule);
    return await body(running);
  } finally {
    await running.close();
  }
}

/** Records a row, then runs the assertions; the row's `pass` says whether they held. */
function record(row: Omit<FaultRow, 'pass'>, assertions: () => void): void {
  const entry: FaultRow = { ...row, pass: false };
  rows.push(entry);
  assertions();
  entry.pass = true;
}

/** The fault-free reference run, shared by the scenarios that compare against it. */
let baseline: Promise<CliRun> | undefined;
function baselineRun(): Promise<CliRun> {
  baseline ??= withSimulator({}, ({ baseUrl }) => runCli({ label: 'baseline', baseUrl, args: BY_NAME }));
  return baseline;
}

afterAll(() => {
  const order = SCENARIOS;
  rows.sort((a, b) => order.indexOf(a.scenario) - order.indexOf(b.scenario));
  writeFragment(inject('resultsDir'), 'fault-matrix', {
    faults: rows,
    secrets: [{ source: 'fault matrix (built CLI, IAS_DEBUG=1)', texts: allCaptures().length, hits: findSecret(CANARY_API_KEY).length }],
  });
});

const SCENARIOS = [
  'fault-free reference',
  '429 on every second request',
  '10% 5xx or connection resets on every route',
  'connection reset on POST /scans after the scan was created',
  'connection reset on POST /scans before the server acted',
  'truncated JSON on a findings page',
  'invalid JSON (HTML) on a findings page',
  'search failure while gating',
  'latency above the request timeout',
  'SIGTERM while RUNNING',
  'SIGINT while RUNNING',
  'scan that never starts, pending budget 3 s',
  'API key rejected (401)',
  'statuses and enum values never returned before',
];
const row = (name: string): string => {
  if (!SCENARIOS.includes(name)) throw new Error(`unknown scenario ${name}`);
  return name;
};

// The scenarios mostly wait (back-off, polls); they run side by side to keep the suite short.
describe.concurrent('fault matrix: the built CLI against the simulator', () => {
  it('fault-free reference: completes, gate evaluated, one scan', async () => {
    const run = await baselineRun();
    const result = resultOf(run);
    record(
      {
        scenario: row('fault-free reference'),
        faults: 'none',
        expected: `exit 1, gate failed (${DEMO_FULL_CRITICAL} matched)`,
        observed: observe(run),
        scans: 1,
        findingsReported: result.counts.total,
        findingsInScenario: DEMO_FULL_FINDINGS,
      },
      () => {
        expect(run.code, run.stdout + run.stderr).toBe(1);
        expect(result.gate).toMatchObject({ passed: false, matched: DEMO_FULL_CRITICAL });
        expect(result.counts.total).toBe(DEMO_FULL_FINDINGS);
      },
    );
  });

  it('429 with Retry-After on every second request: completes, findings exact, one scan', async () => {
    const baseRun = await baselineRun();
    await withSimulator({ faults: [{ kind: 'status', status: 429, retryAfter: 1, every: 2 }] }, async ({ sim, baseUrl }) => {
      const run = await runCli({ label: '429 every second request', baseUrl, args: BY_NAME });
      const result = resultOf(run);
      const scans = sim.state.scans().length;
      const ids = findingsOf(run).map((f) => f.id).sort();
      record(
        {
          scenario: row('429 on every second request'),
          faults: 'status 429, Retry-After: 1, every 2nd request on every route',
          expected: `exit 1, gate failed (${DEMO_FULL_CRITICAL} matched); same findings as the reference`,
          observed: observe(run, ids.join() === findingsOf(baseRun).map((f) => f.id).sort().join() ? 'same findings as the reference' : 'findings differ from the reference'),
          scans,
          findingsReported: result.counts.total,
          findingsInScenario: DEMO_FULL_FINDINGS,
        },
        () => {
          expect(run.code, run.stdout + run.stderr).toBe(1);
          expect(faultsSeenByClient(run)).toBeGreaterThan(0);
          expect(result.gate).toMatchObject({ passed: false, matched: DEMO_FULL_CRITICAL });
          expect(scans).toBe(1);
          expect(ids).toEqual(findingsOf(baseRun).map((f) => f.id).sort());
          expect(ids).toHaveLength(DEMO_FULL_FINDINGS);
        },
      );
    });
  });

  it('10% of responses 5xx or connection resets (seeded), every route: reports identical to the fault-free run', async () => {
    const baseRun = await baselineRun();
    const faults: FaultRule[] = [
      { kind: 'status', status: 503, probability: 0.05, seed: 1 },
      { kind: 'reset', probability: 0.05, seed: 3 },
    ];
    await withSimulator({ faults }, async ({ sim, baseUrl }) => {
      const run = await runCli({ label: '10% 5xx or resets', baseUrl, args: BY_NAME });
      const result = resultOf(run);
      const scans = sim.state.scans().length;
      const sameMetrics = run.files[METRICS_FILE] === baseRun.files[METRICS_FILE];
      const sameFindings = JSON.stringify(stableFindings(run)) === JSON.stringify(stableFindings(baseRun));
      record(
        {
          scenario: row('10% 5xx or connection resets on every route'),
          faults: 'status 503 with probability 0.05 (seed 1) + connection reset with probability 0.05 (seed 3), every route',
          expected: 'exit 1 as the reference; metrics report byte-identical and findings report identical to the reference',
          observed: observe(run, `metrics ${sameMetrics ? 'identical' : 'DIFFERENT'}, findings ${sameFindings ? 'identical' : 'DIFFERENT'}`),
          scans,
          findingsReported: result.counts.total,
          findingsInScenario: DEMO_FULL_FINDINGS,
        },
        () => {
          expect(run.code, run.stdout + run.stderr).toBe(1);
          expect(faultsSeenByClient(run), 'the seeds must make some faults fire').toBeGreaterThan(0);
          expect(scans).toBe(1);
          expect(run.files[METRICS_FILE]).toBeDefined();
          expect(run.files[METRICS_FILE]).toBe(baseRun.files[METRICS_FILE]);
          expect(stableFindings(run)).toEqual(stableFindings(baseRun));
          expect(gateVerdict(result)).toEqual(gateVerdict(resultOf(baseRun)));
        },
      );
    });
  });

  it('connection reset on POST /scans after the scan was created: exactly one scan', async () => {
    await withSimulator({ faults: [{ route: 'POST /scans', kind: 'reset-after-commit', times: 1 }] }, async ({ sim, baseUrl }) => {
      const run = await runCli({ label: 'reset after commit', baseUrl, args: BY_NAME });
      const result = resultOf(run);
      const scans = sim.state.scans();
      record(
        {
          scenario: row('connection reset on POST /scans after the scan was created'),
          faults: 'reset-after-commit on POST /scans, once',
          expected: 'exit 1 as the reference; the scan created by the dropped request is found and followed, none launched again',
          observed: observe(run, `${sim.counters.get('POST /scans')} POST /scans, followed ${scans[0]?.id === result.scanId ? 'the created scan' : 'another scan'}`),
          scans: scans.length,
          findingsReported: result.counts.total,
          findingsInScenario: DEMO_FULL_FINDINGS,
        },
        () => {
          expect(run.code, run.stdout + run.stderr).toBe(1);
          expect(scans).toHaveLength(1);
          expect(sim.counters.get('POST /scans')).toBe(1);
          expect(result.scanId).toBe(scans[0]?.id);
          expect(result.counts.total).toBe(DEMO_FULL_FINDINGS);
        },
      );
    });
  });

  it('connection reset on POST /scans before the server acted: launched again, exactly one scan', async () => {
    await withSimulator({ faults: [{ route: 'POST /scans', kind: 'reset', times: 1 }] }, async ({ sim, baseUrl }) => {
      const run = await runCli({ label: 'reset before handling', baseUrl, args: BY_NAME });
      const result = resultOf(run);
      const scans = sim.state.scans();
      record(
        {
          scenario: row('connection reset on POST /scans before the server acted'),
          faults: 'reset on POST /scans, once (the server never saw the request)',
          expected: 'exit 1 as the reference; the look-up finds no scan, so the launch is repeated once: 2 POST /scans, 1 scan',
          observed: observe(run, `${sim.counters.get('POST /scans')} POST /scans`),
          scans: scans.length,
          findingsReported: result.counts.total,
          findingsInScenario: DEMO_FULL_FINDINGS,
        },
        () => {
          expect(run.code, run.stdout + run.stderr).toBe(1);
          expect(scans).toHaveLength(1);
          expect(sim.counters.get('POST /scans')).toBe(2);
          expect(result.scanId).toBe(scans[0]?.id);
          expect(result.counts.total).toBe(DEMO_FULL_FINDINGS);
        },
      );
    });
  });

  it.each([
    { scenario: row('truncated JSON on a findings page'), kind: 'truncated-json' as const },
    { scenario: row('invalid JSON (HTML) on a findings page'), kind: 'invalid-json' as const },
  ])('$kind on a findings page: exit 5 with a RESPONSE_INVALID message, no stack trace', async ({ scenario, kind }) => {
    await withSimulator({ faults: [{ route: 'POST /search', kind, times: 1 }] }, async ({ sim, baseUrl }) => {
      const run = await runCli({ label: kind, baseUrl, args: BY_ID });
      const result = resultOf(run);
      record(
        {
          scenario,
          faults: `${kind} on the first POST /search (the first findings page)`,
          expected: 'exit 5, RESPONSE_INVALID naming POST /search, no stack trace, no gate verdict',
          observed: observe(run, hasStackTrace(run.stdout + run.stderr) ? 'stack trace printed' : 'no stack trace'),
          scans: sim.state.scans().length,
          findingsReported: result.collected === true ? result.counts.total : null,
          findingsInScenario: DEMO_FULL_FINDINGS,
        },
        () => {
          expect(run.code, run.stdout + run.stderr).toBe(5);
          expect(result.error?.code).toBe('RESPONSE_INVALID');
          expect(result.error?.message).toMatch(/POST \/search/);
          expect(run.stdout).toContain(result.error?.message ?? '<no message>');
          expect(hasStackTrace(run.stdout + run.stderr)).toBe(false);
          expect(result.collected).not.toBe(true);
          expect(sim.state.scans()).toHaveLength(1);
        },
      );
    });
  });

  it('search failure while gating: exit 5 (fail closed), never 0', async () => {
    await withSimulator({ faults: [{ route: 'POST /search', kind: 'status', status: 503 }] }, async ({ sim, baseUrl }) => {
      const run = await runCli({ label: 'gate search failure', baseUrl, args: [...BY_ID, '--gate-query', GATE] });
      const result = resultOf(run);
      record(
        {
          scenario: row('search failure while gating'),
          faults: 'status 503 on every POST /search (the scoped gate search is the first)',
          expected: 'exit 5, HTTP_ERROR naming POST /search after the retries, no gate verdict',
          observed: observe(run),
          scans: sim.state.scans().length,
          findingsReported: result.collected === true ? result.counts.total : null,
          findingsInScenario: DEMO_FULL_FINDINGS,
        },
        () => {
          expect(run.code, run.stdout + run.stderr).toBe(5);
          expect(result.error?.code).toBe('HTTP_ERROR');
          expect(result.error?.message).toMatch(/POST \/search failed with 503/);
          expect(result.gate?.passed).not.toBe(true);
          expect(sim.state.scans()).toHaveLength(1);
          expect(hasStackTrace(run.stdout + run.stderr)).toBe(false);
        },
      );
    });
  });

  it('latency above the request timeout: retried, then a TIMEOUT error naming the route', async () => {
    await withSimulator({ faults: [{ route: 'POST /search', kind: 'latency', delayMs: 2_500 }] }, async ({ sim, baseUrl }) => {
      const run = await runCli({ label: 'latency', baseUrl, args: [...BY_NAME, '--request-timeout', '1s'] });
      const result = resultOf(run);
      const retries = faultsSeenByClient(run);
      record(
        {
          scenario: row('latency above the request timeout'),
          faults: 'latency 2.5 s on every POST /search, --request-timeout 1s (resolving the app by name searches first)',
          expected: 'exit 5, TIMEOUT naming POST /search after 6 attempts, nothing launched',
          observed: observe(run, `${sim.counters.get('POST /search')} attempts`),
          scans: sim.state.scans().length,
          findingsReported: null,
          findingsInScenario: DEMO_FULL_FINDINGS,
        },
        () => {
          expect(run.code, run.stdout + run.stderr).toBe(5);
          expect(result.error?.code).toBe('TIMEOUT');
          expect(result.error?.message).toMatch(/^POST \/search timed out after 1s after 6 attempts/);
          expect(retries).toBe(5);
          expect(sim.counters.get('POST /search')).toBe(6);
          expect(sim.counters.get('POST /scans')).toBe(0);
          expect(hasStackTrace(run.stdout + run.stderr)).toBe(false);
        },
      );
    });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('%s while RUNNING: the scan is canceled in the simulator within 5 s, exit 130', async (signal) => {
    // A slower clock (RUNNING from 3.6 s to 21.6 s of real time) leaves room to see RUNNING before signalling.
    await withSimulator({ timeScale: 0.02 }, async ({ sim, baseUrl }) => {
      const running = () => sim.state.scans().some((s) => s.status === 'RUNNING');
      const canceled = () => sim.state.scans().some((s) => s.status === 'CANCELING' || (s.status === 'FAILED' && s.failure_reason === 'CANCELED'));
      let signalledAt = 0;
      let canceledWithinMs: number | undefined;
      const run = await runCli({
        label: signal,
        baseUrl,
        args: BY_NAME,
        onSpawn: (child) => {
          void (async () => {
            await waitUntil(running, 30_000, 'the scan to be RUNNING');
            await waitUntil(() => /RUNNING/.test(child.stdoutSoFar()), 10_000, 'the CLI to see RUNNING');
            signalledAt = Date.now();
            child.kill(signal);
            await waitUntil(canceled, 5_000, 'the scan to be canceled');
            canceledWithinMs = Date.now() - signalledAt;
          })().catch(() => undefined);
        },
      });
      await waitUntil(() => canceledWithinMs !== undefined, 5_000, 'the cancel to be seen').catch(() => undefined);
      const result = resultOf(run);
      const scans = sim.state.scans();
      record(
        {
          scenario: row(`${signal} while RUNNING`),
          faults: `${signal} to the CLI once the scan is RUNNING`,
          expected: 'exit 130, the scan CANCELING/FAILED (CANCELED) in the simulator within 5 s of the signal',
          observed: observe(run, canceledWithinMs !== undefined && canceledWithinMs <= 5_000 ? 'scan canceled within 5 s' : 'scan NOT canceled within 5 s'),
          scans: scans.length,
          findingsReported: null,
          findingsInScenario: DEMO_FULL_FINDINGS,
        },
        () => {
          expect(signalledAt, 'the signal was sent').toBeGreaterThan(0);
          expect(run.code, run.stdout + run.stderr).toBe(130);
          expect(canceledWithinMs).toBeDefined();
          expect(canceledWithinMs).toBeLessThanOrEqual(5_000);
          expect(scans).toHaveLength(1);
          expect(sim.counters.get('PUT /scans/{id}/action')).toBeGreaterThanOrEqual(1);
          expect(result.exitCode).toBe(130);
          expect(hasStackTrace(run.stdout + run.stderr)).toBe(false);
        },
      );
    });
  });

  it('a scan that never starts: the pending budget runs out, the scan is canceled, exit 4', async () => {
    await withSimulator({ faults: [{ route: 'POST /scans', kind: 'never-start' }] }, async ({ sim, baseUrl }) => {
      const run = await runCli({ label: 'never starts', baseUrl, args: [...BY_NAME, '--max-pending', '3s'] });
      const result = resultOf(run);
      const scans = sim.state.scans();
      const canceled = scans.every((s) => s.status === 'CANCELING' || (s.status === 'FAILED' && s.failure_reason === 'CANCELED'));
      record(
        {
          scenario: row('scan that never starts, pending budget 3 s'),
          faults: 'never-start on POST /scans (the scan stays PENDING), --max-pending 3s',
          expected: 'exit 4, SCAN_TIMEOUT, the scan canceled in the simulator (--on-timeout cancel, the default)',
          observed: observe(run, canceled ? 'scan canceled' : `scan ${scans.map((s) => s.status).join('/')}`),
          scans: scans.length,
          findingsReported: result.collected === true ? result.counts.total : null,
          findingsInScenario: DEMO_FULL_FINDINGS,
        },
        () => {
          expect(run.code, run.stdout + run.stderr).toBe(4);
          expect(result.error?.code).toBe('SCAN_TIMEOUT');
          expect(scans).toHaveLength(1);
          expect(canceled).toBe(true);
          expect(hasStackTrace(run.stdout + run.stderr)).toBe(false);
        },
      );
    });
  });

  it('the API rejects the key: exit 5 with AUTH_FAILED, nothing launched', async () => {
    await withSimulator({}, async ({ sim, baseUrl }) => {
      // The wrong key starts with the canary, so the secret search also covers it.
      const run = await runCli({ label: 'wrong key', baseUrl, args: BY_NAME, env: { IAS_API_KEY: `${CANARY_API_KEY}-revoked` } });
      const result = resultOf(run);
      record(
        {
          scenario: row('API key rejected (401)'),
          faults: 'the simulator answers 401: IAS_API_KEY is not its key',
          expected: 'exit 5, AUTH_FAILED naming the route and the fix (key, region), nothing launched',
          observed: observe(run),
          scans: sim.state.scans().length,
          findingsReported: null,
          findingsInScenario: DEMO_FULL_FINDINGS,
        },
        () => {
          expect(run.code, run.stdout + run.stderr).toBe(5);
          expect(result.error?.code).toBe('AUTH_FAILED');
          expect(result.error?.message).toMatch(/401.*API key/);
          expect(sim.counters.get('POST /scans')).toBe(0);
          expect(hasStackTrace(run.stdout + run.stderr)).toBe(false);
        },
      );
    });
  });

  it('statuses and enum values never returned before: the run completes and reports them', async () => {
    const scenario = unknownEnumsScenario();
    await withSimulator({ scenario }, async ({ sim, baseUrl }) => {
      const run = await runCli({ label: 'new enum values', baseUrl, args: ['--app', 'New Values App', '--scan-config', 'New values scan', '--poll-interval', '1s', '--fail-on', 'CRITICAL'] });
      const result = resultOf(run);
      const findings = findingsOf(run);
      const metrics = JSON.parse(run.files[METRICS_FILE] ?? '{}') as { metrics?: { severity?: Record<string, number>; module?: Record<string, number> } };
      const statuses = new Set(findings.map((f) => f.status));
      record(
        {
          scenario: row('statuses and enum values never returned before'),
          faults: `scan status ${NEW_VALUES.scanStatus}, severity ${NEW_VALUES.severity}, finding statuses ${NEW_VALUES.statuses.join(', ')} (scenario "new-enum-values")`,
          expected: `exit 1 (--fail-on CRITICAL: the unknown severity ${NEW_VALUES.severity} fails closed, named in a warning); ${NEW_VALUES.severity} counted in the metrics; new statuses kept in the findings report; the new scan status named in a warning`,
          observed: observe(run, `metrics ${NEW_VALUES.severity}: ${metrics.metrics?.severity?.[NEW_VALUES.severity] ?? 0}, statuses ${[...statuses].sort().join('/')}`),
          scans: sim.state.scans().length,
          findingsReported: result.counts.total,
          findingsInScenario: scenario.findings.length,
        },
        () => {
          // An unknown severity counts as the severest for --fail-on (issue 17): the gate fails closed, saying why.
          expect(run.code, run.stdout + run.stderr).toBe(1);
          expect(run.stdout).toContain(`'${NEW_VALUES.severity}'`);
          expect(result.counts.total).toBe(scenario.findings.length);
          expect(metrics.metrics?.severity?.[NEW_VALUES.severity]).toBe(1);
          expect(result.counts.bySeverity[NEW_VALUES.severity]).toBe(1);
          for (const status of NEW_VALUES.statuses) expect(statuses).toContain(status);
          expect(run.stdout).toContain(NEW_VALUES.scanStatus);
          expect(result.gate).toMatchObject({ passed: false, matched: 1 });
          expect(sim.state.scans()).toHaveLength(1);
          expect(sim.state.scans()[0]?.scan_config.id).toBe(NEW_IDS.config);
        },
      );
    });
  });
});

describe('secret hygiene over the fault matrix', () => {
  it('the canary API key appears in no stdout, stderr or written file', () => {
    expect(allCaptures().length).toBeGreaterThan(0);
    expect(findSecret(CANARY_API_KEY)).toEqual([]);
  });
});
