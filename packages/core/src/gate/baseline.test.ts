import { describe, expect, it } from 'vitest';
import type { Vulnerability } from '../api/schemas';
import { ConfigError } from '../errors';
import { parseBaseline } from './baseline';
import { findingFingerprint } from './fingerprint';

const MODULE = 'aaaaaaaa-0000-4000-8000-000000000001';

function vuln(id: string, path: string, parameter?: string): Vulnerability {
  return {
    id,
    severity: 'HIGH',
    status: 'UNREVIEWED',
    root_cause: parameter === undefined ? { url: `https://shop.example${path}`, method: 'GET' } : { url: `https://shop.example${path}`, method: 'GET', parameter },
    variances: [{ module: { id: MODULE }, attack: { id: 'XSS_01' } }],
  };
}

const earlier = [vuln('id-login', '/login', 'user'), vuln('id-search', '/search', 'q'), vuln('id-cart', '/cart')];

describe('parseBaseline', () => {
  it('classifies by fingerprint and by id, and counts new, known and fixed', () => {
    const baseline = parseBaseline(JSON.stringify(earlier), 'baseline.json');
    expect(baseline.size).toBe(3);
    // Same place, new id (the server re-filed it): known by fingerprint.
    expect(baseline.classify(vuln('id-login-2', '/login/', 'user'))).toBe('known');
    // Same id, moved (the report changed its URL): known by id.
    expect(baseline.classify(vuln('ID-SEARCH', '/search2', 'q'))).toBe('known');
    // Elsewhere: new.
    expect(baseline.classify(vuln('id-new', '/account', 'email'))).toBe('new');
    expect(baseline.summary()).toEqual({ new: 1, known: 2, fixed: 1 });
  });

  it('counts a finding classified twice once', () => {
    const baseline = parseBaseline(JSON.stringify(earlier), 'b.json');
    const v = vuln('x', '/other');
    baseline.classify(v);
    baseline.classify(v, findingFingerprint(v));
    expect(baseline.summary()).toEqual({ new: 1, known: 0, fixed: 3 });
  });

  it('accepts an empty report: everything is new', () => {
    const baseline = parseBaseline('[]', 'empty.json');
    expect(baseline.classify(vuln('a', '/login', 'user'))).toBe('new');
    expect(baseline.summary()).toEqual({ new: 1, known: 0, fixed: 0 });
  });

  it('accepts a byte order mark and unknown fields', () => {
    const baseline = parseBaseline(`\uFEFF${JSON.stringify([{ ...earlier[0], extra: { nested: true } }])}`, 'b.json');
    expect(baseline.size).toBe(1);
  });

  it.each([
    ['[\n  {"id": "a", "severity": "HIGH",}\n]', /^The baseline b\.json is not valid JSON \(expected double-quoted property name at line 2, column 34\); pass the insightappsec-scan-findings\.json that an earlier run wrote, unchanged\.$/],
    ['[{"id": "a", "severity": "HIGH"}', /not valid JSON \(the text ends too early|line 1, column 33/],
    ['', /not valid JSON \(the file is empty\)/],
    ['{"findings": []}', /^The baseline b\.json holds a JSON object, not an array of vulnerabilities; pass/],
    ['[{"id": "a", "severity": "HIGH"}, {"severity": "LOW"}]', /^Entry 2 of the baseline b\.json is not a vulnerability \(field id: /],
    ['[42]', /^Entry 1 of the baseline b\.json is not a vulnerability \(it is not a JSON object\)/],
  ])('rejects %j with a ConfigError naming the file and the problem', (text, message) => {
    let error: unknown;
    try {
      parseBaseline(text, 'b.json');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('CONFIG_INVALID');
    expect((error as ConfigError).message).toMatch(message);
    expect((error as ConfigError).issues[0]?.path).toMatch(/^b\.json/);
  });
});
