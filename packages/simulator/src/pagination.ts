import type { Link } from './resource-json.js';

/** Page size limits of the API. */
export const PAGE_SIZE = { default: 50, min: 1, max: 1000 } as const;

/** Requested page position. */
export interface PageRequest {
  index: number;
  size: number;
}

/**
 * Reads `index` and `size` from a query string. Returns an error message for a value that is not a
 * whole number, a negative index or a size outside 1..1000.
 */
export function parsePageRequest(params: URLSearchParams): PageRequest | { error: string } {
  const rawIndex = params.get('index');
  const rawSize = params.get('size');
  const index = rawIndex === null || rawIndex === '' ? 0 : Number(rawIndex);
  const size = rawSize === null || rawSize === '' ? PAGE_SIZE.default : Number(rawSize);
  if (!Number.isInteger(index) || index < 0) return { error: `index must be a whole number of at least 0, got '${rawIndex}'` };
  if (!Number.isInteger(size) || size < PAGE_SIZE.min || size > PAGE_SIZE.max) {
    return { error: `size must be a whole number from ${PAGE_SIZE.min} to ${PAGE_SIZE.max}, got '${rawSize}'` };
  }
  return { index, size };
}

/** The page envelope `{data, metadata, links}`. */
export interface PageEnvelope<T> {
  data: T[];
  metadata: { index: number; size: number; total_data: number; total_pages: number };
  links: Link[];
}

/**
 * Builds a page: `collectionHref` is the absolute URL of the collection without a query string (it is
 * the `self` link); `first`/`last` appear on multi-page results, `previous` after page 0 and `next`
 * only when more pages follow.
 */
export function buildPage<T>(data: T[], total: number, page: PageRequest, collectionHref: string): PageEnvelope<T> {
  const totalPages = Math.ceil(total / page.size);
  const at = (i: number): string => `${collectionHref}?index=${i}&size=${page.size}`;
  const links: Link[] = [];
  if (totalPages > 1) links.push({ rel: 'first', href: at(0) });
  links.push({ rel: 'self', href: collectionHref });
  if (page.index > 0 && totalPages > 0) links.push({ rel: 'previous', href: at(Math.min(page.index - 1, totalPages - 1)) });
  if (page.index + 1 < totalPages) links.push({ rel: 'next', href: at(page.index + 1) });
  if (totalPages > 1) links.push({ rel: 'last', href: at(totalPages - 1) });
  return { data, metadata: { index: page.index, size: page.size, total_data: total, total_pages: totalPages }, links };
}
