import type { FindingRecord, ReportContext, StreamingReport } from './finding-record';
import { parseApiTime, summarizeFinding, truncate } from './finding-record';
import { gateSentence } from './markdown';
import { SEVERITY_RANK_COUNT } from './security-severity';
import type { ReportSink, ReportSpool } from './sink';
import { createBufferedWriter, createMemorySpool } from './sink';

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
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };
const escapeXmlChar = (c: string): string => XML_ESCAPES[c] ?? c;

/** Escapes text content for XML 1.0; characters XML forbids become U+FFFD. */
export function escapeXmlText(text: string): string {
  return text.replace(FORBIDDEN_XML, '\uFFFD').replace(XML_TEXT_SPECIAL, escapeXmlChar);
}

/** Escapes an attribute value for XML 1.0 (quotes, and whitespace kept through normalisation as references). */
export function escapeXmlAttribute(text: string): string {
  return text.replace(FORBIDDEN_XML, '\uFFFD').replace(XML_ATTRIBUTE_SPECIAL, escapeXmlChar);
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
  /** Per severity rank, the spool chunks holding this module's rendered `<testcase>` elements, in arrival order. */
  spooled: number[][];
  /** Per severity rank, rendered `<testcase>` elements not spooled yet (they arrived after every spooled one). */
  pending: string[][];
}

function rankBuckets<T>(): T[][] {
  return Array.from({ length: SEVERITY_RANK_COUNT }, () => []);
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
  const threshold = Math.max(1, options.spoolThreshold ?? 512 * 1024);
  const suites = new Map<string, ModuleSuite>();
  let spool: ReportSpool | undefined;
  let pendingChars = 0;

  const spoolPending = async (): Promise<void> => {
    spool ??= sink.createSpool === undefined ? createMemorySpool() : await sink.createSpool();
    for (const suite of suites.values()) {
      for (let rank = 0; rank < SEVERITY_RANK_COUNT; rank += 1) {
        const cases = suite.pending[rank];
        if (cases === undefined || cases.length === 0) continue;
        suite.spooled[rank]?.push(await spool.append(cases.join('')));
        suite.pending[rank] = [];
      }
    }
    pendingChars = 0;
  };

  return {
    format: 'junit',
    async add(record: FindingRecord) {
      const s = summarizeFinding(record);
      const key = record.moduleId ?? `name:${record.moduleName}`;
      let suite = suites.get(key);
      if (suite === undefined) {
        suite = { moduleId: record.moduleId, moduleName: s.moduleName, tests: 0, failures: 0, spooled: rankBuckets(), pending: rankBuckets() };
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
      suite.pending[Math.min(Math.max(0, Math.trunc(s.rank)), SEVERITY_RANK_COUNT - 1)]?.push(xml);
      pendingChars += xml.length;
      if (pendingChars >= threshold) await spoolPending();
    },
    async finish(context: ReportContext) {
      try {
        await writeFile(context);
      } finally {
        await spool?.close();
        spool = undefined;
      }
      return { format: 'junit', path: writer.path, notes: [] };
    },
  };

  async function writeFile(context: ReportContext): Promise<void> {
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
      // Most severe first; within a severity, spooled chunks (earlier arrivals) before pending cases.
      for (let rank = 0; rank < SEVERITY_RANK_COUNT; rank += 1) {
        for (const index of suite.spooled[rank] ?? []) await writer.write(await (spool as ReportSpool).read(index));
        for (const xml of suite.pending[rank] ?? []) await writer.write(xml);
      }
      suite.spooled = [];
      suite.pending = [];
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
  }
}
