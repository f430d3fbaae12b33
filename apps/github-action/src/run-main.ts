import {
  EXIT_CODES,
  formatOutcomeMarkdown,
  formatUserAgent,
  isTerminal,
  parseConfig,
  redactSecrets,
  outcomeBeforeStart,
  sanitizeLogMessage,
  runScanJob,
  type Logger,
  type Outcome,
  type ScanJob,
} from '@ias/core';
import { isAbsolute, resolve } from 'node:path';
import { createFileReportSink, documentationCacheIn } from '@ias/host-node';
import type { ActionHost } from './action-host';
import { runCheck } from './check';
import { readActionInputs, type ActionInputs } from './inputs';
import { annotateMatches, type ActionOutcome, createActionLogger, createProgress, failureLine, setOutputs } from './outputs';
import { STATE, type ActionToolkit } from './toolkit';

/** The main step: inputs → core's run → outputs, annotations, job summary and result. Returns the exit status. */
export async function runMain(host: ActionHost): Promise<number> {
  const { toolkit } = host;
  const apiKey = toolkit.getInput('api-key');
  registerSecret(toolkit, apiKey);
  toolkit.saveState(STATE.isPost, 'true');

  const inputs = readActionInputs(toolkit, host.workspace);
  const logger = createActionLogger(toolkit, [apiKey]);
  for (const note of inputs.notes) logger.info(note);
  // `check: true` launches nothing, so the post step (isPost saved above) finds no scan id and does nothing.
  if (inputs.check) return runCheck(host, inputs, apiKey);
  if (inputs.problems.length > 0) return finishEarly(host, inputs, logger, inputs.problems);

  // The official action takes only a scan configuration id; its application is read from the configuration.
  const parsed = parseConfig(inputs.raw, { names: inputs.names });
  for (const warning of parsed.warnings) logger.warn(warning);
  if (!parsed.ok) {
    for (const issue of parsed.errors) if (issue.detail !== undefined) toolkit.info(redactSecrets(issue.detail, [apiKey]));
    return finishEarly(host, inputs, logger, parsed.errors.map((e) => e.message));
  }

  const userAgent = formatUserAgent('github-action', host.version, host.runtime);
  const progress = createProgress(toolkit, (scanId) => {
    toolkit.setOutput('scan-id', scanId);
    toolkit.saveState(STATE.scanId, scanId);
  });
  progress.begin();
  const job: ScanJob = parsed.job;

  const sink = (host.createSink ?? createFileReportSink)(inputs.outputDir);
  const outcome = await runScanJob(job, {
    fetch: host.fetch,
    clock: host.clock,
    logger,
    sink,
    userAgent,
    inputNames: inputs.names,
    onEvent: progress.onEvent,
    // Baseline and suppressions files; a relative path is taken from the workspace, like output-dir.
    readText: (path) => host.readText(isAbsolute(path) ? path : resolve(host.workspace, path)),
    ...documentationCacheIn(host.toolCache),
    ...(host.signal === undefined ? {} : { signal: host.signal }),
  });
  progress.end();
  if (outcome.scanId !== null && isSettled(job, outcome)) toolkit.saveState(STATE.settled, 'true');
  return finish(host, inputs, outcome);
}

/** Registers the key (and its URL-encoded form) with the runner's masking before anything can print it. */
export function registerSecret(toolkit: ActionToolkit, apiKey: string): void {
  if (apiKey === '') return;
  toolkit.setSecret(apiKey);
  const encoded = encodeURIComponent(apiKey);
  if (encoded !== apiKey) toolkit.setSecret(encoded);
}

/**
 * Whether the main step is done with the scan: it ended, was canceled, or was left running on purpose (early
 * advance, `on-timeout: fail`, `cancel-on-interrupt: false`). Otherwise the `post:` step tries to cancel it.
 */
function isSettled(job: ScanJob, outcome: Outcome): boolean {
  if (outcome.result !== 'interrupted') return true;
  if (!job.cancelOnInterrupt) return true;
  return outcome.status === 'CANCELING' || (outcome.status !== null && isTerminal(outcome.status));
}

async function finishEarly(host: ActionHost, inputs: ActionInputs, logger: Logger, problems: readonly string[]): Promise<number> {
  for (const problem of problems) logger.error(`${problem}.`);
  const first = problems[0] ?? 'the inputs are invalid';
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''}, listed above)` : '';
  return finish(host, inputs, outcomeBeforeStart(EXIT_CODES.configError, `${first}${more}.`, { code: 'CONFIG_INVALID' }, host.clock.now()));
}


async function finish(host: ActionHost, inputs: ActionInputs, outcome: ActionOutcome): Promise<number> {
  const { toolkit } = host;
  setOutputs(toolkit, outcome, { outputDir: inputs.outputDir });
  // The reason first: the runner keeps only the first 10 error annotations of a step, so it takes the first slot
  // and the per-finding annotations get the rest.
  if (outcome.exitCode !== EXIT_CODES.passed) toolkit.setFailed(failureLine(outcome));
  if (inputs.annotations) annotateMatches(toolkit, outcome, inputs.outputDir);
  if (inputs.summary) {
    try {
      await toolkit.appendSummary(await summaryOf(host, outcome));
    } catch (error) {
      toolkit.warning(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (outcome.exitCode === EXIT_CODES.passed) toolkit.info(sanitizeLogMessage(`✔ ${failureLine(outcome)}`));
  return outcome.exitCode;
}

async function summaryOf(host: ActionHost, outcome: ActionOutcome): Promise<string> {
  const markdown = outcome.reports.find((r) => r.format === 'markdown');
  if (markdown !== undefined) {
    try {
      return await host.readText(markdown.path);
    } catch {
      // Fall back to core's short summary of the outcome below.
    }
  }
  return formatOutcomeMarkdown(outcome);
}
