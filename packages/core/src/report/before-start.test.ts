import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import { outcomeBeforeStart, type Outcome } from '../scan/outcome';
import { formatOutcomeJunit, formatOutcomeMarkdown, writeReportsBeforeStart } from './before-start';
import { JUNIT_FILE_NAME } from './junit';
import { MARKDOWN_FILE_NAME } from './markdown';
import { RESULT_FILE } from './result';
import { createMemoryReportSink } from './sink';

// Core's tsconfig carries no Node types (core itself must not use Node), so the test reads schema files
// through this narrow, typed view of node:fs.
const nodeFs = 'node:fs';
const { readFileSync } = (await import(/* @vite-ignore */ nodeFs)) as { readFileSync(path: URL, encoding: 'utf8'): string };
const xsd = readFileSync(new URL('../../../../tooling/schemas/junit.xsd', import.meta.url), 'utf8');

const SCAN = '5ca00000-0000-4000-8000-000000000001';
const NOW = Date.parse('2026-01-01T00:00:00Z');
const clock = { now: () => NOW };

const ended = (over: Partial<Outcome>): Outcome => ({ ...outcomeBeforeStart(0, 'ok.', null, NOW), scanId: SCAN, status: 'COMPLETE', advancedOn: 'completed', ...over });
const settingsError = (): Outcome => outcomeBeforeStart(2, 'ias.app (App Name) is required.', { code: 'CONFIG_INVALID' }, NOW);

describe('formatOutcomeJunit', () => {
  it.each<[string, Outcome, string]>([
    ['an early advance (passing)', ended({ advancedOn: 'started', status: 'RUNNING' }), '<testcase name="InsightAppSec scan" classname="insightappsec.scan" time="0"/>'],
    ['a failed scan', ended({ exitCode: 3, result: 'scan-failed', status: 'FAILED', message: 'Scan failed <SWAGGER_PARSING_ERROR> & "more"\u0001.' }), '<failure type="scan-failed"'],
    ['a settings error', settingsError(), '<error type="config-error"'],
  ])('is valid against the JUnit schema for %s', async (_, outcome, expected) => {
    const xml = formatOutcomeJunit(outcome, NOW);
    const result = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [{ fileName: 'junit.xsd', contents: xsd }] });
    expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
    expect(xml).toContain(expected);
  });

  it('carries the outcome as one test case', () => {
    expect(formatOutcomeJunit(ended({ exitCode: 3, result: 'scan-failed', status: 'FAILED', message: 'Scan failed <X> & "y"\u0001.\nRetry.' }), NOW)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n' +
        '  <testsuite name="InsightAppSec scan" package="insightappsec.scan" id="0" timestamp="2026-01-01T00:00:00" hostname="localhost" tests="1" failures="1" errors="0" time="0">\n' +
        '    <properties>\n' +
        `      <property name="scan.id" value="${SCAN}"/>\n` +
        '      <property name="result" value="scan-failed"/>\n' +
        '    </properties>\n' +
        '    <testcase name="InsightAppSec scan" classname="insightappsec.scan" time="0">\n' +
        `      <failure type="scan-failed" message="Scan failed &lt;X&gt; &amp; &quot;y&quot;\uFFFD. Retry.">Scan failed &lt;X&gt; &amp; "y"\uFFFD.\nRetry.\nScan: ${SCAN} (FAILED)</failure>\n` +
        '    </testcase>\n' +
        `    <system-out>Scan failed &lt;X&gt; &amp; "y"\uFFFD.\nRetry.\nScan: ${SCAN} (FAILED)</system-out>\n    <system-err/>\n  </testsuite>\n</testsuites>\n`,
    );
  });
});

describe('formatOutcomeMarkdown', () => {
  it('gives the verdict, the escaped message and what is known of the run', () => {
    const outcome = ended({ exitCode: 3, result: 'scan-failed', status: 'FAILED', failureReason: 'BAD_AUTH', message: 'Scan *x* failed\nwith | pipes.', app: { id: 'a', name: 'Shop <1>' }, scanConfig: { id: 'c', name: 'Full_scan' } });
    expect(formatOutcomeMarkdown(outcome)).toBe(
      [
        '## ❌ InsightAppSec scan',
        '',
        'Scan \\*x\\* failed with \\| pipes.',
        '',
        '| | |',
        '|---|---|',
        '| Result | scan-failed (exit 3) |',
        '| Application | Shop &lt;1&gt; |',
        '| Scan configuration | Full\\_scan |',
        `| Scan | \`${SCAN}\` |`,
        '| Status | FAILED (BAD\\_AUTH) |',
        '',
      ].join('\n'),
    );
  });

  it('lists only the result for a run that never started', () => {
    expect(formatOutcomeMarkdown(settingsError())).toBe('## ❌ InsightAppSec scan\n\nias.app (App Name) is required.\n\n| | |\n|---|---|\n| Result | config-error (exit 2) |\n');
  });
});

describe('writeReportsBeforeStart', () => {
  it('writes the JUnit file, the markdown summary and the result file, listing the others in the result', async () => {
    const sink = createMemoryReportSink();
    const outcome = settingsError();
    const written = await writeReportsBeforeStart(outcome, ['metrics', 'sarif', 'result', 'markdown', 'junit'], sink, clock);
    expect(written).toEqual([
      { format: 'junit', path: JUNIT_FILE_NAME },
      { format: 'markdown', path: MARKDOWN_FILE_NAME },
      { format: 'result', path: RESULT_FILE },
    ]);
    expect([...sink.files.keys()]).toEqual([JUNIT_FILE_NAME, MARKDOWN_FILE_NAME, RESULT_FILE]);
    expect(sink.files.get(JUNIT_FILE_NAME)).toBe(formatOutcomeJunit(outcome, NOW));
    expect(sink.files.get(MARKDOWN_FILE_NAME)).toBe(formatOutcomeMarkdown(outcome));
    expect(JSON.parse(sink.files.get(RESULT_FILE) ?? '')).toEqual({ ...outcome, reports: written });
    // The caller's outcome is left as it was.
    expect(outcome.reports).toEqual([]);
  });

  it('writes only the formats asked for that the outcome does not already list', async () => {
    const sink = createMemoryReportSink();
    const outcome = ended({ reports: [{ format: 'junit', path: 'elsewhere/junit.xml' }] });
    expect(await writeReportsBeforeStart(outcome, ['junit', 'markdown'], sink, clock)).toEqual([{ format: 'markdown', path: MARKDOWN_FILE_NAME }]);
    expect([...sink.files.keys()]).toEqual([MARKDOWN_FILE_NAME]);
    expect(await writeReportsBeforeStart(outcome, ['sarif', 'html'], createMemoryReportSink(), clock)).toEqual([]);
  });

  it("rejects with the sink's own error", async () => {
    const failure = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    const sink = { create: () => Promise.reject(failure) };
    await expect(writeReportsBeforeStart(settingsError(), ['junit'], sink, clock)).rejects.toBe(failure);
  });
});
