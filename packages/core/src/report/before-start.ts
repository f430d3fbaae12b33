import type { ReportFormat } from '../config/schema';
import type { Clock } from '../effects';
import type { Outcome } from '../scan/outcome';
import { escapeXmlAttribute, escapeXmlText, JUNIT_FILE_NAME, junitTimestamp, oneLine } from './junit';
import { escapeMarkdown, MARKDOWN_FILE_NAME, markdownCell } from './markdown';
import { writeResultFile } from './result';
import type { ReportSink } from './sink';

/**
 * The reports of a run whose report builders never ran: the input was refused before the scan job started
 * ({@link outcomeBeforeStart}), or the run ended before it collected findings (an early advance, a failed scan).
 * Each is made from the {@link Outcome} alone.
 */

/** The formats {@link writeReportsBeforeStart} can make from an outcome alone, in the order it writes them. */
export const BEFORE_START_FORMATS = ['junit', 'markdown', 'result'] as const satisfies readonly ReportFormat[];

/**
 * Writes, through `sink`, each of `formats` that an outcome alone can make ({@link BEFORE_START_FORMATS}) and that
 * `outcome.reports` does not list yet: the JUnit file (the outcome as one test case, so a CI JUnit parser that
 * fails a job without a result file still finds one), the markdown summary, and the result file, written last with
 * the others listed. Resolves to the files written, in that order. A sink failure rejects with the sink's own error.
 */
export async function writeReportsBeforeStart(outcome: Outcome, formats: readonly ReportFormat[], sink: ReportSink, clock: Pick<Clock, 'now'>): Promise<{ format: ReportFormat; path: string }[]> {
  const wanted = BEFORE_START_FORMATS.filter((format) => formats.includes(format) && !outcome.reports.some((r) => r.format === format));
  const written: { format: ReportFormat; path: string }[] = [];
  const write = async (format: ReportFormat, name: string, content: string): Promise<void> => {
    const writer = await sink.create(name);
    await writer.write(content);
    await writer.close();
    written.push({ format, path: writer.path });
  };
  if (wanted.includes('junit')) await write('junit', JUNIT_FILE_NAME, formatOutcomeJunit(outcome, clock.now()));
  if (wanted.includes('markdown')) await write('markdown', MARKDOWN_FILE_NAME, formatOutcomeMarkdown(outcome));
  if (wanted.includes('result')) {
    const listed: Outcome = { ...outcome, reports: [...outcome.reports, ...written] };
    written.push({ format: 'result', path: await writeResultFile(listed, sink) });
  }
  return written;
}

/**
 * The outcome as a JUnit file of one test case, `InsightAppSec scan`: passing for exit 0, otherwise an `<error>`
 * (API error, settings error, interrupt) or a `<failure>` (gate, scan, budget) carrying the message and the scan.
 * `now` (epoch milliseconds) is the suite's timestamp.
 */
export function formatOutcomeJunit(outcome: Pick<Outcome, 'exitCode' | 'result' | 'message' | 'scanId' | 'status'>, now: number): string {
  const passed = outcome.exitCode === 0;
  const kind = outcome.result === 'api-error' || outcome.result === 'config-error' || outcome.result === 'interrupted' ? 'error' : 'failure';
  const text = `${outcome.message}${outcome.scanId === null ? '' : `\nScan: ${outcome.scanId} (${outcome.status ?? 'unknown status'})`}`;
  const testcase = passed
    ? '    <testcase name="InsightAppSec scan" classname="insightappsec.scan" time="0"/>\n'
    : `    <testcase name="InsightAppSec scan" classname="insightappsec.scan" time="0">\n      <${kind} type="${escapeXmlAttribute(outcome.result)}" message="${escapeXmlAttribute(oneLine(outcome.message))}">${escapeXmlText(text)}</${kind}>\n    </testcase>\n`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n' +
    `  <testsuite name="InsightAppSec scan" package="insightappsec.scan" id="0" timestamp="${junitTimestamp(new Date(now))}" hostname="localhost" tests="1" failures="${!passed && kind === 'failure' ? 1 : 0}" errors="${!passed && kind === 'error' ? 1 : 0}" time="0">\n` +
    '    <properties>\n' +
    (outcome.scanId === null ? '' : `      <property name="scan.id" value="${escapeXmlAttribute(outcome.scanId)}"/>\n`) +
    `      <property name="result" value="${escapeXmlAttribute(outcome.result)}"/>\n` +
    '    </properties>\n' +
    testcase +
    `    <system-out>${escapeXmlText(text)}</system-out>\n    <system-err/>\n  </testsuite>\n</testsuites>\n`
  );
}

/**
 * The outcome as a short markdown summary: a heading with the verdict, the message, and a table of what is known.
 * Names, the message and the failure reason can come from the scanned application or the server: all are escaped.
 */
export function formatOutcomeMarkdown(outcome: Outcome): string {
  const rows: [string, string][] = [
    ['Result', `${outcome.result} (exit ${outcome.exitCode})`],
    ...(outcome.app === null ? [] : [['Application', markdownCell(outcome.app.name)] as [string, string]]),
    ...(outcome.scanConfig === null ? [] : [['Scan configuration', markdownCell(outcome.scanConfig.name)] as [string, string]]),
    ...(outcome.scanId === null ? [] : [['Scan', `\`${outcome.scanId}\``] as [string, string]]),
    ...(outcome.status === null ? [] : [['Status', `${outcome.status}${outcome.failureReason ? ` (${markdownCell(outcome.failureReason)})` : ''}`] as [string, string]]),
  ];
  return [
    `## ${outcome.exitCode === 0 ? '✅' : '❌'} InsightAppSec scan`,
    '',
    escapeMarkdown(oneLine(outcome.message)),
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    '',
  ].join('\n');
}
