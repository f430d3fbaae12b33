import { generateScenario } from '@ias/simulator';
import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/sim-harness';
import { runScanJob } from '../scan/run-scan-job';

describe('the server gate cross-check', () => {
  it('reads one page of the server gate search when it agrees with the local evaluation', async () => {
    const h = createHarness({ scenario: generateScenario({ findings: 3000, modules: 5, seed: 3 }) });
    const outcome = await runScanJob(h.job({ app: 'Generated App', scanConfig: 'Generated Scan', gateQuery: "vulnerability.severity='LOW' || vulnerability.severity='HIGH'", reports: 'metrics,result' }), h.effects);
    const expected = (outcome.counts.bySeverity.LOW ?? 0) + (outcome.counts.bySeverity.HIGH ?? 0);
    expect(expected).toBeGreaterThan(1000);
    expect(outcome.gate).toMatchObject({ matched: expected, localMatched: expected, serverMatched: expected, disagreements: [] });
    // 3 pages of findings + 1 gate page (not 2), plus resolution and polling before COMPLETE.
    const gateSearches = h.sim.counters.get('POST /search') - 3 - 2;
    expect(gateSearches).toBe(1);
  });

  it('reads every page and fails closed when the server counts differently from the local evaluation', async () => {
    const h = createHarness({ scenario: generateScenario({ findings: 3000, modules: 5, seed: 3 }) });
    // Core and the simulator read every query alike (tooling/query-cases), so a server that counts differently is
    // made here: the gate's scoped search reaches the simulator with its condition replaced.
    const fetch = h.effects.fetch;
    h.effects.fetch = async (input, init) => {
      const request = new Request(input, init);
      const body = request.method === 'POST' ? await request.clone().text() : '';
      if (!body.includes(' && (')) return fetch(request);
      const changed = body.replace("vulnerability.severity = 'LOW' || vulnerability.severity = 'HIGH'", "vulnerability.severity = 'CRITICAL'");
      return fetch(new Request(request, { body: changed }));
    };
    const outcome = await runScanJob(h.job({ app: 'Generated App', scanConfig: 'Generated Scan', gateQuery: "vulnerability.severity='LOW' || vulnerability.severity='HIGH'", reports: 'metrics,result' }), h.effects);
    const local = (outcome.counts.bySeverity.LOW ?? 0) + (outcome.counts.bySeverity.HIGH ?? 0);
    const server = outcome.counts.bySeverity.CRITICAL ?? 0;
    expect(server).toBeGreaterThan(0);
    expect(outcome.gate?.localMatched).toBe(local);
    expect(outcome.gate?.serverMatched).toBe(server);
    expect(outcome.gate?.matched).toBe(local + server);
    expect(outcome.gate?.disagreements).toHaveLength(local + server);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.warnings.some((w) => /disagree/.test(w))).toBe(true);
  });
});
