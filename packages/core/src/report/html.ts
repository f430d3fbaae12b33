import type { FindingRecord, FindingSummary, ReportContext, StreamingReport } from './finding-record';
import { baseName, createSeveritySelection, orderedSeverityCounts, parseApiTime, summarizeFinding, topModules, truncate } from './finding-record';
import { gateSentence, reportVerdict } from './markdown';
import type { ReportSink } from './sink';
import { createBufferedWriter } from './sink';

/** The HTML report file name. */
export const HTML_FILE_NAME = 'insightappsec-scan-report.html';

/** Options of {@link createHtmlReport}. */
export interface HtmlReportOptions {
  /**
   * File name passed to the sink.
   * @default 'insightappsec-scan-report.html'
   */
  fileName?: string;
  /**
   * The most findings listed in the table (the most severe first); a note says how many were left out.
   * @default 5000
   */
  maxRows?: number;
}

/** Escapes text for HTML element content and quoted attribute values; controls other than whitespace are dropped. */
export function escapeHtml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\u007E\u0080-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const SEVERITY_COLORS: Record<string, string> = {
  CRITICAL: '#7b1fa2',
  HIGH: '#c62828',
  MEDIUM: '#ef6c00',
  LOW: '#f9a825',
  INFORMATIONAL: '#1565c0',
  SAFE: '#2e7d32',
};
const OTHER_COLOR = '#616161';

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1f23;background:#f6f8fa}
main{max-width:1200px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 16px}h2{font-size:18px;margin:28px 0 10px}
.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:16px}
.verdict{font-weight:600;padding:10px 14px;border-radius:6px;margin:0 0 16px}
.pass{background:#dafbe1;border:1px solid #4ac26b}.fail{background:#ffebe9;border:1px solid #ff8182}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #d0d7de;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right}td.url{word-break:break-all}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}dt{font-weight:600}dd{margin:0;word-break:break-all}
.sev{display:inline-block;min-width:7em;font-weight:600}
.note{color:#57606a;font-style:italic}
svg text{font:12px system-ui,sans-serif}
`;

function severityColor(severity: string): string {
  return SEVERITY_COLORS[severity] ?? OTHER_COLOR;
}

function chart(counts: { severity: string; count: number }[]): string {
  const barHeight = 22;
  const gap = 8;
  const labelWidth = 120;
  const barMax = 520;
  const max = Math.max(1, ...counts.map((c) => c.count));
  const height = counts.length * (barHeight + gap) + gap;
  const width = labelWidth + barMax + 80;
  const rows = counts.map((c, i) => {
    const y = gap + i * (barHeight + gap);
    const w = c.count === 0 ? 0 : Math.max(2, Math.round((c.count / max) * barMax));
    const label = escapeHtml(truncate(c.severity, 16));
    return (
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${label}</text>` +
      `<rect x="${labelWidth}" y="${y}" width="${w}" height="${barHeight}" fill="${severityColor(c.severity)}" rx="3"><title>${label}: ${c.count}</title></rect>` +
      `<text x="${labelWidth + w + 6}" y="${y + 15}">${c.count}</text>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Findings by severity" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `${rows.join('')}</svg>`
  );
}

function formatTime(value: string | undefined): string | undefined {
  const date = parseApiTime(value);
  return date === undefined ? undefined : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function findingRow(s: FindingSummary): string {
  const cells = [
    `<td><span class="sev" style="color:${severityColor(s.severity)}">${escapeHtml(s.severity)}</span></td>`,
    `<td>${escapeHtml(s.moduleName)}</td>`,
    `<td>${escapeHtml(s.method)}</td>`,
    `<td class="url">${escapeHtml(s.url)}</td>`,
    `<td>${escapeHtml(s.parameter ?? '')}</td>`,
    `<td>${escapeHtml(s.status ?? '')}</td>`,
    `<td>${s.gateMatched ? 'yes' : ''}</td>`,
    `<td>${escapeHtml(s.message ?? '')}</td>`,
  ];
  return `<tr data-id="${escapeHtml(s.id)}">${cells.join('')}</tr>\n`;
}

/**
 * Creates the HTML report (`insightappsec-scan-report.html`): one self-contained page (inline CSS and SVG only;
 * a Content-Security-Policy forbids scripts and every network load) with the verdict, scan facts, a severity
 * chart, the top modules, the gate and a findings table. All finding data is HTML-escaped.
 *
 * Memory: findings are kept as compact summaries in a selection bounded by `maxRows` (most severe first); the
 * page is written at `finish`, row by row.
 */
export async function createHtmlReport(sink: ReportSink, options: HtmlReportOptions = {}): Promise<StreamingReport> {
  const maxRows = options.maxRows ?? 5000;
  const writer = createBufferedWriter(await sink.create(options.fileName ?? HTML_FILE_NAME));
  const selection = createSeveritySelection<FindingSummary>(maxRows);

  return {
    format: 'html',
    async add(record: FindingRecord) {
      const summary = summarizeFinding(record);
      selection.add(summary, summary.rank);
    },
    async finish(context: ReportContext) {
      const notes: string[] = [];
      const verdict = reportVerdict(context);
      const e = escapeHtml;
      const title = `InsightAppSec scan: ${verdict.title}`;
      await writer.write(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
          `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">\n` +
          '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
          `<title>${e(title)} (${e(context.app.name)})</title>\n<style>${STYLE}</style>\n</head>\n<body>\n<main>\n`,
      );
      await writer.write(`<h1>${e(title)}</h1>\n`);
      await writer.write(
        `<p class="verdict ${verdict.passed ? 'pass' : 'fail'}">${verdict.passed ? '✅' : '❌'} ${e(gateSentence(context, (t) => t))}</p>\n`,
      );

      const facts: [string, string | undefined][] = [
        ['Scan', context.scanId],
        ['Status', context.status],
        ['Application', context.app.name],
        ['Scan configuration', context.scanConfig.name],
        ['Submitted', formatTime(context.submitTime)],
        ['Completed', formatTime(context.completionTime)],
        ['Findings', String(context.counts.total)],
        ['Generated', `${context.generatedAt} by ${context.tool.name} ${context.tool.version}`],
      ];
      await writer.write('<h2>Summary</h2>\n<div class="card"><dl>\n');
      for (const [label, value] of facts) {
        if (value !== undefined) await writer.write(`<dt>${e(label)}</dt><dd>${e(value)}</dd>\n`);
      }
      await writer.write('</dl></div>\n');

      const severities = orderedSeverityCounts(context.counts.bySeverity);
      await writer.write(`<h2>Findings by severity</h2>\n<div class="card">${chart(severities)}</div>\n`);

      const modules = topModules(context.counts.byModule, 10);
      await writer.write('<h2>Top modules</h2>\n');
      if (modules.top.length === 0) {
        await writer.write('<p>No findings.</p>\n');
      } else {
        await writer.write('<table>\n<thead><tr><th>Module</th><th>Findings</th></tr></thead>\n<tbody>\n');
        for (const m of modules.top) await writer.write(`<tr><td>${e(m.name)}</td><td class="num">${m.count}</td></tr>\n`);
        await writer.write('</tbody>\n</table>\n');
        if (modules.otherModules > 0) {
          await writer.write(`<p class="note">… and ${modules.otherModules} more modules (${modules.otherFindings} findings).</p>\n`);
        }
      }

      await writer.write(`<h2>Gate</h2>\n<p>${e(gateSentence(context, (t) => t))}</p>\n`);

      await writer.write('<h2>Findings</h2>\n');
      if (selection.dropped > 0) {
        const text = `HTML report: the ${selection.seen - selection.dropped} most severe of ${selection.seen} findings are listed; ${selection.dropped} were left out (limit ${maxRows}).`;
        notes.push(text);
        await writer.write(`<p class="note">${e(text)} The findings file holds all of them.</p>\n`);
      }
      const rows = selection.items();
      if (rows.length === 0) {
        await writer.write('<p>No findings.</p>\n');
      } else {
        await writer.write(
          '<table>\n<thead><tr><th>Severity</th><th>Module</th><th>Method</th><th>URL</th><th>Parameter</th><th>Status</th><th>Gate</th><th>Detail</th></tr></thead>\n<tbody>\n',
        );
        for (const s of rows) await writer.write(findingRow(s));
        await writer.write('</tbody>\n</table>\n');
      }

      const others = context.reportFiles.filter((file) => file.format !== 'html');
      if (others.length > 0) {
        await writer.write('<h2>Reports</h2>\n<ul>\n');
        for (const file of others) {
          const name = baseName(file.path);
          await writer.write(`<li>${e(file.format)}: <a href="${e(encodeURIComponent(name))}">${e(name)}</a></li>\n`);
        }
        await writer.write('</ul>\n');
      }
      await writer.write('</main>\n</body>\n</html>\n');
      await writer.close();
      return { format: 'html', path: writer.path, notes };
    },
  };
}
