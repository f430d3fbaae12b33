import { isAbsolute, resolve } from 'node:path';
import * as tl from 'azure-pipelines-task-lib/task';
import { baseUrlForRegion, EXIT_CODES, formatUserAgent, redactSecrets, systemClock, type Logger } from '@ias/core';
import { createInterruptSignal, createNodeFetch, nodeRuntime, runAdapter, runDiscoverySync } from '@ias/host-node';
import { version } from '../package.json';

/*
 * The API discovery task (discover-task/task.json). The agent hands inputs as INPUT_*, service connections as
 * ENDPOINT_URL_/ENDPOINT_AUTH_/ENDPOINT_DATA_<id>_* variables (azure-pipelines-agent: Handler.cs, AddEndpointVariables);
 * task-lib reads them (azure-pipelines-task-lib node/task.ts: getInput, getEndpointUrl, getEndpointAuthorization).
 * An AzureRM service principal connection stores tenantid, serviceprincipalid and serviceprincipalkey.
 */

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** One log line: no CR/LF or control characters, and never the start of a `##vso[` command. */
function logLine(message: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = message.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '');
  return flat.startsWith('##') ? ` ${flat}` : flat;
}

const list = (name: string): string[] => (tl.getInput(name, false) ?? '').split(/[\n,]/).map((s) => s.trim()).filter((s) => s !== '');
const text = (name: string): string | undefined => {
  const v = tl.getInput(name, false)?.trim();
  return v === undefined || v === '' ? undefined : v;
};

/** The secrets registered with the agent so far: every message is redacted with them, an internal error's too. */
const secrets: string[] = [];

async function main(): Promise<number> {
  const fail = (code: number, message: string): number => {
    tl.setVariable('exitCode', String(code), false, true);
    tl.setResult(tl.TaskResult.Failed, logLine(redactSecrets(message, secrets)));
    return code;
  };
  const onChange = (text('onChange') ?? 'warn').toLowerCase();
  if (!['warn', 'fail', 'ignore'].includes(onChange)) return fail(EXIT_CODES.configError, `Input onChange must be warn, fail or ignore, not '${onChange}'.`);

  let tenantId = '';
  let clientId = '';
  let clientSecret = '';
  let armEndpoint: string | undefined;
  let authorityHost: string | undefined;
  const azureConnection = text('azureSubscription');
  if (azureConnection !== undefined) {
    let auth: ReturnType<typeof tl.getEndpointAuthorization>;
    try {
      auth = tl.getEndpointAuthorization(azureConnection, true);
    } catch {
      // task-lib's own message would quote the (secret) authorization text.
      return fail(EXIT_CODES.configError, `The Azure Resource Manager connection '${azureConnection}' has an authorization that is not JSON; recreate the connection.`);
    }
    if (auth === undefined) return fail(EXIT_CODES.configError, `The Azure Resource Manager connection '${azureConnection}' was not found; check the azureSubscription input.`);
    if (!/^ServicePrincipal$/i.test(auth.scheme) || (auth.parameters.authenticationType ?? 'spnKey') !== 'spnKey') {
      return fail(EXIT_CODES.configError, `The Azure Resource Manager connection must be a service principal with a secret (its scheme is ${auth.scheme}); create one with a secret, or use a sources file.`);
    }
    tenantId = auth.parameters.tenantid ?? '';
    clientId = auth.parameters.serviceprincipalid ?? '';
    clientSecret = auth.parameters.serviceprincipalkey ?? '';
    if (clientSecret !== '') {
      tl.setSecret(clientSecret);
      secrets.push(clientSecret);
    }
    armEndpoint = tl.getEndpointUrl(azureConnection, true)?.replace(/\/+$/, '') || undefined;
    authorityHost = tl.getEndpointDataParameter(azureConnection, 'environmentAuthorityUrl', true)?.replace(/\/+$/, '') || undefined;
  }

  let push: { baseUrl: string; apiKey: string; userAgent: string; force: boolean } | undefined;
  if (tl.getBoolInput('push', false)) {
    const ias = text('iasConnection');
    if (ias === undefined) return fail(EXIT_CODES.configError, 'Input push needs the IAS Connection (iasConnection).');
    // The whole authorization, not the per-parameter getter (that one prints the value in a debug line).
    const parameters = tl.getEndpointAuthorization(ias, true)?.parameters ?? {};
    const apiKey = parameters[Object.keys(parameters).find((k) => k.toLowerCase() === 'apitoken') ?? 'apitoken'] ?? '';
    if (apiKey === '') return fail(EXIT_CODES.configError, `The IAS Connection '${ias}' has no API token.`);
    tl.setSecret(apiKey);
    secrets.push(apiKey);
    const region = tl.getEndpointDataParameter(ias, 'region', true) ?? 'us';
    push = { baseUrl: tl.getEndpointUrl(ias, true)?.replace(/\/+$/, '') || baseUrlForRegion(region), apiKey, userAgent: formatUserAgent('azure-devops', version, nodeRuntime()), force: tl.getBoolInput('force', false) };
  }

  const root = tl.getVariable('Build.SourcesDirectory') || tl.getVariable('System.DefaultWorkingDirectory') || process.cwd();
  const inRoot = (p: string): string => (isAbsolute(p) ? p : resolve(root, p));
  const folder = inRoot(text('inventoryFolder') ?? '.ias/apim');
  // filePath inputs default to the sources directory itself when left empty: treat that as unset.
  const file = (name: string): string | undefined => {
    const v = text(name);
    return v === undefined || resolve(inRoot(v)) === resolve(root) ? undefined : inRoot(v);
  };
  const mask = (m: string): string => logLine(redactSecrets(m, secrets));
  const logger: Logger = {
    debug: (m) => tl.debug(mask(m)),
    info: (m) => out(mask(m)),
    warn: (m) => tl.warning(mask(m)),
    error: (m) => tl.error(mask(m)),
  };
  const interrupt = createInterruptSignal(process, {
    onFirst: (signal) => out(`Received ${signal}: the pipeline was canceled; stopping discovery (no scan is running).`),
    onRepeat: () => process.exit(130),
  });
  const includeTypes = list('includeTypes');
  const sourcesFile = file('sourcesFile');
  const linksFile = file('linksFile');
  const resourceGroup = text('resourceGroup');
  const apiFilter = tl.getInput('apiFilter', false);
  const result = await runDiscoverySync(
    {
      out: folder,
      tenantId,
      clientId,
      clientSecret,
      subscriptions: list('subscriptions'),
      services: list('services'),
      workspaces: list('workspaces'),
      ...(resourceGroup === undefined ? {} : { resourceGroup }),
      ...(apiFilter === undefined || apiFilter === '' ? {} : { apiFilter }),
      ...(includeTypes.length === 0 ? {} : { includeTypes }),
      ...(armEndpoint === undefined ? {} : { armEndpoint }),
      ...(authorityHost === undefined ? {} : { authorityHost }),
      ...(sourcesFile === undefined ? {} : { sourcesFile }),
      ...(linksFile === undefined ? {} : { linksFile }),
      failOnChange: onChange === 'fail',
      acceptMissing: tl.getBoolInput('acceptMissing', false),
      tool: `ias-azure-devops/${version}`,
      inputNames: { tenantId: 'azureSubscription (tenant)', clientId: 'azureSubscription (service principal id)', clientSecret: 'azureSubscription (service principal key)', subscriptions: 'subscriptions', links: 'linksFile', push: 'push' },
      fileInputNames: { sources: 'sourcesFile', links: 'linksFile' },
      ...(push === undefined ? {} : { push }),
    },
    { fetch: createNodeFetch(process.env), clock: systemClock, logger, signal: interrupt.signal, readVariable: (name) => process.env[name] },
  );
  for (const s of result.secrets) if (!secrets.includes(s)) {
    tl.setSecret(s);
    secrets.push(s);
  }
  const { outcome } = result;
  const changed = outcome.inventory?.apis.filter((a) => a.status === 'new' || a.status === 'changed' || a.status === 'removed') ?? [];
  if (onChange === 'warn') for (const api of changed) tl.warning(mask(`API ${api.status}: ${api.key}`));
  tl.setVariable('result', outcome.result, false, true);
  tl.setVariable('exitCode', String(outcome.exitCode), false, true);
  tl.setVariable('changed', String(changed.length > 0), false, true);
  tl.setVariable('inventoryFolder', folder, false, true);
  if (result.reportMarkdownFile !== undefined) tl.uploadSummary(result.reportMarkdownFile);
  interrupt.dispose();
  if (outcome.exitCode === 0) {
    tl.setResult(tl.TaskResult.Succeeded, mask(outcome.message));
    return 0;
  }
  return fail(outcome.exitCode, outcome.message);
}

void runAdapter({
  // The task's result is its task.complete command; the exit status is what task-lib left (as before).
  main: async () => {
    await main();
    return Number(process.exitCode ?? 0);
  },
  secrets: () => secrets,
  reportInternalError: ({ message }) => tl.setResult(tl.TaskResult.Failed, `Internal error in the API discovery task: ${logLine(message)}`),
  internalErrorCode: 1,
});
