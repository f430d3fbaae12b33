import {
  ConfigError,
  EXIT_CODES,
  escapeLogText,
  evaluateStoredFindings,
  formatQuery,
  listServerSafetyIssues,
  parseBaseline,
  parseQuery,
  parseSuppressions,
  QueryError,
  type Baseline,
  type GateMatch,
  type StoredFindingsResult,
  type Suppressions,
} from '@ias/core';
import type { Terminal } from './outputs';

// What `ias query check` and `ias gate` do; their actions (offline-commands.ts) load this module.

/** What the offline commands need from the host: a terminal, file reading and (for suppression expiry) a clock. */
export type OfflineHost = Terminal & { readText(path: string): Promise<string>; clock?: { now(): number } };

/** Prints a query problem: the sentence, then the query with a caret under the problem. */
function printQueryError(terminal: Terminal, error: QueryError): void {
  terminal.err(`${error.message}\n${error.diagnostic}\n`);
}

function printConfigError(terminal: Terminal, error: ConfigError): void {
  const details = error.issues.flatMap((issue) => (issue.detail === undefined ? [] : [issue.detail]));
  terminal.err(`${error.message}\n${details.map((d) => `${d}\n`).join('')}`);
}

/** Reads a file named by a flag; a missing or unreadable file is an input error (exit 2) naming the flag. */
async function readFile(host: OfflineHost, flag: string, path: string): Promise<string | undefined> {
  try {
    return await host.readText(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    host.err(`Cannot read ${path} (given to ${flag}): ${reason}; check the path.\n`);
    return undefined;
  }
}

function listLine(match: GateMatch): string {
  // Stored findings are scan data: every field is escaped, so none can start a host command line.
  return [match.severity, match.method ?? '-', match.url ?? '-', match.parameter ?? '-', match.id].map(escapeLogText).join(' ');
}

function jsonMatch(match: GateMatch): Record<string, string | null> {
  return {
    id: match.id,
    severity: match.severity,
    status: match.status ?? null,
    url: match.url ?? null,
    method: match.method ?? null,
    parameter: match.parameter ?? null,
    moduleId: match.moduleId ?? null,
  };
}

function printGate(terminal: Terminal, result: StoredFindingsResult, condition: string, json: boolean): void {
  if (json) {
    const out: Record<string, unknown> = { gate: { passed: result.passed, matched: result.matched, findings: result.findings.map(jsonMatch) } };
    if (result.suppressed.length > 0) out['suppressed'] = result.suppressed.map((s) => ({ ...jsonMatch(s), reason: s.reason, entry: s.entry }));
    if (result.baseline !== undefined) out['baseline'] = { ...result.baseline, knownMatches: result.known.map(jsonMatch) };
    terminal.out(`${JSON.stringify(out)}\n`);
    return;
  }
  const lines: string[] = result.findings.map(listLine);
  for (const s of result.suppressed) lines.push(`suppressed (entry ${s.entry}: ${escapeLogText(s.reason)}): ${listLine(s)}`);
  for (const k of result.known) lines.push(`known from the baseline: ${listLine(k)}`);
  if (result.baseline !== undefined) lines.push(`Baseline: ${result.baseline.new} new, ${result.baseline.known} known, ${result.baseline.fixed} fixed`);
  const plural = (n: number): string => `${n} finding${n === 1 ? '' : 's'}`;
  lines.push(
    result.passed
      ? `Gate passed: no finding of ${result.total} fails (${condition})`
      : `Gate FAILED: ${plural(result.matched)} of ${result.total} match (${condition})`,
  );
  terminal.out(`${lines.join('\n')}\n`);
}

export interface GateFlags {
  findings: string;
  query: string;
  json?: boolean;
  scanId?: string[];
  baseline?: string;
  newOnly?: boolean;
  suppressions?: string;
}

/** `ias gate`: evaluates a gate query over a stored findings report. */
export async function runOfflineGate(host: OfflineHost, flags: GateFlags): Promise<number> {
  const parsed = parseQuery(flags.query);
  if (!parsed.ok) {
    printQueryError(host, parsed.error);
    return EXIT_CODES.configError;
  }
  if (flags.newOnly === true && flags.baseline === undefined) {
    host.err('--new-only needs a baseline to tell new findings from known ones; add --baseline FILE (a findings report of an earlier run).\n');
    return EXIT_CODES.configError;
  }
  const findingsText = await readFile(host, '--findings', flags.findings);
  const baselineText = flags.baseline === undefined ? undefined : await readFile(host, '--baseline', flags.baseline);
  const suppressionsText = flags.suppressions === undefined ? undefined : await readFile(host, '--suppressions', flags.suppressions);
  if (findingsText === undefined || (flags.baseline !== undefined && baselineText === undefined) || (flags.suppressions !== undefined && suppressionsText === undefined)) {
    return EXIT_CODES.configError;
  }
  try {
    const baseline: Baseline | undefined = baselineText === undefined || flags.baseline === undefined ? undefined : parseBaseline(baselineText, flags.baseline);
    let suppressions: Suppressions | undefined;
    if (suppressionsText !== undefined && flags.suppressions !== undefined) {
      const read = parseSuppressions(suppressionsText, flags.suppressions, host.clock?.now() ?? Date.now());
      for (const warning of read.warnings) host.err(`warning: ${warning}\n`);
      suppressions = read.suppressions;
    }
    const result = evaluateStoredFindings(findingsText, flags.query, {
      source: flags.findings,
      scanIds: flags.scanId ?? [],
      baseline,
      newOnly: flags.newOnly === true,
      suppressions,
    });
    for (const entry of suppressions?.unused() ?? []) {
      host.err(`warning: suppression entry ${entry.entry} (line ${entry.line}) in ${suppressions?.source ?? ''} matched no finding; remove it if the finding is gone.\n`);
    }
    printGate(host, result, formatQuery(parsed.query), flags.json === true);
    return result.passed ? EXIT_CODES.passed : EXIT_CODES.gateFailed;
  } catch (error) {
    if (error instanceof QueryError) printQueryError(host, error);
    else if (error instanceof ConfigError) printConfigError(host, error);
    else throw error;
    return EXIT_CODES.configError;
  }
}

/** `ias query check`: prints the normalised query (exit 0), or the problem with a caret under it (exit 2). */
export function checkQuery(terminal: Terminal, text: string): number {
  const parsed = parseQuery(text);
  if (!parsed.ok) {
    printQueryError(terminal, parsed.error);
    return EXIT_CODES.configError;
  }
  terminal.out(`${formatQuery(parsed.query)}\n`);
  const issues = listServerSafetyIssues(parsed.query);
  if (issues.length > 0) terminal.err(`note: the gate evaluates this query locally, not in the server search, because ${issues.join('; ')}.\n`);
  return EXIT_CODES.passed;
}
