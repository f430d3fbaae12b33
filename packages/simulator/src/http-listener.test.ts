import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from './clock.js';
import { DEMO_IDS as DEMO } from './demo-ids.js';
import { createSimulator, type Simulator } from './simulator.js';

let sim: Simulator;

afterEach(async () => {
  await sim.close();
});

describe('listen()', () => {
  it('serves the API on 127.0.0.1 with a random port and absolute links to itself', async () => {
    sim = createSimulator({ clock: createManualClock() });
    const { baseUrl } = await sim.listen();
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ias\/v1$/);
    const headers = { 'X-Api-Key': 'sim-api-key', 'content-type': 'application/json' };
    const launched = await fetch(`${baseUrl}/scans`, { method: 'POST', headers, body: JSON.stringify({ scan_config: { id: DEMO.full } }) });
    expect(launched.status).toBe(201);
    expect(await launched.text()).toBe('');
    const location = launched.headers.get('location') ?? '';
    expect(location.startsWith(`${baseUrl}/scans/`)).toBe(true);
    const scan = await fetch(location, { headers });
    expect(scan.headers.get('r7-correlation-id')).toBeTruthy();
    expect(((await scan.json()) as { status: string }).status).toBe('QUEUED');
    const page = (await (await fetch(`${baseUrl}/search?size=1`, { method: 'POST', headers, body: JSON.stringify({ type: 'SCAN_CONFIG', query: `scanconfig.app.id='${DEMO.shop}'` }) })).json()) as { links: { rel: string; href: string }[] };
    expect(page.links.find((l) => l.rel === 'next')?.href).toBe(`${baseUrl}/search?index=1&size=1`);
    expect((await fetch(`${baseUrl}/apps`)).status).toBe(401);
  });

  it('destroys the socket on a reset fault', async () => {
    sim = createSimulator({ clock: createManualClock() });
    const { baseUrl } = await sim.listen();
    sim.faults.add({ route: 'GET /apps', kind: 'reset', times: 1 });
    const error = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
      const req = request(`${baseUrl}/apps`, { headers: { 'X-Api-Key': 'sim-api-key', connection: 'close' } }, () => reject(new Error('expected no response')));
      req.on('error', resolve);
      req.end();
    });
    expect(error.code).toBe('ECONNRESET');
    expect((await fetch(`${baseUrl}/apps`, { headers: { 'X-Api-Key': 'sim-api-key' } })).status).toBe(200);
  });

  it('stops accepting connections after close()', async () => {
    sim = createSimulator({ clock: createManualClock() });
    const listener = await sim.listen({ port: 0 });
    await listener.close();
    await expect(fetch(`${listener.baseUrl}/apps`)).rejects.toThrow();
  });
});
