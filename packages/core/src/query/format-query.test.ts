import { describe, expect, it } from 'vitest';
import { formatQuery } from './format-query';
import { assertValidQuery } from './parse-query';
import { isServerSafe, listServerSafetyIssues } from './server-safe';

const SCAN = '9f8e7d6c-aaaa-4bbb-8ccc-ddddeeeeffff';

describe('formatQuery', () => {
  it('builds the scoped server query', () => {
    const user = assertValidQuery("vulnerability.severity='CRITICAL' || vulnerability.severity='HIGH'");
    const scoped = `vulnerability.scans.id='${SCAN}' && (${formatQuery(user)})`;
    expect(scoped).toBe(`vulnerability.scans.id='${SCAN}' && (vulnerability.severity = 'CRITICAL' || vulnerability.severity = 'HIGH')`);
    expect(formatQuery(assertValidQuery(scoped))).toBe(`vulnerability.scans.id = '${SCAN}' && (vulnerability.severity = 'CRITICAL' || vulnerability.severity = 'HIGH')`);
  });

  it('escapes quotes by doubling them', () => {
    expect(formatQuery(assertValidQuery("vulnerability.root_cause.parameter='it''s'"))).toBe("vulnerability.root_cause.parameter = 'it''s'");
  });
});

describe('isServerSafe', () => {
  it.each([
    ["vulnerability.severity='CRITICAL' || vulnerability.severity='HIGH'", true],
    ['vulnerability.vulnerabilityScore > 4', true],
    ['vulnerability.vulnerability_score > 4', true],
    ["vulnerability.first_discovered BETWEEN '2024-01-01T00:00:00+00:00' AND '2024-02-01T00:00:00'", true],
    [`vulnerability.scans.id='${SCAN}' && (vulnerability.status='VERIFIED' || vulnerability.app.id='${SCAN}')`, true],
    ["vulnerability.app.id LIKE '0a1b%' || vulnerability.status = 'VERIFIED'", true],
    ["vulnerability.severity >= 'HIGH'", false],
    ["vulnerability.severity != 'LOW'", false],
    ['vulnerability.vulnerabilityScore < 4', false],
    ["vulnerability.root_cause.url LIKE '%login%'", false],
    ['vulnerability.newly_discovered = true', false],
    [`vulnerability.id = '${SCAN}'`, false],
  ])('%s: %s', (source, expected) => {
    expect(isServerSafe(assertValidQuery(source))).toBe(expected);
  });

  it('explains why a query stays local', () => {
    expect(listServerSafetyIssues(assertValidQuery("vulnerability.root_cause.parameter != 'it''s' && vulnerability.severity >= 'HIGH'"))).toEqual([
      'the field vulnerability.root_cause.parameter is not known to be searchable on the server',
      'the operator != on vulnerability.root_cause.parameter is not known to work on the server',
      "a value for vulnerability.root_cause.parameter contains a quote, and the server's escaping is unknown",
      'the operator >= on vulnerability.severity is not known to work on the server',
    ]);
  });
});
