import { quoteValue } from '../api/resources';
import type { Severity } from '../config/schema';
import { evaluateQuery } from '../query/evaluate';
import { severityRank, SEVERITIES, VULNERABILITY_STATUSES } from '../query/fields';
import { formatQuery } from '../query/format-query';
import { assertValidQuery } from '../query/parse-query';
import { isServerSafe, listServerSafetyIssues } from '../query/server-safe';
import type { Vulnerability } from '../api/schemas';

/** What the gate fails on: a query in the IAS search language, a severity threshold, or both (either matches). */
export interface GateSpec {
  query?: string | undefined;
  failOn?: Severity | undefined;
  /** Statuses the threshold ignores. @default [] */
  ignoredStatuses?: readonly string[] | undefined;
}

/** How a gate is evaluated: locally on every collected finding and, when the server can run it, by a scoped search. */
export interface GatePlan {
  /** The condition in words and canonical query text, without the scan scope. */
  condition: string;
  /** The scan-scoped search for the server, or `undefined` when the condition uses what the server is not known to support. */
  serverQuery: string | undefined;
  /** Why the server search is skipped, when it is. */
  localOnlyReason: string | undefined;
  /** True when a finding of the scan matches. */
  test(vulnerability: Vulnerability): boolean;
}

/** True when a finding's severity is one the API documents, exactly as it spells it (no case or space variants). */
export function isKnownSeverity(severity: string): boolean {
  return (SEVERITIES as readonly string[]).includes(severity);
}

/**
 * The rank a severity threshold compares: a severity the tool does not know, or a malformed one (`SEVERE`,
 * `UNKNOWN`, empty, `" HIGH"`), ranks as the severest, so `failOn` fails closed on it instead of passing silently.
 */
export function gateSeverityRank(severity: string): number {
  return isKnownSeverity(severity) ? severityRank(severity) : severityRank(SEVERITIES[0]);
}

/** True when the spec asks for a gate at all. */
export function hasGate(spec: GateSpec): boolean {
  return (spec.query !== undefined && spec.query.trim() !== '') || spec.failOn !== undefined;
}

/** The severities at or above a threshold, highest first. */
export function severitiesAtOrAbove(threshold: Severity): Severity[] {
  return SEVERITIES.slice(0, SEVERITIES.indexOf(threshold) + 1);
}

/**
 * The scan-scoped search: always `vulnerability.scans.id='ID' && (CONDITION)`. The parentheses keep an `||` in the
 * user's query inside the scan's scope (the official Azure DevOps and Bamboo tasks append it bare, so `a || b`
 * gates on other scans' findings).
 */
export function scopedGateQuery(scanId: string, condition: string): string {
  return `vulnerability.scans.id=${quoteValue(scanId)} && (${condition})`;
}

/**
 * Plans the gate for one scan.
 * @returns `undefined` when the spec has no gate.
 * @throws QueryError (QUERY_INVALID) when the query does not parse (configuration checks it before launch).
 */
export function planGate(spec: GateSpec, scanId: string): GatePlan | undefined {
  return buildPlan(spec, scanId, [scanId]);
}

/**
 * Plans the gate over stored findings: local only, with `vulnerability.scans.id` conditions matching `scanIds`.
 * @throws QueryError (QUERY_INVALID) when the query does not parse.
 */
export function planOfflineGate(spec: GateSpec, scanIds: readonly string[]): GatePlan | undefined {
  return buildPlan(spec, undefined, scanIds);
}

function buildPlan(spec: GateSpec, scanId: string | undefined, scanIds: readonly string[]): GatePlan | undefined {
  if (!hasGate(spec)) return undefined;
  const parsed = spec.query !== undefined && spec.query.trim() !== '' ? assertValidQuery(spec.query) : undefined;
  const ignored = new Set((spec.ignoredStatuses ?? []).map((s) => s.toUpperCase()));
  const threshold = spec.failOn;
  const thresholdRank = threshold === undefined ? undefined : severityRank(threshold);

  const words: string[] = [];
  const serverParts: string[] = [];
  let localOnlyReason: string | undefined;
  if (parsed !== undefined) {
    const text = formatQuery(parsed);
    words.push(text);
    if (isServerSafe(parsed)) serverParts.push(text);
    else localOnlyReason = `the query uses what the search API is not known to support (${listServerSafetyIssues(parsed).join('; ')})`;
  }
  if (threshold !== undefined) {
    const severities = severitiesAtOrAbove(threshold).map((s) => `vulnerability.severity=${quoteValue(s)}`).join(' || ');
    const statuses = VULNERABILITY_STATUSES.filter((s) => !ignored.has(s)).map((s) => `vulnerability.status=${quoteValue(s)}`);
    serverParts.push(ignored.size === 0 ? severities : `(${severities}) && (${statuses.join(' || ')})`);
    words.push(`severity at or above ${threshold}${ignored.size === 0 ? '' : ` (ignoring ${[...ignored].join(', ')})`}`);
  }
  const serverCondition = serverParts.length === 1 ? serverParts[0] : serverParts.map((p) => `(${p})`).join(' || ');
  return {
    condition: words.join(' or '),
    serverQuery: scanId !== undefined && localOnlyReason === undefined && serverCondition !== undefined ? scopedGateQuery(scanId, serverCondition) : undefined,
    localOnlyReason,
    test(vulnerability) {
      if (parsed !== undefined && evaluateQuery(parsed, vulnerability, { scanIds })) return true;
      if (thresholdRank !== undefined) {
        const status = (vulnerability.status ?? '').toUpperCase();
        return gateSeverityRank(vulnerability.severity) >= thresholdRank && !ignored.has(status);
      }
      return false;
    },
  };
}
