// A reverse proxy on 127.0.0.1 in front of the simulator that holds one chosen request, so a test can interrupt a
// host at an exact phase (launch, collection, documentation) without racing the wall clock: the request is held
// until the process under test gives up on it.
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Which request to hold, and whether the simulator sees it first (the server acted, the answer is lost). */
export interface HoldRule {
  matches(method: string, path: string, body: string): boolean;
  /** Forward to the simulator first, then hold the answer. @default false */
  afterUpstream?: boolean;
}

export interface HoldingProxy {
  baseUrl: string;
  /** Resolves once the rule has matched a request (which is then held). */
  held: Promise<void>;
  close(): Promise<void>;
}

/** Starts the proxy in front of `upstream` (`http://127.0.0.1:PORT/ias/v1`); only the first matching request is held. */
export async function startHoldingProxy(upstream: string, rule: HoldRule): Promise<HoldingProxy> {
  const target = new URL(upstream);
  let matched = false;
  let onHeld: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (onHeld = resolve));
  const open = new Set<ServerResponse>();
  const pass = (req: IncomingMessage, body: Buffer, res: ServerResponse | undefined): void => {
    const out = forward({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        if (res === undefined) return;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.end(Buffer.concat(chunks));
      });
    });
    out.on('error', () => res?.destroy());
    out.end(body);
  };
  const server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = new URL(req.url ?? '/', 'http://proxy').pathname;
      if (!matched && rule.matches(req.method ?? 'GET', path, body.toString('utf8'))) {
        matched = true;
        // Held: never answered; the client's interrupt ends it.
        if (rule.afterUpstream === true) pass(req, body, undefined);
        onHeld();
        return;
      }
      pass(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${target.pathname}`,
    held,
    close: async () => {
      for (const res of open) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
