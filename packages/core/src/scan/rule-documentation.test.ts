import { generateScenario } from '@ias/simulator';
import { describe, expect, it } from 'vitest';
import type { DocumentationCache, FetchLike } from '../effects';
import { createHarness, type Harness } from '../testing/sim-harness';
import { RULE_DOCUMENTATION_TTL_MS } from './rule-documentation';
import { runScanJob } from './run-scan-job';

const DOCS_ROUTE = 'GET /modules/{id}/attacks/{id}/documentation';
const DOCS_PATH = /\/modules\/[^/]+\/attacks\/[^/]+\/documentation$/;

/** A cache in memory, as the host's would keep it on disk. */
function memoryCache(): DocumentationCache & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    read: async (key) => entries.get(key),
    write: async (key, text) => {
      entries.set(key, text);
    },
  };
}

/** Wraps the harness's fetch to count the documentation requests in flight at once. */
function countInFlight(fetch: FetchLike): { fetch: FetchLike; peak: () => number } {
  let inFlight = 0;
  let peak = 0;
  return {
    peak: () => peak,
    fetch: async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (!DOCS_PATH.test(new URL(url).pathname)) return fetch(input, init);
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      try {
        const response = await fetch(input, init);
        await (response as Response).clone().arrayBuffer();
        return response;
      } finally {
        inFlight -= 1;
      }
    },
  };
}

const scenario = () => generateScenario({ findings: 600, modules: 25, seed: 11 });

function distinctAttacks(h: Harness): number {
  return new Set(h.sim.state.vulnerabilities().map((v) => `${v.variances[0]?.module.id}/${v.variances[0]?.attack.id}`)).size;
}

async function run(h: Harness, cache: DocumentationCache | undefined, raw: Record<string, string> = {}) {
  const counted = countInFlight(h.effects.fetch);
  const outcome = await runScanJob(h.job({ app: 'Generated App', scanConfig: 'Generated Scan', reports: 'sarif,html,result', ...raw }), {
    ...h.effects,
    fetch: counted.fetch,
    ...(cache === undefined ? {} : { documentationCache: cache }),
  });
  const sarif = JSON.parse(h.sink.files.get('insightappsec-scan.sarif') ?? '{}') as { runs: { tool: { driver: { rules: { fullDescription?: { text: string }; help?: { text: string } }[] } } }[] };
  return { outcome, peak: counted.peak(), docs: h.sim.counters.get(DOCS_ROUTE), rules: sarif.runs[0]?.tool.driver.rules ?? [] };
}

const warnings = (h: Harness) => h.logger.lines.filter((line) => line.startsWith('warn:'));

describe('rule documentation', () => {
  it('cold cache: one request per distinct attack with findings, at most 8 at a time, and fills the cache', async () => {
    const h = createHarness({ scenario: scenario() });
    const cache = memoryCache();
    const { outcome, peak, docs, rules } = await run(h, cache);
    expect(outcome.exitCode).toBe(0);
    const attacks = distinctAttacks(h);
    expect(attacks).toBeGreaterThan(8);
    expect(docs).toBe(attacks);
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(8);
    expect(cache.entries.size).toBe(attacks);
    expect(rules.every((r) => r.help?.text.includes('Attack documentation was not available') === false)).toBe(true);
    expect(warnings(h)).toEqual([]);
  });

  it('warm cache: no documentation request at all, and the same reports', async () => {
    const cache = memoryCache();
    const cold = createHarness({ scenario: scenario() });
    const first = await run(cold, cache);
    const warm = createHarness({ scenario: scenario() });
    const second = await run(warm, cache);
    expect(second.docs).toBe(0);
    expect(second.rules).toEqual(first.rules);
    expect(warnings(warm)).toEqual([]);
  });

  it('fetches again what is older than 7 days', async () => {
    const cache = memoryCache();
    await run(createHarness({ scenario: scenario() }), cache);
    const later = createHarness({ scenario: scenario() });
    later.clock.advance(RULE_DOCUMENTATION_TTL_MS + 60_000);
    const { docs } = await run(later, cache);
    expect(docs).toBe(distinctAttacks(later));
  });

  it('a corrupt cache: one warning, everything fetched again and the damaged entries replaced', async () => {
    const cache = memoryCache();
    await run(createHarness({ scenario: scenario() }), cache);
    const keys = [...cache.entries.keys()];
    for (const [i, key] of keys.entries()) cache.entries.set(key, i % 2 === 0 ? '{"moduleId": tru' : JSON.stringify({ moduleId: 'x', attackId: 'y', fetchedAt: 0, documentation: {} }));
    const h = createHarness({ scenario: scenario() });
    const { docs, rules } = await run(h, cache);
    expect(docs).toBe(distinctAttacks(h));
    expect(warnings(h)).toHaveLength(1);
    expect(warnings(h)[0]).toMatch(/attack documentation cache holds a damaged entry; it is ignored/);
    expect(rules.every((r) => r.help?.text.includes('Attack documentation was not available') === false)).toBe(true);
    const again = createHarness({ scenario: scenario() });
    expect((await run(again, cache)).docs).toBe(0);
  });

  it('an unreadable or unwritable cache: one warning, the run goes on as without one', async () => {
    for (const broken of [
      { read: () => Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })), write: () => Promise.resolve() },
      { read: () => Promise.resolve(undefined), write: () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })) },
    ] satisfies DocumentationCache[]) {
      const h = createHarness({ scenario: scenario() });
      const { outcome, docs } = await run(h, broken);
      expect(outcome.exitCode).toBe(0);
      expect(docs).toBe(distinctAttacks(h));
      expect(warnings(h)).toHaveLength(1);
      expect(warnings(h)[0]).toMatch(/attack documentation cache cannot be (read|written) \(E(ACCES|NOSPC)/);
    }
  });

  it('ruleDocs off: no documentation request, and every rule still described from the module list', async () => {
    const h = createHarness({ scenario: scenario() });
    const { docs, rules } = await run(h, memoryCache(), { ruleDocs: 'false' });
    expect(docs).toBe(0);
    expect(h.sim.counters.get('GET /modules')).toBe(1);
    expect(rules.length).toBe(distinctAttacks(h));
    expect(rules.every((r) => (r.fullDescription?.text ?? '').length > 0)).toBe(true);
  });

  it('no report that shows documentation: no documentation request', async () => {
    const h = createHarness({ scenario: scenario() });
    await runScanJob(h.job({ app: 'Generated App', scanConfig: 'Generated Scan', reports: 'junit,markdown,result' }), h.effects);
    expect(h.sim.counters.get(DOCS_ROUTE)).toBe(0);
  });
});
