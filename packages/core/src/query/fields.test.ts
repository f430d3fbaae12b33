import { describe, expect, it } from 'vitest';
import { SERVER_CONFIRMED_FIELDS, SEVERITIES, VULNERABILITY_FIELDS, VULNERABILITY_FIELD_NAMES, findField, isServerConfirmedField, severityRank } from './fields';

describe('severityRank', () => {
  it.each([
    ['CRITICAL', 5],
    ['HIGH', 4],
    ['medium', 3],
    ['Low', 2],
    ['INFORMATIONAL', 1],
    ['SAFE', 0],
    ['SEVERE', -1],
    ['', -1],
  ])('%s ranks %i', (severity, rank) => {
    expect(severityRank(severity)).toBe(rank);
  });

  it('lists severities highest first', () => {
    expect([...SEVERITIES].sort((a, b) => severityRank(b) - severityRank(a))).toEqual([...SEVERITIES]);
    expect(SEVERITIES[0]).toBe('CRITICAL');
  });
});

describe('VULNERABILITY_FIELDS', () => {
  it('keys every field by its own name with the vulnerability. prefix', () => {
    for (const name of VULNERABILITY_FIELD_NAMES) {
      expect(VULNERABILITY_FIELDS[name].name).toBe(name);
      expect(name.startsWith('vulnerability.')).toBe(true);
    }
  });

  it('marks only the fields seen in use as server-confirmed (ias-api §6.2)', () => {
    expect([...SERVER_CONFIRMED_FIELDS].sort()).toEqual(
      [
        'vulnerability.app.id',
        'vulnerability.first_discovered',
        'vulnerability.scans.id',
        'vulnerability.severity',
        'vulnerability.status',
        'vulnerability.vulnerabilityScore',
      ].sort(),
    );
    expect(isServerConfirmedField('vulnerability.root_cause.url')).toBe(false);
    expect(isServerConfirmedField('vulnerability.nope')).toBe(false);
  });

  it('resolves the snake_case score as an alias of the camelCase name', () => {
    expect(findField('vulnerability.vulnerability_score')).toMatchObject({ aliasOf: 'vulnerability.vulnerabilityScore', type: 'number' });
    expect(findField('toString')).toBeUndefined();
  });
});
