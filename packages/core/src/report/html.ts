import { escapeHtml, HTML_FILE_NAME } from './report-files';
import type { Variance } from '../api/schemas';
import type { FindingRecord, FindingSummary, ReportContext, SeveritySelection, StreamingReport } from './finding-record';
import { baseName, createSeveritySelection, orderedSeverityCounts, parseApiTime, summarizeFinding, truncate } from './finding-record';
import { gateSentence, reportVerdict } from './markdown';
import type { ReportSink, ReportWriter } from './sink';
import { createBufferedWriter } from './sink';
import { rememberByText } from './remember';

/** The HTML report file name. */
export { HTML_FILE_NAME };

/** Options of {@link createHtmlReport}. */
export interface HtmlReportOptions {
  /**
   * File name passed to the sink.
   * @default 'insightappsec-scan-report.html'
   */
  fileName?: string;
  /**
   * The most findings rendered in the table (the most severe first); a note says how many were left out. The
   * page shows them {@link HTML_PAGE_SIZE} at a time.
   * @default 2000
   */
  maxRows?: number;
  /**
   * The most modules listed in the module table (most findings first); a note counts the rest.
   * @default 200
   */
  maxModules?: number;
}

export { escapeHtml };

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
.controls{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;margin:0 0 10px}
.controls input[type=search]{min-width:18em;padding:4px 6px}
details summary{cursor:pointer;color:#0969da}
details dl{margin:6px 0}
pre{white-space:pre-wrap;word-break:break-all;background:#f6f8fa;border:1px solid #d0d7de;border-radius:4px;padding:6px;margin:4px 0;max-height:20em;overflow:auto;font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
h4{margin:8px 0 4px;font-size:13px}
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

// Findings of one scan share their times: each text is parsed once.
const shownTime = rememberByText((value): string | undefined => {
  const date = parseApiTime(value);
  return date === undefined ? undefined : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
});

function formatTime(value: string | undefined): string | undefined {
  return value === undefined ? undefined : shownTime(value);
}

/** Rows shown per page of the findings table (the page's script pages through the rendered rows). */
export const HTML_PAGE_SIZE = 100;

/** The longest request or response text kept per exchange in a finding's details; longer ones end with `…`. */
export const HTML_MAX_EXCHANGE = 600;

/** The most variances detailed per finding (a line counts the rest). */
const MAX_VARIANCES = 3;
/** The longest other free text (message, proof, values) in a finding's details. */
const MAX_DETAIL_FIELD = 400;

/**
 * The page's only script: text and severity filters and paging over the rendered rows. Constant (no data in
 * it), so the Content-Security-Policy allows exactly this script by its SHA-256 hash. It is plain ES5 with no
 * network access; without scripts the page still shows every rendered row.
 */
export const HTML_SCRIPT = `(function () {
  'use strict';
  var body = document.getElementById('findings-body');
  var controls = document.getElementById('findings-controls');
  if (!body || !controls) return;
  var text = document.getElementById('filter-text');
  var severity = document.getElementById('filter-severity');
  var prev = document.getElementById('page-prev');
  var next = document.getElementById('page-next');
  var status = document.getElementById('filter-status');
  var rows = Array.prototype.slice.call(body.rows);
  var haystack = rows.map(function (row) { return (row.textContent || '').toLowerCase(); });
  var size = ${HTML_PAGE_SIZE};
  var page = 0;
  function apply() {
    var needle = text.value.trim().toLowerCase();
    var wanted = severity.value;
    var matched = [];
    for (var i = 0; i < rows.length; i += 1) {
      var ok = (wanted === '' || rows[i].getAttribute('data-severity') === wanted) && (needle === '' || haystack[i].indexOf(needle) !== -1);
      if (ok) matched.push(i);
    }
    var pages = Math.max(1, Math.ceil(matched.length / size));
    if (page > pages - 1) page = pages - 1;
    if (page < 0) page = 0;
    var from = page * size;
    var to = Math.min(matched.length, from + size);
    for (var j = 0; j < rows.length; j += 1) rows[j].hidden = true;
    for (var k = from; k < to; k += 1) rows[matched[k]].hidden = false;
    status.textContent = matched.length === 0
      ? 'No listed finding matches the filters.'
      : 'Showing ' + (from + 1) + '\\u2013' + to + ' of ' + matched.length + ' matching (' + rows.length + ' listed), page ' + (page + 1) + ' of ' + pages + '.';
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }
  text.addEventListener('input', function () { page = 0; apply(); });
  severity.addEventListener('change', function () { page = 0; apply(); });
  prev.addEventListener('click', function () { page -= 1; apply(); });
  next.addEventListener('click', function () { page += 1; apply(); });
  controls.hidden = false;
  apply();
})();
`;

let scriptHash: Promise<string> | undefined;

/** The CSP source of {@link HTML_SCRIPT}: `'sha256-…'` (Web Crypto, present in Node 20+ and browsers). */
export function htmlScriptHash(): Promise<string> {
  scriptHash ??= crypto.subtle.digest('SHA-256', new TextEncoder().encode(HTML_SCRIPT)).then((digest) => {
    let binary = '';
    for (const byte of new Uint8Array(digest)) binary += String.fromCharCode(byte);
    return `'sha256-${btoa(binary)}'`;
  });
  return scriptHash;
}

/** The Content-Security-Policy of the page: nothing from the network, inline styles, and only our script. */
export async function htmlContentSecurityPolicy(): Promise<string> {
  return `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src ${await htmlScriptHash()}; base-uri 'none'; form-action 'none'`;
}

function text(value: unknown, max = MAX_DETAIL_FIELD): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  return truncate(value, max);
}

interface ExchangeText {
  label: string;
  request: string | undefined;
  response: string | undefined;
}

function exchangeOf(value: unknown, label: string): ExchangeText | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const request = text(record['request'], HTML_MAX_EXCHANGE);
  const response = text(record['response'], HTML_MAX_EXCHANGE);
  return request === undefined && response === undefined ? undefined : { label, request, response };
}

function definitions(pairs: [string, string | undefined][]): string {
  // An index loop, no destructuring: this runs several times for every finding with details.
  let items = '';
  for (let i = 0; i < pairs.length; i += 1) {
    const pair = pairs[i]!;
    if (pair[1] !== undefined) items += `<dt>${escapeHtml(pair[0])}</dt><dd>${escapeHtml(pair[1])}</dd>`;
  }
  return items === '' ? '' : `<dl>${items}</dl>`;
}

function varianceDetails(variance: Variance, index: number, total: number): string {
  const extra = variance as Record<string, unknown>;
  let html = `<h4>Variance ${index + 1} of ${total}</h4>`;
  html += definitions([
    ['Message', text(variance.message)],
    ['Attack', text(variance.attack?.id ?? undefined)],
    ['Proof', text(variance.proof_description) ?? text(variance.proof)],
    ['Original value', text(variance.original_value)],
    ['Attack value', text(variance.attack_value)],
  ]);
  const exchanges: ExchangeText[] = [];
  const original = exchangeOf(extra['original_exchange'], 'Original');
  if (original !== undefined) exchanges.push(original);
  const attacks = Array.isArray(extra['attack_exchanges']) ? (extra['attack_exchanges'] as unknown[]) : [];
  const attack = exchangeOf(attacks[0], attacks.length > 1 ? `Attack (1 of ${attacks.length})` : 'Attack');
  if (attack !== undefined) exchanges.push(attack);
  for (const e of exchanges) {
    if (e.request !== undefined) html += `<p>${escapeHtml(e.label)} request</p><pre>${escapeHtml(e.request)}</pre>`;
    if (e.response !== undefined) html += `<p>${escapeHtml(e.label)} response</p><pre>${escapeHtml(e.response)}</pre>`;
  }
  return html;
}

/**
 * A finding's collapsed details: root cause, facts, and its first variances with their exchanges, every text
 * truncated, so one finding's details stay within a few kilobytes whatever the API sent.
 */
function findingDetails(record: FindingRecord, s: FindingSummary): string {
  const v = record.vulnerability;
  const rootCause = `${s.method} ${s.url || '(no URL)'}${s.parameter === undefined ? '' : ` (parameter ${truncate(s.parameter, MAX_DETAIL_FIELD)})`}`;
  let html = '<details><summary>Details</summary>';
  html += definitions([
    ['Root cause', truncate(rootCause, MAX_DETAIL_FIELD * 3)],
    ['Vulnerability', s.id],
    ['Module', s.moduleId === undefined ? s.moduleName : `${s.moduleName} (${s.moduleId})`],
    ['Score', s.score === undefined ? undefined : String(s.score)],
    ['Vector', text(v.vector_string)],
    ['First discovered', formatTime(v.first_discovered ?? undefined)],
    ['Last discovered', formatTime(v.last_discovered ?? undefined)],
    ['New', s.newlyDiscovered === undefined ? undefined : s.newlyDiscovered ? 'yes' : 'no'],
  ]);
  const variances = v.variances ?? [];
  if (variances.length === 0) html += '<p class="note">No variances.</p>';
  variances.slice(0, MAX_VARIANCES).forEach((variance, index) => {
    html += varianceDetails(variance, index, variances.length);
  });
  if (variances.length > MAX_VARIANCES) html += `<p class="note">… and ${variances.length - MAX_VARIANCES} more variances (see the findings file).</p>`;
  return `${html}</details>`;
}

/**
 * A listed finding until `finish`: its summary, and its details rendered and held as UTF-8 bytes. Bytes live outside
 * the JavaScript heap, so the young-generation collections that run all through a collection do not copy the
 * details of up to `maxRows` findings again and again, and mostly-ASCII details take half the memory of two-byte
 * text (peak RSS about 13 MiB lower at 5,000 findings, tooling/bench).
 */
interface HtmlRow {
  summary: FindingSummary;
  details: Uint8Array | undefined;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

function findingRow(row: HtmlRow): string {
  const s = row.summary;
  const cells = [
    `<td><span class="sev" style="color:${severityColor(s.severity)}">${escapeHtml(s.severity)}</span></td>`,
    `<td>${escapeHtml(s.moduleName)}</td>`,
    `<td>${escapeHtml(s.method)}</td>`,
    `<td class="url">${escapeHtml(s.url)}</td>`,
    `<td>${escapeHtml(s.parameter ?? '')}</td>`,
    `<td>${escapeHtml(s.status ?? '')}</td>`,
    `<td>${s.gateMatched ? 'yes' : ''}</td>`,
    `<td>${escapeHtml(s.message ?? '')}${row.details === undefined ? '' : fromUtf8.decode(row.details)}</td>`,
  ];
  return `<tr data-id="${escapeHtml(s.id)}" data-severity="${escapeHtml(s.severity)}">${cells.join('')}</tr>\n`;
}

const MODULE_COLUMNS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'SAFE'] as const;

type SeverityCount = ReturnType<typeof orderedSeverityCounts>[number];

interface ModuleTally {
  name: string;
  total: number;
  bySeverity: Map<string, number>;
}

/**
 * Creates the HTML report (`insightappsec-scan-report.html`): one self-contained page that loads nothing from
 * the network (inline CSS, SVG and one constant script; the Content-Security-Policy forbids every network load
 * and allows only that script, by hash). It holds the verdict, scan facts, a severity chart, a module table
 * (findings per severity), the gate, and a findings table with a text filter, a severity filter and paging;
 * each finding's details (root cause, variances, request/response exchanges) are collapsed in `<details>`.
 * All finding data is HTML-escaped.
 *
 * Scale and memory: at most `maxRows` findings are rendered (the most severe first; a note says how many were
 * left out and that the findings file holds all), each kept until `finish` as a compact summary plus its
 * details pre-rendered with every text truncated (exchanges to {@link HTML_MAX_EXCHANGE} characters) and held as
 * UTF-8 bytes ({@link HtmlRow}), so memory
 * is bounded by `maxRows` whatever the number of findings; per-module counters are the only other state. The
 * page is written at `finish`, row by row.
 */
export async function createHtmlReport(sink: ReportSink, options: HtmlReportOptions = {}): Promise<StreamingReport> {
  const maxRows = options.maxRows ?? 2000;
  const maxModules = options.maxModules ?? 200;
  const writer = createBufferedWriter(await sink.create(options.fileName ?? HTML_FILE_NAME));
  const selection = createSeveritySelection<HtmlRow>(maxRows);
  const modules = new Map<string, ModuleTally>();

  return {
    format: 'html',
    async add(record: FindingRecord) {
      const summary = summarizeFinding(record);
      countModule(modules, summary);
      if (selection.accepts(summary.rank)) selection.add({ summary, details: utf8.encode(findingDetails(record, summary)) }, summary.rank);
      else selection.add({ summary, details: undefined }, summary.rank);
    },
    async finish(context: ReportContext) {
      const severities = orderedSeverityCounts(context.counts.bySeverity);
      await writeHead(writer, context);
      await writeFacts(writer, context);
      await writer.write(`<h2>Findings by severity</h2>\n<div class="card" id="severity-chart">${chart(severities)}</div>\n`);
      await writeModules(writer, [...modules.values()], maxModules);
      await writer.write(`<h2>Gate</h2>\n<p>${escapeHtml(gateSentence(context, (t) => t))}</p>\n`);
      const notes = await writeFindings(writer, selection, severities, maxRows);
      await writeReportLinks(writer, context);
      await writer.write(`</main>\n<script>${HTML_SCRIPT}</script>\n</body>\n</html>\n`);
      await writer.close();
      return { format: 'html', path: writer.path, notes };
    },
  };
}

function countModule(modules: Map<string, ModuleTally>, summary: FindingSummary): void {
  let tally = modules.get(summary.moduleName);
  if (tally === undefined) {
    tally = { name: summary.moduleName, total: 0, bySeverity: new Map() };
    modules.set(summary.moduleName, tally);
  }
  tally.total += 1;
  tally.bySeverity.set(summary.severity, (tally.bySeverity.get(summary.severity) ?? 0) + 1);
}

/** The document head, the title and the verdict. */
async function writeHead(writer: ReportWriter, context: ReportContext): Promise<void> {
  const e = escapeHtml;
  const verdict = reportVerdict(context);
  const title = `InsightAppSec scan: ${verdict.title}`;
  await writer.write(
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
      `<meta http-equiv="Content-Security-Policy" content="${await htmlContentSecurityPolicy()}">\n` +
      '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
      `<title>${e(title)} (${e(context.app.name)})</title>\n<style>${STYLE}</style>\n</head>\n<body>\n<main>\n`,
  );
  await writer.write(`<h1>${e(title)}</h1>\n`);
  await writer.write(
    `<p class="verdict ${verdict.passed ? 'pass' : 'fail'}">${verdict.passed ? '✅' : '❌'} ${e(gateSentence(context, (t) => t))}</p>\n`,
  );
}

/** The summary card: scan facts. */
async function writeFacts(writer: ReportWriter, context: ReportContext): Promise<void> {
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
    if (value !== undefined) await writer.write(`<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>\n`);
  }
  await writer.write('</dl></div>\n');
}

/** The module table, most findings first, at most `maxModules` rows. */
async function writeModules(writer: ReportWriter, modules: ModuleTally[], maxModules: number): Promise<void> {
  const byCount = [...modules].sort((a, b) => b.total - a.total || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  await writer.write('<h2>Modules</h2>\n');
  if (byCount.length === 0) {
    await writer.write('<p>No findings.</p>\n');
    return;
  }
  const head = ['Module', 'Findings', ...MODULE_COLUMNS.map((s) => s.charAt(0) + s.slice(1).toLowerCase()), 'Other'];
  await writer.write(`<table id="modules">\n<thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead>\n<tbody>\n`);
  for (const m of byCount.slice(0, maxModules)) {
    const known = MODULE_COLUMNS.map((s) => m.bySeverity.get(s) ?? 0);
    const other = m.total - known.reduce((sum, n) => sum + n, 0);
    const cells = [m.total, ...known, other].map((n) => `<td class="num">${n}</td>`).join('');
    await writer.write(`<tr><td>${escapeHtml(m.name)}</td>${cells}</tr>\n`);
  }
  await writer.write('</tbody>\n</table>\n');
  if (byCount.length > maxModules) {
    const rest = byCount.slice(maxModules);
    await writer.write(`<p class="note">… and ${rest.length} more modules (${rest.reduce((n, m) => n + m.total, 0)} findings).</p>\n`);
  }
}

/** The findings section: the note when rows were left out, the controls and the table. Resolves to the notes. */
async function writeFindings(writer: ReportWriter, selection: SeveritySelection<HtmlRow>, severities: SeverityCount[], maxRows: number): Promise<string[]> {
  const notes: string[] = [];
  await writer.write('<h2>Findings</h2>\n');
  if (selection.dropped > 0) {
    const note = `HTML report: the ${selection.seen - selection.dropped} most severe of ${selection.seen} findings are listed; ${selection.dropped} were left out (limit ${maxRows}).`;
    notes.push(note);
    await writer.write(`<p class="note">${escapeHtml(note)} The findings file holds all of them.</p>\n`);
  }
  const rows = selection.items();
  if (rows.length === 0) {
    await writer.write('<p>No findings.</p>\n');
    return notes;
  }
  await writer.write(findingControls(severities));
  await writer.write(
    '<table id="findings">\n<thead><tr><th>Severity</th><th>Module</th><th>Method</th><th>URL</th><th>Parameter</th><th>Status</th><th>Gate</th><th>Details</th></tr></thead>\n<tbody id="findings-body">\n',
  );
  for (const row of rows) await writer.write(findingRow(row));
  await writer.write('</tbody>\n</table>\n');
  return notes;
}

/** The text filter, severity filter and paging buttons (hidden until the script shows them). */
function findingControls(severities: SeverityCount[]): string {
  const e = escapeHtml;
  const options = severities.filter((c) => c.count > 0).map((c) => `<option value="${e(c.severity)}">${e(c.severity)} (${c.count})</option>`);
  return (
    '<div class="controls" id="findings-controls" hidden>\n' +
    '<label>Filter <input type="search" id="filter-text" placeholder="URL, module, parameter, text…" autocomplete="off"></label>\n' +
    `<label>Severity <select id="filter-severity"><option value="">All</option>${options.join('')}</select></label>\n` +
    '<button type="button" id="page-prev">Previous</button><button type="button" id="page-next">Next</button>\n' +
    '<span id="filter-status" role="status"></span>\n</div>\n'
  );
}

/** Links to the run's other report files, written next to this one. */
async function writeReportLinks(writer: ReportWriter, context: ReportContext): Promise<void> {
  const others = context.reportFiles.filter((file) => file.format !== 'html');
  if (others.length === 0) return;
  await writer.write('<h2>Reports</h2>\n<ul>\n');
  for (const file of others) {
    const name = baseName(file.path);
    await writer.write(`<li>${escapeHtml(file.format)}: <a href="${escapeHtml(encodeURIComponent(name))}">${escapeHtml(name)}</a></li>\n`);
  }
  await writer.write('</ul>\n');
}
