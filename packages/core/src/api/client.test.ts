import { createManualClock, createSimulator } from '@ias/simulator';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors';
import { manualCoreClock, SIM_BASE_URL } from '../testing/sim-harness';
import { createApiClient, parseRetryAfter, type ApiClientOptions } from './client';
import { appSchema } from './schemas';

function setup(overrides: Partial<ApiClientOptions> = {}) {
  const clock = createManualClock();
  const sim = createSimulator({ scenario: 'demo', clock });
  const coreClock = manualCoreClock(clock);
  const seen: Request[] = [];
  const client = createApiClient({
    baseUrl: SIM_BASE_URL,
    apiKey: sim.apiKey,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      seen.push(request.clone());
      return sim.fetch(request);
    },
    userAgent: 'ias-ci-test/1.2.3 (node)',
    clock: coreClock,
    retryBaseMs: 100,
    random: () => 0.5,
    ...overrides,
  });
  return { sim, client, coreClock, seen };
}

const getApp = { method: 'GET', path: '/apps/a0000000-0000-4000-8000-000000000001', route: 'GET /apps/{id}', schema: appSchema } as const;

describe('createApiClient', () => {
  it('sends the key, the User-Agent and JSON headers, and validates the answer', async () => {
    const { client, seen } = setup();
    const response = await client.request(getApp);
    expect(response.data.name).toBe('Demo Shop');
    expect(response.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[0]?.headers.get('x-api-key')).toBe('sim-api-key');
    expect(seen[0]?.headers.get('user-agent')).toBe('ias-ci-test/1.2.3 (node)');
    expect(seen[0]?.headers.get('accept')).toBe('application/json');
  });

  it('turns a wrong key into AUTH_FAILED, naming the route and the fix, never the key', async () => {
    const { client } = setup({ apiKey: 'not-the-key-XYZ' });
    const error = await client.request(getApp).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('AUTH_FAILED');
    expect((error as ApiError).message).toBe(`GET /apps/{id} failed with 401 Unauthorized; check the API key and the region (${SIM_BASE_URL}).`);
    expect(JSON.stringify({ ...(error as ApiError), message: (error as ApiError).message })).not.toContain('not-the-key-XYZ');
  });

  it('retries 429 after the Retry-After delay and 5xx with capped exponential back-off', async () => {
    const { client, sim, coreClock } = setup();
    sim.faults.add({ route: 'GET /apps/{id}', kind: 'status', status: 429, retryAfter: 7, times: 1 });
    // Rules that match one request combine: the first request consumes one of the 503s too.
    sim.faults.add({ route: 'GET /apps/{id}', kind: 'status', status: 503, times: 3 });
    const response = await client.request(getApp);
    expect(response.status).toBe(200);
    expect(coreClock.slept).toEqual([7_000, 150, 300]);
    expect(sim.counters.get('GET /apps/{id}')).toBe(4);
  });

  it('gives up after the retries with a message counting the attempts', async () => {
    const { client, sim } = setup({ retries: 2 });
    sim.faults.add({ route: 'GET /apps/{id}', kind: 'status', status: 500 });
    const error = (await client.request(getApp).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('HTTP_ERROR');
    expect(error.status).toBe(500);
    expect(error.message).toMatch(/^GET \/apps\/\{id\} failed with 500 Internal Server Error.* after 3 attempts; the InsightAppSec API is having trouble, try again later \(correlation id [0-9a-f-]{36}\)\.$/);
    expect(error.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('retries connection resets, then reports NETWORK_ERROR with the cause', async () => {
    const { client, sim } = setup({ retries: 1 });
    sim.faults.add({ route: 'GET /apps/{id}', kind: 'reset' });
    const error = (await client.request(getApp).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toBe('GET /apps/{id} could not reach http://ias.sim.test:8080 (ECONNRESET) after 2 attempts; check the network, the proxy and the base URL or region.');
  });

  it('reports invalid JSON as RESPONSE_INVALID without retrying', async () => {
    const { client, sim } = setup();
    sim.faults.add({ route: 'GET /apps/{id}', kind: 'invalid-json', times: 1 });
    const error = (await client.request(getApp).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('RESPONSE_INVALID');
    expect(error.message).toMatch(/^GET \/apps\/\{id\} returned a body that is not valid JSON/);
    expect(sim.counters.get('GET /apps/{id}')).toBe(1);
  });

  it('names the field when a response has the wrong shape', async () => {
    const client = createApiClient({
      baseUrl: SIM_BASE_URL,
      apiKey: 'k-123456',
      userAgent: 'x',
      clock: manualCoreClock(createManualClock()),
      fetch: async () => new Response(JSON.stringify({ id: 5, name: 'x' }), { status: 200, headers: { 'content-type': 'application/json' } }),
    });
    const error = (await client.request(getApp).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('RESPONSE_INVALID');
    expect(error.message).toMatch(/^GET \/apps\/\{id\} returned an unexpected shape: field 'id' /);
  });

  it('times out a request that takes too long, retries it, then reports TIMEOUT naming the route', async () => {
    const { client, sim } = setup({ timeoutMs: 50, retries: 1 });
    sim.faults.add({ route: 'GET /apps/{id}', kind: 'latency', delayMs: 300 });
    const error = (await client.request(getApp).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toBe('GET /apps/{id} timed out after 50ms after 2 attempts; the API did not answer in time, raise the request timeout or try again later.');
    expect(sim.counters.get('GET /apps/{id}')).toBe(2);
  });

  it('re-roots absolute links on the configured base URL, so the key never goes to another host', async () => {
    const { client, seen } = setup();
    await client.request({ ...getApp, path: 'https://elsewhere.example:443/ias/v1/apps/a0000000-0000-4000-8000-000000000001' });
    expect(new URL(seen[0]?.url ?? '').origin).toBe('http://ias.sim.test:8080');
  });

  it('stops at once with ABORTED when the run is cancelled', async () => {
    const controller = new AbortController();
    controller.abort(new Error('SIGINT'));
    const { client } = setup({ signal: controller.signal });
    const error = (await client.request(getApp).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('ABORTED');
  });
});

describe('outbound policy (issue 17, items 1 and 3)', () => {
  const realClock = { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
  const base = 'https://ias.example.test/ias/v1';
  const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
  function client(fetch: ApiClientOptions['fetch'], overrides: Partial<ApiClientOptions> = {}) {
    return createApiClient({ baseUrl: base, apiKey: 'KEY-never-elsewhere', fetch, userAgent: 'test', clock: realClock, retries: 0, ...overrides });
  }
  /** A fetch that records every request (URL and key) and answers with `answer`. */
  function recording(answer: (request: Request) => Response | Promise<Response>) {
    const seen: { url: string; key: string | null; redirect: RequestRedirect; method: string }[] = [];
    const fetch: ApiClientOptions['fetch'] = async (input, init) => {
      const request = new Request(input, init);
      seen.push({ url: request.url, key: request.headers.get('x-api-key'), redirect: request.redirect, method: request.method });
      return answer(request);
    };
    return { seen, fetch };
  }

  it('asks the transport never to follow redirects, and refuses one to another origin naming both, the key never sent there', async () => {
    for (const location of ['https://evil.example:8443/ias/v1/apps/x', 'http://ias.example.test/ias/v1/apps/x', 'https://ias.example.test:444/x', '//evil.example/x']) {
      const { seen, fetch } = recording((request) => (new URL(request.url).origin === 'https://ias.example.test' ? json({}, 302, { location }) : json({ id: 'a', name: 'stolen' })));
      const error = (await client(fetch).request({ ...getApp }).catch((e: unknown) => e)) as ApiError;
      expect(error).toBeInstanceOf(ApiError);
      expect(error.code).toBe('HTTP_ERROR');
      expect(error.message).toContain(`was redirected from https://ias.example.test to another origin, ${new URL(location, base).origin}`);
      expect(seen).toHaveLength(1);
      expect(seen[0]?.redirect).toBe('manual');
    }
  });

  it('follows a same-origin redirect (303 as a GET), a bounded number of times', async () => {
    const { seen, fetch } = recording((request) =>
      request.url.endsWith('/apps/a0000000-0000-4000-8000-000000000001') ? json({}, 303, { location: '/ias/v1/apps/moved' }) : json({ id: 'a0000000-0000-4000-8000-000000000001', name: 'Moved' }),
    );
    const response = await client(fetch).request({ ...getApp, method: 'POST', json: {} } as never);
    expect((response.data as unknown as { name: string }).name).toBe('Moved');
    expect(seen.map((s) => `${s.method} ${new URL(s.url).pathname} ${s.key}`)).toEqual(['POST /ias/v1/apps/a0000000-0000-4000-8000-000000000001 KEY-never-elsewhere', 'GET /ias/v1/apps/moved KEY-never-elsewhere']);
    const loop = recording(() => json({}, 307, { location: '/ias/v1/again' }));
    const error = (await client(loop.fetch).request(getApp).catch((e: unknown) => e)) as ApiError;
    expect(error.message).toMatch(/was redirected more than 5 times/);
    expect(loop.seen).toHaveLength(6);
  });

  it('refuses a base URL with credentials', () => {
    expect(() => client(async () => json({}), { baseUrl: 'https://u:p@ias.example.test/ias/v1' })).toThrow(/carries credentials/);
  });

  it('ends a body trickled at one byte a second within the request timeout', async () => {
    const encoder = new TextEncoder();
    let timer: ReturnType<typeof setInterval> | undefined;
    const fetch: ApiClientOptions['fetch'] = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(encoder.encode('{'));
            timer = setInterval(() => controller.enqueue(encoder.encode(' ')), 1_000);
          },
          cancel() {
            clearInterval(timer);
          },
        }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      );
    const started = Date.now();
    const error = (await client(fetch, { timeoutMs: 300 }).request(getApp).catch((e: unknown) => e)) as ApiError;
    clearInterval(timer);
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toBe('GET /apps/{id} timed out after 300ms while reading the response; the API sent its answer too slowly, raise the request timeout or try again later.');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses a body above its cap without reading the rest', async () => {
    let pulled = 0;
    const fetch: ApiClientOptions['fetch'] = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            pulled += 1;
            controller.enqueue(new Uint8Array(64 * 1024).fill(32));
          },
        }),
        { status: 200 },
      );
    const error = (await client(fetch).request({ ...getApp, maxBytes: 1024 * 1024 }).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('RESPONSE_INVALID');
    expect(error.message).toBe('GET /apps/{id} returned a body larger than 1 MiB, more than any real answer; the API or a proxy in between sent a broken response.');
    expect(pulled).toBeLessThan(40);
  });

  it('cuts a failing request at its deadline: no retry waits past it', async () => {
    const { seen, fetch } = recording(() => json({}, 503));
    const started = Date.now();
    const error = (await client(fetch, { retries: 5, retryBaseMs: 2_000 }).request({ ...getApp, deadline: Date.now() + 300 }).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('HTTP_ERROR');
    expect(seen).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2_000);
    const hanging: ApiClientOptions['fetch'] = (_input, init) => new Promise((_, reject) => (init?.signal ?? (_input as Request).signal)?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const cut = (await client(hanging, { timeoutMs: 60_000 }).request({ ...getApp, deadline: Date.now() + 200 }).catch((e: unknown) => e)) as ApiError;
    expect(cut.code).toBe('TIMEOUT');
    expect(cut.message).toMatch(/budget ended/);
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['5', 5_000],
    ['0', 0],
    ['Thu, 01 Jan 2026 00:00:10 GMT', 10_000],
    ['soon', undefined],
    [null, undefined],
  ])('%j → %j ms', (value, ms) => {
    expect(parseRetryAfter(value, Date.parse('2026-01-01T00:00:00Z'))).toBe(ms);
  });
});
