import type { z } from 'zod';
import { ApiError } from '../errors';
import type { ApiClient } from './client';
import { pageSchema, type RawPage } from './schemas';

/** The largest page the API serves. */
export const MAX_PAGE_SIZE = 1000;

/** Options of {@link paginate}. */
export interface PaginateOptions<T> {
  method: 'GET' | 'POST';
  /** Path of the first page, e.g. `/search` or `/apps`. */
  path: string;
  /** Route template for messages, e.g. `POST /search`. */
  route: string;
  /** The body, POSTed unchanged to every page (as the API's own `next` links expect). */
  json?: unknown;
  /** Validates each item. */
  item: z.ZodType<T>;
  /** @default 1000 */
  pageSize?: number;
  /** Extra query parameters (`sort`), kept on every page. */
  query?: Record<string, string | undefined>;
}

/** One page: its validated items and what the metadata says. */
export interface Page<T> {
  items: T[];
  index: number;
  totalData: number | undefined;
  totalPages: number | undefined;
}

/**
 * Walks a paginated collection page by page, as an async iterator. It follows the API's absolute `next` link
 * (re-rooted on the client's base URL; `sort` re-added, since links do not echo it) and stops at the first of:
 * no `next` link or an empty href, `index + 1 >= total_pages`, an empty page. A `next` link that points back to
 * a page already read is an error, never a loop.
 * @throws ApiError (RESPONSE_INVALID) when an item or the envelope does not have the expected shape.
 */
export async function* paginate<T>(client: ApiClient, options: PaginateOptions<T>): AsyncGenerator<Page<T>> {
  const size = options.pageSize ?? MAX_PAGE_SIZE;
  let target: string = options.path;
  let query: Record<string, string | number | undefined> = { ...options.query, index: 0, size };
  let expectedIndex = 0;
  const seen = new Set<string>();
  for (;;) {
    const response = await client.request<RawPage>({
      method: options.method,
      path: target,
      route: options.route,
      query,
      ...(options.json === undefined ? {} : { json: options.json }),
      schema: pageSchema,
    });
    const page = response.data;
    const items: T[] = [];
    for (let i = 0; i < page.data.length; i += 1) {
      const parsed = options.item.safeParse(page.data[i]);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = ['data', i, ...(issue?.path ?? [])].join('.');
        throw new ApiError(
          'RESPONSE_INVALID',
          `${options.route} returned an unexpected item: field '${field}' ${issue?.message.toLowerCase() ?? 'is invalid'}; the API may have changed, report this with the correlation id ${response.correlationId ?? '(none)'}.`,
          { method: options.method, url: client.baseUrl + options.path, route: options.route, status: response.status, ...(response.correlationId === undefined ? {} : { correlationId: response.correlationId }) },
        );
      }
      items.push(parsed.data);
    }
    const metadata = page.metadata ?? undefined;
    const index = metadata?.index ?? expectedIndex;
    const totalPages = metadata?.total_pages ?? undefined;
    yield { items, index, totalData: metadata?.total_data ?? undefined, totalPages };

    if (items.length === 0) return;
    if (totalPages !== undefined && totalPages !== null && index + 1 >= totalPages) return;
    const next = page.links?.find((link) => link.rel === 'next')?.href ?? '';
    if (next.trim() === '') return;
    const nextUrl = new URL(next);
    if (options.query !== undefined) {
      for (const [key, value] of Object.entries(options.query)) {
        if (value !== undefined && !nextUrl.searchParams.has(key)) nextUrl.searchParams.set(key, value);
      }
    }
    const key = nextUrl.pathname + nextUrl.search;
    if (seen.has(key) || nextUrl.searchParams.get('index') === String(index)) {
      throw new ApiError('RESPONSE_INVALID', `${options.route} returned a next link to a page already read (${key}); the API's paging is broken, report this with the correlation id ${response.correlationId ?? '(none)'}.`, {
        method: options.method,
        url: key,
        route: options.route,
      });
    }
    seen.add(key);
    target = nextUrl.toString();
    query = {};
    expectedIndex = index + 1;
  }
}
