// Name matching in search (issue 20, item 4; README "Name matching"): the rule core's resolution uses too. A search
// comparing app.name or scanconfig.name with = that finds nothing exactly is run again ignoring case: one match is
// returned with a warning, several are refused (400) naming them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from './clock.js';
import { generateScenario } from './generate-scenario.js';
import type { Scenario } from './scenario.js';
import { createSimulator, type Simulator } from './simulator.js';

const BASE = 'http://ias.sim.test/ias/v1';
const JUICE = 'a3000000-0000-4000-8000-000000000001';
const PAY = 'a3000000-0000-4000-8000-000000000002';
const PAY_UPPER = 'a3000000-0000-4000-8000-000000000003';
const C = (n: number): string => `c3000000-0000-4000-8000-00000000000${n}`;

function scenario(): Scenario {
  const base = generateScenario({ findings: 3, modules: 2, seed: 5 });
  const { finding_set: _set, ...config } = base.scan_configs[0]!;
  return {
    ...base,
    apps: [
      { id: JUICE, name: 'Juice Shop' },
      { id: PAY, name: 'Payments' },
      { id: PAY_UPPER, name: 'PAYMENTS' },
    ],
    findings: [],
    finding_sets: {},
    scan_configs: [
      { ...config, id: C(1), app_id: JUICE, name: 'Nightly' },
      { ...config, id: C(2), app_id: PAY, name: 'nightly' },
      { ...config, id: C(3), app_id: PAY, name: 'NIGHTLY' },
    ],
  };
}

let sim: Simulator;
const warnings: string[] = [];

beforeAll(() => {
  sim = createSimulator({ scenario: scenario(), clock: createManualClock(), onWarning: (m) => warnings.push(m) });
});

afterAll(async () => {
  await sim.close();
});

async function search(type: string, query: string): Promise<{ status: number; ids: string[]; message: string }> {
  const response = await sim.fetch(`${BASE}/search`, {
    method: 'POST',
    headers: { 'X-Api-Key': sim.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ type, query }),
  });
  const body = (await response.json()) as { data?: { id: string }[]; message?: string };
  return { status: response.status, ids: (body.data ?? []).map((d) => d.id), message: body.message ?? '' };
}

describe('name matching in POST /search', () => {
  it('matches exactly first: an exact name ignores names that differ only in case, without a warning', async () => {
    warnings.length = 0;
    expect(await search('APP', "app.name='Payments'")).toMatchObject({ status: 200, ids: [PAY] });
    expect(await search('SCAN_CONFIG', `scanconfig.name='nightly' && scanconfig.app.id='${PAY}'`)).toMatchObject({ status: 200, ids: [C(2)] });
    expect(warnings).toEqual([]);
  });

  it('falls back to a single match ignoring case, with a warning (the official task then finds "juice shop")', async () => {
    warnings.length = 0;
    expect(await search('APP', "app.name='juice shop'")).toMatchObject({ status: 200, ids: [JUICE] });
    expect(await search('SCAN_CONFIG', `scanconfig.name='NIGHTLY' && scanconfig.app.id='${JUICE}'`)).toMatchObject({ status: 200, ids: [C(1)] });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toBe("The name in app.name='juice shop' matches no APP exactly; using 'Juice Shop', which matches ignoring case");
  });

  it('refuses several matches ignoring case, naming them', async () => {
    const apps = await search('APP', "app.name='payments'");
    expect(apps.status).toBe(400);
    expect(apps.message).toBe(`The name in app.name='payments' matches no APP exactly and 2 ignoring case: 'Payments' (${PAY}), 'PAYMENTS' (${PAY_UPPER}); write the exact name or use the id`);
    const configs = await search('SCAN_CONFIG', `scanconfig.name='Nightly' && scanconfig.app.id='${PAY}'`);
    expect(configs.status).toBe(400);
    expect(configs.message).toContain(`'nightly' (${C(2)}), 'NIGHTLY' (${C(3)})`);
  });

  it('leaves other comparisons alone: no fallback for LIKE, != or a name that matches nothing either way', async () => {
    expect(await search('APP', "app.name LIKE 'juice%'")).toMatchObject({ status: 200, ids: [] });
    expect(await search('APP', "app.name != 'juice shop'")).toMatchObject({ status: 200 });
    expect(await search('APP', "app.name='Juice Sop'")).toMatchObject({ status: 200, ids: [] });
  });
});
