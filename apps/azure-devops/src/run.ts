import { readFile } from 'node:fs/promises';
import { formatUserAgent, parseConfig, redactSecrets, runScanJob, type Clock, type FetchLike, type ReportSink } from '@ias/core';
import { documentationCacheIn } from '@ias/host-node';
import { readTaskInputs } from './inputs';
import { createEventHandler, createTaskLogger, publishOutcome, type PublishEffects } from './outputs';
import type { TaskHost, TaskResult } from './task-host';

/**
 * How requests reach the API: the agent's proxy (`getHttpProxyConfiguration` already applied its bypass list to the
 * API URL), no proxy at all (the URL is bypassed), or whatever HTTPS_PROXY/NO_PROXY say (no agent proxy).
 */
export type FetchRoute = { mode: 'environment' } | { mode: 'direct' } | { mode: 'proxy'; url: string };

/** Everything the handler needs from its process; `main.ts` passes the real ones, tests pass fakes. */
export interface TaskRunEffects extends PublishEffects {
  /** A fetch that goes through `proxy` when given (the agent's proxy), else straight out. */
  createFetch(route: FetchRoute): FetchLike;
  clock: Clock;
  createSink(directory: string): ReportSink;
  signal?: AbortSignal;
  version: string;
  runtime: string;
  platform: NodeJS.Platform;
}

/** Runs the task once: inputs → core's scan job → outputs. Never throws for user or API failures. */
export async function runTask(host: TaskHost, effects: TaskRunEffects): Promise<TaskResult> {
  const inputs = readTaskInputs(host, effects.platform);
  const redact = (text: string): string => redactSecrets(text, inputs.secrets);
  if (!inputs.ok) {
    for (const error of inputs.errors.slice(1)) host.logIssue('error', `${redact(error)}.`);
    const first = `${redact(inputs.errors[0] ?? 'The task inputs are invalid')}.`;
    host.setResult('Failed', first);
    return 'Failed';
  }
  const parsed = parseConfig(inputs.raw, { names: inputs.names });
  for (const warning of parsed.warnings) host.warning(redact(warning));
  if (!parsed.ok) {
    for (const issue of parsed.errors.slice(1)) host.logIssue('error', `${redact(issue.message)}.`);
    for (const issue of parsed.errors) if (issue.detail !== undefined) host.info(redact(issue.detail));
    host.setResult('Failed', `${redact(parsed.errors[0]?.message ?? 'The task inputs are invalid')}.`);
    return 'Failed';
  }
  const job = parsed.job;

  const proxy = host.getProxy(job.baseUrl);
  if (proxy?.password) host.setSecret(proxy.password);
  if (proxy !== undefined) host.debug(proxy.url === undefined ? `${job.baseUrl} is on the agent's proxy bypass list` : 'Using the agent proxy');
  const fetch = effects.createFetch(proxy === undefined ? { mode: 'environment' } : proxy.url === undefined ? { mode: 'direct' } : { mode: 'proxy', url: proxy.url });

  const logger = createTaskLogger(host, redact);
  host.info(`Reports go to ${inputs.options.outputDir}`);
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
