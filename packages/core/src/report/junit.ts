import type { FindingRecord, ReportContext, StreamingReport } from './finding-record';
import { parseApiTime, summarizeFinding, truncate } from './finding-record';
import { gateSentence } from './markdown';
import type { ReportSink } from './sink';
import { createBufferedWriter } from './sink';

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
}

// XML 1.0 allows only these characters; anything else (C0 controls, lone surrogates, U+FFFE/U+FFFF) is replaced.
const FORBIDDEN_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text content for XML 1.0; characters XML forbids become U+FFFD. */
export function escapeXmlText(text: string): string {
  return text.replace(FORBIDDEN_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an attribute value for XML 1.0 (quotes, and whitespace kept through normalisation as references). */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** `yyyy-mm-ddThh:mm:ss` in UTC, the only form the JUnit schema accepts (no fraction, no zone). */
export function junitTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/** A classname segment: letters, digits, `_` and `-` (dots would split the name into packages). */
export function junitClassSegment(name: string): string {
  const segment = name.replace(/[^\p{L}\p{N}_-]+/gu, '_').replace(/^_+|_+$/g, '');
  return segment === '' ? 'Unknown' : segment;
}

interface ModuleSuite {
  moduleId: string | undefined;
  moduleName: string;
  tests: number;
  failures: number;
  /** Rendered `<testcase>` elements with their severity rank, for most-severe-first order. */
  cases: { rank: number; xml: string }[];
}

// Test names are shown on one line by every CI parser (and are xs:token in the schema).
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function attributes(pairs: [string, string | number][]): string {
  return pairs.map(([name, value]) => ` ${name}="${escapeXmlAttribute(String(value))}"`).join('');
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
 * Memory: the schema wants counts in each suite's attributes and cases grouped by module, so each finding is
 * kept as its rendered `<testcase>` element (a few hundred bytes: severity, method, URL, parameter, ids,
 * status; no exchanges or proofs). That is proportional to the number of findings, without their bodies.
 */
export async function createJunitReport(sink: ReportSink, options: JunitReportOptions = {}): Promise<StreamingReport> {
  const hostname = options.hostname?.trim() || 'localhost';
  const writer = createBufferedWriter(await sink.create(options.fileName ?? JUNIT_FILE_NAME));
  const suites = new Map<string, ModuleSuite>();

  return {
    format: 'junit',
    async add(record: FindingRecord) {
      const s = summarizeFinding(record);
      const key = record.moduleId ?? `name:${record.moduleName}`;
      let suite = suites.get(key);
      if (suite === undefined) {
        suite = { moduleId: record.moduleId, moduleName: s.moduleName, tests: 0, failures: 0, cases: [] };
        suites.set(key, suite);
      }
      const parameter = s.parameter === undefined ? '' : ` [parameter: ${oneLine(truncate(s.parameter, 200))}]`;
      const name = `[${s.severity}] ${s.method} ${oneLine(truncate(s.url, 1000)) || '(no URL)'}${parameter}`;
      const classname = `insightappsec.${junitClassSegment(s.moduleName)}`;
      let xml = `    <testcase${attributes([['name', name], ['classname', classname], ['time', 0]])}`;
      if (s.gateMatched) {
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
        xml += `>\n      <failure${attributes([['type', s.severity], ['message', message]])}>${escapeXmlText(details)}</failure>\n    </testcase>\n`;
        suite.failures += 1;
      } else {
        xml += '/>\n';
      }
      suite.tests += 1;
      suite.cases.push({ rank: s.rank, xml });
    },
    async finish(context: ReportContext) {
      const timestamp = junitTimestamp(parseApiTime(context.completionTime) ?? parseApiTime(context.generatedAt) ?? new Date(0));
      await writer.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n');
      // By module name, case-insensitively, so the file does not depend on the order findings arrived in.
      const sortKey = (suite: ModuleSuite): string => `${suite.moduleName.toLowerCase()}\u0000${suite.moduleName}\u0000${suite.moduleId ?? ''}`;
      const ordered = [...suites.values()].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
      let id = 0;
      for (const suite of ordered) {
        const head = attributes([
          ['name', suite.moduleName.trim() === '' ? 'Unknown' : suite.moduleName],
          ['package', `insightappsec.${junitClassSegment(suite.moduleName)}`],
          ['id', id],
          ['timestamp', timestamp],
          ['hostname', hostname],
          ['tests', suite.tests],
          ['failures', suite.failures],
          ['errors', 0],
          ['time', 0],
        ]);
        await writer.write(`  <testsuite${head}>\n    <properties>\n`);
        await writer.write(property('module.id', suite.moduleId) + property('module.name', suite.moduleName));
        await writer.write('    </properties>\n');
        // Stable sort: most severe first, arrival order among equals.
        suite.cases.sort((a, b) => a.rank - b.rank);
        for (const c of suite.cases) await writer.write(c.xml);
        suite.cases = [];
        await writer.write('    <system-out/>\n    <system-err/>\n  </testsuite>\n');
        id += 1;
      }

      const gate = context.gate;
      const gateHead = attributes([
        ['name', 'InsightAppSec gate'],
        ['package', 'insightappsec.gate'],
        ['id', id],
        ['timestamp', timestamp],
        ['hostname', hostname],
        ['tests', 1],
        ['failures', gate !== null && !gate.passed ? 1 : 0],
        ['errors', 0],
        ...(gate === null ? ([['skipped', 1]] as [string, number][]) : []),
        ['time', 0],
      ]);
      const sentence = gateSentence(context, (t) => t);
      let gateCase = `    <testcase${attributes([['name', 'InsightAppSec gate'], ['classname', 'insightappsec.gate'], ['time', 0]])}`;
      if (gate === null) {
        gateCase += `>\n      <skipped${attributes([['message', 'No gate configured']])}>${escapeXmlText(sentence)}</skipped>\n    </testcase>\n`;
      } else if (!gate.passed) {
        gateCase += `>\n      <failure${attributes([['type', 'InsightAppSecGateFailed'], ['message', sentence]])}>${escapeXmlText(
          `${sentence}\nThe matching findings are the failed test cases of the module suites.`,
        )}</failure>\n    </testcase>\n`;
      } else {
        gateCase += '/>\n';
      }
      const summary = [
        `Scan ${context.scanId} (${context.status}) of application "${context.app.name}", scan configuration "${context.scanConfig.name}".`,
        `Findings: ${context.counts.total}.`,
        sentence,
      ].join('\n');
      await writer.write(`  <testsuite${gateHead}>\n    <properties>\n`);
      await writer.write(
        property('scan.id', context.scanId) +
          property('scan.status', context.status) +
          property('app.id', context.app.id) +
          property('app.name', context.app.name) +
          property('scanConfig.id', context.scanConfig.id) +
          property('scanConfig.name', context.scanConfig.name) +
          property('gate.query', gate?.query) +
          property('gate.failOn', gate?.failOn) +
          property('gate.matched', gate === null ? undefined : String(gate.matched)),
      );
      await writer.write(`    </properties>\n${gateCase}    <system-out>${escapeXmlText(summary)}</system-out>\n    <system-err/>\n  </testsuite>\n`);
      await writer.write('</testsuites>\n');
      await writer.close();
      return { format: 'junit', path: writer.path, notes: [] };
    },
  };
}
