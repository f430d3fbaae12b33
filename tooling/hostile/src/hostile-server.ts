// A hostile IAS-compatible server for tests: it answers every request through an in-process simulator (so a run can
// resolve, launch and poll as against the real API) and misbehaves on the routes a case names: redirects to other
// origins, bodies trickled at one byte a second, bodies of hundreds of megabytes streamed lazily, pages without end.
// Loopback only, and bounded: every loop stops when its client goes away or the server closes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createSimulator, type Simulator } from '@ias/simulator';

/** Which requests a misbehaviour applies to. */
export type RouteMatch = 'any' | 'scan-status' | 'documentation' | 'vulnerability-search';

/** One hostile behaviour. */
export type HostileCase =
  | { kind: 'honest' }
  | { kind: 'redirect'; status: 301 | 302 | 303 | 307 | 308; route: RouteMatch; to: 'other-port' | 'localhost' | 'https-same-host' }
  | { kind: 'trickle'; route: RouteMatch }
  | { kind: 'huge-body'; route: RouteMatch; bytes: number }
  | { kind: 'endless-pages'; variant: 'fresh-items' | 'same-next' | 'same-items' | 'huge-total-pages' };

/** A running hostile server. */
export interface HostileServer {
  /** The base URL a run is pointed at (`http://127.0.0.1:PORT/ias/v1`). */
  baseUrl: string;
  sim: Simulator;
  /** Requests another origin received (the redirect targets): any one of them is a failure. */
  stolen: { url: string; apiKey: string | undefined }[];
  /** Bytes the hostile routes sent (trickles and huge bodies). */
  hostileBytes(): number;
  /** Pages served by the endless collection. */
  endlessPages(): number;
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, 0x61);

function matches(route: RouteMatch, method: string, path: string, body: string): boolean {
  if (route === 'any') return true;
  if (route === 'scan-status') return method === 'GET' && /\/scans\/[0-9a-f-]{36}$/i.test(path);
  if (route === 'documentation') return method === 'GET' && path.endsWith('/documentation');
  return method === 'POST' && path.endsWith('/search') && /"type"\s*:\s*"VULNERABILITY"/.test(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A UUID made from a number, so synthetic items have valid, distinct ids. */
function uuidOf(n: number): string {
  const hex = n.toString(16).padStart(12, '0').slice(-12);
  return `e0000000-0000-4000-8000-${hex}`;
}

/** Starts the hostile server (and the thief server redirects point to) on 127.0.0.1, random ports. */
export async function startHostileServer(options: { apiKey: string; hostile: HostileCase; timeScale?: number }): Promise<HostileServer> {
  const sim = createSimulator({ scenario: 'demo', timeScale: options.timeScale ?? 0.002, apiKey: options.apiKey });
  const stolen: HostileServer['stolen'] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setInterval>>();
  let hostileBytes = 0;
  let endlessPages = 0;
  let closing = false;

  const thief = createServer((req, res) => {
    const key = req.headers['x-api-key'];
    stolen.push({ url: req.url ?? '', apiKey: Array.isArray(key) ? key.join(',') : key });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  thief.on('connection', (s) => sockets.add(s));
  const thiefPort = await listen(thief);

  let port = 0;
  const hostile = options.hostile;

  const forward = async (req: IncomingMessage, body: string): Promise<Response> => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
    const method = req.method ?? 'GET';
    return sim.fetch(new Request(`http://127.0.0.1:${port}${req.url ?? '/'}`, { method, headers, ...(method === 'GET' || method === 'HEAD' || body === '' ? {} : { body }) }));
  };

  const send = async (res: ServerResponse, response: Response): Promise<void> => {
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name] = value));
    res.writeHead(response.status, headers);
    res.end(Buffer.from(await response.arrayBuffer()));
  };

  const trickle = (res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{');
    hostileBytes += 1;
    // One byte a second, at most ten minutes' worth, and never past the client or the server.
    let sent = 0;
    const timer = setInterval(() => {
      if (closing || res.destroyed || sent >= 600) {
        clearInterval(timer);
        timers.delete(timer);
        res.destroy();
        return;
      }
      sent += 1;
      hostileBytes += 1;
      res.write(' ');
    }, 1_000);
    timers.add(timer);
    res.on('close', () => {
      clearInterval(timer);
      timers.delete(timer);
    });
  };

  const huge = (res: ServerResponse, bytes: number): void => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(bytes + 2) });
    res.write('["');
    let left = bytes;
    // Streamed as the client reads: one 64 KiB chunk at a time, waiting for the socket to drain, never allocated whole.
    const pump = (): void => {
      while (left > 0 && !closing && !res.destroyed) {
        const chunk = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
        left -= chunk.length;
        hostileBytes += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      if (left === 0 && !res.destroyed) res.end('"]');
    };
    pump();
  };

  let template: unknown;
  const endless = async (req: IncomingMessage, res: ServerResponse, body: string, variant: 'fresh-items' | 'same-next' | 'same-items' | 'huge-total-pages'): Promise<void> => {
    if (template === undefined) {
      const first = (await (await forward(req, body)).json()) as { data?: unknown[] };
      template = first.data?.[0] ?? { id: uuidOf(0), severity: 'HIGH' };
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const index = Number(url.searchParams.get('index') ?? 0);
    endlessPages += 1;
    const item = (n: number): unknown => ({ ...(template as object), id: uuidOf(variant === 'same-items' ? n % 2 : n) });
    const data = [item(index * 2), item(index * 2 + 1)];
    const nextIndex = variant === 'same-next' ? 1 : index + 1;
    const next = new URL(url);
    next.searchParams.set('index', String(nextIndex));
    next.searchParams.set('size', '2');
    const metadata = variant === 'huge-total-pages' ? { index, size: 2, total_data: 6, total_pages: 1_000_000_000 } : { index, size: 2, total_data: 6 };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data, metadata, links: [{ rel: 'next', href: next.toString() }] }));
  };

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const method = req.method ?? 'GET';
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (hostile.kind === 'redirect' && matches(hostile.route, method, path, body)) {
        const target = hostile.to === 'other-port' ? `http://127.0.0.1:${thiefPort}${req.url ?? '/'}` : hostile.to === 'localhost' ? `http://localhost:${thiefPort}${req.url ?? '/'}` : `https://127.0.0.1:${port}${req.url ?? '/'}`;
        res.writeHead(hostile.status, { location: target, 'content-type': 'text/plain' }).end('moved');
        return;
      }
      if (hostile.kind === 'trickle' && matches(hostile.route, method, path, body)) return trickle(res);
      if (hostile.kind === 'huge-body' && matches(hostile.route, method, path, body)) return huge(res, hostile.bytes);
      if (hostile.kind === 'endless-pages' && matches('vulnerability-search', method, path, body)) return endless(req, res, body, hostile.variant);
      await send(res, await forward(req, body));
    })().catch(() => res.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  port = await listen(server);

  return {
    baseUrl: `http://127.0.0.1:${port}/ias/v1`,
    sim,
    stolen,
    hostileBytes: () => hostileBytes,
    endlessPages: () => endlessPages,
    async close() {
      closing = true;
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => thief.close(r))]);
      await sim.close();
    },
  };
}

/** A forward proxy on 127.0.0.1 that accepts every CONNECT and closes it at once (and answers nothing else). */
export async function startTunnelDroppingProxy(): Promise<{ url: string; connects(): number; close(): Promise<void> }> {
  let connects = 0;
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => res.destroy());
  server.on('connect', (_req, socket: Socket) => {
    connects += 1;
    socket.destroy();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    connects: () => connects,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
