import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureContext, fixtureRecords, runReport } from './__golden__/fixtures';
import type { FindingRecord, ReportContext } from './finding-record';
import type { HtmlReportOptions } from './html';
import { createHtmlReport, escapeHtml, HTML_FILE_NAME, HTML_MAX_EXCHANGE, HTML_SCRIPT, htmlContentSecurityPolicy } from './html';

// Core's tsconfig carries no Node types for src, so the test reaches node:crypto through a narrow typed view.
const nodeCrypto = 'node:crypto';
const { createHash } = (await import(/* @vite-ignore */ nodeCrypto)) as {
  createHash(algorithm: 'sha256'): { update(text: string, encoding: 'utf8'): { digest(encoding: 'base64'): string } };
};
import { createMemoryReportSink } from './sink';

async function build(records: Iterable<FindingRecord> = fixtureRecords(), context: ReportContext = fixtureContext(), options: HtmlReportOptions = {}) {
  const sink = createMemoryReportSink();
  const outcome = await runReport(await createHtmlReport(sink, options), records, context);
  return { html: sink.files.get(HTML_FILE_NAME) ?? '', outcome };
}

const hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>';

function hostileRecord(): FindingRecord {
  return {
    vulnerability: {
      id: `id${hostile}`,
      severity: `HIGH${hostile}`,
      status: hostile,
      root_cause: { url: `https://x.example/${hostile}`, method: `GET${hostile}`, parameter: `p${hostile}` },
      variances: [{ module: { id: 'm' }, attack: { id: 'a' }, message: `<svg onload=alert(3)>` }],
    },
    moduleId: 'm',
    moduleName: `Module</td>${hostile}`,
    attackId: 'a',
    gateMatched: true,
  };
}

describe('HTML report', () => {
  it('matches the golden file', async () => {
    const { html, outcome } = await build();
    await expect(html).toMatchFileSnapshot('./__golden__/insightappsec-scan-report.html');
    expect(outcome).toEqual({ format: 'html', path: HTML_FILE_NAME, notes: [] });
  });

  it('is self-contained: one constant inline script allowed by its hash, no external resources', async () => {
    const { html } = await build();
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain(`<script>${HTML_SCRIPT}</script>`);
    expect(html).not.toMatch(/<link|<iframe|<object|<embed|@import|url\(/i);
    expect(html).not.toMatch(/\s(src|srcset)=/i);
    const hash = createHash('sha256').update(HTML_SCRIPT, 'utf8').digest('base64');
    const csp = await htmlContentSecurityPolicy();
    expect(csp).toBe(`default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'`);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${csp}">`);
    expect(HTML_SCRIPT).not.toMatch(/fetch|XMLHttpRequest|import\(|eval|innerHTML|src/);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs.every((h) => h !== undefined && !/^[a-z]+:|^\/\//i.test(h))).toBe(true);
  });

  it('lists every module with its findings per severity', async () => {
    const { html } = await build();
    const table = html.slice(html.indexOf('<table id="modules">'), html.indexOf('</table>', html.indexOf('<table id="modules">')));
    expect(table.match(/<tr><td>/g)).toHaveLength(7);
    expect(table).toContain('<tr><td>SQL Injection</td><td class="num">2</td><td class="num">1</td><td class="num">1</td>');
  });

  it('collapses each finding\'s details: root cause, variances and truncated exchanges', async () => {
    const records = fixtureRecords();
    const { html } = await build(records);
    expect(html.match(/<details>/g)).toHaveLength(8);
    expect(html).not.toMatch(/<details open/);
    expect(html).toContain('<dt>Root cause</dt><dd>POST https://shop.example.com/api/login (parameter username)</dd>');
    expect(html).toContain('<p>Original request</p><pre>POST /api/login HTTP/1.1');
    expect(html).toContain('&lt;script&gt;welcome(&quot;admin&quot;)&lt;/script&gt;');
    const big = records[0]!;
    const huge = { ...big, vulnerability: { ...big.vulnerability, variances: [{ ...big.vulnerability.variances![0]!, original_exchange: { request: 'A'.repeat(100_000), response: 'B'.repeat(100_000) } }] } };
    const { html: cut } = await build([huge]);
    expect(cut).toContain(`<pre>${'A'.repeat(HTML_MAX_EXCHANGE - 1)}…</pre>`);
    expect(cut.length).toBeLessThan(60_000);
  });

  it('offers a text filter, a severity filter and paging (hidden until the script runs)', async () => {
    const { html } = await build();
    expect(html).toContain('<div class="controls" id="findings-controls" hidden>');
    expect(html).toContain('<option value="CRITICAL">CRITICAL (1)</option>');
    expect(html).not.toContain('<option value="MEDIUM">MEDIUM (0)</option>');
    expect(html).toContain('<tr data-id="c0ffee00-0000-4000-8000-000000000003" data-severity="CRITICAL">');
  });

  it('draws the severity chart as inline SVG bars, one per severity', async () => {
    const { html } = await build();
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    expect(svg.match(/<rect /g)).toHaveLength(7);
    expect(svg).toContain('<title>CRITICAL: 1</title>');
    expect(svg).toContain('<title>SEVERE: 1</title>');
  });

  it('shows the verdict, the summary and every finding', async () => {
    const { html } = await build();
    expect(html).toContain('<p class="verdict fail">❌ Failed: 3 findings matched the gate');
    expect(html).toContain('<dt>Application</dt><dd>Shop &lt;Prod&gt; &amp; &quot;Friends&quot;</dd>');
    expect(html.match(/<tr data-id=/g)).toHaveLength(8);
    expect(html).toContain('<a href="insightappsec-scan.sarif">insightappsec-scan.sarif</a>');
  });

  it.each([
    ['URL, parameter, method, severity, status and module', [hostileRecord()], fixtureContext()],
    [
      'application, configuration, scan id and gate query',
      [],
      fixtureContext({
        scanId: hostile,
        status: hostile,
        app: { id: 'a', name: hostile },
        scanConfig: { id: 'c', name: hostile },
        gate: { passed: false, matched: 1, query: hostile, failOn: hostile },
        counts: { total: 1, bySeverity: { [hostile]: 1 }, byModule: { [hostile]: 1 } },
        reportFiles: [{ format: hostile, path: `/out/${hostile}` }],
      }),
    ],
  ])('makes HTML injection through the %s impossible', async (_label, records, context) => {
    const { html } = await build(records, context);
    // The only script is the page's own constant one.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html.match(/<\/script/gi)).toHaveLength(1);
    expect(html).toContain(`<script>${HTML_SCRIPT}</script>`);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<svg onload');
    // No element gains an event handler: with quoted attribute values blanked, no `on…=` is left inside a tag.
    expect(html.replace(/"[^"]*"/g, '""')).not.toMatch(/<[a-z]+[^>]*\son[a-z]+=/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('caps the findings table and says how many were left out', async () => {
    const records = fixtureRecords();
    const { html, outcome } = await build(records, fixtureContext(), { maxRows: 3 });
    expect(html.match(/<tr data-id=/g)).toHaveLength(3);
    expect(html).toContain('the 3 most severe of 8 findings are listed; 5 were left out (limit 3).');
    expect(outcome.notes).toEqual(['HTML report: the 3 most severe of 8 findings are listed; 5 were left out (limit 3).']);
  });

  it('escapes quotes and drops control characters', () => {
    expect(escapeHtml(`a"b'c<d>&\u0000\u0007e\n`)).toBe('a&quot;b&#39;c&lt;d&gt;&amp;e\n');
  });

  it('escapes as one pass over a character table would, for any text (property)', () => {
    const table: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
    const reference = (text: string): string => text.replace(/[^\t\n\r\u0020-\u007E\u0080-\u{10FFFF}]/gu, '').replace(/[&<>"']/g, (c) => table[c] ?? c);
    const pieces = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('&amp;', '<script>', '"\'', '\u007f', '\u0000', '\ud800', '😀'));
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 5 }).map((parts) => parts.join('')), (text) => {
        expect(escapeHtml(text)).toBe(reference(text));
      }),
      { numRuns: 2_000, seed: Number(process.env['IAS_FUZZ_SEED'] ?? 20_261_202) },
    );
  });
});
