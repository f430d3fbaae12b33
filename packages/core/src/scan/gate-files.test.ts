import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/sim-harness';
import { runScanJob } from './run-scan-job';

async function firstRun() {
  const h = createHarness();
  const outcome = await runScanJob(h.job(), h.effects);
  return { findings: h.sink.files.get('insightappsec-scan-findings.json') ?? '[]', outcome };
}

describe('baseline and suppressions in a live run', () => {
  it('marks every finding known against a baseline of the same scan, and --new-only then passes the gate', async () => {
    const { findings } = await firstRun();
    const files = new Map([['baseline.json', findings]]);
    const h = createHarness();
    const readText = async (path: string) => files.get(path) ?? Promise.reject(Object.assign(new Error('missing'), { code: 'ENOENT' }));
    const gated = await runScanJob(h.job({ failOn: 'HIGH', baseline: 'baseline.json' }), { ...h.effects, readText });
    expect(gated.exitCode).toBe(1);
    expect(gated.baseline).toEqual({ new: 0, known: 40, fixed: 0 });
    expect(h.sink.files.get('insightappsec-scan-summary.md')).toContain('| New / known / fixed | 0 / 40 / 0 |');
    const newOnly = await runScanJob(h.job({ failOn: 'HIGH', baseline: 'baseline.json', newOnly: 'true' }), { ...h.effects, readText });
    expect(newOnly.exitCode).toBe(0);
    expect(newOnly.gate).toMatchObject({ passed: true, matched: 0, exempted: { known: gated.gate?.matched ?? -1, suppressed: 0 } });
  });

  it('counts findings missing from the baseline as new and gates on them', async () => {
    const { findings } = await firstRun();
    const all = JSON.parse(findings) as { id: string; severity: string }[];
    const withoutHigh = all.filter((f) => f.severity !== 'HIGH');
    const h = createHarness();
    const outcome = await runScanJob(h.job({ failOn: 'HIGH', baseline: 'b.json', newOnly: 'yes', failOnStatuses: 'none' }), { ...h.effects, readText: async () => JSON.stringify(withoutHigh) });
    const highs = all.filter((f) => f.severity === 'HIGH').length;
    expect(outcome.baseline).toEqual({ new: highs, known: 40 - highs, fixed: 0 });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.gate?.matches.every((m) => m.severity === 'HIGH')).toBe(true);
  });

  it('never gates on suppressed findings, reports them, and warns about unused entries', async () => {
    const { findings } = await firstRun();
    const critical = (JSON.parse(findings) as { id: string; severity: string; status: string }[]).filter((f) => f.severity === 'CRITICAL' && !['FALSE_POSITIVE', 'IGNORED', 'DUPLICATE'].includes(f.status));
    expect(critical.length).toBeGreaterThan(0);
    const yaml = ['suppressions:', ...critical.map((f) => `  - id: ${f.id}\n    reason: accepted risk, ticket SEC-1`), '  - id: 00000000-0000-4000-8000-00000000dead', '    reason: old'].join('\n');
    const h = createHarness();
    const outcome = await runScanJob(h.job({ failOn: 'CRITICAL', suppressions: 's.yml' }), { ...h.effects, readText: async () => yaml });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.suppressed?.count).toBe(critical.length);
    expect(outcome.suppressed?.findings[0]?.reason).toBe('accepted risk, ticket SEC-1');
    expect(outcome.warnings.some((w) => /matched no finding/.test(w))).toBe(true);
  });

  it.each([
    [{ baseline: 'missing.json' }, "baseline 'missing.json' could not be read (ENOENT); check the path."],
    [{ baseline: 'bad.json' }, /^baseline: .*bad\.json/],
    [{ suppressions: 'bad.yml' }, /^suppressions: The suppressions file bad\.yml is invalid at line \d+/],
    [{ newOnly: 'true' }, 'newOnly needs a baseline; give baseline the findings report of an earlier run.'],
  ])('exits 2 before launching for %j', async (raw, message) => {
    const files = new Map([
      ['bad.json', '{"not": "a findings report"}'],
      ['bad.yml', 'suppressions:\n  - id: x\n'],
    ]);
    const h = createHarness();
    let outcome;
    try {
      outcome = await runScanJob(h.job(raw), { ...h.effects, readText: async (p) => files.get(p) ?? Promise.reject(Object.assign(new Error('nope'), { code: 'ENOENT' })) });
    } catch (error) {
      // newOnly without a baseline is refused by the configuration itself
      expect((error as Error).message).toBe(message);
      return;
    }
    expect(outcome.exitCode).toBe(2);
    if (typeof message === 'string') expect(outcome.message).toBe(message);
    else expect(outcome.message).toMatch(message);
    expect(h.sim.counters.get('POST /scans')).toBe(0);
  });
});
