import { describe, expect, it } from 'vitest';
import type { FetchLike } from '../effects';
import type { ReportSink } from '../report/sink';
import { createHarness, SIM_BASE_URL } from '../testing/sim-harness';
import { formatPreflightMarkdown, preflightOfInvalidSettings, runPreflight, type PreflightEffects, type PreflightResult } from './preflight';

// What undici's fetch rejects with when a name does not resolve or nothing listens on the port.
const systemError = (code: string): TypeError => new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ${code}`), { code }) });

/** The simulator answers for its own host only: any other host fails as DNS would. */
function onlySimHost(fetch: FetchLike): FetchLike {
  const simHost = new URL(SIM_BASE_URL).host;
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.host !== simHost) throw systemError('ENOTFOUND');
    return fetch(input, init);
  };
}

function setup() {
  const h = createHarness();
  const effects: PreflightEffects = { ...h.effects, fetch: onlySimHost(h.effects.fetch), retries: 0 };
  return { h, effects };
}

const item = (result: PreflightResult, check: string) => result.items.find((i) => i.check === check);
const failures = (result: PreflightResult) => result.items.filter((i) => i.state === 'failed').map((i) => i.check);

describe('runPreflight against the simulator', () => {
  it('passes a good job with one line per check and launches nothing', async () => {
    const { h, effects } = setup();
    const result = await runPreflight(h.job({ gateQuery: "vulnerability.severity='HIGH'" }), effects);
    expect(failures(result)).toEqual([]);
    expect(result).toMatchObject({ ok: true, exitCode: 0, app: { name: 'Demo Shop' }, scanConfig: { name: 'Full' } });
    expect(item(result, 'api-key')).toMatchObject({ state: 'ok', message: `apiKey is accepted by ${SIM_BASE_URL}` });
    expect(item(result, 'target')?.message).toMatch(/^application 'Demo Shop' \(.+\), scan configuration 'Full' \(.+\)$/);
    expect(item(result, 'gate-query')?.message).toBe("gate: vulnerability.severity = 'HIGH'");
    expect(item(result, 'proxy')?.state).toBe('skipped');
    for (const i of result.items) expect(i.message).not.toContain('\n');
    expect(h.sim.state.scans()).toEqual([]);
    expect(h.sim.counters.get('POST /scans')).toBe(0);
    expect(h.sink.files.size).toBe(0);
    // The key is proved with one authenticated GET.
    expect(h.sim.counters.get('GET /apps')).toBe(1);
  });

  it('names a bad API key (exit 5) and skips what needs the API', async () => {
    const { h, effects } = setup();
    const result = await runPreflight(h.job({ apiKey: 'wrong-key-1234' }), { ...effects, inputNames: { apiKey: 'IAS_API_KEY' } });
    expect(result.exitCode).toBe(5);
    expect(item(result, 'api-key')).toMatchObject({ state: 'failed', exitCode: 5 });
    expect(item(result, 'api-key')?.message).toMatch(/^IAS_API_KEY is not accepted by .+ \(401 Unauthorized\); check that the key is valid/);
    expect(item(result, 'target')?.state).toBe('skipped');
    expect(JSON.stringify(result)).not.toContain('wrong-key-1234');
  });

  it('names an unknown region by its host (exit 5)', async () => {
    const { h, effects } = setup();
    const job = { ...h.job(), region: 'xx', baseUrl: 'https://xx.api.insight.rapid7.com/ias/v1' };
    const result = await runPreflight(job, { ...effects, inputNames: { region: '--region' } });
    expect(result.exitCode).toBe(5);
    expect(item(result, 'api-key')?.message).toBe(
      'https://xx.api.insight.rapid7.com (region xx) cannot be reached: the host xx.api.insight.rapid7.com does not exist; check --region (the region of your InsightAppSec organisation) and the network.',
    );
  });

  it('names an unknown application with the closest names (exit 2)', async () => {
    const { h, effects } = setup();
    const result = await runPreflight(h.job({ app: 'Demo Shp' }), { ...effects, inputNames: { app: '--app' } });
    expect(result).toMatchObject({ ok: false, exitCode: 2 });
    expect(failures(result)).toEqual(['target']);
    expect(item(result, 'target')?.message).toMatch(/^--app 'Demo Shp' matches no application \(closest: 'Demo Shop'\)/);
  });

  it('names an unknown scan configuration (exit 2)', async () => {
    const { h, effects } = setup();
    const result = await runPreflight(h.job({ scanConfig: 'Nightly' }), effects);
    expect(result.exitCode).toBe(2);
    expect(item(result, 'target')?.message).toMatch(/^scanConfig 'Nightly' matches no scan configuration of 'Demo Shop'/);
  });

  it('names a bad gate query with the parser message (exit 2)', async () => {
    const { h, effects } = setup();
    const result = await runPreflight({ ...h.job(), gateQuery: 'vulnerability.severity="HIGH"' }, { ...effects, inputNames: { gateQuery: 'IAS_GATE_QUERY' } });
    expect(result.exitCode).toBe(2);
    expect(failures(result)).toEqual(['gate-query']);
    expect(item(result, 'gate-query')?.message).toMatch(/^IAS_GATE_QUERY is not a valid query: /);
  });

  it('names an unwritable output folder with the system code (exit 2)', async () => {
    const { h, effects } = setup();
    const sink: ReportSink = {
      create: () => Promise.reject(new Error('not used')),
      prepare: () => Promise.reject(Object.assign(new Error('EACCES: permission denied, mkdir'), { code: 'EACCES', syscall: 'mkdir' })),
    };
    const result = await runPreflight(h.job({ outputDir: '/srv/locked/reports' }), { ...effects, sink, inputNames: { outputDir: '--output-dir' } });
    expect(result.exitCode).toBe(2);
    expect(item(result, 'output-folder')?.message).toBe("--output-dir '/srv/locked/reports' cannot be written (EACCES); choose a folder this step may write to.");
  });

  it('names a proxy that does not answer as a proxy problem, never showing its password (exit 5)', async () => {
    const { h, effects } = setup();
    const refused: FetchLike = () => Promise.reject(systemError('ECONNREFUSED'));
    const result = await runPreflight(h.job(), { ...effects, fetch: refused, proxy: 'http://build:Pr0xyS3cret@127.0.0.1:9' });
    expect(result.exitCode).toBe(5);
    expect(item(result, 'proxy')?.message).toBe(
      `the proxy http://127.0.0.1:9 did not carry the request to ${new URL(SIM_BASE_URL).origin} (ECONNREFUSED); check the proxy URL, its credentials and that it allows this host, or set NO_PROXY for it.`,
    );
    expect(item(result, 'api-key')?.state).toBe('skipped');
    expect(JSON.stringify(result)).not.toContain('Pr0xyS3cret');
  });

  it('names a proxy that wants credentials (407) as a proxy problem', async () => {
    const { h, effects } = setup();
    const auth: FetchLike = async () => new Response('', { status: 407, statusText: 'Proxy Authentication Required' });
    const result = await runPreflight(h.job(), { ...effects, fetch: auth, proxy: 'http://127.0.0.1:3128' });
    expect(item(result, 'proxy')?.message).toMatch(/^the proxy http:\/\/127\.0\.0\.1:3128 did not carry the request .+ \(the proxy refused the request \(407 Proxy Authentication Required\)\)/);
  });

  it('names a gateway error written by the proxy (no correlation id) as a proxy problem', async () => {
    const { h, effects } = setup();
    const gateway: FetchLike = async () => new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' });
    const result = await runPreflight(h.job(), { ...effects, fetch: gateway, proxy: 'http://127.0.0.1:3128' });
    expect(result.exitCode).toBe(5);
    expect(item(result, 'proxy')?.message).toBe(`the proxy http://127.0.0.1:3128 answered 502 for ${new URL(SIM_BASE_URL).origin}, so it could not reach the API; check baseUrl and that the proxy allows this host.`);
    // The same status from the API itself (it carries a correlation id) is an API problem, not the proxy's.
    h.sim.faults.add({ route: 'GET /apps', kind: 'status', status: 502 });
    const api = await runPreflight(h.job(), { ...effects, proxy: 'http://127.0.0.1:3128' });
    expect(item(api, 'proxy')?.state).toBe('ok');
    expect(item(api, 'api-key')).toMatchObject({ state: 'failed', exitCode: 5 });
  });

  it('says the proxy worked when the API answered through it', async () => {
    const { h, effects } = setup();
    const result = await runPreflight(h.job(), { ...effects, proxy: 'http://127.0.0.1:3128' });
    expect(item(result, 'proxy')).toMatchObject({ state: 'ok', message: 'the API answered through the proxy http://127.0.0.1:3128' });
  });

  it('names an unknown scan id and unreadable gate files (exit 2)', async () => {
    const { h, effects } = setup();
    const result = await runPreflight(h.job({ scanId: '11111111-2222-4333-8444-555555555555', baseline: 'missing.json' }), {
      ...effects,
      readText: () => Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' })),
    });
    expect(failures(result)).toEqual(['gate-files', 'scan-id']);
    expect(item(result, 'gate-files')?.message).toBe("baseline 'missing.json' could not be read (ENOENT); check the path.");
    expect(item(result, 'scan-id')?.message).toMatch(/^scanId '11111111-2222-4333-8444-555555555555' is not the id of a scan this API key can see/);
  });
});

describe('formatPreflightMarkdown', () => {
  it('escapes each message into one table cell, so a name from the API becomes no markup', () => {
    const result = preflightOfInvalidSettings(["app 'Shop <img src=x>|x\n## y' matches nothing."]);
    const markdown = formatPreflightMarkdown(result, 'InsightAppSec check');
    expect(markdown).toContain('| FAILED | settings | app \'Shop &lt;img src=x&gt;\\|x \\#\\# y\' matches nothing. |');
    expect(markdown.split('\n').filter((l) => l.startsWith('## '))).toEqual(['## InsightAppSec check']);
    expect(markdown).toContain('Preflight failed: 1 of 1 checks failed; nothing was launched; exit 2');
  });
});
