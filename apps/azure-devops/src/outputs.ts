import { basename } from 'node:path';
import { escapeLogText, sanitizeLogMessage, type Logger, type Outcome, type RunEvent } from '@ias/core';
import type { TaskOptions } from './inputs';
import type { TaskHost, TaskResult } from './task-host';

/**
 * The agent keeps the first 10 error and the first 10 warning issues of a step (azure-pipelines-agent
 * ExecutionContext.cs `_maxIssueCount`); later ones reach the log only.
 */
export const AGENT_ISSUE_CAP = 10;

/**
 * Logs the one-line reason as the step's next issue, then as many matches as still fit under the agent's cap with
 * a closing "… and N more" line, so reason, matches and the count all reach the run summary.
 */
export function logReasonAndMatches(host: TaskHost, type: 'error' | 'warning', reason: string, matches: readonly string[], matched: number): void {
  host.logIssue(type, reason);
  const room = Math.max(0, AGENT_ISSUE_CAP - host.issueCount(type));
  if (matched <= room && matches.length >= matched) {
    for (const m of matches) host.logIssue(type, m);
    return;
  }
  const shown = Math.max(0, Math.min(matches.length, room - 1));
  for (const m of matches.slice(0, shown)) host.logIssue(type, m);
  if (room > 0) host.logIssue(type, `… and ${matched - shown} more findings match the gate; see the reports.`);
}

/** Core's logger on the task log: warnings become warning issues; errors are red lines (the result makes the issue). */
export function createTaskLogger(host: TaskHost, redact: (text: string) => string): Logger {
  // Plain lines reach the agent raw, and it runs `##vso[` anywhere in a line: sanitising is the last line of defence.
  const clean = (m: string): string => sanitizeLogMessage(redact(m));
  return {
    debug: (m) => host.debug(clean(m)),
    info: (m) => host.info(clean(m)),
    warn: (m) => host.warning(clean(m)),
    error: (m) => host.errorLine(clean(m)),
  };
}

/** Records the scan id the moment it exists, so a canceled or killed job still tells which scan it started. */
export function createEventHandler(host: TaskHost): (event: RunEvent) => void {
  return (event) => {
    if (event.type === 'launched') host.setOutput('scanId', event.scanId);
    else if (event.type === 'report') host.info(sanitizeLogMessage(`Wrote ${event.format} report: ${event.path}`));
  };
}

/** What {@link publishOutcome} needs beyond the host. */
export interface PublishEffects {
  /** Zips files (release pipelines have no artifact container). */
  zip(zipPath: string, files: readonly { name: string; path: string }[]): Promise<void>;
  exists(path: string): boolean;
}

/** The task result of an outcome: a failed gate is SucceededWithIssues when the task is warn-only. */
export function taskResultFor(outcome: Outcome, warnOnly: boolean): TaskResult {
  switch (outcome.result) {
    case 'passed':
      return 'Succeeded';
    case 'gate-failed':
      return warnOnly ? 'SucceededWithIssues' : 'Failed';
    case 'config-error':
    case 'scan-failed':
    case 'budget-exceeded':
    case 'api-error':
    case 'interrupted':
      return 'Failed';
    default: {
      const unreachable: never = outcome.result;
      return unreachable;
    }
  }
}

/** Turns the outcome into output variables, annotations, the summary tab, artifacts and the task result. */
export async function publishOutcome(host: TaskHost, outcome: Outcome, options: TaskOptions, effects: PublishEffects): Promise<TaskResult> {
  const severity = (name: string): string => String(outcome.counts.bySeverity[name] ?? 0);
  const outputs: [string, string][] = [
    ['scanStatus', outcome.status ?? ''],
    ['result', outcome.result],
    ['gateResult', outcome.gate === null ? 'not-evaluated' : outcome.gate.passed ? 'passed' : 'failed'],
    ['gateMatched', String(outcome.gate?.matched ?? 0)],
    ['findingsTotal', String(outcome.counts.total)],
    ['findingsCritical', severity('CRITICAL')],
    ['findingsHigh', severity('HIGH')],
    ['findingsMedium', severity('MEDIUM')],
    ['findingsLow', severity('LOW')],
    ['findingsInformational', severity('INFORMATIONAL')],
    ['reportDirectory', outcome.reports.length > 0 ? options.outputDir : ''],
  ];
  if (outcome.scanId !== null) outputs.unshift(['scanId', outcome.scanId]);
  for (const [name, value] of outputs) host.setOutput(name, value);

  const result = taskResultFor(outcome, options.warnOnly);
  const reason = oneLine(outcome.message);
  const matches =
    outcome.gate !== null && !outcome.gate.passed
      ? outcome.gate.matches.slice(0, AGENT_ISSUE_CAP).map((m) => {
          // task-lib escapes the issue text as command data; the fields are escaped too (control characters, ANSI).
          const e = escapeLogText;
          const where = [m.method, m.url].filter(Boolean).map((p) => e(p ?? '')).join(' ');
          return oneLine(`${e(m.severity)} ${e(m.module)}${where ? `: ${where}` : ''}${m.parameter ? ` [${e(m.parameter)}]` : ''} (vulnerability ${e(m.id)})`);
        })
      : [];
  // The reason comes first, so the agent's cap of 10 issues per step never drops it.
  if (result !== 'Succeeded') logReasonAndMatches(host, result === 'Failed' ? 'error' : 'warning', reason, matches, matches.length === 0 ? 0 : (outcome.gate?.matched ?? 0));

  const summary = outcome.reports.find((r) => r.format === 'markdown');
  if (summary !== undefined && effects.exists(summary.path)) host.uploadSummary(summary.path);

  const files = outcome.reports.filter((r) => effects.exists(r.path));
  if (options.publishArtifacts && files.length > 0) {
    if (options.hostType === 'release') {
      const zipPath = `${options.outputDir.replace(/[\\/]+$/, '')}.zip`;
      await effects.zip(zipPath, files.map((r) => ({ name: basename(r.path), path: r.path })));
      host.uploadFile(zipPath);
    } else if (options.artifactPerReport) {
      for (const report of files) host.uploadArtifact(basename(report.path), report.path, basename(report.path));
    } else {
      host.uploadArtifact(options.artifactName, options.outputDir, options.artifactName);
    }
  }

  host.complete(result, reason);
  return result;
}

/**
 * One log line: hostile scan data never starts a new line, and the agent, which reads `##vso[` anywhere in a line
 * (azure-pipelines-agent Command.cs TryParse), finds no command in it (core's sanitiser).
 */
export function oneLine(text: string): string {
  return sanitizeLogMessage(text.replace(/\s*[\r\n]+\s*/g, ' ').trim());
}
