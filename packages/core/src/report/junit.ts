import type { FindingRecord, FindingSummary, ReportContext, StreamingReport } from './finding-record';
import { parseApiTime, summarizeFinding, truncate } from './finding-record';
import { gateSentence } from './markdown';
import type { ReportSink, ReportWriter } from './sink';
import { createBufferedWriter } from './sink';
import type { RankedQueue } from './spool';
import { createSeveritySpooler } from './spool';
import { rememberByText } from './remember';

/** The JUnit file name. */
export const JUNIT_FILE_NAME = 'insightappsec-scan-junit.xml';

/** Options of {@link createJunitReport}. */
export interface JunitReportOptions {
  /**
   * File name passed to the sink.
   * @default 'insightappsec-scan-junit.xml'
   */
  fileName?: string;
  /**
   * The `hostname` attribute of every test suite (required by the schema).
   * @default 'localhost'
   */
  hostname?: string;
  /**
   * Rendered test cases are held in memory up to about this many characters, then moved to the sink's spool.
   * @default 524288
   */
  spoolThreshold?: number;
}

// XML 1.0 allows only these characters; anything else (C0 controls, lone surrogates, U+FFFE/U+FFFF) is replaced.
const FORBIDDEN_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const XML_TEXT_SPECIAL = /[&<>]/g;
const XML_ATTRIBUTE_SPECIAL = /[&<>"'\t\n\r]/g;
// Any character either replace of escapeXmlAttribute could change (every surrogate, even a paired one: those take
// the slow path, which keeps pairs).
// eslint-disable-next-line no-control-regex -- the control characters are what it looks for
const XML_ATTRIBUTE_WORK = /[&<>"'\u0000-\u001f\ud800-\udfff\ufffe\uffff]/;
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };
const escapeXmlChar = (c: string): string => XML_ESCAPES[c] ?? c;

/** Escapes text content for XML 1.0; characters XML forbids become U+FFFD. */
export function escapeXmlText(text: string): string {
  return text.replace(FORBIDDEN_XML, '\uFFFD').replace(XML_TEXT_SPECIAL, escapeXmlChar);
}

/** Escapes an attribute value for XML 1.0 (quotes, and whitespace kept through normalisation as references). */
export function escapeXmlAttribute(text: string): string {
  // Most values hold nothing to replace: one test instead of two replaces (it runs several times per finding).
  if (!XML_ATTRIBUTE_WORK.test(text)) return text;
  return text.replace(FORBIDDEN_XML, '\uFFFD').replace(XML_ATTRIBUTE_SPECIAL, escapeXmlChar);
}

/** `yyyy-mm-ddThh:mm:ss` in UTC, the only form the JUnit schema accepts (no fraction, no zone). */
export function junitTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/**
 * A classname segment: letters, digits, `_` and `-` (dots would split the name into packages). Every finding of a
 * module asks for the same name: each is cleaned once.
 */
export const junitClassSegment: (name: string) => string = rememberByText((name) => {
  const segment = name.replace(/[^\p{L}\p{N}_-]+/gu, '_').replace(/^_+|_+$/g, '');
  return segment === '' ? 'Unknown' : segment;
});

interface ModuleSuite {
  moduleId: string | undefined;
  moduleName: string;
  tests: number;
  failures: number;
  /** This module's rendered `<testcase>` elements, by severity rank. */
  cases: RankedQueue;
}

/** Text on one line, runs of whitespace as one space: CI parsers show test names on one line (xs:token in the schema). */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function attributes(pairs: [string, string | number][]): string {
  let text = '';
  for (let i = 0; i < pairs.length; i += 1) text += ` ${pairs[i]![0]}="${escapeXmlAttribute(String(pairs[i]![1]))}"`;
  return text;
}

function property(name: string, value: string | undefined): string {
  return value === undefined ? '' : `      <property${attributes([['name', name], ['value', value]])}/>\n`;
}

/**
 * Creates the JUnit report (`insightappsec-scan-junit.xml`) for Azure's PublishTestResults and Bamboo's JUnit
 * parser, valid against the strict Ant JUnit schema: one test suite per module (one test case per
 * vulnerability; a `<failure>` when it matched the gate), then a suite "InsightAppSec gate" with one test case
 * for the gate itself (failed, passed, or skipped when no gate was configured).
 *
 * Within a suite, cases are ordered most severe first, then by arrival.
 *
 * Memory: the schema wants counts in each suite's attributes and cases grouped by module, but findings arrive
 * in any order and counts are known only at the end. Each finding is rendered to its `<testcase>` element at
 * once and held in memory only until about `spoolThreshold` characters have gathered; then they are moved, one
 * chunk per module and severity, to the sink's {@link ReportSpool} (a temporary file for the file sink). At
 * `finish` each suite's head is written with its counts and its chunks are read back in order. So memory holds
 * one batch of rendered cases plus, per module, counters and chunk numbers (a few numbers per batch), not the
 * findings. A sink without a spool gets an in-memory one (proportional to the number of findings).
 */
export async function createJunitReport(sink: ReportSink, options: JunitReportOptions = {}): Promise<StreamingReport> {
  const hostname = options.hostname?.trim() || 'localhost';
  const writer = createBufferedWriter(await sink.create(options.fileName ?? JUNIT_FILE_NAME));
  const spooler = createSeveritySpooler(sink, options.spoolThreshold);
  const suites = new Map<string, ModuleSuite>();
  return {
    format: 'junit',
    async add(record: FindingRecord) {
      const s = summarizeFinding(record);
      const key = record.moduleId ?? `name:${record.moduleName}`;
      let suite = suites.get(key);
      if (suite === undefined) {
        suite = { moduleId: record.moduleId, moduleName: s.moduleName, tests: 0, failures: 0, cases: spooler.queue() };
        suites.set(key, suite);
      }
      suite.tests += 1;
      if (s.gateMatched) suite.failures += 1;
      await suite.cases.push(s.rank, findingCase(s));
    },
    async finish(context: ReportContext) {
      try {
        await writeJunitFile(writer, [...suites.values()], context, hostname);
      } finally {
        await spooler.close();
      }
      return { format: 'junit', path: writer.path, notes: [] };
    },
  };
}

/** The `<testcase>` of one finding: failed when it matched the gate. */
function findingCase(s: FindingSummary): string {
  const parameter = s.parameter === undefined ? '' : ` [parameter: ${oneLine(truncate(s.parameter, 200))}]`;
  const name = `[${s.severity}] ${s.method} ${oneLine(truncate(s.url, 1000)) || '(no URL)'}${parameter}`;
  const classname = `insightappsec.${junitClassSegment(s.moduleName)}`;
  const head = `    <testcase${attributes([['name', name], ['classname', classname], ['time', 0]])}`;
  if (!s.gateMatched) return `${head}/>\n`;
  const details = [
    `${s.moduleName}: ${s.severity} finding matched the gate.`,
    `URL: ${s.url || '(none)'}`,
    `Method: ${s.method}`,
    `Parameter: ${s.parameter ?? '(none)'}`,
    `Severity: ${s.severity}${s.score === undefined ? '' : ` (score ${s.score})`}`,
    `Status: ${s.status ?? '(unknown)'}`,
    `Vulnerability: ${s.id}`,
    ...(s.attackId === undefined ? [] : [`Attack: ${s.attackId}`]),
    ...(s.message === undefined ? [] : [`Detail: ${s.message}`]),
  ].join('\n');
  const message = `${s.severity} ${oneLine(s.moduleName)} at ${s.method} ${oneLine(truncate(s.url, 500))}${parameter}`;
  return `${head}>\n      <failure${attributes([['type', s.severity], ['message', message]])}>${escapeXmlText(details)}</failure>\n    </testcase>\n`;
}

async function writeJunitFile(writer: ReportWriter, suites: ModuleSuite[], context: ReportContext, hostname: string): Promise<void> {
  const timestamp = junitTimestamp(parseApiTime(context.completionTime) ?? parseApiTime(context.generatedAt) ?? new Date(0));
  await writer.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n');
  // By module name, case-insensitively, so the file does not depend on the order findings arrived in.
  const sortKey = (suite: ModuleSuite): string => `${suite.moduleName.toLowerCase()}\u0000${suite.moduleName}\u0000${suite.moduleId ?? ''}`;
  const ordered = [...suites].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  let id = 0;
  for (const suite of ordered) {
    await writeModuleSuite(writer, suite, attributes([['id', id], ['timestamp', timestamp], ['hostname', hostname]]));
    id += 1;
  }
  await writer.write(gateSuite(context, attributes([['id', id], ['timestamp', timestamp], ['hostname', hostname]])));
  await writer.write('</testsuites>\n');
  await writer.close();
}

/** Writes one module's suite; `where` is its rendered `id`, `timestamp` and `hostname` attributes. */
async function writeModuleSuite(writer: ReportWriter, suite: ModuleSuite, where: string): Promise<void> {
  const name = attributes([
    ['name', suite.moduleName.trim() === '' ? 'Unknown' : suite.moduleName],
    ['package', `insightappsec.${junitClassSegment(suite.moduleName)}`],
  ]);
  const counts = attributes([['tests', suite.tests], ['failures', suite.failures], ['errors', 0], ['time', 0]]);
  await writer.write(`  <testsuite${name}${where}${counts}>\n    <properties>\n`);
  await writer.write(property('module.id', suite.moduleId) + property('module.name', suite.moduleName));
  await writer.write('    </properties>\n');
  // Most severe first; within a severity, in arrival order.
  for await (const xml of suite.cases.texts()) await writer.write(xml);
  suite.cases.clear();
  await writer.write('    <system-out/>\n    <system-err/>\n  </testsuite>\n');
}

/** The suite "InsightAppSec gate", with its one test case; `where` as for {@link writeModuleSuite}. */
function gateSuite(context: ReportContext, where: string): string {
  const gate = context.gate;
  const counts = attributes([
    ['tests', 1],
    ['failures', gate !== null && !gate.passed ? 1 : 0],
    ['errors', 0],
    ...(gate === null ? ([['skipped', 1]] as [string, number][]) : []),
    ['time', 0],
  ]);
  const sentence = gateSentence(context, (t) => t);
  const summary = [
    `Scan ${context.scanId} (${context.status}) of application "${context.app.name}", scan configuration "${context.scanConfig.name}".`,
    `Findings: ${context.counts.total}.`,
    sentence,
  ].join('\n');
  const properties =
    property('scan.id', context.scanId) +
    property('scan.status', context.status) +
    property('app.id', context.app.id) +
    property('app.name', context.app.name) +
    property('scanConfig.id', context.scanConfig.id) +
    property('scanConfig.name', context.scanConfig.name) +
    property('gate.query', gate?.query) +
    property('gate.failOn', gate?.failOn) +
    property('gate.matched', gate === null ? undefined : String(gate.matched));
  return (
    `  <testsuite${attributes([['name', 'InsightAppSec gate'], ['package', 'insightappsec.gate']])}${where}${counts}>\n    <properties>\n` +
    `${properties}    </properties>\n${gateCase(context, sentence)}    <system-out>${escapeXmlText(summary)}</system-out>\n    <system-err/>\n  </testsuite>\n`
  );
}

/** The gate's `<testcase>`: skipped without a gate, failed when the gate failed. */
function gateCase(context: ReportContext, sentence: string): string {
  const head = `    <testcase${attributes([['name', 'InsightAppSec gate'], ['classname', 'insightappsec.gate'], ['time', 0]])}`;
  if (context.gate === null) {
    return `${head}>\n      <skipped${attributes([['message', 'No gate configured']])}>${escapeXmlText(sentence)}</skipped>\n    </testcase>\n`;
  }
  if (!context.gate.passed) {
    const details = `${sentence}\nThe matching findings are the failed test cases of the module suites.`;
    return `${head}>\n      <failure${attributes([['type', 'InsightAppSecGateFailed'], ['message', sentence]])}>${escapeXmlText(details)}</failure>\n    </testcase>\n`;
  }
  return `${head}/>\n`;
}
