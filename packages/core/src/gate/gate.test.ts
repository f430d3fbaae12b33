import { describe, expect, it } from 'vitest';
import type { Vulnerability } from '../api/schemas';
import type { Logger } from '../effects';
import { parseBaseline } from './baseline';
import { createGate, type GateConfig } from './gate';
import { evaluateStoredFindings } from './stored-findings';
import { parseSuppressions } from './suppressions';

const SCAN = '5ca90000-0000-4000-8000-000000000009';
const findings: Vulnerability[] = [
  { id: 'v-new-high', severity: 'HIGH', status: 'UNREVIEWED', root_cause: { url: 'https://shop.example/a', method: 'GET', parameter: 'q' } },
  { id: 'v-known-high', severity: 'HIGH', status: 'UNREVIEWED', root_cause: { url: 'https://shop.example/b', method: 'GET' } },
  { id: 'v-suppressed-critical', severity: 'CRITICAL', status: 'UNREVIEWED', root_cause: { url: 'https://shop.example/c', method: 'POST' } },
  { id: 'v-low', severity: 'LOW', status: 'UNREVIEWED' },
];
const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const QUERY = "vulnerability.severity='HIGH' || vulnerability.severity='CRITICAL'";

function config(): GateConfig {
  const baseline = parseBaseline(JSON.stringify([findings[1]]), 'baseline.json');
  const { suppressions } = parseSuppressions(JSON.stringify({ suppressions: [{ id: 'v-suppressed-critical', reason: 'accepted risk' }] }), 'suppressions.json', Date.UTC(2026, 0, 1));
  return { query: QUERY, baseline, suppressions, newOnly: true };
}

describe('createGate', () => {
  it('gives the live run and the offline gate the same verdict on the same findings, with a baseline and suppressions', async () => {
    const live = createGate(config(), { kind: 'live', scanId: SCAN, logger: quiet });
    await live.start();
    const gated = findings.map((vulnerability) => live.observe({ vulnerability, moduleName: 'Module' }));
    const { verdict, serverFailure } = await live.finish();
    expect(serverFailure).toBeUndefined();
    expect(gated).toEqual([true, false, false, false]);
    expect(verdict).toMatchObject({ passed: false, matched: 1, exempted: { suppressed: 1, known: 1 }, serverQuery: null });
    expect(verdict?.matches.map((m) => m.id)).toEqual(['v-new-high']);

    const offline = evaluateStoredFindings(JSON.stringify(findings), QUERY, { ...config(), scanIds: [SCAN] });
    expect({ passed: offline.passed, matched: offline.matched }).toEqual({ passed: verdict?.passed, matched: verdict?.matched });
    expect(offline.findings.map((m) => m.id)).toEqual(['v-new-high']);
    expect(offline.suppressed.map((m) => [m.id, m.reason])).toEqual([['v-suppressed-critical', 'accepted risk']]);
    expect(offline.known.map((m) => m.id)).toEqual(['v-known-high']);
    expect(offline.baseline).toEqual(live.exemptions().baseline);
  });

  it('counts exemptions even without a gate condition, and gates nothing', async () => {
    const gate = createGate({ ...config(), query: undefined }, { kind: 'live', scanId: SCAN, logger: quiet });
    await gate.start();
    for (const vulnerability of findings) expect(gate.observe({ vulnerability })).toBe(false);
    expect((await gate.finish()).verdict).toBeUndefined();
    expect(gate.exemptions()).toMatchObject({ baseline: { new: 3, known: 1 }, suppressed: { count: 1 }, unusedSuppressions: [] });
  });
});
