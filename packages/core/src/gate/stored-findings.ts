/**
 * The offline gate: a query evaluated over a stored findings report (`insightappsec-scan-findings.json`,
 * a JSON array of vulnerabilities as the API returns them), with no API call. Also reads findings reports
 * for baselines.
 */
import { assertValidQuery } from '../query/parse-query';
import type { Baseline, BaselineSummary } from './baseline';
import type { GateMatch } from './evaluate-gate';
import { parseFindingsReport } from './findings-report';
import { createGate } from './gate';
import type { Suppressions } from './suppressions';

/** Options of {@link evaluateStoredFindings}. */
export interface StoredFindingsOptions {
  /**
   * The scans the report's findings belong to. A stored report does not say which scans found a
   * vulnerability, so `vulnerability.scans.id` conditions match only these ids (and never without them).
   * @default []
   */
  scanIds?: readonly string[] | undefined;
  /** How messages name the report, usually its path. @default '(in memory)' */
  source?: string | undefined;
  /** Classifies every finding as new or known; the result carries the counts. @default none */
  baseline?: Baseline | undefined;
  /** With a baseline: matches the baseline already knows do not fail the gate. @default false */
  newOnly?: boolean | undefined;
  /**
   * Reviewed exceptions: matching findings are listed under `suppressed` and never fail the gate. A stored
   * report carries module ids, not names, so entries that name a module by name match nothing here.
   * @default none
   */
  suppressions?: Suppressions | undefined;
}

/** A finding that matched the query but was suppressed. */
export interface SuppressedGateMatch extends GateMatch {
  /** The suppression's reason. */
  reason: string;
  /** The suppression entry's position in its file, from 1. */
  entry: number;
}

/** The verdict of the offline gate. */
export interface StoredFindingsResult {
  /** True when no finding fails the gate. */
  passed: boolean;
  /** How many findings fail the gate (matched, not suppressed, and new when `newOnly`). */
  matched: number;
  /** How many findings the report holds. */
  total: number;
  /** The findings that fail the gate, in report order. */
  findings: GateMatch[];
  /** Findings that matched the query but a suppression covers. */
  suppressed: SuppressedGateMatch[];
  /** Findings that matched the query but the baseline knows, with `newOnly` (they do not fail the gate). */
  known: GateMatch[];
  /** New, known and fixed counts over every finding of the report, when a baseline was given. */
  baseline: BaselineSummary | undefined;
}

/**
 * Evaluates a gate query over a stored findings report, offline: the same evaluator as the live gate's local
 * pass. `vulnerability.scans.id` is a server-side relation absent from the report, so its conditions match
 * only the `scanIds` passed in options. A matching finding fails the gate unless a suppression covers it, or
 * `newOnly` is set and the baseline knows it.
 * @throws {QueryError} code `QUERY_INVALID` when the query does not parse or validate (checked first).
 * @throws {ConfigError} code `CONFIG_INVALID` when the report is not a JSON array of vulnerabilities.
 */
export function evaluateStoredFindings(findingsText: string, query: string, options: StoredFindingsOptions = {}): StoredFindingsResult {
  assertValidQuery(query);
  const findings = parseFindingsReport(findingsText, options.source ?? '(in memory)');
  const gate = createGate({ query, baseline: options.baseline, suppressions: options.suppressions, newOnly: options.newOnly }, { kind: 'offline', scanIds: options.scanIds ?? [] });
  for (const vulnerability of findings) gate.observe({ vulnerability });
  const verdict = gate.verdict();
  if (verdict === undefined) throw new RangeError('A validated query always plans a gate');
  const failing = verdict.matches.map(({ module: _module, ...match }) => match);
  const suppressed: SuppressedGateMatch[] = [];
  const known: GateMatch[] = [];
  for (const { match, exemption } of verdict.exemptMatches) {
    if (exemption.kind === 'suppressed') suppressed.push({ ...match, reason: exemption.reason, entry: exemption.entry });
    else known.push(match);
  }
  return { passed: verdict.passed, matched: verdict.matched, total: findings.length, findings: failing, suppressed, known, baseline: gate.exemptions().baseline };
}
