import { describe, expect, it } from 'vitest';
import type { Vulnerability } from '../api/schemas';
import { ConfigError, QueryError } from '../errors';
import { parseBaseline } from './baseline';
import { positionAt } from './findings-report';
import { evaluateStoredFindings } from './stored-findings';
import { parseSuppressions } from './suppressions';

const SCAN = '5ca90000-0000-4000-8000-000000000001';
const findings: Vulnerability[] = [
  { id: 'v-high', severity: 'HIGH', status: 'UNREVIEWED', root_cause: { url: 'https://shop.example/login', method: 'POST', parameter: 'user' }, variances: [{ module: { id: 'm-1' }, attack: { id: 'a' } }] },
  { id: 'v-low', severity: 'LOW', status: 'FALSE_POSITIVE', root_cause: { url: 'https://shop.example/', method: 'GET' } },
  { id: 'v-info', severity: 'INFORMATIONAL', status: 'UNREVIEWED' },
];
const report = JSON.stringify(findings);

describe('evaluateStoredFindings', () => {
  it('lists the matches with the fields gate listings show', () => {
    const result = evaluateStoredFindings(report, "vulnerability.severity >= 'HIGH' || vulnerability.status = 'FALSE_POSITIVE'");
    expect(result).toEqual({
      passed: false,
      matched: 2,
      total: 3,
      findings: [
        { id: 'v-high', severity: 'HIGH', status: 'UNREVIEWED', url: 'https://shop.example/login', method: 'POST', parameter: 'user', moduleId: 'm-1' },
        { id: 'v-low', severity: 'LOW', status: 'FALSE_POSITIVE', url: 'https://shop.example/', method: 'GET', parameter: undefined, moduleId: undefined },
      ],
      suppressed: [],
      known: [],
      baseline: undefined,
    });
  });

  it('passes when nothing matches', () => {
    expect(evaluateStoredFindings(report, "vulnerability.severity='CRITICAL'")).toMatchObject({ passed: true, matched: 0, total: 3, findings: [] });
  });

  it('matches vulnerability.scans.id only against the scan ids given (a stored report does not say)', () => {
    const query = `vulnerability.scans.id='${SCAN}' && vulnerability.severity='HIGH'`;
    expect(evaluateStoredFindings(report, query).matched).toBe(0);
    expect(evaluateStoredFindings(report, query, { scanIds: [SCAN] }).matched).toBe(1);
    expect(evaluateStoredFindings(report, `vulnerability.scans.id!='${SCAN}'`, { scanIds: [SCAN] }).matched).toBe(0);
  });

  it('throws QueryError for a bad query, before reading the file', () => {
    expect(() => evaluateStoredFindings('not json', "vulnerability.severity = 'SEVERE'")).toThrow(QueryError);
  });

  it('throws ConfigError naming the report for a bad file', () => {
    const attempt = (): unknown => evaluateStoredFindings('{"a":1}', "vulnerability.severity='HIGH'", { source: 'out/findings.json' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      'The findings report out/findings.json holds a JSON object, not an array of vulnerabilities; pass the insightappsec-scan-findings.json that an earlier run wrote, unchanged.',
    );
  });
});

describe('evaluateStoredFindings with a baseline and suppressions', () => {
  const query = "vulnerability.severity >= 'LOW'";
  const baseline = (): ReturnType<typeof parseBaseline> => parseBaseline(JSON.stringify([{ ...findings[0], id: 'old-id' }, { id: 'v-gone', severity: 'LOW', root_cause: { url: 'https://shop.example/gone', method: 'GET' } }]), 'baseline.json');

  it('counts new, known and fixed, and without newOnly still fails on known findings', () => {
    const result = evaluateStoredFindings(report, query, { baseline: baseline() });
    expect(result).toMatchObject({ passed: false, matched: 2, known: [], baseline: { new: 2, known: 1, fixed: 1 } });
  });

  it('with newOnly, known matches do not fail the gate', () => {
    const result = evaluateStoredFindings(report, query, { baseline: baseline(), newOnly: true });
    expect(result.findings.map((f) => f.id)).toEqual(['v-low']);
    expect(result.known.map((f) => f.id)).toEqual(['v-high']);
    expect(result.passed).toBe(false);
  });

  it('suppressed matches are listed with their reason and do not fail the gate', () => {
    const { suppressions } = parseSuppressions('- id: v-low\n  reason: accepted\n- id: v-info\n  reason: not matched by the query\n- id: nobody\n  reason: stale\n', 's.yml', 0);
    const result = evaluateStoredFindings(report, query, { baseline: baseline(), newOnly: true, suppressions });
    expect(result).toMatchObject({ passed: true, matched: 0, findings: [] });
    expect(result.suppressed).toEqual([expect.objectContaining({ id: 'v-low', reason: 'accepted', entry: 1 })]);
    expect(suppressions.unused().map((e) => e.entry)).toEqual([3]);
  });
});

describe('positionAt', () => {
  it.each([
    ['abc', 0, { line: 1, column: 1 }],
    ['abc', 3, { line: 1, column: 4 }],
    ['a\nbc', 3, { line: 2, column: 2 }],
    ['a\n', 2, { line: 2, column: 1 }],
  ])('%j at %i', (text, offset, expected) => {
    expect(positionAt(text, offset)).toEqual(expected);
  });
});
