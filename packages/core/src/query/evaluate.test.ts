import { describe, expect, it } from 'vitest';
import { evaluateQuery } from './evaluate';
import { assertValidQuery } from './parse-query';

const APP = '0a1b2c3d-1111-4222-8333-444455556666';
const SCAN = '9f8e7d6c-aaaa-4bbb-8ccc-ddddeeeeffff';
const OTHER_SCAN = '11111111-2222-4333-8444-555566667777';
const MODULE = 'c1a5e2d0-7b1f-4e6a-9c3d-2b4f6a8e0d1c';

/** A SQL injection with two variances, as the API returns it (ias-api §3.6). */
const SQLI = {
  id: 'e2b1f3c4-5d6e-4f70-8a9b-0c1d2e3f4a5b',
  app: { id: APP },
  root_cause: { url: 'http://x/page.php', parameter: 'passwd', method: 'POST' },
  severity: 'HIGH',
  status: 'UNREVIEWED',
  first_discovered: '2023-03-24T11:25:30.582722',
  last_discovered: '2024-01-31T23:59:59.999999',
  newly_discovered: true,
  vector_string: 'AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N',
  vulnerability_score: 9.8,
  insight_ui_url: 'https://eu.appsec.insight.rapid7.com/#/vulns',
  variances: [
    {
      id: 'v1',
      original_value: '4',
      original_exchange: { id: 'x1', request: 'GET /page.php', response: 'HTTP/1.1 200 OK' },
      module: { id: MODULE },
      attack: { id: 'SqlInjectionAttack_3' },
      attack_value: "4'",
      attack_exchanges: [{ id: 'x2', request: '...', response: '...' }],
      message: 'SQL error in response',
      proof: '...',
      proof_description: '...',
    },
    { id: 'v2', module: { id: MODULE }, attack: { id: 'SqlInjectionAttack_7' }, message: 'time-based' },
  ],
  links: [{ rel: 'self', href: 'https://us.api.insight.rapid7.com:443/ias/v1/search/e2b1f3c4' }],
};

/** A header finding: no parameter, no score, no variances, a date with no fraction. */
const XFRAME = {
  id: 'a0000000-0000-4000-8000-000000000001',
  app: { id: APP },
  root_cause: { url: 'http://x/', method: 'GET' },
  severity: 'LOW',
  status: 'VERIFIED',
  first_discovered: '2024-01-01T00:00:00',
  last_discovered: '2024-02-01T00:00:00',
  newly_discovered: false,
  variances: [],
};

/** A vulnerability with a severity the API added later and odd types. */
const FUTURE = {
  id: 'a0000000-0000-4000-8000-000000000002',
  severity: 'SEVERE',
  status: 'TRIAGED',
  first_discovered: 'not a date',
  vulnerability_score: '5.5',
  newly_discovered: 'yes',
  variances: [{ module: null, attack: { id: 42 } }],
};

const CASES: readonly [string, readonly boolean[]][] = [
  // columns: SQLI, XFRAME, FUTURE
  ["vulnerability.severity='CRITICAL' || vulnerability.severity='HIGH'", [true, false, false]],
  ["vulnerability.severity='high'", [true, false, false]],
  ["vulnerability.severity != 'HIGH'", [false, true, true]],
  ["vulnerability.severity > 'MEDIUM'", [true, false, false]],
  ["vulnerability.severity >= 'LOW'", [true, true, false]],
  ["vulnerability.severity < 'MEDIUM'", [false, true, true]],
  ["vulnerability.severity <= 'HIGH'", [true, true, true]],
  ["vulnerability.severity < 'SAFE'", [false, false, true]],
  ["vulnerability.severity BETWEEN 'LOW' AND 'HIGH'", [true, true, false]],
  ["vulnerability.status = 'UNREVIEWED'", [true, false, false]],
  ["vulnerability.status != 'FALSE_POSITIVE'", [true, true, true]],
  [`vulnerability.app.id = '${APP.toUpperCase()}'`, [true, true, false]],
  [`vulnerability.app.id != '${APP}'`, [false, false, false]],
  ["vulnerability.id LIKE 'E2B1%'", [true, false, false]],
  ["vulnerability.root_cause.url = 'http://x/page.php'", [true, false, false]],
  ["vulnerability.root_cause.url LIKE 'http://x/%'", [true, true, false]],
  ["vulnerability.root_cause.url LIKE 'http://_/'", [false, true, false]],
  ["vulnerability.root_cause.url LIKE 'HTTP://%'", [false, false, false]],
  ["vulnerability.root_cause.method = 'post'", [false, false, false]],
  ["vulnerability.root_cause.parameter = 'passwd'", [true, false, false]],
  ["vulnerability.root_cause.parameter != 'id'", [true, false, false]],
  ["vulnerability.root_cause.parameter LIKE '%'", [true, false, false]],
  ["vulnerability.root_cause.parameter > 'a'", [true, false, false]],
  [`vulnerability.variances.module.id = '${MODULE}'`, [true, false, false]],
  [`vulnerability.variances.module.id != '${MODULE}'`, [false, false, false]],
  ["vulnerability.variances.attack.id = 'SqlInjectionAttack_7'", [true, false, false]],
  ["vulnerability.variances.attack.id != 'SqlInjectionAttack_7'", [false, false, false]],
  ["vulnerability.variances.attack.id != 'XFrameAttack_1'", [true, false, false]],
  ["vulnerability.variances.attack.id LIKE 'SqlInjection%'", [true, false, false]],
  ['vulnerability.vulnerabilityScore > 4', [true, false, true]],
  ['vulnerability.vulnerability_score >= 9.8', [true, false, false]],
  ['vulnerability.vulnerabilityScore = 5.5', [false, false, true]],
  ['vulnerability.vulnerabilityScore != 9.8', [false, false, true]],
  ['vulnerability.vulnerabilityScore < 9.8', [false, false, true]],
  ['vulnerability.vulnerabilityScore BETWEEN 5.5 AND 9.8', [true, false, true]],
  ["vulnerability.first_discovered BETWEEN '2024-01-01T00:00:00+00:00' AND '2024-02-01T00:00:00'", [false, true, false]],
  ["vulnerability.first_discovered = '2023-03-24T11:25:30.582'", [true, false, false]],
  ["vulnerability.first_discovered = '2023-03-24T12:25:30.582+01:00'", [true, false, false]],
  ["vulnerability.first_discovered > '2023-03-24T23:59:59.999'", [false, true, false]],
  ["vulnerability.first_discovered >= '2023-03-24T00:00:00'", [true, true, false]],
  ["vulnerability.first_discovered < '2024-01-01T00:00:00'", [true, false, false]],
  ["vulnerability.first_discovered <= '2024-01-01T23:59:59.999'", [true, true, false]],
  ["vulnerability.first_discovered != '2023-03-24T11:25:30.582'", [false, true, false]],
  ["vulnerability.last_discovered BETWEEN '2024-01-01T00:00:00' AND '2024-01-31T23:59:59.999'", [true, false, false]],
  ["vulnerability.last_discovered < '2024-02-01T00:00:00Z'", [true, false, false]],
  ['vulnerability.newly_discovered = true', [true, false, false]],
  ['vulnerability.newly_discovered != true', [false, true, false]],
  ["vulnerability.insight_ui_url LIKE '%#%'", [true, false, false]],
  [
    "vulnerability.severity='LOW' || vulnerability.severity='HIGH' && vulnerability.newly_discovered=true",
    [true, true, false],
  ],
  [
    "(vulnerability.severity='LOW' || vulnerability.severity='HIGH') && vulnerability.newly_discovered=false",
    [false, true, false],
  ],
];

describe('evaluateQuery', () => {
  it.each(CASES)('%s', (source, expected) => {
    const query = assertValidQuery(source);
    expect([SQLI, XFRAME, FUTURE].map((vulnerability) => evaluateQuery(query, vulnerability))).toEqual(expected);
  });

  it.each([
    [`vulnerability.scans.id = '${SCAN}'`, [SCAN], true],
    [`vulnerability.scans.id = '${SCAN.toUpperCase()}'`, [OTHER_SCAN, SCAN], true],
    [`vulnerability.scans.id = '${SCAN}'`, [OTHER_SCAN], false],
    [`vulnerability.scans.id = '${SCAN}'`, undefined, false],
    [`vulnerability.scans.id != '${SCAN}'`, [OTHER_SCAN], true],
    [`vulnerability.scans.id != '${SCAN}'`, [OTHER_SCAN, SCAN], false],
    [`vulnerability.scans.id != '${SCAN}'`, [], false],
    [`vulnerability.scans.id='${SCAN}' && (vulnerability.severity='CRITICAL' || vulnerability.severity='HIGH')`, [SCAN], true],
  ])('%s with scans %j is %s', (source, scanIds, expected) => {
    const query = assertValidQuery(source);
    expect(evaluateQuery(query, SQLI, scanIds === undefined ? undefined : { scanIds })).toBe(expected);
  });

  it.each([null, undefined, 42, 'HIGH', [], [SQLI], { severity: null }, { variances: 'none' }, { root_cause: null }])(
    'never matches and never throws on %j',
    (vulnerability) => {
      for (const source of [
        "vulnerability.severity != 'HIGH'",
        "vulnerability.root_cause.url LIKE '%'",
        "vulnerability.variances.attack.id != 'x'",
        'vulnerability.vulnerabilityScore > -1',
        "vulnerability.first_discovered > '1970-01-01T00:00:00'",
      ]) {
        expect(evaluateQuery(assertValidQuery(source), vulnerability)).toBe(false);
      }
    },
  );

  it('does not read inherited properties', () => {
    expect(evaluateQuery(assertValidQuery("vulnerability.root_cause.url LIKE '%'"), { root_cause: Object.create({ url: 'http://x/' }) })).toBe(false);
  });

  it('treats LIKE metacharacters of regular expressions literally', () => {
    const query = assertValidQuery("vulnerability.root_cause.url LIKE 'http://x/a.b?(c)[d]*+$^|\\%'");
    expect(evaluateQuery(query, { root_cause: { url: 'http://x/a.b?(c)[d]*+$^|\\anything' } })).toBe(true);
    expect(evaluateQuery(query, { root_cause: { url: 'http://x/aXb?(c)[d]*+$^|\\anything' } })).toBe(false);
  });

  it('lets % span lines and _ match one character', () => {
    expect(evaluateQuery(assertValidQuery("vulnerability.root_cause.parameter LIKE 'a%z'"), { root_cause: { parameter: 'a\nb\nz' } })).toBe(true);
    expect(evaluateQuery(assertValidQuery("vulnerability.root_cause.parameter LIKE 'a_c'"), { root_cause: { parameter: 'abbc' } })).toBe(false);
    expect(evaluateQuery(assertValidQuery("vulnerability.root_cause.parameter LIKE 'a_c'"), { root_cause: { parameter: 'a€c' } })).toBe(true);
  });
});
