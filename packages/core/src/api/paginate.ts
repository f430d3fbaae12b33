import type { z } from 'zod';
import { ApiError } from '../errors';
import type { ApiClient } from './client';
import { pageSchema, type RawPage } from './schemas';

/** The largest page the API serves. */
export const MAX_PAGE_SIZE = 1000;

/** No collection is longer than this many pages, whatever the metadata says (ten million items at full size). */
export const MAX_PAGES = 10_000;

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
  /** The hard ceiling on pages read. @default {@link MAX_PAGES} */
  maxPages?: number;
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
 * a page already read, a page whose items repeat an earlier page's, and more pages than the first page's
 * `total_data` can fill (or than {@link MAX_PAGES}) are errors, never a loop: a hostile or broken server cannot keep
 * a run reading forever.
 * @throws ApiError (RESPONSE_INVALID) when an item or the envelope does not have the expected shape, or paging loops.
 */
export async function* paginate<T>(client: ApiClient, options: PaginateOptions<T>): AsyncGenerator<Page<T>> {
  const size = options.pageSize ?? MAX_PAGE_SIZE;
  let target: string = options.path;
  let query: Record<string, string | number | undefined> = { ...options.query, index: 0, size };
  let expectedIndex = 0;
  const seen = new Set<string>();
  const contents = new Set<string>();
  const ceiling = options.maxPages ?? MAX_PAGES;
  let limit = ceiling;
  let read = 0;
  const broken = (what: string, url: string, correlationId: string | undefined): ApiError =>
    new ApiError('RESPONSE_INVALID', `${options.route} ${what}; the API's paging is broken, report this with the correlation id ${correlationId ?? '(none)'}.`, {
      method: options.method,
      url,
      route: options.route,
    });
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
    read += 1;
    if (read === 1) {
      // The first page says how much there is: the pages needed to hold total_data at this page's size, plus one
      // for items added meanwhile, bound the walk.
      const totalData = metadata?.total_data ?? undefined;
      if (typeof totalData === 'number' && totalData >= 0 && items.length > 0) limit = Math.min(ceiling, Math.ceil(totalData / items.length) + 1);
    }
    if (items.length > 0) {
      const fingerprint = pageFingerprint(page.data);
      if (contents.has(fingerprint)) throw broken(`returned page ${read} with the same items as an earlier page`, client.baseUrl + options.path, response.correlationId);
      contents.add(fingerprint);
    }
    yield { items, index, totalData: metadata?.total_data ?? undefined, totalPages };

    if (items.length === 0) return;
    if (totalPages !== undefined && totalPages !== null && index + 1 >= totalPages) return;
    const next = page.links?.find((link) => link.rel === 'next')?.href ?? '';
    if (next.trim() === '') return;
    if (read >= limit) {
      throw broken(`still had a next link after ${read} pages, more than ${limit === ceiling ? `the ${ceiling} pages any collection may have` : `its total of ${String(metadata?.total_data ?? '')} items can fill`}`, client.baseUrl + options.path, response.correlationId);
    }
    let nextUrl: URL;
    try {
      nextUrl = new URL(next);
    } catch {
      throw broken('returned a next link that is not a URL', client.baseUrl + options.path, response.correlationId);
    }
    if (options.query !== undefined) {
      for (const [key, value] of Object.entries(options.query)) {
        if (value !== undefined && !nextUrl.searchParams.has(key)) nextUrl.searchParams.set(key, value);
      }
    }
    const key = nextUrl.pathname + nextUrl.search;
    if (seen.has(key) || nextUrl.searchParams.get('index') === String(index)) {
      throw broken(`returned a next link to a page already read (${key})`, key, response.correlationId);
    }
    seen.add(key);
    target = nextUrl.toString();
    query = {};
    expectedIndex = index + 1;
  }
}

/** Identifies a page by its size and its first and last items (ids where they have one): cheap, and enough to see a page served again. */
function pageFingerprint(data: readonly unknown[]): string {
  const mark = (item: unknown): string => {
    const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
    return typeof id === 'string' || typeof id === 'number' ? `#${id}` : JSON.stringify(item)?.slice(0, 500) ?? '';
  };
  return `${data.length}|${mark(data[0])}|${mark(data[data.length - 1])}`;
}
