import type { DocumentationCache, FetchLike } from '@ias/core';

// Effects built at their first use. start.ts hands run() these stand-ins, so a run that sends no request (`--version`,
// `--help`, the offline commands) never loads the code behind the real ones.

/** A fetch that makes the real one at its first request, once, and hands every request to it. */
export function deferredFetch(make: () => Promise<FetchLike>): FetchLike {
  let made: Promise<FetchLike> | undefined;
  return async (input, init) => (await (made ??= make()))(input, init);
}

/** A documentation cache that makes the real one at its first read or write, once. */
export function deferredDocumentationCache(make: () => Promise<DocumentationCache>): DocumentationCache {
  let made: Promise<DocumentationCache> | undefined;
  const cache = (): Promise<DocumentationCache> => (made ??= make());
  return {
    read: async (key) => (await cache()).read(key),
    write: async (key, text) => (await cache()).write(key, text),
  };
}
