// The scope-escape bug (issues 3 and 20): the official Azure DevOps and Bamboo tasks append the user's query to the
// scan scope without parentheses (`vulnerability.scans.id='ID' && A || B`), so `B` matches findings of every scan
// of the application. On a server that carries findings across scans that is a real escape: the simulator's
// `history` scenario has three earlier scans of Juice Shop, and a new scan of Nightly finds vulnerabilities that
// were found before (same ids) beside new ones, while others found before are fixed. The gate for the new scan
// must count that scan's findings only, both in the local pass and in the server search.
import { createManualClock, createSimulator, type Simulator } from '@ias/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../api/client';
import type { Vulnerability } from '../api/schemas';
import { createGateTally, searchServerGate } from './evaluate-gate';
import { planGate } from './gate-query';

const BASE = 'http://ias.sim.test/ias/v1';
const NIGHTLY = 'c2000000-0000-4000-8000-000000000001';
const EARLIER_SCAN = '52000000-0000-4000-8000-000000000003';
const QUERY = "vulnerability.severity='LOW' || vulnerability.severity='HIGH'";
const isLowOrHigh = (v: { severity: string }): boolean => v.severity === 'LOW' || v.severity === 'HIGH';

let sim: Simulator;
let scan = '';
let inScan: Vulnerability[] = [];
let onlyEarlier: Vulnerability[] = [];

async function searchIds(query: string): Promise<string[]> {
  const response = await sim.fetch(`${BASE}/search?size=1000`, {
    method: 'POST',
    headers: { 'X-Api-Key': sim.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'VULNERABILITY', query }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { id: string }[] }).data.map((d) => d.id).sort();
}

beforeAll(async () => {
  const clock = createManualClock();
  sim = createSimulator({ scenario: 'history', clock });
  const response = await sim.fetch(`${BASE}/scans`, {
    method: 'POST',
    headers: { 'X-Api-Key': sim.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ scan_config: { id: NIGHTLY } }),
  });
  expect(response.status).toBe(201);
  scan = (response.headers.get('location') ?? '').split('/').pop() ?? '';
  clock.advance(3_600_000);
  const all = sim.state.vulnerabilities();
  const strip = ({ scans: _scans, ...v }: (typeof all)[number]): Vulnerability => v as Vulnerability;
  inScan = all.filter((v) => v.scans.some((s) => s.id === scan)).map(strip);
  onlyEarlier = all.filter((v) => !v.scans.some((s) => s.id === scan)).map(strip);
});

afterAll(async () => {
  await sim.close();
});

describe('the gate stays inside its scan (scope escape), on findings carried across scans', () => {
  it('the new scan carries earlier findings with their ids, and LOW or HIGH ones exist only in earlier scans', () => {
    const all = sim.state.vulnerabilities();
    const carried = all.filter((v) => v.scans.some((s) => s.id === scan) && v.scans.some((s) => s.id === EARLIER_SCAN));
    expect(inScan).toHaveLength(20);
    expect(carried).toHaveLength(15);
    expect(onlyEarlier).toHaveLength(20);
    expect(onlyEarlier.some(isLowOrHigh)).toBe(true);
  });

  it("the unparenthesised concatenation of the official tasks (scope && A || B) matches other scans' findings", async () => {
    const bare = await searchIds(`vulnerability.scans.id='${scan}' && ${QUERY}`);
    const escaped = bare.filter((id) => onlyEarlier.some((v) => v.id === id));
    expect(escaped.length).toBeGreaterThan(0);
    expect(bare.length).toBeGreaterThan(inScan.filter(isLowOrHigh).length);
  });

  it('planGate wraps the query in parentheses, and the server and the local pass count the new scan only', async () => {
    const plan = planGate({ query: QUERY }, scan);
    expect(plan?.serverQuery).toBe(`vulnerability.scans.id='${scan}' && (vulnerability.severity = 'LOW' || vulnerability.severity = 'HIGH')`);
    if (plan === undefined) return;
    const clock = { now: () => sim.clock.now(), sleep: async () => {} };
    const client = createApiClient({ baseUrl: BASE, apiKey: sim.apiKey, fetch: (input, init) => sim.fetch(input, init), userAgent: 'scope-test', clock });
    const server = await searchServerGate(client, plan);
    const expected = inScan.filter(isLowOrHigh).map((v) => v.id).sort();
    expect(expected.length).toBeGreaterThan(0);
    expect([...(server?.matchedIds ?? [])].sort()).toEqual(expected);

    const tally = createGateTally(plan, server);
    for (const v of inScan) tally.add(v, 'module');
    const verdict = tally.finish();
    expect(verdict).toMatchObject({ passed: false, matched: expected.length, localMatched: expected.length, serverMatched: expected.length, disagreements: [] });
    expect(verdict.matches.map((m) => m.id).sort()).toEqual(expected);
  });

  it('the local pass alone ignores earlier scans even when the query names one (scans.id is the scan the collector read)', () => {
    const plan = planGate({ query: `vulnerability.scans.id='${EARLIER_SCAN}' || vulnerability.severity='CRITICAL'` }, scan);
    const tally = createGateTally(plan!, undefined);
    for (const v of inScan) tally.add(v, 'module');
    expect(tally.finish().matched).toBe(inScan.filter((v) => v.severity === 'CRITICAL').length);
  });
});
