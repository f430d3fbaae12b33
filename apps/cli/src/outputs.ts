import type { Logger, Outcome, RunEvent } from '@ias/core';

/** Where the CLI writes. */
export interface Terminal {
  out(text: string): void;
  err(text: string): void;
  /** Colours and symbols on a TTY; plain timestamped lines otherwise (CI logs). */
  isTTY: boolean;
}

const COLOR = { red: '\u001b[31m', green: '\u001b[32m', yellow: '\u001b[33m', dim: '\u001b[2m', bold: '\u001b[1m', reset: '\u001b[0m' } as const;

/**
 * The CLI's logger. With `--json`, human lines go to stderr so stdout carries only the outcome. On a TTY lines get
 * symbols and colour; elsewhere they are plain, prefixed with the UTC time, one event per line.
 */
export function createCliLogger(terminal: Terminal, options: { json: boolean; debug: boolean; now: () => number }): Logger {
  const write = (text: string): void => (options.json ? terminal.err(text) : terminal.out(text));
  const line = (level: 'debug' | 'info' | 'warn' | 'error', message: string): void => {
    if (terminal.isTTY) {
      const style = level === 'error' ? COLOR.red : level === 'warn' ? COLOR.yellow : level === 'debug' ? COLOR.dim : '';
      const mark = level === 'error' ? '✖ ' : level === 'warn' ? '⚠ ' : level === 'debug' ? '· ' : '• ';
      write(`${style}${mark}${message}${style ? COLOR.reset : ''}\n`);
    } else {
      const time = new Date(options.now()).toISOString().slice(11, 19);
      write(`[${time}] ${level === 'info' ? '' : `${level.toUpperCase()}: `}${message}\n`);
    }
  };
  return {
    debug: (m) => {
      if (options.debug) line('debug', m);
    },
    info: (m) => line('info', m),
    warn: (m) => line('warn', m),
    error: (m) => line('error', m),
  };
}

/** Renders the events the logger does not already tell (report paths). */
export function createEventRenderer(logger: Logger): (event: RunEvent) => void {
  return (event) => {
    if (event.type === 'report') logger.info(`Wrote ${event.format} report: ${event.path}`);
  };
}

/** Prints the end of a run: the outcome as JSON (`--json`) or a verdict line for humans. */
export function printOutcome(terminal: Terminal, outcome: Outcome, json: boolean): void {
  if (json) {
    terminal.out(`${JSON.stringify(outcome)}\n`);
    return;
  }
  const ok = outcome.exitCode === 0;
  const counts = Object.entries(outcome.counts.bySeverity)
    .map(([severity, n]) => `${severity} ${n}`)
    .join(', ');
  const lines = [
    outcome.scanId === null ? undefined : `Scan:    ${outcome.scanId} (${outcome.status ?? 'unknown'}${outcome.failureReason ? `, ${outcome.failureReason}` : ''})`,
    outcome.collected ? `Findings: ${outcome.counts.total}${counts ? ` (${counts})` : ''}` : undefined,
    outcome.reports.length > 0 ? `Reports: ${outcome.reports.map((r) => r.path).join('\n         ')}` : undefined,
    outcome.gate === null ? undefined : `Gate:    ${outcome.gate.passed ? 'passed' : `FAILED, ${outcome.gate.matched} matching finding${outcome.gate.matched === 1 ? '' : 's'}`} (${outcome.gate.condition})`,
  ].filter((l): l is string => l !== undefined);
  const verdict = `${ok ? '✔' : '✖'} ${outcome.message} (exit ${outcome.exitCode})`;
  const styled = terminal.isTTY ? `${COLOR.bold}${ok ? COLOR.green : COLOR.red}${verdict}${COLOR.reset}` : verdict;
  terminal.out(`\n${lines.join('\n')}${lines.length > 0 ? '\n' : ''}${styled}\n`);
}
