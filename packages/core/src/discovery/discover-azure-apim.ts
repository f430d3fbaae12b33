import { createApiClient } from '../api/client';
import type { Clock, FetchLike, Logger } from '../effects';
import { silentLogger } from '../effects';
import { ApiError, ConfigError, isIasError, redactSecrets, type ConfigIssue } from '../errors';
import { EXIT_CODES, exitCodeForError, type ExitCode } from '../scan/outcome';
import { createArmClient, READER_ROLE, type ArmClient } from './azure/arm';
import { azureUrlProblem, type AzureHttpContext } from './azure/azure-http';
import { armScope, AZURE_CLOUDS, DEFAULT_APIM_API_VERSION, isAzureCloud } from './azure/clouds';
import { EXPORT_FORMATS, exportApiDefinition, type ExportFormat } from './azure/export';
import { createTokenProvider } from './azure/token';
import {
  emptySummary,
  serializeSyncStatus,
  SYNC_STATUS_FILE,
  type SourceSyncRecord,
  diffOperations,
  hasChanges,
  INVENTORY_FILE,
  normalizeInventory,
  parseInventory,
  serializeInventory,
  type DiscoveryFiles,
  type Inventory,
  type InventoryApi,
  type InventoryService,
} from './inventory';
import { INVENTORY_REPORT_HTML, INVENTORY_REPORT_MARKDOWN, renderInventoryHtml, renderInventoryMarkdown } from './inventory-report';
import { pushLinkedSpecs, type PushResult } from './link-spec';
import type { ApiLink } from './links-file';
import { canonicalJson, listOperations, sha256Hex } from './spec-document';

/** One Azure source: an app registration and what of its reach to read (the seed's "source"). */
export interface AzureSourceOptions {
  /** A short name, unique among the sources (shown in messages and recorded in the inventory). */
  name: string;
  tenantId: string;
  clientId: string;
  /** Read from the variable the source names; never logged or written. */
  clientSecret: string;
  /** Subscriptions to read; empty or absent: every subscription the app can see (ARM `GET /subscriptions`). */
  subscriptions?: readonly string[];
  /** Only services of this resource group. */
  resourceGroup?: string;
  /** Only these services (names). */
  services?: readonly string[];
  /** APIM workspaces whose APIs are read too (`*`: every workspace); absent: none. */
  workspaces?: readonly string[];
  /** @default 'public' */
  cloud?: string;
  /** Overrides the cloud's ARM endpoint. */
  armEndpoint?: string;
  /** Overrides the cloud's authority host. */
  authorityHost?: string;
}

/** What to discover and what to do with it. */
export interface DiscoverAzureApimOptions {
  /** The sources; when absent, one source named `default` is made of the single-source fields below. */
  sources?: readonly AzureSourceOptions[];
  tenantId?: string;
  clientId?: string;
  /** From `AZURE_CLIENT_SECRET` only; never logged or written. */
  clientSecret?: string;
  /** Subscriptions to read; empty: every subscription the app can see. */
  subscriptions?: readonly string[];
  /** Only services of this resource group. */
  resourceGroup?: string;
  /** Only these services (names). */
  services?: readonly string[];
  /** APIM workspaces whose APIs are read too (`*`: every workspace). */
  workspaces?: readonly string[];
  /** OData `$filter` of the API list. @default 'isCurrent eq true' */
  apiFilter?: string;
  /** API types to export; others are recorded as skipped. @default ['http'] */
  includeTypes?: readonly string[];
  /** @default 'auto' */
  format?: ExportFormat;
  /** @default 'public' */
  cloud?: string;
  /** Overrides the cloud's ARM endpoint. */
  armEndpoint?: string;
  /** Overrides the cloud's authority host. */
  authorityHost?: string;
  /** @default '2024-05-01' */
  apiVersion?: string;
  /** Parallel export calls. @default 4 */
  concurrency?: number;
  /**
   * Exit 1 when any API is new, changed or removed; the inventory is then left as it was (and nothing is pushed),
   * so a rerun of the failed pipeline fails again until someone accepts the changes with a run without this flag.
   * @default false
   */
  failOnChange?: boolean;
  /** With `push`: approve the new endpoints of every link (they wait for review otherwise). @default false */
  approveNew?: boolean;
  /** Mark the APIs of services that dropped out of the listing as removed instead of unreachable. @default false */
  acceptMissing?: boolean;
  /** Write nothing and push nothing; report what would happen. @default false */
  dryRun?: boolean;
  /** Links from the links file (see `parseLinksFile`). */
  links?: readonly ApiLink[];
  /** Attach changed definitions of linked APIs to their scan configurations. */
  push?: { baseUrl: string; apiKey: string; userAgent: string; force?: boolean };
  /** e.g. `ias/0.1.0`, recorded in the inventory. */
  tool: string;
  /** Names of the inputs as the host shows them, for messages. @default flag names */
  inputNames?: Partial<Record<'tenantId' | 'clientId' | 'clientSecret' | 'subscriptions' | 'cloud' | 'format' | 'concurrency' | 'links' | 'push', string>>;
}

/** The effects discovery runs on. */
export interface DiscoverAzureApimEffects {
  fetch: FetchLike;
  clock: Clock;
  /** @default silentLogger */
  logger?: Logger;
  /** The inventory folder. */
  files: DiscoveryFiles;
  /** Variables the links file names (subscription keys). */
  readVariable?: (name: string) => string | undefined;
  signal?: AbortSignal;
  /** Retry tuning for Azure calls (tests shorten the waits). */
  retry?: Pick<AzureHttpContext, 'retries' | 'retryBaseMs' | 'retryMaxMs'>;
}

/** How a discovery run ended. */
export interface DiscoveryOutcome {
  exitCode: ExitCode;
  result: 'unchanged' | 'changed' | 'changes-found' | 'config-error' | 'api-error' | 'interrupted';
  /** One sentence. */
  message: string;
  /** The inventory as written (or as it would be written with `dryRun`); null when the run failed early. */
  inventory: Inventory | null;
  /** What each source's sync did (also written to `sync-status.json`). */
  sources: SourceSyncRecord[];
  /** Files written or deleted, relative to the inventory folder (empty with `dryRun`). */
  written: string[];
  deleted: string[];
  /** New APIs that no link names: review them and add links. */
  unlinkedNew: string[];
  /** Keys of APIs whose service could not be read this time (kept with their last definition). */
  unreachable: string[];
  pushes: PushResult[];
  errors: ConfigIssue[];
}

interface ArmService {
  id: string;
  name: string;
  location?: string;
  sku?: { name?: string };
  properties?: { gatewayUrl?: string };
}

interface ArmApi {
  id: string;
  name: string;
  properties?: {
    displayName?: string;
    path?: string;
    type?: string;
    apiType?: string;
    protocols?: string[];
    apiRevision?: string;
    apiVersion?: string;
    apiVersionSetId?: string;
    subscriptionRequired?: boolean;
    subscriptionKeyParameterNames?: { header?: string };
  };
}

/** The api-version of ARM's subscription list (a different resource provider from API Management). */
const SUBSCRIPTIONS_API_VERSION = '2022-12-01';

const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

/** A cheap check of an OData `$filter` before it reaches ARM: balanced quotes and parentheses, no control characters. */
export function odataFilterProblem(filter: string): string | undefined {
  if ([...filter].some((c) => c.charCodeAt(0) < 0x20)) return 'contains control characters';
  let depth = 0;
  let quoted = false;
  for (const c of filter) {
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth += 1;
    else if (!quoted && c === ')') depth -= 1;
    if (depth < 0) return `'${filter}' closes a parenthesis it never opened`;
  }
  if (quoted) return `'${filter}' has an unclosed quote`;
  if (depth !== 0) return `'${filter}' has an unclosed parenthesis`;
  if (filter.trim() !== '' && !/\b(eq|ne|gt|ge|lt|le)\b|\b(contains|startswith|endswith|substringof)\(/i.test(filter)) return `'${filter}' has no comparison (e.g. isCurrent eq true, or name eq 'orders')`;
  return undefined;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The sources of a run: `options.sources`, or one `default` source made of the single-source fields. */
export function sourcesOf(options: DiscoverAzureApimOptions): AzureSourceOptions[] {
  if (options.sources !== undefined && options.sources.length > 0) return [...options.sources];
  return [
    {
      name: 'default',
      tenantId: options.tenantId ?? '',
      clientId: options.clientId ?? '',
      clientSecret: options.clientSecret ?? '',
      ...(options.subscriptions === undefined ? {} : { subscriptions: options.subscriptions }),
      ...(options.resourceGroup === undefined ? {} : { resourceGroup: options.resourceGroup }),
      ...(options.services === undefined ? {} : { services: options.services }),
      ...(options.workspaces === undefined ? {} : { workspaces: options.workspaces }),
      ...(options.cloud === undefined ? {} : { cloud: options.cloud }),
      ...(options.armEndpoint === undefined ? {} : { armEndpoint: options.armEndpoint }),
      ...(options.authorityHost === undefined ? {} : { authorityHost: options.authorityHost }),
    },
  ];
}

/** Checks the options; returns the problems, named as the host names its inputs. */
export function validateDiscoveryOptions(options: DiscoverAzureApimOptions): ConfigIssue[] {
  const fromFile = options.sources !== undefined && options.sources.length > 0;
  const name = (key: keyof NonNullable<DiscoverAzureApimOptions['inputNames']>, fallback: string): string => options.inputNames?.[key] ?? fallback;
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const source of sourcesOf(options)) {
    // Problems of a source from a sources file name the source and its field; flags keep their own names.
    const label = (key: keyof NonNullable<DiscoverAzureApimOptions['inputNames']>, flag: string, field: string): string => (fromFile ? `source '${source.name}': ${field}` : name(key, flag));
    const add = (path: string, message: string): void => {
      issues.push({ path, message });
    };
    if (fromFile && seen.has(source.name)) add(`source '${source.name}'`, `source '${source.name}' is named twice; give every source its own name`);
    seen.add(source.name);
    const need = (value: string, key: 'tenantId' | 'clientId' | 'clientSecret', flag: string, field: string): void => {
      if (value.trim() === '') add(label(key, flag, field), `${label(key, flag, field)} is required`);
    };
    need(source.tenantId, 'tenantId', '--tenant-id', 'tenantId');
    need(source.clientId, 'clientId', '--client-id', 'clientId');
    need(source.clientSecret, 'clientSecret', 'AZURE_CLIENT_SECRET', 'the variable named by clientSecretEnv');
    if (source.clientId.trim() !== '' && !GUID.test(source.clientId.trim())) add(label('clientId', '--client-id', 'clientId'), `${label('clientId', '--client-id', 'clientId')} must be the Application (client) ID, a GUID`);
    for (const s of source.subscriptions ?? []) if (!GUID.test(s)) add(label('subscriptions', '--subscription', 'subscriptions'), `${label('subscriptions', '--subscription', 'subscriptions')} '${s}' is not a subscription id (a GUID)`);
    if (source.cloud !== undefined && !isAzureCloud(source.cloud)) add(label('cloud', '--cloud', 'cloud'), `${label('cloud', '--cloud', 'cloud')} must be one of ${Object.keys(AZURE_CLOUDS).join(', ')}, not '${source.cloud}'`);
    for (const [url, flag, field] of [[source.armEndpoint, '--arm-endpoint', 'armEndpoint'], [source.authorityHost, '--authority-host', 'authorityHost']] as const) {
      if (url === undefined) continue;
      const problem = /^https?:\/\/[^\s/]+/i.test(url) ? azureUrlProblem(url) : `'${url}' is not an http(s) URL`;
      const shown = fromFile ? `source '${source.name}': ${field}` : flag;
      if (problem !== undefined) add(shown, `${shown}: ${problem}`);
    }
  }
  if (options.format !== undefined && !(EXPORT_FORMATS as readonly string[]).includes(options.format)) issues.push({ path: name('format', '--format'), message: `${name('format', '--format')} must be one of ${EXPORT_FORMATS.join(', ')}` });
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) issues.push({ path: name('concurrency', '--concurrency'), message: `${name('concurrency', '--concurrency')} must be a whole number from 1 to 16` });
  if (options.apiVersion !== undefined && !API_VERSION.test(options.apiVersion)) {
    issues.push({ path: '--apim-api-version', message: `--apim-api-version '${options.apiVersion}' is not an ARM api-version (YYYY-MM-DD or YYYY-MM-DD-preview, e.g. ${DEFAULT_APIM_API_VERSION})` });
  }
  if (options.apiFilter !== undefined) {
    const problem = odataFilterProblem(options.apiFilter);
    if (problem !== undefined) issues.push({ path: '--api-filter', message: `--api-filter ${problem}` });
  }
  if (options.push !== undefined && (options.links === undefined || options.links.length === 0)) issues.push({ path: name('push', '--push'), message: `${name('push', '--push')} needs a links file with at least one link (${name('links', '--links')})` });
  return issues;
}

/** What one source's sync produced. */
interface SourceRun {
  source: AzureSourceOptions;
  armEndpoint: string;
  cloud: string;
  subscriptions: string[];
  services: InventoryService[];
  apis: InventoryApi[];
  /** Services listed before that could not be read now, with the reason. */
  unreachableServices: Map<string, string>;
  /** The whole source failed (sign-in, subscription or service listing). */
  failure?: { exitCode: ExitCode; message: string; issues: ConfigIssue[] };
}

/**
 * Discovers the APIs of Azure API Management services of one or more sources, exports their definitions, compares
 * them with the previous inventory, writes `inventory.json`, `specs/<service>/<api>.json` and `sync-status.json`,
 * and with `push` attaches changed definitions to their linked scan configurations. APIs of a service (or source)
 * that cannot be read this time are kept as `unreachable` with their last definition, and the run exits 5.
 * Never throws for user, Azure or IAS failures: they end up in the outcome.
 */
export async function discoverAzureApim(options: DiscoverAzureApimOptions, effects: DiscoverAzureApimEffects): Promise<DiscoveryOutcome> {
  const logger = effects.logger ?? silentLogger;
  const sources = sourcesOf(options);
  const secrets = [...sources.map((s) => s.clientSecret), options.push?.apiKey].filter((s): s is string => s !== undefined && s !== '');
  const redact = (text: string): string => redactSecrets(text, secrets);

  const issues = validateDiscoveryOptions(options);
  if (issues.length > 0) return failedDiscovery(redact, EXIT_CODES.configError, `${issues[0]?.message ?? 'Invalid input'}${issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : ''}.`, issues);

  const run: DiscoveryRun = {
    options,
    effects,
    logger,
    sources,
    secrets,
    redact,
    apiFilter: options.apiFilter ?? 'isCurrent eq true',
    includeTypes: [...(options.includeTypes ?? ['http'])].map((t) => t.toLowerCase()).sort(),
    http: { fetch: effects.fetch, clock: effects.clock, logger, ...(effects.signal === undefined ? {} : { signal: effects.signal }), ...effects.retry },
    at: new Date(effects.clock.now()).toISOString(),
  };
  try {
    return await syncEverySource(run);
  } catch (error) {
    if (isIasError(error)) {
      const code = error instanceof ApiError && (error.status === 404 || error.status === 400) ? EXIT_CODES.configError : exitCodeForError(error.code);
      return failedDiscovery(redact, code, error.message, error instanceof ConfigError ? [...error.issues] : []);
    }
    return failedDiscovery(redact, EXIT_CODES.apiError, `Discovery failed unexpectedly: ${error instanceof Error ? error.message : String(error)}.`);
  }
}

/** What every stage of one discovery run shares. */
interface DiscoveryRun {
  options: DiscoverAzureApimOptions;
  effects: DiscoverAzureApimEffects;
  logger: Logger;
  sources: AzureSourceOptions[];
  secrets: string[];
  redact: (text: string) => string;
  apiFilter: string;
  includeTypes: string[];
  http: AzureHttpContext;
  /** When this run started, as recorded in the inventory. */
  at: string;
}

function resultOfExit(exitCode: ExitCode): DiscoveryOutcome['result'] {
  return exitCode === EXIT_CODES.configError ? 'config-error' : exitCode === EXIT_CODES.interrupted ? 'interrupted' : 'api-error';
}

function failedDiscovery(redact: (text: string) => string, exitCode: ExitCode, message: string, errors: ConfigIssue[] = []): DiscoveryOutcome {
  return { exitCode, result: resultOfExit(exitCode), message: redact(message), inventory: null, sources: [], written: [], deleted: [], unlinkedNew: [], unreachable: [], pushes: [], errors };
}

/** The data path: read the previous inventory → sync each source → reconcile → write → push → conclude. */
async function syncEverySource(run: DiscoveryRun): Promise<DiscoveryOutcome> {
  const { options, effects, logger } = run;
  const previousRead = parseInventory(await effects.files.readText(INVENTORY_FILE));
  if (previousRead.warning !== undefined) logger.warn(`${previousRead.warning}.`);
  const previous = previousRead.inventory;
  const previousByKey = new Map((previous?.apis ?? []).map((a) => [a.key, a]));
  const specTexts = new Map<string, string>();

  const runs: SourceRun[] = [];
  for (const source of run.sources) {
    runs.push(await syncSource(source, { options, http: run.http, logger, apiFilter: run.apiFilter, includeTypes: run.includeTypes, previousByKey, specTexts, redact: run.redact, multiple: run.sources.length > 1 }));
  }
  const { apis, services, unreachable } = reconcileWithPrevious(runs, previous, options.acceptMissing ?? false);
  attachLinks(apis, options.links ?? [], previousByKey);
  let inventory = normalizeInventory({ schemaVersion: 1, generatedAt: run.at, tool: options.tool, sources: runs.map((r) => inventorySource(r, run)), summary: emptySummary(), services, apis });
  logChanges(inventory, runs, options, logger);

  const dryRun = options.dryRun ?? false;
  const changed = hasChanges(inventory);
  // A gate on changes leaves the inventory as it was, so the next run still sees (and fails on) them.
  const holdBack = changed && (options.failOnChange ?? false);
  const files = dryRun || holdBack ? { written: [], deleted: [] } : await writeSpecs(inventory, specTexts, previousByKey, effects.files);
  const pushes = options.push !== undefined && options.links !== undefined && !holdBack ? await pushChangedSpecs(run, inventory, specTexts, options.push, options.links) : [];

  // generatedAt moves only when something else did, so an idle sync leaves the file byte-identical.
  if (previous !== undefined && serializeInventory({ ...inventory, generatedAt: previous.generatedAt }) === serializeInventory(previous)) {
    inventory = { ...inventory, generatedAt: previous.generatedAt };
  }
  const records = runs.map((r) => syncRecord(r, inventory, run.at));
  if (!dryRun) files.written.push(...(await writeInventoryFiles(run, { inventory, records, pushes, holdBack, firstReadable: previous !== undefined || runs.some((r) => r.failure === undefined) })));
  const unlinkedNew = inventory.apis.filter((a) => a.status === 'new' && a.link === null).map((a) => a.key);
  const base = { inventory, sources: records, written: files.written, deleted: files.deleted, unlinkedNew, unreachable: unreachable.sort(), pushes, errors: runs.flatMap((r) => r.failure?.issues ?? []) };
  return { ...base, ...concludeDiscovery(run, runs, { inventory, pushes, unreachable, changed, holdBack, dryRun }) };
}

/** What was there before and is not now: removed, or unreachable when its service or source could not be read. */
function reconcileWithPrevious(runs: readonly SourceRun[], previous: Inventory | undefined, acceptMissing: boolean): { apis: InventoryApi[]; services: InventoryService[]; unreachable: string[] } {
  const apis: InventoryApi[] = runs.flatMap((r) => r.apis);
  const services: InventoryService[] = runs.flatMap((r) => r.services);
  const seen = new Set(apis.map((a) => a.key));
  const unreachable: string[] = [];
  const previousServices = new Map((previous?.services ?? []).map((s) => [`${s.source ?? 'default'}\u0000${s.name}`, s]));
  for (const old of previous?.apis ?? []) {
    if (seen.has(old.key) || old.status === 'removed') continue;
    const sourceName = old.source ?? 'default';
    const run = runs.find((r) => r.source.name === sourceName);
    const reason = run === undefined ? undefined : run.failure !== undefined ? `source '${sourceName}' failed: ${run.failure.message}` : run.unreachableServices.get(old.service);
    if (reason !== undefined && !acceptMissing) {
      apis.push({ ...old, source: sourceName, status: 'unreachable', error: reason, diff: null, previousSha256: old.spec?.sha256 ?? null });
      unreachable.push(old.key);
      const service = previousServices.get(`${sourceName}\u0000${old.service}`);
      if (service !== undefined && !services.some((s) => (s.source ?? 'default') === sourceName && s.name === old.service)) services.push({ ...service, source: sourceName, status: 'unreachable', error: reason });
      continue;
    }
    apis.push({ ...old, status: 'removed', spec: null, previousSha256: old.spec?.sha256 ?? null, diff: old.spec === null ? null : { added: [], removed: [...old.spec.operations] }, skipReason: null, error: null });
  }
  return { apis, services, unreachable };
}

/** Each API's link from the links file, keeping what earlier pushes recorded while it names the same configuration. */
function attachLinks(apis: InventoryApi[], links: readonly ApiLink[], previousByKey: ReadonlyMap<string, InventoryApi>): void {
  const linksByKey = new Map(links.map((l) => [l.key, l]));
  for (const api of apis) {
    const link = linksByKey.get(api.key);
    const oldLink = previousByKey.get(api.key)?.link ?? null;
    api.link = link === undefined ? null : oldLink !== null && oldLink.scanConfig === link.scanConfig ? { ...oldLink } : { scanConfig: link.scanConfig, scanConfigId: null, lastPushedSha256: null, lastPushedAt: null };
  }
}

function sortedOrNull(values: readonly string[] | undefined): string[] | null {
  return values === undefined || values.length === 0 ? null : [...values].sort();
}

function inventorySource(r: SourceRun, run: DiscoveryRun): Inventory['sources'][number] {
  return {
    name: r.source.name,
    kind: 'azure-apim' as const,
    cloud: r.cloud,
    armEndpoint: r.armEndpoint,
    tenantId: r.source.tenantId.trim(),
    clientId: r.source.clientId.trim(),
    subscriptions: sortedOrNull(r.source.subscriptions),
    resourceGroup: r.source.resourceGroup ?? null,
    services: sortedOrNull(r.source.services),
    workspaces: sortedOrNull(r.source.workspaces),
    apiFilter: run.apiFilter,
    includeTypes: run.includeTypes,
  };
}

function logChanges(inventory: Inventory, runs: readonly SourceRun[], options: DiscoverAzureApimOptions, logger: Logger): void {
  for (const api of inventory.apis) {
    if (api.status === 'new' || api.status === 'changed' || api.status === 'removed') {
      const diff = api.diff === null ? '' : ` (+${api.diff.added.length} −${api.diff.removed.length} operations${[...api.diff.added.map((o) => ` +${o}`), ...api.diff.removed.map((o) => ` −${o}`)].slice(0, 6).join(',')})`;
      logger.info(`${api.status.toUpperCase()}: ${api.key}${diff}${api.status === 'changed' && api.skipReason !== null ? `: ${api.skipReason}; the last definition is kept` : ''}`);
    } else if (api.status === 'skipped') logger.info(`skipped: ${api.key}: ${api.skipReason ?? ''}`);
  }
  for (const run of runs) {
    for (const [service, reason] of run.unreachableServices) logger.warn(`${run.source.name === 'default' ? '' : `source '${run.source.name}': `}service ${service} is unreachable (${reason}); its APIs are kept with their last definitions as unreachable.`);
    if (run.failure !== undefined) logger.error(run.failure.message);
  }
  const unlinkedNew = inventory.apis.filter((a) => a.status === 'new' && a.link === null).map((a) => a.key);
  if (unlinkedNew.length > 0 && options.links !== undefined) {
    logger.info(`New APIs without a link (review them and add them to the links file to scan them): ${unlinkedNew.join(', ')}`);
  }
}

/** Writes the definitions that changed (or went missing on disk) and deletes those of removed or skipped APIs. */
async function writeSpecs(inventory: Inventory, specTexts: ReadonlyMap<string, string>, previousByKey: ReadonlyMap<string, InventoryApi>, files: DiscoveryFiles): Promise<{ written: string[]; deleted: string[] }> {
  const written: string[] = [];
  const deleted: string[] = [];
  for (const api of inventory.apis) {
    const text = specTexts.get(api.key);
    if (text !== undefined && api.spec !== null && (api.status !== 'unchanged' || (await files.readText(api.spec.file)) !== text)) {
      await files.writeText(api.spec.file, text);
      written.push(api.spec.file);
    }
    const oldFile = previousByKey.get(api.key)?.spec?.file;
    if (oldFile !== undefined && (api.status === 'removed' || api.status === 'skipped') && api.spec === null) {
      await files.remove(oldFile);
      deleted.push(oldFile);
    }
  }
  return { written, deleted };
}

/** Pushes the linked definitions and records each push on its API's link in the inventory. */
async function pushChangedSpecs(run: DiscoveryRun, inventory: Inventory, specTexts: ReadonlyMap<string, string>, push: NonNullable<DiscoverAzureApimOptions['push']>, links: readonly ApiLink[]): Promise<PushResult[]> {
  const { effects, logger, redact, options } = run;
  const dryRun = options.dryRun ?? false;
  const client = createApiClient({ baseUrl: push.baseUrl, apiKey: push.apiKey, fetch: effects.fetch, userAgent: push.userAgent, clock: effects.clock, logger, ...(effects.signal === undefined ? {} : { signal: effects.signal }) });
  const gatewayHosts = new Map(inventory.services.map((s) => [s.name, hostOf(s.gatewayUrl)] as const).filter((e): e is [string, string] => e[1] !== undefined));
  const pushes = await pushLinkedSpecs(links, inventory.apis, gatewayHosts, {
    client,
    logger,
    dryRun,
    force: push.force ?? false,
    approveNew: options.approveNew ?? false,
    readVariable: effects.readVariable ?? (() => undefined),
    specText: async (api) => specTexts.get(api.key) ?? (api.spec === null ? undefined : await effects.files.readText(api.spec.file)),
    secrets: run.secrets,
  });
  for (const result of pushes) {
    const level = result.result === 'error' || result.result === 'refused' ? logger.error : result.result === 'skipped' ? logger.warn : logger.info;
    level(redact(result.message));
    for (const warning of result.warnings ?? []) logger.warn(redact(warning));
    for (const line of result.diff ?? []) logger.info(`    ${redact(line)}`);
    recordPush(inventory.apis.find((a) => a.key === result.key), result, dryRun, run.at);
  }
  return pushes;
}

function recordPush(api: InventoryApi | undefined, push: PushResult, dryRun: boolean, at: string): void {
  if (!api?.link) return;
  if (push.scanConfigId !== null) api.link = { ...api.link, scanConfigId: push.scanConfigId, ...(push.scanConfigName === undefined ? {} : { scanConfigName: push.scanConfigName }) };
  if (push.approvedOperations !== undefined && !dryRun) {
    const pending = push.pendingReview ?? [];
    const since = api.link.pendingReview?.since ?? at;
    api.link = { ...api.link, approvedOperations: push.approvedOperations, pendingReview: pending.length === 0 ? null : { added: pending, since } };
  }
  if (push.result !== 'pushed' || push.sha256 === undefined) return;
  api.link = { ...api.link, lastPushedSha256: push.sha256, lastPushedAt: at, ...(push.applied === undefined ? {} : { applied: push.applied }) };
}

/** The inventory, the sync status and the inventory reports; returns the files written. */
async function writeInventoryFiles(
  run: DiscoveryRun,
  what: { inventory: Inventory; records: SourceSyncRecord[]; pushes: PushResult[]; holdBack: boolean; firstReadable: boolean },
): Promise<string[]> {
  const { files } = run.effects;
  const written: string[] = [];
  // A first sync that could read nothing leaves no (empty) inventory behind, only its status.
  if (!what.holdBack && what.firstReadable) {
    await files.writeText(INVENTORY_FILE, serializeInventory(what.inventory));
    written.push(INVENTORY_FILE);
  }
  await files.writeText(SYNC_STATUS_FILE, serializeSyncStatus(what.records));
  written.push(SYNC_STATUS_FILE);
  // The report shows this sync as found, also when the gate held the inventory back: that is what to review.
  if (what.firstReadable) {
    const report = { inventory: what.inventory, sources: what.records, ...(what.pushes.length > 0 ? { pushes: what.pushes } : {}) };
    await files.writeText(INVENTORY_REPORT_MARKDOWN, run.redact(renderInventoryMarkdown(report)));
    await files.writeText(INVENTORY_REPORT_HTML, run.redact(renderInventoryHtml(report)));
    written.push(INVENTORY_REPORT_MARKDOWN, INVENTORY_REPORT_HTML);
  }
  return written;
}

/** The exit status and its one sentence, from the worst thing that happened. */
function concludeDiscovery(
  run: DiscoveryRun,
  runs: readonly SourceRun[],
  what: { inventory: Inventory; pushes: PushResult[]; unreachable: string[]; changed: boolean; holdBack: boolean; dryRun: boolean },
): Pick<DiscoveryOutcome, 'exitCode' | 'result' | 'message'> {
  const { inventory, pushes, unreachable, holdBack, dryRun } = what;
  const { redact } = run;
  const s = inventory.summary;
  const counts = `${inventory.apis.length} API${inventory.apis.length === 1 ? '' : 's'} in ${inventory.services.length} service${inventory.services.length === 1 ? '' : 's'}: ${s.new} new, ${s.changed} changed, ${s.unchanged} unchanged, ${s.removed} removed, ${s.skipped} skipped, ${s.error} error${s.unreachable > 0 ? `, ${s.unreachable} unreachable` : ''}`;
  const pushErrors = pushes.filter((p) => p.result === 'error').length;
  const refused = pushes.filter((p) => p.result === 'refused').length;
  const pushed = pushes.filter((p) => p.result === 'pushed' || p.result === 'would-push').length;
  const pushText = run.options.push === undefined || holdBack ? '' : `; ${pushed} definition${pushed === 1 ? '' : 's'} ${dryRun ? 'would be ' : ''}pushed${pushErrors > 0 ? `, ${pushErrors} push error${pushErrors === 1 ? '' : 's'}` : ''}${refused > 0 ? `, ${refused} link${refused === 1 ? '' : 's'} refused` : ''}`;
  const failed = runs.filter((r) => r.failure !== undefined);
  if (failed.length > 0) {
    const first = failed[0]?.failure;
    const message = run.sources.length === 1 && first !== undefined ? first.message : `${failed.length} of ${run.sources.length} sources failed (${failed.map((r) => `${r.source.name}: ${r.failure?.message ?? ''}`).join(' ')}); the others were synced (${counts}).`;
    const exitCode = failed.every((r) => r.failure?.exitCode === EXIT_CODES.configError) ? EXIT_CODES.configError : failed.some((r) => r.failure?.exitCode === EXIT_CODES.interrupted) ? EXIT_CODES.interrupted : EXIT_CODES.apiError;
    return { exitCode, result: resultOfExit(exitCode), message: redact(message) };
  }
  if (unreachable.length > 0) {
    const names = [...new Set(runs.flatMap((r) => [...r.unreachableServices.keys()]))].sort();
    const one = names.length === 1;
    return { exitCode: EXIT_CODES.apiError, result: 'api-error', message: redact(`Discovery could not read service${one ? '' : 's'} ${names.join(', ')} (${counts}${pushText}): their ${unreachable.length} API${unreachable.length === 1 ? ' is' : 's are'} kept as unreachable. Assign the '${READER_ROLE}' on ${one ? 'it' : 'them'} again, or, if ${one ? 'it was' : 'they were'} deleted, run once with --accept-missing.`) };
  }
  if (s.error > 0 || pushErrors > 0) return { exitCode: EXIT_CODES.apiError, result: 'api-error', message: redact(`Discovery finished with errors (${counts}${pushText}); see the messages above.`) };
  if (refused > 0) return { exitCode: EXIT_CODES.configError, result: 'config-error', message: redact(`Discovery refused ${refused} link${refused === 1 ? '' : 's'} (${counts}${pushText}); see the messages above.`) };
  if (holdBack) {
    return { exitCode: EXIT_CODES.gateFailed, result: 'changes-found', message: `Discovery found changes and --fail-on-change is set (${counts}); the inventory was left as it was and nothing was pushed: review the changes, then run without --fail-on-change to accept them.` };
  }
  return { exitCode: EXIT_CODES.passed, result: what.changed ? 'changed' : 'unchanged', message: `Discovery ${dryRun ? 'dry run ' : ''}finished (${counts}${pushText}).` };
}

interface SyncContext {
  options: DiscoverAzureApimOptions;
  http: AzureHttpContext;
  logger: Logger;
  apiFilter: string;
  includeTypes: string[];
  previousByKey: Map<string, InventoryApi>;
  specTexts: Map<string, string>;
  redact: (text: string) => string;
  multiple: boolean;
}

/** Signs in as one source, lists its subscriptions, services and APIs, and exports their definitions. */
async function syncSource(source: AzureSourceOptions, ctx: SyncContext): Promise<SourceRun> {
  const { options, http, logger } = ctx;
  const cloudName = source.cloud ?? 'public';
  const cloud = isAzureCloud(cloudName) ? AZURE_CLOUDS[cloudName] : AZURE_CLOUDS.public;
  const armEndpoint = (source.armEndpoint ?? cloud.armEndpoint).replace(/\/+$/, '');
  const authorityHost = (source.authorityHost ?? cloud.authorityHost).replace(/\/+$/, '');
  const tokens = createTokenProvider({ ...http, authorityHost, tenantId: source.tenantId.trim(), clientId: source.clientId.trim(), clientSecret: source.clientSecret, scope: armScope(armEndpoint) });
  const arm = createArmClient({ ...http, armEndpoint, apiVersion: options.apiVersion ?? DEFAULT_APIM_API_VERSION, tokens });
  const prefix = ctx.multiple ? `${source.name}: ` : '';
  const run: SourceRun = { source, armEndpoint, cloud: cloudName, subscriptions: [], services: [], apis: [], unreachableServices: new Map() };
  try {
    run.subscriptions = source.subscriptions !== undefined && source.subscriptions.length > 0 ? [...source.subscriptions] : await listSubscriptions(arm, logger, prefix);
    const known = new Set([...ctx.previousByKey.values()].filter((a) => (a.source ?? 'default') === source.name && a.status !== 'removed').map((a) => a.service.toLowerCase()));
    const listed = await listServices(arm, source, run.subscriptions, known, logger, prefix);
    const listedNames = new Set(listed.map((s) => s.name));
    // A service listed before, within this source's scope, and missing now: the role on it was revoked (or it was deleted).
    for (const old of ctx.previousByKey.values()) {
      if ((old.source ?? 'default') !== source.name || old.status === 'removed' || listedNames.has(old.service)) continue;
      if (source.services !== undefined && source.services.length > 0 && !source.services.some((s) => s.toLowerCase() === old.service.toLowerCase())) continue;
      const sub = segmentAfter(old.armId, 'subscriptions') ?? '';
      const rg = segmentAfter(old.armId, 'resourceGroups') ?? '';
      if (!run.subscriptions.some((s) => s.toLowerCase() === sub.toLowerCase())) continue;
      if (source.resourceGroup !== undefined && source.resourceGroup.toLowerCase() !== rg.toLowerCase()) continue;
      run.unreachableServices.set(old.service, `no longer listed in subscription ${sub}: the '${READER_ROLE}' may have been revoked, or the service deleted`);
    }
    for (const service of listed) {
      let items: ArmApi[];
      try {
        items = await arm.list<ArmApi>(`${service.id}/apis`, 'GET …/service/{service}/apis', { $filter: ctx.apiFilter === '' ? undefined : ctx.apiFilter });
      } catch (error) {
        if (error instanceof ApiError && (error.status === 403 || (error.status === 404 && !/InvalidResourceType/.test(error.message)))) {
          run.unreachableServices.set(service.name, ctx.redact(error.message));
          continue;
        }
        throw error;
      }
      run.services.push(serviceEntry(source.name, service));
      logger.info(`${prefix}${service.name}: ${items.length} API${items.length === 1 ? '' : 's'}`);
      const entries = await mapLimit(items, options.concurrency ?? 4, (item) => syncApi(source.name, service, item, arm, ctx, null));
      run.apis.push(...entries);
      for (const workspace of await chooseWorkspaces(arm, service, source.workspaces ?? [], logger, prefix)) {
        const wsItems = await arm.list<ArmApi>(`${service.id}/workspaces/${encodeURIComponent(workspace)}/apis`, 'GET …/workspaces/{workspace}/apis', { $filter: ctx.apiFilter === '' ? undefined : ctx.apiFilter });
        logger.info(`${prefix}${service.name}, workspace ${workspace}: ${wsItems.length} API${wsItems.length === 1 ? '' : 's'}`);
        run.apis.push(...(await mapLimit(wsItems, options.concurrency ?? 4, (item) => syncApi(source.name, service, item, arm, ctx, workspace))));
      }
    }
  } catch (error) {
    if (error instanceof ApiError && error.code === 'ABORTED') throw error;
    if (isIasError(error)) {
      const exitCode = error instanceof ApiError && (error.status === 404 || error.status === 400) ? EXIT_CODES.configError : exitCodeForError(error.code);
      run.failure = { exitCode, message: ctx.redact(`${prefix}${error.message}`), issues: error instanceof ConfigError ? [...error.issues] : [] };
    } else {
      run.failure = { exitCode: EXIT_CODES.apiError, message: ctx.redact(`${prefix}Discovery failed unexpectedly: ${error instanceof Error ? error.message : String(error)}.`), issues: [] };
    }
    run.services = [];
    run.apis = [];
  }
  return run;
}

/** Exports one API and compares it with the previous inventory. */
async function syncApi(sourceName: string, service: ArmService, item: ArmApi, arm: ArmClient, ctx: SyncContext, workspace: string | null): Promise<InventoryApi> {
  const api = baseEntry(sourceName, service, item, workspace);
  const before = ctx.previousByKey.get(api.key);
  const old = before?.status === 'removed' ? undefined : before?.spec ?? undefined;
  // A definition that cannot be had any more is a change (every operation gone), and the last one is kept, so the
  // loss is reviewed instead of silently dropping the API from its scans.
  const lost = (reason: string): InventoryApi => {
    if (old === undefined) return { ...api, status: 'skipped', skipReason: reason };
    if (before?.skipReason !== null && before?.skipReason !== undefined && before.status !== 'unreachable') return { ...api, status: 'skipped', skipReason: reason, spec: old, previousSha256: old.sha256 };
    return { ...api, status: 'changed', skipReason: reason, spec: old, previousSha256: old.sha256, diff: { added: [], removed: [...old.operations] } };
  };
  const type = api.type.toLowerCase();
  if (!ctx.includeTypes.includes(type)) return lost(`type ${type} is not exported (--include-types ${ctx.includeTypes.join(',')})`);
  try {
    const exported = await exportApiDefinition(arm, ctx.http, item.id, ctx.options.format ?? 'auto');
    if (exported.kind === 'unsupported') return lost(exported.reason);
    const operations = listOperations(exported.format, exported.document);
    if (operations.length === 0) return lost('the definition has no operations');
    const text = canonicalJson(exported.document);
    const sha256 = await sha256Hex(text);
    ctx.specTexts.set(api.key, text);
    const spec = { format: exported.format, file: specFile(service.name, item.name, workspace ?? undefined), sha256, operations };
    if (old === undefined) return { ...api, spec, status: 'new' };
    if (old.sha256 === sha256) return { ...api, spec, status: before?.skipReason !== null && before?.skipReason !== undefined ? 'changed' : 'unchanged', previousSha256: old.sha256, ...(before?.skipReason ? { diff: diffOperations([], operations) } : {}) };
    return { ...api, spec, status: 'changed', previousSha256: old.sha256, diff: diffOperations(old.operations, operations) };
  } catch (error) {
    if (error instanceof ApiError && error.code === 'ABORTED') throw error;
    const message = ctx.redact(error instanceof Error ? error.message : String(error));
    ctx.logger.warn(`${api.key}: export failed: ${message}`);
    // Keep the last good definition so one bad day does not lose it or count as a change.
    return { ...api, status: 'error', error: message, spec: before?.spec ?? null, previousSha256: before?.spec?.sha256 ?? null };
  }
}

/** The workspaces of a service to read: every one for `*`, else the named ones (a name not found is a warning). */
async function chooseWorkspaces(arm: ArmClient, service: ArmService, wanted: readonly string[], logger: Logger, prefix: string): Promise<string[]> {
  if (wanted.length === 0) return [];
  const listed = (await arm.list<{ name: string }>(`${service.id}/workspaces`, 'GET …/service/{service}/workspaces')).map((w) => w.name).sort();
  if (wanted.includes('*')) return listed;
  const missing = wanted.filter((w) => !listed.includes(w));
  if (missing.length > 0) logger.warn(`${prefix}${service.name} has no workspace ${missing.map((m) => `'${m}'`).join(', ')} (it has: ${listed.join(', ') || 'none'}).`);
  return listed.filter((w) => wanted.includes(w));
}

async function listSubscriptions(arm: ArmClient, logger: Logger, prefix: string): Promise<string[]> {
  const listed = await arm.list<{ subscriptionId?: string; state?: string; displayName?: string }>('/subscriptions', 'GET /subscriptions', { 'api-version': SUBSCRIPTIONS_API_VERSION });
  // Disabled and deleted subscriptions answer every read with an error; leave them out.
  const usable = listed.filter((s) => typeof s.subscriptionId === 'string' && !/^(Disabled|Deleted)$/i.test(s.state ?? ''));
  const ids = usable.map((s) => s.subscriptionId as string).sort();
  if (ids.length === 0) {
    throw new ApiError('AUTH_FAILED', `GET /subscriptions found no subscription the app registration can read; assign the '${READER_ROLE}' to it on a subscription, resource group or API Management instance, or name the subscriptions.`, { method: 'GET', url: '/subscriptions', route: 'GET /subscriptions' });
  }
  logger.info(`${prefix}Found ${ids.length} subscription${ids.length === 1 ? '' : 's'} the app can see: ${ids.join(', ')}`);
  return ids;
}

async function listServices(arm: ArmClient, source: AzureSourceOptions, subscriptions: readonly string[], known: ReadonlySet<string>, logger: Logger, prefix: string): Promise<ArmService[]> {
  const found: ArmService[] = [];
  for (const subscription of subscriptions) {
    const scope = source.resourceGroup === undefined ? '' : `/resourceGroups/${encodeURIComponent(source.resourceGroup)}`;
    const listed = await arm.list<ArmService>(`/subscriptions/${encodeURIComponent(subscription)}${scope}/providers/Microsoft.ApiManagement/service`, 'GET …/providers/Microsoft.ApiManagement/service');
    found.push(...listed);
  }
  const wanted = (source.services ?? []).map((s) => s.toLowerCase());
  const chosen = wanted.length === 0 ? found : found.filter((s) => wanted.includes(s.name.toLowerCase()));
  // A named service that was never seen is a typo; one seen before is unreachable (handled by the caller).
  const missing = wanted.filter((w) => !found.some((s) => s.name.toLowerCase() === w) && !known.has(w));
  if (missing.length > 0) {
    throw new ConfigError(
      `API Management service${missing.length === 1 ? '' : 's'} ${missing.map((m) => `'${m}'`).join(', ')} not found in the subscription${subscriptions.length === 1 ? '' : 's'}${source.resourceGroup === undefined ? '' : ` and resource group '${source.resourceGroup}'`} (found: ${found.map((s) => s.name).join(', ') || 'none'}); check --service, --resource-group and --subscription.`,
      missing.map((m) => ({ path: '--service', message: `no service '${m}'` })),
      { code: 'NOT_FOUND' },
    );
  }
  logger.info(`${prefix}Found ${chosen.length} API Management service${chosen.length === 1 ? '' : 's'}${chosen.length > 0 ? `: ${chosen.map((s) => s.name).sort().join(', ')}` : ''}`);
  return chosen.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function serviceEntry(sourceName: string, s: ArmService): InventoryService {
  return {
    id: s.id,
    name: s.name,
    source: sourceName,
    subscriptionId: segmentAfter(s.id, 'subscriptions') ?? '',
    resourceGroup: segmentAfter(s.id, 'resourceGroups') ?? '',
    location: s.location ?? null,
    sku: s.sku?.name ?? null,
    gatewayUrl: s.properties?.gatewayUrl ?? null,
    status: 'ok',
    error: null,
  };
}

function syncRecord(run: SourceRun, inventory: Inventory, at: string): SourceSyncRecord {
  const mine = inventory.apis.filter((a) => (a.source ?? 'default') === run.source.name);
  const counts = emptySummary();
  for (const api of mine) counts[api.status] += 1;
  const result = run.failure !== undefined ? 'failed' : run.unreachableServices.size > 0 || counts.error > 0 ? 'partial' : 'ok';
  const reasons = [...run.unreachableServices].map(([name, why]) => `${name}: ${why}`);
  return {
    name: run.source.name,
    at,
    result,
    subscriptions: [...run.subscriptions].sort(),
    services: inventory.services.filter((s) => (s.source ?? 'default') === run.source.name && s.status !== 'unreachable').length,
    apis: mine.filter((a) => a.status !== 'removed').length,
    counts,
    reason: run.failure?.message ?? (reasons.length > 0 ? reasons.join('; ') : counts.error > 0 ? `${counts.error} API${counts.error === 1 ? '' : 's'} could not be exported` : null),
  };
}

function baseEntry(sourceName: string, service: ArmService, item: ArmApi, workspace: string | null): InventoryApi {
  const p = item.properties ?? {};
  return {
    key: workspace === null ? `${service.name}/${item.name}` : `${service.name}/${item.name}@${workspace}`,
    source: sourceName,
    service: service.name,
    workspace,
    name: item.name,
    armId: item.id,
    displayName: p.displayName ?? item.name,
    type: p.type ?? p.apiType ?? 'http',
    path: p.path ?? '',
    protocols: [...(p.protocols ?? [])].sort(),
    apiRevision: p.apiRevision ?? null,
    apiVersion: p.apiVersion ?? null,
    versionSet: p.apiVersionSetId ?? null,
    subscriptionRequired: p.subscriptionRequired ?? true,
    subscriptionKeyHeader: p.subscriptionKeyParameterNames?.header ?? null,
    spec: null,
    status: 'unchanged',
    previousSha256: null,
    diff: null,
    skipReason: null,
    error: null,
    link: null,
  };
}

/** `specs/<service>/<api>.json` (`specs/<service>/workspaces/<workspace>/<api>.json`), characters outside `[A-Za-z0-9._-]` replaced. */
export function specFile(service: string, api: string, workspace?: string): string {
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return workspace === undefined ? `specs/${safe(service)}/${safe(api)}.json` : `specs/${safe(service)}/workspaces/${safe(workspace)}/${safe(api)}.json`;
}

function segmentAfter(id: string, name: string): string | undefined {
  const parts = id.split('/');
  const at = parts.findIndex((p) => p.toLowerCase() === name.toLowerCase());
  return at >= 0 ? parts[at + 1] : undefined;
}

function hostOf(url: string | null): string | undefined {
  if (url === null) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
