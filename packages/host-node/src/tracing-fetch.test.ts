import { describe, expect, it } from 'vitest';
import { createTracingFetch } from './tracing-fetch';

describe('createTracingFetch', () => {
  it('logs method, URL, status and correlation id, never the API key or the body', async () => {
    const lines: string[] = [];
    const inner = async (): Promise<Response> => new Response('{}', { status: 201, headers: { 'r7-correlation-id': 'corr-1' } });
    const fetch = createTracingFetch(inner, (l) => lines.push(l), () => 0);
    const body = JSON.stringify({ scan_config: { id: 'c1' } });
    const response = await fetch('http://127.0.0.1:1/ias/v1/scans', { method: 'post', headers: { 'X-Api-Key': 'key-value-123', 'content-type': 'application/json' }, body });
    expect(response.status).toBe(201);
    expect(lines).toEqual(['HTTP POST http://127.0.0.1:1/ias/v1/scans (content-type: application/json; x-api-key: ***)', 'HTTP POST http://127.0.0.1:1/ias/v1/scans → 201 in 0 ms, r7-correlation-id corr-1']);
    expect(lines.join('\n')).not.toContain('key-value-123');
  });

  it('logs a transport failure and rethrows it', async () => {
    const lines: string[] = [];
    const fetch = createTracingFetch(() => Promise.reject(new TypeError('fetch failed')), (l) => lines.push(l), () => 0);
    await expect(fetch(new Request('http://127.0.0.1:1/x', { headers: { 'x-api-key': 'k' } }))).rejects.toThrow('fetch failed');
    expect(lines[1]).toBe('HTTP GET http://127.0.0.1:1/x failed after 0 ms: fetch failed');
  });
});
