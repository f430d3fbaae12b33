import type { AttackDocumentation } from '../api/schemas';
import { fingerprintOf, SARIF_ROOT_CAUSE_FINGERPRINT } from '../gate/fingerprint';
import type { FindingRecord, FindingSummary, ReportContext, RuleInfo, StreamingReport } from './finding-record';
import { parseApiTime, ruleKey, summarizeFinding, truncate } from './finding-record';
import { escapeMarkdown } from './markdown';
import { SEVERITY_RANK_COUNT, securitySeverity, sarifLevel } from './security-severity';
import type { ReportSink, ReportWriter } from './sink';
import { createBufferedWriter } from './sink';
import type { RankedQueue } from './spool';
import { clampRank, createSeveritySpooler } from './spool';
import { rememberByText } from './remember';

/** The SARIF file name. */
export const SARIF_FILE_NAME = 'insightappsec-scan.sarif';

/** The schema URI written into `$schema` (the OASIS 2.1.0 errata 01 schema that tests validate against). */
export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** GitHub's limit of results per run (hosts.md §2.5); a larger run is rejected on upload. */
export const GITHUB_MAX_RESULTS_PER_RUN = 25_000;

/** The `partialFingerprints` key under which the root-cause hash is written. Changing it re-opens every alert. */
export const FINGERPRINT_KEY = 'insightappsecRootCause/v1';

/** Options of {@link createSarifReport}. */
export interface SarifReportOptions {
  /**
   * File name passed to the sink.
   * @default 'insightappsec-scan.sarif'
   */
  fileName?: string;
  /**
   * The most results written; above it the most severe are kept (earliest first among equals) and the cut is
   * reported in `run.invocations[0].toolExecutionNotifications` and in the returned notes.
   * @default 25000 (GitHub's results-per-run limit)
   */
  maxResults?: number;
  /**
   * A repository file to point every result's physical location at (for example the OpenAPI definition).
   * By default each result points at a stable pseudo-path built from the finding's host and path
   * (`shop.example.com/api/login`), line 1, since a DAST finding has no source file.
   */
  artifactUri?: string;
  /**
   * Rendered results are held in memory up to about this many characters, then moved to the sink's spool.
   * @default 524288
   */
  spoolThreshold?: number;
  /**
   * Finding statuses left out of the file (compared case-insensitively). Code scanning does not honour SARIF
   * suppressions, so a triaged finding written here reopens as an alert on every upload.
   * @default {@link SARIF_DEFAULT_LEFT_OUT_STATUSES}; `[]` writes every finding
   */
  leaveOutStatuses?: readonly string[];
}

/** Statuses SARIF leaves out unless told otherwise: reviewed as not a problem (FALSE_POSITIVE, IGNORED, DUPLICATE), or fixed. */
export const SARIF_DEFAULT_LEFT_OUT_STATUSES: readonly string[] = ['FALSE_POSITIVE', 'IGNORED', 'DUPLICATE', 'REMEDIATED'];

/** The stable SARIF rule id of a module/attack pair. */
export function sarifRuleId(moduleId: string | undefined, attackId: string | undefined): string {
  return `insightappsec/${moduleId ?? 'unknown-module'}${attackId === undefined ? '' : `/${attackId}`}`;
}

/** A result's root cause; the app id comes from the vulnerability, or from the context at `finish`. */
interface ResultRootCause {
  url: string;
  method: string;
  parameter: string | undefined;
  moduleId: string | undefined;
  attackId: string | undefined;
}

interface SarifItem {
  summary: FindingSummary;
  /** Computed at `add`; `undefined` when the vulnerability lacks `app.id` (the context's app id is used at finish). */
  fingerprint: string | undefined;
}

interface SeenRule {
  moduleId: string | undefined;
  attackId: string | undefined;
  moduleName: string;
  bestRank: number;
  bestSeverity: string;
  results: number;
}

// RFC 3986 path characters; everything else is percent-encoded so `artifactLocation.uri` is a valid reference.
const URI_PATH_SAFE = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;
const URI_PATH_CHAR = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;
const utf8 = new TextEncoder();
function encodeUriPath(text: string): string {
  if (URI_PATH_SAFE.test(text)) return text;
  let out = '';
  for (const ch of text) {
    if (URI_PATH_CHAR.test(ch)) out += ch;
    else for (const byte of utf8.encode(ch)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A pseudo-path for a finding's URL: host (port after `_`) and path, no scheme, no query. Findings share few URLs: each is parsed once. */
export const artifactUriForUrl: (url: string) => string = rememberByText((url) => computeArtifactUri(url), 2048);

function computeArtifactUri(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'insightappsec/unknown-location';
  }
  const host = `${parsed.hostname}${parsed.port === '' ? '' : `_${parsed.port}`}`.replace(/[^A-Za-z0-9.-]/g, '_') || 'unknown-host';
  let path = '';
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    path = parsed.pathname;
  }
  return encodeUriPath(`${host}${path === '' ? '/' : path}`);
}

/** Plain text from the HTML that attack documentation may hold. */
export function htmlToText(html: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return html
    .replace(/<\s*(script|style)\b[\s\S]*?<\s*\/\s*\1\s*>/gi, '')
    .replace(/<\s*br\s*\/?\s*>/gi, '\n')
    .replace(/<\s*\/\s*(p|div|li|h[1-6]|ul|ol|tr)\s*>/gi, '\n')
    .replace(/<\s*li\b[^>]*>/gi, '- ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith('#')) {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return entities[name.toLowerCase()] ?? whole;
    })
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v\r]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function pascalName(text: string): string {
  const words = text.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
  const name = words.map((w) => (w[0] ?? '').toUpperCase() + w.slice(1)).join('');
  return name === '' ? 'UnknownModule' : name;
}

function httpUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function referenceLines(documentation: AttackDocumentation | undefined): { text: string[]; markdown: string[] } {
  const text: string[] = [];
  const markdown: string[] = [];
  for (const [name, url] of Object.entries(documentation?.references ?? {})) {
    const safe = httpUrl(url);
    text.push(`- ${name}: ${url}`);
    markdown.push(safe === undefined ? `- ${escapeMarkdown(name)}` : `- [${escapeMarkdown(name)}](<${safe.replace(/[<>\s]/g, encodeURIComponent)}>)`);
  }
  return { text, markdown };
}

function buildRule(id: string, seen: SeenRule, info: RuleInfo | undefined): Record<string, unknown> {
  const moduleName = info?.moduleName ?? seen.moduleName;
  const attackId = info?.attackId ?? seen.attackId;
  const description = htmlToText(info?.documentation?.description ?? '');
  const recommendation = htmlToText(info?.documentation?.recommendation ?? '');
  const moduleDescription = htmlToText(info?.moduleDescription ?? '');
  const attackDescription = htmlToText(info?.attack?.description ?? '');
  const short = attackId === undefined ? moduleName : `${moduleName} (${attackId})`;
  const fallback =
    seen.moduleId === undefined && info === undefined
      ? 'A finding the API returned without variances, so its module and attack are unknown.'
      : `Found by the InsightAppSec module ${moduleName}${attackId === undefined ? '' : ` (attack ${attackId})`}.`;
  const full = description || moduleDescription || attackDescription || fallback;
  const references = referenceLines(info?.documentation);

  const textParts = [full];
  const markdownParts = [`**${escapeMarkdown(moduleName)}**`, escapeMarkdown(full)];
  if (recommendation !== '') {
    textParts.push(`Recommendation:\n${recommendation}`);
    markdownParts.push(`## Recommendation\n\n${escapeMarkdown(recommendation)}`);
  }
  if (references.text.length > 0) {
    textParts.push(`References:\n${references.text.join('\n')}`);
    markdownParts.push(`## References\n\n${references.markdown.join('\n')}`);
  }
  if (info?.documentation === undefined) {
    textParts.push('Attack documentation was not available; see the finding in InsightAppSec for details.');
    markdownParts.push('_Attack documentation was not available; see the finding in InsightAppSec for details._');
  }

  const tags = ['security', 'dast', 'insightappsec'];
  for (const extra of [info?.attack?.class, info?.attack?.type]) {
    if (typeof extra === 'string' && extra.trim() !== '' && !tags.includes(extra.trim())) tags.push(extra.trim());
  }
  const properties: Record<string, unknown> = { tags: tags.slice(0, 20), precision: 'medium' };
  const score = securitySeverity(seen.bestSeverity);
  if (score !== undefined) properties['security-severity'] = score;
  properties['moduleId'] = info?.moduleId ?? seen.moduleId ?? null;
  if (attackId !== undefined) properties['attackId'] = attackId;

  return {
    id,
    name: `${pascalName(moduleName)}${attackId === undefined ? '' : `/${attackId}`}`,
    shortDescription: { text: truncate(short, 1024) },
    fullDescription: { text: truncate(full, 1024) },
    help: { text: textParts.join('\n\n'), markdown: markdownParts.join('\n\n') },
    defaultConfiguration: { level: sarifLevel(seen.bestSeverity) },
    properties,
  };
}

// Placeholders in results rendered before `finish`, replaced once the rule order and the context are known. Each
// is a whole JSON string value right after a fixed key, which escaped user data cannot imitate (its quotes are
// escaped); the payload is URI-encoded, so it has no quote either.
// A result holds each at most once, so the first one found is replaced and the text is not scanned again.
const RULE_INDEX_PLACEHOLDER = '"ruleIndex":"@@rule:';
const FINGERPRINT_PLACEHOLDER = `"${FINGERPRINT_KEY}":"@@fingerprint:`;
const PLACEHOLDER_END = '@@"';

/** `text` with its placeholder starting `prefix` replaced by `render(payload)`; unchanged when it has none. */
function fillPlaceholder(text: string, prefix: string, render: (payload: string) => string): string {
  const start = text.indexOf(prefix);
  if (start < 0) return text;
  const end = text.indexOf(PLACEHOLDER_END, start + prefix.length);
  if (end < 0) return text;
  return text.slice(0, start) + render(text.slice(start + prefix.length, end)) + text.slice(end + PLACEHOLDER_END.length);
}

function buildResult(item: SarifItem, ruleIndex: number | string, ruleId: string, appId: string | undefined, artifactUri: string | undefined): Record<string, unknown> {
  const s = item.summary;
  const parts = { url: s.url, method: s.method, parameter: s.parameter, moduleId: s.moduleId, attackId: s.attackId };
  const fingerprint =
    item.fingerprint ??
    (appId === undefined ? `@@fingerprint:${encodeURIComponent(JSON.stringify(parts))}@@` : fingerprintOf({ appId, ...parts }, SARIF_ROOT_CAUSE_FINGERPRINT));
  const where = `${s.method} ${s.url || '(no URL)'}`;
  const parameter = s.parameter === undefined ? 'no parameter' : `parameter "${s.parameter}"`;
  const message = s.message?.trim() ?? '';
  const detail = message === '' ? '' : ` ${message}${/[.!?]$/.test(message) ? '' : '.'}`;
  const logicalLocations: Record<string, unknown>[] = [{ name: s.url || '(no URL)', fullyQualifiedName: where, kind: 'resource' }];
  if (s.parameter !== undefined) {
    logicalLocations.push({ name: s.parameter, fullyQualifiedName: `${where} (parameter ${s.parameter})`, kind: 'parameter', parentIndex: 0 });
  }
  const properties: Record<string, unknown> = {};
  const score = securitySeverity(s.severity, s.score);
  if (score !== undefined) properties['security-severity'] = score;
  Object.assign(properties, {
    severity: s.severity,
    vulnerabilityId: s.id,
    url: s.url,
    method: s.method,
    parameter: s.parameter ?? null,
    status: s.status ?? null,
    gateMatched: s.gateMatched,
  });
  if (s.score !== undefined) properties['vulnerabilityScore'] = s.score;
  if (s.newlyDiscovered !== undefined) properties['newlyDiscovered'] = s.newlyDiscovered;
  return {
    ruleId,
    ruleIndex,
    level: sarifLevel(s.severity),
    message: { text: `${s.moduleName} at ${where} (${parameter}).${detail}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: artifactUri ?? artifactUriForUrl(s.url) },
          region: { startLine: 1 },
        },
        logicalLocations,
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
    properties,
  };
}

function indent(text: string, pad: string): string {
  return pad + text.replace(/\n/g, `\n${pad}`);
}

function isoUtc(value: string | undefined): string | undefined {
  return parseApiTime(value)?.toISOString();
}

/**
 * Creates the SARIF 2.1.0 report (`insightappsec-scan.sarif`) for GitHub code scanning: one rule per
 * module/attack pair, one result per vulnerability, except those whose status is in `leaveOutStatuses` (triaged
 * findings, which code scanning would reopen as alerts; counted in `run.properties.leftOutByStatus`).
 *
 * Results are written most severe first, in arrival order within a severity, up to `maxResults`.
 *
 * Memory: each result is rendered as it arrives (with placeholders for its rule index, known once the rules are
 * sorted, and, when the vulnerability lacks `app.id`, for its fingerprint) and held only until about
 * `spoolThreshold` characters have gathered; then the batch moves, one chunk per severity, to the sink's
 * {@link ReportSpool} (a temporary file for the file sink) and is read back at `finish`. A result that can no
 * longer make GitHub's cap (as many results at least as severe are already kept) is not rendered at all. So
 * memory holds one batch plus per-severity counters and one entry per distinct rule, whatever the number of
 * findings; the full vulnerability is never kept. A sink without a spool gets an in-memory one.
 */
export async function createSarifReport(sink: ReportSink, options: SarifReportOptions = {}): Promise<StreamingReport> {
  const writer = createBufferedWriter(await sink.create(options.fileName ?? SARIF_FILE_NAME));
  const spooler = createSeveritySpooler(sink, options.spoolThreshold);
  const state: SarifState = {
    maxResults: options.maxResults ?? GITHUB_MAX_RESULTS_PER_RUN,
    artifactUri: options.artifactUri,
    leaveOut: new Set((options.leaveOutStatuses ?? SARIF_DEFAULT_LEFT_OUT_STATUSES).map((status) => status.toUpperCase())),
    leftOutByStatus: new Map(),
    rules: new Map(),
    seenTotal: 0,
    renderedByRank: Array.from({ length: SEVERITY_RANK_COUNT }, () => 0),
    results: spooler.queue(),
  };
  return {
    format: 'sarif',
    add: (record: FindingRecord) => addResult(state, record),
    async finish(context: ReportContext) {
      try {
        return await writeSarifFile(writer, state, context);
      } finally {
        await spooler.close();
      }
    },
  };
}

/** What the SARIF builder keeps between `add` calls: counters, one entry per rule, and the rendered results. */
interface SarifState {
  readonly maxResults: number;
  readonly artifactUri: string | undefined;
  readonly leaveOut: ReadonlySet<string>;
  readonly leftOutByStatus: Map<string, number>;
  readonly rules: Map<string, SeenRule>;
  seenTotal: number;
  /** Per severity rank (most severe first), the results rendered. */
  readonly renderedByRank: number[];
  readonly results: RankedQueue;
}

async function addResult(state: SarifState, record: FindingRecord): Promise<void> {
  const status = record.vulnerability.status?.toUpperCase();
  if (status !== undefined && state.leaveOut.has(status)) {
    state.leftOutByStatus.set(status, (state.leftOutByStatus.get(status) ?? 0) + 1);
    return;
  }
  const summary = summarizeFinding(record);
  const rank = clampRank(summary.rank);
  state.seenTotal += 1;
  const key = ruleKey(record.moduleId, record.attackId);
  trackRule(state.rules, key, record, summary);
  // Already as many results at least as severe as this one as the cap allows: it can never be written.
  let atLeastAsSevere = 0;
  for (let r = 0; r <= rank; r += 1) atLeastAsSevere += state.renderedByRank[r] ?? 0;
  if (atLeastAsSevere >= state.maxResults) return;

  const appId = record.vulnerability.app?.id;
  const fingerprint = appId === undefined ? undefined : fingerprintOf(fingerprintParts(appId, record, summary), SARIF_ROOT_CAUSE_FINGERPRINT);
  const result = buildResult({ summary, fingerprint }, `@@rule:${encodeURIComponent(key)}@@`, sarifRuleId(record.moduleId, record.attackId), undefined, state.artifactUri);
  state.renderedByRank[rank] = (state.renderedByRank[rank] ?? 0) + 1;
  // One result a line: compact, yet a diff or grep of two reports still shows result by result.
  await state.results.push(rank, JSON.stringify(result));
}

function fingerprintParts(appId: string, record: FindingRecord, summary: FindingSummary): ResultRootCause & { appId: string } {
  const rootCause = record.vulnerability.root_cause;
  return {
    appId,
    url: rootCause?.url ?? '',
    method: summary.method,
    parameter: rootCause?.parameter ?? undefined,
    moduleId: record.moduleId,
    attackId: record.attackId,
  };
}

function trackRule(rules: Map<string, SeenRule>, key: string, record: FindingRecord, summary: FindingSummary): void {
  const seen = rules.get(key);
  if (seen === undefined) {
    rules.set(key, {
      moduleId: record.moduleId,
      attackId: record.attackId,
      moduleName: summary.moduleName,
      bestRank: summary.rank,
      bestSeverity: summary.severity,
      results: 1,
    });
    return;
  }
  seen.results += 1;
  if (summary.rank < seen.bestRank) {
    seen.bestRank = summary.rank;
    seen.bestSeverity = summary.severity;
  }
}

interface SarifRules {
  rules: Record<string, unknown>[];
  indexByKey: Map<string, number>;
}

/** The rules sorted by id, and each rule key's index among them. */
function sortedRules(seenRules: ReadonlyMap<string, SeenRule>, context: ReportContext): SarifRules {
  const entries = [...seenRules.entries()]
    .map(([key, seen]) => ({ key, seen, id: sarifRuleId(seen.moduleId, seen.attackId) }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    rules: entries.map((entry) => buildRule(entry.id, entry.seen, context.rules.get(entry.key))),
    indexByKey: new Map(entries.map((entry, index) => [entry.key, index])),
  };
}

/** The warning that results were left out over the cap, or `undefined` when none were. */
function cappedNote(seenTotal: number, kept: number, maxResults: number): string | undefined {
  const dropped = seenTotal - kept;
  if (dropped <= 0) return undefined;
  return (
    `SARIF: ${dropped} of ${seenTotal} results were left out because GitHub accepts at most ` +
    `${maxResults} results per run; the ${kept} most severe are included. ` +
    'See the HTML report or the findings file for all of them.'
  );
}

/** The log line about triaged findings left out, or `undefined` when none were. */
function leftOutInfo(leftOut: readonly [string, number][]): string | undefined {
  const total = leftOut.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return undefined;
  // Leaving triaged findings out is the design, not a problem: a log line, not a warning.
  return (
    `SARIF: ${total} triaged finding${total === 1 ? '' : 's'} left out (${leftOut.map(([status, count]) => `${count} ${status}`).join(', ')}), ` +
    'as code scanning would reopen them as alerts; the HTML, JUnit and findings reports keep them.'
  );
}

function buildInvocation(context: ReportContext, capped: string | undefined): Record<string, unknown> {
  const invocation: Record<string, unknown> = { executionSuccessful: context.status.toUpperCase() !== 'FAILED' };
  const start = isoUtc(context.submitTime);
  const end = isoUtc(context.completionTime);
  if (start !== undefined) invocation['startTimeUtc'] = start;
  if (end !== undefined) invocation['endTimeUtc'] = end;
  if (capped !== undefined) {
    invocation['toolExecutionNotifications'] = [{ level: 'warning', message: { text: capped }, descriptor: { id: 'insightappsec/results-capped' } }];
  }
  return invocation;
}

function buildDriver(context: ReportContext, rules: Record<string, unknown>[]): Record<string, unknown> {
  const driver: Record<string, unknown> = {
    name: context.tool.name,
    version: context.tool.version,
  };
  if (context.tool.informationUri !== undefined) driver['informationUri'] = context.tool.informationUri;
  if (/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(context.tool.version)) {
    driver['semanticVersion'] = context.tool.version;
  }
  driver['rules'] = rules;
  return driver;
}

/** Every property of the run but its results. */
function buildRun(context: ReportContext, driver: Record<string, unknown>, invocation: Record<string, unknown>, kept: number, leftOut: [string, number][]): Record<string, unknown> {
  // No runs[].automationDetails: github/codeql-action's upload-sarif takes one found in the file over its
  // `category` input (src/upload-lib.ts, populateRunAutomationDetails), so writing one would silently ignore
  // the user's category. Without it, upload-sarif derives the category from the workflow, job and matrix values,
  // or uses the one the user gives.
  return {
    tool: { driver },
    invocations: [invocation],
    properties: {
      scanId: context.scanId,
      scanStatus: context.status,
      app: context.app,
      scanConfig: context.scanConfig,
      totalFindings: context.counts.total,
      resultsWritten: kept,
      leftOutByStatus: Object.fromEntries(leftOut),
      generatedAt: context.generatedAt,
    },
  };
}

/** A rendered result with its placeholders replaced by the rule index and the fingerprint. */
function completeResult(text: string, ruleIndexByKey: ReadonlyMap<string, number>, appId: string): string {
  const indexed = fillPlaceholder(text, RULE_INDEX_PLACEHOLDER, (key) => `"ruleIndex":${ruleIndexByKey.get(decodeURIComponent(key)) ?? 0}`);
  return fillPlaceholder(indexed, FINGERPRINT_PLACEHOLDER, (encoded) => {
    const parts = JSON.parse(decodeURIComponent(encoded)) as ResultRootCause;
    const hash = fingerprintOf({ appId, url: parts.url, method: parts.method, parameter: parts.parameter, moduleId: parts.moduleId, attackId: parts.attackId }, SARIF_ROOT_CAUSE_FINGERPRINT);
    return `"${FINGERPRINT_KEY}":"${hash}"`;
  });
}

async function writeSarifFile(writer: ReportWriter, state: SarifState, context: ReportContext): Promise<{ format: string; path: string; notes: string[]; info: string[] }> {
  const kept = Math.min(state.maxResults, state.seenTotal);
  const capped = cappedNote(state.seenTotal, kept, state.maxResults);
  const leftOut = [...state.leftOutByStatus.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const left = leftOutInfo(leftOut);
  const rules = sortedRules(state.rules, context);
  const run = buildRun(context, buildDriver(context, rules.rules), buildInvocation(context, capped), kept, leftOut);

  await writer.write(`{\n  "$schema": ${JSON.stringify(SARIF_SCHEMA_URI)},\n  "version": "2.1.0",\n  "runs": [\n`);
  const runText = JSON.stringify(run, null, 2);
  await writer.write(`${indent(runText.slice(0, runText.lastIndexOf('\n}')), '    ')},\n      "results": [`);
  // Most severe first, arrival order within a severity, up to the cap.
  let first = true;
  for await (const text of state.results.texts(kept)) {
    await writer.write(`${first ? '' : ','}\n        ${completeResult(text, rules.indexByKey, context.app.id)}`);
    first = false;
  }
  await writer.write(`${first ? '' : '\n      '}]\n    }\n  ]\n}\n`);
  await writer.close();
  return { format: 'sarif', path: writer.path, notes: capped === undefined ? [] : [capped], info: left === undefined ? [] : [left] };
}
