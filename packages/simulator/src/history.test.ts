// Findings persist per application across scans (issue 20): the `history` scenario has three earlier scans of
// Juice Shop; a new scan keeps the ids of what it finds again, adds itself to their scans, adds new findings,
// and leaves out what was fixed.
import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock.js';
import { loadScenario } from './load-scenario.js';
import { createSimulator } from './simulator.js';

const BASE = 'http://ias.sim.test/ias/v1';
const H = ['52000000-0000-4000-8000-000000000001', '52000000-0000-4000-8000-000000000002', '52000000-0000-4000-8000-000000000003'];
const NIGHTLY = 'c2000000-0000-4000-8000-000000000001';
const id = (n: number): string => `f2000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`;
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function scanOnce() {
  const clock = createManualClock();
  const sim = createSimulator({ scenario: 'history', clock });
  const before = sim.state.vulnerabilities();
  const response = await sim.fetch(`${BASE}/scans`, {
    method: 'POST',
    headers: { 'X-Api-Key': sim.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ scan_config: { id: NIGHTLY } }),
  });
  const scan = (response.headers.get('location') ?? '').split('/').pop() ?? '';
  clock.advance(3_600_000);
  return { sim, scan, before, after: sim.state.vulnerabilities() };
}

describe('the history scenario', () => {
  it('starts with the earlier scans done: 35 vulnerabilities, each listing the scans that found it', async () => {
    const { sim, before } = await scanOnce();
    expect(before).toHaveLength(35);
    const byId = new Map(before.map((v) => [v.id, v]));
    expect(byId.get(id(1))?.scans.map((s) => s.id)).toEqual(H);
    expect(byId.get(id(22))?.scans.map((s) => s.id)).toEqual([H[0]]);
    expect(byId.get(id(33))?.scans.map((s) => s.id)).toEqual([H[2]]);
    expect(byId.get(id(1))).toMatchObject({ first_discovered: '2025-11-01T02:41:07.25', last_discovered: '2025-12-01T02:44:19', newly_discovered: false });
    const scans = sim.state.scans().filter((s) => H.includes(s.id));
    expect(scans.map((s) => s.status)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE']);
    await sim.close();
  });

  it('a new scan carries 15 findings with their ids, adds 5 new ones and leaves the 10 fixed ones out', async () => {
    const { sim, scan, after } = await scanOnce();
    const inScan = after.filter((v) => v.scans.some((s) => s.id === scan));
    expect(inScan.map((v) => v.id).sort()).toEqual([...range(1, 10), ...range(26, 30), ...range(36, 40)].map(id).sort());
    const carried = inScan.filter((v) => v.scans.length > 1);
    expect(carried.map((v) => v.id).sort()).toEqual([...range(1, 10), ...range(26, 30)].map(id).sort());
    for (const v of carried) {
      expect(v.scans.at(-1)?.id).toBe(scan);
      expect(v.newly_discovered).toBe(false);
      expect(v.last_discovered > v.first_discovered).toBe(true);
    }
    for (const n of range(36, 40)) expect(after.find((v) => v.id === id(n))).toMatchObject({ newly_discovered: true, scans: [{ id: scan }] });
    // Fixed: found earlier, not by this scan; they stay in the application's history with their old scans.
    for (const n of [...range(11, 25), ...range(31, 35)]) {
      const v = after.find((x) => x.id === id(n));
      expect(v?.scans.some((s) => s.id === scan)).toBe(false);
      expect(v?.scans.length).toBeGreaterThan(0);
    }
    expect(after).toHaveLength(40);
    // A REMEDIATED finding that comes back is UNREVIEWED again.
    expect(after.find((v) => v.id === id(1))?.status).toBe('UNREVIEWED');
    await sim.close();
  });

  it('writes UI links in the real form, from the scenario region and organisation id', async () => {
    const { sim, after } = await scanOnce();
    const link = after.find((v) => v.id === id(2))?.['insight_ui_url'];
    expect(link).toBe(`https://eu.appsec.insight.rapid7.com/op/7C3A9E51B2D04F68A1E0/#/vulnerabilities?filterText=vulnerability.id%20%3D%20'${id(2)}'&showVulnDetails=true`.replace("'", '%27').replace("'", '%27'));
    expect(loadScenario('demo').organization_id).toBeUndefined();
    await sim.close();
  });

  it('refuses a history scan that names an unknown config or finding set, or ends before it starts', () => {
    const base = loadScenario('history');
    const bad = { ...base, history: [{ id: H[0] ?? '', scan_config_id: 'c2000000-0000-4000-8000-00000000ffff', submit_time: '2025-11-01T02:00:00', completion_time: '2025-11-01T01:00:00' }] };
    expect(() => createSimulator({ scenario: bad })).toThrow(/unknown scan_config_id/);
    const reversed = { ...base, history: [{ id: H[0] ?? '', scan_config_id: NIGHTLY, finding_set: 'h1', submit_time: '2025-11-01T02:00:00', completion_time: '2025-11-01T01:00:00' }] };
    expect(() => createSimulator({ scenario: reversed })).toThrow(/in that order/);
    const unknownSet = { ...base, history: [{ id: H[0] ?? '', scan_config_id: NIGHTLY, finding_set: 'nope', submit_time: '2025-11-01T02:00:00', completion_time: '2025-11-01T03:00:00' }] };
    expect(() => createSimulator({ scenario: unknownSet })).toThrow(/unknown finding_set nope/);
  });
});
