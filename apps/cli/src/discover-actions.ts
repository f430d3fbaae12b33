import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  baseUrlForRegion,
  discoverAzureApim,
  EXIT_CODES,
  formatUserAgent,
  INVENTORY_FILE,
  INVENTORY_REPORT_HTML,
  INVENTORY_REPORT_MARKDOWN,
  approveEndpoints,
  exitCodeForError,
  isIasError,
  parseInventory,
  parseLinksFile,
  parseSourcesFile,
  redactSecrets,
  removeLinkFromLinksFile,
  resolveSourceSecrets,
  serializeInventory,
  unlinkApi,
  createApiClient,
  type ApiLink,
  type AzureSourceOptions,
  type DiscoverAzureApimOptions,
  type DiscoveryOutcome,
  type ExportFormat,
  type Logger,
} from '@ias/core';
import { createFolderDiscoveryFiles } from '@ias/host-node';
import { createCliLogger } from './outputs';
import type { CliHost } from './host';

// What the `ias discover` commands do; their actions (discover-command.ts) load this module.

const truthy = (value: string | undefined): boolean => /^(1|true|yes|on)$/i.test(value ?? '');

/** `ias discover azure-apim`: syncs the inventory with Azure API Management, and with --push the linked scan configurations. */
export async function runDiscover(host: CliHost, flags: Record<string, unknown>): Promise<number> {
  const env = host.env;
  const json = flags.json === true;
  const debug = flags.debug === true || truthy(env.IAS_DEBUG);
  const clientSecret = env.AZURE_CLIENT_SECRET ?? '';
  const apiKey = env.IAS_API_KEY ?? '';
  const secrets = [clientSecret, apiKey];
  const logger = createDiscoverLogger(host, { json, debug, secrets });
  const configError = (message: string): number => {
    logger.error(message);
    if (json) host.out(`${JSON.stringify({ exitCode: EXIT_CODES.configError, result: 'config-error', message })}\n`);
    return EXIT_CODES.configError;
  };
  if (flags.clientSecret !== undefined) {
    return configError('--client-secret is not accepted: flags show up in process lists and logs; set the secret in the AZURE_CLIENT_SECRET variable instead.');
  }

  const text = (name: string, envName?: string): string | undefined => {
    const flag = flags[name];
    if (typeof flag === 'string') return flag;
    const fromEnv = envName === undefined ? undefined : env[envName];
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
  };
  // A flag wins over its variable, whether it was given once (a string) or repeated (a list).
  const list = (name: string, envName: string): string[] => {
    const flag = flags[name];
    const raw = Array.isArray(flag) ? (flag as string[]) : typeof flag === 'string' ? [flag] : (env[envName] ?? '').split(',');
    return raw.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  };
  const on = (name: string, envName?: string): boolean => flags[name] === true || (envName !== undefined && truthy(env[envName]));

  const out = resolve(text('out', 'IAS_APIM_OUT') ?? '.ias/apim');
  const concurrencyText = text('concurrency', 'IAS_APIM_CONCURRENCY') ?? '4';
  const concurrency = /^\d+$/.test(concurrencyText) ? Number(concurrencyText) : Number.NaN;
  const push = on('push', 'IAS_APIM_PUSH');
  const dryRun = on('dryRun', 'IAS_APIM_DRY_RUN');

  let links: ApiLink[] | undefined;
  const linksPath = text('links', 'IAS_APIM_LINKS');
  if (linksPath !== undefined) {
    let linksText: string;
    try {
      linksText = await host.readText(linksPath);
    } catch {
      return configError(`--links file ${linksPath} cannot be read; check the path.`);
    }
    const parsed = parseLinksFile(linksText, linksPath);
    if (!parsed.ok) return configError(`${parsed.errors.map((e) => e.message).join('; ')}.`);
    links = parsed.links;
  }

  let sources: AzureSourceOptions[] | undefined;
  const sourcesPath = text('sources', 'IAS_APIM_SOURCES');
  if (sourcesPath !== undefined) {
    let sourcesText: string;
    try {
      sourcesText = await host.readText(sourcesPath);
    } catch {
      return configError(`--sources file ${sourcesPath} cannot be read; check the path.`);
    }
    const parsed = parseSourcesFile(sourcesText, sourcesPath);
    if (!parsed.ok) return configError(`${parsed.errors.map((e) => e.message).join('; ')}.`);
    const resolved = resolveSourceSecrets(parsed.sources, (name) => env[name]);
    if (!resolved.ok) return configError(`${resolved.errors.map((e) => e.message).join('; ')}.`);
    sources = resolved.sources;
    secrets.push(...sources.map((src) => src.clientSecret));
  }

  let pushTarget: DiscoverAzureApimOptions['push'];
  if (push) {
    if (apiKey === '') return configError('--push needs the InsightAppSec API key in the IAS_API_KEY variable.');
    const region = text('region', 'IAS_REGION') ?? 'us';
    if (!/^[a-z0-9]+$/i.test(region)) return configError(`--region '${region}' is not a region code (us, us2, us3, eu, ca, au, ap).`);
    pushTarget = { baseUrl: text('baseUrl', 'IAS_BASE_URL') ?? baseUrlForRegion(region), apiKey, userAgent: formatUserAgent('cli', host.version, host.runtime), force: on('force', 'IAS_APIM_FORCE') };
  }

  const format = text('format', 'IAS_APIM_FORMAT') ?? 'auto';
  const resourceGroup = text('resourceGroup', 'IAS_APIM_RESOURCE_GROUP');
  const apiFilter = flags.apiFilter !== undefined ? String(flags.apiFilter) : env.IAS_APIM_API_FILTER;
  const cloud = text('cloud', 'AZURE_CLOUD');
  const armEndpoint = text('armEndpoint', 'AZURE_ARM_ENDPOINT');
  const authorityHost = text('authorityHost', 'AZURE_AUTHORITY_HOST');
  const apiVersion = text('apimApiVersion', 'IAS_APIM_API_VERSION');
  const includeTypes = list('includeTypes', 'IAS_APIM_INCLUDE_TYPES');
  const options: DiscoverAzureApimOptions = {
    tenantId: text('tenantId', 'AZURE_TENANT_ID') ?? '',
    clientId: text('clientId', 'AZURE_CLIENT_ID') ?? '',
    clientSecret,
    subscriptions: list('subscription', 'AZURE_SUBSCRIPTION_ID'),
    services: list('service', 'IAS_APIM_SERVICES'),
    workspaces: list('workspace', 'IAS_APIM_WORKSPACES'),
    format: format as ExportFormat,
    concurrency,
    failOnChange: on('failOnChange', 'IAS_APIM_FAIL_ON_CHANGE'),
    acceptMissing: on('acceptMissing', 'IAS_APIM_ACCEPT_MISSING'),
    approveNew: on('approveNew', 'IAS_APIM_APPROVE_NEW'),
    ...(sources === undefined ? {} : { sources }),
    dryRun,
    tool: `ias/${host.version}`,
    inputNames: { tenantId: '--tenant-id', clientId: '--client-id', clientSecret: 'AZURE_CLIENT_SECRET', subscriptions: '--subscription', cloud: '--cloud', format: '--format', concurrency: '--concurrency', links: '--links', push: '--push' },
    ...(resourceGroup === undefined ? {} : { resourceGroup }),
    ...(apiFilter === undefined ? {} : { apiFilter }),
    ...(includeTypes.length === 0 ? {} : { includeTypes }),
    ...(cloud === undefined ? {} : { cloud }),
    ...(armEndpoint === undefined ? {} : { armEndpoint }),
    ...(authorityHost === undefined ? {} : { authorityHost }),
    ...(apiVersion === undefined ? {} : { apiVersion }),
    ...(links === undefined ? {} : { links }),
    ...(pushTarget === undefined ? {} : { push: pushTarget }),
  };

  logger.info(`Discovering APIs in Azure API Management${dryRun ? ' (dry run: nothing is written or pushed)' : ''}; inventory folder ${out}`);
  const outcome = await discoverAzureApim(options, {
    fetch: host.fetch,
    clock: host.clock,
    logger,
    files: createFolderDiscoveryFiles(out),
    readVariable: (name) => env[name],
    ...(host.signal === undefined ? {} : { signal: host.signal }),
  });
  for (const issue of outcome.errors.slice(1)) logger.error(redactSecrets(`${issue.message}.`, secrets));
  printDiscovery(host, outcome, { json, out, secrets });
  return outcome.exitCode;
}


function printDiscovery(host: CliHost, outcome: DiscoveryOutcome, options: { json: boolean; out: string; secrets: string[] }): void {
  const redact = (text: string): string => redactSecrets(text, options.secrets);
  if (options.json) {
    const { inventory, ...rest } = outcome;
    const summary = { ...rest, inventoryFile: inventory === null ? null : join(options.out, INVENTORY_FILE), summary: inventory?.summary ?? null, apis: inventory?.apis.map((a) => ({ key: a.key, status: a.status, diff: a.diff, skipReason: a.skipReason, error: a.error })) ?? [] };
    host.out(`${redact(JSON.stringify(summary))}\n`);
    return;
  }
  const lines: string[] = [];
  if (outcome.inventory !== null && outcome.written.includes(INVENTORY_FILE)) lines.push(`Inventory: ${join(options.out, INVENTORY_FILE)}`);
  if (outcome.written.includes(INVENTORY_REPORT_HTML)) lines.push(`Report: ${join(options.out, INVENTORY_REPORT_HTML)} (markdown: ${join(options.out, INVENTORY_REPORT_MARKDOWN)})`);
  if (outcome.unlinkedNew.length > 0) lines.push(`New, not linked: ${outcome.unlinkedNew.join(', ')}`);
  if (lines.length > 0) host.out(`${redact(lines.join('\n'))}\n`);
  const ok = outcome.exitCode === 0;
  // The verdict of a failed run is an error: stderr, like every warning and error before it.
  (ok ? host.out : host.err)(`${redact(`${ok ? '✔' : '✖'} ${outcome.message} (exit ${outcome.exitCode})`)}\n`);
}

/**
 * The discovery logger: info and debug on stdout (stderr with --json), warnings and errors always on stderr, every
 * line with the secrets masked.
 */
function createDiscoverLogger(host: CliHost, options: { json: boolean; debug: boolean; secrets: readonly string[] }): Logger {
  const now = (): number => host.clock.now();
  const main = createCliLogger(host, { json: options.json, debug: options.debug, now });
  const problems = createCliLogger({ out: (t) => host.err(t), err: (t) => host.err(t), isTTY: host.isTTY }, { json: false, debug: options.debug, now });
  const mask = (m: string): string => redactSecrets(m, options.secrets);
  return {
    debug: (m) => main.debug(mask(m)),
    info: (m) => main.info(mask(m)),
    warn: (m) => problems.warn(mask(m)),
    error: (m) => problems.error(mask(m)),
  };
}

/** `ias discover unlink KEY`: removes exactly what discovery pushed for one API, and its link. */
export async function runUnlink(host: CliHost, key: string, flags: Record<string, unknown>): Promise<number> {
  const env = host.env;
  const json = flags.json === true;
  const apiKey = env.IAS_API_KEY ?? '';
  const secrets = [apiKey];
  const logger = createDiscoverLogger(host, { json, debug: flags.debug === true || truthy(env.IAS_DEBUG), secrets });
  const done = (exitCode: number, message: string, extra: Record<string, unknown> = {}): number => {
    (exitCode === 0 ? logger.info : logger.error)(message);
    if (json) host.out(`${redactSecrets(JSON.stringify({ exitCode, result: exitCode === 0 ? 'unlinked' : exitCode === EXIT_CODES.configError ? 'config-error' : 'api-error', message, ...extra }), secrets)}\n`);
    return exitCode;
  };
  const value = (name: string, envName: string): string | undefined => (typeof flags[name] === 'string' ? (flags[name] as string) : env[envName] === '' ? undefined : env[envName]);
  const linksPath = value('links', 'IAS_APIM_LINKS');
  if (linksPath === undefined) return done(EXIT_CODES.configError, 'ias discover unlink needs the links file (--links FILE): the link is removed from it, so the next --push does not attach the API again.');
  if (apiKey === '') return done(EXIT_CODES.configError, 'ias discover unlink needs the InsightAppSec API key in the IAS_API_KEY variable.');
  let linksText: string;
  try {
    linksText = await host.readText(linksPath);
  } catch {
    return done(EXIT_CODES.configError, `--links file ${linksPath} cannot be read; check the path.`);
  }
  const parsed = parseLinksFile(linksText, linksPath);
  if (!parsed.ok) return done(EXIT_CODES.configError, `${parsed.errors.map((e) => e.message).join('; ')}.`);
  const link = parsed.links.find((l) => l.key === key);
  if (link === undefined) return done(EXIT_CODES.configError, `${linksPath} has no link for '${key}' (links: ${parsed.links.map((l) => l.key).join(', ') || 'none'}); give the key as <service>/<api>.`);
  const out = resolve(value('out', 'IAS_APIM_OUT') ?? '.ias/apim');
  const files = createFolderDiscoveryFiles(out);
  const inventory = parseInventory(await files.readText(INVENTORY_FILE)).inventory;
  const applied = inventory?.apis.find((a) => a.key === key)?.link?.applied ?? {};
  const region = value('region', 'IAS_REGION') ?? 'us';
  if (!/^[a-z0-9]+$/i.test(region)) return done(EXIT_CODES.configError, `--region '${region}' is not a region code (us, us2, us3, eu, ca, au, ap).`);
  const client = createApiClient({
    baseUrl: value('baseUrl', 'IAS_BASE_URL') ?? baseUrlForRegion(region),
    apiKey,
    fetch: host.fetch,
    userAgent: formatUserAgent('cli', host.version, host.runtime),
    clock: host.clock,
    logger,
    ...(host.signal === undefined ? {} : { signal: host.signal }),
  });
  const dryRun = flags.dryRun === true;
  try {
    const result = await unlinkApi(client, link, applied, { dryRun, secrets });
    for (const line of result.diff) logger.info(`    ${line}`);
    if (!dryRun) {
      const edited = removeLinkFromLinksFile(linksText, key);
      if (edited !== undefined) await writeFile(linksPath, edited, 'utf8');
      const api = inventory?.apis.find((a) => a.key === key);
      if (inventory !== undefined && api !== undefined) {
        api.link = null;
        await files.writeText(INVENTORY_FILE, serializeInventory(inventory));
      }
    }
    return done(EXIT_CODES.passed, `${result.message}${dryRun ? ' (dry run: nothing changed)' : `; the link was removed from ${linksPath}`}.`, { scanConfigId: result.scanConfigId, scanConfigName: result.scanConfigName, diff: result.diff });
  } catch (error) {
    const message = redactSecrets(error instanceof Error ? error.message : String(error), secrets);
    return done(isIasError(error) ? exitCodeForError(error.code) : EXIT_CODES.apiError, `Could not unlink ${key}: ${message}`);
  }
}

/** `ias discover approve`: marks the pending endpoints of linked APIs as approved in the inventory. */
export async function runApprove(host: CliHost, keys: readonly string[], flags: Record<string, unknown>): Promise<number> {
  const logger = createDiscoverLogger(host, { json: false, debug: false, secrets: [] });
  const outFlag = typeof flags.out === 'string' ? flags.out : host.env.IAS_APIM_OUT;
  const out = resolve(outFlag === undefined || outFlag === '' ? '.ias/apim' : outFlag);
  if (keys.length === 0 && flags.all !== true) {
    logger.error('ias discover approve needs the APIs to approve (<service>/<api> …) or --all.');
    return EXIT_CODES.configError;
  }
  const files = createFolderDiscoveryFiles(out);
  const inventory = parseInventory(await files.readText(INVENTORY_FILE)).inventory;
  if (inventory === undefined) {
    logger.error(`${join(out, INVENTORY_FILE)} is missing or not an inventory; run ias discover azure-apim first (or give --out).`);
    return EXIT_CODES.configError;
  }
  const result = approveEndpoints(inventory, flags.all === true ? 'all' : keys);
  if (result.unknown.length > 0) {
    logger.error(`Not linked APIs of the inventory: ${result.unknown.join(', ')}; give keys as <service>/<api> of linked APIs.`);
    return EXIT_CODES.configError;
  }
  await files.writeText(INVENTORY_FILE, serializeInventory(result.inventory));
  logger.info(result.approved.length === 0 ? 'Nothing waits for review.' : `Approved the endpoints of ${result.approved.join(', ')}; the next --push attaches them.`);
  return EXIT_CODES.passed;
}
