import * as z from 'zod';
import type { ApiClient } from '../api/client';
import { listApps, listScanConfigs, UUID_PATTERN } from '../api/resources';
import type { App, ScanConfig } from '../api/schemas';
import type { Logger } from '../effects';
import { ApiError, redactSecrets } from '../errors';
import type { InventoryApi } from './inventory';
import type { ApiLink } from './links-file';

type Json = Record<string, unknown>;

/** What {@link applySpecToOptions} writes. */
export interface SpecPatch {
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

/**
 * Returns a copy of a scan configuration's options with the definition attached (ias-api.md §3.8): one
 * `web_service_config.swagger_file_list` entry (`value`, `host_name`, `preferred_content_type`), and when asked
 * `crawl_config.restrict_to_swagger` and a subscription-key custom header. Every other option is left as it was,
 * in its original order.
 */
export function applySpecToOptions(options: Json, patch: SpecPatch): Json {
  const out: Json = { ...options };
  const web: Json = isObject(options.web_service_config) ? { ...options.web_service_config } : {};
  const file: Json = { value: patch.specText, preferred_content_type: 'application/json' };
  if (patch.hostName !== null) file.host_name = patch.hostName;
  web.swagger_file_list = [file];
  if (patch.hostOverride && patch.hostName !== null) web.swagger_host_name = patch.hostName;
  out.web_service_config = web;
  if (patch.restrictToSpec !== undefined) {
    const crawl: Json = isObject(options.crawl_config) ? { ...options.crawl_config } : {};
    crawl.restrict_to_swagger = patch.restrictToSpec;
    out.crawl_config = crawl;
  }
  if (patch.subscriptionKeyHeader !== undefined) {
    const headers: Json = isObject(options.http_headers_config) ? { ...options.http_headers_config } : {};
    const list = Array.isArray(headers.custom_headers_list) ? [...(headers.custom_headers_list as unknown[])] : [];
    const name = patch.subscriptionKeyHeader.name.toLowerCase();
    const line = { value: `${patch.subscriptionKeyHeader.name}: ${patch.subscriptionKeyHeader.value}` };
    const at = list.findIndex((h) => isObject(h) && typeof h.value === 'string' && h.value.split(':')[0]?.trim().toLowerCase() === name);
    if (at >= 0) list[at] = line;
    else list.push(line);
    headers.custom_headers_list = list;
    out.http_headers_config = headers;
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
  result: 'pushed' | 'would-push' | 'up-to-date' | 'skipped' | 'error';
  message: string;
  /** The options diff (`--dry-run`). */
  diff?: string[];
  /** The SHA-256 pushed (for `lastPushedSha256`). */
  sha256?: string;
}

/** What {@link pushLinkedSpecs} needs. */
export interface PushContext {
  client: ApiClient;
  logger: Logger;
  dryRun: boolean;
  force: boolean;
  /** Reads a variable the links file names (subscription keys); `undefined` when unset. */
  readVariable(name: string): string | undefined;
  /** The canonical definition text of an inventory API. */
  specText(api: InventoryApi): Promise<string | undefined>;
  /** Secrets to mask in messages. */
  secrets: string[];
}

const optionsSchema = z.custom<Json>(isObject, { message: 'expected an options object' });

/**
 * For each link whose definition changed since its last push (or all with `force`): GET the scan
 * configuration's options, attach the definition, PUT them back (or, with `dryRun`, report the diff). Links to
 * missing, removed or skipped APIs are reported and left alone.
 */
export async function pushLinkedSpecs(links: readonly ApiLink[], apis: readonly InventoryApi[], gatewayHosts: ReadonlyMap<string, string>, ctx: PushContext): Promise<PushResult[]> {
  const results: PushResult[] = [];
  const resolver = createScanConfigResolver(ctx.client);
  for (const link of links) {
    const base = { key: link.key, scanConfig: link.scanConfig, scanConfigId: null as string | null };
    const api = apis.find((a) => a.key === link.key);
    if (api === undefined || api.status === 'removed' || api.spec === null) {
      const why = api === undefined ? 'is not in the inventory' : api.status === 'removed' ? 'was removed from API Management' : `has no definition (${api.skipReason ?? api.error ?? api.status})`;
      results.push({ ...base, result: 'skipped', message: `${link.key} ${why}; nothing pushed to '${link.scanConfig}'` });
      continue;
    }
    const sha = api.spec.sha256;
    if (!ctx.force && api.link?.lastPushedSha256 === sha) {
      results.push({ ...base, scanConfigId: api.link.scanConfigId, result: 'up-to-date', message: `${link.key}: '${link.scanConfig}' already has this definition` });
      continue;
    }
    try {
      const config = await resolver(link);
      base.scanConfigId = config.id;
      const specText = await ctx.specText(api);
      if (specText === undefined) throw new Error(`the stored definition ${api.spec.file} is missing; run discovery without --dry-run first`);
      let subscriptionKeyHeader: SpecPatch['subscriptionKeyHeader'];
      if (link.subscriptionKeyEnv !== undefined) {
        const value = ctx.readVariable(link.subscriptionKeyEnv);
        if (value === undefined || value === '') throw new Error(`the variable ${link.subscriptionKeyEnv} named by subscriptionKeyEnv is not set`);
        ctx.secrets.push(value);
        subscriptionKeyHeader = { name: link.subscriptionKeyHeader ?? api.subscriptionKeyHeader ?? 'Ocp-Apim-Subscription-Key', value };
      }
      const hostName = link.hostName ?? gatewayHosts.get(api.service) ?? null;
      const path = `/scan-configs/${encodeURIComponent(config.id)}/options`;
      const before = (await ctx.client.request({ method: 'GET', path, route: 'GET /scan-configs/{id}/options', schema: optionsSchema })).data;
      const after = applySpecToOptions(before, {
        specText,
        hostName,
        hostOverride: link.hostName !== undefined,
        ...(link.restrictToSpec === undefined ? {} : { restrictToSpec: link.restrictToSpec }),
        ...(subscriptionKeyHeader === undefined ? {} : { subscriptionKeyHeader }),
      });
      const scope = scopeHostPatterns(before);
      if (hostName !== null && !hostInScope(hostName, scope)) {
        ctx.logger.warn(`${link.key}: the definition targets ${hostName}, outside the scope of scan configuration '${config.name}' (${scope.join(', ') || 'no seed URLs or scope constraints'}); add it to the seed URLs or scope, or set hostName in the links file.`);
      }
      if (ctx.dryRun) {
        const diff = diffOptions(before, after, ctx.secrets);
        results.push({ ...base, result: 'would-push', message: `${link.key}: would update '${config.name}' (${diff.length} option${diff.length === 1 ? '' : 's'} changed)`, diff, sha256: sha });
        continue;
      }
      await ctx.client.request({ method: 'PUT', path, route: 'PUT /scan-configs/{id}/options', json: after });
      results.push({ ...base, result: 'pushed', message: `${link.key}: attached the definition (${api.spec.operations.length} operations) to '${config.name}'`, sha256: sha });
    } catch (error) {
      const message = redactSecrets(error instanceof Error ? error.message : String(error), ctx.secrets);
      results.push({ ...base, result: 'error', message: `${link.key}: could not update '${link.scanConfig}': ${message}` });
    }
  }
  return results;
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
    if (UUID_PATTERN.test(link.scanConfig)) return { id: link.scanConfig, name: link.scanConfig };
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
