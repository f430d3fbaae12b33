import { describe, expect, it } from 'vitest';
import { fixtureRecords } from './__golden__/fixtures';
import {
  baseName,
  createSeveritySelection,
  MAX_SUMMARY_FIELD,
  orderedSeverityCounts,
  parseApiTime,
  ruleKey,
  summarizeFinding,
  topModules,
  truncate,
} from './finding-record';
import { severityRank } from './security-severity';

describe('finding summaries', () => {
  it('keeps only the compact fields, with unknown severities and missing parameters intact', () => {
    const summaries = fixtureRecords().map(summarizeFinding);
    expect(summaries[2]).toEqual({
      id: 'c0ffee00-0000-4000-8000-000000000003',
      severity: 'CRITICAL',
      rank: 0,
      url: 'https://shop.example.com/api/login',
      method: 'POST',
      parameter: 'username',
      moduleId: 'a1b2c3d4-0001-4000-8000-000000000001',
      moduleName: 'SQL Injection',
      attackId: 'SqlInjectionBoolean_3',
      gateMatched: true,
      status: 'UNREVIEWED',
      score: 9.8,
      newlyDiscovered: false,
      message: 'Boolean-based blind SQL injection',
    });
    expect(summaries[1]!.parameter).toBeUndefined();
    expect(summaries[4]).toMatchObject({ moduleId: undefined, attackId: undefined, message: undefined, moduleName: 'Unknown' });
    expect(summaries[6]).toMatchObject({ severity: 'SEVERE', rank: 3 });
  });

  it('cuts long free text', () => {
    const record = fixtureRecords()[0]!;
    record.vulnerability.root_cause = { url: `https://x.example/${'a'.repeat(100_000)}`, method: 'GET' };
    const summary = summarizeFinding(record);
    expect(summary.url).toHaveLength(MAX_SUMMARY_FIELD);
    expect(summary.url.endsWith('…')).toBe(true);
    expect(truncate('😀😀😀', 4)).toBe('😀…');
  });
});

describe('severity selection', () => {
  it('keeps the most severe items, earliest first among equals, within its limit', () => {
    const selection = createSeveritySelection<string>(3);
    const items: [string, string][] = [
      ['low-1', 'LOW'],
      ['high-1', 'HIGH'],
      ['info-1', 'INFORMATIONAL'],
      ['high-2', 'HIGH'],
      ['crit-1', 'CRITICAL'],
      ['high-3', 'HIGH'],
      ['safe-1', 'SAFE'],
    ];
    for (const [name, severity] of items) selection.add(name, severityRank(severity));
    expect(selection.items()).toEqual(['crit-1', 'high-1', 'high-2']);
    expect(selection.seen).toBe(7);
    expect(selection.dropped).toBe(4);
  });
});

describe('helpers', () => {
  it.each([
    ['2023-03-24T11:25:30.582722', '2023-03-24T11:25:30.582Z'],
    ['2023-03-24T11:25:30Z', '2023-03-24T11:25:30.000Z'],
    ['2023-03-24T11:25:30+01:00', '2023-03-24T10:25:30.000Z'],
  ])('reads the API time %s as %s (no zone means UTC)', (input, iso) => {
    expect(parseApiTime(input)?.toISOString()).toBe(iso);
  });

  it('ignores missing or unreadable times', () => {
    expect(parseApiTime(undefined)).toBeUndefined();
    expect(parseApiTime('yesterday')).toBeUndefined();
  });

  it('orders severity counts highest first, zero rows included, unknown last', () => {
    expect(orderedSeverityCounts({ low: 2, ZEBRA: 1, HIGH: 3 })).toEqual([
      { severity: 'CRITICAL', count: 0 },
      { severity: 'HIGH', count: 3 },
      { severity: 'MEDIUM', count: 0 },
      { severity: 'LOW', count: 2 },
      { severity: 'INFORMATIONAL', count: 0 },
      { severity: 'SAFE', count: 0 },
      { severity: 'ZEBRA', count: 1 },
    ]);
  });

  it('ranks modules by count and sums the rest', () => {
    expect(topModules({ a: 1, b: 5, c: 5, d: 2 }, 2)).toEqual({
      top: [
        { name: 'b', count: 5 },
        { name: 'c', count: 5 },
      ],
      otherModules: 2,
      otherFindings: 3,
    });
  });

  it('builds rule keys and base names', () => {
    expect(ruleKey('m', undefined)).toBe('m/');
    expect(ruleKey('m', 'a')).toBe('m/a');
    expect(baseName('C:\\out\\x.html')).toBe('x.html');
    expect(baseName('/out/y.sarif')).toBe('y.sarif');
  });
});

describe('severity selection accepts', () => {
  it('says whether an item of a rank would be kept, without adding it', () => {
    const selection = createSeveritySelection<string>(2);
    expect(selection.accepts(3)).toBe(true);
    selection.add('medium', 2);
    selection.add('low', 3);
    expect(selection.accepts(3)).toBe(false);
    expect(selection.accepts(2)).toBe(true);
    selection.add('high', 1);
    expect(selection.items()).toEqual(['high', 'medium']);
    expect(selection.accepts(2)).toBe(false);
    expect(selection.accepts(0)).toBe(true);
    expect(selection.seen).toBe(3);
  });
});
