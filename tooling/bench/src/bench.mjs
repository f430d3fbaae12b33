/* global process, fetch, setInterval, clearInterval */
// `pnpm bench`: the BUILT ias CLI (apps/cli/dist/ias.js) as a child process against the simulator on 127.0.0.1,
// every request delayed by 20 ms, for N generated findings over 25 modules. For each N it measures
//   - API requests after the scan reaches COMPLETE (the simulator's counters, from the status poll that saw
//     COMPLETE, that poll excluded), with attack documentation requests counted apart;
//   - wall time from that poll to the CLI's exit (collection, gate, every report, process exit);
//   - the CLI's peak RSS (/usr/bin/time -v, or /proc/<pid>/status VmHWM where time is missing);
// and, against the same simulator and scan, a model of the official Azure DevOps task's documented request
// pattern (docs/ias-api.md §8.1: POST /search size 50 following `next`, then one GET /modules/{id} per finding,
// in sequence, then the gate search), so the table shows both side by side. It writes tooling/bench/RESULTS.md.
//
// Options: --sizes 1000,10000,100000   --azure-max 10000 (larger N are extrapolated from the largest measured)
//          --out PATH ('-' prints only)  --time-scale 0.002
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem, type as osType } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createSimulator, generateScenario } from '@ias/simulator';

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
const SIZES = option('sizes', '1000,10000,100000').split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
const AZURE_MAX = Number(option('azure-max', '10000'));
const OUT = option('out', join(HERE, '..', 'RESULTS.md'));
const TIME_SCALE = Number(option('time-scale', '0.002'));
// Sizes up to 10,000 run this many times (a fresh simulator each) and report the run with the median time.
const REPEAT = Math.max(1, Number(option('repeat', '3')));

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

async function runCli(sim, baseUrl, n) {
  const out = mkdtempSync(join(tmpdir(), 'ias-bench-'));
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...nodeArgs, CLI, 'scan', '--base-url', baseUrl, '--app', 'Generated App', '--scan-config', 'Generated Scan', '--poll-interval', '1s', '--output-dir', out, '--gate-query', GATE, '--reports', 'all'];
  const useTime = existsSync('/usr/bin/time');
  const env = { ...process.env, IAS_API_KEY: sim.apiKey, NO_COLOR: '1' };
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

  let scanComplete = false;
  let pollsAtComplete = 0;
  let completeAt;
  let atComplete;
  let hwm = 0;
  const trace = process.env.BENCH_TRACE === '1' ? { last: 0, lines: [] } : undefined;
  const watcher = setInterval(() => {
    if (!scanComplete) {
      // Status is computed from the clock on read; this read also links the findings, outside the measurement.
      const scan = sim.state.scans()[0];
      if (scan?.status === 'COMPLETE') {
        scanComplete = true;
        pollsAtComplete = sim.counters.get(POLL_ROUTE);
      }
    } else if (completeAt === undefined && sim.counters.get(POLL_ROUTE) > pollsAtComplete) {
      // The CLI's poll that sees COMPLETE has arrived; it waits 20 ms for the answer, so nothing else is in yet.
      completeAt = performance.now();
      atComplete = sim.counters.snapshot();
    }
    if (!useTime) hwm = Math.max(hwm, vmHwm(child.pid));
    if (trace !== undefined && completeAt !== undefined) {
      const total = sim.counters.total();
      if (total !== trace.last) {
        trace.last = total;
        trace.lines.push(`${(performance.now() - completeAt).toFixed(0).padStart(6)} ms ${JSON.stringify(sim.counters.snapshot())}`);
      }
    }
  }, 2);
  const exitCode = await new Promise((resolve) => child.on('close', (code) => resolve(code)));
  const exitAt = performance.now();
  clearInterval(watcher);
  if (trace !== undefined) process.stdout.write(`${trace.lines.join('\n')}\n  exit at ${(exitAt - completeAt).toFixed(0)} ms\n`);

  if (completeAt === undefined || atComplete === undefined) throw new Error(`N=${n}: the CLI never saw COMPLETE (exit ${exitCode}).\n${stdout}\n${stderr}`);
  if (exitCode !== 0 && exitCode !== 1) throw new Error(`N=${n}: the CLI exited ${exitCode}.\n${stdout}\n${stderr}`);
  const rss = useTime ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? 0) : hwm;
  const result = JSON.parse(readFileSync(join(out, 'insightappsec-scan-result.json'), 'utf8'));
  if (result.counts.total !== n) throw new Error(`N=${n}: the CLI collected ${result.counts.total} findings`);
  rmSync(out, { recursive: true, force: true });

  const end = sim.counters.snapshot();
  const after = {};
  for (const [route, count] of Object.entries(end)) {
    const delta = count - (atComplete[route] ?? 0);
    if (delta > 0) after[route] = delta;
  }
  const docs = after[DOCS_ROUTE] ?? 0;
  const total = Object.values(after).reduce((s, c) => s + c, 0);
  const distinctAttacks = new Set(sim.state.vulnerabilities().map((v) => `${v.variances[0]?.module.id}/${v.variances[0]?.attack.id}`)).size;
  return {
    scanId: sim.state.scans()[0].id,
    exitCode,
    requests: total - docs,
    docs,
    distinctAttacks,
    byRoute: after,
    ms: exitAt - completeAt,
    rssKb: rss,
    rssSource: useTime ? '/usr/bin/time -v' : '/proc VmHWM',
  };
}

/** The official Azure DevOps task's documented collection (ias-api.md §8.1), re-implemented as a request pattern. */
async function azureModel(baseUrl, apiKey, scanId) {
  let requests = 0;
  const call = async (method, url, body) => {
    requests += 1;
    const res = await fetch(url, {
      method,
      headers: { 'X-Api-Key': apiKey, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status}`);
    return res.json();
  };
  const started = performance.now();
  const scope = `vulnerability.scans.id='${scanId}'`;
  const body = { type: 'VULNERABILITY', query: scope };
  const vulnerabilities = [];
  let url = `${baseUrl}/search?size=50`;
  while (url !== undefined) {
    const page = await call('POST', url, body);
    vulnerabilities.push(...page.data);
    url = (page.links ?? []).find((link) => link.rel === 'next')?.href;
  }
  const moduleNames = [];
  for (const v of vulnerabilities) {
    const moduleId = v.variances?.[0]?.module?.id;
    if (moduleId !== undefined) moduleNames.push((await call('GET', `${baseUrl}/modules/${moduleId}`)).name);
  }
  await call('POST', `${baseUrl}/search?size=50`, { type: 'VULNERABILITY', query: `${scope}&&${GATE}` });
  if (vulnerabilities.length === 0 || moduleNames.length === 0) throw new Error('The Azure model collected nothing');
  return { requests, ms: performance.now() - started, measured: true, findings: vulnerabilities.length };
}

const loadBefore = loadavg()[0];
const rows = [];
for (const n of SIZES) {
  process.stdout.write(`N=${fmtInt(n)}: generating the scenario…\n`);
  const runs = [];
  for (let i = 1; i < (n <= 10_000 ? REPEAT : 1); i += 1) {
    const extra = openSimulator(n);
    const extraListener = await extra.listen({ host: '127.0.0.1', port: 0 });
    try {
      runs.push(await runCli(extra, extraListener.baseUrl, n));
      process.stdout.write(`  ias (run ${runs.length}): ${fmtMs(runs.at(-1).ms)} to exit, peak RSS ${mb(runs.at(-1).rssKb).toFixed(0)} MiB\n`);
    } finally {
      await extraListener.close();
      await extra.close();
    }
  }
  const sim = openSimulator(n);
  const listener = await sim.listen({ host: '127.0.0.1', port: 0 });
  try {
    runs.push(await runCli(sim, listener.baseUrl, n));
    // The run with the median time; the highest peak RSS of all runs.
    const sorted = [...runs].sort((a, b) => a.ms - b.ms);
    const ias = { ...sorted[Math.floor((sorted.length - 1) / 2)], scanId: runs.at(-1).scanId, runs: runs.length, rssKb: Math.max(...runs.map((r) => r.rssKb)), allMs: runs.map((r) => r.ms) };
    process.stdout.write(
      `  ias: ${ias.requests} requests + ${ias.docs} documentation after COMPLETE (${JSON.stringify(ias.byRoute)}), ${fmtMs(ias.ms)} to exit, peak RSS ${mb(ias.rssKb).toFixed(0)} MiB, exit ${ias.exitCode}\n`,
    );
    let azure;
    if (n <= AZURE_MAX) {
      process.stdout.write('  Azure DevOps task model: running…\n');
      azure = await azureModel(listener.baseUrl, sim.apiKey, ias.scanId);
      if (azure.findings !== n) throw new Error(`The Azure model collected ${azure.findings} of ${n} findings`);
      process.stdout.write(`  Azure DevOps task model: ${azure.requests} requests, ${fmtMs(azure.ms)}\n`);
    }
    rows.push({ n, ias, azure });
  } finally {
    await listener.close();
    await sim.close();
  }
}

// Sizes above --azure-max: the request count follows from the pattern; the time from the measured cost per request.
const measuredAzure = rows.filter((r) => r.azure?.measured).at(-1)?.azure;
for (const row of rows) {
  if (row.azure !== undefined) continue;
  const requests = Math.ceil(row.n / 50) + row.n + 1;
  row.azure = { requests, ms: measuredAzure === undefined ? Number.NaN : (measuredAzure.ms / measuredAzure.requests) * requests, measured: false };
}

const checks = [];
const byN = new Map(rows.map((r) => [r.n, r]));
for (const row of rows) {
  const bar = Math.ceil(row.n / 1000) + 3;
  checks.push({ text: `N=${fmtInt(row.n)}: requests after COMPLETE ${row.ias.requests} ≤ ⌈N/1000⌉ + 3 = ${bar}, plus ${row.ias.docs} documentation ≤ ${row.ias.distinctAttacks} distinct attacks`, ok: row.ias.requests <= bar && row.ias.docs <= row.ias.distinctAttacks });
}
const r10 = byN.get(10_000);
const r100 = byN.get(100_000);
if (r10 !== undefined) checks.push({ text: `N=10,000: COMPLETE → exit ${fmtMs(r10.ias.ms)} ≤ 3 s`, ok: r10.ias.ms <= 3000 });
if (r100 !== undefined) checks.push({ text: `N=100,000: peak RSS ${mb(r100.ias.rssKb).toFixed(0)} MiB ≤ 300 MB`, ok: r100.ias.rssKb * 1024 <= 300e6 });
if (r10 !== undefined && r100 !== undefined) {
  checks.push({ text: `N=100,000: peak RSS ${mb(r100.ias.rssKb).toFixed(0)} MiB ≤ 1.5 × N=10,000's ${mb(r10.ias.rssKb).toFixed(0)} MiB (${(r100.ias.rssKb / r10.ias.rssKb).toFixed(2)}×)`, ok: r100.ias.rssKb <= 1.5 * r10.ias.rssKb });
}

const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(0)}×` : 'n/a');
const table = [
  '| N findings | ias requests after COMPLETE | of which findings pages + module list / gate search pages / attack docs | bar | Azure task model requests | fewer by | ias COMPLETE → exit | Azure task model time | faster by | ias peak RSS |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map((r) => {
    const pages = Math.ceil(r.n / 1000);
    const searches = r.ias.byRoute['POST /search'] ?? 0;
    const split = `${Math.min(pages, searches) + (r.ias.byRoute['GET /modules'] ?? 0)} / ${Math.max(0, searches - pages)} / ${r.ias.docs}`;
    const est = r.azure.measured ? '' : ' (extrapolated)';
    return `| ${fmtInt(r.n)} | ${r.ias.requests + r.ias.docs} | ${split} | ≤ ${pages + 3} + ${r.ias.distinctAttacks} | ${fmtInt(r.azure.requests)}${r.azure.measured ? '' : ' (pattern)'} | ${ratio(r.azure.requests, r.ias.requests + r.ias.docs)} | ${fmtMs(r.ias.ms)} | ${Number.isFinite(r.azure.ms) ? fmtMs(r.azure.ms) : 'n/a'}${est} | ${ratio(r.azure.ms, r.ias.ms)} | ${mb(r.ias.rssKb).toFixed(0)} MiB |`;
  }),
];
const routes = rows.map((r) => `- N=${fmtInt(r.n)}: ${Object.entries(r.ias.byRoute).map(([route, c]) => `\`${route}\` × ${c}`).join(', ')}; COMPLETE → exit per run: ${r.ias.allMs.map(fmtMs).join(', ')}`);
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const machine = `${availableParallelism()} CPUs (nproc; ${cpu}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${osType()} ${release()}, Node.js ${process.version}; 1-minute load average ${loadBefore.toFixed(1)} at the start and ${loadavg()[0].toFixed(1)} at the end (the machine is shared: wall times vary with load)`;
const text = [
  '# Benchmark: ias CLI vs the official Azure DevOps task’s request pattern',
  '',
  `Run ${new Date().toISOString()} with \`pnpm bench\` on ${machine}.`,
  '',
  `The built CLI (\`apps/cli/dist/ias.js scan --reports all --gate-query "${GATE}" --poll-interval 1s\`) runs as a child process`,
  `against the simulator on 127.0.0.1 with ${LATENCY_MS} ms added to every request, for a generated scan with N findings over ${MODULES} modules.`,
  '"After COMPLETE" starts at the status poll that sees COMPLETE (that poll excluded); time runs from that poll to the',
  'process exit and covers collection, the gate, all seven reports (metrics, findings, SARIF, JUnit, markdown, HTML, result)',
  `and process teardown. Peak RSS is the CLI process's maximum resident set size (${rows[0]?.ias.rssSource ?? 'n/a'}).`,
  `Sizes up to 10,000 run ${REPEAT} times (fresh simulator each): the table shows the median time and the highest peak RSS.`,
  '',
  'The Azure DevOps task column is a model of its documented request pattern (docs/ias-api.md §8.1), re-implemented here',
  'against the same simulator and scan: `POST /search` VULNERABILITY with size 50 following `next`, then one',
  '`GET /modules/{id}` per finding in sequence, then the gate search. It is not Rapid7 code; its memory is not measured.',
  `Sizes above ${fmtInt(AZURE_MAX)} are not run (hours at this latency): their request count follows from the pattern and`,
  'their time is extrapolated from the measured cost per request of the largest measured size.',
  '',
  ...table,
  '',
  'Bars (issue 5):',
  '',
  ...checks.map((c) => `- ${c.ok ? '✅' : '❌'} ${c.text}`),
  '',
  'Gate search pages: the run gates on CRITICAL findings, about 7% of a generated scan. Core evaluates the gate locally',
  'and reads the first page of the server\'s scan-scoped gate search as a cross-check (its total and a sample of ids);',
  'it reads every page only when they disagree, and then fails closed. Findings pages are ⌈N/1000⌉; the gate pages are',
  'the remaining `POST /search` requests.',
  '',
  'ias requests after COMPLETE, by route:',
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
