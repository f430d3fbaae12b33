import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';

/**
 * An HTTP CONNECT proxy on 127.0.0.1 that records each tunnel's target and Proxy-Authorization header. It only
 * ever connects to 127.0.0.1: a tunnel to any other host is answered 502, so no test traffic leaves the machine.
 */
export async function startConnectProxy(): Promise<{ url: string; tunnels: { target: string; auth: string | undefined }[]; close(): Promise<void> }> {
  const tunnels: { target: string; auth: string | undefined }[] = [];
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, socket) => {
    tunnels.push({ target: req.url ?? '', auth: req.headers['proxy-authorization'] });
    const [host, port] = (req.url ?? '').split(':');
    if (host !== '127.0.0.1') {
      socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const upstream = connect(Number(port), '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
