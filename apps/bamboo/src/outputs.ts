import { relative, isAbsolute } from 'node:path';
import { redactSecrets, sanitizeLogMessage, type Logger, type Outcome, type ReportSink, type RunEvent } from '@ias/core';
import type { ReportFile } from '@ias/host-node';

/** Where the task writes: Bamboo records stdout as the build log and stderr as error lines (the Error summary). */
export interface BambooTerminal {
  out(text: string): void;
  err(text: string): void;
}

/**
 * The task's logger. Bamboo timestamps every line itself and has no run-time masking, so every line (debug
 * included) goes through {@link redactSecrets} with the API key and proxy password before it is written.
 */
export function createBambooLogger(terminal: BambooTerminal, options: { secrets: readonly string[]; debug: boolean }): Logger & { redact(text: string): string } {
  const redact = (text: string): string => redactSecrets(text, options.secrets);
  const write = (to: 'out' | 'err', prefix: string, message: string): void => {
    // The last line of defence: no line can start with `::`/`##` or carry a carriage return or a terminal escape.
    const lines = sanitizeLogMessage(redact(message)).split('\n');
    terminal[to](`${lines.map((l) => `${prefix}${l}`).join('\n')}\n`);
  };
  return {
    redact,
    debug: (m) => {
      if (options.debug) write('out', 'DEBUG: ', m);
    },
    info: (m) => write('out', '', m),
    warn: (m) => write('out', 'WARNING: ', m),
    error: (m) => write('err', 'ERROR: ', m),
  };
}

/** Renders what core's own log lines do not say: the scan id to resume with, and each report as it is written. */
export function createEventRenderer(logger: Logger): (event: RunEvent) => void {
  return (event) => {
    if (event.type === 'launched' && !event.attached) logger.info(`Scan ID: ${event.scanId} (set ias.scanId to this value to attach to it from another build)`);
    if (event.type === 'report') logger.info(`Wrote ${event.format} report: ${event.path}`);
  };
}

/** What the end of a run needs, from core's outcome (or core's `outcomeBeforeStart` for settings refused before it ran). */
export interface RunSummary {
  exitCode: number;
  result: Outcome['result'];
  message: string;
  scanId: string | null;
  status: string | null;
  advancedOn: Outcome['advancedOn'];
  collected: boolean;
  total: number;
  gate: { passed: boolean; matched: number; condition: string } | null;
  reports: { format: string; path: string }[];
}

/** The summary of a run that core finished. */
export function summarize(outcome: Outcome): RunSummary {
  return {
    exitCode: outcome.exitCode,
    result: outcome.result,
    message: outcome.message,
    scanId: outcome.scanId,
    status: outcome.status,
    advancedOn: outcome.advancedOn,
    collected: outcome.collected,
    total: outcome.counts.total,
    gate: outcome.gate === null ? null : { passed: outcome.gate.passed, matched: outcome.gate.matched, condition: outcome.gate.condition },
    reports: outcome.reports,
  };
}

const VERDICT: Record<Outcome['result'], string> = {
  passed: 'PASSED',
  'gate-failed': 'FAILED (vulnerability query matched)',
  'config-error': 'FAILED (configuration error)',
  'scan-failed': 'FAILED (scan failed)',
  'budget-exceeded': 'FAILED (scan timed out)',
  'api-error': 'FAILED (API error)',
  interrupted: 'STOPPED (build stopped)',
};

/** The last line of the task's log: the verdict, the number of matching findings and the exit status. */
export function formatVerdictLine(summary: RunSummary): string {
  const matched = summary.gate?.matched ?? 0;
  const findings = `${matched} matching finding${matched === 1 ? '' : 's'}`;
  let context: string;
  if (summary.gate !== null) {
    context = `for ${summary.gate.condition}, of ${summary.total} finding${summary.total === 1 ? '' : 's'} in scan ${summary.scanId ?? '(none)'}`;
  } else if (summary.collected) {
    context = `(no vulnerability query enforced; ${summary.total} finding${summary.total === 1 ? '' : 's'} in scan ${summary.scanId ?? '(none)'})`;
  } else if (summary.exitCode === 0 && summary.advancedOn !== null && summary.advancedOn !== 'completed') {
    context = `(scan ${summary.scanId ?? '(none)'} advanced once ${summary.advancedOn.toUpperCase()}; findings not collected)`;
  } else {
    context = `(findings not evaluated: ${summary.message.replace(/\.$/, '')})`;
  }
  return `InsightAppSec verdict: ${VERDICT[summary.result]}, ${findings} ${context}; exit ${summary.exitCode}`;
}

/** The `key=value` file for Bamboo's "Inject Bamboo variables" task. */
export const VARIABLES_FILE = 'insightappsec-scan-variables.properties';

/** Writes the values later tasks can read through "Inject Bamboo variables" (e.g. `${bamboo.ias.scanId}`). */
export async function writeVariablesFile(sink: ReportSink, summary: RunSummary): Promise<string> {
  const values: [string, string][] = [
    ['scanId', summary.scanId ?? ''],
    ['scanStatus', summary.status ?? ''],
    ['result', summary.result],
    ['exitCode', String(summary.exitCode)],
    ['findings', String(summary.total)],
    ['matchingFindings', String(summary.gate?.matched ?? 0)],
  ];
  const writer = await sink.create(VARIABLES_FILE);
  await writer.write(values.map(([k, v]) => `${escapeProperty(k, true)}=${escapeProperty(v, false)}`).join('\n') + '\n');
  await writer.close();
  return writer.path;
}

/**
 * Escapes a key or value the way java.util.Properties#store does, since Bamboo's "Inject Bamboo variables" task
 * reads the file with Properties#load (ISO 8859-1): `\\`, tab, newline, carriage return and form feed get their
 * escapes; `=`, `:`, `#` and `!` are preceded by a backslash; spaces in a key, and a leading space in a value, are
 * escaped; every other character outside printable ASCII becomes `\\uXXXX` (one per UTF-16 code unit), so a value
 * can never end in a continuation backslash or spill into another line.
 */
export function escapeProperty(text: string, isKey: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charAt(i);
    const code = text.charCodeAt(i);
    if (ch === '\\') out += '\\\\';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\f') out += '\\f';
    else if (ch === ' ') out += i === 0 || isKey ? '\\ ' : ' ';
    else if (ch === '=' || ch === ':' || ch === '#' || ch === '!') out += `\\${ch}`;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/**
 * Logs which report files exist in the report folder and, for the two the official task wrote, why one is missing;
 * warns when the folder is outside the working directory, where artifact patterns cannot reach it.
 */
export function logReportFiles(logger: Logger, files: readonly ReportFile[], context: { outputDir: string; workingDirectory: string; summary: RunSummary; findingsReport: boolean }): void {
  const { summary } = context;
  const where = relative(context.workingDirectory, context.outputDir);
  if (files.length === 0) {
    logger.warn(`No report files in ${context.outputDir}`);
  } else {
    logger.info(`Report files in ${context.outputDir}${where === '' ? ' (the build working directory)' : ''}:`);
    for (const file of files) logger.info(`  ${file.name} (${formatBytes(file.bytes)})`);
  }
  const has = (name: string): boolean => files.some((f) => f.name === name);
  if (!has('insightappsec-scan-metrics.json') || (!has('insightappsec-scan-findings.json') && context.findingsReport)) {
    let why: string;
    if (!summary.collected && summary.exitCode === 0 && summary.advancedOn !== null && summary.advancedOn !== 'completed') {
      why = `the task advanced once the scan was ${summary.advancedOn.toUpperCase()}, before it completed; set ias.advanceOn to COMPLETED to get them`;
    } else if (summary.result === 'config-error') {
      why = 'the settings are invalid, so no scan ran (see the errors above)';
    } else if (!summary.collected) {
      why = 'the scan did not complete (see the errors above)';
    } else {
      why = 'ias.reports leaves them out';
    }
    logger.info(`No metrics or findings report: ${why}.`);
  }
  if (!context.findingsReport && summary.collected) logger.info('No findings report: ias.findingsReport (Findings Report Generation) is false.');
  if (where.startsWith('..') || isAbsolute(where)) {
    logger.warn(`The report folder ${context.outputDir} is outside the build working directory ${context.workingDirectory}; Bamboo artifact definitions cannot collect files from there`);
  } else if (where !== '') {
    logger.info(`Artifact copy pattern for these files: ${where.split('\\').join('/')}/insightappsec-scan-*`);
  }
}

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
