import fc from 'fast-check';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import { fixtureContext, fixtureRecords, runReport } from './__golden__/fixtures';
import type { FindingRecord, ReportContext } from './finding-record';
import { createJunitReport, escapeXmlAttribute, escapeXmlText, JUNIT_FILE_NAME, junitClassSegment, junitTimestamp } from './junit';
import { createMemoryReportSink, createMemorySpool } from './sink';

// Core's tsconfig carries no Node types (core itself must not use Node), so the test reads schema files
// through this narrow, typed view of node:fs.
const nodeFs = 'node:fs';
const { readFileSync } = (await import(/* @vite-ignore */ nodeFs)) as { readFileSync(path: URL, encoding: 'utf8'): string };

// The schemas vendored in the repository (tooling/schemas).
const xsd = readFileSync(new URL('../../../../tooling/schemas/junit.xsd', import.meta.url), 'utf8');

async function validate(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({ xml: [{ fileName: JUNIT_FILE_NAME, contents: xml }], schema: [{ fileName: 'junit.xsd', contents: xsd }] });
  return { valid: result.valid, errors: result.errors.map((e) => e.rawMessage) };
}

async function build(records: Iterable<FindingRecord> = fixtureRecords(), context: ReportContext = fixtureContext()) {
  const sink = createMemoryReportSink();
  const outcome = await runReport(await createJunitReport(sink), records, context);
  return { xml: sink.files.get(JUNIT_FILE_NAME) ?? '', outcome };
}

function suites(xml: string): { name: string; tests: number; failures: number; skipped: string | undefined; body: string }[] {
  return [...xml.matchAll(/<testsuite ([^>]*)>([\s\S]*?)<\/testsuite>/g)].map((m) => {
    const attr = (name: string) => new RegExp(` ?${name}="([^"]*)"`).exec(` ${m[1]!}`)?.[1];
    return { name: attr('name')!, tests: Number(attr('tests')), failures: Number(attr('failures')), skipped: attr('skipped'), body: m[2]! };
  });
}

describe('JUnit report', () => {
  it('matches the golden file and the strict JUnit schema', async () => {
    const { xml, outcome } = await build();
    await expect(xml).toMatchFileSnapshot('./__golden__/insightappsec-scan-junit.xml');
    expect(await validate(xml)).toEqual({ valid: true, errors: [] });
    expect(outcome).toEqual({ format: 'junit', path: JUNIT_FILE_NAME, notes: [] });
  });

  it('writes one suite per module, then the gate suite, with a test case per vulnerability', async () => {
    const { xml } = await build();
    const all = suites(xml);
    expect(all.map((s) => s.name)).toEqual([
      'a1b2c3d4-0006-4000-8000-000000000006',
      'Autocomplete Enabled',
      'Clickjacking',
      'Cross-site Scripting',
      'Insecure Cookie',
      'SQL Injection',
      'Unknown',
      'InsightAppSec gate',
    ]);
    expect(all.slice(0, -1).reduce((n, s) => n + s.tests, 0)).toBe(8);
    const sqli = all.find((s) => s.name === 'SQL Injection')!;
    expect(sqli.body).toContain('name="[CRITICAL] POST https://shop.example.com/api/login [parameter: username]" classname="insightappsec.SQL_Injection"');
    expect(sqli.body.indexOf('[CRITICAL]')).toBeLessThan(sqli.body.indexOf('[HIGH]'));
  });

  it('fails exactly the findings that matched the gate', async () => {
    const records = fixtureRecords();
    const { xml } = await build(records);
    const findingSuites = suites(xml).slice(0, -1);
    const failures = findingSuites.reduce((n, s) => n + s.failures, 0);
    expect(failures).toBe(records.filter((r) => r.gateMatched).length);
    expect((xml.match(/<failure type="(CRITICAL|HIGH)"/g) ?? []).length).toBe(3);
    for (const s of findingSuites) expect((s.body.match(/<failure /g) ?? []).length).toBe(s.failures);
  });

  it.each([
    ['failed', { passed: false, matched: 3, failOn: 'HIGH' }, 1, undefined, '<failure type="InsightAppSecGateFailed"'],
    ['passed', { passed: true, matched: 0, failOn: 'CRITICAL' }, 0, undefined, '<testcase name="InsightAppSec gate" classname="insightappsec.gate" time="0"/>'],
    ['not configured', null, 0, '1', '<skipped message="No gate configured">'],
  ] as const)('records a %s gate as its own test case', async (_label, gate, failures, skipped, marker) => {
    const records = fixtureRecords().map((r) => ({ ...r, gateMatched: gate === null ? false : r.gateMatched && !gate.passed }));
    const { xml } = await build(records, fixtureContext({ gate }));
    const gateSuite = suites(xml).at(-1)!;
    expect(gateSuite).toMatchObject({ name: 'InsightAppSec gate', tests: 1, failures, skipped });
    expect(gateSuite.body).toContain(marker);
    expect(await validate(xml)).toEqual({ valid: true, errors: [] });
  });

  it('escapes markup and drops characters XML 1.0 forbids', async () => {
    const { xml } = await build();
    expect(xml).not.toMatch(/[^\t\n\r\u0020-\uFFFF]/);
    expect(xml).toContain('q=&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;a=1|2');
    expect(escapeXmlText('a\u0000b\uFFFEc\uD800d<&>')).toBe('a\uFFFDb\uFFFDc\uFFFDd&lt;&amp;&gt;');
    expect(escapeXmlAttribute('"it\'s"\n\t')).toBe('&quot;it&apos;s&quot;&#10;&#9;');
  });

  it('escapes an attribute as the two replaces alone do, the fast path for clean values included (property)', () => {
    const replaces = (text: string): string =>
      text
        .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
        .replace(/[&<>"'\t\n\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' })[c] ?? c);
    for (const edge of ['', 'plain', '\ud83d\ude00', '\ud800', 'a\udc00', '\ufffe', '\uffff', '\u0001', '\u007f\u0085']) expect(escapeXmlAttribute(edge)).toBe(replaces(edge));
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (input) => {
        expect(escapeXmlAttribute(input)).toBe(replaces(input));
      }),
      { numRuns: 2_000, seed: Number(process.env['IAS_FUZZ_SEED'] ?? 20_261_202) },
    );
  });

  it('writes a schema-valid file with no findings', async () => {
    const { xml } = await build([], fixtureContext({ counts: { total: 0, bySeverity: {}, byModule: {} }, gate: { passed: true, matched: 0 } }));
    expect(suites(xml).map((s) => s.name)).toEqual(['InsightAppSec gate']);
    expect(await validate(xml)).toEqual({ valid: true, errors: [] });
  });

  it.each([
    ['2026-11-23T07:41:12.004321', '2026-11-23T07:41:12'],
    ['2026-11-23T07:41:12+02:00', '2026-11-23T05:41:12'],
  ])('stamps suites with the completion time %s as %s (no fraction, no zone)', async (completionTime, stamp) => {
    const { xml } = await build(fixtureRecords().slice(0, 1), fixtureContext({ completionTime }));
    expect(xml).toContain(`timestamp="${stamp}"`);
    expect(junitTimestamp(new Date('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02T03:04:05');
  });

  it.each([
    ['SQL Injection', 'SQL_Injection'],
    ['Cross-site Scripting', 'Cross-site_Scripting'],
    ['a.b.c', 'a_b_c'],
    ['', 'Unknown'],
  ])('turns module %j into the classname segment %j', (name, segment) => {
    expect(junitClassSegment(name)).toBe(segment);
  });
});

describe('JUnit report memory', () => {
  it('moves rendered cases to the spool in batches and writes the same file as without spooling', async () => {
    const records = fixtureRecords();
    const reference = await build(records);
    const sink = createMemoryReportSink();
    const appended: number[] = [];
    const spooled = {
      create: sink.create.bind(sink),
      async createSpool() {
        const inner = createMemorySpool();
        return {
          async append(chunks: readonly string[]) {
            appended.push(...chunks.map((chunk) => chunk.length));
            return inner.append(chunks);
          },
          read: inner.read.bind(inner),
          close: inner.close.bind(inner),
        };
      },
    };
    // A threshold of one character spools after every finding: the hardest case for ordering.
    await runReport(await createJunitReport(spooled, { spoolThreshold: 1 }), records, fixtureContext());
    expect(appended).toHaveLength(records.length);
    expect(sink.files.get(JUNIT_FILE_NAME)).toBe(reference.xml);
  });

  it('falls back to memory when the sink has no spool', async () => {
    const sink = createMemoryReportSink();
    const plain = { create: sink.create.bind(sink) };
    await runReport(await createJunitReport(plain, { spoolThreshold: 1 }), fixtureRecords(), fixtureContext());
    expect(sink.files.get(JUNIT_FILE_NAME)).toBe((await build()).xml);
  });
});
