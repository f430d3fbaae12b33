import type { Vulnerability } from '../../api/schemas';
import type { FindingRecord, ReportContext, RuleInfo, StreamingReport } from '../finding-record';
import { ruleKey } from '../finding-record';

/*
 * The fixed input of the report golden files: eight realistic findings covering every severity (CRITICAL
 * included, plus one the API never documented), a missing parameter, empty variances, hostile characters in
 * user data, and a gate that failed on three of them.
 */

export const APP_ID = '3f0c1d2e-8b7a-4c5d-9e6f-112233445566';

const MODULES = {
  sqli: { id: 'a1b2c3d4-0001-4000-8000-000000000001', name: 'SQL Injection' },
  xss: { id: 'a1b2c3d4-0002-4000-8000-000000000002', name: 'Cross-site Scripting' },
  xfo: { id: 'a1b2c3d4-0003-4000-8000-000000000003', name: 'Clickjacking' },
  cookie: { id: 'a1b2c3d4-0004-4000-8000-000000000004', name: 'Insecure Cookie' },
  autocomplete: { id: 'a1b2c3d4-0005-4000-8000-000000000005', name: 'Autocomplete Enabled' },
  unnamed: { id: 'a1b2c3d4-0006-4000-8000-000000000006' },
} as const;

function vulnerability(
  id: string,
  severity: string,
  rootCause: { url: string; method: string; parameter?: string },
  variance: { moduleId: string; attackId: string; message?: string; exchange?: { request: string; response: string } } | undefined,
  extra: Partial<Vulnerability> = {},
): Vulnerability {
  return {
    id,
    app: { id: APP_ID },
    root_cause: rootCause,
    severity,
    status: 'UNREVIEWED',
    first_discovered: '2026-11-20T09:14:03.412345',
    last_discovered: '2026-11-23T07:41:12.004321',
    newly_discovered: false,
    insight_ui_url: 'https://us.appsec.insight.rapid7.com/#/',
    variances:
      variance === undefined
        ? []
        : [
            {
              id: `${id}-v1`,
              module: { id: variance.moduleId },
              attack: { id: variance.attackId },
              message: variance.message ?? null,
              original_value: 'x',
              attack_value: "x'",
              ...(variance.exchange === undefined ? {} : { original_exchange: variance.exchange, attack_exchanges: [variance.exchange] }),
            },
          ],
    ...extra,
  };
}

/** The eight records, in the order the stream delivers them. */
export function fixtureRecords(): FindingRecord[] {
  return [
    {
      vulnerability: vulnerability(
        'c0ffee00-0000-4000-8000-000000000001',
        'HIGH',
        { url: 'https://shop.example.com/search?q=<script>alert("x")</script>&a=1|2', method: 'GET', parameter: 'q' },
        { moduleId: MODULES.xss.id, attackId: 'ReflectedXSS_4', message: 'Script tag reflected unencoded' },
        { vulnerability_score: 9.1, newly_discovered: true },
      ),
      moduleId: MODULES.xss.id,
      moduleName: MODULES.xss.name,
      attackId: 'ReflectedXSS_4',
      gateMatched: true,
    },
    {
      vulnerability: vulnerability(
        'c0ffee00-0000-4000-8000-000000000002',
        'MEDIUM',
        { url: 'https://shop.example.com/', method: 'GET' },
        { moduleId: MODULES.xfo.id, attackId: 'XFrameAttack_1', message: 'X-Frame-Options header not found' },
        { status: 'VERIFIED', vulnerability_score: 4.3 },
      ),
      moduleId: MODULES.xfo.id,
      moduleName: MODULES.xfo.name,
      attackId: 'XFrameAttack_1',
      gateMatched: false,
    },
    {
      vulnerability: vulnerability(
        'c0ffee00-0000-4000-8000-000000000003',
        'CRITICAL',
        { url: 'https://shop.example.com/api/login', method: 'post', parameter: 'username' },
        {
          moduleId: MODULES.sqli.id,
          attackId: 'SqlInjectionBoolean_3',
          message: 'Boolean-based blind SQL injection',
          exchange: {
            request: 'POST /api/login HTTP/1.1\r\nHost: shop.example.com\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nusername=x%27+OR+1%3D1--&password=<b>',
            response: 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><script>welcome("admin")</script></html>',
          },
        },
        { vulnerability_score: 9.8, vector_string: 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
      ),
      moduleId: MODULES.sqli.id,
      moduleName: MODULES.sqli.name,
      attackId: 'SqlInjectionBoolean_3',
      gateMatched: true,
    },
    {
      vulnerability: vulnerability(
        'c0ffee00-0000-4000-8000-000000000004',
        'LOW',
        { url: 'https://shop.example.com/account', method: 'GET', parameter: 'session' },
        { moduleId: MODULES.cookie.id, attackId: 'CookieSecureFlag_1' },
      ),
      moduleId: MODULES.cookie.id,
      moduleName: MODULES.cookie.name,
      attackId: 'CookieSecureFlag_1',
      gateMatched: false,
    },
    {
      // Empty variances: no module, no attack.
      vulnerability: vulnerability(
        'c0ffee00-0000-4000-8000-000000000005',
        'INFORMATIONAL',
        { url: 'https://shop.example.com/robots.txt', method: 'GET' },
        undefined,
      ),
      moduleId: undefined,
      moduleName: 'Unknown',
      attackId: undefined,
      gateMatched: false,
    },
    {
      vulnerability: vulnerability(
        'c0ffee00-0000-4000-8000-000000000006',
        'SAFE',
        { url: 'https://shop.example.com/register', method: 'GET', parameter: 'password' },
        { moduleId: MODULES.autocomplete.id, attackId: 'Autocomplete_1' },
      ),
      moduleId: MODULES.autocomplete.id,
      moduleName: MODULES.autocomplete.name,
      attackId: 'Autocomplete_1',
      gateMatched: false,
    },
    {
      // A severity the API never documented, a module name that fell back to its id, and a parameter with
      // characters XML 1.0 forbids and markdown/HTML treat as syntax.
      vulnerability: vulnerability(
        'c0ffee00-0000-4000-8000-000000000007',
        'Severe',
        { url: 'https://api.example.com:8443/v2/items/42', method: 'PUT', parameter: 'name\u0001|*_`$@ & "quoted"\nnext' },
        { moduleId: MODULES.unnamed.id, attackId: 'Generic_9' },
        { vulnerability_score: 6.1, status: 'DUPLICATE' },
      ),
      moduleId: MODULES.unnamed.id,
      moduleName: MODULES.unnamed.id,
      attackId: 'Generic_9',
      gateMatched: false,
    },
    {
      vulnerability: vulnerability(
        'c0ffee00-0000-4000-8000-000000000008',
        'HIGH',
        { url: 'https://shop.example.com/api/orders', method: 'POST', parameter: 'orderId' },
        { moduleId: MODULES.sqli.id, attackId: 'SqlInjectionTime_2', message: 'Time-based blind SQL injection' },
        { vulnerability_score: 7.5, newly_discovered: true },
      ),
      moduleId: MODULES.sqli.id,
      moduleName: MODULES.sqli.name,
      attackId: 'SqlInjectionTime_2',
      gateMatched: true,
    },
  ];
}

function rule(info: RuleInfo): [string, RuleInfo] {
  return [ruleKey(info.moduleId, info.attackId), info];
}

/** The context given at finish; documentation is present for some rules only, as in real runs. */
export function fixtureContext(overrides: Partial<ReportContext> = {}): ReportContext {
  return {
    scanId: '9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    status: 'COMPLETE',
    app: { id: APP_ID, name: 'Shop <Prod> & "Friends"' },
    scanConfig: { id: '77aa88bb-99cc-4dd0-8ee1-ff0011223344', name: 'Nightly full scan' },
    submitTime: '2026-11-23T07:02:11.123456',
    completionTime: '2026-11-23T07:41:12.004321',
    generatedAt: '2026-11-23T07:41:15.000Z',
    tool: { name: 'InsightAppSec CI', version: '0.1.0', informationUri: 'https://github.com/example/ias-ci' },
    counts: {
      total: 8,
      bySeverity: { CRITICAL: 1, HIGH: 2, MEDIUM: 1, LOW: 1, INFORMATIONAL: 1, SAFE: 1, SEVERE: 1 },
      byModule: {
        'SQL Injection': 2,
        'Cross-site Scripting': 1,
        Clickjacking: 1,
        'Insecure Cookie': 1,
        Unknown: 1,
        'Autocomplete Enabled': 1,
        [MODULES.unnamed.id]: 1,
      },
    },
    gate: { passed: false, matched: 3, query: "vulnerability.severity = 'HIGH'", failOn: 'HIGH' },
    rules: new Map([
      rule({
        moduleId: MODULES.sqli.id,
        attackId: 'SqlInjectionBoolean_3',
        moduleName: MODULES.sqli.name,
        moduleDescription: 'Finds SQL injection flaws.',
        attack: { id: 'SqlInjectionBoolean_3', type: 'Boolean', class: 'SQL Injection' },
        documentation: {
          description:
            '<p>SQL injection lets an attacker change the queries an application sends to its database.</p><p>It can expose &amp; alter <b>all</b> data.</p>',
          recommendation: '<ul><li>Use parameterised queries.</li><li>Validate input.</li></ul>',
          references: {
            'OWASP SQL Injection': 'https://owasp.org/www-community/attacks/SQL_Injection',
            'CWE-89': 'https://cwe.mitre.org/data/definitions/89.html',
          },
        },
      }),
      rule({
        moduleId: MODULES.sqli.id,
        attackId: 'SqlInjectionTime_2',
        moduleName: MODULES.sqli.name,
        moduleDescription: 'Finds SQL injection flaws.',
        attack: { id: 'SqlInjectionTime_2', type: 'Time', class: 'SQL Injection' },
      }),
      rule({
        moduleId: MODULES.xss.id,
        attackId: 'ReflectedXSS_4',
        moduleName: MODULES.xss.name,
        moduleDescription: 'Finds reflected and stored cross-site scripting.',
        documentation: {
          description: 'Reflected XSS runs attacker script in the victim\'s browser.',
          recommendation: 'Encode output for its context.',
          references: { 'OWASP XSS': 'https://owasp.org/www-community/attacks/xss/' },
        },
      }),
      rule({ moduleId: MODULES.xfo.id, attackId: 'XFrameAttack_1', moduleName: MODULES.xfo.name, moduleDescription: 'Checks framing protection headers.' }),
      rule({ moduleId: MODULES.cookie.id, attackId: 'CookieSecureFlag_1', moduleName: MODULES.cookie.name }),
    ]),
    reportFiles: [
      { format: 'metrics', path: '/builds/out/insightappsec-scan-metrics.json' },
      { format: 'findings', path: '/builds/out/insightappsec-scan-findings.json' },
      { format: 'sarif', path: '/builds/out/insightappsec-scan.sarif' },
      { format: 'junit', path: '/builds/out/insightappsec-scan-junit.xml' },
      { format: 'markdown', path: '/builds/out/insightappsec-scan-summary.md' },
      { format: 'html', path: 'C:\\builds\\out\\insightappsec-scan-report.html' },
    ],
    ...overrides,
  };
}

/** Feeds records into a report and finishes it. */
export async function runReport(
  report: StreamingReport,
  records: Iterable<FindingRecord>,
  context: ReportContext = fixtureContext(),
): Promise<{ format: string; path: string; notes: string[]; info?: string[] }> {
  for (const record of records) await report.add(record);
  return report.finish(context);
}
