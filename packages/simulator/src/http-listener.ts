import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimDispatch } from './in-process-fetch.js';

/** Where to listen. */
export interface ListenOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
}

/** An open HTTP listener. */
export interface RunningListener {
  baseUrl: string;
  close(): Promise<void>;
}


function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Starts a node:http server that feeds every request to `dispatch`. */
export async function startListener(dispatch: SimDispatch, options: ListenOptions): Promise<RunningListener> {
  const host = options.host ?? '127.0.0.1';
  let port = options.port ?? 0;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const hostHeader = req.headers.host ?? `${hostForUrl}:${port}`;
    const url = new URL(req.url ?? '/', `http://${hostHeader}`);
    const origin = `http://${url.hostname}:${url.port || String(port)}`;
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value);
      else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    }
    const outcome = await dispatch({ method: req.method ?? 'GET', url, origin, headers, body });
    if (outcome.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    const { status, headers: out, body: text } = outcome.response;
    res.writeHead(status, { ...out, 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
  };

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json;charset=UTF-8' });
        res.end(JSON.stringify({ status: 500, message: error instanceof Error ? error.message : 'Internal Server Error' }));
      } else {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://${hostForUrl}:${port}/ias/v1`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
