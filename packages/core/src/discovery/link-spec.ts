import * as z from 'zod';
import type { ApiClient } from '../api/client';
import { getScanConfig, listApps, listScanConfigs, UUID_PATTERN } from '../api/resources';
import type { App, ScanConfig } from '../api/schemas';
import type { Logger } from '../effects';
import { ApiError, redactSecrets } from '../errors';
import type { InventoryApi } from './inventory';
import type { ApiLink } from './links-file';
import { canonicalJson, keepOperations } from './spec-document';

type Json = Record<string, unknown>;

/** What {@link applySpecToOptions} writes. */
export interface SpecPatch {
  /** The inventory key of the API; marks the definition entry as this tool's, for later updates and unlink. */
  key: string;
  /** The canonical JSON of the definition. */
  specText: string;
  /** Host for `host_name` (the link's override, or the gateway host). */
  hostName: string | null;
  /** Whether the link overrides the host (then `swagger_host_name` is set too). */
  hostOverride: boolean;
  restrictToSpec?: boolean;
  /** `Name: value` of the subscription key header. */
  subscriptionKeyHeader?: { name: string; value: string };
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The extension member that marks a definition this tool attached (`x-ias-discovery: {key}`). */
export const DISCOVERY_MARKER = 'x-ias-discovery';

/** The definition text as pushed: the canonical JSON with the marker naming its inventory key. */
export function markedSpecText(specText: string, key: string): string {
  const document = JSON.parse(specText) as Json;
  return canonicalJson({ ...document, [DISCOVERY_MARKER]: { key, tool: 'ias discover' } });
}

/** The inventory key a `swagger_file_list` entry was pushed for, or `undefined` for entries this tool did not add. */
export function markerKeyOf(entry: unknown): string | undefined {
  if (!isObject(entry) || typeof entry.value !== 'string' || !entry.value.includes(DISCOVERY_MARKER)) return undefined;
  try {
    const marker = (JSON.parse(entry.value) as Json)[DISCOVERY_MARKER];
    return isObject(marker) && typeof marker.key === 'string' ? marker.key : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Returns a copy of a scan configuration's options with the definition attached (ias-api.md §3.8): this API's
 * `web_service_config.swagger_file_list` entry (`value`, `host_name`, `preferred_content_type`) is added or replaced,
 * and every other entry (other linked APIs, definitions added by hand) is kept, so several APIs can share one scan
 * configuration. When asked: `crawl_config.restrict_to_swagger` and a subscription-key custom header. Every other
 * option is left as it was, in its original order.
 */
export function applySpecToOptions(options: Json, patch: SpecPatch): Json {
  const out: Json = { ...options };
  const web: Json = isObject(options.web_service_config) ? { ...options.web_service_config } : {};
  const file: Json = { value: markedSpecText(patch.specText, patch.key), preferred_content_type: 'application/json' };
  if (patch.hostName !== null) file.host_name = patch.hostName;
  const list = Array.isArray(web.swagger_file_list) ? [...(web.swagger_file_list as unknown[])] : [];
  const at = list.findIndex((entry) => markerKeyOf(entry) === patch.key);
  if (at >= 0) list[at] = file;
  else list.push(file);
  web.swagger_file_list = list;
  if (patch.hostOverride && patch.hostName !== null) web.swagger_host_name = patch.hostName;
  out.web_service_config = web;
  if (patch.restrictToSpec !== undefined) {
    const crawl: Json = isObject(options.crawl_config) ? { ...options.crawl_config } : {};
    crawl.restrict_to_swagger = patch.restrictToSpec;
    out.crawl_config = crawl;
  }
  if (patch.subscriptionKeyHeader !== undefined) {
    const headers: Json = isObject(options.http_headers_config) ? { ...options.http_headers_config } : {};
    const headerList = Array.isArray(headers.custom_headers_list) ? [...(headers.custom_headers_list as unknown[])] : [];
    const name = patch.subscriptionKeyHeader.name.toLowerCase();
    const line = { value: `${patch.subscriptionKeyHeader.name}: ${patch.subscriptionKeyHeader.value}` };
    const index = headerList.findIndex((h) => headerNameOf(h) === name);
    if (index >= 0) headerList[index] = line;
    else headerList.push(line);
    headers.custom_headers_list = headerList;
    out.http_headers_config = headers;
  }
  return out;
}

/** The lower-case name of a `custom_headers_list` entry (`{value: "Name: value"}`). */
function headerNameOf(entry: unknown): string | undefined {
  return isObject(entry) && typeof entry.value === 'string' ? entry.value.split(':')[0]?.trim().toLowerCase() : undefined;
}

/** Whether the options send a custom header of this name. */
export function hasCustomHeader(options: Json, name: string): boolean {
  const headers = isObject(options.http_headers_config) ? options.http_headers_config : {};
  const list = Array.isArray(headers.custom_headers_list) ? (headers.custom_headers_list as unknown[]) : [];
  return list.some((h) => headerNameOf(h) === name.toLowerCase());
}

/**
 * Returns a copy of the options without what this tool pushed for `key`: its definition entry, and what the push
 * added (`applied`): the subscription-key header unless another of this tool's definitions remains, and
 * `restrict_to_swagger` once no definition is left. Everything else is kept as it is.
 */
export function removeSpecFromOptions(options: Json, key: string, applied: { subscriptionKeyHeader?: string; restrictToSpec?: boolean } = {}): Json {
  const out: Json = { ...options };
  const web: Json = isObject(options.web_service_config) ? { ...options.web_service_config } : {};
  const list = (Array.isArray(web.swagger_file_list) ? (web.swagger_file_list as unknown[]) : []).filter((entry) => markerKeyOf(entry) !== key);
  web.swagger_file_list = list;
  out.web_service_config = web;
  const othersOfOurs = list.some((entry) => markerKeyOf(entry) !== undefined);
  if (applied.subscriptionKeyHeader !== undefined && !othersOfOurs && isObject(options.http_headers_config)) {
    const headers: Json = { ...options.http_headers_config };
    const name = applied.subscriptionKeyHeader.toLowerCase();
    headers.custom_headers_list = (Array.isArray(headers.custom_headers_list) ? (headers.custom_headers_list as unknown[]) : []).filter((h) => headerNameOf(h) !== name);
    out.http_headers_config = headers;
  }
  if (applied.restrictToSpec === true && list.length === 0 && isObject(options.crawl_config)) {
    const crawl: Json = { ...options.crawl_config };
    delete crawl.restrict_to_swagger;
    out.crawl_config = crawl;
  }
  return out;
}

/** A readable diff of two options documents: one line per changed leaf, long values summarized, secrets masked. */
export function diffOptions(before: Json, after: Json, secrets: readonly string[] = []): string[] {
  const lines: string[] = [];
  const show = (value: unknown): string => {
    const text = JSON.stringify(value) ?? 'undefined';
    return text.length > 80 ? `<${text.length} characters>` : text;
  };
  const walk = (path: string, a: unknown, b: unknown): void => {
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    if (isObject(a) && isObject(b)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) walk(path ? `${path}.${key}` : key, a[key], b[key]);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      a.forEach((item, i) => walk(`${path}[${i}]`, item, b[i]));
      return;
    }
    if (a === undefined) lines.push(`+ ${path}: ${show(b)}`);
    else if (b === undefined) lines.push(`- ${path}: ${show(a)}`);
    else lines.push(`~ ${path}: ${show(a)} → ${show(b)}`);
  };
  walk('', before, after);
  return lines.map((l) => redactSecrets(l, secrets));
}

/** The hosts a scan configuration's scope covers: seed URLs and INCLUDE scope constraints (wildcards kept). */
export function scopeHostPatterns(options: Json): string[] {
  const crawl = isObject(options.crawl_config) ? options.crawl_config : {};
  const urls: string[] = [];
  for (const seed of Array.isArray(crawl.seed_url_list) ? crawl.seed_url_list : []) if (isObject(seed) && typeof seed.value === 'string') urls.push(seed.value);
  for (const c of Array.isArray(crawl.scope_constraint_list) ? crawl.scope_constraint_list : []) {
    if (isObject(c) && typeof c.url === 'string' && (c.exclusion ?? 'INCLUDE') === 'INCLUDE') urls.push(c.url);
  }
  const hosts = urls.map((u) => /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(u)?.[1]?.toLowerCase()).filter((h): h is string => h !== undefined);
  return [...new Set(hosts)];
}

/** Whether `host` falls inside one of the scope patterns (`*` matches any characters). */
export function hostInScope(host: string, patterns: readonly string[]): boolean {
  const wanted = host.toLowerCase().split(':')[0] ?? '';
  return patterns.some((p) => new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(wanted));
}

/** What happened to one link on `--push`. */
export interface PushResult {
  key: string;
  scanConfig: string;
  scanConfigId: string | null;
  /** The scan configuration's name in IAS. */
  scanConfigName?: string;
  /** `refused`: the API's host is outside the scan configuration's scope (use force to push anyway). */
  result: 'pushed' | 'would-push' | 'up-to-date' | 'skipped' | 'refused' | 'error';
  message: string;
  /** Things to fix that did not stop the push (a missing subscription key). */
  warnings?: string[];
  /** The options diff (`--dry-run`). */
  diff?: string[];
  /** The SHA-256 pushed (for `lastPushedSha256`). */
  sha256?: string;
  /** What the push set besides the definition. */
  applied?: { subscriptionKeyHeader?: string; restrictToSpec?: boolean };
  /** The endpoints approved after this push (to record in the inventory). */
  approvedOperations?: string[];
  /** New endpoints held back for review (not in what was pushed). */
  pendingReview?: string[];
}

/** What {@link pushLinkedSpecs} needs. */
export interface PushContext {
  client: ApiClient;
  logger: Logger;
  dryRun: boolean;
  /** Push unchanged definitions again, and push links whose host is outside the scan configuration's scope. */
  force: boolean;
  /** Reads a variable the links file names (subscription keys); `undefined` when unset. */
  readVariable(name: string): string | undefined;
  /** The canonical definition text of an inventory API. */
  specText(api: InventoryApi): Promise<string | undefined>;
  /** Secrets to mask in messages. */
  secrets: string[];
  /** Approve new endpoints of every link (`--approve-new`). @default false */
  approveNew?: boolean;
}

const optionsSchema = z.custom<Json>(isObject, { message: 'expected an options object' });

/**
 * Attaches the definitions of linked APIs to their scan configurations. The links are grouped by scan
 * configuration; each one's live options are read (GET), every linked definition is merged into its
 * `swagger_file_list`, and the options are written back (PUT) once, only when they differ from what IAS has, so an
 * edit made in IAS is noticed and repaired. A link whose host is outside the scope is refused unless `force`.
 * With `dryRun` the diff is reported instead. Links to missing, removed, unreachable or definition-less APIs are
 * reported and left alone.
 */
export async function pushLinkedSpecs(links: readonly ApiLink[], apis: readonly InventoryApi[], gatewayHosts: ReadonlyMap<string, string>, ctx: PushContext): Promise<PushResult[]> {
  const { results, groups } = await groupLinksByConfig(links, apis, ctx);
  for (const group of groups.values()) results.push(...(await pushGroup(group, gatewayHosts, ctx)));
  const order = new Map(links.map((l, i) => [l.key, i]));
  return results.sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
}

interface LinkGroup {
  config: { id: string; name: string };
  items: { link: ApiLink; api: InventoryApi }[];
}

function errorText(error: unknown, secrets: readonly string[]): string {
  return redactSecrets(error instanceof Error ? error.message : String(error), secrets);
}

/** Why a link has nothing to push, or undefined when it has. */
function nothingToPush(link: ApiLink, api: InventoryApi | undefined): string | undefined {
  if (api === undefined || api.status === 'removed' || api.spec === null) {
    const why = api === undefined ? 'is not in the inventory' : api.status === 'removed' ? 'was removed from API Management' : `has no definition (${api.skipReason ?? api.error ?? api.status})`;
    return `${link.key} ${why}; nothing pushed to '${link.scanConfig}'`;
  }
  if (api.status === 'unreachable') return `${link.key} could not be read this time (${api.error ?? 'unreachable'}); '${link.scanConfig}' keeps the definition it has`;
  if (api.skipReason !== null) return `${link.key} can no longer be exported (${api.skipReason}); '${link.scanConfig}' keeps the last definition: fix the API in API Management, or unlink it (ias discover unlink ${link.key})`;
  return undefined;
}

/** The links with something to push, grouped by the scan configuration they resolve to; the others as results. */
async function groupLinksByConfig(links: readonly ApiLink[], apis: readonly InventoryApi[], ctx: PushContext): Promise<{ results: PushResult[]; groups: Map<string, LinkGroup> }> {
  const results: PushResult[] = [];
  const resolver = createScanConfigResolver(ctx.client);
  const groups = new Map<string, LinkGroup>();
  for (const link of links) {
    const base = { key: link.key, scanConfig: link.scanConfig, scanConfigId: null as string | null };
    const api = apis.find((a) => a.key === link.key);
    const skipped = nothingToPush(link, api);
    if (skipped !== undefined || api === undefined) {
      results.push({ ...base, result: 'skipped', message: skipped ?? '' });
      continue;
    }
    try {
      const config = await resolver(link);
      const group = groups.get(config.id) ?? { config, items: [] };
      group.items.push({ link, api });
      groups.set(config.id, group);
    } catch (error) {
      results.push({ ...base, result: 'error', message: `${link.key}: could not update '${link.scanConfig}': ${errorText(error, ctx.secrets)}` });
    }
  }
  return { results, groups };
}

/** One scan configuration: read its live options, merge every linked definition, write them back once if they changed. */
async function pushGroup({ config, items }: LinkGroup, gatewayHosts: ReadonlyMap<string, string>, ctx: PushContext): Promise<PushResult[]> {
  const path = `/scan-configs/${encodeURIComponent(config.id)}/options`;
  const mine: PushResult[] = [];
  try {
    const live = (await ctx.client.request({ method: 'GET', path, route: 'GET /scan-configs/{id}/options', schema: optionsSchema })).data;
    let current = live;
    const scope = scopeHostPatterns(live);
    for (const { link, api } of items) {
      if (api.spec === null) continue;
      const base = { key: link.key, scanConfig: link.scanConfig, scanConfigId: config.id, scanConfigName: config.name };
      try {
        const step = await pushOne(link, api, { current, scope, config, hostName: link.hostName ?? gatewayHosts.get(api.service) ?? null }, ctx);
        current = step.current;
        mine.push({ ...base, ...step.result });
      } catch (error) {
        mine.push({ ...base, result: 'error', message: `${link.key}: could not update '${config.name}': ${errorText(error, ctx.secrets)}` });
      }
    }
    if (!ctx.dryRun && mine.some((r) => r.result === 'pushed')) {
      await ctx.client.request({ method: 'PUT', path, route: 'PUT /scan-configs/{id}/options', json: current });
    }
    return mine;
  } catch (error) {
    const message = errorText(error, ctx.secrets);
    return items.map(({ link }) => {
      const earlier = mine.find((r) => r.key === link.key);
      if (earlier !== undefined && earlier.result !== 'pushed') return earlier;
      return { key: link.key, scanConfig: link.scanConfig, scanConfigId: config.id, scanConfigName: config.name, result: 'error', message: `${link.key}: could not update '${config.name}': ${message}` };
    });
  }
}

type PushOutcome = Omit<PushResult, 'key' | 'scanConfig' | 'scanConfigId' | 'scanConfigName'>;

interface GroupState {
  /** The options as they stand after the links before this one. */
  current: Json;
  scope: string[];
  config: { id: string; name: string };
  hostName: string | null;
}

/**
 * Review before push: endpoints nobody approved yet stay out of the scan configuration, unless the link says auto or
 * the run approves new ones. The first push of a link approves what the API has (linking it was the review).
 * Removed and changed endpoints are pushed at once.
 */
function reviewedSpec(link: ApiLink, api: InventoryApi, spec: NonNullable<InventoryApi['spec']>, storedText: string, configName: string, ctx: PushContext): { specText: string; review: { approvedOperations: string[]; pendingReview: string[] }; warnings: string[] } {
  const approved = api.link?.approvedOperations;
  const autoApprove = approved === undefined || link.review === 'auto' || (ctx.approveNew ?? false);
  const added = autoApprove ? [] : spec.operations.filter((o) => !approved.includes(o));
  const specText = added.length === 0 ? storedText : canonicalJson(keepOperations(spec.format, JSON.parse(storedText) as Json, new Set(spec.operations.filter((o) => approved?.includes(o)))));
  const warnings: string[] = [];
  if (added.length > 0) warnings.push(`${link.key}: ${added.length} new endpoint${added.length === 1 ? '' : 's'} wait${added.length === 1 ? 's' : ''} for review before '${configName}' scans ${added.length === 1 ? 'it' : 'them'} (${added.slice(0, 5).join(', ')}${added.length > 5 ? ', …' : ''}): run ias discover approve ${link.key}, or set review: auto on the link.`);
  return { specText, review: { approvedOperations: autoApprove ? [...spec.operations] : [...(approved ?? [])], pendingReview: added }, warnings };
}

/** The subscription key header the link asks for (its value from the named variable), or a warning when one is needed. */
function subscriptionKeyFor(link: ApiLink, api: InventoryApi, state: GroupState, ctx: PushContext, warnings: string[]): SpecPatch['subscriptionKeyHeader'] {
  const headerName = link.subscriptionKeyHeader ?? api.subscriptionKeyHeader ?? 'Ocp-Apim-Subscription-Key';
  if (link.subscriptionKeyEnv !== undefined) {
    const value = ctx.readVariable(link.subscriptionKeyEnv);
    if (value === undefined || value === '') throw new Error(`the variable ${link.subscriptionKeyEnv} named by subscriptionKeyEnv is not set`);
    ctx.secrets.push(value);
    return { name: headerName, value };
  }
  if (api.subscriptionRequired && !hasCustomHeader(state.current, headerName)) {
    warnings.push(`${link.key} requires an APIM subscription key, and '${state.config.name}' sends no ${headerName} header: the scan will get 401s; set subscriptionKeyEnv for this link in the links file (or add the header in IAS).`);
  }
  return undefined;
}

/** One link's definition merged into the options so far: the result, and the options after it. */
async function pushOne(link: ApiLink, api: InventoryApi, state: GroupState, ctx: PushContext): Promise<{ result: PushOutcome; current: Json }> {
  const { config, hostName, current } = state;
  const spec = api.spec;
  if (spec === null) throw new Error(`${link.key} has no definition`);
  const storedText = await ctx.specText(api);
  if (storedText === undefined) throw new Error(`the stored definition ${spec.file} is missing; run discovery without --dry-run first`);
  const { specText, review, warnings } = reviewedSpec(link, api, spec, storedText, config.name, ctx);
  const subscriptionKeyHeader = subscriptionKeyFor(link, api, state, ctx, warnings);
  if (hostName !== null && !hostInScope(hostName, state.scope) && !ctx.force) {
    return { current, result: { result: 'refused', message: `${link.key}: not pushed: the definition targets ${hostName}, outside the scope of scan configuration '${config.name}' (${state.scope.join(', ') || 'no seed URLs or scope constraints'}); add the host to its seed URLs or scope in IAS, set hostName in the links file, or push with --force.` } };
  }
  const after = applySpecToOptions(current, {
    key: link.key,
    specText,
    hostName,
    hostOverride: link.hostName !== undefined,
    ...(link.restrictToSpec === undefined ? {} : { restrictToSpec: link.restrictToSpec }),
    ...(subscriptionKeyHeader === undefined ? {} : { subscriptionKeyHeader }),
  });
  const applied = { ...(subscriptionKeyHeader === undefined ? {} : { subscriptionKeyHeader: subscriptionKeyHeader.name }), ...(link.restrictToSpec === undefined ? {} : { restrictToSpec: link.restrictToSpec }) };
  const extra = { ...(warnings.length > 0 ? { warnings } : {}), applied, ...review };
  // Decided on what IAS has now, not on our record of the last push.
  if (JSON.stringify(after) === JSON.stringify(current) && !ctx.force) {
    return { current, result: { ...extra, result: 'up-to-date', message: `${link.key}: '${config.name}' already has this definition`, sha256: spec.sha256 } };
  }
  const diff = diffOptions(current, after, ctx.secrets);
  if (ctx.dryRun) return { current: after, result: { ...extra, result: 'would-push', message: `${link.key}: would update '${config.name}' (${diff.length} option${diff.length === 1 ? '' : 's'} changed)`, diff, sha256: spec.sha256 } };
  return { current: after, result: { ...extra, result: 'pushed', message: `${link.key}: attached the definition (${spec.operations.length} operations) to '${config.name}'`, sha256: spec.sha256 } };
}

/** What {@link unlinkApi} did. */
export interface UnlinkResult {
  key: string;
  scanConfigId: string;
  scanConfigName: string;
  result: 'unlinked' | 'would-unlink' | 'not-attached';
  message: string;
  diff: string[];
}

/**
 * Removes exactly what this tool pushed for one API from its scan configuration (see {@link removeSpecFromOptions}):
 * reads the live options, takes away the marked definition (and the header or restriction the push added), and
 * writes them back; other definitions and options stay as they are.
 * @throws Error or ApiError when the scan configuration cannot be found, read or written.
 */
export async function unlinkApi(client: ApiClient, link: ApiLink, applied: { subscriptionKeyHeader?: string; restrictToSpec?: boolean }, options: { dryRun: boolean; secrets: readonly string[] }): Promise<UnlinkResult> {
  const config = await createScanConfigResolver(client)(link);
  const path = `/scan-configs/${encodeURIComponent(config.id)}/options`;
  const before = (await client.request({ method: 'GET', path, route: 'GET /scan-configs/{id}/options', schema: optionsSchema })).data;
  const list = isObject(before.web_service_config) && Array.isArray(before.web_service_config.swagger_file_list) ? (before.web_service_config.swagger_file_list as unknown[]) : [];
  const base = { key: link.key, scanConfigId: config.id, scanConfigName: config.name };
  if (!list.some((entry) => markerKeyOf(entry) === link.key)) {
    return { ...base, result: 'not-attached', message: `${link.key}: '${config.name}' has no definition this tool attached for it; nothing to remove`, diff: [] };
  }
  const after = removeSpecFromOptions(before, link.key, applied);
  const diff = diffOptions(before, after, options.secrets);
  if (options.dryRun) return { ...base, result: 'would-unlink', message: `${link.key}: would remove its definition from '${config.name}' (${diff.length} option${diff.length === 1 ? '' : 's'} changed)`, diff };
  await client.request({ method: 'PUT', path, route: 'PUT /scan-configs/{id}/options', json: after });
  return { ...base, result: 'unlinked', message: `${link.key}: removed its definition from '${config.name}'`, diff };
}

/** Resolves a link's scan configuration by UUID or exact name (within the named app when given); lists once. */
function createScanConfigResolver(client: ApiClient): (link: ApiLink) => Promise<{ id: string; name: string }> {
  let configs: Promise<ScanConfig[]> | undefined;
  let apps: Promise<App[]> | undefined;
  const all = async <T>(pages: AsyncGenerator<{ items: T[] }>): Promise<T[]> => {
    const items: T[] = [];
    for await (const page of pages) items.push(...page.items);
    return items;
  };
  return async (link) => {
    // By id: read it, so messages show its name and a wrong id fails here, before anything is written.
    if (UUID_PATTERN.test(link.scanConfig)) {
      const config = await getScanConfig(client, link.scanConfig);
      return { id: config.id, name: config.name };
    }
    configs ??= all(listScanConfigs(client));
    let candidates = (await configs).filter((c) => c.name === link.scanConfig);
    if (link.app !== undefined) {
      apps ??= all(listApps(client));
      const app = UUID_PATTERN.test(link.app) ? { id: link.app } : (await apps).find((a) => a.name === link.app);
      if (app === undefined) throw new ApiError('HTTP_ERROR', `no application is named '${link.app}'; check app in the links file`, { method: 'GET', url: '/apps', route: 'GET /apps' });
      candidates = candidates.filter((c) => c.app?.id === app.id);
    }
    const [first, second] = candidates;
    if (first === undefined) throw new Error(`no scan configuration is named '${link.scanConfig}'${link.app === undefined ? '' : ` in '${link.app}'`}; check scanConfig in the links file`);
    if (second !== undefined) throw new Error(`${candidates.length} scan configurations are named '${link.scanConfig}'; add app to the link or use the scan configuration's id`);
    return { id: first.id, name: first.name };
  };
}
