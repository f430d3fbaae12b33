import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from './clock.js';
import { DEMO_IDS as DEMO, DEMO_SCAN_SECONDS } from './demo-ids.js';
import { createSimulator, type Simulator } from './simulator.js';

const BASE = 'http://ias.sim:8080/ias/v1';
const HEADERS = { 'X-Api-Key': 'sim-api-key', 'content-type': 'application/json' };
let sim: Simulator;
let clock: ManualClock;

const getApps = (): Promise<Response> => sim.fetch(`${BASE}/apps`, { headers: HEADERS });
const postScan = (): Promise<Response> => sim.fetch(`${BASE}/scans`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ scan_config: { id: DEMO.full } }) });

beforeEach(() => {
  clock = createManualClock();
  sim = createSimulator({ clock });
});

afterEach(async () => {
  await sim.close();
});

describe('fault rules', () => {
  it('answers 429 with Retry-After on every second request of a route', async () => {
    sim.faults.add({ route: 'GET /apps', kind: 'status', status: 429, retryAfter: 3, every: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const res = await getApps();
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers.get('retry-after')).toBe('3');
        expect(await res.json()).toEqual({ status: 429, message: 'Too Many Requests' });
        expect(res.headers.get('r7-correlation-id')).toBeTruthy();
      }
    }
    expect(statuses).toEqual([200, 429, 200, 429]);
  });

  it('applies to the first N matching requests only, and only on its route', async () => {
    sim.faults.add({ route: 'GET /apps', kind: 'status', status: 503, times: 2, retryAfter: 'Wed, 21 Oct 2026 07:28:00 GMT' });
    expect((await sim.fetch(`${BASE}/modules`, { headers: HEADERS })).status).toBe(200);
    const first = await getApps();
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('Wed, 21 Oct 2026 07:28:00 GMT');
    expect((await getApps()).status).toBe(503);
    expect((await getApps()).status).toBe(200);
  });

  it('applies every route when the rule names none, until cleared', async () => {
    sim.faults.add({ kind: 'status', status: 500 });
    expect((await getApps()).status).toBe(500);
    expect((await sim.fetch(`${BASE}/modules`, { headers: HEADERS })).status).toBe(500);
    sim.faults.clear();
    expect((await getApps()).status).toBe(200);
  });

  it('drops the connection on reset: fetch rejects like undici with ECONNRESET, nothing is created', async () => {
    sim.faults.add({ route: 'POST /scans', kind: 'reset', times: 1 });
    const error = await postScan().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as { code: string }).code).toBe('ECONNRESET');
    expect(sim.state.scans()).toHaveLength(0);
    expect((await postScan()).status).toBe(201);
  });

  it('creates the scan and then drops the connection on reset-after-commit', async () => {
    sim.faults.add({ route: 'POST /scans', kind: 'reset-after-commit', times: 1 });
    await expect(postScan()).rejects.toThrow('fetch failed');
    const scans = sim.state.scans();
    expect(scans).toHaveLength(1);
    expect(scans[0]?.scan_config.id).toBe(DEMO.full);
  });

  it('answers 200 with a body that is not JSON on invalid-json', async () => {
    sim.faults.add({ route: 'GET /apps', kind: 'invalid-json', times: 1 });
    const res = await getApps();
    expect(res.status).toBe(200);
    await expect(res.clone().json()).rejects.toThrow();
    expect(await res.text()).toMatch(/^</);
  });

  it('cuts the real JSON body in half on truncated-json', async () => {
    const full = await (await getApps()).text();
    sim.faults.add({ route: 'GET /apps', kind: 'truncated-json' });
    const cut = await (await getApps()).text();
    expect(cut.length).toBe(Math.floor(full.length / 2));
    expect(full.startsWith(cut)).toBe(true);
    expect(() => JSON.parse(cut) as unknown).toThrow();
  });

  it('keeps scans launched under never-start PENDING forever', async () => {
    sim.faults.add({ route: 'POST /scans', kind: 'never-start', times: 1 });
    const stuck = (await postScan()).headers.get('location') ?? '';
    const normal = (await postScan()).headers.get('location') ?? '';
    clock.advance(DEMO_SCAN_SECONDS * 1000 * 10);
    const status = async (url: string): Promise<string> => ((await (await sim.fetch(url, { headers: HEADERS })).json()) as { status: string }).status;
    expect(await status(stuck)).toBe('PENDING');
    expect(await status(normal)).toBe('COMPLETE');
  });

  it('keeps scans launched under never-finish RUNNING until an action moves them on', async () => {
    sim.faults.add({ route: 'POST /scans', kind: 'never-finish', times: 1 });
    const held = (await postScan()).headers.get('location') ?? '';
    const normal = (await postScan()).headers.get('location') ?? '';
    clock.advance(DEMO_SCAN_SECONDS * 1000 * 10);
    const status = async (url: string): Promise<string> => ((await (await sim.fetch(url, { headers: HEADERS })).json()) as { status: string }).status;
    expect(await status(held)).toBe('RUNNING');
    expect(await status(normal)).toBe('COMPLETE');
    const stop = await sim.fetch(`${held}/action`, { method: 'PUT', headers: { ...HEADERS, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'STOP' }) });
    expect(stop.status).toBeLessThan(300);
    clock.advance(3_600_000);
    expect(await status(held)).toBe('COMPLETE');
  });

  it('delays handling by delayMs of real time on latency', async () => {
    sim.faults.add({ route: 'GET /apps', kind: 'latency', delayMs: 60, times: 1 });
    const started = performance.now();
    expect((await getApps()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(50);
  });

  it('lets the caller abort a slow request', async () => {
    sim.faults.add({ route: 'GET /apps', kind: 'latency', delayMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await expect(sim.fetch(`${BASE}/apps`, { headers: HEADERS, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('is deterministic for a probability and seed', async () => {
    const run = async (): Promise<number[]> => {
      const s = createSimulator({ clock });
      s.faults.add({ route: 'GET /apps', kind: 'status', status: 500, probability: 0.5, seed: 42 });
      const out: number[] = [];
      for (let i = 0; i < 20; i += 1) out.push((await s.fetch(`${BASE}/apps`, { headers: HEADERS })).status);
      await s.close();
      return out;
    };
    const a = await run();
    expect(await run()).toEqual(a);
    expect(a).toContain(500);
    expect(a).toContain(200);
  });

  it('refuses a rule it cannot apply', () => {
    expect(() => sim.faults.add({ kind: 'status', every: 0 })).toThrow(RangeError);
  });
});

describe('counters', () => {
  it('counts requests by route name, faulted ones included, and resets', async () => {
    sim.faults.add({ route: 'GET /apps', kind: 'status', status: 500, times: 1 });
    await getApps();
    await getApps();
    const id = ((await postScan()).headers.get('location') ?? '').split('/').pop();
    await sim.fetch(`${BASE}/scans/${id}`, { headers: HEADERS });
    await sim.fetch(`${BASE}/modules/${DEMO.sqlInjection}/attacks/SQLI_ERROR_01/documentation`, { headers: HEADERS });
    expect(sim.counters.get('GET /apps')).toBe(2);
    expect(sim.counters.get('POST /scans')).toBe(1);
    expect(sim.counters.get('GET /scans/{id}')).toBe(1);
    expect(sim.counters.get('GET /modules/{id}/attacks/{id}/documentation')).toBe(1);
    expect(sim.counters.get('POST /search')).toBe(0);
    expect(sim.counters.total()).toBe(5);
    expect(sim.counters.snapshot()).toEqual({ 'GET /apps': 2, 'POST /scans': 1, 'GET /scans/{id}': 1, 'GET /modules/{id}/attacks/{id}/documentation': 1 });
    sim.counters.reset();
    expect(sim.counters.total()).toBe(0);
  });
});
