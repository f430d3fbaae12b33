import { isAbsolute, resolve } from 'node:path';
import { baseUrlForRegion, EXIT_CODES, formatUserAgent, systemClock } from '@ias/core';
import { createInterruptSignal, createNodeFetch, nodeRuntime, runAdapter, runDiscoverySync } from '@ias/host-node';
import { version } from '../package.json';
import { createBambooLogger } from './outputs';
import { environmentName } from './settings';

/*
 * `ias-bamboo-discover`: API discovery from a Bamboo Script task (`node ias-bamboo-discover.js`), configured by plan
 * variables as the scan task is. Bamboo hands a Script task every plan variable as `bamboo_<name with . as _>`, and
 * masks the values of variables whose name contains "password".
 */

/** The plan variables of the discovery task. */
export const DISCOVER_VARIABLES = {
  tenantId: 'ias.discover.tenantId',
  clientId: 'ias.discover.clientId',
  clientSecret: 'ias.discover.clientSecret.password',
  subscriptions: 'ias.discover.subscriptions',
  resourceGroup: 'ias.discover.resourceGroup',
  services: 'ias.discover.services',
  workspaces: 'ias.discover.workspaces',
  sources: 'ias.discover.sources',
  includeTypes: 'ias.discover.includeTypes',
  apiFilter: 'ias.discover.apiFilter',
  cloud: 'ias.discover.cloud',
  armEndpoint: 'ias.discover.armEndpoint',
  authorityHost: 'ias.discover.authorityHost',
  out: 'ias.discover.out',
  links: 'ias.discover.links',
  push: 'ias.discover.push',
  force: 'ias.discover.force',
  onChange: 'ias.discover.onChange',
  acceptMissing: 'ias.discover.acceptMissing',
  apiKey: 'ias.apiKey.password',
  region: 'ias.region',
  baseUrl: 'ias.baseUrl',
} as const;

const env = process.env;
const value = (key: keyof typeof DISCOVER_VARIABLES): string | undefined => {
  const v = env[environmentName(DISCOVER_VARIABLES[key])]?.trim();
  return v === undefined || v === '' ? undefined : v;
};
const list = (key: keyof typeof DISCOVER_VARIABLES): string[] => (value(key) ?? '').split(/[\n,]/).map((s) => s.trim()).filter((s) => s !== '');
const on = (key: keyof typeof DISCOVER_VARIABLES): boolean => /^(true|yes|1|on)$/i.test(value(key) ?? '');
const out = (text: string): void => {
  process.stdout.write(text);
};
const err = (text: string): void => {
  process.stderr.write(text);
};

async function main(): Promise<number> {
  const secret = env[environmentName(DISCOVER_VARIABLES.clientSecret)] ?? '';
  const apiKey = env[environmentName(DISCOVER_VARIABLES.apiKey)] ?? '';
  // Every *password* variable may hold a secret a sources file names: mask them all.
  const secrets = [secret, apiKey, ...Object.entries(env).filter(([n]) => /password/i.test(n)).map(([, v]) => v ?? '')].filter((s) => s !== '');
  const logger = createBambooLogger({ out, err }, { secrets, debug: /^(true|1)$/i.test(env.bamboo_ias_debug ?? '') });
  logger.info(`Rapid7 InsightAppSec API discovery (ias-bamboo-discover ${version}, ${nodeRuntime()})`);
  const onChange = (value('onChange') ?? 'warn').toLowerCase();
  if (!['warn', 'fail', 'ignore'].includes(onChange)) {
    logger.error(`${DISCOVER_VARIABLES.onChange} must be warn, fail or ignore, not '${onChange}'.`);
    return EXIT_CODES.configError;
  }
  const push = on('push');
  if (push && apiKey === '') {
    logger.error(`${DISCOVER_VARIABLES.push} needs the InsightAppSec API key in the ${DISCOVER_VARIABLES.apiKey} plan variable.`);
    return EXIT_CODES.configError;
  }
  const cwd = env.bamboo_build_working_directory || process.cwd();
  const inDir = (p: string): string => (isAbsolute(p) ? p : resolve(cwd, p));
  const folder = inDir(value('out') ?? '.ias/apim');
  const interrupt = createInterruptSignal(process, {
    onFirst: (signal) => out(`Received ${signal} (build stopped): stopping discovery (no scan is running).\n`),
    onRepeat: () => process.exit(130),
  });
  const opt = <K extends string>(key: K, v: string | undefined): Partial<Record<K, string>> => (v === undefined ? {} : ({ [key]: v } as Record<K, string>));
  const includeTypes = list('includeTypes');
  const sources = value('sources');
  const links = value('links');
  const result = await runDiscoverySync(
    {
      out: folder,
      tenantId: value('tenantId') ?? '',
      clientId: value('clientId') ?? '',
      clientSecret: secret,
      subscriptions: list('subscriptions'),
      services: list('services'),
      workspaces: list('workspaces'),
      ...opt('resourceGroup', value('resourceGroup')),
      ...opt('apiFilter', env[environmentName(DISCOVER_VARIABLES.apiFilter)]),
      ...(includeTypes.length === 0 ? {} : { includeTypes }),
      ...opt('cloud', value('cloud')),
      ...opt('armEndpoint', value('armEndpoint')),
      ...opt('authorityHost', value('authorityHost')),
      ...opt('sourcesFile', sources === undefined ? undefined : inDir(sources)),
      ...opt('linksFile', links === undefined ? undefined : inDir(links)),
      failOnChange: onChange === 'fail',
      acceptMissing: on('acceptMissing'),
      tool: `ias-bamboo/${version}`,
      inputNames: { tenantId: DISCOVER_VARIABLES.tenantId, clientId: DISCOVER_VARIABLES.clientId, clientSecret: DISCOVER_VARIABLES.clientSecret, subscriptions: DISCOVER_VARIABLES.subscriptions, cloud: DISCOVER_VARIABLES.cloud, links: DISCOVER_VARIABLES.links, push: DISCOVER_VARIABLES.push },
      fileInputNames: { sources: DISCOVER_VARIABLES.sources, links: DISCOVER_VARIABLES.links },
      ...(push ? { push: { baseUrl: value('baseUrl') ?? baseUrlForRegion(value('region') ?? 'us'), apiKey, userAgent: formatUserAgent('bamboo', version, nodeRuntime()), force: on('force') } } : {}),
    },
    { fetch: createNodeFetch(process.env), clock: systemClock, logger, signal: interrupt.signal, readVariable: (name) => env[name] ?? env[environmentName(name)] },
  );
  const { outcome } = result;
  if (onChange === 'warn') {
    for (const api of outcome.inventory?.apis ?? []) {
      if (api.status === 'new' || api.status === 'changed' || api.status === 'removed') logger.warn(`API ${api.status}: ${api.key}`);
    }
  }
  if (result.reportHtmlFile !== undefined) logger.info(`Inventory report: ${result.reportHtmlFile} (markdown: ${result.reportMarkdownFile ?? ''}); publish the folder ${folder} as an artifact.`);
  (outcome.exitCode === 0 ? logger.info : logger.error)(outcome.message);
  out(`InsightAppSec discovery verdict: ${outcome.result.toUpperCase()}; exit ${outcome.exitCode}\n`);
  return outcome.exitCode;
}

void runAdapter({
  main,
  // Bamboo masks the values of variables whose name contains "password": the client secret and the API key.
  secrets: () =>
    Object.entries(process.env)
      .filter(([name]) => /password/i.test(name))
      .map(([, v]) => v),
  reportInternalError: ({ message }) => process.stderr.write(`ERROR: ias-bamboo-discover internal error: ${message}\n`),
  internalErrorCode: 5,
});
