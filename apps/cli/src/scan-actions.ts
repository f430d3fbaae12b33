import {
  EXIT_CODES,
  escapeLogText,
  exitCodeForError,
  failureAdvice,
  formatUserAgent,
  IasError,
  outcomeBeforeStart,
  parseStatusQuery,
  readScanStatus,
  parseConfig,
  redactSecrets,
  runScanJob,
} from '@ias/core';
import { createFileReportSink } from '@ias/host-node';
import type { CliHost } from './host';
import { readScanInputs } from './inputs';
import { createCliRenderer, printOutcome } from './outputs';

// What `ias scan` and `ias status` do once commander has parsed them. Their actions in run.ts load this module, so
// a run of any other command (or of `--version`, `--help`) never evaluates the scan lifecycle.

/** `ias status`: prints a scan's state. */
export async function runStatus(host: CliHost, flags: Record<string, unknown>): Promise<number> {
  const json = flags.json === true;
  const logger = createCliRenderer(host, { json, debug: false, now: () => host.clock.now() }).logger;
  const { raw, names } = readScanInputs({ flags, env: host.env });
  try {
    const query = parseStatusQuery(raw, names);
    const { scan, details } = await readScanStatus(query, { fetch: host.fetch, clock: host.clock, logger, userAgent: formatUserAgent('cli', host.version, host.runtime), ...(host.signal === undefined ? {} : { signal: host.signal }) });
    if (json) {
      host.out(`${JSON.stringify({ scan, executionDetails: details ?? null })}\n`);
    } else {
      // Everything here comes from the server: escaped, so it can start no host command line.
      const e = escapeLogText;
      host.out(`Scan ${e(scan.id)}: ${e(scan.status)}${scan.failure_reason ? ` (${e(scan.failure_reason)}: ${failureAdvice(scan.failure_reason)})` : ''}\n`);
      host.out(`Submitted ${e(scan.submit_time ?? 'unknown')}${scan.completion_time ? `, completed ${e(scan.completion_time)}` : ''}\n`);
      if (details !== undefined) host.out(`${details.links_crawled ?? 0} links crawled, ${details.requests ?? 0} requests, ${details.attacked ?? 0} attacked, ${details.vulnerable ?? 0} vulnerable\n`);
    }
    return EXIT_CODES.passed;
  } catch (error) {
    if (error instanceof IasError) {
      logger.error(redactSecrets(error.message, [raw.apiKey?.toString()]));
      return exitCodeForError(error.code);
    }
    throw error;
  }
}

/** `ias scan`: launches or attaches to a scan, follows it, writes the reports and evaluates the gate. */
export async function runScan(host: CliHost, flags: Record<string, unknown>): Promise<number> {
  const json = flags.json === true;
  const debug = flags.debug === true || /^(1|true|yes)$/i.test(host.env.IAS_DEBUG ?? '');
  const renderer = createCliRenderer(host, { json, debug, now: () => host.clock.now() });
  const logger = renderer.logger;
  const { raw, names } = readScanInputs({ flags, env: host.env });
  const parsed = parseConfig(raw, { names });
  for (const warning of parsed.warnings) logger.warn(warning);
  if (!parsed.ok) {
    for (const issue of parsed.errors) {
      logger.error(`${redactSecrets(issue.message, [raw.apiKey?.toString()])}.`);
      if (issue.detail !== undefined) (json ? host.err : host.out)(`${redactSecrets(issue.detail, [raw.apiKey?.toString()])}\n`);
    }
    if (json) host.out(`${JSON.stringify(outcomeBeforeStart(EXIT_CODES.configError, parsed.errors.map((e) => `${e.message}.`).join(' '), { code: 'CONFIG_INVALID' }, host.clock.now()))}\n`);
    return EXIT_CODES.configError;
  }
  const job = parsed.job;
  const outputDir = job.outputDir ?? 'ias-reports';
  const sink = (host.createSink ?? createFileReportSink)(outputDir);
  const outcome = await runScanJob(job, {
    fetch: host.fetch,
    clock: host.clock,
    logger,
    sink,
    userAgent: formatUserAgent('cli', host.version, host.runtime),
    inputNames: names,
    readText: host.readText,
    ...(host.documentationCache === undefined ? {} : { documentationCache: host.documentationCache }),
    onEvent: (event) => renderer.onEvent(event),
    ...(host.signal === undefined ? {} : { signal: host.signal }),
  });
  renderer.finish();
  printOutcome(host, outcome, json);
  return outcome.exitCode;
}
