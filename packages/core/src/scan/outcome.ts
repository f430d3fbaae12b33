import type { ReportFormat } from '../config/schema';
import type { ErrorCode } from '../errors';

/** Exit statuses (architecture §4.2); other hosts map the same outcomes to their result states. */
export const EXIT_CODES = {
  passed: 0,
  gateFailed: 1,
  configError: 2,
  scanFailed: 3,
  budgetExceeded: 4,
  apiError: 5,
  interrupted: 130,
} as const;

/** One exit status. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** How a run ended, in words a host can map. */
export type OutcomeResult = 'passed' | 'gate-failed' | 'config-error' | 'scan-failed' | 'budget-exceeded' | 'api-error' | 'interrupted';

/** The exit status of an error code. Exhaustive: a new code does not compile until it is mapped. */
export function exitCodeForError(code: ErrorCode): ExitCode {
  switch (code) {
    case 'CONFIG_INVALID':
    case 'QUERY_INVALID':
    case 'NOT_FOUND':
      return EXIT_CODES.configError;
    case 'SCAN_FAILED':
      return EXIT_CODES.scanFailed;
    case 'SCAN_TIMEOUT':
      return EXIT_CODES.budgetExceeded;
    case 'AUTH_FAILED':
    case 'HTTP_ERROR':
    case 'NETWORK_ERROR':
    case 'TIMEOUT':
    case 'RESPONSE_INVALID':
    case 'REPORT_WRITE_FAILED':
    case 'INTERNAL_ERROR':
      return EXIT_CODES.apiError;
    case 'ABORTED':
      return EXIT_CODES.interrupted;
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}

/** The result word of an exit status. */
export function resultForExitCode(exitCode: ExitCode): OutcomeResult {
  switch (exitCode) {
    case 0:
      return 'passed';
    case 1:
      return 'gate-failed';
    case 2:
      return 'config-error';
    case 3:
      return 'scan-failed';
    case 4:
      return 'budget-exceeded';
    case 5:
      return 'api-error';
    case 130:
      return 'interrupted';
    default: {
      const unreachable: never = exitCode;
      return unreachable;
    }
  }
}

/** A gate match as the outcome lists it. */
export interface OutcomeMatch {
  id: string;
  severity: string;
  module: string;
  method: string | undefined;
  url: string | undefined;
  parameter: string | undefined;
}

/**
 * Everything a run produced: what adapters turn into exit codes, output variables and summaries, and the
 * content of `insightappsec-scan-result.json` (and of the CLI's `--json`).
 */
export interface Outcome {
  /** The scan, as soon as it exists (also on failures after the launch), else `null`. */
  scanId: string | null;
  status: string | null;
  failureReason: string | null;
  exitCode: ExitCode;
  result: OutcomeResult;
  /** One sentence: what happened and, on failure, what to do. */
  message: string;
  error: { code: ErrorCode; message: string } | null;
  app: { id: string; name: string } | null;
  scanConfig: { id: string; name: string } | null;
  /** How the wait ended: `completed`, or the early advance mode. `null` when the run ended before. */
  advancedOn: 'submitted' | 'started' | 'completed' | null;
  /** `null` without a gate, or when the run ended before gating. */
  gate: null | {
    passed: boolean;
    /** Findings that matched locally or on the server (the gate fails closed on any disagreement). */
    matched: number;
    condition: string;
    /** The scan-scoped search sent to the API, or `null` when the gate ran locally only. */
    query: string | null;
    localMatched: number;
    serverMatched: number | null;
    disagreements: { id: string; matchedBy: 'local' | 'server' }[];
    /** Matching findings that did not gate: suppressed, or known to the baseline under new-only gating. */
    exempted: { suppressed: number; known: number };
    /** Gating findings by severity (all of them, not only the listed matches). */
    bySeverity: Record<string, number>;
    matches: OutcomeMatch[];
  };
  /** New, known and fixed findings against the baseline, or `null` without one. */
  baseline: { new: number; known: number; fixed: number } | null;
  /** The scan's page in the InsightAppSec UI, when a finding showed the UI's address; `null` otherwise. */
  scanUrl: string | null;
  /** Findings the suppressions file exempted from the gate (listed up to 1,000), or `null` without one. */
  suppressed: { count: number; findings: { id: string; severity: string; reason: string; entry: number }[] } | null;
  counts: { total: number; bySeverity: Record<string, number>; byModule: Record<string, number> };
  /** Findings were collected (false when the run advanced early or ended before). */
  collected: boolean;
  reports: { format: ReportFormat | string; path: string }[];
  warnings: string[];
  timings: {
    startedAt: string;
    launchedAt: string | null;
    runningAt: string | null;
    completedAt: string | null;
    finishedAt: string;
    totalMs: number;
  };
}

/**
 * The outcome of a run that ended before it could start (bad input found by an adapter, or a problem the adapter
 * met before calling {@link runScanJob}): every field present, nothing launched, so hosts render it like any other.
 */
export function outcomeBeforeStart(exitCode: ExitCode, message: string, error: { code: ErrorCode } | null, now: number): Outcome {
  const at = new Date(now).toISOString();
  return {
    scanId: null,
    status: null,
    failureReason: null,
    exitCode,
    result: resultForExitCode(exitCode),
    message,
    error: error === null ? null : { code: error.code, message },
    app: null,
    scanConfig: null,
    advancedOn: null,
    gate: null,
    baseline: null,
    suppressed: null,
    scanUrl: null,
    counts: { total: 0, bySeverity: {}, byModule: {} },
    collected: false,
    reports: [],
    warnings: [],
    timings: { startedAt: at, launchedAt: null, runningAt: null, completedAt: null, finishedAt: at, totalMs: 0 },
  };
}
