// An independent, minimal IAS-compatible server written from ias-api.md alone, sharing no code with the simulator:
// it proves the CLI relies on the reference (absolute `next` links with an explicit port and an empty href on the
// last page, the Location header, a bare array from GET /modules), not on simulator extras.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const APP = { id: '11111111-1111-4111-8111-111111111111', name: 'Reference App' };
const CONFIG = { id: '22222222-2222-4222-8222-222222222222', name: 'Reference Config', app: { id: APP.id }, attack_template: { id: '33333333-3333-4333-8333-333333333333' }, errors: [] };
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'SAFE'];
const MODULES = Array.from({ length: 5 }, (_, i) => ({ id: `4444444${i}-4444-4444-8444-444444444444`, name: `Reference Module ${i}`, description: `Module ${i}` }));
const STATUSES = ['PENDING', 'PROVISIONING', 'RUNNING', 'SCANNED', 'PROCESSED', 'COMPLETE'];

export interface ReferenceServer {
  baseUrl: string;
  findings: { id: string; severity: string; moduleName: string }[];
  requests: string[];
  close(): Promise<void>;
}

export async function startReferenceServer(apiKey: string, findingCount: number): Promise<ReferenceServer> {
  const findings = Array.from({ length: findingCount }, (_, i) => {
    const module = MODULES[i % MODULES.length]!;
    return {
      id: `55555555-5555-4555-8555-${String(i).padStart(12, '0')}`,
      app: { id: APP.id },
      root_cause: { url: `https://ref.example/page/${i}`, method: i % 2 ? 'POST' : 'GET', ...(i % 3 ? { parameter: `p${i % 7}` } : {}) },
      severity: SEVERITIES[i % SEVERITIES.length]!,
      status: 'UNREVIEWED',
      first_discovered: '2026-01-01T00:00:05.5',
      last_discovered: '2026-01-01T00:00:05.5',
      newly_discovered: true,
      vulnerability_score: 5,
      variances: [{ id: randomUUID(), module: { id: module.id }, attack: { id: `ATTACK_${i % 4}` }, message: 'found' }],
    };
  });
  const scans = new Map<string, { polls: number; configId: string }>();
  const requests: string[] = [];
  let origin = '';

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'r7-correlation-id': randomUUID(), ...(body === undefined ? {} : { 'content-type': 'application/json;charset=UTF-8' }), ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const page = (items: unknown[], index: number, size: number) => {
    const totalPages = Math.ceil(items.length / size);
    const at = (i: number) => `${origin}/ias/v1/search?index=${i}&size=${size}`;
    const links: { rel: string; href: string }[] = [{ rel: 'self', href: `${origin}/ias/v1/search` }];
    if (totalPages > 1) {
      links.push({ rel: 'first', href: at(0) });
      if (index > 0) links.push({ rel: 'previous', href: at(index - 1) });
      // The last page carries an empty `next` href, as some of Rapid7's fixtures show.
      links.push({ rel: 'next', href: index + 1 < totalPages ? at(index + 1) : '' });
      links.push({ rel: 'last', href: at(totalPages - 1) });
    }
    return { data: items.slice(index * size, index * size + size).map((item) => ({ ...(item as object), links: [{ rel: 'self', href: `${origin}/ias/v1/search/${(item as { id: string }).id}` }] })), metadata: { index, size, total_data: items.length, total_pages: totalPages }, links };
  };
  const read = (req: IncomingMessage): Promise<string> =>
    new Promise((resolve) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => resolve(body));
    });

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', origin);
      requests.push(`${req.method} ${url.pathname}`);
      const body = await read(req);
      if (req.headers['x-api-key'] !== apiKey) return send(res, 401, { message: 'Unauthorized' });
      const path = url.pathname.replace(/^\/ias\/v1/, '');
      const index = Number(url.searchParams.get('index') ?? '0');
      const size = Number(url.searchParams.get('size') ?? '50');
      if (req.method === 'POST' && path === '/search') {
        const { type, query } = JSON.parse(body) as { type: string; query: string };
        if (query.includes('"')) return send(res, 400, { status: 400, message: 'Invalid query' });
        if (type === 'APP') return send(res, 200, page(query.includes(`'${APP.name}'`) ? [APP] : [], index, size));
        if (type === 'SCAN_CONFIG') return send(res, 200, page(query.includes(`'${CONFIG.name}'`) ? [CONFIG] : [], index, size));
        if (type === 'VULNERABILITY') {
          const scope = /vulnerability\.scans\.id\s*=\s*'([^']+)'/.exec(query)?.[1];
          if (scope === undefined || !scans.has(scope)) return send(res, 200, page([], index, size));
          const wanted = [...query.matchAll(/vulnerability\.severity\s*=\s*'([A-Z]+)'/g)].map((m) => m[1]);
          return send(res, 200, page(wanted.length === 0 ? findings : findings.filter((f) => wanted.includes(f.severity)), index, size));
        }
        return send(res, 400, { status: 400, message: `Unsupported type ${type}` });
      }
      if (req.method === 'POST' && path === '/scans') {
        const id = randomUUID();
        scans.set(id, { polls: 0, configId: (JSON.parse(body) as { scan_config: { id: string } }).scan_config.id });
        return send(res, 201, undefined, { location: `${origin}/ias/v1/scans/${id}` });
      }
      const scanMatch = /^\/scans\/([^/]+)(\/.*)?$/.exec(path);
      if (req.method === 'GET' && scanMatch) {
        const scan = scans.get(scanMatch[1]!);
        if (!scan) return send(res, 404, { status: 404, message: 'Not found' });
        if (scanMatch[2] === '/execution-details') return send(res, 200, { links_crawled: 10, requests: 100, attacked: 50, vulnerable: 3 });
        const status = STATUSES[Math.min(scan.polls, STATUSES.length - 1)]!;
        scan.polls += 1;
        return send(res, 200, { id: scanMatch[1], app: { id: APP.id }, scan_config: { id: scan.configId }, submit_time: '2026-01-01T00:00:00.123', completion_time: status === 'COMPLETE' ? '2026-01-01T00:20:00' : null, status, failure_reason: null, scan_type: 'REGULAR' });
      }
      if (req.method === 'GET' && path === '/modules') return send(res, 200, MODULES);
      if (req.method === 'GET' && /^\/modules\/[^/]+\/attacks\/[^/]+\/documentation$/.test(path)) {
        return path.includes('ATTACK_0') ? send(res, 404, { status: 404, message: 'Not found' }) : send(res, 200, { description: '<p>Docs</p>', recommendation: 'Fix it', references: { OWASP: 'https://owasp.org' } });
      }
      return send(res, 404, { status: 404, message: 'Not found' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: `${origin}/ias/v1`,
    findings: findings.map((f) => ({ id: f.id, severity: f.severity, moduleName: MODULES.find((m) => m.id === f.variances[0]!.module.id)!.name })),
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
