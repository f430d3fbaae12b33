import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { FetchLike, FetchResponse } from '@ias/core';

/** TLS of the connections: CA certificates trusted (Node's roots included by the caller) and whether to verify. */
export interface HttpFetchTls {
  ca?: string[] | undefined;
  rejectUnauthorized?: boolean | undefined;
}

/** Core's {@link FetchResponse} and the rest of a `Response` that is cheap to give (no `Response` class, no undici). */
interface PlainResponse extends FetchResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly type: 'basic';
  readonly url: string;
  readonly redirected: false;
  readonly headers: { get(name: string): string | null; has(name: string): boolean; forEach(fn: (value: string, name: string) => void): void };
  readonly body: ReadableStream<Uint8Array> | null;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

const agents = new Set<HttpAgent>();

/**
 * A fetch on `node:http`/`node:https` for direct connections (no proxy). Node's global fetch is undici, whose HTTP
 * parser is WebAssembly: compiling and running it costs a run about 30–40 MiB of resident memory for a handful of
 * requests, which `node:http`'s native parser does not (tooling/bench measures the peak RSS). It keeps connections
 * alive, never follows redirects by itself (core asks for `redirect: 'manual'` and decides), decodes gzip, deflate
 * and br bodies like fetch does, and fails like fetch: `TypeError('fetch failed')` with the socket error as `cause`,
 * or the signal's reason when aborted. A `Request` object or a request that wants redirects followed goes to the
 * global fetch instead.
 */
export function createHttpFetch(tls: HttpFetchTls = {}): FetchLike {
  const http = new HttpAgent({ keepAlive: true });
  const https = new HttpsAgent({ keepAlive: true, ...(tls.ca === undefined ? {} : { ca: tls.ca }), rejectUnauthorized: tls.rejectUnauthorized !== false });
  agents.add(http);
  agents.add(https);
  return (input, init) => {
    if ((typeof input !== 'string' && !(input instanceof URL)) || (init?.redirect ?? 'follow') !== 'manual') return globalThis.fetch(input, init);
    const url = new URL(input);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return globalThis.fetch(input, init);
    return send(url, init ?? {}, url.protocol === 'https:' ? { request: httpsRequest, agent: https } : { request: httpRequest, agent: http });
  };
}

/** Closes the idle keep-alive connections of every fetch {@link createHttpFetch} built. */
export function closeHttpFetches(): void {
  for (const agent of agents) agent.destroy();
}

// Async, so a body it cannot send rejects like every other failure instead of throwing at the caller.
async function send(url: URL, init: RequestInit, via: { request: typeof httpRequest; agent: HttpAgent }): Promise<FetchResponse> {
  const { signal } = init;
  if (signal?.aborted) throw signal.reason;
  const body = bodyOf(init.body);
  const headers = headersOf(init.headers, body);
  return new Promise<FetchResponse>((resolve, reject) => {
    const request = via.request(url, { method: init.method ?? 'GET', headers, agent: via.agent });
    const onAbort = (): void => {
      request.destroy(signal?.reason instanceof Error ? signal.reason : undefined);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }));
    });
    request.on('response', (message) => {
      message.once('end', () => signal?.removeEventListener('abort', onAbort));
      message.once('close', () => signal?.removeEventListener('abort', onAbort));
      resolve(responseOf(url, message, init.method ?? 'GET'));
    });
    request.end(body);
  });
}

function bodyOf(body: RequestInit['body']): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError('createHttpFetch sends string, URLSearchParams or byte bodies only');
}

function headersOf(given: RequestInit['headers'], body: string | Uint8Array | undefined): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  const names = new Set<string>();
  const add = (name: string, value: string): void => {
    headers[name] = value;
    names.add(name.toLowerCase());
  };
  if (Array.isArray(given)) for (const [name, value] of given) add(name ?? '', value ?? '');
  else if (given !== undefined && typeof (given as { forEach?: unknown }).forEach === 'function') (given as Headers).forEach((value, name) => add(name, value));
  else for (const [name, value] of Object.entries((given ?? {}) as Record<string, string>)) add(name, value);
  if (!names.has('accept-encoding')) add('accept-encoding', 'gzip, deflate, br');
  if (body !== undefined && !names.has('content-length')) add('content-length', String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength));
  return headers;
}

function responseOf(url: URL, message: IncomingMessage, method: string): PlainResponse {
  const status = message.statusCode ?? 0;
  const raw = message.headers;
  const get = (name: string): string | null => {
    const value = raw[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  };
  const empty = method === 'HEAD' || status === 204 || status === 304;
  const stream = empty ? null : (Readable.toWeb(decoded(message, get('content-encoding'))) as ReadableStream<Uint8Array>);
  if (empty) message.resume();
  const text = (): Promise<string> => readText(stream);
  return {
    status,
    statusText: message.statusMessage ?? '',
    ok: status >= 200 && status < 300,
    type: 'basic',
    url: url.href,
    redirected: false,
    headers: {
      get,
      has: (name) => get(name) !== null,
      forEach: (fn) => {
        for (const name of Object.keys(raw)) fn(get(name) ?? '', name);
      },
    },
    body: stream,
    text,
    json: async () => JSON.parse(await text()) as unknown,
  };
}

/** The body with its `Content-Encoding` undone, as fetch does; errors of the connection reach the decoder. */
function decoded(message: IncomingMessage, encoding: string | null): Readable {
  const codec = (encoding ?? '').trim().toLowerCase();
  const decoder = codec === 'gzip' || codec === 'x-gzip' ? createGunzip() : codec === 'deflate' ? createInflate() : codec === 'br' ? createBrotliDecompress() : undefined;
  if (decoder === undefined) return message;
  message.on('error', (error) => decoder.destroy(error));
  decoder.on('close', () => {
    if (!message.complete) message.destroy();
  });
  return message.pipe(decoder);
}

async function readText(stream: ReadableStream<Uint8Array> | null): Promise<string> {
  if (stream === null) return '';
  const decoder = new TextDecoder();
  const parts: string[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) parts.push(decoder.decode(chunk, { stream: true }));
  parts.push(decoder.decode());
  return parts.join('');
}
