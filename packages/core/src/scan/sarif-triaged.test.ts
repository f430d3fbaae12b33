import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/sim-harness';
import { runScanJob } from './run-scan-job';

// Code scanning does not honour SARIF suppressions: a triaged finding written to SARIF reopens as an alert on every
// upload. The demo scan's 40 findings include 14 FALSE_POSITIVE, IGNORED, DUPLICATE or REMEDIATED ones.

const TRIAGED = ['FALSE_POSITIVE', 'IGNORED', 'DUPLICATE', 'REMEDIATED'];

interface Sarif {
  runs: { results: { properties: { status: string | null; vulnerabilityId: string } }[]; properties: { leftOutByStatus: Record<string, number> } }[];
}

async function demo(raw: Record<string, string | boolean> = {}) {
  const h = createHarness();
  const outcome = await runScanJob(h.job(raw), h.effects);
  const sarif = JSON.parse(h.sink.files.get('insightappsec-scan.sarif') ?? '{}') as Sarif;
  const findings = h.sink.files.get('insightappsec-scan-findings.json') ?? '';
  return { outcome, sarif, findings, html: h.sink.files.get('insightappsec-scan-report.html') ?? '', junit: h.sink.files.get('insightappsec-scan-junit.xml') ?? '' };
}

describe('triaged findings in the reports of the demo scan', () => {
  it('leaves FALSE_POSITIVE, IGNORED, DUPLICATE and REMEDIATED findings out of SARIF by default; HTML (with their status) and JUnit keep them', async () => {
    const { outcome, sarif, html, junit } = await demo();
    const results = sarif.runs[0]!.results;
    expect(outcome.counts.total).toBe(40);
    expect(results.filter((r) => TRIAGED.includes(r.properties.status ?? ''))).toEqual([]);
    const leftOut = sarif.runs[0]!.properties.leftOutByStatus;
    expect(Object.keys(leftOut).every((s) => TRIAGED.includes(s))).toBe(true);
    expect(Object.values(leftOut).reduce((a, b) => a + b, 0)).toBe(14);
    expect(results).toHaveLength(26);
    for (const status of Object.keys(leftOut)) expect(html).toContain(`<td>${status}</td>`);
    // A test case per finding (all 40, triaged or not) and one for the gate.
    expect(junit.match(/<testcase /g)).toHaveLength(41);
  });

  it('leaves out the statuses fail-on-statuses names, plus REMEDIATED', async () => {
    const { sarif } = await demo({ failOnStatuses: 'IGNORED' });
    expect(Object.keys(sarif.runs[0]!.properties.leftOutByStatus).sort()).toEqual(expect.arrayContaining(['IGNORED']));
    expect(Object.keys(sarif.runs[0]!.properties.leftOutByStatus).every((s) => s === 'IGNORED' || s === 'REMEDIATED')).toBe(true);
    expect(sarif.runs[0]!.results.some((r) => r.properties.status === 'FALSE_POSITIVE')).toBe(true);
  });

  it('writes every finding with sarifTriaged', async () => {
    const { sarif } = await demo({ sarifTriaged: true });
    expect(sarif.runs[0]!.results).toHaveLength(40);
    expect(sarif.runs[0]!.properties.leftOutByStatus).toEqual({});
  });
});
