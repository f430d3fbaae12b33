import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { readFile } from 'node:fs/promises';
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
  type PreflightResult,
} from '@ias/core';
import type { TaskInputs } from './inputs';
import { AGENT_ISSUE_CAP, createTaskLogger, oneLine } from './outputs';
import { connectToApi } from './connect-to-api';
import type { TaskRunEffects } from './task-effects';
import type { TaskHost, TaskResult } from './task-host';

/** The `result` output variable of a check, by the preflight's exit status. */
const CHECK_RESULTS = { [EXIT_CODES.passed]: 'passed', [EXIT_CODES.configError]: 'config-error', [EXIT_CODES.apiError]: 'api-error' } as const;

/** The run summary's file name, in the agent's temp folder (the agent uploads it; the job cleans the folder). */
export const CHECK_SUMMARY_FILE = 'insightappsec-check-summary.md';

/**
 * "Check only (launch nothing)": the task's inputs and connection checked without launching a scan (key and region,
 * app and scan configuration, gate query, gate files, output folder, the agent proxy). One log line per check; the
 * summary line is the step's first error issue and failed checks follow it within the agent's 10 issues.
 */
export async function runCheck(host: TaskHost, effects: TaskRunEffects, inputs: TaskInputs): Promise<TaskResult> {
  const redact = (text: string): string => redactSecrets(text, inputs.secrets);
  let result: PreflightResult;
  if (!inputs.ok) {
    result = preflightOfInvalidSettings(inputs.errors.map((m) => `${redact(m)}.`));
  } else {
    const parsed = parseConfig(inputs.raw, { names: inputs.names });
    for (const warning of parsed.warnings) host.warning(oneLine(redact(warning)));
    if (!parsed.ok) {
      result = preflightOfInvalidSettings(parsed.errors.map((e) => `${redact(e.message)}.`));
    } else {
      const job = { ...parsed.job, maxTotalMs: inputs.options.timeoutMs };
      const connected = await connectToApi(host, effects, job.baseUrl);
      if (!connected.ok) {
        result = preflightOfInvalidSettings([`${connected.error}.`]);
      } else {
        result = await runPreflight(job, {
          fetch: connected.fetch,
          clock: effects.clock,
          logger: createTaskLogger(host, redact),
          sink: effects.createSink(inputs.options.outputDir),
          userAgent: formatUserAgent('azure-devops', effects.version, effects.runtime),
          proxy: connected.proxyUrl,
          inputNames: inputs.names,
          // Baseline and suppressions paths are read relative to the step's working directory, as in a scan.
          readText: (path) => readFile(path, 'utf8'),
          ...(effects.signal === undefined ? {} : { signal: effects.signal }),
        });
      }
    }
  }

  host.setOutput('result', CHECK_RESULTS[result.exitCode]);
  const summary = `InsightAppSec check: ${formatPreflightSummary(result)}`;
  const failed = result.items.filter((i) => i.state === 'failed');
  // The summary line first, so the agent's cap never drops it; then the failed checks, as many as fit, keeping the
  // last slot for a count of the rest when they do not all fit. Every check is a log line either way.
  if (!result.ok) host.logIssue('error', summary);
  const room = Math.max(0, AGENT_ISSUE_CAP - host.issueCount('error'));
  const issues = failed.length <= room ? failed.length : Math.max(0, room - 1);
  let issued = 0;
  for (const item of result.items) {
    // Messages can hold names the API returned: one line, no `##vso[` command in it.
    const line = oneLine(redact(formatPreflightItem(item)));
    if (item.state !== 'failed') host.info(line);
    else if (issued < issues) {
      host.logIssue('error', line);
      issued += 1;
    } else host.errorLine(line);
  }
  if (issued < failed.length && room > 0) host.logIssue('error', `… and ${failed.length - issued} more failed checks; see the log.`);

  try {
    const path = join(host.getVariable('Agent.TempDirectory') ?? tmpdir(), CHECK_SUMMARY_FILE);
    await effects.writeText(path, formatPreflightMarkdown(result, 'InsightAppSec check'));
    host.uploadSummary(path);
  } catch (error) {
    host.warning(oneLine(`Could not write the run summary of the check: ${error instanceof Error ? error.message : String(error)}`));
  }
  const taskResult: TaskResult = result.ok ? 'Succeeded' : 'Failed';
  if (result.ok) host.info(summary);
  host.complete(taskResult, summary);
  return taskResult;
}
