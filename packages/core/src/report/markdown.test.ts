import { describe, expect, it } from 'vitest';
import { fixtureContext, fixtureRecords, runReport } from './__golden__/fixtures';
import type { FindingRecord, ReportContext } from './finding-record';
import type { MarkdownSummaryOptions } from './markdown';
import { createMarkdownSummary, escapeMarkdown, GITHUB_SUMMARY_LIMIT_BYTES, MARKDOWN_FILE_NAME, markdownCell, markdownCode } from './markdown';
import { createMemoryReportSink } from './sink';

async function build(records: Iterable<FindingRecord> = fixtureRecords(), context: ReportContext = fixtureContext(), options: MarkdownSummaryOptions = {}) {
  const sink = createMemoryReportSink();
  const outcome = await runReport(await createMarkdownSummary(sink, options), records, context);
  return { text: sink.files.get(MARKDOWN_FILE_NAME) ?? '', outcome };
}

function matching(i: number, url: string): FindingRecord {
  return {
    vulnerability: { id: `m-${i}`, severity: i % 2 === 0 ? 'HIGH' : 'CRITICAL', root_cause: { url, method: 'GET', parameter: `p${i}` } },
    moduleId: 'mod',
    moduleName: 'SQL Injection',
    attackId: undefined,
    gateMatched: true,
  };
}

describe('markdown summary', () => {
  it('matches the golden file', async () => {
    const { text, outcome } = await build();
    await expect(text).toMatchFileSnapshot('./__golden__/insightappsec-scan-summary.md');
    expect(outcome).toEqual({ format: 'markdown', path: MARKDOWN_FILE_NAME, notes: [] });
  });

  it.each([
    ['failed gate', { passed: false, matched: 3 }, 'COMPLETE', '# ❌ InsightAppSec scan: gate failed'],
    ['passed gate', { passed: true, matched: 0 }, 'COMPLETE', '# ✅ InsightAppSec scan: gate passed'],
    ['no gate', null, 'COMPLETE', '# ✅ InsightAppSec scan: no gate configured'],
    ['failed scan', null, 'FAILED', '# ❌ InsightAppSec scan: scan failed'],
  ] as const)('opens with the verdict for a %s', async (_label, gate, status, heading) => {
    const { text } = await build([], fixtureContext({ gate, status }));
    expect(text.split('\n')[0]).toBe(heading);
  });

  it('lists every severity, highest first, with unknown ones last', async () => {
    const { text } = await build();
    const table = text.slice(text.indexOf('## Findings by severity'), text.indexOf('## Top modules'));
    const rows = [...table.matchAll(/^\| (\w+) \| (\d+) \|$/gm)].map((m) => [m[1], Number(m[2])]);
    expect(rows).toEqual([
      ['CRITICAL', 1],
      ['HIGH', 2],
      ['MEDIUM', 1],
      ['LOW', 1],
      ['INFORMATIONAL', 1],
      ['SAFE', 1],
      ['SEVERE', 1],
    ]);
  });

  it('lists the matching findings, most severe first, and links the other reports', async () => {
    const { text } = await build();
    const rows = text.split('\n').filter((l) => /^\| (CRITICAL|HIGH) \| \D/.test(l));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toBe('| CRITICAL | SQL Injection | POST | https://shop.example.com/api/login | username | UNREVIEWED |');
    expect(text).toContain('- sarif: [insightappsec-scan.sarif](<insightappsec-scan.sarif>)');
    expect(text).toContain('- html: [insightappsec-scan-report.html](<insightappsec-scan-report.html>)');
    expect(text).not.toContain('[insightappsec-scan-summary.md]');
  });

  it('escapes table pipes, markdown syntax and HTML in user data', async () => {
    const { text } = await build();
    expect(text).toContain('https://shop.example.com/search?q=&lt;script&gt;alert("x")&lt;/script&gt;&amp;a=1\\|2');
    expect(text).not.toContain('<script>');
    expect(text).toContain('| Application | Shop &lt;Prod&gt; &amp; "Friends" |');
    expect(markdownCell('a|b\n*c* _d_ `e` [f](g) $x$ @team ~~s~~')).toBe('a\\|b \\*c\\* \\_d\\_ \\`e\\` \\[f\\](g) \\$x\\$ \\@team \\~\\~s\\~\\~');
    expect(markdownCell('')).toBe('—');
    expect(markdownCode("severity = 'HIGH'")).toBe("`severity = 'HIGH'`");
    expect(markdownCode('a `b` c')).toBe('``a `b` c``');
    expect(markdownCode('`x`')).toBe('`` `x` ``');
    expect(escapeMarkdown('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('caps the matching findings at 50 with an "and N more" line', async () => {
    const records = Array.from({ length: 120 }, (_, i) => matching(i, `https://x.example/${i}`));
    const { text } = await build(records, fixtureContext({ gate: { passed: false, matched: 120 } }));
    const rows = text.split('\n').filter((l) => /^\| (CRITICAL|HIGH) \| SQL/.test(l));
    expect(rows).toHaveLength(50);
    expect(rows.every((r) => r.startsWith('| CRITICAL |'))).toBe(true);
    expect(text).toContain('… and 70 more matching findings');
  });

  it('stays far below GitHub’s 1 MiB job summary limit with huge user data', async () => {
    const huge = `https://x.example/${'&|<'.repeat(100_000)}`;
    const records = Array.from({ length: 200 }, (_, i) => matching(i, huge));
    const byModule = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`${'M|'.repeat(10_000)}${i}`, i]));
    const context = fixtureContext({
      app: { id: 'a', name: 'A'.repeat(1_000_000) },
      counts: { total: 200, bySeverity: { HIGH: 100, CRITICAL: 100 }, byModule },
      gate: { passed: false, matched: 200, query: 'q'.repeat(1_000_000) },
    });
    const { text } = await build(records, context);
    const bytes = new TextEncoder().encode(text).length;
    expect(bytes).toBeLessThan(GITHUB_SUMMARY_LIMIT_BYTES / 2);
    expect(text).toContain('… and 490 more modules');
  });

  it('respects a smaller byte budget by listing fewer rows and saying so', async () => {
    const records = Array.from({ length: 50 }, (_, i) => matching(i, `https://x.example/${'a'.repeat(150)}`));
    const { text, outcome } = await build(records, fixtureContext({ gate: { passed: false, matched: 50 } }), { maxBytes: 8 * 1024 });
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(8 * 1024);
    expect(text).toMatch(/… and \d+ more matching findings/);
    expect(outcome.notes[0]).toMatch(/left out to stay under 8192 bytes/);
  });
});
