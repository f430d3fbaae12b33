/**
 * The offline gate: a query evaluated over a stored findings report (`insightappsec-scan-findings.json`,
 * a JSON array of vulnerabilities as the API returns them), with no API call. Also reads findings reports
 * for baselines.
 */
import type { Vulnerability } from '../api/schemas';
import { vulnerabilitySchema } from '../api/schemas';
import { ConfigError } from '../errors';
import { evaluateQuery } from '../query/evaluate';
import { assertValidQuery } from '../query/parse-query';
import type { Baseline, BaselineSummary } from './baseline';
import type { GateMatch } from './evaluate-gate';
import { toGateMatch } from './evaluate-gate';
import { findingFingerprint } from './fingerprint';
import type { Suppressions } from './suppressions';

/** Where a position in a text falls, both 1-based. */
export interface TextPosition {
  line: number;
  column: number;
}

/** The 1-based line and column of a 0-based offset in `text`. */
export function positionAt(text: string, offset: number): TextPosition {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: before.length - lineStart + 1 };
}

/** Where JSON.parse stopped, from its message (V8 names the offset), if it says. */
function jsonProblem(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (text.trim() === '') return 'the file is empty';
  if (/unexpected end of json input/i.test(message)) return 'the text ends too early (the file looks truncated)';
  const offset = /at position (\d+)/.exec(message)?.[1];
  const what = (message.split(/ in JSON| at position|,\s*"/)[0] ?? message).trim().replace(/\.$/, '');
  if (offset === undefined) return what.charAt(0).toLowerCase() + what.slice(1);
  const { line, column } = positionAt(text, Number(offset));
  return `${what.charAt(0).toLowerCase()}${what.slice(1)} at line ${line}, column ${column}`;
}

/**
 * Reads a findings report: a JSON array of vulnerabilities as the API returns them, such as the
 * `insightappsec-scan-findings.json` an earlier run wrote. Each entry needs a text `id` and `severity`;
 * every other field is optional and unknown fields are kept.
 * @param role how messages name the file, e.g. `baseline` or `findings report`.
 * @throws {ConfigError} code `CONFIG_INVALID` naming the file, the line and column (malformed JSON) or the
 * entry (not a vulnerability), and what to pass instead.
 */
export function parseFindingsReport(text: string, source: string, role = 'findings report'): Vulnerability[] {
  const fix = 'pass the insightappsec-scan-findings.json that an earlier run wrote, unchanged';
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const problem = jsonProblem(text, error);
    throw new ConfigError(`The ${role} ${source} is not valid JSON (${problem}); ${fix}.`, [{ path: source, message: `not valid JSON: ${problem}` }], { cause: error });
  }
  if (!Array.isArray(data)) {
    const found = data === null ? 'null' : typeof data === 'object' ? 'a JSON object' : `a JSON ${typeof data}`;
    throw new ConfigError(`The ${role} ${source} holds ${found}, not an array of vulnerabilities; ${fix}.`, [{ path: source, message: `expected a JSON array, found ${found}` }]);
  }
  const findings: Vulnerability[] = [];
  for (const [index, entry] of data.entries()) {
    const parsed = vulnerabilitySchema.safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue === undefined || issue.path.length === 0 ? 'the entry' : `field ${issue.path.map(String).join('.')}`;
      const problem = typeof entry !== 'object' || entry === null || Array.isArray(entry) ? 'it is not a JSON object' : `${field}: ${issue?.message ?? 'invalid'}`;
      throw new ConfigError(`Entry ${index + 1} of the ${role} ${source} is not a vulnerability (${problem}); ${fix}.`, [{ path: `${source}[${index}]`, message: problem }]);
    }
    findings.push(parsed.data);
  }
  return findings;
}

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
  const parsed = assertValidQuery(query);
  const findings = parseFindingsReport(findingsText, options.source ?? '(in memory)');
  const context = { scanIds: options.scanIds ?? [] };
  const { baseline, suppressions } = options;
  const failing: GateMatch[] = [];
  const suppressed: SuppressedGateMatch[] = [];
  const known: GateMatch[] = [];
  for (const vulnerability of findings) {
    const fingerprint = baseline === undefined && suppressions === undefined ? undefined : findingFingerprint(vulnerability);
    const state = fingerprint === undefined ? undefined : baseline?.classify(vulnerability, fingerprint);
    // Every finding is offered to the suppressions, so `unused()` means "matched no finding at all".
    const suppression = suppressions?.match(vulnerability, { fingerprint });
    if (!evaluateQuery(parsed, vulnerability, context)) continue;
    const match = toGateMatch(vulnerability);
    if (suppression !== undefined) suppressed.push({ ...match, reason: suppression.reason, entry: suppression.entry });
    else if (options.newOnly === true && state === 'known') known.push(match);
    else failing.push(match);
  }
  return { passed: failing.length === 0, matched: failing.length, total: findings.length, findings: failing, suppressed, known, baseline: baseline?.summary() };
}
