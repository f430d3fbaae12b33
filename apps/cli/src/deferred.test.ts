import { describe, expect, it } from 'vitest';
import type { DocumentationCache, FetchLike, FetchResponse } from '@ias/core';
import { deferredDocumentationCache, deferredFetch } from './deferred';

const response = { status: 204 } as FetchResponse;

describe('deferredFetch', () => {
  it('makes the real fetch at the first request only, once, and hands it every request as given', async () => {
    const seen: unknown[][] = [];
    let made = 0;
    const fetch = deferredFetch(async () => {
      made += 1;
      return (async (input, init) => {
        seen.push([input, init]);
        return response;
      }) as FetchLike;
    });
    expect(made).toBe(0);
    const init = { method: 'POST' };
    await expect(Promise.all([fetch('https://a.test/1', init), fetch('https://a.test/2')])).resolves.toEqual([response, response]);
    expect(made).toBe(1);
    expect(seen).toEqual([['https://a.test/1', init], ['https://a.test/2', undefined]]);
  });

  it('rejects every request when the real fetch cannot be made', async () => {
    const fetch = deferredFetch(() => Promise.reject(new Error('no transport')));
    await expect(fetch('https://a.test/')).rejects.toThrow('no transport');
  });
});

describe('deferredDocumentationCache', () => {
  it('makes the real cache at the first read or write, once', async () => {
    const store = new Map<string, string>();
    let made = 0;
    const cache = deferredDocumentationCache(async (): Promise<DocumentationCache> => {
      made += 1;
      return { read: async (key) => store.get(key), write: async (key, text) => void store.set(key, text) };
    });
    expect(made).toBe(0);
    await cache.write('k', 'v');
    await expect(cache.read('k')).resolves.toBe('v');
    await expect(cache.read('other')).resolves.toBeUndefined();
    expect(made).toBe(1);
  });
});
