import { describe, expect, it } from 'vitest';
import { proxyForUrl } from './proxy-for-url';

describe('proxyForUrl', () => {
  it('picks the variable undici picks for the scheme', () => {
    expect(proxyForUrl('https://eu.api.insight.rapid7.com/ias/v1', { HTTPS_PROXY: 'http://s:1', HTTP_PROXY: 'http://p:2' })).toBe('http://s:1');
    expect(proxyForUrl('https://eu.api.insight.rapid7.com/ias/v1', { http_proxy: 'http://p:2' })).toBe('http://p:2');
    expect(proxyForUrl('http://127.0.0.1:8080/ias/v1', { HTTPS_PROXY: 'http://s:1' })).toBeUndefined();
    expect(proxyForUrl('http://127.0.0.1:8080/ias/v1', { HTTP_PROXY: 'http://p:2' })).toBe('http://p:2');
    expect(proxyForUrl('https://x.test/', {})).toBeUndefined();
  });

  it('honours NO_PROXY: *, names, suffixes and ports', () => {
    const env = { HTTPS_PROXY: 'http://s:1' };
    expect(proxyForUrl('https://eu.api.insight.rapid7.com/', { ...env, NO_PROXY: '*' })).toBeUndefined();
    expect(proxyForUrl('https://eu.api.insight.rapid7.com/', { ...env, NO_PROXY: 'other.test, .rapid7.com' })).toBeUndefined();
    expect(proxyForUrl('https://eu.api.insight.rapid7.com/', { ...env, no_proxy: 'EU.API.INSIGHT.RAPID7.COM' })).toBeUndefined();
    expect(proxyForUrl('https://h.test:8443/', { ...env, NO_PROXY: 'h.test:9000' })).toBe('http://s:1');
    expect(proxyForUrl('https://h.test:8443/', { ...env, NO_PROXY: 'h.test:8443' })).toBeUndefined();
    expect(proxyForUrl('https://notrapid7.com/', { ...env, NO_PROXY: 'rapid7.com' })).toBe('http://s:1');
  });
});
