import type { FindingRecord, FindingSummary, ReportContext, StreamingReport } from './finding-record';
import { baseName, createSeveritySelection, orderedSeverityCounts, parseApiTime, summarizeFinding, topModules, truncate } from './finding-record';
import type { ReportSink } from './sink';

/** The markdown summary file name. */
export const MARKDOWN_FILE_NAME = 'insightappsec-scan-summary.md';

/** GitHub rejects a job summary above 1024 KiB (hosts.md §2.4); ours stays far below. */
export const GITHUB_SUMMARY_LIMIT_BYTES = 1024 * 1024;

/** Options of {@link createMarkdownSummary}. */
export interface MarkdownSummaryOptions {
  /**
   * File name passed to the sink.
   * @default 'insightappsec-scan-summary.md'
   */
  fileName?: string;
  /**
   * The most gate-matching findings listed (the most severe first); the rest are counted in a "… and N more" line.
   * @default 50
   */
  maxFindings?: number;
  /**
   * The most modules listed in the "Top modules" table.
   * @default 10
   */
  maxModules?: number;
  /**
   * The longest value (URL, parameter, name) shown in a table cell; longer ones end with `…`.
   * @default 200
   */
  maxCellLength?: number;
  /**
   * Size budget of the whole file in UTF-8 bytes: finding rows stop before it is reached.
   * @default 524288 (512 KiB, half of GitHub's job summary limit)
   */
  maxBytes?: number;
}

/**
 * Escapes user data for GitHub-flavoured markdown: HTML is neutralised (`&`, `<`, `>` as entities) and
 * characters that start emphasis, links, code, tables, math (`$`) or mentions (`@`) are backslash-escaped.
 * Newlines are kept; use {@link markdownCell} inside tables.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]|~$@#!]/g, (ch) => `\\${ch}`);
}

/** User data as an inline code span (one line, cut to `max`), fenced with more backticks than it holds. */
export function markdownCode(text: string, max = 500): string {
  const line = truncate(text.replace(/\s+/g, ' ').trim(), max);
  const longest = Math.max(0, ...[...line.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return line === '' ? '—' : `${fence}${pad}${line}${pad}${fence}`;
}

/** User data for one table cell: one line, cut to `max` characters, escaped; `—` when empty. */
export function markdownCell(text: string | undefined, max = 200): string {
  const line = (text ?? '').replace(/[\r\n\t\f\v\u2028\u2029]+/g, ' ').trim();
  return line === '' ? '—' : escapeMarkdown(truncate(line, max));
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

function formatTime(value: string | undefined): string | undefined {
  const date = parseApiTime(value);
  return date === undefined ? undefined : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The ✅/❌ verdict shared by the markdown and HTML reports. */
export function reportVerdict(context: ReportContext): { passed: boolean; title: string } {
  const failedScan = context.status.toUpperCase() === 'FAILED';
  if (failedScan) return { passed: false, title: 'scan failed' };
  if (context.gate === null) return { passed: true, title: 'no gate configured' };
  return context.gate.passed ? { passed: true, title: 'gate passed' } : { passed: false, title: 'gate failed' };
}

/** One sentence describing the gate result, with user data escaped by `escape`. */
export function gateSentence(context: ReportContext, escape: (text: string) => string): string {
  const gate = context.gate;
  if (gate === null) return 'No gate was configured: findings are reported, nothing fails the build.';
  const criteria: string[] = [];
  if (gate.query !== undefined && gate.query !== '') criteria.push(`query ${escape(gate.query)}`);
  if (gate.failOn !== undefined && gate.failOn !== '') criteria.push(`fail on ${escape(gate.failOn)} and above`);
  const by = criteria.length > 0 ? ` (${criteria.join('; ')})` : '';
  const noun = gate.matched === 1 ? 'finding' : 'findings';
  return gate.passed
    ? `Passed: ${gate.matched} ${noun} matched the gate${by}.`
    : `Failed: ${gate.matched} ${noun} matched the gate${by}.`;
}

/**
 * Creates the markdown summary (`insightappsec-scan-summary.md`) for GitHub job summaries, the Azure DevOps
 * summary tab and PR comments: verdict, scan facts, severity table, top modules, the gate result with up to
 * `maxFindings` matching findings, and links to the other reports.
 *
 * Memory: only gate-matching findings are summarised, in a selection bounded by `maxFindings`; the counts
 * come from the context. The file is written at `finish` and stays under `maxBytes`.
 */
export async function createMarkdownSummary(sink: ReportSink, options: MarkdownSummaryOptions = {}): Promise<StreamingReport> {
  const maxFindings = options.maxFindings ?? 50;
  const maxModules = options.maxModules ?? 10;
  const cellMax = options.maxCellLength ?? 200;
  const maxBytes = options.maxBytes ?? 512 * 1024;
  const writer = await sink.create(options.fileName ?? MARKDOWN_FILE_NAME);
  const matched = createSeveritySelection<FindingSummary>(maxFindings);

  return {
    format: 'markdown',
    async add(record: FindingRecord) {
      if (!record.gateMatched) return;
      const summary = summarizeFinding(record);
      matched.add(summary, summary.rank);
    },
    async finish(context: ReportContext) {
      const notes: string[] = [];
      const cell = (text: string | undefined): string => markdownCell(text, cellMax);
      const lines = [...factLines(context, cell), ...severityLines(context, cell), ...moduleLines(context, cell, maxModules)];
      lines.push('## Gate', '', gateSentence(context, (t) => markdownCode(t)), '');
      const rows = matched.items();
      if (rows.length > 0) {
        // Status too: a gate query may match findings triaged in InsightAppSec, which SARIF leaves out.
        lines.push('| Severity | Module | Method | URL | Parameter | Status |', '|---|---|---|---|---|---|');
      }
      const tail = tailLines(context, cell);
      let size = utf8Length(lines.join('\n')) + utf8Length(tail.join('\n')) + 256;
      let shown = 0;
      for (const s of rows) {
        const row = `| ${cell(s.severity)} | ${cell(s.moduleName)} | ${cell(s.method)} | ${cell(s.url)} | ${cell(s.parameter)} | ${cell(s.status)} |`;
        const rowSize = utf8Length(row) + 1;
        if (size + rowSize > maxBytes) break;
        lines.push(row);
        size += rowSize;
        shown += 1;
      }
      const more = matched.seen - shown;
      if (more > 0) {
        lines.push('', `… and ${more} more matching findings (see the HTML report or the SARIF file).`);
        if (shown < rows.length) notes.push(`Markdown summary: ${rows.length - shown} matching findings left out to stay under ${maxBytes} bytes.`);
      }
      await writer.write(`${lines.join('\n')}\n${tail.join('\n')}`);
      await writer.close();
      return { format: 'markdown', path: writer.path, notes };
    },
  };
}

type Cell = (text: string | undefined) => string;

/** The title (with the verdict) and the table of scan facts. */
function factLines(context: ReportContext, cell: Cell): string[] {
  const verdict = reportVerdict(context);
  const lines: string[] = [];
  lines.push(`# ${verdict.passed ? '✅' : '❌'} InsightAppSec scan: ${verdict.title}`, '');
  lines.push('| | |', '|---|---|');
  lines.push(`| Scan | ${cell(context.scanId)} |`);
  lines.push(`| Status | ${cell(context.status)} |`);
  lines.push(`| Application | ${cell(context.app.name)} |`);
  lines.push(`| Scan configuration | ${cell(context.scanConfig.name)} |`);
  const submitted = formatTime(context.submitTime);
  const completed = formatTime(context.completionTime);
  if (submitted !== undefined) lines.push(`| Submitted | ${submitted} |`);
  if (completed !== undefined) lines.push(`| Completed | ${completed} |`);
  lines.push(`| Findings | ${context.counts.total} |`);
  if (context.baseline !== undefined) lines.push(`| New / known / fixed | ${context.baseline.new} / ${context.baseline.known} / ${context.baseline.fixed} |`);
  if (context.suppressed !== undefined) lines.push(`| Suppressed | ${context.suppressed} |`);
  if (context.scanUrl !== undefined) lines.push(`| In InsightAppSec | [open the scan](<${context.scanUrl.replace(/[<>\s]/g, encodeURIComponent)}>) |`);
  lines.push('');
  return lines;
}

function severityLines(context: ReportContext, cell: Cell): string[] {
  const lines = ['## Findings by severity', '', '| Severity | Findings |', '|---|---:|'];
  for (const { severity, count } of orderedSeverityCounts(context.counts.bySeverity)) {
    lines.push(`| ${cell(severity)} | ${count} |`);
  }
  lines.push('');
  return lines;
}

function moduleLines(context: ReportContext, cell: Cell, maxModules: number): string[] {
  const modules = topModules(context.counts.byModule, maxModules);
  const lines = ['## Top modules', ''];
  if (modules.top.length === 0) {
    lines.push('No findings.');
  } else {
    lines.push('| Module | Findings |', '|---|---:|');
    for (const m of modules.top) lines.push(`| ${cell(m.name)} | ${m.count} |`);
    if (modules.otherModules > 0) {
      lines.push('', `… and ${modules.otherModules} more modules (${modules.otherFindings} findings).`);
    }
  }
  lines.push('');
  return lines;
}

/** What follows the findings: links to the other reports and the generator line. */
function tailLines(context: ReportContext, cell: Cell): string[] {
  const tail: string[] = [''];
  const others = context.reportFiles.filter((file) => file.format !== 'markdown');
  if (others.length > 0) {
    tail.push('## Reports', '');
    for (const file of others) {
      const name = baseName(file.path);
      tail.push(`- ${cell(file.format)}: [${escapeMarkdown(name)}](<${encodeURI(name).replace(/[<>]/g, encodeURIComponent)}>)`);
    }
    tail.push('');
  }
  tail.push(`_Generated ${cell(context.generatedAt)} by ${cell(context.tool.name)} ${cell(context.tool.version)}._`, '');
  return tail;
}
