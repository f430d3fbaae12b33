// The shared query-case table (tooling/query-cases/cases.json, docs/query-language.md): every row gives the same
// verdict here, in parseQuery and evaluateQuery, as in the simulator's POST /search
// (packages/simulator/src/query-cases.test.ts). The simulator only supplies the data: the vulnerabilities as the
// API returns them after the scenario's two earlier scans, and the scans that found each one.
import { readFileSync } from 'node:fs';
import { createManualClock, createSimulator, type Scenario, type SimVulnerability } from '@ias/simulator';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateQuery } from './evaluate';
import { parseQuery } from './parse-query';

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

const table = JSON.parse(readFileSync(new URL('../../../../tooling/query-cases/cases.json', import.meta.url), 'utf8')) as CaseTable;
const labelOf = new Map(Object.entries(table.ids).map(([label, id]) => [id, label]));
const withIds = (query: string): string => query.replace(/\{([A-Z0-9]+)\}/g, (_, label: string) => table.ids[label] ?? label);
let vulnerabilities: SimVulnerability[] = [];

beforeAll(async () => {
  const sim = createSimulator({ scenario: table.scenario, clock: createManualClock() });
  vulnerabilities = sim.state.vulnerabilities();
  await sim.close();
});

describe('the shared query-case table, in core', () => {
  it.each(table.cases.map((c) => [c.topic, c.query.length > 120 ? `${c.query.slice(0, 117)}...` : c.query, c] as const))('%s: %s', (_topic, _shown, c) => {
    const parsed = parseQuery(withIds(c.query));
    if (c.expect === 'refused') {
      expect(parsed.ok, 'expected a refusal').toBe(false);
      return;
    }
    if (!parsed.ok) throw new Error(`refused: ${parsed.error.message}\n${parsed.error.diagnostic}`);
    const matched = vulnerabilities
      .filter(({ scans, ...json }) => evaluateQuery(parsed.query, json, { scanIds: scans.map((s) => s.id) }))
      .map((v) => labelOf.get(v.id) ?? v.id);
    expect(matched.sort()).toEqual([...c.expect].sort());
  });
});
