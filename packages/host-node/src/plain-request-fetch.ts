import type { FetchLike } from '@ias/core';

/**
 * Wraps a fetch that only understands URL strings (undici's own `fetch`, which `createNodeFetch` uses behind a proxy,
 * does not recognise the global `Request` class that ky hands it, and fails with "Failed to parse URL from
 * [object Request]"). A `Request` is taken apart into its URL and init (method, headers, body, signal) first.
 */
export function withPlainRequests(fetch: FetchLike): FetchLike {
  return async (input, init) => {
    if (typeof Request === 'undefined' || !(input instanceof Request)) return fetch(input, init);
    const body = input.method === 'GET' || input.method === 'HEAD' || input.body === null ? undefined : await input.arrayBuffer();
    return fetch(input.url, {
      method: input.method,
      headers: input.headers,
      signal: input.signal,
      redirect: input.redirect,
      ...(body === undefined ? {} : { body }),
      ...init,
    });
  };
}
