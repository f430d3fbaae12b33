import * as core from '@actions/core';
import { baseUrlForRegion, EXIT_CODES, formatUserAgent, redactSecrets, systemClock, type Logger } from '@ias/core';
import { createInterruptSignal, createNodeFetch, nodeRuntime, runAdapter, runDiscoverySync } from '@ias/host-node';
import { isAbsolute, resolve } from 'node:path';
import { version } from '../package.json';

/**
 * The inputs of the discovery action (`discover/action.yml`), in its order. The runner hands them to the step as
 * `INPUT_<NAME>` variables; `@actions/core` reads them (actions/toolkit packages/core/src/core.ts, getInput).
 */
export const DISCOVER_INPUTS = [
  'tenant-id',
  'client-id',
  'client-secret',
  'subscriptions',
  'resource-group',
  'services',
  'workspaces',
  'sources-file',
  'include-types',
  'api-filter',
  'cloud',
  'arm-endpoint',
  'authority-host',
  'out',
  'links-file',
  'push',
  'force',
  'api-key',
  'region',
  'base-url',
  'on-change',
  'accept-missing',
] as const;

/** The outputs the discovery action sets. */
export const DISCOVER_OUTPUTS = ['result', 'exit-code', 'changed', 'summary', 'inventory-file', 'report-html', 'report-markdown'] as const;

const list = (text: string): string[] =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
const flag = (name: string): boolean => /^(true|yes|1|on)$/i.test(core.getInput(name).trim());

/** One line for the log: no CR/LF or control characters, and never the start of a workflow command. */
function logLine(message: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = message.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '');
  return flat.startsWith('::') ? ` ${flat}` : flat;
}

async function main(): Promise<number> {
  const secret = core.getInput('client-secret');
  const apiKey = core.getInput('api-key');
  for (const s of [secret, apiKey]) if (s !== '') core.setSecret(s);
  const secrets = [secret, apiKey];
  const mask = (m: string): string => logLine(redactSecrets(m, secrets));
  // warning/error escape their data (%, CR, LF), so Azure text cannot end the command early; info is one clean line.
  const logger: Logger = {
    debug: (m) => core.debug(mask(m)),
    info: (m) => core.info(mask(m)),
    warn: (m) => core.warning(mask(m)),
    error: (m) => core.error(mask(m)),
  };
  const onChange = (core.getInput('on-change') || 'warn').trim().toLowerCase();
  if (!['warn', 'fail', 'ignore'].includes(onChange)) {
    core.setFailed(`Input on-change must be warn, fail or ignore, not '${logLine(onChange)}'.`);
    core.setOutput('exit-code', String(EXIT_CODES.configError));
    core.setOutput('result', 'config-error');
    return EXIT_CODES.configError;
  }
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const inWorkspace = (p: string): string => (isAbsolute(p) ? p : resolve(workspace, p));
  const text = (name: string): string | undefined => (core.getInput(name).trim() === '' ? undefined : core.getInput(name).trim());
  const push = flag('push');
  const region = text('region') ?? 'us';
  if (push && apiKey === '') {
    core.setFailed('Input push needs the InsightAppSec API key in the api-key input (from a secret).');
    return EXIT_CODES.configError;
  }
  const out = inWorkspace(text('out') ?? '.ias/apim');
  const sourcesFile = text('sources-file');
  const linksFile = text('links-file');
  const interrupt = createInterruptSignal(process, {
    onFirst: (signal) => core.info(`Received ${signal}: the workflow was canceled; stopping discovery (no scan is running).`),
    onRepeat: () => process.exit(130),
  });
  const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));
  const includeTypes = list(core.getInput('include-types'));
  const result = await runDiscoverySync(
    {
      out,
      tenantId: core.getInput('tenant-id'),
      clientId: core.getInput('client-id'),
      clientSecret: secret,
      subscriptions: list(core.getInput('subscriptions')),
      services: list(core.getInput('services')),
      workspaces: list(core.getInput('workspaces')),
      ...optional('resourceGroup', text('resource-group')),
      ...optional('apiFilter', core.getInput('api-filter') === '' ? undefined : core.getInput('api-filter')),
      ...(includeTypes.length === 0 ? {} : { includeTypes }),
      ...optional('cloud', text('cloud')),
      ...optional('armEndpoint', text('arm-endpoint')),
      ...optional('authorityHost', text('authority-host')),
      ...optional('sourcesFile', sourcesFile === undefined ? undefined : inWorkspace(sourcesFile)),
      ...optional('linksFile', linksFile === undefined ? undefined : inWorkspace(linksFile)),
      failOnChange: onChange === 'fail',
      acceptMissing: flag('accept-missing'),
      tool: `ias-github-action/${version}`,
      inputNames: { tenantId: 'tenant-id', clientId: 'client-id', clientSecret: 'client-secret', subscriptions: 'subscriptions', cloud: 'cloud', links: 'links-file', push: 'push' },
      fileInputNames: { sources: 'sources-file', links: 'links-file' },
      ...(push ? { push: { baseUrl: text('base-url') ?? baseUrlForRegion(region), apiKey, userAgent: formatUserAgent('github-action', version, nodeRuntime()), force: flag('force') } } : {}),
    },
    { fetch: createNodeFetch(process.env), clock: systemClock, logger, signal: interrupt.signal, readVariable: (name) => process.env[name] },
  );
  for (const s of result.secrets) if (!secrets.includes(s)) core.setSecret(s);
  const { outcome } = result;
  const changedApis = outcome.inventory?.apis.filter((a) => a.status === 'new' || a.status === 'changed' || a.status === 'removed') ?? [];
  if (onChange === 'warn') for (const api of changedApis) core.warning(mask(`API ${api.status}: ${api.key}${api.diff === null ? '' : ` (+${api.diff.added.length} −${api.diff.removed.length} operations)`}`), { title: 'API discovery' });
  core.setOutput('result', outcome.result);
  core.setOutput('exit-code', String(outcome.exitCode));
  core.setOutput('changed', String(changedApis.length > 0));
  core.setOutput('summary', JSON.stringify(outcome.inventory?.summary ?? null));
  core.setOutput('inventory-file', outcome.inventory === null ? '' : resolve(out, 'inventory.json'));
  core.setOutput('report-html', result.reportHtmlFile ?? '');
  core.setOutput('report-markdown', result.reportMarkdownFile ?? '');
  if (result.reportMarkdown !== undefined && (process.env.GITHUB_STEP_SUMMARY ?? '') !== '') await core.summary.addRaw(redactSecrets(result.reportMarkdown, result.secrets), true).write();
  const message = redactSecrets(outcome.message, result.secrets);
  if (outcome.exitCode === 0) core.info(logLine(message));
  else core.setFailed(logLine(message));
  return outcome.exitCode;
}

void runAdapter({
  main,
  secrets: () => [core.getInput('client-secret'), core.getInput('api-key')],
  reportInternalError: ({ message }) => core.setFailed(`Internal error of the API discovery action: ${logLine(message)}`),
  internalErrorCode: 5,
  // Only the exit code, no forced exit: the tests import this module for its input and output names.
  exit: (code) => {
    process.exitCode = code;
  },
});
