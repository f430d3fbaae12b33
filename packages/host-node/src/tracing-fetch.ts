import type { FetchLike } from '@ias/core';

const SECRET_HEADERS = new Set(['x-api-key', 'authorization', 'proxy-authorization', 'cookie']);

/**
 * Wraps a fetch so every request and response is logged (for debug logging): method, URL, header names with
 * secret headers shown as `***`, status, duration and the `r7-correlation-id` support asks for. Header values
 * of secret headers and request bodies are never logged.
 */
export function createTracingFetch(fetch: FetchLike, log: (line: string) => void, now: () => number = Date.now): FetchLike {
  return async (input, init) => {
    // Read what to log without building a Request, which would consume the caller's body.
    const isRequest = typeof Request !== 'undefined' && input instanceof Request;
    const request = {
      method: (init?.method ?? (isRequest ? input.method : 'GET')).toUpperCase(),
      url: isRequest ? input.url : String(input),
    };
    const headerBag = new Headers(init?.headers ?? (isRequest ? input.headers : undefined));
    const headers = [...headerBag.keys()].map((name) => (SECRET_HEADERS.has(name.toLowerCase()) ? `${name}: ***` : `${name}: ${headerBag.get(name) ?? ''}`));
    log(`HTTP ${request.method} ${request.url} (${headers.join('; ')})`);
    const started = now();
    try {
      const response = await fetch(input, init);
      const correlation = response.headers.get('r7-correlation-id');
      log(`HTTP ${request.method} ${request.url} → ${response.status} in ${now() - started} ms${correlation ? `, r7-correlation-id ${correlation}` : ''}`);
      return response;
    } catch (error) {
      log(`HTTP ${request.method} ${request.url} failed after ${now() - started} ms: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  };
}
