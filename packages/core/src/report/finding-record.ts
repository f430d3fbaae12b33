import type { Attack, AttackDocumentation, Vulnerability } from '../api/schemas';
import { normalizeSeverity, SEVERITY_RANK_COUNT, severityRank } from './security-severity';

/** One vulnerability as the orchestrator hands it to the report builders, while the findings stream in. */
export interface FindingRecord {
  /** The vulnerability as the API returned it. Builders must not keep it after `add` returns. */
  vulnerability: Vulnerability;
  /** `variances[0].module.id`; `undefined` when the vulnerability has no variances. */
  moduleId: string | undefined;
  /** Resolved from `GET /modules`; falls back to the id or `'Unknown'`. */
  moduleName: string;
  /** `variances[0].attack.id`. */
  attackId: string | undefined;
  /** Whether this finding matched the gate. */
  gateMatched: boolean;
  /** `vulnerability`'s JSON text as the API sent it, when nothing in it was changed (see CollectedFinding). */
  json?: string;
}

/** What is known about one module/attack pair (a SARIF rule); documentation may be missing. */
export interface RuleInfo {
  moduleId: string;
  attackId: string | undefined;
  moduleName: string;
  moduleDescription?: string;
  attack?: Attack;
  documentation?: AttackDocumentation;
}

/** Everything the builders need besides the findings, given once at `finish`. */
export interface ReportContext {
  scanId: string;
  status: string;
  app: { id: string; name: string };
  scanConfig: { id: string; name: string };
  /** ISO date-time; the API omits the zone, which means UTC. */
  submitTime?: string;
  /** ISO date-time; the API omits the zone, which means UTC. */
  completionTime?: string;
  /** ISO date-time of report generation. */
  generatedAt: string;
  /** `informationUri` only when the product has a public page to point at. */
  tool: { name: string; version: string; informationUri?: string };
  counts: { total: number; bySeverity: Record<string, number>; byModule: Record<string, number> };
  /** `null` when no gate was configured. */
  gate: null | { passed: boolean; matched: number; query?: string; failOn?: string };
  /** Keyed by {@link ruleKey}: `${moduleId}/${attackId ?? ''}`. */
  rules: ReadonlyMap<string, RuleInfo>;
  /** The scan's page in the InsightAppSec UI, when known. */
  scanUrl?: string;
  /** New, known and fixed findings against a baseline, when one was given. */
  baseline?: { new: number; known: number; fixed: number };
  /** How many findings a suppressions file exempted from the gate, when one was given. */
  suppressed?: number;
  /** The other reports written, for links in markdown and HTML. */
  reportFiles: { format: string; path: string }[];
}

/** What is known once every finding is in, before the gate is finished: all a builder of the collection needs. */
export type CollectionContext = Pick<ReportContext, 'counts'>;

/** What a builder wrote: the file, and what to tell about it. */
export interface WrittenReport {
  format: string;
  path: string;
  notes: string[];
  info?: string[];
}

/**
 * A report builder fed one finding at a time. `C` is what it needs at `finish`: the whole {@link ReportContext}, or
 * only the {@link CollectionContext} for files written as soon as the findings are in.
 */
export interface StreamingReport<C = ReportContext> {
  readonly format: string;
  /** Takes one finding; the builder keeps at most a compact summary of it. */
  add(record: FindingRecord): Promise<void>;
  /**
   * Writes the rest of the file and closes it. `notes` warn of what was capped or lost; `info` tells what was left out
   * by design (a plain log line, not a warning).
   */
  finish(context: C): Promise<WrittenReport>;
}

/** The key of {@link ReportContext.rules} for a module/attack pair. */
export function ruleKey(moduleId: string | undefined, attackId: string | undefined): string {
  return `${moduleId ?? ''}/${attackId ?? ''}`;
}

/**
 * The compact summary the builders keep per finding where a format needs totals or ordering before it can be
 * written. A few hundred bytes: no exchanges, proofs or variances, and every free text is cut to
 * {@link MAX_SUMMARY_FIELD} characters.
 */
export interface FindingSummary {
  id: string;
  /** Normalised (upper case); unknown values kept. */
  severity: string;
  /** {@link severityRank} of `severity`. */
  rank: number;
  url: string;
  method: string;
  parameter: string | undefined;
  moduleId: string | undefined;
  moduleName: string;
  attackId: string | undefined;
  gateMatched: boolean;
  status: string | undefined;
  score: number | undefined;
  newlyDiscovered: boolean | undefined;
  /** The first variance's message (for example "X-Frame-Options header not found"). */
  message: string | undefined;
}

/** The longest free text kept in a {@link FindingSummary}; longer values end with `…`. */
export const MAX_SUMMARY_FIELD = 2048;

/** Cuts `text` to `max` characters, marking the cut with `…` (never splitting a surrogate pair). */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

function clip(value: string | null | undefined): string | undefined {
  return value === null || value === undefined ? undefined : truncate(value, MAX_SUMMARY_FIELD);
}

const summaries = new WeakMap<FindingRecord, FindingSummary>();

/** Reduces a record to its {@link FindingSummary}, once per record however many reports ask. */
export function summarizeFinding(record: FindingRecord): FindingSummary {
  let summary = summaries.get(record);
  if (summary === undefined) {
    summary = summarize(record);
    summaries.set(record, summary);
  }
  return summary;
}

function summarize(record: FindingRecord): FindingSummary {
  const v = record.vulnerability;
  const severity = normalizeSeverity(v.severity);
  const parameter = clip(v.root_cause?.parameter);
  return {
    id: v.id,
    severity,
    rank: severityRank(severity),
    url: clip(v.root_cause?.url) ?? '',
    method: (v.root_cause?.method ?? '').trim().toUpperCase() || 'GET',
    parameter: parameter === '' ? undefined : parameter,
    moduleId: record.moduleId,
    moduleName: truncate(record.moduleName, MAX_SUMMARY_FIELD),
    attackId: record.attackId,
    gateMatched: record.gateMatched,
    status: clip(v.status),
    score: typeof v.vulnerability_score === 'number' ? v.vulnerability_score : undefined,
    newlyDiscovered: v.newly_discovered ?? undefined,
    message: clip(v.variances?.[0]?.message),
  };
}

/**
 * Keeps at most `limit` items, preferring the most severe; among equally severe items the earliest arrivals
 * win. Memory is bounded by `limit` whatever the number of items added; each add is O(1).
 */
export interface SeveritySelection<T> {
  add(item: T, rank: number): void;
  /** Whether an item of `rank` added now would be kept, so callers can skip building items that would be dropped. */
  accepts(rank: number): boolean;
  /** Items kept, most severe first, then in arrival order. */
  items(): T[];
  /** How many items were added in all. */
  readonly seen: number;
  /** How many were left out because of the limit. */
  readonly dropped: number;
}

/** Creates a {@link SeveritySelection} keeping at most `limit` items. */
export function createSeveritySelection<T>(limit: number): SeveritySelection<T> {
  const buckets: T[][] = Array.from({ length: SEVERITY_RANK_COUNT }, () => []);
  let kept = 0;
  let seen = 0;
  return {
    add(item, rank) {
      seen += 1;
      const index = Math.min(Math.max(0, Math.trunc(rank)), SEVERITY_RANK_COUNT - 1);
      buckets[index]?.push(item);
      kept += 1;
      if (kept <= limit) return;
      for (let worst = SEVERITY_RANK_COUNT - 1; worst >= 0; worst -= 1) {
        const bucket = buckets[worst];
        if (bucket !== undefined && bucket.length > 0) {
          bucket.pop();
          kept -= 1;
          return;
        }
      }
    },
    accepts(rank) {
      if (kept < limit) return true;
      const index = Math.min(Math.max(0, Math.trunc(rank)), SEVERITY_RANK_COUNT - 1);
      for (let worst = SEVERITY_RANK_COUNT - 1; worst > index; worst -= 1) {
        if ((buckets[worst]?.length ?? 0) > 0) return true;
      }
      return false;
    },
    items() {
      return buckets.flat();
    },
    get seen() {
      return seen;
    },
    get dropped() {
      return seen - kept;
    },
  };
}

/**
 * Reads an API date-time (`2023-03-24T11:25:30.582722`, zone omitted = UTC, or with a zone) as a Date;
 * `undefined` when absent or unreadable.
 */
export function parseApiTime(value: string | undefined): Date | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text);
  // Date parses at most milliseconds; the API sends microseconds.
  const normalized = text.replace(/(\.\d{3})\d+/, '$1');
  const date = new Date(hasZone || !/T/.test(normalized) ? normalized : `${normalized}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The known severities first (highest first, zero counts included), then any others by name. */
export function orderedSeverityCounts(bySeverity: Record<string, number>): { severity: string; count: number }[] {
  const known = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'SAFE'];
  const totals = new Map<string, number>(known.map((s) => [s, 0]));
  for (const [severity, count] of Object.entries(bySeverity)) {
    const key = normalizeSeverity(severity);
    totals.set(key, (totals.get(key) ?? 0) + count);
  }
  const others = [...totals.keys()].filter((s) => !known.includes(s)).sort();
  return [...known, ...others].map((severity) => ({ severity, count: totals.get(severity) ?? 0 }));
}

/** Modules by descending count (then name); the rest summed in `others`. */
export function topModules(
  byModule: Record<string, number>,
  limit: number,
): { top: { name: string; count: number }[]; otherModules: number; otherFindings: number } {
  const all = Object.entries(byModule)
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const rest = all.slice(limit);
  return {
    top: all.slice(0, limit),
    otherModules: rest.length,
    otherFindings: rest.reduce((sum, m) => sum + m.count, 0),
  };
}

/** The file name at the end of a path (either separator), for links between reports in one folder. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}
