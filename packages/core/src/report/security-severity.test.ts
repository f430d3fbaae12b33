import { describe, expect, it } from 'vitest';
import { normalizeSeverity, sarifLevel, securitySeverity, severityRank } from './security-severity';

describe('severity vocabulary', () => {
  it.each([
    ['CRITICAL', 'error', 0],
    ['high', 'error', 1],
    [' Medium ', 'warning', 2],
    ['SEVERE', 'warning', 3],
    ['', 'warning', 3],
    ['LOW', 'note', 4],
    ['INFORMATIONAL', 'note', 5],
    ['SAFE', 'note', 6],
  ])('%j has SARIF level %s and rank %i', (severity, level, rank) => {
    expect(sarifLevel(severity)).toBe(level);
    expect(severityRank(severity)).toBe(rank);
  });

  it.each([
    ['CRITICAL', undefined, '9.5'],
    ['CRITICAL', 10, '10.0'],
    ['CRITICAL', 8.99, '9.0'],
    ['CRITICAL', 8.9, '9.5'],
    ['HIGH', 8.94, '8.9'],
    ['HIGH', 6.9, '8.0'],
    ['MEDIUM', 4, '4.0'],
    ['MEDIUM', 7, '5.5'],
    ['LOW', 3.9, '3.9'],
    ['LOW', 0.04, '2.0'],
    ['INFORMATIONAL', 5, undefined],
    ['SAFE', 0, undefined],
    ['NEW_ONE', 12, undefined],
    ['NEW_ONE', Number.NaN, undefined],
  ])('%s with score %s has security-severity %s', (severity, score, expected) => {
    expect(securitySeverity(severity, score)).toBe(expected);
  });

  it('normalises spelling and empty values', () => {
    expect(normalizeSeverity(' high ')).toBe('HIGH');
    expect(normalizeSeverity(null)).toBe('UNKNOWN');
  });
});
