// The shared query-case table (tooling/query-cases/cases.json, docs/query-language.md): every row gives the same
// verdict here, through POST /search, as in core's evaluator (packages/core/src/query/query-cases.test.ts).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from './clock.js';
import type { Scenario } from './scenario.js';
import { createSimulator, type Simulator } from './simulator.js';

interface QueryCase {
  topic: string;
  query: string;
  expect: string[] | 'refused';
}
interface CaseTable {
  ids: Record<string, string>;
  scenario: Scenario;
  cases: QueryCase[];
}

const table = JSON.parse(readFileSync(new URL('../../../tooling/query-cases/cases.json', import.meta.url), 'utf8')) as CaseTable;
const BASE = 'http://ias.sim.test/ias/v1';
const labelOf = new Map(Object.entries(table.ids).map(([label, id]) => [id, label]));
const withIds = (query: string): string => query.replace(/\{([A-Z0-9]+)\}/g, (_, label: string) => table.ids[label] ?? label);
let sim: Simulator;

beforeAll(() => {
  sim = createSimulator({ scenario: table.scenario, clock: createManualClock() });
});

afterAll(async () => {
  await sim.close();
});

describe('the shared query-case table, through POST /search', () => {
  it('has the history the rows assume: F1 carried from H1 into H2, F2 and F3 fixed, F4 and F5 new', () => {
    const scans = Object.fromEntries(sim.state.vulnerabilities().map((v) => [labelOf.get(v.id), v.scans.map((s) => labelOf.get(s.id))]));
    expect(scans).toEqual({ F1: ['H1', 'H2'], F2: ['H1'], F3: ['H1'], F4: ['H2'], F5: ['H2'] });
  });

  it.each(table.cases.map((c) => [c.topic, c.query.length > 120 ? `${c.query.slice(0, 117)}...` : c.query, c] as const))('%s: %s', async (_topic, _shown, c) => {
    const response = await sim.fetch(`${BASE}/search?size=1000`, {
      method: 'POST',
      headers: { 'X-Api-Key': sim.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'VULNERABILITY', query: withIds(c.query) }),
    });
    const body = (await response.json()) as { data?: { id: string }[]; message?: string };
    if (c.expect === 'refused') {
      expect(response.status, `expected a refusal, got ${JSON.stringify(body.data?.map((d) => labelOf.get(d.id)))}`).toBe(400);
      return;
    }
    expect(response.status, body.message).toBe(200);
    expect((body.data ?? []).map((d) => labelOf.get(d.id) ?? d.id).sort()).toEqual([...c.expect].sort());
  });
});
