import type { z } from 'zod';
import { ApiError } from '../errors';
import type { ApiClient } from './client';
import { splitPage } from './page-text';
import { pageSchema, type RawPage } from './schemas';
import { shapeCheckOf } from './shape-check';

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

/** One page whose items are parsed and validated one at a time, as they are iterated (see {@link paginateLazily}). */
export interface LazyPage<T> {
  /** How many items the page holds. */
  count: number;
  index: number;
  totalData: number | undefined;
  totalPages: number | undefined;
  /** The items, each parsed and validated when reached. @throws ApiError RESPONSE_INVALID at the first invalid item. */
  items(): Generator<T>;
  /** Item `index` (0 to `count - 1`), parsed and validated now; a loop over indexes allocates less than the generator. @throws as {@link items}. */
  itemAt(index: number): T;
  /**
   * The JSON text item `index` is parsed from, when that text is the item as {@link itemAt} gives it: `undefined`
   * when the page could not be split, or when validation rebuilt the item (zod dropped or changed a field), once
   * {@link itemAt} has been asked for it.
   */
  textAt(index: number): string | undefined;
}

/**
 * Walks a paginated collection page by page, as an async iterator, each page's items validated before it is
 * yielded. Paging rules as {@link paginateLazily}.
 * @throws ApiError (RESPONSE_INVALID) when an item or the envelope does not have the expected shape, or paging loops.
 */
export async function* paginate<T>(client: ApiClient, options: PaginateOptions<T>): AsyncGenerator<Page<T>> {
  for await (const page of paginateLazily(client, options)) {
    yield { items: [...page.items()], index: page.index, totalData: page.totalData, totalPages: page.totalPages };
  }
}

/**
 * Walks a paginated collection page by page, as an async iterator. It follows the API's absolute `next` link
 * (re-rooted on the client's base URL; `sort` re-added, since links do not echo it) and stops at the first of:
 * no `next` link or an empty href, `index + 1 >= total_pages`, an empty page. A `next` link that points back to
 * a page already read, a page whose items repeat an earlier page's, and more pages than the first page's
 * `total_data` can fill (or than {@link MAX_PAGES}) are errors, never a loop: a hostile or broken server cannot keep
 * a run reading forever.
 *
 * A page's body is held as text, its items split out unparsed ({@link splitPage}) and parsed one by one as the
 * consumer iterates: memory holds the page's text and the item in hand, not the whole page as objects.
 * @throws ApiError (RESPONSE_INVALID) when the envelope does not have the expected shape, or paging loops; an
 * invalid item throws from {@link LazyPage.items} when reached.
 */
export async function* paginateLazily<T>(client: ApiClient, options: PaginateOptions<T>): AsyncGenerator<LazyPage<T>> {
  const walk = new PageWalk(client, options);
  let target: string = options.path;
  let query: Record<string, string | number | undefined> = { ...options.query, index: 0, size: options.pageSize ?? MAX_PAGE_SIZE };
  for (;;) {
    const fetched = await fetchPage(client, options, target, query);
    const page = walk.accept(fetched);
    yield page;
    const next = walk.next(fetched, page);
    if (next === undefined) return;
    target = next;
    query = {};
  }
}

interface FetchedPage {
  /** The envelope, `data` emptied when the items were split out. */
  envelope: RawPage;
  /**
   * Each item as JSON text, or its parsed value when the body could not be split, or (`valid`) the item as validation
   * rebuilt it, in place of a text that is no longer the item's.
   */
  raw: (string | { parsed: unknown; valid?: true })[];
  status: number;
  correlationId: string | undefined;
}

async function fetchPage<T>(client: ApiClient, options: PaginateOptions<T>, path: string, query: Record<string, string | number | undefined>): Promise<FetchedPage> {
  let split: string[] | undefined;
  const response = await client.request<RawPage>({
    method: options.method,
    path,
    route: options.route,
    query,
    ...(options.json === undefined ? {} : { json: options.json }),
    schema: pageSchema,
    parse: (text) => {
      const page = splitPage(text);
      split = page?.items;
      return page === undefined ? JSON.parse(text) : page.envelope;
    },
  });
  const raw = split ?? response.data.data.map((parsed) => ({ parsed }));
  return { envelope: response.data, raw, status: response.status, correlationId: response.correlationId };
}

/** The state of one walk: the pages seen and the bound on how many there may be. */
class PageWalk<T> {
  private readonly seen = new Set<string>();
  private readonly contents = new Set<string>();
  private readonly ceiling: number;
  private limit: number;
  private read = 0;
  private expectedIndex = 0;
  private readonly where: string;

  constructor(
    private readonly client: ApiClient,
    private readonly options: PaginateOptions<T>,
  ) {
    this.ceiling = options.maxPages ?? MAX_PAGES;
    this.limit = this.ceiling;
    this.where = client.baseUrl + options.path;
  }

  private broken(what: string, url: string, correlationId: string | undefined): ApiError {
    return new ApiError('RESPONSE_INVALID', `${this.options.route} ${what}; the API's paging is broken, report this with the correlation id ${correlationId ?? '(none)'}.`, {
      method: this.options.method,
      url,
      route: this.options.route,
    });
  }

  /** Checks a fetched page against the walk so far and makes it a lazy page. */
  accept(fetched: FetchedPage): LazyPage<T> {
    const metadata = fetched.envelope.metadata ?? undefined;
    const count = fetched.raw.length;
    this.read += 1;
    if (this.read === 1) {
      // The first page says how much there is: the pages needed to hold total_data at this page's size, plus one
      // for items added meanwhile, bound the walk.
      const totalData = metadata?.total_data ?? undefined;
      if (typeof totalData === 'number' && totalData >= 0 && count > 0) this.limit = Math.min(this.ceiling, Math.ceil(totalData / count) + 1);
    }
    if (count > 0) {
      const fingerprint = pageFingerprint(valueOf(fetched.raw[0]), valueOf(fetched.raw[count - 1]), count);
      if (this.contents.has(fingerprint)) throw this.broken(`returned page ${this.read} with the same items as an earlier page`, this.where, fetched.correlationId);
      this.contents.add(fingerprint);
    }
    return {
      count,
      index: metadata?.index ?? this.expectedIndex,
      totalData: metadata?.total_data ?? undefined,
      totalPages: metadata?.total_pages ?? undefined,
      items: () => validItems(this.client, this.options, fetched),
      itemAt: (index) => validItem(this.client, this.options, fetched, index),
      textAt: (index) => {
        const raw = fetched.raw[index];
        return typeof raw === 'string' ? raw : undefined;
      },
    };
  }

  /** The next page's URL, or `undefined` at the end. */
  next(fetched: FetchedPage, page: LazyPage<T>): string | undefined {
    const { index, totalPages } = page;
    if (page.count === 0) return undefined;
    if (totalPages !== undefined && totalPages !== null && index + 1 >= totalPages) return undefined;
    const href = fetched.envelope.links?.find((link) => link.rel === 'next')?.href ?? '';
    if (href.trim() === '') return undefined;
    if (this.read >= this.limit) {
      const bound = this.limit === this.ceiling ? `the ${this.ceiling} pages any collection may have` : `its total of ${String(page.totalData ?? '')} items can fill`;
      throw this.broken(`still had a next link after ${this.read} pages, more than ${bound}`, this.where, fetched.correlationId);
    }
    let nextUrl: URL;
    try {
      nextUrl = new URL(href);
    } catch {
      throw this.broken('returned a next link that is not a URL', this.where, fetched.correlationId);
    }
    for (const [key, value] of Object.entries(this.options.query ?? {})) {
      if (value !== undefined && !nextUrl.searchParams.has(key)) nextUrl.searchParams.set(key, value);
    }
    const key = nextUrl.pathname + nextUrl.search;
    if (this.seen.has(key) || nextUrl.searchParams.get('index') === String(index)) {
      throw this.broken(`returned a next link to a page already read (${key})`, key, fetched.correlationId);
    }
    this.seen.add(key);
    this.expectedIndex = index + 1;
    return nextUrl.toString();
  }
}

function valueOf(raw: string | { parsed: unknown } | undefined): unknown {
  return typeof raw === 'string' ? JSON.parse(raw) : raw?.parsed;
}

/** Parses and validates a page's items one at a time. */
function* validItems<T>(client: ApiClient, options: PaginateOptions<T>, fetched: FetchedPage): Generator<T> {
  for (let i = 0; i < fetched.raw.length; i += 1) yield validItem(client, options, fetched, i);
}

/** Parses and validates item `index` of a page. */
function validItem<T>(client: ApiClient, options: PaginateOptions<T>, fetched: FetchedPage, index: number): T {
  const raw = fetched.raw[index];
  if (typeof raw === 'object' && raw.valid === true) return raw.parsed as T;
  const value = valueOf(raw);
  // A value the schema takes as it is needs no copy (see shapeCheckOf); anything else goes through zod, for its answer or its error.
  if (shapeCheckOf(options.item)?.(value) === true) return value as T;
  const parsed = options.item.safeParse(value);
  if (parsed.success) {
    // The served text is no longer the item: the item takes its place, so textAt has none to give.
    fetched.raw[index] = { parsed: parsed.data, valid: true };
    return parsed.data;
  }
  const issue = parsed.error.issues[0];
  const field = ['data', index, ...(issue?.path ?? [])].join('.');
  throw new ApiError(
    'RESPONSE_INVALID',
    `${options.route} returned an unexpected item: field '${field}' ${issue?.message.toLowerCase() ?? 'is invalid'}; the API may have changed, report this with the correlation id ${fetched.correlationId ?? '(none)'}.`,
    { method: options.method, url: client.baseUrl + options.path, route: options.route, status: fetched.status, ...(fetched.correlationId === undefined ? {} : { correlationId: fetched.correlationId }) },
  );
}

/** Identifies a page by its size and its first and last items (ids where they have one): cheap, and enough to see a page served again. */
function pageFingerprint(first: unknown, last: unknown, count: number): string {
  const mark = (item: unknown): string => {
    const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
    return typeof id === 'string' || typeof id === 'number' ? `#${id}` : JSON.stringify(item)?.slice(0, 500) ?? '';
  };
  return `${count}|${mark(first)}|${mark(last)}`;
}
