// The scope-escape bug (issue 3): the official Azure DevOps and Bamboo tasks append the user's query to the
// scan scope without parentheses, so `a || b` gates on every scan's findings. Two scans of one app here:
// the gate for scan A must count scan A's findings only, both in the local pass and in the server search.
import { createManualClock, createSimulator, generateScenario, type Scenario, type Simulator } from '@ias/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../api/client';
import type { Vulnerability } from '../api/schemas';
import { createGateTally, searchServerGate } from './evaluate-gate';
import { planGate } from './gate-query';

const BASE = 'http://ias.sim.test/ias/v1';
const CONFIG_B = 'c9000000-0000-4000-8000-0000000000b2';
const QUERY = "vulnerability.severity='LOW' || vulnerability.severity='HIGH'";

let sim: Simulator;
let scanA = '';
let scanB = '';
let inA: Vulnerability[] = [];
let onlyInB: Vulnerability[] = [];

/** The generated app with a second scan config whose finding set overlaps the first one's by half. */
function twoConfigScenario(): Scenario {
  const base = generateScenario({ findings: 40, modules: 6, seed: 11 });
  const ids = base.finding_sets['generated'] ?? [];
  const config = base.scan_configs[0];
  if (config === undefined) throw new Error('generateScenario gave no scan config');
  return {
    ...base,
    finding_sets: { a: ids.slice(0, 20), b: ids.slice(10) },
    scan_configs: [
      { ...config, finding_set: 'a' },
      { ...config, id: CONFIG_B, name: 'Generated Scan B', finding_set: 'b' },
    ],
  };
}

async function launch(configId: string): Promise<string> {
  const response = await sim.fetch(`${BASE}/scans`, {
    method: 'POST',
    headers: { 'X-Api-Key': sim.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ scan_config: { id: configId } }),
  });
  expect(response.status).toBe(201);
  return (response.headers.get('location') ?? '').split('/').pop() ?? '';
}

beforeAll(async () => {
  const clock = createManualClock();
  const scenario = twoConfigScenario();
  sim = createSimulator({ scenario, clock });
  scanA = await launch(scenario.scan_configs[0]?.id ?? '');
  clock.advance(3_600_000);
  scanB = await launch(CONFIG_B);
  clock.advance(3_600_000);
  const all = sim.state.vulnerabilities();
  const strip = ({ scans: _scans, ...v }: (typeof all)[number]): Vulnerability => v as Vulnerability;
  inA = all.filter((v) => v.scans.some((s) => s.id === scanA)).map(strip);
  onlyInB = all.filter((v) => !v.scans.some((s) => s.id === scanA)).map(strip);
});

afterAll(async () => {
  await sim.close();
});

describe('the gate stays inside its scan (scope escape)', () => {
  it('has findings of both scans, and LOW or HIGH ones only scan B found (else the test proves nothing)', () => {
    expect(inA).toHaveLength(20);
    expect(onlyInB).toHaveLength(20);
    expect(onlyInB.some((v) => v.severity === 'LOW' || v.severity === 'HIGH')).toBe(true);
  });

  it('the bare concatenation the official tasks send does escape: the simulator matches scan B findings', async () => {
    const bare = `vulnerability.scans.id='${scanA}' && ${QUERY}`;
    const response = await sim.fetch(`${BASE}/search?size=1000`, {
      method: 'POST',
      headers: { 'X-Api-Key': sim.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'VULNERABILITY', query: bare }),
    });
    const ids = ((await response.json()) as { data: { id: string }[] }).data.map((d) => d.id);
    expect(ids.some((id) => onlyInB.some((v) => v.id === id))).toBe(true);
  });

  it('planGate wraps the query in parentheses, and the server and the local pass count scan A findings only', async () => {
    const plan = planGate({ query: QUERY }, scanA);
    expect(plan?.serverQuery).toBe(`vulnerability.scans.id='${scanA}' && (vulnerability.severity = 'LOW' || vulnerability.severity = 'HIGH')`);
    if (plan === undefined) return;
    const clock = { now: () => sim.clock.now(), sleep: async () => {} };
    const client = createApiClient({ baseUrl: BASE, apiKey: sim.apiKey, fetch: (input, init) => sim.fetch(input, init), userAgent: 'scope-test', clock });
    const server = await searchServerGate(client, plan);
    const expected = inA.filter((v) => v.severity === 'LOW' || v.severity === 'HIGH').map((v) => v.id).sort();
    expect(expected.length).toBeGreaterThan(0);
    expect([...(server?.matchedIds ?? [])].sort()).toEqual(expected);

    const tally = createGateTally(plan, server);
    for (const v of inA) tally.add(v, 'module');
    const verdict = tally.finish();
    expect(verdict).toMatchObject({ passed: false, matched: expected.length, localMatched: expected.length, serverMatched: expected.length, disagreements: [] });
    expect(verdict.matches.map((m) => m.id).sort()).toEqual(expected);
  });

  it('the local pass alone ignores scan B findings even when handed them (scans.id is the scan the collector read)', () => {
    const plan = planGate({ query: `vulnerability.scans.id='${scanB}' || vulnerability.severity='CRITICAL'` }, scanA);
    const tally = createGateTally(plan!, undefined);
    for (const v of inA) tally.add(v, 'module');
    expect(tally.finish().matched).toBe(inA.filter((v) => v.severity === 'CRITICAL').length);
  });
});
