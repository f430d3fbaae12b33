// Scan data is hostile (issue 17): a scanned application or a hostile server controls names, finding fields,
// failure reasons and event texts. These runs against the simulator check that none of it can start a host
// command line, crash the run, leak a reflected key, or pass a threshold gate silently; and that interrupts and a
// refused gate query end the way the issue asks.
import { describe, expect, it } from 'vitest';
import type { FetchLike } from '../effects';
import { planGate } from '../gate/gate-query';
import { createHarness, SIM_BASE_URL } from '../testing/sim-harness';
import { HOSTILE_IDS, HOSTILE_KEY, hostileScenario, ODD_SEVERITIES } from '../testing/hostile-scenario';
import type { Vulnerability } from '../api/schemas';
import { runScanJob } from './run-scan-job';

const harness = () => createHarness({ scenario: hostileScenario(), apiKey: HOSTILE_KEY });
type H = ReturnType<typeof harness>;
const job = (h: H, raw: Record<string, unknown> = {}) => h.job({ baseUrl: SIM_BASE_URL, apiKey: HOSTILE_KEY, app: HOSTILE_IDS.app, scanConfig: HOSTILE_IDS.config, ...raw });

/** Lines that a GitHub runner or an Azure agent would take as a command, or that spoof a terminal. */
function unsafeLines(text: string): string[] {
  return text.split('\n').filter((line) => /^\s*(::|##)/.test(line.replace(/^(debug|info|warn|error): /, '')) || /##(vso)?\[/i.test(line) || /[\r\u0085\u2028]/.test(line) || line.includes('\u001b'));
}

/** Wraps the simulator's fetch: `hook` sees each request first and may answer or act. */
function hooked(h: H, hook: (request: Request, body: string) => Promise<Response | undefined>, after?: (request: Request) => void): FetchLike {
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const body = request.method === 'GET' ? '' : await request.clone().text();
    const answer = await hook(request, body);
    if (answer !== undefined) return answer;
    const response = await h.sim.fetch(request);
    after?.(request);
    if (request.signal.aborted) throw request.signal.reason;
    return response;
  };
}

describe('hostile scan data', () => {
  it('a finding built to inject host commands, with a lone surrogate in its attack id and odd severities: no unsafe log line, no crash, every report written, the key nowhere', async () => {
    const h = harness();
    const outcome = await runScanJob(job(h, { failOn: 'LOW' }), h.effects);
    expect(outcome.error).toBeNull();
    expect(outcome.exitCode).toBe(1);
    expect(unsafeLines(h.logger.text())).toEqual([]);
    expect(outcome.message).not.toMatch(/[\r\n]/);
    expect(outcome.message.includes('\u001b')).toBe(false);
    // Every report and the result file exist and hold no copy of the key the server reflected back.
    expect([...h.sink.files.keys()].sort()).toEqual([
      'gl-dast-report.json',
      'insightappsec-scan-findings.json',
      'insightappsec-scan-junit.xml',
      'insightappsec-scan-metrics.json',
      'insightappsec-scan-report.html',
      'insightappsec-scan-result.json',
      'insightappsec-scan-summary.md',
      'insightappsec-scan.sarif',
    ]);
    for (const [name, text] of h.sink.files) expect(text.includes(HOSTILE_KEY), name).toBe(false);
    expect(h.sink.files.get('insightappsec-scan-findings.json')).toContain('***');
    expect(h.logger.text().includes(HOSTILE_KEY)).toBe(false);
    JSON.parse(h.sink.files.get('insightappsec-scan.sarif') ?? '');
    JSON.parse(h.sink.files.get('insightappsec-scan-result.json') ?? '');
  });

  it('unknown and malformed severities fail a --fail-on gate closed, with a warning naming them', async () => {
    const h = harness();
    const outcome = await runScanJob(job(h, { failOn: 'HIGH' }), h.effects);
    expect(outcome.exitCode).toBe(1);
    // The five odd severities count at the severest level; the LOW finding does not reach HIGH.
    expect(outcome.gate?.matched).toBe(ODD_SEVERITIES.length);
    const warning = outcome.warnings.find((w) => w.includes('severities the tool does not know')) ?? '';
    for (const severity of ODD_SEVERITIES) expect(warning).toContain(`'${severity}'`);
    expect(h.logger.lines.some((l) => l.startsWith('warn: ') && l.includes("'SEVERE'"))).toBe(true);
  });

  it('planGate: each odd severity matches a threshold, whatever it is', () => {
    for (const failOn of ['CRITICAL', 'LOW'] as const) {
      const plan = planGate({ failOn }, 'b0000000-0000-4000-8000-000000000001');
      for (const severity of ODD_SEVERITIES) expect(plan?.test({ id: 'x', severity } as Vulnerability), `${failOn} / ${JSON.stringify(severity)}`).toBe(true);
      expect(plan?.test({ id: 'x', severity: 'SAFE' } as Vulnerability)).toBe(failOn === 'CRITICAL' ? false : false);
    }
  });

  it('a failure reason carrying commands and the key: redacted in the outcome, escaped in every line', async () => {
    const h = harness();
    const outcome = await runScanJob(job(h, { scanConfig: HOSTILE_IDS.failing }), h.effects);
    expect(outcome.exitCode).toBe(3);
    expect(outcome.failureReason).toContain('***');
    expect(JSON.stringify(outcome).includes(HOSTILE_KEY)).toBe(false);
    expect(h.sink.files.get('insightappsec-scan-result.json')?.includes(HOSTILE_KEY)).toBe(false);
    expect(outcome.message).not.toMatch(/[\r\n]/);
    expect(unsafeLines(h.logger.text())).toEqual([]);
    expect(h.logger.text().includes(HOSTILE_KEY)).toBe(false);
  });

  it('a gate query the server refuses with 400: exit 2 naming the query, findings, metrics and reports kept', async () => {
    const h = harness();
    h.effects.fetch = hooked(h, async (request, body) =>
      request.method === 'POST' && new URL(request.url).pathname.endsWith('/search') && body.includes('&& (')
        ? new Response(JSON.stringify({ message: 'Unsupported operator in query' }), { status: 400, headers: { 'content-type': 'application/json' } })
        : undefined,
    );
    const outcome = await runScanJob(job(h, { gateQuery: "vulnerability.severity='LOW'" }), h.effects);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.message).toMatch(/refused the gate query/);
    expect(outcome.message).toMatch(/gateQuery/);
    expect(outcome.collected).toBe(true);
    expect(outcome.gate?.matched).toBe(1);
    for (const name of ['insightappsec-scan-findings.json', 'insightappsec-scan-metrics.json', 'insightappsec-scan.sarif', 'insightappsec-scan-junit.xml', 'insightappsec-scan-summary.md', 'insightappsec-scan-report.html', 'insightappsec-scan-result.json']) {
      expect(h.sink.files.has(name), name).toBe(true);
    }
  });
});

describe('interrupts', () => {
  it('SIGTERM while POST /scans is in flight: the scan the server created is found and canceled, and the run says so', async () => {
    const h = harness();
    const controller = new AbortController();
    h.effects.signal = controller.signal;
    h.effects.fetch = hooked(
      h,
      async () => undefined,
      (request) => {
        if (request.method === 'POST' && new URL(request.url).pathname.endsWith('/scans')) controller.abort(new Error('SIGTERM'));
      },
    );
    const outcome = await runScanJob(job(h), h.effects);
    expect(outcome.exitCode).toBe(130);
    const scans = h.sim.state.scans();
    expect(scans).toHaveLength(1);
    expect(outcome.scanId).toBe(scans[0]?.id);
    expect(outcome.message).toMatch(/created scan .* which was canceled/);
    expect(h.sim.counters.get('PUT /scans/{id}/action')).toBe(1);
  });

  it('an interrupt during the documentation lookup: exit 130 (not the gate verdict), and no unfinished report left', async () => {
    // The demo scenario: plain data, so nothing but the interrupt is under test.
    const h = createHarness();
    const controller = new AbortController();
    h.effects.signal = controller.signal;
    h.effects.fetch = hooked(h, async (request) => {
      if (request.url.includes('/documentation')) controller.abort(new Error('SIGTERM'));
      return undefined;
    });
    const outcome = await runScanJob(h.job({ failOn: 'LOW' }), h.effects);
    expect(outcome.exitCode).toBe(130);
    expect(outcome.result).toBe('interrupted');
    // The reports that needed the documentation were never finished, so none of them exists.
    for (const name of ['insightappsec-scan.sarif', 'insightappsec-scan-junit.xml', 'insightappsec-scan-summary.md', 'insightappsec-scan-report.html']) expect(h.sink.files.has(name), name).toBe(false);
    expect(h.sink.files.has('insightappsec-scan-result.json')).toBe(true);
  });
});

describe('server gate failures keep the reports', () => {
  it('a gate search the server fails with 500 (retries exhausted): exit 5 saying the gate was not checked, reports written', async () => {
    const h = createHarness();
    h.effects.retries = 1;
    h.effects.fetch = hooked(h, async (request, body) =>
      request.method === 'POST' && new URL(request.url).pathname.endsWith('/search') && body.includes('&& (') ? new Response('{"message":"boom"}', { status: 500, headers: { 'content-type': 'application/json' } }) : undefined,
    );
    const outcome = await runScanJob(h.job({ failOn: 'HIGH' }), h.effects);
    expect(outcome.exitCode).toBe(5);
    expect(outcome.message).toMatch(/the server could not check the gate, so the step fails/);
    expect(outcome.collected).toBe(true);
    for (const name of ['insightappsec-scan-findings.json', 'insightappsec-scan-metrics.json', 'insightappsec-scan.sarif', 'insightappsec-scan-result.json']) expect(h.sink.files.has(name), name).toBe(true);
  });
});
