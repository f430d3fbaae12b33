import * as z from 'zod';
import { ApiError } from '../errors';
import type { ApiClient } from './client';
import { paginate, paginateLazily, type LazyPage, type Page, type PaginateOptions } from './paginate';
import {
  appSchema,
  attackDocumentationSchema,
  executionDetailsSchema,
  moduleSchema,
  pageSchema,
  scanConfigSchema,
  scanSchema,
  vulnerabilitySchema,
  type App,
  type AttackDocumentation,
  type ExecutionDetails,
  type Module,
  type Scan,
  type ScanConfig,
  type Vulnerability,
} from './schemas';

/** The search types the product uses. */
export type SearchType = 'APP' | 'SCAN_CONFIG' | 'SCAN' | 'VULNERABILITY';

const id = (value: string): string => encodeURIComponent(value);

/** Quotes a value for the search language (`'` doubled); callers avoid names with quotes where they can. */
export function quoteValue(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `GET /apps/{id}`. */
export async function getApp(client: ApiClient, appId: string): Promise<App> {
  return (await client.request({ method: 'GET', path: `/apps/${id(appId)}`, route: 'GET /apps/{id}', schema: appSchema })).data;
}

/** Every application, page by page (`GET /apps`). */
export function listApps(client: ApiClient): AsyncGenerator<Page<App>> {
  return paginate(client, { method: 'GET', path: '/apps', route: 'GET /apps', item: appSchema });
}

/** `GET /scan-configs/{id}`. */
export async function getScanConfig(client: ApiClient, configId: string): Promise<ScanConfig> {
  return (await client.request({ method: 'GET', path: `/scan-configs/${id(configId)}`, route: 'GET /scan-configs/{id}', schema: scanConfigSchema })).data;
}

/** Every scan configuration, page by page (`GET /scan-configs`). */
export function listScanConfigs(client: ApiClient): AsyncGenerator<Page<ScanConfig>> {
  return paginate(client, { method: 'GET', path: '/scan-configs', route: 'GET /scan-configs', item: scanConfigSchema });
}

const searchItem = { APP: appSchema, SCAN_CONFIG: scanConfigSchema, SCAN: scanSchema, VULNERABILITY: vulnerabilitySchema } as const;
type SearchItem = { APP: App; SCAN_CONFIG: ScanConfig; SCAN: Scan; VULNERABILITY: Vulnerability };

/** `POST /search`, page by page. */
export function search<K extends SearchType>(
  client: ApiClient,
  type: K,
  query: string,
  options: { pageSize?: number; sort?: string } = {},
): AsyncGenerator<Page<SearchItem[K]>> {
  return paginate(client, searchOptions(type, query, options));
}

/** `POST /search`, page by page, each page's items parsed and validated one at a time as they are iterated. */
export function searchLazily<K extends SearchType>(
  client: ApiClient,
  type: K,
  query: string,
  options: { pageSize?: number; sort?: string } = {},
): AsyncGenerator<LazyPage<SearchItem[K]>> {
  return paginateLazily(client, searchOptions(type, query, options));
}

function searchOptions<K extends SearchType>(type: K, query: string, options: { pageSize?: number; sort?: string }): PaginateOptions<SearchItem[K]> {
  return {
    method: 'POST',
    path: '/search',
    route: 'POST /search',
    json: { type, query },
    item: searchItem[type] as unknown as z.ZodType<SearchItem[K]>,
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
    ...(options.sort === undefined ? {} : { query: { sort: options.sort } }),
  };
}

/** One page of a search, for counting: the items and `total_data`. */
export async function searchFirstPage<K extends SearchType>(
  client: ApiClient,
  type: K,
  query: string,
  pageSize: number,
): Promise<Page<SearchItem[K]>> {
  const response = await client.request({ method: 'POST', path: '/search', route: 'POST /search', query: { index: 0, size: pageSize }, json: { type, query }, schema: pageSchema });
  const items = z.array(searchItem[type]).safeParse(response.data.data);
  if (!items.success) {
    throw new ApiError('RESPONSE_INVALID', `POST /search returned an unexpected item: field 'data.${items.error.issues[0]?.path.join('.') ?? ''}' ${items.error.issues[0]?.message.toLowerCase() ?? 'is invalid'}; the API may have changed.`, { method: 'POST', url: `${client.baseUrl}/search`, route: 'POST /search' });
  }
  const metadata = response.data.metadata ?? undefined;
  return {
    items: items.data as SearchItem[K][],
    index: metadata?.index ?? 0,
    totalData: metadata?.total_data ?? undefined,
    totalPages: metadata?.total_pages ?? undefined,
  };
}

/** Body caps per response type: generous for real answers (a scan or a document is a few KiB), bounded for hostile ones. */
export const BODY_LIMITS = { scan: 4 * 1024 * 1024, events: 16 * 1024 * 1024, documentation: 4 * 1024 * 1024, modules: 16 * 1024 * 1024 } as const;

/** Per-call limits: a deadline on the client's clock (see {@link RequestOptions.deadline}). */
export interface CallLimits {
  deadline?: number | undefined;
}

/** `GET /scans/{id}`. */
export async function getScan(client: ApiClient, scanId: string, limits: CallLimits = {}): Promise<Scan> {
  return (
    await client.request({
      method: 'GET',
      path: `/scans/${id(scanId)}`,
      route: 'GET /scans/{id}',
      schema: scanSchema,
      maxBytes: BODY_LIMITS.scan,
      ...(limits.deadline === undefined ? {} : { deadline: limits.deadline }),
    })
  ).data;
}

/** The scan actions the API takes. */
export type ScanAction = 'CANCEL' | 'STOP' | 'PAUSE' | 'RESUME';

/** `PUT /scans/{id}/action`. */
export async function submitScanAction(client: ApiClient, scanId: string, action: ScanAction, limits: CallLimits = {}): Promise<void> {
  await client.request({ method: 'PUT', path: `/scans/${id(scanId)}/action`, route: 'PUT /scans/{id}/action', json: { action }, ...(limits.deadline === undefined ? {} : { deadline: limits.deadline }) });
}

/** `GET /scans/{id}/execution-details`. */
export async function getExecutionDetails(client: ApiClient, scanId: string, limits: CallLimits = {}): Promise<ExecutionDetails> {
  return (
    await client.request({
      method: 'GET',
      path: `/scans/${id(scanId)}/execution-details`,
      route: 'GET /scans/{id}/execution-details',
      schema: executionDetailsSchema,
      maxBytes: BODY_LIMITS.scan,
      ...(limits.deadline === undefined ? {} : { deadline: limits.deadline }),
    })
  ).data;
}

const eventSchema = z.looseObject({ time: z.string().nullish(), event: z.string().nullish() });

/** `GET /scans/{id}/engine-events` or `/platform-events`: a bare array of `{time, event}`. */
export async function getScanEvents(client: ApiClient, scanId: string, kind: 'engine' | 'platform'): Promise<{ time?: string | null | undefined; event?: string | null | undefined }[]> {
  return (await client.request({ method: 'GET', path: `/scans/${id(scanId)}/${kind}-events`, route: `GET /scans/{id}/${kind}-events`, schema: z.array(eventSchema), maxBytes: BODY_LIMITS.events })).data;
}

/** `GET /modules`: every module in one call (a bare array; a page envelope is tolerated). */
export async function listModules(client: ApiClient): Promise<Module[]> {
  const schema = z.union([z.array(moduleSchema), pageSchema.transform((page) => z.array(moduleSchema).parse(page.data))]);
  return (await client.request({ method: 'GET', path: '/modules', route: 'GET /modules', schema, maxBytes: BODY_LIMITS.modules })).data;
}

/** `GET /modules/{m}/attacks/{a}/documentation`. */
export async function getAttackDocumentation(client: ApiClient, moduleId: string, attackId: string): Promise<AttackDocumentation> {
  return (
    await client.request({
      method: 'GET',
      path: `/modules/${id(moduleId)}/attacks/${id(attackId)}/documentation`,
      route: 'GET /modules/{id}/attacks/{id}/documentation',
      schema: attackDocumentationSchema,
      maxBytes: BODY_LIMITS.documentation,
    })
  ).data;
}

/** Scan ids are UUIDs; the product checks every id it takes from a header or a user. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
