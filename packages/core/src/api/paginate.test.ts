import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError } from '../errors';
import { createApiClient, type ApiClientOptions } from './client';
import { paginate, paginateLazily } from './paginate';

// Hostile paging (issue 17, item 5): a server that never stops offering pages must not keep a run reading forever.
const BASE = 'https://ias.example.test/ias/v1';
const clock = { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
const item = z.looseObject({ id: z.string() });

/** A client on a fake server: `page(index)` is the envelope served for `?index=`. */
function serve(page: (index: number, url: URL) => unknown) {
  let requests = 0;
  const fetch: ApiClientOptions['fetch'] = async (input, init) => {
    requests += 1;
    const url = new URL(new Request(input, init).url);
    const index = Number(url.searchParams.get('index') ?? 0);
    return new Response(JSON.stringify(page(index, url)), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const client = createApiClient({ baseUrl: BASE, apiKey: 'k', fetch, userAgent: 't', clock, retries: 0 });
  return { client, requests: () => requests };
}

const ids = (index: number, n: number): { id: string }[] => Array.from({ length: n }, (_, i) => ({ id: `item-${index}-${i}` }));
const next = (index: number) => [{ rel: 'next', href: `${BASE}/apps?index=${index + 1}&size=2` }];

async function walk(client: ReturnType<typeof serve>['client'], maxPages?: number): Promise<{ pages: number; error: unknown }> {
  let pages = 0;
  try {
    for await (const _ of paginate(client, { method: 'GET', path: '/apps', route: 'GET /apps', item, pageSize: 2, ...(maxPages === undefined ? {} : { maxPages }) })) pages += 1;
    return { pages, error: undefined };
  } catch (error) {
    return { pages, error };
  }
}

describe('paginate against a hostile server', () => {
  it('stops an endless next link at the pages total_data can fill', async () => {
    const server = serve((index) => ({ data: ids(index, 2), metadata: { index, size: 2, total_data: 5, total_pages: 1_000_000 }, links: next(index) }));
    const { pages, error } = await walk(server.client);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('RESPONSE_INVALID');
    expect((error as ApiError).message).toBe("GET /apps still had a next link after 4 pages, more than its total of 5 items can fill; the API's paging is broken, report this with the correlation id (none).");
    expect(pages).toBe(4);
    expect(server.requests()).toBe(4);
  });

  it('stops an endless next link without metadata at the hard ceiling', async () => {
    const server = serve((index) => ({ data: ids(index, 2), links: next(index) }));
    const { error } = await walk(server.client, 50);
    expect((error as ApiError).message).toMatch(/^GET \/apps still had a next link after 50 pages, more than the 50 pages any collection may have;/);
    expect(server.requests()).toBe(50);
  });

  it('detects a page served again under a new link', async () => {
    const server = serve((index) => ({ data: ids(0, 2), metadata: { index, total_data: 100 }, links: next(index) }));
    const { pages, error } = await walk(server.client);
    expect((error as ApiError).message).toMatch(/^GET \/apps returned page 2 with the same items as an earlier page;/);
    expect(pages).toBe(1);
  });

  it('detects the same next link twice', async () => {
    const server = serve((index) => ({ data: ids(index, 2), metadata: { index: 0, total_data: 100 }, links: [{ rel: 'next', href: `${BASE}/apps?index=1&size=2` }] }));
    const { error } = await walk(server.client);
    expect((error as ApiError).message).toMatch(/returned a next link to a page already read/);
    expect(server.requests()).toBe(2);
  });

  it('still reads an honest collection to its end', async () => {
    const server = serve((index) => ({ data: ids(index, index < 2 ? 2 : 1), metadata: { index, total_data: 5, total_pages: 3 }, links: index < 2 ? next(index) : [] }));
    const { pages, error } = await walk(server.client);
    expect(error).toBeUndefined();
    expect(pages).toBe(3);
  });
});

describe('paginateLazily: the text of an item', () => {
  async function firstPage<T>(schema: z.ZodType<T>) {
    const server = serve(() => ({ data: [{ id: 'one', extra: '<script>' }], metadata: { index: 0, total_data: 1 }, links: [] }));
    for await (const page of paginateLazily(server.client, { method: 'GET', path: '/apps', route: 'GET /apps', item: schema, pageSize: 1 })) return page;
    throw new Error('no page');
  }

  it('is the served text when validation takes the item as it is', async () => {
    const page = await firstPage(item);
    expect(page.itemAt(0)).toEqual({ id: 'one', extra: '<script>' });
    expect(page.textAt(0)).toBe('{"id":"one","extra":"<script>"}');
  });

  it('is none once validation rebuilt the item, so no report writes a field the item no longer has', async () => {
    // A stripping object: zod drops the field it does not know, so the served text is no longer the item.
    const page = await firstPage(z.object({ id: z.string() }));
    const rebuilt = page.itemAt(0);
    expect(rebuilt).toEqual({ id: 'one' });
    expect(page.textAt(0)).toBeUndefined();
    // Asked again, it is the same item, not validated a second time.
    expect(page.itemAt(0)).toBe(rebuilt);
  });
});
