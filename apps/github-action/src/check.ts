import { isAbsolute, resolve } from 'node:path';
import {
  EXIT_CODES,
  formatPreflightItem,
  formatPreflightMarkdown,
  formatPreflightSummary,
  formatUserAgent,
  parseConfig,
  preflightOfInvalidSettings,
  redactSecrets,
  runPreflight,
  sanitizeLogMessage,
  type PreflightResult,
} from '@ias/core';
import { createFileReportSink, proxyForUrl } from '@ias/host-node';
import type { ActionInputs } from './inputs';
import { createActionLogger, RUNNER_ANNOTATIONS_PER_TYPE } from './outputs';
import type { ActionHost } from './action-host';

/** The `result` output of a check run, by the preflight's exit status. */
const CHECK_RESULTS = { [EXIT_CODES.passed]: 'passed', [EXIT_CODES.configError]: 'config-error', [EXIT_CODES.apiError]: 'api-error' } as const;

/**
 * `check: true`: the inputs of a scan step checked without launching anything (key and region, app and scan
 * configuration, gate query, gate files, output folder, proxy). One log line per check; the summary line is the
 * step's failure annotation and takes the first of the runner's 10 error slots, failed checks take the rest.
 */
export async function runCheck(host: ActionHost, inputs: ActionInputs, apiKey: string): Promise<number> {
  const { toolkit } = host;
  const logger = createActionLogger(toolkit, [apiKey]);
  let result: PreflightResult;
  const parsed = inputs.problems.length > 0 ? undefined : parseConfig(inputs.raw, { names: inputs.names });
  for (const warning of parsed?.warnings ?? []) logger.warn(warning);
  if (parsed === undefined || !parsed.ok) {
    const messages = parsed === undefined ? inputs.problems : parsed.errors.map((e) => e.message);
    result = preflightOfInvalidSettings(messages.map((m) => `${redactSecrets(m, [apiKey])}.`));
  } else {
    const job = parsed.job;
    result = await runPreflight(job, {
      fetch: host.fetch,
      clock: host.clock,
      logger,
      sink: (host.createSink ?? createFileReportSink)(inputs.outputDir),
      userAgent: formatUserAgent('github-action', host.version, host.runtime),
      // The proxy host-node's fetch takes from the job's environment, so a network failure is named as the proxy's.
      proxy: proxyForUrl(job.baseUrl, host.env ?? {}),
      inputNames: inputs.names,
      readText: (path) => host.readText(isAbsolute(path) ? path : resolve(host.workspace, path)),
      ...(host.signal === undefined ? {} : { signal: host.signal }),
    });
  }

  toolkit.setOutput('result', CHECK_RESULTS[result.exitCode]);
  const summary = `InsightAppSec check: ${formatPreflightSummary(result)}`;
  if (!result.ok) toolkit.setFailed(sanitizeLogMessage(summary));
  let annotated = 1;
  let unannotated = 0;
  for (const item of result.items) {
    // Messages can hold names the API returned: sanitised, so no line becomes a workflow command.
    const line = sanitizeLogMessage(redactSecrets(formatPreflightItem(item), [apiKey]));
    if (item.state !== 'failed') toolkit.info(line);
    else if (annotated < RUNNER_ANNOTATIONS_PER_TYPE) {
      toolkit.error(line, { title: `InsightAppSec check: ${item.check}` });
      annotated += 1;
    } else {
      toolkit.info(`\u001b[31m${line}\u001b[0m`);
      unannotated += 1;
    }
  }
  if (unannotated > 0) toolkit.notice(`${unannotated} more failed checks are listed in the log (the runner keeps ${RUNNER_ANNOTATIONS_PER_TYPE} error annotations per step).`);
  if (inputs.summary) {
    try {
      await toolkit.appendSummary(formatPreflightMarkdown(result, 'InsightAppSec check'));
    } catch (error) {
      toolkit.warning(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (result.ok) toolkit.info(summary);
  return result.exitCode;
}

