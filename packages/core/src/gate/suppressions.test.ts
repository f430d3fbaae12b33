import { describe, expect, it } from 'vitest';
import type { Vulnerability } from '../api/schemas';
import { ConfigError } from '../errors';
import { findingFingerprint } from './fingerprint';
import { parseSuppressions } from './suppressions';

const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);
const XSS = 'aaaaaaaa-0000-4000-8000-000000000001';

function vuln(id: string, url: string, moduleId = XSS): Vulnerability {
  return { id, severity: 'HIGH', status: 'UNREVIEWED', root_cause: { url, method: 'GET', parameter: 'q' }, variances: [{ module: { id: moduleId }, attack: { id: 'XSS_01' } }] };
}

const login = vuln('11111111-1111-4111-8111-111111111111', 'https://shop.example/login');
const search = vuln('22222222-2222-4222-8222-222222222222', 'https://shop.example/search?q=1');
const admin = vuln('33333333-3333-4333-8333-333333333333', 'https://shop.example/admin/users', 'bbbbbbbb-0000-4000-8000-000000000002');

function failure(text: string): ConfigError {
  try {
    parseSuppressions(text, 'suppressions.yml', NOW);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseSuppressions', () => {
  it('reads YAML entries by id, fingerprint and module plus url glob or regex', () => {
    const text = [
      'suppressions:',
      '  - id: 11111111-1111-4111-8111-111111111111',
      '    reason: accepted risk, ticket SEC-1',
      '    expires: 2026-12-31',
      `  - fingerprint: ${findingFingerprint(search)}`,
      '    reason: search is sandboxed',
      '  - module: Cross-Site Scripting',
      "    url: 'https://shop.example/admin/*'",
      '    reason: admin is internal',
      '  - module: BBBBBBBB-0000-4000-8000-000000000002',
      '    url: /\\/ADMIN\\//i',
      '    reason: by id and regex',
      '',
    ].join('\n');
    const { suppressions, warnings } = parseSuppressions(text, 'suppressions.yml', NOW);
    expect(warnings).toEqual([]);
    expect(suppressions.entries.map((e) => [e.entry, e.line, e.matcher.kind])).toEqual([
      [1, 2, 'id'],
      [2, 5, 'fingerprint'],
      [3, 7, 'module'],
      [4, 10, 'module'],
    ]);
    expect(suppressions.match(login)).toEqual({ reason: 'accepted risk, ticket SEC-1', entry: 1, line: 2 });
    expect(suppressions.match(search, { fingerprint: findingFingerprint(search) })).toMatchObject({ entry: 2 });
    // By module name: only when the caller knows the name.
    expect(suppressions.match(admin, { moduleName: 'cross-site scripting' })).toMatchObject({ entry: 3 });
    expect(suppressions.match(admin)).toMatchObject({ entry: 4 });
    expect(suppressions.match(vuln('44444444-4444-4444-8444-444444444444', 'https://shop.example/cart'))).toBeUndefined();
    expect(suppressions.unused()).toEqual([]);
  });

  it('reads JSON, a bare list, and reports entries that matched nothing', () => {
    const text = JSON.stringify([
      { id: login.id.toUpperCase(), reason: 'r1' },
      { module: XSS, url: '*', reason: 'all XSS' },
      { id: '99999999-9999-4999-8999-999999999999', reason: 'gone' },
    ]);
    const { suppressions } = parseSuppressions(text, 's.json', NOW);
    expect(suppressions.match(login)?.entry).toBe(1);
    expect(suppressions.match(search)?.entry).toBe(2);
    expect(suppressions.unused().map((e) => e.entry)).toEqual([3]);
  });

  it('a glob must match the whole URL', () => {
    const { suppressions } = parseSuppressions(`- module: ${XSS}\n  url: 'https://shop.example/log*'\n  reason: r\n`, 's.yml', NOW);
    expect(suppressions.match(login)).toBeDefined();
    expect(suppressions.match(search)).toBeUndefined();
  });

  it('an expired entry warns and stops suppressing; expiry is the end of the UTC day', () => {
    const text = `- id: ${login.id}\n  reason: r\n  expires: 2026-06-14\n- id: ${search.id}\n  reason: r\n  expires: '2026-06-15'\n`;
    const { suppressions, warnings } = parseSuppressions(text, 's.yml', NOW);
    expect(warnings).toEqual(['Suppression entry 1 (line 1) in s.yml expired on 2026-06-14 and no longer suppresses; renew its expires date or remove it.']);
    expect(suppressions.match(login)).toBeUndefined();
    expect(suppressions.match(search)).toBeDefined();
    expect(parseSuppressions(text, 's.yml', Date.UTC(2026, 5, 16)).warnings).toHaveLength(2);
    expect(suppressions.unused()).toEqual([]);
  });

  it('an empty file warns and suppresses nothing', () => {
    const { suppressions, warnings } = parseSuppressions('# nothing yet\n', 's.yml', NOW);
    expect(warnings).toEqual(['The suppressions file s.yml holds no suppressions; add entries or stop passing the file.']);
    expect(suppressions.match(login)).toBeUndefined();
  });

  it.each([
    ['- id: a\n  reason: x\n - id: b\n', 3, 'All sequence items must start at the same column'],
    ["- id: 'abc\n  reason: x\n", 3, 'Missing closing'],
    ['- id: a\n  id: b\n  reason: r\n', 2, 'Map keys must be unique'],
    ['- id: a\n', 1, 'entry 1 has no reason'],
    ['- reason: r\n', 1, 'entry 1 matches nothing'],
    ['- id: a\n  fingerprint: 0123456789abcdef\n  reason: r\n', 1, 'more than one matcher (id, fingerprint)'],
    ['- id: a\n  reson: typo\n  reason: r\n', 2, 'unknown key reson'],
    ['- id: a\n  reason: r\n  expires: 2026-02-30\n', 3, 'expires date 2026-02-30 of entry 1 is not a date'],
    ['- id: a\n  reason: r\n  expires: 31/12/2026\n', 3, 'is not a date'],
    ['- id: a\n  reason: ""\n', 2, 'the reason of entry 1 is empty or not text'],
    ['- id: a\n  reason: [x]\n', 2, 'not text'],
    ['- fingerprint: xyz\n  reason: r\n', 1, 'not 16 hex digits'],
    ["- module: XSS\n  reason: r\n", 1, 'names a module but no url'],
    ["- id: a\n  url: '*'\n  reason: r\n", 2, 'has a url but no module'],
    ["- module: XSS\n  url: '/([/'\n  reason: r\n", 2, 'not a valid regular expression'],
    ['just text\n', 1, 'not a list of suppressions'],
    ['- just text\n', 1, 'entry 1 is not a mapping'],
    ['other: []\n', 1, 'unknown top-level key other'],
  ])('rejects %j naming line %i', (text, line, problem) => {
    const error = failure(text);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(new RegExp(`^The suppressions file suppressions\\.yml is invalid at line ${line}: `));
    expect(error.message).toContain(problem);
    expect(error.message).toMatch(/; [^;]+\.$/);
    expect(error.issues[0]?.path).toBe(`suppressions.yml:${line}`);
  });
});
