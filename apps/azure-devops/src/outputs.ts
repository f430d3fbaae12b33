import { basename } from 'node:path';
import { escapeLogText, sanitizeLogMessage, type Logger, type Outcome, type RunEvent } from '@ias/core';
import type { TaskOptions } from './inputs';
import type { TaskHost, TaskResult } from './task-host';

/** At most this many gate matches become error annotations; the rest are in the reports. */
export const MAX_MATCH_ISSUES = 10;

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

  if (outcome.gate !== null && !outcome.gate.passed) {
    const type = options.warnOnly ? 'warning' : 'error';
    for (const m of outcome.gate.matches.slice(0, MAX_MATCH_ISSUES)) {
      // task-lib escapes the issue text as command data; the fields are escaped too (control characters, ANSI).
      const e = escapeLogText;
      const where = [m.method, m.url].filter(Boolean).map((p) => e(p ?? '')).join(' ');
      host.logIssue(type, `${e(m.severity)} ${e(m.module)}${where ? `: ${where}` : ''}${m.parameter ? ` [${e(m.parameter)}]` : ''} (vulnerability ${e(m.id)})`);
    }
    if (outcome.gate.matched > MAX_MATCH_ISSUES) host.logIssue(type, `… and ${outcome.gate.matched - MAX_MATCH_ISSUES} more findings match the gate; see the reports.`);
  }

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

  const result = taskResultFor(outcome, options.warnOnly);
  host.setResult(result, oneLine(outcome.message));
  return result;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
