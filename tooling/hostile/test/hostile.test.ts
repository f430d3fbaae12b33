// The hostile-server suite of issue 17: each case runs against the BUILT bundle of every host (ias CLI, GitHub
// Action, Azure DevOps task, Bamboo task). A case behaves when the run ends by itself within the configured budgets
// plus one request timeout (and a start-up allowance), with the expected verdict, without the key ever reaching
// another origin or any output. Tried/behaved counts per category are printed at the end (console only).
import { afterAll, describe, expect, it } from 'vitest';
import { startHostileServer, startTunnelDroppingProxy, type HostileCase } from '../src/hostile-server';
import { CANARY_KEY, HOSTS, type Host, type ResultName, type Settings } from './hosts';
import { keyLeaks, runHost, shownText, type TimedRun } from './run-host';

/** Node start-up, the simulator's accelerated scan and a loaded CI machine. */
const ALLOWANCE_MS = 12_000;
const REQUEST_TIMEOUT = '3s';
const REQUEST_TIMEOUT_MS = 3_000;
/** Azure's task has no request-timeout input: its requests have the default of 60s. */
const requestTimeoutMs = (host: Host): number => (host.hasRequestTimeout ? REQUEST_TIMEOUT_MS : 60_000);
/** The client's retry back-off before it gives up on a network error: at most 1+2+4+8+16 s. */
const RETRY_BACKOFF_MS = 31_000;

const tally = new Map<string, { tried: number; behaved: number; failures: string[] }>();
function record(category: string, label: string, problems: string[]): void {
  const row = tally.get(category) ?? { tried: 0, behaved: 0, failures: [] };
  row.tried += 1;
  if (problems.length === 0) row.behaved += 1;
  else row.failures.push(`${label}: ${problems.join('; ')}`);
  tally.set(category, row);
}

afterAll(() => {
  const lines = ['', 'Hostile-server suite (issue 17): tried / behaved per category', ''];
  let tried = 0;
  let behaved = 0;
  for (const [category, row] of tally) {
    lines.push(`  ${category.padEnd(34)} ${String(row.tried).padStart(3)} tried, ${String(row.behaved).padStart(3)} behaved`);
    for (const failure of row.failures) lines.push(`      ✗ ${failure}`);
    tried += row.tried;
    behaved += row.behaved;
  }
  lines.push(`  ${'total'.padEnd(34)} ${String(tried).padStart(3)} tried, ${String(behaved).padStart(3)} behaved`, '');
  console.log(lines.join('\n'));
});

interface Expectation {
  result: ResultName;
  /** The longest the run may take. */
  withinMs: number;
  /** A text the output must contain (stdout or stderr). */
  says?: RegExp;
}

/** Checks one run; returns what went wrong (empty: behaved). */
function judge(host: Host, run: TimedRun, expected: Expectation, extra: string[] = []): string[] {
  const problems = [...extra];
  if (run.killed) problems.push(`did not end by itself (killed after ${run.elapsedMs} ms)`);
  const result = host.result(run);
  if (result !== expected.result) problems.push(`result ${String(result)} (exit ${String(run.code)}), expected ${expected.result}`);
  if (run.elapsedMs > expected.withinMs) problems.push(`took ${run.elapsedMs} ms, more than ${expected.withinMs} ms`);
  if (expected.says !== undefined && !expected.says.test(`${run.stdout}\n${run.stderr}`)) problems.push(`output does not say ${String(expected.says)}`);
  const leaks = keyLeaks(run, CANARY_KEY, host.registration);
  if (leaks.length > 0) problems.push(`the key appears in ${leaks.join(', ')}`);
  return problems;
}

async function hostileCase(category: string, host: Host, label: string, hostile: HostileCase, settings: Omit<Settings, 'baseUrl'>, expected: (host: Host) => Expectation, checks: (server: Awaited<ReturnType<typeof startHostileServer>>) => string[] = () => [], signalAfterMs?: number): Promise<void> {
  const server = await startHostileServer({ apiKey: CANARY_KEY, hostile });
  try {
    const want = expected(host);
    const run = await runHost(host, { baseUrl: server.baseUrl, requestTimeout: host.hasRequestTimeout ? REQUEST_TIMEOUT : undefined, ...settings }, { killAfterMs: want.withinMs + 20_000, ...(signalAfterMs === undefined ? {} : { signalAfterMs }) });
    const problems = judge(host, run, want, checks(server));
    record(category, `${host.name} ${label}`, problems);
    expect(problems, `${host.name} ${label}\n${run.stdout.slice(-1500)}\n${run.stderr.slice(-800)}`).toEqual([]);
  } finally {
    await server.close();
  }
}

const noTheft = (server: { stolen: unknown[] }): string[] => (server.stolen.length === 0 ? [] : [`another origin received ${server.stolen.length} request(s)`]);

describe.concurrent.each(HOSTS.map((host) => [host.name, host] as const))('%s against a hostile server', (_name, host) => {
  const redirects: [string, HostileCase][] = [
    ...([301, 302, 303, 307, 308] as const).map((status): [string, HostileCase] => [`${status} to another port`, { kind: 'redirect', status, route: 'any', to: 'other-port' }]),
    ['307 to localhost (another host name)', { kind: 'redirect', status: 307, route: 'any', to: 'localhost' }],
    ['308 to https on the same host (another scheme)', { kind: 'redirect', status: 308, route: 'any', to: 'https-same-host' }],
    ['307 to another port while polling', { kind: 'redirect', status: 307, route: 'scan-status', to: 'other-port' }],
  ];
  it.each(redirects)('redirect: %s never takes the key along', async (label, hostile) => {
    await hostileCase('redirect to another origin', host, label, hostile, {}, () => ({ result: 'api-error', withinMs: ALLOWANCE_MS + 8_000, says: /another origin/ }), noTheft);
  });

  it('a status body trickled at 1 byte/s ends at the pending budget', async () => {
    await hostileCase('body at 1 byte/s', host, 'trickled status, --max-pending 4s', { kind: 'trickle', route: 'scan-status' }, { maxPending: '4s' }, (h) => ({ result: 'budget-exceeded', withinMs: 4_000 + requestTimeoutMs(h) + ALLOWANCE_MS }));
  });

  it('a status body trickled at 1 byte/s answers SIGTERM', async () => {
    await hostileCase('body at 1 byte/s', host, 'trickled status, SIGTERM after 3s', { kind: 'trickle', route: 'scan-status' }, {}, () => ({ result: 'interrupted', withinMs: 3_000 + ALLOWANCE_MS }), () => [], 3_000);
  });

  it('a 500 MB status body is refused without reading it', async () => {
    await hostileCase('500 MB body', host, '500 MB status', { kind: 'huge-body', route: 'scan-status', bytes: 500 * 1024 * 1024 }, {}, () => ({ result: 'api-error', withinMs: ALLOWANCE_MS + 8_000, says: /larger than 4 MiB/ }), (server) => (server.hostileBytes() < 64 * 1024 * 1024 ? [] : [`the server sent ${server.hostileBytes()} bytes`]));
  });

  it('500 MB documentation bodies are skipped, the run completes', async () => {
    await hostileCase('500 MB body', host, '500 MB documentation', { kind: 'huge-body', route: 'documentation', bytes: 500 * 1024 * 1024 }, {}, () => ({ result: 'passed', withinMs: ALLOWANCE_MS + 20_000 }), (server) => (server.hostileBytes() < 400 * 1024 * 1024 ? [] : [`the server sent ${server.hostileBytes()} bytes`]));
  });

  it.each(['fresh-items', 'same-next', 'same-items', 'huge-total-pages'] as const)('endless pages (%s) end the collection', async (variant) => {
    await hostileCase('endless pages', host, variant, { kind: 'endless-pages', variant }, {}, () => ({ result: 'api-error', withinMs: ALLOWANCE_MS + 10_000, says: /paging is broken/ }), (server) => (server.endlessPages() <= 5 ? [] : [`${server.endlessPages()} pages were served`]));
  });
});

describe.concurrent.each(HOSTS.map((host) => [host.name, host] as const))('%s behind a proxy that drops every tunnel', (_name, host) => {
  async function viaProxy(label: string, expected: Expectation, signalAfterMs?: number): Promise<void> {
    const proxy = await startTunnelDroppingProxy();
    const server = await startHostileServer({ apiKey: CANARY_KEY, hostile: { kind: 'honest' } });
    try {
      const run = await runHost(host, { baseUrl: server.baseUrl, envProxy: proxy.url, requestTimeout: host.hasRequestTimeout ? REQUEST_TIMEOUT : undefined }, { killAfterMs: expected.withinMs + 20_000, ...(signalAfterMs === undefined ? {} : { signalAfterMs }) });
      const extra = proxy.connects() > 50 ? [`${proxy.connects()} tunnels were tried`] : [];
      const problems = judge(host, run, expected, extra);
      record('tunnel-dropping proxy', `${host.name} ${label}`, problems);
      expect(problems, `${host.name} ${label}\n${run.stdout.slice(-1500)}\n${run.stderr.slice(-800)}`).toEqual([]);
    } finally {
      await Promise.all([proxy.close(), server.close()]);
    }
  }
  it('ends with an API error after its retries, and exits', async () => {
    await viaProxy('retries then exits', { result: 'api-error', withinMs: RETRY_BACKOFF_MS + requestTimeoutMs(host) + ALLOWANCE_MS, says: /EPROXYTUNNEL|proxy/ });
  });
  it('answers SIGTERM', async () => {
    await viaProxy('SIGTERM after 2s', { result: 'interrupted', withinMs: 2_000 + ALLOWANCE_MS }, 2_000);
  });
});

describe.concurrent.each(HOSTS.map((host) => [host.name, host] as const))('%s refuses bad input before launch', (_name, host) => {
  const cases: [string, Omit<Settings, 'baseUrl'> & { baseUrl?: (url: string) => string }, RegExp][] = [
    ['an API key with CR/LF', { apiKey: `${CANARY_KEY}\r\nX-Injected: 1` }, /line break/],
    ['a non-Latin-1 API key', { apiKey: `${CANARY_KEY}-ключ` }, /outside Latin-1/],
    ['a base URL with user:pass@', { baseUrl: (url) => url.replace('http://', 'http://admin:pw-CANARY-9@') }, /must not carry credentials/],
    ['plain http to a non-loopback host', { baseUrl: () => 'http://ias.example.com/ias/v1' }, /must use https/],
    ['a poll interval of 600h', { pollInterval: '600h' }, /too long/],
    ['HTTPS_PROXY that is not a URL', { envProxy: 'not a proxy url' }, /HTTPS_PROXY is not a URL/],
    ['an output folder under /proc', { outputDir: '/proc/ias-hostile-reports' }, /cannot be written/],
    ...(host.hasRequestTimeout ? [['a request timeout of 600h', { requestTimeout: '600h' }, /too long/] as [string, Omit<Settings, 'baseUrl'>, RegExp]] : []),
  ];
  it.each(cases)('%s', async (label, settings, says) => {
    const server = await startHostileServer({ apiKey: CANARY_KEY, hostile: { kind: 'honest' } });
    try {
      const { baseUrl: makeUrl, ...rest } = settings;
      const run = await runHost(host, { ...rest, baseUrl: makeUrl === undefined ? server.baseUrl : makeUrl(server.baseUrl) }, { killAfterMs: 30_000 });
      const launches = server.sim.counters.get('POST /scans');
      const extra = [
        ...(launches > 0 ? [`${launches} scan(s) launched`] : []),
        ...(/pw-CANARY-9/.test(`${shownText(run)}${run.stderr}${[...run.files.values()].join('')}`) ? ['the base URL password was shown'] : []),
      ];
      const problems = judge(host, run, { result: 'config-error', withinMs: ALLOWANCE_MS, says }, extra);
      record('bad input', `${host.name} ${label}`, problems);
      expect(problems, `${host.name} ${label}\n${run.stdout.slice(-1500)}\n${run.stderr.slice(-800)}`).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
