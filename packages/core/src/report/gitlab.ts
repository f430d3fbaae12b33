import type { FindingRecord, ReportContext, StreamingReport } from './finding-record';
import { parseApiTime, truncate } from './finding-record';
import { normalizeSeverity } from './security-severity';
import type { ReportSink } from './sink';
import { createBufferedWriter } from './sink';
import { rememberByText } from './remember';

/** The file GitLab's `artifacts:reports:dast` reads. */
export const GITLAB_FILE_NAME = 'gl-dast-report.json';

/** The schema version written into the report: the newest GitLab's validator accepts (15.0.0 to 15.2.1). */
export const GITLAB_SCHEMA_VERSION = '15.2.1';

/** The published schema the report declares (and that tests validate against, from `tooling/schemas`). */
export const GITLAB_SCHEMA_URI = 'https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v15.2.1/dist/dast-report-format.json';

/** Distinct scanned URLs listed in `scan.scanned_resources`; beyond it they are counted in a message. */
const MAX_SCANNED_RESOURCES = 1_000;

/** Options of {@link createGitlabReport}. */
export interface GitlabReportOptions {
  /** @default 'gl-dast-report.json' */
  fileName?: string;
}

type GitlabSeverity = 'Critical' | 'High' | 'Medium' | 'Low' | 'Info' | 'Unknown';

/** GitLab's severity words: INFORMATIONAL and SAFE are `Info`; a severity IAS may add later is `Unknown`. */
export function gitlabSeverity(severity: string | null | undefined): GitlabSeverity {
  switch (normalizeSeverity(severity)) {
    case 'CRITICAL':
      return 'Critical';
    case 'HIGH':
      return 'High';
    case 'MEDIUM':
      return 'Medium';
    case 'LOW':
      return 'Low';
    case 'INFORMATIONAL':
    case 'SAFE':
      return 'Info';
    default:
      return 'Unknown';
  }
}

/** `yyyy-mm-ddThh:mm:ss` in UTC, the only form the schema accepts (no fraction, no zone). */
export function gitlabTime(value: string | undefined, fallback: string): string {
  const date = parseApiTime(value) ?? parseApiTime(fallback) ?? new Date(0);
  return date.toISOString().slice(0, 19);
}

/**
 * Splits a finding URL into GitLab's `hostname` (scheme, host, port) and `path`; unparsable URLs keep the text as the
 * path. Findings repeat their URLs: each is parsed once.
 */
export const splitLocation: (url: string) => Readonly<{ hostname: string; path: string }> = rememberByText((url) => parseLocation(url));

function parseLocation(url: string): { hostname: string; path: string } {
  try {
    const parsed = new URL(url);
    return { hostname: `${parsed.protocol}//${parsed.host}`, path: `${parsed.pathname}${parsed.search}` || '/' };
  } catch {
    return { hostname: '', path: url };
  }
}

/**
 * IAS's `vector_string` as a CVSS v3 base vector with the `CVSS:3.x/` prefix the schema requires (IAS omits it).
 * Only the eight base metrics, in the specification's order, are kept: an invalid vector would make GitLab refuse
 * the whole report, so anything else is left out.
 */
export function cvssVector(vector: string | null | undefined): string | undefined {
  const text = (vector ?? '').trim();
  const version = /^CVSS:3\.0\//.test(text) ? '3.0' : '3.1';
  const base = /^(?:CVSS:3\.[01]\/)?(AV:[NALP]\/AC:[LH]\/PR:[NLH]\/UI:[NR]\/S:[UC]\/C:[NLH]\/I:[NLH]\/A:[NLH])(?:\/|$)/.exec(text);
  return base === null ? undefined : `CVSS:${version}/${base[1]}`;
}

/** Statuses reviewed in InsightAppSec as not a problem: GitLab shows them flagged as likely false positives. */
const REVIEWED_NOT_A_PROBLEM = new Set(['FALSE_POSITIVE']);

function vulnerabilityEntry(record: FindingRecord): Record<string, unknown> {
  const v = record.vulnerability;
  const url = v.root_cause?.url ?? '';
  const { hostname, path } = splitLocation(url);
  const method = (v.root_cause?.method ?? '').trim().toUpperCase() || 'GET';
  const parameter = v.root_cause?.parameter ?? '';
  const variance = v.variances?.[0];
  const message = variance?.message ?? '';
  const moduleName = record.moduleName.trim() === '' ? 'InsightAppSec finding' : record.moduleName;
  const identifierValue = `${record.moduleId ?? 'unknown'}/${record.attackId ?? ''}`;
  const status = (v.status ?? '').toUpperCase();
  const description = [message, variance?.proof_description ?? '', status === '' ? '' : `InsightAppSec status: ${status}.`]
    .map((part) => part.trim())
    .filter(Boolean)
    .join('\n\n');
  const entry: Record<string, unknown> = {
    id: v.id,
    // The name must not carry finding-specific detail (GitLab groups by it): the module name only.
    name: truncate(moduleName, 255),
    ...(description === '' ? {} : { description: truncate(description, 8_000) }),
    severity: gitlabSeverity(v.severity),
    identifiers: [{ type: 'insightappsec_module_attack', name: truncate(`InsightAppSec ${moduleName}`, 255), value: identifierValue }],
    location: { hostname, method, path, ...(parameter === '' ? {} : { param: parameter }) },
  };
  const vector = cvssVector(v.vector_string);
  if (vector !== undefined) entry.cvss_vectors = [{ vendor: 'Rapid7', vector }];
  if (typeof v.insight_ui_url === 'string' && /^https:\/\/\S+$/.test(v.insight_ui_url)) entry.links = [{ name: 'Finding in InsightAppSec', url: v.insight_ui_url }];
  if (REVIEWED_NOT_A_PROBLEM.has(status)) {
    entry.flags = [{ type: 'flagged-as-likely-false-positive', origin: 'InsightAppSec', description: `Reviewed in InsightAppSec as ${status}.` }];
  }
  if (message.trim() !== '') entry.evidence = { summary: truncate(message, 2_000) };
  return entry;
}

/**
 * Streams a GitLab DAST security report (schema 15.2.1): each finding is written as it arrives; the `scan` object,
 * which needs the scan's times and the scanned URLs, is written at the end (JSON objects are unordered). Memory is
 * bounded by {@link MAX_SCANNED_RESOURCES} URLs.
 */
export async function createGitlabReport(sink: ReportSink, options: GitlabReportOptions = {}): Promise<StreamingReport> {
  const writer = createBufferedWriter(await sink.create(options.fileName ?? GITLAB_FILE_NAME));
  const resources = new Map<string, { method: string; url: string }>();
  let skippedResources = 0;
  let count = 0;
  await writer.write(`{"version":${JSON.stringify(GITLAB_SCHEMA_VERSION)},"schema":${JSON.stringify(GITLAB_SCHEMA_URI)},"vulnerabilities":[`);
  return {
    format: 'gitlab',
    async add(record) {
      await writer.write(`${count === 0 ? '' : ','}${JSON.stringify(vulnerabilityEntry(record))}`);
      count += 1;
      const url = record.vulnerability.root_cause?.url ?? '';
      const method = (record.vulnerability.root_cause?.method ?? '').trim().toUpperCase() || 'GET';
      const key = `${method} ${url}`;
      if (url === '' || resources.has(key)) return;
      if (resources.size < MAX_SCANNED_RESOURCES) resources.set(key, { method, url });
      else skippedResources += 1;
    },
    async finish(context: ReportContext) {
      const notes: string[] = [];
      const messages: { level: 'info' | 'warn'; value: string }[] = [];
      if (skippedResources > 0) {
        const note = `the GitLab report lists the first ${MAX_SCANNED_RESOURCES} scanned URLs; ${skippedResources} more are left out`;
        notes.push(note);
        messages.push({ level: 'info', value: note });
      }
      const failed = context.status.toUpperCase() !== 'COMPLETE';
      const scan = {
        analyzer: { id: 'ias-ci', name: context.tool.name, version: context.tool.version, vendor: { name: context.tool.name } },
        scanner: {
          id: 'insightappsec',
          name: 'Rapid7 InsightAppSec',
          version: 'v1',
          vendor: { name: 'Rapid7' },
          ...(context.scanUrl === undefined ? {} : { url: context.scanUrl }),
        },
        type: 'dast',
        start_time: gitlabTime(context.submitTime, context.generatedAt),
        end_time: gitlabTime(context.completionTime, context.generatedAt),
        status: failed ? 'failure' : 'success',
        scanned_resources: [...resources.values()].map((r) => ({ method: r.method, url: r.url, type: 'url' })),
        ...(messages.length === 0 ? {} : { messages }),
      };
      await writer.write(`],"scan":${JSON.stringify(scan)}}\n`);
      await writer.close();
      return { format: 'gitlab', path: writer.path, notes };
    },
  };
}
