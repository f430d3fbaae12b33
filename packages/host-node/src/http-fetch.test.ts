import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync, brotliCompressSync, deflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { FetchResponse } from '@ias/core';
import { closeHttpFetches, createHttpFetch } from './http-fetch';

const textOf = async (response: FetchResponse | Promise<FetchResponse>): Promise<string> => (await response).text();

const servers: Server[] = [];
afterEach(() => {
  closeHttpFetches();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handler(req, res, body));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const manual = { redirect: 'manual' } as const;

async function readAll(response: FetchResponse): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    text += decoder.decode(value, { stream: true });
  }
}

describe('createHttpFetch', () => {
  it('sends the method, headers and body, and answers status, headers and the body as a stream', async () => {
    const url = await serve((req, res, body) => {
      res.setHeader('r7-correlation-id', 'c-1');
      res.statusCode = 201;
      res.end(JSON.stringify({ method: req.method, key: req.headers['x-api-key'], type: req.headers['content-type'], length: req.headers['content-length'], body }));
    });
    const response = await createHttpFetch()(new URL(`${url}/scans`), { ...manual, method: 'POST', headers: { 'X-Api-Key': 'k', 'Content-Type': 'application/json' }, body: '{"a":"é"}' });
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.headers.get('R7-Correlation-Id')).toBe('c-1');
    expect(response.headers.get('x-missing')).toBeNull();
    expect(JSON.parse(await readAll(response))).toEqual({ method: 'POST', key: 'k', type: 'application/json', length: '10', body: '{"a":"é"}' });
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ])('asks for compressed bodies and decodes %s', async (encoding, compress) => {
    const url = await serve((req, res) => {
      res.setHeader('content-encoding', encoding);
      res.end(compress(Buffer.from(`accept-encoding: ${req.headers['accept-encoding'] ?? ''}`)));
    });
    const response = await createHttpFetch()(url, manual);
    expect(await textOf(response)).toBe('accept-encoding: gzip, deflate, br');
  });

  it('rejects a body it cannot send, before anything is sent', async () => {
    let requests = 0;
    const url = await serve((_req, res) => {
      requests += 1;
      res.end();
    });
    await expect(createHttpFetch()(url, { ...manual, method: 'POST', body: new Blob(['x']) })).rejects.toThrow('createHttpFetch sends string, URLSearchParams or byte bodies only');
    expect(requests).toBe(0);
  });

  it('leaves redirects to the caller', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(302, { location: 'https://elsewhere.example/' });
      res.end();
    });
    const response = await createHttpFetch()(url, manual);
    expect(response.status).toBe(302);
    expect(response.ok).toBe(false);
    expect(response.headers.get('location')).toBe('https://elsewhere.example/');
  });

  it('reuses one kept-alive connection for requests in sequence', async () => {
    const ports: number[] = [];
    const url = await serve((req, res) => {
      ports.push(req.socket.remotePort ?? 0);
      res.end('ok');
    });
    const fetch = createHttpFetch();
    for (let i = 0; i < 3; i += 1) expect(await textOf(fetch(url, manual))).toBe('ok');
    expect(new Set(ports).size).toBe(1);
  });

  it('fails like fetch when the server cannot be reached: TypeError with the socket error as cause', async () => {
    const url = await serve((_req, res) => res.end());
    servers.splice(0).forEach((s) => s.close());
    const error = await createHttpFetch()(url, manual).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('fetch failed');
    expect(((error as Error).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('rejects with the signal reason when aborted before the answer, and stops a body being read', async () => {
    const url = await serve((req, res) => {
      if (req.url === '/slow') return;
      res.write('first part');
    });
    const controller = new AbortController();
    const pending = createHttpFetch()(`${url}/slow`, { ...manual, signal: controller.signal });
    const reason = new Error('deadline');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);

    const reading = new AbortController();
    const response = await createHttpFetch()(`${url}/trickle`, { ...manual, signal: reading.signal });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first part');
    await reader.cancel();
    reading.abort(new Error('done'));
  });

  it('hands a Request, or a request that wants redirects followed, to the global fetch', async () => {
    const url = await serve((req, res) => {
      if (req.url === '/from') {
        res.writeHead(302, { location: '/to' });
        res.end();
        return;
      }
      res.end(`at ${req.url ?? ''}`);
    });
    const fetch = createHttpFetch();
    expect(await textOf(fetch(`${url}/from`))).toBe('at /to');
    expect(await textOf(fetch(new Request(`${url}/req`)))).toBe('at /req');
  });
});
