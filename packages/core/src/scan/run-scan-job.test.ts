import { generateScenario } from '@ias/simulator';
import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/sim-harness';
import { runScanJob } from './run-scan-job';

describe('runScanJob against the simulator', () => {
  it('resolves by name, launches, follows the scan to COMPLETE, writes the reports and passes without a gate', async () => {
    const h = createHarness();
    const outcome = await runScanJob(h.job(), h.effects);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.status).toBe('COMPLETE');
    expect(outcome.app).toEqual({ id: 'a0000000-0000-4000-8000-000000000001', name: 'Demo Shop' });
    expect(outcome.scanConfig?.name).toBe('Full');
    expect(outcome.scanId).toBe(h.sim.state.scans()[0]?.id);
    expect(h.sim.state.scans()).toHaveLength(1);
    const findings = JSON.parse(h.sink.files.get('insightappsec-scan-findings.json') ?? 'null') as { id: string }[];
    expect(findings.length).toBe(outcome.counts.total);
    expect(findings.length).toBeGreaterThan(0);
    const metrics = JSON.parse(h.sink.files.get('insightappsec-scan-metrics.json') ?? 'null') as { metrics: { severity: Record<string, number>; module: Record<string, number> } };
    expect(Object.keys(metrics)).toEqual(['metrics']);
    expect(Object.values(metrics.metrics.severity).reduce((a, b) => a + b, 0)).toBe(findings.length);
    expect(Object.values(metrics.metrics.module).reduce((a, b) => a + b, 0)).toBe(findings.length);
    expect(Object.keys(metrics.metrics.module).every((name) => !/^[0-9a-f-]{36}$/.test(name))).toBe(true);
    const result = JSON.parse(h.sink.files.get('insightappsec-scan-result.json') ?? 'null') as { scanId: string; exitCode: number };
    expect(result).toMatchObject({ scanId: outcome.scanId, exitCode: 0 });
    expect(outcome.scanUrl).toMatch(new RegExp(`^https://.+#/apps/${outcome.app?.id}/configuration/${outcome.scanConfig?.id}/scan/${outcome.scanId}$`));
    expect(h.sink.files.get('insightappsec-scan-summary.md')).toContain(`[open the scan](<${outcome.scanUrl}>)`);
    expect(h.logger.text()).toMatch(/RUNNING/);
    expect(h.logger.text()).toMatch(/COMPLETE/);
  });

  it('fails the gate on matching findings, naming them, and still writes every report', async () => {
    const h = createHarness();
    const outcome = await runScanJob(h.job({ gateQuery: "vulnerability.severity='CRITICAL' || vulnerability.severity='HIGH'" }), h.effects);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.result).toBe('gate-failed');
    const expected = (outcome.counts.bySeverity.CRITICAL ?? 0) + (outcome.counts.bySeverity.HIGH ?? 0);
    expect(expected).toBeGreaterThan(0);
    expect(outcome.gate).toMatchObject({ passed: false, matched: expected, localMatched: expected, serverMatched: expected, disagreements: [] });
    expect(outcome.gate?.query).toBe(`vulnerability.scans.id='${outcome.scanId}' && (vulnerability.severity = 'CRITICAL' || vulnerability.severity = 'HIGH')`);
    expect(outcome.gate?.matches.every((m) => m.severity === 'CRITICAL' || m.severity === 'HIGH')).toBe(true);
    expect(outcome.gate?.matches.every((m) => m.module !== 'Unknown')).toBe(true);
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
    expect(outcome.reports.map((r) => r.format)).toEqual(['findings', 'metrics', 'sarif', 'junit', 'markdown', 'html', 'gitlab', 'result']);
    const junit = h.sink.files.get('insightappsec-scan-junit.xml') ?? '';
    expect(junit.match(/<failure /g)?.length).toBe(expected + 1);
    const sarif = JSON.parse(h.sink.files.get('insightappsec-scan.sarif') ?? '{}') as { runs: { results: unknown[]; properties: { leftOutByStatus: Record<string, number> }; tool: { driver: { rules: { help?: unknown }[] } } }[] };
    const leftOut = Object.values(sarif.runs[0]?.properties.leftOutByStatus ?? {}).reduce((a, b) => a + b, 0);
    expect(sarif.runs[0]?.results).toHaveLength(outcome.counts.total - leftOut);
    expect(sarif.runs[0]?.tool.driver.rules.every((r) => r.help !== undefined)).toBe(true);
    expect(h.sink.files.get('insightappsec-scan-summary.md')).toMatch(/❌/);
  });

  it('passes the gate when nothing matches', async () => {
    const h = createHarness();
    const outcome = await runScanJob(h.job({ gateQuery: "vulnerability.severity='HIGH' && vulnerability.status='IGNORED' && vulnerability.vulnerabilityScore > 100" }), h.effects);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.gate).toMatchObject({ passed: true, matched: 0 });
  });

  it('fails on --fail-on at or above a severity, ignoring reviewed statuses', async () => {
    const h = createHarness();
    const outcome = await runScanJob(h.job({ failOn: 'CRITICAL' }), h.effects);
    const findings = JSON.parse(h.sink.files.get('insightappsec-scan-findings.json') ?? '[]') as { severity: string; status: string }[];
    const expected = findings.filter((f) => f.severity === 'CRITICAL' && !['FALSE_POSITIVE', 'IGNORED', 'DUPLICATE'].includes(f.status)).length;
    expect(outcome.gate?.matched).toBe(expected);
    expect(outcome.exitCode).toBe(expected > 0 ? 1 : 0);
  });

  it.each([
    ['metrics,findings,junit,markdown,result', 0],
    ['all', 1],
  ])('costs at most 10 requests after COMPLETE for 5,000 findings over 25 modules (reports %s, + documentation per distinct attack × %d)', async (reports, perAttack) => {
    const h = createHarness({ scenario: generateScenario({ findings: 5000, modules: 25, seed: 7 }) });
    let afterComplete = -1;
    const outcome = await runScanJob(h.job({ app: 'Generated App', scanConfig: 'Generated Scan', gateQuery: "vulnerability.severity='CRITICAL'", reports }), {
      ...h.effects,
      onEvent: (event) => {
        if (event.type === 'status' && event.status === 'COMPLETE') afterComplete = h.sim.counters.total();
      },
    });
    expect(outcome.counts.total).toBe(5000);
    expect(Object.keys(outcome.counts.byModule)).toHaveLength(25);
    expect(afterComplete).toBeGreaterThan(0);
    const documentation = h.sim.counters.get('GET /modules/{id}/attacks/{id}/documentation');
    const requests = h.sim.counters.total() - afterComplete - documentation;
    // 5 search pages of 1000 + GET /modules + the gate search; SARIF and HTML add one documentation request per distinct attack.
    expect(requests).toBeLessThanOrEqual(10);
    const distinctAttacks = new Set(h.sim.state.vulnerabilities().map((v) => `${v.variances[0]?.module.id}/${v.variances[0]?.attack.id}`)).size;
    expect(documentation).toBe(perAttack * distinctAttacks);
    expect(h.sim.counters.get('GET /modules')).toBe(1);
    expect(h.sim.counters.get('GET /modules/{id}')).toBe(0);
  });

  it('exits 2 before launching when the app name is unknown, listing the closest names', async () => {
    const h = createHarness();
    const outcome = await runScanJob(h.job({ app: 'Demo Shpo' }), { ...h.effects, inputNames: { app: '--app' } });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.message).toBe("--app 'Demo Shpo' matches no application (closest: 'Demo Shop'); check the name or use its id.");
    expect(h.sim.counters.get('POST /scans')).toBe(0);
    expect(outcome.scanId).toBeNull();
  });

  it('picks the exact configuration when one name is a prefix of another, and handles a quote in a name', async () => {
    const h = createHarness();
    const full = await runScanJob(h.job({ scanConfig: 'Full', advanceOn: 'submitted' }), h.effects);
    expect(full.scanConfig).toEqual({ id: 'c0000000-0000-4000-8000-000000000001', name: 'Full' });
    const bobs = await runScanJob(h.job({ scanConfig: "Bob's nightly", advanceOn: 'submitted' }), h.effects);
    expect(bobs.scanConfig?.name).toBe("Bob's nightly");
    expect(bobs.exitCode).toBe(0);
  });

  it('resolves by UUID too', async () => {
    const h = createHarness();
    const outcome = await runScanJob(h.job({ app: 'a0000000-0000-4000-8000-000000000002', scanConfig: 'c0000000-0000-4000-8000-000000000005', advanceOn: 'submitted' }), h.effects);
    expect(outcome.app?.name).toBe('Payments API');
    expect(outcome.scanConfig?.name).toBe('Payments API Full');
  });

  it('finds the application of a scan configuration given only by its id', async () => {
    const h = createHarness();
    const outcome = await runScanJob(h.job({ app: undefined, scanConfig: 'c0000000-0000-4000-8000-000000000005', advanceOn: 'submitted' }), h.effects);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.app).toEqual({ id: 'a0000000-0000-4000-8000-000000000002', name: 'Payments API' });
    expect(h.logger.text()).toContain("Scan configuration 'Payments API Full' belongs to application 'Payments API'");
    const unknown = await runScanJob(h.job({ app: undefined, scanConfig: '00000000-0000-4000-8000-00000000beef' }), { ...h.effects, inputNames: { scanConfig: 'scan-config-id' } });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.message).toMatch(/^scan-config-id '00000000-0000-4000-8000-00000000beef' is not the id of a scan configuration/);
  });

  it('exits 5 on a wrong API key without showing it', async () => {
    const h = createHarness();
    const outcome = await runScanJob(h.job({ apiKey: 'wrong-key-SECRET-1234' }), h.effects);
    expect(outcome.exitCode).toBe(5);
    expect(outcome.error?.code).toBe('AUTH_FAILED');
    expect(outcome.message).toMatch(/401 Unauthorized; check the API key and the region/);
    const everything = JSON.stringify(outcome) + h.logger.text() + [...h.sink.files.values()].join('');
    expect(everything).not.toContain('wrong-key-SECRET-1234');
  });
});
