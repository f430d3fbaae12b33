import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  EXIT_CODES,
  formatPreflightItem,
  formatPreflightSummary,
  formatUserAgent,
  outcomeBeforeStart,
  parseConfig,
  preflightOfInvalidSettings,
  runPreflight,
  runScanJob,
  writeReportsBeforeStart,
  type Clock,
  type FetchLike,
  type Logger,
  type Outcome,
  type PreflightResult,
  type ReportSink,
} from '@ias/core';
import { createFileReportSink, createTracingFetch, documentationCacheIn, listReportFiles, proxyForUrl } from '@ias/host-node';
import { readBambooInputs, type BambooInputs } from './inputs';
import {
  createBambooLogger,
  createEventRenderer,
  formatVerdictLine,
  logReportFiles,
  summarize,
  writeVariablesFile,
  type BambooTerminal,
} from './outputs';
import { API_KEY_VARIABLE, environmentName, SETTINGS } from './settings';

/** What the task needs from its process; tests pass fakes, `main.ts` the real ones. */
export interface BambooHost extends BambooTerminal {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** The process's working directory (Bamboo starts Script tasks in the build working directory). */
  cwd: string;
  /** Builds the fetch, with the proxy from `ias.proxy` when set. */
  createFetch(proxy: string | undefined): FetchLike;
  clock: Clock;
  signal?: AbortSignal;
  version: string;
  /** e.g. `node/20.20.2; linux` */
  runtime: string;
  /** @default files in the report folder */
  createSink?: (directory: string) => ReportSink;
}

/** Runs the Bamboo task and returns its exit status (architecture §4.2). */
export async function run(host: BambooHost): Promise<number> {
  const inputs = readBambooInputs(host.argv, host.env, host.cwd);
  const logger = createBambooLogger(host, { secrets: inputs.secrets, debug: inputs.debug });
  if (inputs.help) {
    host.out(usage(host.version));
    return 0;
  }
  if (inputs.version) {
    host.out(`${host.version}\n`);
    return 0;
  }
  logger.info(`Rapid7 InsightAppSec ${inputs.check ? 'settings check' : 'scan'} (ias-bamboo ${host.version}, ${host.runtime})`);
  for (const warning of inputs.warnings) logger.warn(warning);
  logSources(logger, inputs);
  if (inputs.check) return check(host, logger, inputs);

  const sink = (host.createSink ?? createFileReportSink)(inputs.outputDir);
  if (inputs.errors.length > 0) {
    for (const error of inputs.errors) logger.error(`${error}.`);
    return finish(host, logger, inputs, sink, settingsError(host, inputs.errors[0] ?? 'The settings are invalid.'), true);
  }
  const parsed = parseConfig(inputs.raw, { names: inputs.names });
  for (const warning of parsed.warnings) logger.warn(warning);
  if (!parsed.ok) {
    for (const issue of parsed.errors) {
      logger.error(`${issue.message}.`);
      if (issue.detail !== undefined) logger.error(issue.detail);
    }
    return finish(host, logger, inputs, sink, settingsError(host, `${parsed.errors[0]?.message ?? 'The settings are invalid'}.`), true);
  }
  const job = parsed.job;
  logger.info(`Application: ${job.app ?? "(the scan configuration's)"}; scan configuration: ${job.scanConfig}; advance when the scan has been ${job.advanceOn.toUpperCase()}; reports in ${inputs.outputDir}`);

  const baseFetch = host.createFetch(inputs.proxy);
  const fetch = inputs.debug ? createTracingFetch(baseFetch, (line) => logger.debug(line), () => host.clock.now()) : baseFetch;
  const outcome = await runScanJob(job, {
    fetch,
    clock: host.clock,
    logger,
    sink,
    userAgent: formatUserAgent('bamboo', host.version, host.runtime),
    // Bamboo has no tool cache: the folder above the build working directory outlives the build.
    ...documentationCacheIn(dirname(resolve(inputs.workingDirectory))),
    // Baseline and suppressions paths are read relative to the step's working directory.
    readText: (path) => readFile(path, 'utf8'),
    inputNames: inputs.names,
    onEvent: createEventRenderer(logger),
    ...(host.signal === undefined ? {} : { signal: host.signal }),
  });
  return finish(host, logger, inputs, sink, outcome, job.reports.includes('junit'), job.findingsReport);
}

/**
 * `ias-bamboo check`: the validation the official plugin did when the task was saved (key, region, app, scan
 * configuration), plus the query, the files, the report folder and the proxy; one line per check, nothing launched
 * and no report written. Meant as the first task of the job, so a wrong setting fails in seconds.
 */
async function check(host: BambooHost, logger: Logger, inputs: BambooInputs): Promise<number> {
  let result: PreflightResult;
  const parsed = inputs.errors.length > 0 ? undefined : parseConfig(inputs.raw, { names: inputs.names });
  for (const warning of parsed?.warnings ?? []) logger.warn(warning);
  if (parsed === undefined || !parsed.ok) {
    result = preflightOfInvalidSettings(parsed === undefined ? inputs.errors.map((e) => `${e}.`) : parsed.errors.map((issue) => `${issue.message}.`));
  } else {
    const baseFetch = host.createFetch(inputs.proxy);
    result = await runPreflight(parsed.job, {
      fetch: inputs.debug ? createTracingFetch(baseFetch, (line) => logger.debug(line), () => host.clock.now()) : baseFetch,
      clock: host.clock,
      logger,
      sink: (host.createSink ?? createFileReportSink)(inputs.outputDir),
      userAgent: formatUserAgent('bamboo', host.version, host.runtime),
      proxy: inputs.proxy ?? proxyForUrl(parsed.job.baseUrl, host.env),
      inputNames: inputs.names,
      readText: (path) => readFile(path, 'utf8'),
      ...(host.signal === undefined ? {} : { signal: host.signal }),
    });
  }
  for (const item of result.items) {
    if (item.state === 'failed') logger.error(formatPreflightItem(item));
    else logger.info(formatPreflightItem(item));
  }
  logger.info(`InsightAppSec check: ${formatPreflightSummary(result)}`);
  return result.exitCode;
}

/** The outcome of settings refused before core ran. */
function settingsError(host: BambooHost, message: string): Outcome {
  return outcomeBeforeStart(EXIT_CODES.configError, message, { code: 'CONFIG_INVALID' }, host.clock.now());
}

async function finish(host: BambooHost, logger: Logger, inputs: BambooInputs, sink: ReportSink, outcome: Outcome, wantsJunit: boolean, findingsReport = true): Promise<number> {
  const summary = summarize(outcome);
  try {
    // Bamboo's JUnit Parser fails a job that has no result file, so when core wrote none (the task advanced early,
    // the scan failed, the input was wrong) core's writer makes one test case that carries the outcome.
    for (const report of await writeReportsBeforeStart(outcome, wantsJunit ? ['junit'] : [], sink, host.clock)) {
      logger.info(`Wrote ${report.format} report (the outcome as one test case): ${report.path}`);
    }
    await writeVariablesFile(sink, summary);
  } catch (error) {
    logger.error(`Could not write to the report folder ${inputs.outputDir}: ${error instanceof Error ? error.message : String(error)}`);
  }
  logReportFiles(logger, await listReportFiles(inputs.outputDir), { outputDir: inputs.outputDir, workingDirectory: inputs.workingDirectory, summary, findingsReport });
  logger.info(formatVerdictLine(summary));
  return summary.exitCode;
}

function logSources(logger: Logger, inputs: BambooInputs): void {
  if (!inputs.debug) return;
  logger.debug(`Working directory: ${inputs.workingDirectory}`);
  for (const source of inputs.sources) {
    const value = source.value === undefined ? '(not set, default)' : `'${source.value}'`;
    logger.debug(`${source.variable} = ${value}${source.origin === undefined ? '' : ` from ${source.origin}`}`);
  }
  const key = inputs.raw.apiKey;
  logger.debug(`API key: ${typeof key === 'string' && key !== '' ? `set (${key.length} characters, from ${inputs.names.apiKey ?? API_KEY_VARIABLE})` : 'not set'}`);
}

function usage(version: string): string {
  const rows = SETTINGS.map((s) => {
    const def = s.shownDefault === undefined ? '' : ` (default: ${s.shownDefault})`;
    return `  --${s.flag.padEnd(20)} ${s.variable} → ${environmentName(s.variable)}\n  ${''.padEnd(22)} ${s.help}${def}${s.field === undefined ? '' : ` [task field: ${s.field}]`}`;
  });
  return [
    `ias-bamboo ${version}: run a Rapid7 InsightAppSec scan from a Bamboo Script or Command task.`,
    '',
    'Usage: node ias-bamboo.js [flags]          launch, follow and gate a scan',
    '       node ias-bamboo.js check [flags]    check the settings (key, region, app, scan configuration, query,',
    '                                           report folder, proxy) without launching anything; exit 0, 2 or 5',
    '',
    'Settings come from Bamboo variables (plan, global or deployment), which reach the task as bamboo_* environment',
    'variables (dots become underscores, letter case is kept); a flag overrides its variable.',
    `The API key comes from the variable ${API_KEY_VARIABLE} (${environmentName(API_KEY_VARIABLE)}) or ias.apiKey.secret, or the one named by`,
    '--api-key-variable NAME (its name must contain "password", "secret" or "passphrase", which Bamboo treats as secret), or IAS_API_KEY set in the',
    "task's Environment variables field. There is no --api-key flag.",
    '',
    ...rows,
    '  --api-key-variable NAME  the Bamboo variable holding the API key (must contain "password", "secret" or "passphrase")',
    '  --help, --version',
    '',
    'Exit status: 0 passed, 1 vulnerability query matched, 2 bad settings, 3 scan failed, 4 scan timed out,',
    '5 API or network error, 130 build stopped (the scan is canceled).',
    '',
  ].join('\n');
}
