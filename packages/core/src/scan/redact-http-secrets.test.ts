import { describe, expect, it } from 'vitest';
import type { Vulnerability } from '../api/schemas';
import { isSecretHeader, redactHttpMessage, redactVulnerabilityExchanges } from './redact-http-secrets';

describe('isSecretHeader', () => {
  it.each(['Authorization', 'proxy-authorization', 'Cookie', 'Set-Cookie', 'X-Api-Key', 'X-API_KEY', 'X-Auth-Token', 'X-CSRF-Token', 'X-Session-Id', 'X-Client-Secret', 'X-Amz-Security-Token'])('%s is secret', (name) => {
    expect(isSecretHeader(name)).toBe(true);
  });
  it.each(['Host', 'Content-Type', 'User-Agent', 'Accept', 'Content-Length', 'Server'])('%s is not', (name) => {
    expect(isSecretHeader(name)).toBe(false);
  });
});

describe('redactHttpMessage', () => {
  it('replaces secret header values, keeping the start line, other headers and the body', () => {
    const request = 'POST /login?session=1 HTTP/1.1\r\nHost: shop.example\r\nCookie: sid=abc123; theme=dark\r\nAuthorization: Bearer eyJhbGciOi.x.y\r\nX-Api-Key:k3y\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nuser=a&Cookie: b';
    expect(redactHttpMessage(request)).toBe('POST /login?session=1 HTTP/1.1\r\nHost: shop.example\r\nCookie: ***\r\nAuthorization: ***\r\nX-Api-Key: ***\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nuser=a&Cookie: b');
  });

  it('handles bare LF, a message without a body, and folded values', () => {
    expect(redactHttpMessage('HTTP/1.1 302 Found\nSet-Cookie: sid=s3cr3t; HttpOnly\nLocation: /\n\n')).toBe('HTTP/1.1 302 Found\nSet-Cookie: ***\nLocation: /\n\n');
    expect(redactHttpMessage('GET / HTTP/1.1\r\nAuthorization: Basic\r\n dXNlcjpwYXNz\r\nAccept: */*')).toBe('GET / HTTP/1.1\r\nAuthorization: ***\r\nAccept: */*');
    expect(redactHttpMessage('no headers at all')).toBe('no headers at all');
  });
});

describe('redactVulnerabilityExchanges', () => {
  it('redacts raw, structured and listed exchanges of every variance, without touching the input', () => {
    const vulnerability = {
      id: 'v1',
      severity: 'HIGH',
      variances: [
        {
          original_exchange: { request: 'GET / HTTP/1.1\r\nCookie: sid=1\r\n\r\n', response: 'HTTP/1.1 200 OK\r\nSet-Cookie: sid=2\r\n\r\nok' },
          attack_exchanges: [{ request: 'GET /?q=1 HTTP/1.1\r\nAuthorization: Bearer t\r\n\r\n', headers: { 'X-Api-Key': 'k', Accept: '*/*' } }, { headers: [{ name: 'Cookie', value: 'c' }, { name: 'Host', value: 'h' }] }],
          proof: 'Cookie: sid=1 stays in the proof',
        },
      ],
    } as unknown as Vulnerability;
    const before = JSON.stringify(vulnerability);
    const redacted = redactVulnerabilityExchanges(vulnerability) as unknown as { variances: Record<string, unknown>[] };
    expect(JSON.stringify(vulnerability)).toBe(before);
    const [variance] = redacted.variances;
    expect(variance?.original_exchange).toEqual({ request: 'GET / HTTP/1.1\r\nCookie: ***\r\n\r\n', response: 'HTTP/1.1 200 OK\r\nSet-Cookie: ***\r\n\r\nok' });
    expect(variance?.attack_exchanges).toEqual([
      { request: 'GET /?q=1 HTTP/1.1\r\nAuthorization: ***\r\n\r\n', headers: { 'X-Api-Key': '***', Accept: '*/*' } },
      { headers: [{ name: 'Cookie', value: '***' }, { name: 'Host', value: 'h' }] },
    ]);
    expect(variance?.proof).toBe('Cookie: sid=1 stays in the proof');
  });
});
