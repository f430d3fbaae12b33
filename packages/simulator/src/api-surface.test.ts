import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from './clock.js';
import { DEMO_IDS as DEMO } from './demo-ids.js';
import { createSimulator, type Simulator } from './simulator.js';

const ORIGIN = 'http://ias.sim:8080/ias/v1';
let sim: Simulator;

function call(path: string, init: RequestInit = {}, key: string | null = 'sim-api-key'): Promise<Response> {
  const headers = new Headers(init.headers);
  if (key !== null) headers.set('X-Api-Key', key);
  return sim.fetch(`${ORIGIN}${path}`, { ...init, headers });
}

afterEach(async () => {
  await sim.close();
});

describe('authentication and headers', () => {
  it.each([
    ['no key', null],
    ['a wrong key', 'nope'],
  ])('answers 401 Unauthorized with %s, with a correlation id', async (_label, key) => {
    sim = createSimulator({ clock: createManualClock() });
    const res = await call('/apps', {}, key);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ status: 401, message: 'Unauthorized' });
    expect(res.headers.get('r7-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts the key header in any case and sends JSON with a fresh correlation id each time', async () => {
    sim = createSimulator({ clock: createManualClock(), apiKey: 'k1' });
    const a = await call('/apps', { headers: { 'x-api-key': 'k1' } }, null);
    const b = await call('/apps', { headers: { 'X-API-KEY': 'k1' } }, null);
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(a.headers.get('r7-correlation-id')).not.toBe(b.headers.get('r7-correlation-id'));
  });

  it('reports the request URL on in-process responses, for error messages', async () => {
    sim = createSimulator({ clock: createManualClock() });
    const res = await call('/apps?size=5');
    expect(res.url).toBe(`${ORIGIN}/apps?size=5`);
  });

  it('serves /validate at the root', async () => {
    sim = createSimulator({ clock: createManualClock() });
    const ok = await sim.fetch('http://ias.sim/validate', { headers: { 'X-Api-Key': 'sim-api-key' } });
    expect(await ok.json()).toEqual({ message: 'Authorized' });
    const bad = await sim.fetch('http://ias.sim/validate');
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ message: 'Unauthorized' });
  });
});

describe('resources', () => {
  it.each([
    ['/apps/00000000-0000-4000-8000-000000000000', 'App'],
    ['/scan-configs/00000000-0000-4000-8000-000000000000', 'Scan config'],
    ['/scans/00000000-0000-4000-8000-000000000000', 'Scan'],
    ['/vulnerabilities/00000000-0000-4000-8000-000000000000', 'Vulnerability'],
    ['/modules/00000000-0000-4000-8000-000000000000', 'Module'],
    ['/no-such-route', 'No route'],
  ])('answers 404 with the error body for %s', async (path, word) => {
    sim = createSimulator({ clock: createManualClock() });
    const res = await call(path);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { status: number; message: string };
    expect(body.status).toBe(404);
    expect(body.message).toContain(word);
  });

  it('returns one app with a resource self link carrying the port', async () => {
    sim = createSimulator({ clock: createManualClock() });
    const app = (await (await call(`/apps/${DEMO.shop}`)).json()) as { name: string; links: { rel: string; href: string }[] };
    expect(app.name).toBe('Demo Shop');
    expect(app.links).toEqual([{ rel: 'self', href: `http://ias.sim:8080/ias/v1/apps/${DEMO.shop}` }]);
  });

  it('uses the scheme default port in links when the URL has none', async () => {
    sim = createSimulator({ clock: createManualClock() });
    const res = await sim.fetch(`https://ias.sim/ias/v1/apps/${DEMO.shop}`, { headers: { 'X-Api-Key': 'sim-api-key' } });
    const app = (await res.json()) as { links: { href: string }[] };
    expect(app.links[0]?.href).toBe(`https://ias.sim:443/ias/v1/apps/${DEMO.shop}`);
  });

  it('returns a scan config with its app, attack template and errors', async () => {
    sim = createSimulator({ clock: createManualClock() });
    const config = (await (await call(`/scan-configs/${DEMO.paymentsStaging}`)).json()) as Record<string, unknown>;
    expect(config).toMatchObject({ name: 'Payments staging', app: { id: DEMO.payments }, errors: ['Seed URL list must not be empty'] });
    expect(config['attack_template']).toEqual({ id: expect.any(String) });
  });

  it('lists scan configs by name, including a quote and a prefix pair', async () => {
    sim = createSimulator({ clock: createManualClock() });
    const page = (await (await call('/scan-configs')).json()) as { data: { name: string }[] };
    const names = page.data.map((c) => c.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(["Bob's nightly", 'Full', 'Full Audit']));
  });

  it('stores the options document: GET, PUT replaces, GET returns the new one', async () => {
    sim = createSimulator({ clock: createManualClock() });
    const before = (await (await call(`/scan-configs/${DEMO.full}/options`)).json()) as { crawl_config: unknown };
    expect(before.crawl_config).toBeDefined();
    const doc = { crawl_config: { seed_url_list: [{ value: 'https://new.example/' }] } };
    const put = await call(`/scan-configs/${DEMO.full}/options`, { method: 'PUT', body: JSON.stringify(doc), headers: { 'content-type': 'application/json' } });
    expect(put.status).toBe(200);
    expect(await (await call(`/scan-configs/${DEMO.full}/options`)).json()).toEqual(doc);
    const bad = await call(`/scan-configs/${DEMO.full}/options`, { method: 'PUT', body: '[1]' });
    expect(bad.status).toBe(422);
  });

  it('lists modules as a bare array of {id, name, description}', async () => {
    sim = createSimulator({ clock: createManualClock() });
    const modules = (await (await call('/modules')).json()) as Record<string, unknown>[];
    expect(Array.isArray(modules)).toBe(true);
    expect(modules.length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(modules[0] ?? {}).sort()).toEqual(['description', 'id', 'name']);
    expect(modules.map((m) => m['name'])).toEqual(expect.arrayContaining(['SQL Injection', 'Cross-site Scripting', 'X-Frame-Options', 'Content Security Policy']));
  });

  it('serves a module, an attack and its documentation', async () => {
    sim = createSimulator({ clock: createManualClock() });
    const module = (await (await call(`/modules/${DEMO.xFrameOptions}`)).json()) as { name: string };
    expect(module.name).toBe('X-Frame-Options');
    const attack = await (await call(`/modules/${DEMO.xFrameOptions}/attacks/XFrameAttack_1`)).json();
    expect(attack).toMatchObject({ id: 'XFrameAttack_1', type: 'XFrameOptions', class: 'Best Practice' });
    const doc = (await (await call(`/modules/${DEMO.xFrameOptions}/attacks/XFrameAttack_1/documentation`)).json()) as Record<string, unknown>;
    expect(Object.keys(doc).sort()).toEqual(['description', 'recommendation', 'references']);
    expect(doc['description']).toContain('<code>');
    expect(Object.values(doc['references'] as Record<string, string>)[0]).toMatch(/^https:\/\//);
    expect((await call(`/modules/${DEMO.xFrameOptions}/attacks/NOPE`)).status).toBe(404);
  });

  it('answers 400 for a body that is not JSON', async () => {
    sim = createSimulator({ clock: createManualClock() });
    const res = await call('/search', { method: 'POST', body: '{oops' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/not valid JSON/);
  });

  it('loads the empty scenario', async () => {
    sim = createSimulator({ clock: createManualClock(), scenario: 'empty' });
    const page = (await (await call('/apps')).json()) as { data: unknown[]; metadata: { total_pages: number } };
    expect(page.data).toEqual([]);
    expect(page.metadata.total_pages).toBe(0);
    expect(await (await call('/modules')).json()).toEqual([]);
  });

  it('refuses an unknown scenario name', () => {
    expect(() => createSimulator({ scenario: 'nope' })).toThrow(/Unknown scenario "nope"/);
  });
});
