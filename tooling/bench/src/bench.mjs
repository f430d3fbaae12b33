/* global process, fetch, setInterval, clearInterval, URL */
// `pnpm bench`: the BUILT ias CLI (apps/cli/dist/ias.js) as a child process against the simulator on 127.0.0.1,
// every request delayed by 20 ms, for N generated findings over 25 modules, the scan complete at once. For each N
// it runs the CLI twice, with a cold and then a warm attack documentation cache (its own XDG_CACHE_HOME), and
// measures
//   - API requests after the launch besides status polls, and after COMPLETE, with attack documentation counted
//     apart (the simulator's counters), and the most documentation requests in flight at once (a counting relay
//     between the CLI and the simulator, for the cold run; the warm runs reach the simulator directly, like the
//     official clients' models);
//   - wall time from the launch (POST /scans received) and from the poll that saw COMPLETE to the CLI's exit;
//   - the CLI's peak RSS (/usr/bin/time -v, or /proc/<pid>/status VmHWM where time is missing);
// and, against the same simulator and scan, models of the official clients' documented request patterns: the
// Azure DevOps task (POST /search size 50 following `next`, then one GET /modules/{id} per finding, in sequence,
// then the gate search) and the GitHub action (POST /search of the scan's findings matching the gate query,
// following `next`). Then `ias --version` beside `node -e 0` (medians of 10 runs each, in turns; the difference is
// what the CLI's entry costs over Node's own start-up) and the bundle sizes: for the CLI, split into an entry and
// chunks, every file the entry can load, and the entry alone (startup.mjs). It writes tooling/bench/RESULTS.md
// (only this command does; `npm test` never runs it).
//
// The warm run is repeated (--warm-runs, default 5) and its median launch → exit reported, the machine being shared;
// the peak RSS reported for a size is the highest of all its runs.
// Options: --sizes 1000,5000,100000   --azure-max 5000 (larger N are extrapolated from the largest measured)
//          --warm-runs 5
//          --out PATH ('-' prints only)  --time-scale 0.000001
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem, type as osType } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createSimulator, generateScenario } from '@ias/simulator';
import { bundleFiles, versionTimes } from './startup.mjs';

const require = createRequire(import.meta.url);
const CLI = join(dirname(require.resolve('insightappsec-ci/package.json')), 'dist', 'ias.js');
const HERE = dirname(fileURLToPath(import.meta.url));
const LATENCY_MS = 20;
const MODULES = 25;
const GATE = "vulnerability.severity='CRITICAL'";
const DOCS_ROUTE = 'GET /modules/{id}/attacks/{id}/documentation';
const POLL_ROUTE = 'GET /scans/{id}';

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1] ?? fallback;
}
const SIZES = option('sizes', '1000,5000,100000').split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
const AZURE_MAX = Number(option('azure-max', '5000'));
const WARM_RUNS = Math.max(1, Number(option('warm-runs', '5')));
const OUT = option('out', join(HERE, '..', 'RESULTS.md'));
const TIME_SCALE = Number(option('time-scale', '0.000001'));
const REPO = join(HERE, '..', '..', '..');
const BUNDLES = [
  ['ias (CLI)', 'apps/cli/dist/ias.js'],
  ['Azure DevOps task', 'apps/azure-devops/dist/bundle/index.js'],
  ['GitHub action', 'apps/github-action/dist/index.js'],
  ['Bamboo', 'apps/bamboo/dist/ias-bamboo.js'],
  ['ias-sim', 'packages/simulator/dist/ias-sim.js'],
];

if (!existsSync(CLI)) {
  process.stderr.write(`The CLI is not built (${CLI} is missing): run pnpm --filter insightappsec-ci... build first (pnpm bench does).\n`);
  process.exit(2);
}

const mb = (kb) => kb / 1024;
const fmtMs = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtInt = (n) => n.toLocaleString('en-US');

/** Peak RSS in KiB read from /proc (VmHWM is the high-water mark); 0 when unreadable. */
function vmHwm(pid) {
  try {
    const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function openSimulator(n) {
  const sim = createSimulator({ scenario: generateScenario({ findings: n, modules: MODULES, seed: 1 }), timeScale: TIME_SCALE });
  sim.faults.add({ kind: 'latency', delayMs: LATENCY_MS });
  return sim;
}

/**
 * A relay on 127.0.0.1 in front of the simulator that counts the attack documentation requests in flight at once
 * (the simulator counts requests, not concurrency). Keep-alive on both sides; it adds little latency, but it re-sends
 * every response from the simulator's own process, so only the cold run, which needs the count, goes through it.
 */
async function openRelay(target) {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const stats = { inFlight: 0, peak: 0 };
  const server = createServer((req, res) => {
    const docs = /\/modules\/[^/]+\/attacks\/[^/]+\/documentation$/.test((req.url ?? '').split('?')[0]);
    if (docs) {
      stats.inFlight += 1;
      stats.peak = Math.max(stats.peak, stats.inFlight);
    }
    let done = false;
    const finish = () => {
      if (docs && !done) stats.inFlight -= 1;
      done = true;
    };
    const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('end', finish);
    });
    out.on('error', () => {
      finish();
      res.destroy();
    });
    res.on('close', finish);
    req.pipe(out);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    baseUrl: `http://127.0.0.1:${port}${upstream.pathname}`,
    stats,
    reset: () => {
      stats.peak = 0;
    },
    close: () => new Promise((resolve) => {
      agent.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function runCli(sim, relay, n, cacheHome) {
  const out = mkdtempSync(join(tmpdir(), 'ias-bench-'));
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...nodeArgs, CLI, 'scan', '--base-url', relay.baseUrl, '--app', 'Generated App', '--scan-config', 'Generated Scan', '--poll-interval', '1s', '--output-dir', out, '--gate-query', GATE, '--reports', process.env.BENCH_REPORTS ?? 'all'];
  const useTime = existsSync('/usr/bin/time');
  const env = { ...process.env, IAS_API_KEY: sim.apiKey, NO_COLOR: '1', XDG_CACHE_HOME: cacheHome };
  relay.reset();
  const before = sim.counters.snapshot();
  const child = useTime
    ? spawn('/usr/bin/time', ['-v', process.execPath, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const log = process.env.BENCH_LOG_DIR === undefined ? undefined : createWriteStream(join(process.env.BENCH_LOG_DIR, `cli-${n}.log`));
  child.stdout.on('data', (d) => {
    stdout = (stdout + d).slice(-8000);
    log?.write(d);
  });
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-8000)));

  const launches = (before['POST /scans'] ?? 0);
  let launchAt;
  let atLaunch;
  let scanComplete = false;
  let pollsAtComplete = 0;
  let completeAt;
  let atComplete;
  let hwm = 0;
  const trace = process.env.BENCH_TRACE === '1' ? { last: 0, lines: [] } : undefined;
  const watcher = setInterval(() => {
    if (launchAt === undefined && sim.counters.get('POST /scans') > launches) {
      // The launch has arrived; its answer takes 20 ms, so nothing after it is in yet.
      launchAt = performance.now();
      atLaunch = sim.counters.snapshot();
    }
    if (launchAt !== undefined && !scanComplete) {
      const scan = sim.state.scans().at(-1);
      if (scan?.status === 'COMPLETE') {
        scanComplete = true;
        pollsAtComplete = sim.counters.get(POLL_ROUTE);
      }
    } else if (scanComplete && completeAt === undefined && sim.counters.get(POLL_ROUTE) > pollsAtComplete) {
      completeAt = performance.now();
      atComplete = sim.counters.snapshot();
    }
    if (!useTime) hwm = Math.max(hwm, vmHwm(child.pid));
    if (trace !== undefined && launchAt !== undefined) {
      const total = sim.counters.total();
      if (total !== trace.last) {
        trace.last = total;
        trace.lines.push(`${(performance.now() - launchAt).toFixed(0).padStart(6)} ms ${JSON.stringify(sim.counters.snapshot())}`);
      }
    }
  }, 2);
  const exitCode = await new Promise((resolve) => child.on('close', (code) => resolve(code)));
  const exitAt = performance.now();
  clearInterval(watcher);
  if (trace !== undefined) process.stdout.write(`${trace.lines.join('\n')}\n  exit at ${(exitAt - launchAt).toFixed(0)} ms\n`);

  if (launchAt === undefined || completeAt === undefined || atComplete === undefined) throw new Error(`N=${n}: the CLI never saw COMPLETE (exit ${exitCode}).\n${stdout}\n${stderr}`);
  if (process.env.BENCH_SHOW_STDERR === "1") process.stdout.write(stderr.split("\n").filter((l) => l.startsWith("MEM")).join("\n") + "\n");
  if (exitCode !== 0 && exitCode !== 1) throw new Error(`N=${n}: the CLI exited ${exitCode}.\n${stdout}\n${stderr}`);
  const rss = useTime ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? 0) : hwm;
  const result = JSON.parse(readFileSync(join(out, 'insightappsec-scan-result.json'), 'utf8'));
  if (result.counts.total !== n) throw new Error(`N=${n}: the CLI collected ${result.counts.total} findings`);
  rmSync(out, { recursive: true, force: true });

  const end = sim.counters.snapshot();
  const delta = (from) => {
    const after = {};
    for (const [route, count] of Object.entries(end)) {
      const d = count - (from[route] ?? 0);
      if (d > 0) after[route] = d;
    }
    return after;
  };
  const afterLaunch = delta(atLaunch);
  const afterComplete = delta(atComplete);
  const sum = (o) => Object.values(o).reduce((a, c) => a + c, 0);
  const docs = afterLaunch[DOCS_ROUTE] ?? 0;
  const scanId = sim.state.scans().at(-1).id;
  const distinctAttacks = new Set(sim.state.vulnerabilities().map((v) => `${v.variances[0]?.module.id}/${v.variances[0]?.attack.id}`)).size;
  return {
    scanId,
    exitCode,
    afterLaunch: sum(afterLaunch) - (afterLaunch[POLL_ROUTE] ?? 0) - docs,
    polls: afterLaunch[POLL_ROUTE] ?? 0,
    afterComplete: sum(afterComplete) - (afterComplete[DOCS_ROUTE] ?? 0),
    docs,
    docsPeak: relay.stats.peak,
    distinctAttacks,
    byRoute: afterLaunch,
    launchMs: exitAt - launchAt,
    completeMs: exitAt - completeAt,
    rssKb: rss,
    rssSource: useTime ? '/usr/bin/time -v' : '/proc VmHWM',
  };
}

async function call(counter, method, url, apiKey, body) {
  counter.requests += 1;
  const res = await fetch(url, {
    method,
    headers: { 'X-Api-Key': apiKey, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status}`);
  return res.json();
}

/** The official Azure DevOps task 1.3.0's collection, re-implemented as a request pattern (not Rapid7 code). */
async function azureModel(baseUrl, apiKey, scanId) {
  const counter = { requests: 0 };
  const started = performance.now();
  const scope = `vulnerability.scans.id='${scanId}'`;
  const vulnerabilities = [];
  let url = `${baseUrl}/search?size=50`;
  while (url !== undefined) {
    const page = await call(counter, 'POST', url, apiKey, { type: 'VULNERABILITY', query: scope });
    vulnerabilities.push(...page.data);
    url = (page.links ?? []).find((link) => link.rel === 'next')?.href;
  }
  const moduleNames = [];
  for (const v of vulnerabilities) {
    const moduleId = v.variances?.[0]?.module?.id;
    if (moduleId !== undefined) moduleNames.push((await call(counter, 'GET', `${baseUrl}/modules/${moduleId}`, apiKey)).name);
  }
  await call(counter, 'POST', `${baseUrl}/search?size=50`, apiKey, { type: 'VULNERABILITY', query: `${scope}&&${GATE}` });
  if (vulnerabilities.length === 0 || moduleNames.length === 0) throw new Error('The Azure model collected nothing');
  return { requests: counter.requests, ms: performance.now() - started, measured: true, findings: vulnerabilities.length };
}

/** The official GitHub action 1.3.5's collection (no reports): the scan's findings matching the gate, by page. */
async function githubModel(baseUrl, apiKey, scanId) {
  const counter = { requests: 0 };
  const started = performance.now();
  const bySeverity = {};
  let url = `${baseUrl}/search`;
  while (url !== undefined) {
    const page = await call(counter, 'POST', url, apiKey, { type: 'VULNERABILITY', query: `vulnerability.scans.id='${scanId}' && (${GATE})` });
    for (const v of page.data) bySeverity[v.severity] = (bySeverity[v.severity] ?? 0) + 1;
    url = (page.links ?? []).find((link) => link.rel === 'next')?.href;
  }
  return { requests: counter.requests, ms: performance.now() - started, matched: Object.values(bySeverity).reduce((a, c) => a + c, 0) };
}

/** The run with the median launch → exit of `runs`, carrying every run's times and the highest peak RSS of all. */
function medianRun(runs) {
  const sorted = [...runs].sort((a, b) => a.launchMs - b.launchMs);
  const median = sorted[(sorted.length - 1) >> 1];
  return { ...median, launchAll: runs.map((r) => r.launchMs), rssKb: Math.max(...runs.map((r) => r.rssKb)) };
}

const loadBefore = loadavg()[0];
const rows = [];
for (const n of SIZES) {
  process.stdout.write(`N=${fmtInt(n)}: generating the scenario…\n`);
  const sim = openSimulator(n);
  const listener = await sim.listen({ host: '127.0.0.1', port: 0 });
  const relay = await openRelay(listener.baseUrl);
  const cacheHome = mkdtempSync(join(tmpdir(), 'ias-bench-cache-'));
  try {
    const cold = await runCli(sim, relay, n, cacheHome);
    process.stdout.write(`  ias, cold cache: ${cold.afterLaunch} requests + ${cold.docs} documentation (≤ ${cold.docsPeak} at once) after launch, ${fmtMs(cold.launchMs)} launch → exit, peak RSS ${mb(cold.rssKb).toFixed(0)} MiB\n`);
    const warmRuns = [];
    // Warm runs ask for no documentation, so they need no counting relay: they reach the simulator directly, as the
    // official clients' models do. Through the relay, the simulator's process also re-sends every 1 MB page, which
    // cost the CLI about a tenth of its launch → exit at 5,000 findings, measured side by side.
    const direct = { baseUrl: listener.baseUrl, stats: { peak: 0 }, reset() {} };
    for (let i = 0; i < WARM_RUNS; i += 1) warmRuns.push(await runCli(sim, direct, n, cacheHome));
    const warm = medianRun(warmRuns);
    process.stdout.write(`  ias, warm cache: ${warm.afterLaunch} requests + ${warm.docs} documentation after launch, ${fmtMs(warm.launchMs)} launch → exit, peak RSS ${mb(warm.rssKb).toFixed(0)} MiB\n`);
    const github = await githubModel(listener.baseUrl, sim.apiKey, warm.scanId);
    process.stdout.write(`  GitHub action model: ${github.requests} requests, ${fmtMs(github.ms)}\n`);
    let azure;
    if (n <= AZURE_MAX) {
      process.stdout.write('  Azure DevOps task model: running…\n');
      azure = await azureModel(listener.baseUrl, sim.apiKey, warm.scanId);
      if (azure.findings !== n) throw new Error(`The Azure model collected ${azure.findings} of ${n} findings`);
      process.stdout.write(`  Azure DevOps task model: ${azure.requests} requests, ${fmtMs(azure.ms)}\n`);
    }
    rows.push({ n, cold, warm, github, azure });
  } finally {
    rmSync(cacheHome, { recursive: true, force: true });
    await relay.close();
    await listener.close();
    await sim.close();
  }
}
const measuredAzure = rows.filter((r) => r.azure?.measured).at(-1)?.azure;
for (const row of rows) {
  if (row.azure !== undefined) continue;
  const requests = Math.ceil(row.n / 50) + row.n + 1;
  row.azure = { requests, ms: measuredAzure === undefined ? Number.NaN : (measuredAzure.ms / measuredAzure.requests) * requests, measured: false };
}

process.stdout.write('ias --version and node -e 0: 10 runs each…\n');
const { version, node: nodeOnly, overNode } = await versionTimes(CLI, 10);
const bundles = BUNDLES.map(([name, path]) => {
  const loads = bundleFiles(join(REPO, path));
  return { name, path, bytes: loads?.bytes, files: loads?.files.length ?? 0, entryBytes: loads?.files[0]?.bytes };
});
const fmtMb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;
/** A bundle's size: a single file's, or for a split bundle the total of every file its entry can load, and the entry's. */
const bundleSize = (b) => (b.files > 1 ? `${fmtMb(b.bytes)} in ${b.files} files (entry ${fmtMb(b.entryBytes)})` : fmtMb(b.bytes));

const checks = [];
const byN = new Map(rows.map((r) => [r.n, r]));
const r5 = byN.get(5_000);
const r100 = byN.get(100_000);
if (r5 !== undefined) {
  checks.push({ text: `N=5,000, warm cache: ${r5.warm.afterLaunch + r5.warm.docs} requests after launch besides status polls ≤ 11`, ok: r5.warm.afterLaunch + r5.warm.docs <= 11 });
  checks.push({ text: `N=5,000, warm cache: launch → exit ${fmtMs(r5.warm.launchMs)} is ${(r5.azure.ms / r5.warm.launchMs).toFixed(0)}× faster than the Azure task model's collection alone (${fmtMs(r5.azure.ms)}) ≥ 100×`, ok: r5.azure.ms >= 100 * r5.warm.launchMs });
  checks.push({ text: `N=5,000: peak RSS ${mb(Math.max(r5.cold.rssKb, r5.warm.rssKb)).toFixed(0)} MiB ≤ 100 MiB (all reports)`, ok: Math.max(r5.cold.rssKb, r5.warm.rssKb) <= 100 * 1024 });
}
for (const row of rows) {
  checks.push({ text: `N=${fmtInt(row.n)}, cold cache: ${row.cold.docs} documentation requests ≤ ${row.cold.distinctAttacks} distinct attacks with findings, at most ${row.cold.docsPeak} at once ≤ 8`, ok: row.cold.docs <= row.cold.distinctAttacks && row.cold.docsPeak <= 8 });
  checks.push({ text: `N=${fmtInt(row.n)}, warm cache: ${row.warm.docs} documentation requests = 0`, ok: row.warm.docs === 0 });
}
if (r100 !== undefined) checks.push({ text: `N=100,000: peak RSS ${mb(Math.max(r100.cold.rssKb, r100.warm.rssKb)).toFixed(0)} MiB ≤ 150 MiB (all reports)`, ok: Math.max(r100.cold.rssKb, r100.warm.rssKb) <= 150 * 1024 });
checks.push({ text: `ias --version: median of 10 runs ${version.median.toFixed(0)} ms (${overNode.toFixed(0)} ms over \`node -e 0\`) < 150 ms`, ok: version.median < 150 });
for (const b of bundles) if (b.bytes !== undefined) checks.push({ text: `${b.name} bundle ${bundleSize(b)} < 1 MB`, ok: b.bytes < 1e6 });

const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(0)}×` : 'n/a');
const table = [
  '| N findings | client | requests after launch besides polls (attack docs) | docs at once | launch → exit | COMPLETE → exit | peak RSS |',
  '|---:|---|---:|---:|---:|---:|---:|',
  ...rows.flatMap((r) => {
    const est = r.azure.measured ? '' : ' (extrapolated)';
    return [
      `| ${fmtInt(r.n)} | ias, cold documentation cache | ${r.cold.afterLaunch + r.cold.docs} (${r.cold.docs}) | ${r.cold.docsPeak} | ${fmtMs(r.cold.launchMs)} | ${fmtMs(r.cold.completeMs)} | ${mb(r.cold.rssKb).toFixed(0)} MiB |`,
      `| ${fmtInt(r.n)} | ias, warm documentation cache${r.warm.launchAll.length > 1 ? ` (median of ${r.warm.launchAll.length} runs: ${r.warm.launchAll.map(fmtMs).join(', ')})` : ''} | ${r.warm.afterLaunch + r.warm.docs} (${r.warm.docs}) | – | ${fmtMs(r.warm.launchMs)} | ${fmtMs(r.warm.completeMs)} | ${mb(r.warm.rssKb).toFixed(0)} MiB |`,
      `| ${fmtInt(r.n)} | Azure DevOps task 1.3.0 pattern (collection only) | ${fmtInt(r.azure.requests)}${r.azure.measured ? '' : ' (pattern)'} | – | ≥ ${Number.isFinite(r.azure.ms) ? fmtMs(r.azure.ms) : 'n/a'}${est} (${ratio(r.azure.ms, r.warm.launchMs)} ias warm) | – | not measured |`,
      `| ${fmtInt(r.n)} | GitHub action 1.3.5 pattern (no reports, collection only) | ${fmtInt(r.github.requests)} | – | ≥ ${fmtMs(r.github.ms)} | – | not measured |`,
    ];
  }),
];
const routes = rows.flatMap((r) => [
  `- N=${fmtInt(r.n)}, cold: ${Object.entries(r.cold.byRoute).map(([route, c]) => `\`${route}\` × ${c}`).join(', ')}`,
  `- N=${fmtInt(r.n)}, warm: ${Object.entries(r.warm.byRoute).map(([route, c]) => `\`${route}\` × ${c}`).join(', ')}`,
]);
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const machine = `${availableParallelism()} CPUs (nproc; ${cpu}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${osType()} ${release()}, Node.js ${process.version}; 1-minute load average ${loadBefore.toFixed(1)} at the start and ${loadavg()[0].toFixed(1)} at the end (the machine is shared: wall times vary with load)`;
const text = [
  '# Benchmark: the ias CLI beside the official clients’ request patterns',
  '',
  `Run ${new Date().toISOString()} with \`pnpm bench\` on ${machine}.`,
  '',
  `The built CLI (\`apps/cli/dist/ias.js scan --reports all --gate-query "${GATE}" --poll-interval 1s\`) runs as a child process`,
  `against the simulator on 127.0.0.1 with ${LATENCY_MS} ms added to every request, for a generated scan with N findings over ${MODULES} modules`,
  'that is complete at once. It runs per N with its own `XDG_CACHE_HOME`: first with an empty attack documentation',
  `cache (cold), then ${WARM_RUNS} times with what the first run left there (warm; the median is shown, peak RSS is the highest of all runs).`,
  '"After launch" counts from the `POST /scans` request',
  '(excluded) and leaves out the status polls; launch → exit runs from that request to the process exit and covers the',
  'wait, collection, the gate, all seven reports (metrics, findings, SARIF, JUnit, markdown, HTML, result) and teardown.',
  'For the cold run a relay between the CLI and the simulator counts the documentation requests in flight at once;',
  'the warm runs, which request no documentation, reach the simulator directly, as the official clients\' models do.',
  `Peak RSS is the CLI process's maximum resident set size (${rows[0]?.cold.rssSource ?? 'n/a'}).`,
  '',
  'The official clients are models of their request patterns, re-implemented here against the same simulator and scan',
  '(not Rapid7 code; their memory is not measured). They time collection only, from a scan already complete, so their',
  'wall times are lower bounds of the real clients\' launch → exit. Azure DevOps task 1.3.0: `POST /search` VULNERABILITY',
  'size 50 following `next`, one `GET /modules/{id}` per finding in sequence, then the gate search. GitHub action 1.3.5',
  '(writes no reports): `POST /search` of the scan\'s findings matching the gate query at the default page size, following `next`.',
  `Azure sizes above ${fmtInt(AZURE_MAX)} are not run (hours at this latency): the request count follows from the pattern and the`,
  'time is extrapolated from the measured cost per request of the largest measured size.',
  '',
  ...table,
  '',
  `\`ias --version\`: median ${version.median.toFixed(0)} ms of 10 runs (${version.times.map((t) => t.toFixed(0)).join(', ')} ms); \`node -e 0\` alone, in turns with it: median ${nodeOnly.median.toFixed(0)} ms (${nodeOnly.times.map((t) => t.toFixed(0)).join(', ')} ms). The CLI's entry costs ${overNode.toFixed(0)} ms over Node's own start-up (the difference of the medians).`,
  '',
  'A split bundle (the CLI: an entry and the chunks its commands load) counts every JavaScript file its entry can load, statically or with `import()`.',
  '',
  '| bundle | file | size |',
  '|---|---|---:|',
  ...bundles.map((b) => `| ${b.name} | \`${b.path}\` | ${b.bytes === undefined ? 'not built' : bundleSize(b)} |`),
  '',
  'Bars (issue 18):',
  '',
  ...checks.map((c) => `- ${c.ok ? '✅' : '❌'} ${c.text}`),
  '',
  'ias requests after launch, by route:',
  '',
  ...routes,
  '',
].join('\n');
process.stdout.write(`\n${text}`);
if (OUT !== '-') {
  writeFileSync(OUT, text);
  process.stdout.write(`\nWrote ${OUT}\n`);
}
process.exit(checks.every((c) => c.ok) ? 0 : 1);
