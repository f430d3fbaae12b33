import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { APP_ID, fixtureContext, fixtureRecords, runReport } from './__golden__/fixtures';
import type { FindingRecord } from './finding-record';
import {
  artifactUriForUrl,
  createSarifReport,
  FINGERPRINT_KEY,
  GITHUB_MAX_RESULTS_PER_RUN,
  htmlToText,
  SARIF_FILE_NAME,
} from './sarif';
import { fingerprintOf, hash64, SARIF_ROOT_CAUSE_FINGERPRINT } from '../gate/fingerprint';
import type { SarifReportOptions } from './sarif';
import { createMemoryReportSink, createMemorySpool } from './sink';

// Core's tsconfig carries no Node types (core itself must not use Node), so the test reads schema files
// through this narrow, typed view of node:fs.
const nodeFs = 'node:fs';
const { readFileSync } = (await import(/* @vite-ignore */ nodeFs)) as { readFileSync(path: URL, encoding: 'utf8'): string };

// The schemas vendored in the repository (tooling/schemas).
const schemaUrl = new URL('../../../../tooling/schemas/sarif-schema-2.1.0.json', import.meta.url);

function validator() {
  const ajv = new Ajv04({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(schemaUrl, 'utf8')) as object);
}

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; rules: SarifRule[] } };
    invocations: { toolExecutionNotifications?: { level: string; message: { text: string } }[] }[];
    automationDetails?: { id: string };
    results: SarifResult[];
  }[];
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: string };
  properties: { tags: string[]; 'security-severity'?: string };
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
    logicalLocations: { name: string; fullyQualifiedName: string; kind: string }[];
  }[];
  partialFingerprints: Record<string, string>;
  properties: { 'security-severity'?: string; severity: string; vulnerabilityId: string };
}

/** Builds the report; every status is written unless a test asks otherwise (the fixture holds a DUPLICATE). */
async function build(records: Iterable<FindingRecord> = fixtureRecords(), options: SarifReportOptions = {}) {
  const sink = createMemoryReportSink();
  const outcome = await runReport(await createSarifReport(sink, { leaveOutStatuses: [], ...options }), records);
  const text = sink.files.get(options.fileName ?? SARIF_FILE_NAME) ?? '';
  return { text, log: JSON.parse(text) as SarifLog, outcome };
}

function resultOf(log: SarifLog, vulnerabilityId: string): SarifResult {
  const result = log.runs[0]!.results.find((r) => r.properties.vulnerabilityId === vulnerabilityId);
  if (result === undefined) throw new Error(`no result for ${vulnerabilityId}`);
  return result;
}

function record(
  severity: string,
  overrides: { id?: string; url?: string; method?: string; parameter?: string; moduleId?: string; attackId?: string; score?: number; appId?: string; status?: string } = {},
): FindingRecord {
  return {
    vulnerability: {
      id: overrides.id ?? `v-${severity}`,
      app: { id: overrides.appId ?? APP_ID },
      severity,
      root_cause: { url: overrides.url ?? 'https://x.example/p', method: overrides.method ?? 'GET', parameter: overrides.parameter ?? 'a' },
      vulnerability_score: overrides.score ?? null,
      variances: [],
      ...(overrides.status === undefined ? {} : { status: overrides.status }),
    },
    moduleId: overrides.moduleId ?? 'm1',
    moduleName: 'Module One',
    attackId: overrides.attackId ?? 'A_1',
    gateMatched: false,
  };
}

describe('SARIF report', () => {
  it('matches the golden file and the SARIF 2.1.0 schema', async () => {
    const { text, outcome } = await build();
    await expect(text).toMatchFileSnapshot('./__golden__/insightappsec-scan.sarif');
    const validate = validator();
    expect(validate(JSON.parse(text)), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(outcome).toEqual({ format: 'sarif', path: SARIF_FILE_NAME, notes: [], info: [] });
  });

  it('writes one result per vulnerability and one rule per module/attack pair, most severe first', async () => {
    const { log } = await build();
    const run = log.runs[0]!;
    expect(log.version).toBe('2.1.0');
    expect(run.results).toHaveLength(8);
    expect(run.results.map((r) => r.properties.severity)).toEqual(['CRITICAL', 'HIGH', 'HIGH', 'MEDIUM', 'SEVERE', 'LOW', 'INFORMATIONAL', 'SAFE']);
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual([...new Set(run.tool.driver.rules.map((r) => r.id))]);
    expect(run.tool.driver.rules).toHaveLength(8);
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
  });

  it.each([
    ['CRITICAL', 'error'],
    ['HIGH', 'error'],
    ['MEDIUM', 'warning'],
    ['LOW', 'note'],
    ['INFORMATIONAL', 'note'],
    ['SAFE', 'note'],
    ['SEVERE', 'warning'],
  ])('gives a %s finding level %s', async (severity, level) => {
    const { log } = await build();
    const result = log.runs[0]!.results.find((r) => r.properties.severity === severity)!;
    expect(result.level).toBe(level);
  });

  it.each([
    ['CRITICAL', 9.8, '9.8'],
    ['CRITICAL', undefined, '9.5'],
    ['CRITICAL', 5.0, '9.5'],
    ['HIGH', 7.5, '7.5'],
    ['HIGH', 9.1, '8.0'],
    ['HIGH', 8.96, '8.0'],
    ['MEDIUM', 4.3, '4.3'],
    ['MEDIUM', 9.8, '5.5'],
    ['LOW', undefined, '2.0'],
    ['LOW', 0.0, '2.0'],
    ['INFORMATIONAL', 3.0, undefined],
    ['SAFE', undefined, undefined],
    ['SEVERE', 6.1, '6.1'],
    ['SEVERE', undefined, undefined],
  ])('scores %s (vulnerability_score %s) as security-severity %s, inside GitHub’s band', async (severity, score, expected) => {
    const input = score === undefined ? record(severity) : record(severity, { score });
    const { log } = await build([input]);
    const result = log.runs[0]!.results[0]!;
    expect(result.properties['security-severity']).toBe(expected);
    const bands: Record<string, [number, number]> = { CRITICAL: [9.0, 10.0], HIGH: [7.0, 8.9], MEDIUM: [4.0, 6.9], LOW: [0.1, 3.9] };
    const band = bands[severity];
    if (band !== undefined) {
      const value = Number(expected);
      expect(value).toBeGreaterThanOrEqual(band[0]);
      expect(value).toBeLessThanOrEqual(band[1]);
      expect(log.runs[0]!.tool.driver.rules[0]!.properties['security-severity']).toBeDefined();
    }
  });

  it('keeps fingerprints stable across runs and independent of the vulnerability id', async () => {
    const first = await build();
    const second = await build([...fixtureRecords()].reverse());
    for (const result of first.log.runs[0]!.results) {
      const again = resultOf(second.log, result.properties.vulnerabilityId);
      expect(again.partialFingerprints[FINGERPRINT_KEY]).toBe(result.partialFingerprints[FINGERPRINT_KEY]);
      expect(result.partialFingerprints[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{16}$/);
    }
    const a = await build([record('HIGH', { id: 'one' })]);
    const b = await build([record('HIGH', { id: 'two' })]);
    expect(a.log.runs[0]!.results[0]!.partialFingerprints).toEqual(b.log.runs[0]!.results[0]!.partialFingerprints);
  });

  it.each([
    ['URL', { url: 'https://x.example/q' }],
    ['method', { method: 'POST' }],
    ['parameter', { parameter: 'b' }],
    ['module', { moduleId: 'm2' }],
    ['attack', { attackId: 'A_2' }],
    ['app', { appId: 'another-app' }],
  ])('gives a different fingerprint when the %s differs', async (_label, change) => {
    const base = await build([record('HIGH')]);
    const changed = await build([record('HIGH', change)]);
    expect(changed.log.runs[0]!.results[0]!.partialFingerprints[FINGERPRINT_KEY]).not.toBe(
      base.log.runs[0]!.results[0]!.partialFingerprints[FINGERPRINT_KEY],
    );
  });

  it('distinguishes fingerprints of all fixture findings', async () => {
    const { log } = await build();
    const prints = log.runs[0]!.results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(new Set(prints).size).toBe(prints.length);
    const rootCauseFingerprint = (url: string, parameter: string): string =>
      fingerprintOf({ appId: 'a', url, method: 'GET', parameter, moduleId: 'd', attackId: undefined }, SARIF_ROOT_CAUSE_FINGERPRINT);
    expect(rootCauseFingerprint('b', 'c')).not.toBe(rootCauseFingerprint('bc', ''));
    expect(hash64('')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('gives every result what GitHub needs: a message naming URL, method and parameter, a location, a logical location', async () => {
    const { log } = await build();
    for (const result of log.runs[0]!.results) {
      const location = result.locations[0]!;
      expect(location.physicalLocation.artifactLocation.uri).not.toBe('');
      expect(location.physicalLocation.region.startLine).toBe(1);
      expect(location.logicalLocations[0]!.kind).toBe('resource');
    }
    const sqli = resultOf(log, 'c0ffee00-0000-4000-8000-000000000003');
    expect(sqli.message.text).toBe('SQL Injection at POST https://shop.example.com/api/login (parameter "username"). Boolean-based blind SQL injection.');
    expect(sqli.locations[0]!.physicalLocation.artifactLocation.uri).toBe('shop.example.com/api/login');
    expect(sqli.locations[0]!.logicalLocations[1]).toMatchObject({ name: 'username', kind: 'parameter' });
    const noParameter = resultOf(log, 'c0ffee00-0000-4000-8000-000000000002');
    expect(noParameter.message.text).toContain('(no parameter)');
    const noVariances = resultOf(log, 'c0ffee00-0000-4000-8000-000000000005');
    expect(noVariances.ruleId).toBe('insightappsec/unknown-module');
  });

  it('puts a fixed artifact URI on every result when asked', async () => {
    const { log } = await build(fixtureRecords(), { artifactUri: 'openapi.yaml' });
    expect(new Set(log.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri))).toEqual(new Set(['openapi.yaml']));
  });

  it.each([
    ['https://shop.example.com/a/b?x=1#frag', 'shop.example.com/a/b'],
    ['http://localhost:8080/', 'localhost_8080/'],
    ['https://x.example/<script>alert(1)</script>', 'x.example/%3Cscript%3Ealert(1)%3C/script%3E'],
    ['https://[::1]:9/p', '___1__9/p'],
    ['not a url', 'insightappsec/unknown-location'],
  ])('maps URL %s to the pseudo-path %s', (url, uri) => {
    expect(artifactUriForUrl(url)).toBe(uri);
  });

  it('describes rules for GitHub: short and full descriptions within 1024 characters, help, tags, level', async () => {
    const { log } = await build();
    for (const rule of log.runs[0]!.tool.driver.rules) {
      expect(rule.shortDescription.text.length).toBeLessThanOrEqual(1024);
      expect(rule.fullDescription.text.length).toBeLessThanOrEqual(1024);
      expect(rule.help.text).not.toBe('');
      expect(rule.properties.tags.length).toBeLessThanOrEqual(20);
    }
    const sqli = log.runs[0]!.tool.driver.rules.find((r) => r.id.endsWith('/SqlInjectionBoolean_3'))!;
    expect(sqli.fullDescription.text).toBe(
      'SQL injection lets an attacker change the queries an application sends to its database.\nIt can expose & alter all data.',
    );
    expect(sqli.help.markdown).toContain('- [OWASP SQL Injection](<https://owasp.org/www-community/attacks/SQL_Injection>)');
    expect(sqli.help.text).toContain('- Use parameterised queries.');
    expect(sqli.defaultConfiguration.level).toBe('error');
    expect(sqli.properties['security-severity']).toBe('9.5');
    const undocumented = log.runs[0]!.tool.driver.rules.find((r) => r.id.endsWith('/CookieSecureFlag_1'))!;
    expect(undocumented.help.text).toContain('Attack documentation was not available');
  });

  it('keeps the most severe results above the cap and says so', async () => {
    const { log, outcome } = await build(fixtureRecords(), { maxResults: 3 });
    const run = log.runs[0]!;
    expect(run.results.map((r) => r.properties.severity)).toEqual(['CRITICAL', 'HIGH', 'HIGH']);
    const note = run.invocations[0]!.toolExecutionNotifications![0]!;
    expect(note.level).toBe('warning');
    expect(note.message.text).toContain('5 of 8 results were left out');
    expect(outcome.notes).toEqual([note.message.text]);
    const validate = validator();
    expect(validate(log)).toBe(true);
  });

  it(`caps at GitHub's ${GITHUB_MAX_RESULTS_PER_RUN} results per run by default, keeping a late critical`, async () => {
    function* many(): Generator<FindingRecord> {
      for (let i = 0; i < GITHUB_MAX_RESULTS_PER_RUN; i += 1) yield record('LOW', { id: `low-${i}`, parameter: `p${i}` });
      yield record('CRITICAL', { id: 'late-critical' });
    }
    const { log, outcome } = await build(many());
    expect(log.runs[0]!.results).toHaveLength(GITHUB_MAX_RESULTS_PER_RUN);
    expect(log.runs[0]!.results[0]!.properties.vulnerabilityId).toBe('late-critical');
    expect(outcome.notes[0]).toContain(`1 of ${GITHUB_MAX_RESULTS_PER_RUN + 1} results were left out`);
  });

  it('writes a valid empty run when there are no findings', async () => {
    const { log } = await build([]);
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.tool.driver.rules).toEqual([]);
    expect(validator()(log)).toBe(true);
  });

  it("writes no runAutomationDetails, so upload-sarif's category input is the one that counts", async () => {
    const { log } = await build();
    expect(log.runs[0]).not.toHaveProperty('automationDetails');
  });

  it('turns documentation HTML into text', () => {
    expect(htmlToText('<p>a &lt;b&gt; &#39;c&#x27;</p><script>x()</script><br/>d')).toBe("a <b> 'c'\n\nd");
  });
});

describe('SARIF report memory', () => {
  async function text(records: FindingRecord[], options: SarifReportOptions) {
    const sink = createMemoryReportSink();
    const outcome = await runReport(await createSarifReport(sink, options), records, fixtureContext());
    return { sarif: sink.files.get(SARIF_FILE_NAME) ?? '', outcome };
  }

  it.each([
    ['no cap', {}],
    ['a cap of 3', { maxResults: 3 }],
  ])('writes the same file when every result goes through the spool (%s)', async (_label, cap) => {
    // One vulnerability without app.id: its fingerprint is completed at finish from the context's app.
    const records = fixtureRecords().map((r, i) => (i === 1 ? { ...r, vulnerability: { ...r.vulnerability, app: null } } : r));
    const reference = await text(records, cap);
    const spooled = await text(records, { ...cap, spoolThreshold: 1 });
    expect(spooled.sarif).toBe(reference.sarif);
    expect(spooled.outcome).toEqual(reference.outcome);
    expect(reference.sarif).not.toContain('@@');
    const log = JSON.parse(reference.sarif) as SarifLog;
    for (const result of log.runs[0]!.results) expect(result.ruleId).toBe(log.runs[0]!.tool.driver.rules[result.ruleIndex]!.id);
  });

  it('spools only results that can still make the cut', async () => {
    const sink = createMemoryReportSink();
    let appended = 0;
    const counting = {
      create: sink.create.bind(sink),
      async createSpool() {
        const inner = createMemorySpool();
        return { ...inner, append: async (chunks: readonly string[]) => ((appended += chunks.join('\u0000').split('\u0000').length), inner.append(chunks)) };
      },
    };
    // Eight findings, cap 3, one per flush: the CRITICAL and HIGH ones arrive first, so later LOW/INFO/SAFE are skipped.
    const records = fixtureRecords();
    await runReport(await createSarifReport(counting, { maxResults: 3, spoolThreshold: 1 }), records, fixtureContext());
    expect(appended).toBeLessThan(records.length);
  });

  describe('triaged findings', () => {
    const statuses = ['UNREVIEWED', 'VERIFIED', 'FALSE_POSITIVE', 'IGNORED', 'DUPLICATE', 'REMEDIATED', 'false_positive', undefined];
    const triaged = (): FindingRecord[] =>
      statuses.map((status, i) => record(i % 2 === 0 ? 'CRITICAL' : 'HIGH', { id: `v${i}`, parameter: `p${i}`, moduleId: `m${i}`, ...(status === undefined ? {} : { status }) }));

    it('leaves out FALSE_POSITIVE, IGNORED, DUPLICATE and REMEDIATED by default (any case), with their rules, and says so', async () => {
      const sink = createMemoryReportSink();
      const outcome = await runReport(await createSarifReport(sink), triaged());
      const log = JSON.parse(sink.files.get(SARIF_FILE_NAME) ?? '') as SarifLog & { runs: { properties: Record<string, unknown> }[] };
      const run = log.runs[0]!;
      expect(run.results.map((r) => r.properties.vulnerabilityId)).toEqual(['v0', 'v1', 'v7']);
      expect(run.tool.driver.rules.map((r) => r.id)).toEqual(['insightappsec/m0/A_1', 'insightappsec/m1/A_1', 'insightappsec/m7/A_1']);
      expect(run.properties.leftOutByStatus).toEqual({ DUPLICATE: 1, FALSE_POSITIVE: 2, IGNORED: 1, REMEDIATED: 1 });
      expect(outcome.notes).toEqual([]);
      expect(outcome.info).toEqual([expect.stringMatching(/^SARIF: 5 triaged findings left out \(1 DUPLICATE, 2 FALSE_POSITIVE, 1 IGNORED, 1 REMEDIATED\)/)]);
      expect(validator()(log)).toBe(true);
    });

    it('leaves out exactly the statuses it is given, and writes everything with an empty list', async () => {
      const only = await build(triaged(), { leaveOutStatuses: ['ignored'] });
      expect(only.log.runs[0]!.results.map((r) => r.properties.vulnerabilityId).sort()).toEqual(['v0', 'v1', 'v2', 'v4', 'v5', 'v6', 'v7']);
      const all = await build(triaged(), { leaveOutStatuses: [] });
      expect(all.log.runs[0]!.results).toHaveLength(statuses.length);
      expect(all.outcome.notes).toEqual([]);
    });
  });
});
