import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from './clock.js';
import { DEMO_IDS as DEMO, DEMO_SCAN_SECONDS } from './demo-ids.js';
import { createSimulator, type Simulator } from './simulator.js';

const BASE = 'http://ias.sim:8080/ias/v1';
const HEADERS = { 'X-Api-Key': 'sim-api-key', 'content-type': 'application/json' };
const START = Date.UTC(2026, 0, 1);
let sim: Simulator;
let clock: ManualClock;

interface ScanJson {
  id: string;
  status: string;
  submit_time: string;
  completion_time: string | null;
  failure_reason: string | null;
  app: { id: string };
  scan_config: { id: string };
}

const seconds = (n: number): number => n * 1000;

async function launch(configId: string): Promise<string> {
  const res = await sim.fetch(`${BASE}/scans`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ scan_config: { id: configId } }) });
  expect(res.status).toBe(201);
  return (res.headers.get('location') ?? '').split('/').pop() ?? '';
}

async function scan(id: string): Promise<ScanJson> {
  return (await (await sim.fetch(`${BASE}/scans/${id}`, { headers: HEADERS })).json()) as ScanJson;
}

async function act(id: string, action: string): Promise<Response> {
  return sim.fetch(`${BASE}/scans/${id}/action`, { method: 'PUT', headers: HEADERS, body: JSON.stringify({ action }) });
}

async function findingsOf(scanId: string): Promise<{ id: string; newly_discovered: boolean; first_discovered: string; last_discovered: string }[]> {
  const res = await sim.fetch(`${BASE}/search?size=1000`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ type: 'VULNERABILITY', query: `vulnerability.scans.id='${scanId}'` }) });
  return ((await res.json()) as { data: { id: string; newly_discovered: boolean; first_discovered: string; last_discovered: string }[] }).data;
}

beforeEach(() => {
  clock = createManualClock(START);
  sim = createSimulator({ clock });
});

afterEach(async () => {
  await sim.close();
});

describe('POST /scans', () => {
  it('answers 201 with an empty body and an absolute Location with the port', async () => {
    const res = await sim.fetch(`${BASE}/scans`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ scan_config: { id: DEMO.full } }) });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('');
    expect(res.headers.get('location')).toMatch(/^http:\/\/ias\.sim:8080\/ias\/v1\/scans\/[0-9a-f-]{36}$/);
    const id = res.headers.get('location')?.split('/').pop() ?? '';
    expect(await scan(id)).toMatchObject({ id, status: 'QUEUED', app: { id: DEMO.shop }, scan_config: { id: DEMO.full }, submit_time: '2026-01-01T00:00:00', completion_time: null, failure_reason: null });
    expect(sim.state.scans().map((s) => s.id)).toEqual([id]);
  });

  it.each([
    ['no body', undefined, 'scan_config.id'],
    ['no config id', JSON.stringify({ scan_config: {} }), 'scan_config.id'],
    ['an unknown config', JSON.stringify({ scan_config: { id: '00000000-0000-4000-8000-000000000000' } }), 'scan_config.id'],
    ['a config with errors', JSON.stringify({ scan_config: { id: DEMO.paymentsStaging } }), 'scan_config'],
    ['an app that does not own the config', JSON.stringify({ scan_config: { id: DEMO.full }, app: { id: DEMO.payments } }), 'app.id'],
  ])('answers 422 with errors for %s and creates nothing', async (_label, body, context) => {
    const res = await sim.fetch(`${BASE}/scans`, { method: 'POST', headers: HEADERS, ...(body === undefined ? {} : { body }) });
    expect(res.status).toBe(422);
    const json = (await res.json()) as { status: number; message: string; errors: { type: string; context: string; explanation: string }[] };
    expect(json.status).toBe(422);
    expect(json.errors.map((e) => e.context)).toContain(context);
    expect(json.errors[0]?.explanation).toEqual(expect.any(String));
    expect(sim.state.scans()).toEqual([]);
  });

  it('explains a config error in the 422 body', async () => {
    const res = await sim.fetch(`${BASE}/scans`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ scan_config: { id: DEMO.paymentsStaging } }) });
    expect(((await res.json()) as { errors: { explanation: string }[] }).errors[0]?.explanation).toBe('Seed URL list must not be empty');
  });
});

describe('scan timeline', () => {
  it.each([
    [0, 'QUEUED'],
    [29, 'QUEUED'],
    [30, 'PENDING'],
    [90, 'PROVISIONING'],
    [180, 'RUNNING'],
    [1079, 'RUNNING'],
    [1080, 'SCANNED'],
    [1140, 'PROCESSED'],
    [1199, 'PROCESSED'],
    [1200, 'COMPLETE'],
    [99999, 'COMPLETE'],
  ])('after %i s a demo scan is %s', async (after, status) => {
    const id = await launch(DEMO.full);
    clock.advance(seconds(after));
    const s = await scan(id);
    expect(s.status).toBe(status);
    expect(s.completion_time).toBe(status === 'COMPLETE' ? '2026-01-01T00:20:00' : null);
  });

  it('scales every duration by timeScale', async () => {
    await sim.close();
    sim = createSimulator({ clock, timeScale: 0.005 });
    const id = await launch(DEMO.full);
    clock.advance(5_999);
    expect((await scan(id)).status).toBe('PROCESSED');
    clock.advance(1);
    expect((await scan(id)).status).toBe('COMPLETE');
  });

  it('ends the swagger config FAILED with SWAGGER_PARSING_ERROR and no findings', async () => {
    const id = await launch(DEMO.swagger);
    clock.advance(seconds(299));
    expect((await scan(id)).status).toBe('RUNNING');
    clock.advance(seconds(1));
    expect(await scan(id)).toMatchObject({ status: 'FAILED', failure_reason: 'SWAGGER_PARSING_ERROR', completion_time: '2026-01-01T00:05:00' });
    expect(await findingsOf(id)).toEqual([]);
  });

  it('grows execution-details while running', async () => {
    const id = await launch(DEMO.full);
    const details = async (): Promise<Record<string, number | boolean>> => (await (await sim.fetch(`${BASE}/scans/${id}/execution-details`, { headers: HEADERS })).json()) as Record<string, number | boolean>;
    const before = await details();
    expect(before).toMatchObject({ links_crawled: 0, attacked: 0, requests: 0, vulnerable: 0, logged_in: false });
    clock.advance(seconds(180 + 225));
    const quarter = await details();
    clock.advance(seconds(450));
    const threeQuarters = await details();
    expect(Number(threeQuarters['attacked'])).toBeGreaterThan(Number(quarter['attacked']));
    expect(Number(threeQuarters['links_crawled'])).toBeGreaterThan(Number(quarter['links_crawled']));
    expect(Number(threeQuarters['vulnerable'])).toBe(30);
    expect(Object.keys(before).sort()).toEqual(['attacked', 'attacks_in_queue', 'drip_delay', 'failed_requests', 'links_crawled', 'links_in_queue', 'logged_in', 'network_speed', 'requests', 'vulnerable']);
  });

  it('logs phase changes as bare arrays of {time, event}', async () => {
    const id = await launch(DEMO.full);
    clock.advance(seconds(DEMO_SCAN_SECONDS));
    const platform = (await (await sim.fetch(`${BASE}/scans/${id}/platform-events`, { headers: HEADERS })).json()) as { time: string; event: string }[];
    const engine = (await (await sim.fetch(`${BASE}/scans/${id}/engine-events`, { headers: HEADERS })).json()) as { time: string; event: string }[];
    expect(platform[0]).toEqual({ time: '2026-01-01T00:00:00', event: expect.stringContaining('queued') });
    expect(platform.at(-1)).toEqual({ time: '2026-01-01T00:20:00', event: 'Scan complete' });
    expect(engine.map((e) => e.event)).toContain('Initializing Scan');
    expect(engine.find((e) => e.event === 'Initializing Scan')?.time).toBe('2026-01-01T00:03:00');
  });

  it('deletes only FAILED scans', async () => {
    const failing = await launch(DEMO.swagger);
    const running = await launch(DEMO.full);
    clock.advance(seconds(300));
    const refused = await sim.fetch(`${BASE}/scans/${running}`, { method: 'DELETE', headers: HEADERS });
    expect(refused.status).toBe(422);
    const deleted = await sim.fetch(`${BASE}/scans/${failing}`, { method: 'DELETE', headers: HEADERS });
    expect(deleted.status).toBe(204);
    expect((await sim.fetch(`${BASE}/scans/${failing}`, { headers: HEADERS })).status).toBe(404);
    expect(sim.state.scans().map((s) => s.id)).toEqual([running]);
  });

  it('lists scans newest first by default', async () => {
    const first = await launch(DEMO.full);
    clock.advance(1000);
    const second = await launch(DEMO.paymentsFull);
    const page = (await (await sim.fetch(`${BASE}/scans`, { headers: HEADERS })).json()) as { data: { id: string }[] };
    expect(page.data.map((s) => s.id)).toEqual([second, first]);
  });
});

describe('findings', () => {
  it('links the config finding set to the scan only at COMPLETE', async () => {
    const id = await launch(DEMO.full);
    clock.advance(seconds(DEMO_SCAN_SECONDS - 1));
    expect(await findingsOf(id)).toEqual([]);
    clock.advance(seconds(1));
    const found = await findingsOf(id);
    expect(found).toHaveLength(40);
    expect(found.every((f) => f.newly_discovered && f.first_discovered === '2026-01-01T00:20:00')).toBe(true);
  });

  it('re-finds the same vulnerabilities on a re-run: same ids, both scans, newly_discovered false', async () => {
    const first = await launch(DEMO.full);
    clock.advance(seconds(DEMO_SCAN_SECONDS));
    const firstIds = (await findingsOf(first)).map((f) => f.id).sort();
    const second = await launch(DEMO.full);
    clock.advance(seconds(DEMO_SCAN_SECONDS));
    const again = await findingsOf(second);
    expect(again.map((f) => f.id).sort()).toEqual(firstIds);
    expect(again.every((f) => !f.newly_discovered && f.first_discovered === '2026-01-01T00:20:00' && f.last_discovered === '2026-01-01T00:40:00')).toBe(true);
    const vuln = sim.state.vulnerabilities().find((v) => v.id === firstIds[0]);
    expect(vuln?.scans.map((s) => s.id)).toEqual([first, second]);
  });
});

describe('scan actions', () => {
  it('CANCEL: CANCELING, then FAILED with CANCELED; the pending action shows meanwhile', async () => {
    const id = await launch(DEMO.full);
    clock.advance(seconds(300));
    const res = await act(id, 'CANCEL');
    expect(res.status).toBe(200);
    expect((await scan(id)).status).toBe('CANCELING');
    const pending = await sim.fetch(`${BASE}/scans/${id}/action`, { headers: HEADERS });
    expect(await pending.json()).toEqual({ action: 'CANCEL' });
    clock.advance(seconds(5));
    expect((await act(id, 'CANCEL')).status).toBe(200);
    clock.advance(seconds(5));
    expect(await scan(id)).toMatchObject({ status: 'FAILED', failure_reason: 'CANCELED', completion_time: '2026-01-01T00:05:10' });
    expect((await sim.fetch(`${BASE}/scans/${id}/action`, { headers: HEADERS })).status).toBe(204);
    expect((await act(id, 'CANCEL')).status).toBe(422);
    clock.advance(seconds(DEMO_SCAN_SECONDS));
    expect(await findingsOf(id)).toEqual([]);
  });

  it('CANCEL works while still QUEUED', async () => {
    const id = await launch(DEMO.full);
    expect((await act(id, 'CANCEL')).status).toBe(200);
    clock.advance(seconds(60));
    expect((await scan(id)).failure_reason).toBe('CANCELED');
  });

  it('STOP halfway through RUNNING: STOPPING, SCANNED, PROCESSED, COMPLETE with half the findings', async () => {
    const id = await launch(DEMO.full);
    clock.advance(seconds(180 + 450));
    expect((await act(id, 'STOP')).status).toBe(200);
    const seen: string[] = [];
    for (const step of [0, 10, 60, 60]) {
      clock.advance(seconds(step));
      seen.push((await scan(id)).status);
    }
    expect(seen).toEqual(['STOPPING', 'SCANNED', 'PROCESSED', 'COMPLETE']);
    expect(await findingsOf(id)).toHaveLength(20);
  });

  it('PAUSE and RESUME: paused time extends the run', async () => {
    const id = await launch(DEMO.full);
    clock.advance(seconds(600));
    expect((await act(id, 'PAUSE')).status).toBe(200);
    expect((await scan(id)).status).toBe('PAUSING');
    clock.advance(seconds(5));
    expect((await scan(id)).status).toBe('PAUSED');
    clock.advance(seconds(3600));
    expect((await scan(id)).status).toBe('PAUSED');
    expect((await act(id, 'RESUME')).status).toBe(200);
    expect((await scan(id)).status).toBe('RESUMING');
    clock.advance(seconds(5));
    expect((await scan(id)).status).toBe('RUNNING');
    // 480 s of RUNNING were left at the pause, then SCANNED 60 s and PROCESSED 60 s.
    clock.advance(seconds(480 + 120 - 1));
    expect((await scan(id)).status).toBe('PROCESSED');
    clock.advance(seconds(1));
    const done = await scan(id);
    expect(done.status).toBe('COMPLETE');
    expect(done.completion_time).toBe('2026-01-01T01:20:10');
    expect(await findingsOf(id)).toHaveLength(40);
  });

  it.each([
    ['PAUSE while QUEUED', 0, 'PAUSE'],
    ['RESUME while RUNNING', 200, 'RESUME'],
    ['STOP after COMPLETE', 5000, 'STOP'],
    ['AUTHENTICATE while RUNNING', 200, 'AUTHENTICATE'],
    ['an unknown action', 200, 'EXPLODE'],
  ])('answers 422 for %s and leaves the scan alone', async (_label, after, action) => {
    const id = await launch(DEMO.full);
    clock.advance(seconds(after));
    const before = (await scan(id)).status;
    const res = await act(id, action);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { status: number; errors: { context: string }[] };
    expect(body.status).toBe(422);
    expect(body.errors[0]?.context).toBe('action');
    expect((await scan(id)).status).toBe(before);
  });
});
