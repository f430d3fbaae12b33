import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from './clock.js';
import { generateScenario, GENERATED_IDS } from './generate-scenario.js';
import { createSimulator, type Simulator } from './simulator.js';

const BASE = 'http://127.0.0.1:9999/ias/v1';
interface Page {
  data: { id: string; links: { rel: string; href: string }[] }[];
  metadata: { index: number; size: number; total_data: number; total_pages: number };
  links: { rel: string; href: string }[];
}

let sim: Simulator;
let clock: ManualClock;
const KEY = { 'X-Api-Key': 'sim-api-key', 'content-type': 'application/json' };
const ALL = JSON.stringify({ type: 'VULNERABILITY', query: `vulnerability.app.id='${GENERATED_IDS.app}'` });

async function search(url: string, body = ALL): Promise<{ status: number; page: Page }> {
  const res = await sim.fetch(url, { method: 'POST', headers: KEY, body });
  return { status: res.status, page: (await res.json()) as Page };
}

beforeEach(async () => {
  clock = createManualClock();
  sim = createSimulator({ scenario: generateScenario({ findings: 2500, modules: 12, seed: 7 }), clock });
  const launched = await sim.fetch(`${BASE}/scans`, { method: 'POST', headers: KEY, body: JSON.stringify({ scan_config: { id: GENERATED_IDS.scanConfig } }) });
  expect(launched.status).toBe(201);
  clock.advance(60 * 60 * 1000);
});

afterEach(async () => {
  await sim.close();
});

const rels = (page: Page): string[] => page.links.map((l) => l.rel);

describe('pagination', () => {
  it('gives metadata with the requested size and first/self/next/last links on page 0', async () => {
    const { page } = await search(`${BASE}/search?size=1000`);
    expect(page.metadata).toEqual({ index: 0, size: 1000, total_data: 2500, total_pages: 3 });
    expect(page.data).toHaveLength(1000);
    expect(page.links).toEqual([
      { rel: 'first', href: `${BASE}/search?index=0&size=1000` },
      { rel: 'self', href: `${BASE}/search` },
      { rel: 'next', href: `${BASE}/search?index=1&size=1000` },
      { rel: 'last', href: `${BASE}/search?index=2&size=1000` },
    ]);
  });

  it('walks every page by POSTing the same body to the next href, without repeats', async () => {
    const seen = new Set<string>();
    let url: string | undefined = `${BASE}/search?size=1000`;
    let pages = 0;
    while (url) {
      const { page } = await search(url);
      for (const item of page.data) seen.add(item.id);
      pages += 1;
      url = page.links.find((l) => l.rel === 'next')?.href;
    }
    expect(pages).toBe(3);
    expect(seen.size).toBe(2500);
  });

  it('has previous but no next on the last page', async () => {
    const { page } = await search(`${BASE}/search?index=2&size=1000`);
    expect(page.data).toHaveLength(500);
    expect(rels(page)).toEqual(['first', 'self', 'previous', 'last']);
    expect(page.links.find((l) => l.rel === 'previous')?.href).toBe(`${BASE}/search?index=1&size=1000`);
  });

  it('answers 200 with empty data for an index past the end', async () => {
    const { status, page } = await search(`${BASE}/search?index=9&size=1000`);
    expect(status).toBe(200);
    expect(page.data).toEqual([]);
    expect(page.metadata.total_data).toBe(2500);
    expect(rels(page)).not.toContain('next');
  });

  it('carries only self on a one-page result and echoes the default size 50', async () => {
    const body = JSON.stringify({ type: 'APP', query: "app.name='Generated App'" });
    const { page } = await search(`${BASE}/search`, body);
    expect(page.metadata).toEqual({ index: 0, size: 50, total_data: 1, total_pages: 1 });
    expect(page.links).toEqual([{ rel: 'self', href: `${BASE}/search` }]);
  });

  it('reports total_pages 0 and only self for an empty result', async () => {
    const body = JSON.stringify({ type: 'APP', query: "app.name='nothing'" });
    const { page } = await search(`${BASE}/search`, body);
    expect(page.metadata).toEqual({ index: 0, size: 50, total_data: 0, total_pages: 0 });
    expect(rels(page)).toEqual(['self']);
  });

  it.each(['0', '1001', '-1', 'abc', '2.5'])('answers 400 for size=%s', async (size) => {
    const { status, page } = await search(`${BASE}/search?size=${size}`);
    expect(status).toBe(400);
    expect((page as unknown as { status: number }).status).toBe(400);
  });

  it('answers 400 for a negative index', async () => {
    expect((await search(`${BASE}/search?index=-1`)).status).toBe(400);
  });

  it('accepts size 1 and 1000', async () => {
    expect((await search(`${BASE}/search?size=1`)).page.metadata.total_pages).toBe(2500);
    expect((await search(`${BASE}/search?size=1000`)).status).toBe(200);
  });

  it('pages GET collections the same way, with resource self links on items', async () => {
    const res = await sim.fetch(`${BASE}/vulnerabilities?index=1&size=1000`, { headers: KEY });
    const page = (await res.json()) as Page;
    expect(page.metadata).toEqual({ index: 1, size: 1000, total_data: 2500, total_pages: 3 });
    expect(page.links.find((l) => l.rel === 'self')?.href).toBe(`${BASE}/vulnerabilities`);
    expect(page.links.find((l) => l.rel === 'next')?.href).toBe(`${BASE}/vulnerabilities?index=2&size=1000`);
    const item = page.data[0]!;
    expect(item.links[0]?.href).toBe(`${BASE}/vulnerabilities/${item.id}`);
  });

  it('gives search items a /search/<id> self link', async () => {
    const { page } = await search(`${BASE}/search?size=1`);
    const item = page.data[0]!;
    expect(item.links).toEqual([{ rel: 'self', href: `${BASE}/search/${item.id}` }]);
  });
});
