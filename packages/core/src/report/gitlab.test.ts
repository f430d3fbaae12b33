import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { runScanJob } from '../scan/run-scan-job';
import { createHarness } from '../testing/sim-harness';
import { fixtureContext, fixtureRecords, runReport } from './__golden__/fixtures';
import type { FindingRecord } from './finding-record';
import { createGitlabReport, cvssVector, GITLAB_FILE_NAME, GITLAB_SCHEMA_VERSION, gitlabSeverity, gitlabTime, splitLocation } from './gitlab';
import { createMemoryReportSink } from './sink';

// Core's tsconfig carries no Node types (core itself must not use Node), so the test reads the schema through this
// narrow, typed view of node:fs.
const nodeFs = 'node:fs';
const { readFileSync } = (await import(/* @vite-ignore */ nodeFs)) as { readFileSync(path: URL, encoding: 'utf8'): string };

// The schema vendored in the repository (tooling/schemas): GitLab's DAST report format 15.2.1.
const schemaUrl = new URL('../../../../tooling/schemas/gitlab-dast-report-format.json', import.meta.url);

function gitlabValidator(): (report: unknown) => string[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaUrl, 'utf8')) as object);
  return (report) => (validate(report) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
}

interface GitlabReport {
  version: string;
  vulnerabilities: {
    id: string;
    name: string;
    severity: string;
    identifiers: { type: string; value: string }[];
    location: { hostname: string; path: string; method: string; param?: string };
    cvss_vectors?: { vector: string }[];
    flags?: { type: string }[];
    evidence?: { summary: string };
  }[];
  scan: { start_time: string; end_time: string; status: string; type: string; scanned_resources: { url: string }[] };
}

async function build(records: FindingRecord[], context = fixtureContext()): Promise<{ text: string; report: GitlabReport }> {
  const sink = createMemoryReportSink();
  await runReport(await createGitlabReport(sink), records, context);
  const text = sink.files.get(GITLAB_FILE_NAME) ?? '';
  return { text, report: JSON.parse(text) as GitlabReport };
}

describe('GitLab DAST report', () => {
  it('matches the golden file and validates against the vendored 15.2.1 schema', async () => {
    const { text, report } = await build(fixtureRecords());
    await expect(`${JSON.stringify(JSON.parse(text), null, 2)}\n`).toMatchFileSnapshot('./__golden__/gl-dast-report.json');
    expect(gitlabValidator()(report)).toEqual([]);
    expect(report.version).toBe(GITLAB_SCHEMA_VERSION);
    expect(report.vulnerabilities).toHaveLength(fixtureRecords().length);
    expect(report.scan).toMatchObject({ type: 'dast', status: 'success', start_time: '2026-11-23T07:02:11', end_time: '2026-11-23T07:41:12' });
  });

  it('is valid for zero findings and for a scan that did not complete', async () => {
    const { report } = await build([], fixtureContext({ status: 'FAILED', completionTime: undefined as unknown as string }));
    expect(gitlabValidator()(report)).toEqual([]);
    expect(report.vulnerabilities).toEqual([]);
    expect(report.scan.status).toBe('failure');
  });

  it('keeps hostile scan data as data: JSON-escaped text, never a broken document', async () => {
    const [first] = fixtureRecords();
    const hostile: FindingRecord = {
      ...first!,
      moduleName: 'X"}]},{"injected":true\n</script>',
      vulnerability: {
        ...first!.vulnerability,
        id: 'hostile-1',
        severity: 'SEVERE',
        root_cause: { url: 'not a url\u2028', method: 'get', parameter: '"\\' },
        vector_string: 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/garbage',
        variances: [{ message: '\u0000\u001b[31mred' }],
      },
    };
    const { report } = await build([hostile]);
    expect(gitlabValidator()(report)).toEqual([]);
    const [v] = report.vulnerabilities;
    expect(v?.name).toBe('X"}]},{"injected":true\n</script>');
    expect(v?.severity).toBe('Unknown');
    expect(v?.location).toMatchObject({ hostname: '', path: 'not a url\u2028', method: 'GET', param: '"\\' });
    expect(v?.cvss_vectors).toEqual([{ vendor: 'Rapid7', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }]);
  });

  it('flags findings reviewed as false positives and lists each scanned URL once', async () => {
    const records = fixtureRecords();
    const reviewed = records.map((r, i) => (i === 0 ? { ...r, vulnerability: { ...r.vulnerability, status: 'FALSE_POSITIVE' } } : r));
    const { report } = await build([...reviewed, ...reviewed.slice(0, 2)]);
    expect(report.vulnerabilities[0]?.flags).toEqual([expect.objectContaining({ type: 'flagged-as-likely-false-positive' })]);
    const urls = report.scan.scanned_resources.map((r) => r.url);
    expect(new Set(urls).size).toBe(urls.length);
  });

  it.each([
    ['CRITICAL', 'Critical'],
    ['high', 'High'],
    [' Medium ', 'Medium'],
    ['LOW', 'Low'],
    ['INFORMATIONAL', 'Info'],
    ['SAFE', 'Info'],
    ['', 'Unknown'],
    ['SEVERE', 'Unknown'],
  ])('maps severity %j to %j', (from, to) => {
    expect(gitlabSeverity(from)).toBe(to);
  });

  it.each([
    ['AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['CVSS:3.0/AV:L/AC:H/PR:H/UI:R/S:C/C:L/I:N/A:N', 'CVSS:3.0/AV:L/AC:H/PR:H/UI:R/S:C/C:L/I:N/A:N'],
    ['AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P', undefined],
    ['', undefined],
    [null, undefined],
  ])('turns vector %j into %j', (from, to) => {
    expect(cvssVector(from)).toBe(to);
  });

  it('writes times as yyyy-mm-ddThh:mm:ss in UTC and splits URLs into hostname and path', () => {
    expect(gitlabTime('2026-11-23T07:02:11.123456', '2026-01-01T00:00:00Z')).toBe('2026-11-23T07:02:11');
    expect(gitlabTime('2026-11-23T08:02:11+01:00', '2026-01-01T00:00:00Z')).toBe('2026-11-23T07:02:11');
    expect(gitlabTime(undefined, '2026-01-01T00:00:00.000Z')).toBe('2026-01-01T00:00:00');
    expect(splitLocation('https://shop.example.com:8443/api/login?next=%2F')).toEqual({ hostname: 'https://shop.example.com:8443', path: '/api/login?next=%2F' });
  });

  it('of the demo scan, written by a whole run, validates against the schema with every finding in it', async () => {
    const h = createHarness();
    const outcome = await runScanJob(h.job({ gateQuery: "vulnerability.severity='CRITICAL'" }), h.effects);
    expect(outcome.reports.map((r) => r.format)).toContain('gitlab');
    const report = JSON.parse(h.sink.files.get(GITLAB_FILE_NAME) ?? 'null') as GitlabReport;
    expect(gitlabValidator()(report)).toEqual([]);
    expect(report.vulnerabilities).toHaveLength(outcome.counts.total);
    expect(report.vulnerabilities.filter((v) => v.severity === 'Critical')).toHaveLength(outcome.counts.bySeverity.CRITICAL ?? 0);
    expect(report.scan.status).toBe('success');
  });
});
