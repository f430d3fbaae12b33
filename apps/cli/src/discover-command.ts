import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import {
  AZURE_CLOUDS,
  baseUrlForRegion,
  DEFAULT_APIM_API_VERSION,
  discoverAzureApim,
  EXIT_CODES,
  EXPORT_FORMATS,
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
  type DiscoveryFiles,
  type DiscoveryOutcome,
  type ExportFormat,
  type Logger,
} from '@ias/core';
import { createCliLogger } from './outputs';
import type { CliHost } from './host';

/** One `ias discover azure-apim` option: flag, variable, help and the default shown in `--help`. */
interface DiscoverOption {
  name: string;
  flag: string;
  env?: string;
  placeholder?: string;
  help: string;
  shownDefault?: string;
  repeatable?: boolean;
}

/** Every option, in help order. The client secret has no flag: it comes from AZURE_CLIENT_SECRET only. */
export const DISCOVER_OPTIONS: readonly DiscoverOption[] = [
  { name: 'tenantId', flag: '--tenant-id', env: 'AZURE_TENANT_ID', placeholder: 'ID', help: 'Directory (tenant) ID of the app registration (required)' },
  { name: 'clientId', flag: '--client-id', env: 'AZURE_CLIENT_ID', placeholder: 'ID', help: 'Application (client) ID of the app registration (required); its secret is read from AZURE_CLIENT_SECRET' },
  { name: 'sources', flag: '--sources', env: 'IAS_APIM_SOURCES', placeholder: 'FILE', help: 'sources file (YAML) naming one or more Azure sources (tenant, client id, the variable of its secret, optional subscriptions and services); replaces the single-source options' },
  { name: 'subscription', flag: '--subscription', env: 'AZURE_SUBSCRIPTION_ID', placeholder: 'ID', help: 'subscription to read; repeat the flag (or comma-separate the variable) for several', shownDefault: 'every subscription the app can see', repeatable: true },
  { name: 'resourceGroup', flag: '--resource-group', env: 'IAS_APIM_RESOURCE_GROUP', placeholder: 'NAME', help: 'only API Management services of this resource group' },
  { name: 'service', flag: '--service', env: 'IAS_APIM_SERVICES', placeholder: 'NAME', help: 'only this API Management service; repeatable (comma-separated in the variable)', repeatable: true },
  { name: 'workspace', flag: '--workspace', env: 'IAS_APIM_WORKSPACES', placeholder: 'NAME', help: "also read the APIs of this APIM workspace ('*': every workspace); repeatable (comma-separated in the variable)", repeatable: true },
  { name: 'apiFilter', flag: '--api-filter', env: 'IAS_APIM_API_FILTER', placeholder: 'ODATA', help: 'OData $filter for the API list ("" for none)', shownDefault: 'isCurrent eq true' },
  { name: 'includeTypes', flag: '--include-types', env: 'IAS_APIM_INCLUDE_TYPES', placeholder: 'LIST', help: 'API types to export (http, soap, websocket, graphql, odata, grpc); others are listed as skipped', shownDefault: 'http' },
  { name: 'format', flag: '--format', env: 'IAS_APIM_FORMAT', placeholder: 'FORMAT', help: `definition to export: ${EXPORT_FORMATS.join(', ')} (auto: OpenAPI 3 JSON, then Swagger 2)`, shownDefault: 'auto' },
  { name: 'cloud', flag: '--cloud', env: 'AZURE_CLOUD', placeholder: 'CLOUD', help: `Azure cloud: ${Object.keys(AZURE_CLOUDS).join(', ')}`, shownDefault: 'public' },
  { name: 'armEndpoint', flag: '--arm-endpoint', env: 'AZURE_ARM_ENDPOINT', placeholder: 'URL', help: "Azure Resource Manager endpoint, overrides the cloud's" },
  { name: 'authorityHost', flag: '--authority-host', env: 'AZURE_AUTHORITY_HOST', placeholder: 'URL', help: "Entra ID authority host, overrides the cloud's" },
  { name: 'apimApiVersion', flag: '--apim-api-version', env: 'IAS_APIM_API_VERSION', placeholder: 'VERSION', help: 'ARM api-version of the API Management calls', shownDefault: DEFAULT_APIM_API_VERSION },
  { name: 'out', flag: '--out', env: 'IAS_APIM_OUT', placeholder: 'DIR', help: 'inventory folder: inventory.json and specs/<service>/<api>.json', shownDefault: '.ias/apim' },
  { name: 'concurrency', flag: '--concurrency', env: 'IAS_APIM_CONCURRENCY', placeholder: 'N', help: 'parallel export calls (1-16)', shownDefault: '4' },
  { name: 'links', flag: '--links', env: 'IAS_APIM_LINKS', placeholder: 'FILE', help: 'links file (YAML) mapping API keys (<service>/<api>) to scan configurations' },
  { name: 'region', flag: '--region', env: 'IAS_REGION', placeholder: 'REGION', help: 'InsightAppSec region for --push (key from IAS_API_KEY)', shownDefault: 'us' },
  { name: 'baseUrl', flag: '--base-url', env: 'IAS_BASE_URL', placeholder: 'URL', help: 'full InsightAppSec API base URL for --push, overrides --region' },
];

const SWITCHES = [
  { name: 'failOnChange', flag: '--fail-on-change', env: 'IAS_APIM_FAIL_ON_CHANGE', help: 'exit 1 when any API is new, changed or removed' },
  { name: 'dryRun', flag: '--dry-run', env: 'IAS_APIM_DRY_RUN', help: 'write nothing and push nothing; show what would change (with --push: the options diff)' },
  { name: 'push', flag: '--push', env: 'IAS_APIM_PUSH', help: 'attach changed definitions of linked APIs to their scan configurations (needs --links and IAS_API_KEY)' },
  { name: 'force', flag: '--force', env: 'IAS_APIM_FORCE', help: "with --push: push every linked definition, changed or not, also to a host outside the scan configuration's scope" },
  { name: 'approveNew', flag: '--approve-new', env: 'IAS_APIM_APPROVE_NEW', help: 'with --push: approve new endpoints of every link at once (they wait for `ias discover approve` otherwise, unless the link says review: auto)' },
  { name: 'acceptMissing', flag: '--accept-missing', env: 'IAS_APIM_ACCEPT_MISSING', help: 'mark the APIs of services that can no longer be read as removed (they are kept as unreachable otherwise)' },
  { name: 'json', flag: '--json', help: 'print the outcome as one JSON object on stdout (human lines go to stderr)' },
  { name: 'debug', flag: '--debug', env: 'IAS_DEBUG', help: 'log retries and token renewals (secrets are never shown)' },
] as const;

const truthy = (value: string | undefined): boolean => /^(1|true|yes|on)$/i.test(value ?? '');

/**
 * Registers `ias discover azure-apim`. `setExit` receives the exit status: 0 done, 1 changes found with
 * --fail-on-change, 2 bad input, 5 Azure, IAS or network error (or an API whose export failed), 130 interrupted.
 */
export function registerDiscoverCommand(program: Command, host: CliHost, setExit: (code: number) => void = () => undefined): void {
  const discover = program
    .command('discover')
    .description('Discover APIs and keep an inventory of their definitions.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => host.out(s), writeErr: (s) => host.err(s) });
  const azure = discover
    .command('azure-apim')
    .description(
      'Import the OpenAPI/Swagger definitions of the APIs in Azure API Management into an inventory (inventory.json and\n' +
        'specs/<service>/<api>.json), report new, changed and removed APIs, and with --push attach linked definitions to\n' +
        'InsightAppSec scan configurations. The app registration needs the "API Management Service Reader Role".\n' +
        'The client secret comes from AZURE_CLIENT_SECRET only. Every option can also be set with the variable shown.\n' +
        'Exit status: 0 done, 1 changes found (--fail-on-change), 2 bad input, 5 Azure/IAS/network error or an API that failed to export, 130 interrupted.',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => host.out(s), writeErr: (s) => host.err(s) });
  for (const o of DISCOVER_OPTIONS) {
    const def = o.shownDefault === undefined ? '' : ` (default: ${o.shownDefault})`;
    const option = new Option(`${o.flag} <${o.placeholder ?? 'VALUE'}>`, `${o.help}${def}${o.env === undefined ? '' : ` [${o.env}]`}`);
    if (o.repeatable === true) option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    azure.addOption(option);
  }
  for (const s of SWITCHES) azure.addOption(new Option(s.flag, `${s.help}${'env' in s ? ` [${s.env}]` : ''}`));
  azure.addOption(new Option('--client-secret <SECRET>').hideHelp());
  discover
    .command('approve')
    .description(
      'Approve the new endpoints of linked APIs (<service>/<api>, or --all): they are recorded in the inventory as\n' +
        'approved, and the next --push attaches them to the scan configuration. Exit status: 0 done, 2 bad input.',
    )
    .argument('[keys...]', 'the APIs to approve, <service>/<api>')
    .addOption(new Option('--all', 'approve every pending review'))
    .addOption(new Option('--out <DIR>', 'inventory folder (default: .ias/apim) [IAS_APIM_OUT]'))
    .exitOverride()
    .configureOutput({ writeOut: (s) => host.out(s), writeErr: (s) => host.err(s) })
    .action(async (keys: string[], flags: Record<string, unknown>) => {
      setExit(await runApprove(host, keys, flags));
    });
  discover
    .command('unlink')
    .description(
      'Remove exactly what discovery pushed for one API (<service>/<api>) from its scan configuration: its definition, and\n' +
        'the subscription-key header and restriction the push added once none of its definitions remain. The link is\n' +
        'removed from the links file too. Exit status: 0 done, 2 bad input, 5 IAS or network error.',
    )
    .argument('<key>', 'the API as the links file names it, <service>/<api>')
    .addOption(new Option('--links <FILE>', 'links file (YAML) [IAS_APIM_LINKS]'))
    .addOption(new Option('--out <DIR>', 'inventory folder (default: .ias/apim) [IAS_APIM_OUT]'))
    .addOption(new Option('--region <REGION>', 'InsightAppSec region (default: us) [IAS_REGION]'))
    .addOption(new Option('--base-url <URL>', 'full InsightAppSec API base URL [IAS_BASE_URL]'))
    .addOption(new Option('--dry-run', 'show the options diff, change nothing'))
    .addOption(new Option('--json', 'print the outcome as one JSON object on stdout'))
    .addOption(new Option('--debug', 'log retries [IAS_DEBUG]'))
    .exitOverride()
    .configureOutput({ writeOut: (s) => host.out(s), writeErr: (s) => host.err(s) })
    .action(async (key: string, flags: Record<string, unknown>) => {
      setExit(await runUnlink(host, key, flags));
    });
  azure.action(async (flags: Record<string, unknown>) => {
    setExit(await runDiscover(host, flags));
  });
}

async function runDiscover(host: CliHost, flags: Record<string, unknown>): Promise<number> {
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
    files: createFolderFiles(out),
    readVariable: (name) => env[name],
    ...(host.signal === undefined ? {} : { signal: host.signal }),
  });
  for (const issue of outcome.errors.slice(1)) logger.error(redactSecrets(`${issue.message}.`, secrets));
  printDiscovery(host, outcome, { json, out, secrets });
  return outcome.exitCode;
}

/** The inventory folder on disk; paths are relative to it and may not leave it. */
function createFolderFiles(root: string): DiscoveryFiles {
  const inside = (path: string): string => {
    const full = resolve(root, path);
    if (!full.startsWith(`${root}/`) && !full.startsWith(`${root}\\`)) throw new Error(`refusing to touch ${path} outside ${root}`);
    return full;
  };
  return {
    async readText(path) {
      try {
        return await readFile(inside(path), 'utf8');
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async writeText(path, text) {
      const full = inside(path);
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, text, 'utf8');
    },
    async remove(path) {
      await rm(inside(path), { force: true });
    },
  };
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

/** What the CLI prints on the first SIGINT/SIGTERM: only a scan is canceled; discovery just stops. */
export function interruptNotice(argv: readonly string[], signal: string): string {
  const command = argv.find((a) => !a.startsWith('-'));
  return command === 'discover' ? `\nReceived ${signal}: stopping discovery (no scan is running, none is canceled)…\n` : `\nReceived ${signal}: stopping the run and canceling the scan…\n`;
}

/** `ias discover unlink KEY`: removes exactly what discovery pushed for one API, and its link. */
async function runUnlink(host: CliHost, key: string, flags: Record<string, unknown>): Promise<number> {
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
  const files = createFolderFiles(out);
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
async function runApprove(host: CliHost, keys: readonly string[], flags: Record<string, unknown>): Promise<number> {
  const logger = createDiscoverLogger(host, { json: false, debug: false, secrets: [] });
  const outFlag = typeof flags.out === 'string' ? flags.out : host.env.IAS_APIM_OUT;
  const out = resolve(outFlag === undefined || outFlag === '' ? '.ias/apim' : outFlag);
  if (keys.length === 0 && flags.all !== true) {
    logger.error('ias discover approve needs the APIs to approve (<service>/<api> …) or --all.');
    return EXIT_CODES.configError;
  }
  const files = createFolderFiles(out);
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
