import { escapeLogText, formatDuration, sanitizeLogMessage, type Logger, type Outcome, type RunEvent } from '@ias/core';

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
  const line = (level: 'debug' | 'info' | 'warn' | 'error', given: string): void => {
    // The last line of defence: no message can start a host command line or carry a terminal escape.
    const message = sanitizeLogMessage(given);
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

/** A logger plus the live status line a TTY shows while a scan runs. */
export interface CliRenderer {
  logger: Logger;
  onEvent(event: RunEvent): void;
  /** Clears the live line (before the final verdict). */
  finish(): void;
}

/**
 * Renders a run for humans. On a TTY, a single live line shows the status, the elapsed time and the engine's
 * counters, redrawn on every poll; log lines are printed above it. Elsewhere (CI logs), one line per status
 * change plus a heartbeat line per poll.
 */
export function createCliRenderer(terminal: Terminal, options: { json: boolean; debug: boolean; now: () => number }): CliRenderer {
  const live = terminal.isTTY && !options.json;
  let liveText = '';
  const clear = (): void => {
    if (liveText !== '') terminal.out('\r\u001b[2K');
  };
  const redraw = (): void => {
    if (liveText !== '') terminal.out(`${COLOR.dim}${liveText}${COLOR.reset}`);
  };
  const base = createCliLogger(terminal, options);
  const wrap = (fn: (m: string) => void) => (message: string) => {
    if (!live) return fn(message);
    clear();
    fn(message);
    redraw();
  };
  const logger: Logger = { debug: wrap(base.debug), info: wrap(base.info), warn: wrap(base.warn), error: wrap(base.error) };
  // A heartbeat right after a status line repeats it unless it brings the engine's counters.
  let statusJustLogged = false;
  return {
    logger,
    onEvent(event) {
      if (event.type === 'report') logger.info(`Wrote ${event.format} report: ${event.path}`);
      if (event.type === 'status') statusJustLogged = true;
      if (event.type !== 'progress') return;
      const repeat = statusJustLogged && event.details === undefined;
      statusJustLogged = false;
      if (repeat && !live) return;
      const d = event.details;
      const counters = d === undefined ? '' : ` · ${d.links_crawled ?? 0} links crawled, ${d.requests ?? 0} requests, ${d.attacked ?? 0} attacked, ${d.vulnerable ?? 0} vulnerable`;
      const text = `${escapeLogText(event.status)} for ${formatDuration(event.elapsedMs)}${counters}`;
      if (live) {
        clear();
        liveText = `⏳ Scan ${event.scanId}: ${text}`;
        redraw();
      } else {
        logger.info(`Scan ${event.scanId}: ${text}`);
      }
    },
    finish() {
      if (live) clear();
      liveText = '';
    },
  };
}

/** Prints the end of a run: the outcome as JSON (`--json`) or a verdict line for humans. */
export function printOutcome(terminal: Terminal, outcome: Outcome, json: boolean): void {
  if (json) {
    terminal.out(`${JSON.stringify(outcome)}\n`);
    return;
  }
  const ok = outcome.exitCode === 0;
  const e = escapeLogText;
  const counts = Object.entries(outcome.counts.bySeverity)
    .map(([severity, n]) => `${e(severity)} ${n}`)
    .join(', ');
  const lines = [
    outcome.scanId === null ? undefined : `Scan:    ${e(outcome.scanId)} (${e(outcome.status ?? 'unknown')}${outcome.failureReason ? `, ${e(outcome.failureReason)}` : ''})`,
    outcome.collected ? `Findings: ${outcome.counts.total}${counts ? ` (${counts})` : ''}` : undefined,
    outcome.reports.length > 0 ? `Reports: ${outcome.reports.map((r) => e(r.path)).join('\n         ')}` : undefined,
    outcome.baseline === null ? undefined : `Baseline: ${outcome.baseline.new} new, ${outcome.baseline.known} known, ${outcome.baseline.fixed} fixed`,
    outcome.suppressed === null ? undefined : `Suppressed: ${outcome.suppressed.count}`,
    outcome.gate === null ? undefined : `Gate:    ${outcome.gate.passed ? 'passed' : `FAILED, ${outcome.gate.matched} matching finding${outcome.gate.matched === 1 ? '' : 's'}`} (${e(outcome.gate.condition)})`,
  ].filter((l): l is string => l !== undefined);
  const verdict = `${ok ? '✔' : '✖'} ${e(outcome.message)} (exit ${outcome.exitCode})`;
  const styled = terminal.isTTY ? `${COLOR.bold}${ok ? COLOR.green : COLOR.red}${verdict}${COLOR.reset}` : verdict;
  terminal.out(`\n${lines.join('\n')}${lines.length > 0 ? '\n' : ''}${styled}\n`);
}
