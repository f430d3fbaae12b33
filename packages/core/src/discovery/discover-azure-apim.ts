import { createApiClient } from '../api/client';
import type { Clock, FetchLike, Logger } from '../effects';
import { silentLogger } from '../effects';
import { ApiError, ConfigError, isIasError, redactSecrets, type ConfigIssue } from '../errors';
import { EXIT_CODES, exitCodeForError, type ExitCode } from '../scan/outcome';
import { createArmClient, type ArmClient } from './azure/arm';
import type { AzureHttpContext } from './azure/azure-http';
import { armScope, AZURE_CLOUDS, DEFAULT_APIM_API_VERSION, isAzureCloud } from './azure/clouds';
import { EXPORT_FORMATS, exportApiDefinition, type ExportFormat } from './azure/export';
import { createTokenProvider } from './azure/token';
import {
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
import { pushLinkedSpecs, type PushResult } from './link-spec';
import type { ApiLink } from './links-file';
import { canonicalJson, listOperations, sha256Hex } from './spec-document';

/** What to discover and what to do with it. */
export interface DiscoverAzureApimOptions {
  tenantId: string;
  clientId: string;
  /** From `AZURE_CLIENT_SECRET` only; never logged or written. */
  clientSecret: string;
  /** Subscriptions to read (at least one). */
  subscriptions: readonly string[];
  /** Only services of this resource group. */
  resourceGroup?: string;
  /** Only these services (names). */
  services?: readonly string[];
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
  /** Exit 1 when any API is new, changed or removed. @default false */
  failOnChange?: boolean;
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
  /** Files written or deleted, relative to the inventory folder (empty with `dryRun`). */
  written: string[];
  deleted: string[];
  /** New APIs that no link names: review them and add links. */
  unlinkedNew: string[];
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

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks the options; returns the problems, named as the host names its inputs. */
export function validateDiscoveryOptions(options: DiscoverAzureApimOptions): ConfigIssue[] {
  const name = (key: keyof NonNullable<DiscoverAzureApimOptions['inputNames']>, fallback: string): string => options.inputNames?.[key] ?? fallback;
  const issues: ConfigIssue[] = [];
  const need = (value: string, key: 'tenantId' | 'clientId' | 'clientSecret', flag: string): void => {
    if (value.trim() === '') issues.push({ path: name(key, flag), message: `${name(key, flag)} is required` });
  };
  need(options.tenantId, 'tenantId', '--tenant-id');
  need(options.clientId, 'clientId', '--client-id');
  need(options.clientSecret, 'clientSecret', 'AZURE_CLIENT_SECRET');
  if (options.clientId.trim() !== '' && !GUID.test(options.clientId.trim())) issues.push({ path: name('clientId', '--client-id'), message: `${name('clientId', '--client-id')} must be the Application (client) ID, a GUID` });
  if (options.subscriptions.length === 0) issues.push({ path: name('subscriptions', '--subscription'), message: `${name('subscriptions', '--subscription')} is required: give at least one subscription id` });
  for (const s of options.subscriptions) if (!GUID.test(s)) issues.push({ path: name('subscriptions', '--subscription'), message: `${name('subscriptions', '--subscription')} '${s}' is not a subscription id (a GUID)` });
  if (options.cloud !== undefined && !isAzureCloud(options.cloud)) issues.push({ path: name('cloud', '--cloud'), message: `${name('cloud', '--cloud')} must be one of ${Object.keys(AZURE_CLOUDS).join(', ')}, not '${options.cloud}'` });
  if (options.format !== undefined && !(EXPORT_FORMATS as readonly string[]).includes(options.format)) issues.push({ path: name('format', '--format'), message: `${name('format', '--format')} must be one of ${EXPORT_FORMATS.join(', ')}` });
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) issues.push({ path: name('concurrency', '--concurrency'), message: `${name('concurrency', '--concurrency')} must be a whole number from 1 to 16` });
  for (const url of [options.armEndpoint, options.authorityHost]) {
    if (url !== undefined && !/^https?:\/\/[^\s/]+/i.test(url)) issues.push({ path: url === options.armEndpoint ? '--arm-endpoint' : '--authority-host', message: `'${url}' is not an http(s) URL` });
  }
  if (options.push !== undefined && (options.links === undefined || options.links.length === 0)) issues.push({ path: name('push', '--push'), message: `${name('push', '--push')} needs a links file with at least one link (${name('links', '--links')})` });
  return issues;
}

/**
 * Discovers the APIs of Azure API Management services, exports their definitions, compares them with the previous
 * inventory, writes `inventory.json` and `specs/<service>/<api>.json`, and with `push` attaches changed definitions
 * to their linked scan configurations. Never throws for user, Azure or IAS failures: they end up in the outcome.
 */
export async function discoverAzureApim(options: DiscoverAzureApimOptions, effects: DiscoverAzureApimEffects): Promise<DiscoveryOutcome> {
  const logger = effects.logger ?? silentLogger;
  const secrets = [options.clientSecret, options.push?.apiKey].filter((s): s is string => s !== undefined && s !== '');
  const redact = (text: string): string => redactSecrets(text, secrets);
  const fail = (exitCode: ExitCode, message: string, errors: ConfigIssue[] = []): DiscoveryOutcome => ({
    exitCode,
    result: exitCode === EXIT_CODES.configError ? 'config-error' : exitCode === EXIT_CODES.interrupted ? 'interrupted' : 'api-error',
    message: redact(message),
    inventory: null,
    written: [],
    deleted: [],
    unlinkedNew: [],
    pushes: [],
    errors,
  });

  const issues = validateDiscoveryOptions(options);
  if (issues.length > 0) return fail(EXIT_CODES.configError, `${issues[0]?.message ?? 'Invalid input'}${issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : ''}.`, issues);

  const cloudName = options.cloud ?? 'public';
  const cloud = isAzureCloud(cloudName) ? AZURE_CLOUDS[cloudName] : AZURE_CLOUDS.public;
  const armEndpoint = (options.armEndpoint ?? cloud.armEndpoint).replace(/\/+$/, '');
  const authorityHost = (options.authorityHost ?? cloud.authorityHost).replace(/\/+$/, '');
  const apiFilter = options.apiFilter ?? 'isCurrent eq true';
  const includeTypes = [...(options.includeTypes ?? ['http'])].map((t) => t.toLowerCase()).sort();
  const http: AzureHttpContext = { fetch: effects.fetch, clock: effects.clock, logger, ...(effects.signal === undefined ? {} : { signal: effects.signal }), ...effects.retry };
  const tokens = createTokenProvider({ ...http, authorityHost, tenantId: options.tenantId.trim(), clientId: options.clientId.trim(), clientSecret: options.clientSecret, scope: armScope(armEndpoint) });
  const arm = createArmClient({ ...http, armEndpoint, apiVersion: options.apiVersion ?? DEFAULT_APIM_API_VERSION, tokens });

  try {
    const previousRead = parseInventory(await effects.files.readText(INVENTORY_FILE));
    if (previousRead.warning !== undefined) logger.warn(`${previousRead.warning}.`);
    const previous = previousRead.inventory;
    const previousByKey = new Map((previous?.apis ?? []).map((a) => [a.key, a]));

    const services = await listServices(arm, options, logger);
    const specTexts = new Map<string, string>();
    const apis: InventoryApi[] = [];
    const linksByKey = new Map((options.links ?? []).map((l) => [l.key, l]));

    for (const service of services) {
      const listed = await arm.list<ArmApi>(`${service.id}/apis`, 'GET …/service/{service}/apis', { $filter: apiFilter === '' ? undefined : apiFilter });
      logger.info(`${service.name}: ${listed.length} API${listed.length === 1 ? '' : 's'}`);
      const entries = await mapLimit(listed, options.concurrency ?? 4, async (item) => {
        const api = baseEntry(service, item);
        const before = previousByKey.get(api.key);
        const type = api.type.toLowerCase();
        if (!includeTypes.includes(type)) {
          return { ...api, status: 'skipped' as const, skipReason: `type ${type} is not exported (--include-types ${includeTypes.join(',')})` };
        }
        try {
          const exported = await exportApiDefinition(arm, http, item.id, options.format ?? 'auto');
          if (exported.kind === 'unsupported') return { ...api, status: 'skipped' as const, skipReason: exported.reason };
          const operations = listOperations(exported.format, exported.document);
          if (operations.length === 0) return { ...api, status: 'skipped' as const, skipReason: 'the definition has no operations' };
          const text = canonicalJson(exported.document);
          const sha256 = await sha256Hex(text);
          specTexts.set(api.key, text);
          const spec = { format: exported.format, file: specFile(service.name, item.name), sha256, operations };
          const old = before?.status === 'removed' ? undefined : before?.spec ?? undefined;
          if (old === undefined) return { ...api, spec, status: 'new' as const };
          if (old.sha256 === sha256) return { ...api, spec, status: 'unchanged' as const, previousSha256: old.sha256 };
          return { ...api, spec, status: 'changed' as const, previousSha256: old.sha256, diff: diffOperations(old.operations, operations) };
        } catch (error) {
          if (error instanceof ApiError && error.code === 'ABORTED') throw error;
          const message = redact(error instanceof Error ? error.message : String(error));
          logger.warn(`${api.key}: export failed: ${message}`);
          // Keep the last good definition so one bad day does not lose it or count as a change.
          return { ...api, status: 'error' as const, error: message, spec: before?.spec ?? null, previousSha256: before?.spec?.sha256 ?? null };
        }
      });
      apis.push(...entries);
    }

    const seen = new Set(apis.map((a) => a.key));
    for (const old of previous?.apis ?? []) {
      if (seen.has(old.key) || old.status === 'removed') continue;
      apis.push({ ...old, status: 'removed', spec: null, previousSha256: old.spec?.sha256 ?? null, diff: old.spec === null ? null : { added: [], removed: [...old.spec.operations] }, skipReason: null, error: null });
    }
    for (const api of apis) {
      const link = linksByKey.get(api.key);
      const oldLink = previousByKey.get(api.key)?.link ?? null;
      api.link = link === undefined ? null : oldLink !== null && oldLink.scanConfig === link.scanConfig ? { ...oldLink } : { scanConfig: link.scanConfig, scanConfigId: null, lastPushedSha256: null, lastPushedAt: null };
    }

    const inventoryServices: InventoryService[] = services.map((s) => ({
      id: s.id,
      name: s.name,
      subscriptionId: segmentAfter(s.id, 'subscriptions') ?? '',
      resourceGroup: segmentAfter(s.id, 'resourceGroups') ?? '',
      location: s.location ?? null,
      sku: s.sku?.name ?? null,
      gatewayUrl: s.properties?.gatewayUrl ?? null,
    }));
    let inventory = normalizeInventory({
      schemaVersion: 1,
      generatedAt: new Date(effects.clock.now()).toISOString(),
      tool: options.tool,
      source: {
        kind: 'azure-apim',
        cloud: cloudName,
        armEndpoint,
        tenantId: options.tenantId.trim(),
        subscriptions: [...options.subscriptions].sort(),
        resourceGroup: options.resourceGroup ?? null,
        services: options.services === undefined || options.services.length === 0 ? null : [...options.services].sort(),
        apiFilter,
        includeTypes,
      },
      summary: { new: 0, changed: 0, unchanged: 0, removed: 0, skipped: 0, error: 0 },
      services: inventoryServices,
      apis,
    });

    for (const api of inventory.apis) {
      if (api.status === 'new' || api.status === 'changed' || api.status === 'removed') {
        const diff = api.diff === null ? '' : ` (+${api.diff.added.length} −${api.diff.removed.length} operations${[...api.diff.added.map((o) => ` +${o}`), ...api.diff.removed.map((o) => ` −${o}`)].slice(0, 6).join(',')})`;
        logger.info(`${api.status.toUpperCase()}: ${api.key}${diff}`);
      } else if (api.status === 'skipped') logger.info(`skipped: ${api.key}: ${api.skipReason ?? ''}`);
    }
    const unlinkedNew = inventory.apis.filter((a) => a.status === 'new' && a.link === null).map((a) => a.key);
    if (unlinkedNew.length > 0 && options.links !== undefined) {
      logger.info(`New APIs without a link (review them and add them to the links file to scan them): ${unlinkedNew.join(', ')}`);
    }

    const written: string[] = [];
    const deleted: string[] = [];
    const dryRun = options.dryRun ?? false;
    if (!dryRun) {
      for (const api of inventory.apis) {
        const text = specTexts.get(api.key);
        if (text !== undefined && api.spec !== null && (api.status !== 'unchanged' || (await effects.files.readText(api.spec.file)) !== text)) {
          await effects.files.writeText(api.spec.file, text);
          written.push(api.spec.file);
        }
        const oldFile = previousByKey.get(api.key)?.spec?.file;
        if (oldFile !== undefined && (api.status === 'removed' || api.status === 'skipped') && api.spec === null) {
          await effects.files.remove(oldFile);
          deleted.push(oldFile);
        }
      }
    }

    let pushes: PushResult[] = [];
    if (options.push !== undefined && options.links !== undefined) {
      const client = createApiClient({
        baseUrl: options.push.baseUrl,
        apiKey: options.push.apiKey,
        fetch: effects.fetch,
        userAgent: options.push.userAgent,
        clock: effects.clock,
        logger,
        ...(effects.signal === undefined ? {} : { signal: effects.signal }),
      });
      const gatewayHosts = new Map(inventory.services.map((s) => [s.name, hostOf(s.gatewayUrl)] as const).filter((e): e is [string, string] => e[1] !== undefined));
      pushes = await pushLinkedSpecs(options.links, inventory.apis, gatewayHosts, {
        client,
        logger,
        dryRun,
        force: options.push.force ?? false,
        readVariable: effects.readVariable ?? (() => undefined),
        specText: async (api) => specTexts.get(api.key) ?? (api.spec === null ? undefined : await effects.files.readText(api.spec.file)),
        secrets,
      });
      const at = new Date(effects.clock.now()).toISOString();
      for (const push of pushes) {
        (push.result === 'error' ? logger.error : push.result === 'skipped' ? logger.warn : logger.info)(redact(push.message));
        for (const line of push.diff ?? []) logger.info(`    ${redact(line)}`);
        if (push.result !== 'pushed' || push.sha256 === undefined) continue;
        const api = inventory.apis.find((a) => a.key === push.key);
        if (api?.link) api.link = { ...api.link, scanConfigId: push.scanConfigId, lastPushedSha256: push.sha256, lastPushedAt: at };
      }
    }

    // generatedAt moves only when something else did, so an idle sync leaves the file byte-identical.
    if (previous !== undefined && serializeInventory({ ...inventory, generatedAt: previous.generatedAt }) === serializeInventory(previous)) {
      inventory = { ...inventory, generatedAt: previous.generatedAt };
    }
    const inventoryText = serializeInventory(inventory);
    if (!dryRun) {
      await effects.files.writeText(INVENTORY_FILE, inventoryText);
      written.push(INVENTORY_FILE);
    }

    const s = inventory.summary;
    const counts = `${inventory.apis.length} API${inventory.apis.length === 1 ? '' : 's'} in ${inventory.services.length} service${inventory.services.length === 1 ? '' : 's'}: ${s.new} new, ${s.changed} changed, ${s.unchanged} unchanged, ${s.removed} removed, ${s.skipped} skipped, ${s.error} error`;
    const pushErrors = pushes.filter((p) => p.result === 'error').length;
    const pushed = pushes.filter((p) => p.result === 'pushed' || p.result === 'would-push').length;
    const pushText = options.push === undefined ? '' : `; ${pushed} definition${pushed === 1 ? '' : 's'} ${dryRun ? 'would be ' : ''}pushed${pushErrors > 0 ? `, ${pushErrors} push error${pushErrors === 1 ? '' : 's'}` : ''}`;
    const base = { inventory, written, deleted, unlinkedNew, pushes, errors: [] };
    if (s.error > 0 || pushErrors > 0) {
      return { ...base, exitCode: EXIT_CODES.apiError, result: 'api-error', message: redact(`Discovery finished with errors (${counts}${pushText}); see the messages above.`) };
    }
    const changed = hasChanges(inventory);
    if (changed && (options.failOnChange ?? false)) {
      return { ...base, exitCode: EXIT_CODES.gateFailed, result: 'changes-found', message: `Discovery found changes and --fail-on-change is set (${counts}${pushText}).` };
    }
    return { ...base, exitCode: EXIT_CODES.passed, result: changed ? 'changed' : 'unchanged', message: `Discovery ${dryRun ? 'dry run ' : ''}finished (${counts}${pushText}).` };
  } catch (error) {
    if (isIasError(error)) {
      const code = error instanceof ApiError && error.status === 404 ? EXIT_CODES.configError : exitCodeForError(error.code);
      return fail(code, error.message, error instanceof ConfigError ? [...error.issues] : []);
    }
    return fail(EXIT_CODES.apiError, `Discovery failed unexpectedly: ${error instanceof Error ? error.message : String(error)}.`);
  }
}

async function listServices(arm: ArmClient, options: DiscoverAzureApimOptions, logger: Logger): Promise<ArmService[]> {
  const found: ArmService[] = [];
  for (const subscription of options.subscriptions) {
    const scope = options.resourceGroup === undefined ? '' : `/resourceGroups/${encodeURIComponent(options.resourceGroup)}`;
    const listed = await arm.list<ArmService>(`/subscriptions/${encodeURIComponent(subscription)}${scope}/providers/Microsoft.ApiManagement/service`, 'GET …/providers/Microsoft.ApiManagement/service');
    found.push(...listed);
  }
  const wanted = (options.services ?? []).map((s) => s.toLowerCase());
  const chosen = wanted.length === 0 ? found : found.filter((s) => wanted.includes(s.name.toLowerCase()));
  const missing = wanted.filter((w) => !found.some((s) => s.name.toLowerCase() === w));
  if (missing.length > 0) {
    throw new ConfigError(
      `API Management service${missing.length === 1 ? '' : 's'} ${missing.map((m) => `'${m}'`).join(', ')} not found in the subscription${options.resourceGroup === undefined ? '' : ` and resource group '${options.resourceGroup}'`} (found: ${found.map((s) => s.name).join(', ') || 'none'}); check --service, --resource-group and --subscription.`,
      missing.map((m) => ({ path: '--service', message: `no service '${m}'` })),
      { code: 'NOT_FOUND' },
    );
  }
  logger.info(`Found ${chosen.length} API Management service${chosen.length === 1 ? '' : 's'}${chosen.length > 0 ? `: ${chosen.map((s) => s.name).sort().join(', ')}` : ''}`);
  return chosen.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function baseEntry(service: ArmService, item: ArmApi): InventoryApi {
  const p = item.properties ?? {};
  return {
    key: `${service.name}/${item.name}`,
    service: service.name,
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

/** `specs/<service>/<api>.json`, with characters outside `[A-Za-z0-9._-]` replaced. */
export function specFile(service: string, api: string): string {
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_');
  return `specs/${safe(service)}/${safe(api)}.json`;
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
