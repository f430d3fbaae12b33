import { escapeLogText, redactSecrets, sanitizeLogMessage, severityRank, type Logger, type Outcome, type OutcomeMatch, type RunEvent } from '@ias/core';
import type { ActionToolkit } from './toolkit';

/** The outcome the action reports: core's, or core's outcomeBeforeStart for runs that end before it. */
export type ActionOutcome = Outcome;

/**
 * The runner keeps this many annotations of each type (error, warning, notice) per step; later ones are log lines
 * only (actions/runner, src/Runner.Worker/ExecutionContext.cs: `_maxCountPerIssueType = 10`, checked in `AddIssue`).
 */
export const RUNNER_ANNOTATIONS_PER_TYPE = 10;

/**
 * Gate matches shown as error annotations: the runner's cap less one slot, kept for the failure reason (emitted
 * first); the rest are counted in one notice.
 */
export const MAX_ANNOTATIONS = RUNNER_ANNOTATIONS_PER_TYPE - 1;

/** Every output the action sets (action.yml declares exactly these). */
export const OUTPUT_NAMES = ['scan-id', 'status', 'result', 'gate-result', 'findings-count', 'counts', 'report-dir', 'sarif-file', 'scan-findings'] as const;

/**
 * Core's log lines on the runner: debug lines only with step debug logging, warnings as warning annotations, and
 * errors as plain red lines (the one failure annotation is the step's result, set once at the end). Every line is
 * redacted, whatever core already did.
 */
export function createActionLogger(toolkit: ActionToolkit, secrets: readonly (string | undefined)[]): Logger {
  // `core.info` writes its text raw: sanitising is the last line of defence against a `::command::` line.
  const clean = (text: string): string => sanitizeLogMessage(redactSecrets(text, secrets));
  return {
    debug: (m) => toolkit.debug(clean(m)),
    info: (m) => toolkit.info(clean(m)),
    warn: (m) => toolkit.warning(clean(m)),
    error: (m) => toolkit.info(`\u001b[31m${clean(m)}\u001b[0m`),
  };
}

/**
 * Folds the run's log into collapsible groups, one per phase: launch, monitoring, findings and reports. It also
 * records the scan id the moment it exists (an output for later steps, state for the `post:` step).
 */
export function createProgress(toolkit: ActionToolkit, onLaunched: (scanId: string) => void): { onEvent: (event: RunEvent) => void; begin(): void; end(): void } {
  let open = false;
  let phase: 'launch' | 'monitor' | 'collect' | undefined;
  const enter = (next: typeof phase, title: string): void => {
    if (phase === next) return;
    if (open) toolkit.endGroup();
    toolkit.startGroup(title);
    open = true;
    phase = next;
  };
  return {
    begin: () => enter('launch', 'InsightAppSec: resolve and launch'),
    end: () => {
      if (open) toolkit.endGroup();
      open = false;
    },
    onEvent: (event) => {
      switch (event.type) {
        case 'launched':
          onLaunched(event.scanId);
          enter('monitor', `InsightAppSec: scan ${event.scanId}`);
          return;
        case 'findings':
          enter('collect', 'InsightAppSec: findings, reports and gate');
          return;
        case 'report':
          toolkit.info(sanitizeLogMessage(`Wrote ${event.format} report: ${event.path}`));
          return;
        default:
          return;
      }
    },
  };
}

/** What the outputs need besides the outcome. */
export interface OutputContext {
  outputDir: string;
}

/** The `gate-result` output: `passed`, `failed`, or `none` (no gate, or the run ended before gating). */
export function gateResult(outcome: ActionOutcome): 'passed' | 'failed' | 'none' {
  if (outcome.gate === null) return 'none';
  return outcome.gate.passed ? 'passed' : 'failed';
}

/**
 * The official action's `scan-findings` output: `Scan ID: <id>` when the step did not wait, otherwise
 * `{vulnerabilities: {SEVERITY: count}, scanLink}` pretty-printed, counting the findings that match the gate (all
 * findings without one), with `scanLink` left out when nothing is counted. `undefined` when the run ended without a
 * completed scan.
 */
export function officialScanFindings(outcome: ActionOutcome): string | undefined {
  if (outcome.scanId === null) return undefined;
  if (outcome.advancedOn === 'submitted' || outcome.advancedOn === 'started') return `Scan ID: ${outcome.scanId}`;
  if (!outcome.collected) return undefined;
  const counts: Record<string, number> = outcome.gate === null ? outcome.counts.bySeverity : outcome.gate.bySeverity;
  const vulnerabilities = Object.fromEntries(Object.entries(counts).sort(([a], [b]) => severityRank(b) - severityRank(a)));
  const body: { vulnerabilities: Record<string, number>; scanLink?: string } = { vulnerabilities };
  if (Object.keys(vulnerabilities).length > 0 && outcome.scanUrl !== null) body.scanLink = outcome.scanUrl;
  return JSON.stringify(body, null, 2);
}

/** Sets every output from the outcome. */
export function setOutputs(toolkit: ActionToolkit, outcome: ActionOutcome, context: OutputContext): void {
  const sarif = outcome.reports.find((r) => r.format === 'sarif');
  const values: Record<(typeof OUTPUT_NAMES)[number], string | undefined> = {
    'scan-id': outcome.scanId ?? '',
    status: outcome.status ?? '',
    result: outcome.result,
    'gate-result': gateResult(outcome),
    'findings-count': outcome.collected ? String(outcome.counts.total) : '',
    counts: JSON.stringify(outcome.counts),
    'report-dir': context.outputDir,
    'sarif-file': sarif?.path ?? '',
    'scan-findings': officialScanFindings(outcome),
  };
  for (const name of OUTPUT_NAMES) {
    const value = values[name];
    if (value !== undefined) toolkit.setOutput(name, value);
  }
}

/**
 * The gate's matches as error annotations, the most severe first, capped at {@link MAX_ANNOTATIONS} with a notice
 * for the rest. Call it after `setFailed`, so the reason holds the first error slot.
 */
export function annotateMatches(toolkit: ActionToolkit, outcome: ActionOutcome, outputDir: string): void {
  const gate = outcome.gate;
  if (gate === null || gate.passed) return;
  const sorted = [...gate.matches].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  for (const match of sorted.slice(0, MAX_ANNOTATIONS)) {
    // actions/core escapes the message and the title as command data and property; the fields are escaped too, so
    // no control character or ANSI escape from the scan reaches the annotation.
    toolkit.error(describeMatch(match), { title: `InsightAppSec ${escapeLogText(match.severity)}: ${escapeLogText(match.module)}` });
  }
  const rest = gate.matched - Math.min(MAX_ANNOTATIONS, sorted.length);
  if (rest > 0) {
    toolkit.notice(`${rest} more finding${rest === 1 ? '' : 's'} match the gate; see the job summary and the reports in ${outputDir}. Gate: ${gate.condition}.`, {
      title: `InsightAppSec: ${gate.matched} findings match the gate`,
    });
  }
}

function describeMatch(match: OutcomeMatch): string {
  const e = escapeLogText;
  const where = [match.method, match.url].filter((p) => p !== undefined && p !== '').map((p) => e(p ?? '')).join(' ');
  return `${e(match.module)} at ${where === '' ? 'an unknown location' : where}${match.parameter ? ` (parameter ${e(match.parameter)})` : ''}; vulnerability ${e(match.id)}`;
}

/** The one-line reason `setFailed` shows. */
export function failureLine(outcome: ActionOutcome): string {
  return outcome.message.replace(/\s+/g, ' ').trim();
}
