import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeFetch } from './node-fetch';
import { withPlainRequests } from './plain-request-fetch';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});
async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('withPlainRequests', () => {
  it('sends a global Request (as ky builds it) through a proxied fetch, body, method and headers intact', async () => {
    const seen: string[] = [];
    const port = await listen(
      createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          seen.push(`${req.method} ${req.url} ${req.headers['x-api-key']} ${body}`);
          res.end('ok');
        });
      }),
    );
    const proxy = createServer();
    proxy.on('connect', (_req, socket) => {
      const upstream = connect(port, '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
    });
    const proxyPort = await listen(proxy);
    const fetch = withPlainRequests(createNodeFetch({}, { url: `http://127.0.0.1:${proxyPort}` }));
    const request = new Request(`http://127.0.0.1:${port}/ias/v1/search?size=1`, { method: 'POST', headers: { 'X-Api-Key': 'k' }, body: '{"type":"APP"}' });
    const response = await fetch(request);
    expect(await response.text()).toBe('ok');
    expect(seen).toEqual(['POST /ias/v1/search?size=1 k {"type":"APP"}']);
  });
});
