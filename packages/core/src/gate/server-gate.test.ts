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
    // A date-only value is the whole UTC day locally but midnight exactly in the simulator: the readings differ.
    const outcome = await runScanJob(h.job({ app: 'Generated App', scanConfig: 'Generated Scan', gateQuery: "vulnerability.first_discovered = '2026-01-01'", reports: 'metrics,result' }), h.effects);
    expect(outcome.gate?.localMatched).toBe(3000);
    expect(outcome.gate?.serverMatched).toBe(0);
    expect(outcome.gate?.matched).toBe(3000);
    expect(outcome.gate?.disagreements).toHaveLength(3000);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.warnings.some((w) => /disagree/.test(w))).toBe(true);
  });
});
