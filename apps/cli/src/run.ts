import { Command, CommanderError, Option } from 'commander';
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
import { addScanOptions, readScanInputs } from './inputs';
import type { CliHost } from './host';
import { registerOfflineCommands } from './offline-commands';
import { registerDiscoverCommand } from './discover-command';
import { registerCheckCommand } from './check-command';
import { createCliRenderer, printOutcome } from './outputs';


export type { CliHost } from './host';

/** Runs the `ias` command line and returns the exit status. */
export async function run(host: CliHost): Promise<number> {
  if (host.argv.some((a) => a === '--api-key' || a.startsWith('--api-key='))) {
    host.err('--api-key is not accepted: flags show up in process lists and logs; set the key in the IAS_API_KEY variable instead.\n');
    return EXIT_CODES.configError;
  }
  let exitCode: number = EXIT_CODES.passed;
  const program = new Command('ias')
    .description('Run Rapid7 InsightAppSec DAST scans from CI/CD pipelines.')
    .version(host.version, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => host.out(s), writeErr: (s) => host.err(s) })
    .showHelpAfterError('(run with --help for the options)');

  const scan = program
    .command('scan')
    .description(
      'Launch a scan (or attach to one), follow it, write reports and evaluate the gate.\n' +
        'The API key comes from the IAS_API_KEY variable only. Every option can also be set with the IAS_* variable shown.\n' +
        'Exit status: 0 passed, 1 gate failed, 2 bad input, 3 scan failed, 4 budget ran out, 5 API or network error, 130 interrupted.',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => host.out(s), writeErr: (s) => host.err(s) });
  addScanOptions(scan);
  scan.addOption(new Option('--json', 'print the outcome as one JSON object on stdout (human lines go to stderr)'));
  scan.addOption(new Option('--debug', 'log every retry and request decision (the API key is never shown) [IAS_DEBUG]'));
  scan.action(async (flags: Record<string, unknown>) => {
    exitCode = await runScan(host, flags);
  });

  program
    .command('status')
    .description('Print a scan\'s state (status, failure reason, engine counters) and exit 0. The API key comes from IAS_API_KEY.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => host.out(s), writeErr: (s) => host.err(s) })
    .addOption(new Option('--scan-id <UUID>', 'the scan [IAS_SCAN_ID]'))
    .addOption(new Option('--region <REGION>', 'InsightAppSec region (default: us) [IAS_REGION]'))
    .addOption(new Option('--base-url <URL>', 'full API base URL, overrides --region [IAS_BASE_URL]'))
    .addOption(new Option('--json', 'print the scan as JSON'))
    .action(async (flags: Record<string, unknown>) => {
      exitCode = await runStatus(host, flags);
    });

  registerOfflineCommands(program, host, (code) => {
    exitCode = code;
  });
  registerDiscoverCommand(program, host, (code) => (exitCode = code));
  registerCheckCommand(program, host, (code) => (exitCode = code));

  try {
    await program.parseAsync(['node', 'ias', ...host.argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT_CODES.passed;
      return EXIT_CODES.configError;
    }
    throw error;
  }
  if (host.argv.length === 0) {
    program.outputHelp();
    return EXIT_CODES.configError;
  }
  return exitCode;
}

async function runStatus(host: CliHost, flags: Record<string, unknown>): Promise<number> {
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

async function runScan(host: CliHost, flags: Record<string, unknown>): Promise<number> {
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
