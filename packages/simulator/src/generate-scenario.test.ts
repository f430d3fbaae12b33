import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock.js';
import { generateScenario, GENERATED_IDS } from './generate-scenario.js';
import { loadScenario } from './load-scenario.js';
import { assertScenario } from './scenario.js';
import { createSimulator } from './simulator.js';

describe('generateScenario', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = generateScenario({ findings: 200, modules: 5, seed: 3 });
    expect(generateScenario({ findings: 200, modules: 5, seed: 3 })).toEqual(a);
    expect(generateScenario({ findings: 200, modules: 5, seed: 4 }).findings[0]?.id).not.toBe(a.findings[0]?.id);
  });

  it('builds one app and one config whose finding set spreads over every module', () => {
    const s = generateScenario({ findings: 300, modules: 20, seed: 1 });
    assertScenario(s);
    expect(s.apps.map((a) => a.name)).toEqual(['Generated App']);
    expect(s.scan_configs.map((c) => c.name)).toEqual(['Generated Scan']);
    expect(s.modules).toHaveLength(20);
    expect(s.modules[0]?.name).toBe('SQL Injection');
    expect(new Set(s.findings.map((f) => f.variances[0]?.module_id)).size).toBe(20);
    expect(s.finding_sets['generated']).toHaveLength(300);
  });

  // 20,000 findings keep this a unit test; the benchmark (tooling/bench) runs the 100,000-finding sets.
  it('makes 20,000 findings that a scan links and a search pages through', async () => {
    const scenario = generateScenario({ findings: 20_000, modules: 30, seed: 9 });
    expect(scenario.findings).toHaveLength(20_000);
    const clock = createManualClock();
    const sim = createSimulator({ scenario, clock });
    const headers = { 'X-Api-Key': 'sim-api-key', 'content-type': 'application/json' };
    const res = await sim.fetch('http://sim:80/ias/v1/scans', { method: 'POST', headers, body: JSON.stringify({ scan_config: { id: GENERATED_IDS.scanConfig } }) });
    const scanId = res.headers.get('location')?.split('/').pop() ?? '';
    clock.advance(3_600_000);
    const body = JSON.stringify({ type: 'VULNERABILITY', query: `vulnerability.scans.id='${scanId}'` });
    let url: string | undefined = 'http://sim:80/ias/v1/search?size=1000';
    let total = 0;
    let pages = 0;
    while (url) {
      const page = (await (await sim.fetch(url, { method: 'POST', headers, body })).json()) as { data: unknown[]; links: { rel: string; href: string }[] };
      total += page.data.length;
      pages += 1;
      url = page.links.find((l) => l.rel === 'next')?.href;
    }
    expect(pages).toBe(20);
    expect(total).toBe(20_000);
    await sim.close();
  });

  it('rejects impossible sizes', () => {
    expect(() => generateScenario({ findings: -1, modules: 1 })).toThrow(RangeError);
    expect(() => generateScenario({ findings: 1, modules: 0 })).toThrow(RangeError);
  });
});

describe('the demo scenario', () => {
  const demo = loadScenario('demo');

  it('covers every severity and status over at least ten modules', () => {
    expect(new Set(demo.findings.map((f) => f.severity))).toEqual(new Set(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'SAFE']));
    expect(new Set(demo.findings.map((f) => f.status))).toEqual(new Set(['UNREVIEWED', 'VERIFIED', 'FALSE_POSITIVE', 'IGNORED', 'REMEDIATED', 'DUPLICATE']));
    expect(demo.modules.length).toBeGreaterThanOrEqual(10);
    expect(demo.findings.length).toBeGreaterThanOrEqual(55);
    expect(demo.findings.some((f) => f.root_cause.parameter === undefined)).toBe(true);
  });

  it('has the names client tests rely on', () => {
    expect(demo.apps.map((a) => a.name)).toEqual(['Demo Shop', 'Payments API']);
    const names = demo.scan_configs.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['Full', 'Full Audit', "Bob's nightly"]));
    expect(demo.scan_configs.some((c) => c.outcome === 'FAILED' && c.failure_reason === 'SWAGGER_PARSING_ERROR')).toBe(true);
    expect(demo.scan_configs.some((c) => (c.errors ?? []).length > 0)).toBe(true);
  });
});
