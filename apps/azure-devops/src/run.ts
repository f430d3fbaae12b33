import { readFile } from 'node:fs/promises';
import { formatUserAgent, parseConfig, redactSecrets, runScanJob } from '@ias/core';
import { documentationCacheIn } from '@ias/host-node';
import { runCheck } from './check';
import { connectToApi } from './connect-to-api';
import { readCheckOnly, readTaskInputs } from './inputs';
import { createEventHandler, createTaskLogger, logReasonAndMatches, publishOutcome } from './outputs';
import type { TaskRunEffects } from './task-effects';
import type { TaskHost, TaskResult } from './task-host';

/** Runs the task once: inputs → core's scan job → outputs. Never throws for user or API failures. */
export async function runTask(host: TaskHost, effects: TaskRunEffects): Promise<TaskResult> {
  const checkOnly = readCheckOnly(host);
  const inputs = readTaskInputs(host, effects.platform);
  if (checkOnly === true) return runCheck(host, effects, inputs);
  const redact = (text: string): string => redactSecrets(text, inputs.secrets);
  const fail = (messages: string[]): TaskResult => {
    const [first, ...rest] = messages.map((m) => `${redact(m).replace(/\.$/, '')}.`);
    const reason = first ?? 'The task inputs are invalid.';
    // The first problem is the reason and the step's first error issue; the others follow it.
    logReasonAndMatches(host, 'error', reason, rest, rest.length);
    host.complete('Failed', reason);
    return 'Failed';
  };
  if (typeof checkOnly === 'string') return fail([checkOnly]);
  if (!inputs.ok) return fail(inputs.errors);
  const parsed = parseConfig(inputs.raw, { names: inputs.names });
  for (const warning of parsed.warnings) host.warning(redact(warning));
  if (!parsed.ok) {
    for (const issue of parsed.errors) if (issue.detail !== undefined) host.info(redact(issue.detail));
    return fail(parsed.errors.map((e) => e.message));
  }
  const job = { ...parsed.job, maxTotalMs: inputs.options.timeoutMs };

  const connected = await connectToApi(host, effects, job.baseUrl);
  if (!connected.ok) return fail([connected.error]);
  const { fetch } = connected;

  const logger = createTaskLogger(host, redact);
  host.info(`Reports go to ${inputs.options.outputDir}`);
  if (job.maxTotalMs !== undefined) host.info(`The scan is canceled if it has not completed ${Math.round(job.maxTotalMs / 60_000)} minute(s) after its launch (Fail scan on timeout?)`);
  const outcome = await runScanJob(job, {
    fetch,
    clock: effects.clock,
    logger,
    sink: effects.createSink(inputs.options.outputDir),
    userAgent: formatUserAgent('azure-devops', effects.version, effects.runtime),
    ...documentationCacheIn(host.getVariable('Agent.ToolsDirectory')),
    // Baseline and suppressions paths are read relative to the step's working directory.
    readText: (path) => readFile(path, 'utf8'),
    inputNames: inputs.names,
    onEvent: createEventHandler(host),
    ...(effects.signal === undefined ? {} : { signal: effects.signal }),
  });
  return publishOutcome(host, { ...outcome, message: redact(outcome.message) }, inputs.options, effects);
}

