import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeFetch } from './node-fetch';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function start(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A local server that answers `body`, and a forward proxy that tunnels every CONNECT to it (never outside). */
async function target(body: string): Promise<{ url: string; port: number; paths: string[] }> {
  const paths: string[] = [];
  const url = await start(createServer((req, res) => {
    paths.push(req.url ?? '');
    res.end(body);
  }));
  return { url, port: Number(new URL(url).port), paths };
}

async function proxyTo(port: number): Promise<{ url: string; tunnels: string[] }> {
  const tunnels: string[] = [];
  const server = createServer((_req, res) => res.end('not a tunnel'));
  server.on('connect', (req, socket) => {
    tunnels.push(req.url ?? '');
    const upstream = connect(port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
  });
  return { url: await start(server), tunnels };
}

describe('createNodeFetch', () => {
  it('goes straight to the server without a proxy', async () => {
    const t = await target('direct');
    const response = await createNodeFetch({})(`${t.url}/ias/v1/apps`);
    expect(await response.text()).toBe('direct');
    expect(t.paths).toEqual(['/ias/v1/apps']);
  });

  it('tunnels through HTTPS_PROXY/HTTP_PROXY from the environment', async () => {
    const t = await target('through the proxy');
    const proxy = await proxyTo(t.port);
    const response = await createNodeFetch({ HTTP_PROXY: proxy.url })('http://ias.example.test/ias/v1/apps');
    expect(await response.text()).toBe('through the proxy');
    expect(proxy.tunnels).toEqual(['ias.example.test:80']);
    expect(t.paths).toEqual(['/ias/v1/apps']);
  });

  it('takes Request objects through the proxy, body and headers included (what the API client sends)', async () => {
    const t = await target('posted');
    const proxy = await proxyTo(t.port);
    const request = new Request('http://ias.example.test/ias/v1/search', { method: 'POST', headers: { 'x-api-key': 'k' }, body: '{"type":"APP"}' });
    const response = await createNodeFetch({ HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url })(request);
    expect(await response.text()).toBe('posted');
    expect(t.paths).toEqual(['/ias/v1/search']);
  });

  it('honours NO_PROXY', async () => {
    const t = await target('direct');
    const proxy = await proxyTo(t.port);
    const response = await createNodeFetch({ HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' })(`${t.url}/x`);
    expect(await response.text()).toBe('direct');
    expect(proxy.tunnels).toEqual([]);
  });

  it('uses an explicit proxy over the environment', async () => {
    const t = await target('explicit');
    const envProxy = await proxyTo(t.port);
    const explicit = await proxyTo(t.port);
    const response = await createNodeFetch({ HTTP_PROXY: envProxy.url }, { url: explicit.url })('http://ias.example.test/ias/v1/apps');
    expect(await response.text()).toBe('explicit');
    expect(explicit.tunnels).toEqual(['ias.example.test:80']);
    expect(envProxy.tunnels).toEqual([]);
  });
});
