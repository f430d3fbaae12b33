// The adapters' share of the proof (issue 10, "What to build" 2 and 3): for each adapter whose built bundle exists,
// bad inputs through the host's own contract (INPUT_* for GitHub, the agent emulator's INPUT_*/ENDPOINT_* for Azure DevOps, bamboo_*
// for Bamboo) end in the host's failure state naming the input with nothing launched, and one end-to-end run with
// debug logging on leaks no API key.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { allCaptures, CANARY_API_KEY, findSecret, REPO_ROOT, runBundle, startSimulator, type CliRun } from './harness';
import { writeFragment, type BadInputRow } from './results';
import { prepareStep } from '../../../apps/azure-devops/test/agent-emulator';

/** A JSON file that is not a findings report. */
const scratch = mkdtempSync(join(tmpdir(), 'ias-adapter-inputs-'));
const NOT_FINDINGS = join(scratch, 'not-findings.json');
writeFileSync(NOT_FINDINGS, '{"hello":"world"}\n');

interface Adapter {
  name: string;
  bundle: string;
  /** The variables of a valid run against `baseUrl`, with the given inputs changed (`undefined` removes one). */
  env(baseUrl: string, workDir: string, inputs: Record<string, string | undefined>): Record<string, string | undefined>;
  /** True when the run ended in the host's failure state. */
  failed(run: CliRun): boolean;
  /** The failure state as shown in RESULTS.md. */
  state(run: CliRun): string;
  /** True when the run passed (host's success state). */
  passed(run: CliRun): boolean;
  /** The error lines the host shows. */
  errors(run: CliRun): string[];
  /** The host command that registers the API key as a secret, when the host has one. */
  registration?: string;
  /** How a case names its input in the error, given the case's input id. */
  cases: { input: string; value: string | undefined; shown?: string; named: RegExp }[];
}

const overlay = (base: Record<string, string | undefined>, changes: Record<string, string | undefined>): Record<string, string | undefined> => {
  const out = { ...base };
  for (const [k, v] of Object.entries(changes)) out[k] = v;
  return out;
};

const GITHUB: Adapter = {
  name: 'GitHub Action',
  bundle: join(REPO_ROOT, 'apps/github-action/dist/index.js'),
  env: (baseUrl, workDir, inputs) =>
    overlay(
      {
        GITHUB_WORKSPACE: workDir,
        RUNNER_TEMP: workDir,
        RUNNER_DEBUG: '1',
        'INPUT_API-KEY': CANARY_API_KEY,
        'INPUT_BASE-URL': baseUrl,
        INPUT_APP: 'Demo Shop',
        'INPUT_SCAN-CONFIG': 'Full',
        'INPUT_POLL-INTERVAL': '1s',
      },
      Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ),
  failed: (run) => run.code !== 0 && /^::error/m.test(run.stdout),
  state: (run) => `exit ${run.code}${/^::error/m.test(run.stdout) ? ', ::error::' : ''}`,
  passed: (run) => run.code === 0,
  errors: (run) => run.stdout.split('\n').filter((l) => l.startsWith('::error')),
  registration: `::add-mask::${CANARY_API_KEY}`,
  cases: [
    { input: 'app', value: '', named: /\bapp\b/ },
    { input: 'api-key', value: undefined, shown: '(unset)', named: /api-key/ },
    { input: 'poll-interval', value: '5 minutes', named: /poll-interval/ },
    { input: 'scan-id', value: 'not-a-uuid', named: /scan-id/ },
    { input: 'gate-query', value: 'vulnerability.severity=‘HIGH’', named: /gate-query/ },
    { input: 'region', value: 'eu-west', named: /region/ },
    { input: 'cancel-on-interrupt', value: 'maybe', named: /cancel-on-interrupt/ },
    { input: 'baseline', value: NOT_FINDINGS, shown: '(a JSON file that is not a findings report)', named: /baseline/ },
  ],
};

const CONNECTION = 'c0ffee00-0000-4000-8000-00000000a2d0';
const AZURE_TASK_DIR = join(REPO_ROOT, 'apps/azure-devops/dist/extension/InsightAppSecScan');
const AZURE: Adapter = {
  name: 'Azure DevOps task',
  bundle: join(AZURE_TASK_DIR, 'index.js'),
  // The agent's own preparation of the step (apps/azure-devops/test/agent-emulator.ts): aliases, defaults,
  // filePath rooting, INPUT_*, ENDPOINT_*, variables; nothing is set by hand.
  env: (baseUrl, workDir, inputs) => {
    const token = Object.hasOwn(inputs, 'connection-token') ? inputs['connection-token'] : CANARY_API_KEY;
    const step: Record<string, string> = { iasConnection: 'InsightAppSec', application: 'Demo Shop', scanConfiguration: 'Full', scanStatusInterval: '1s' };
    for (const [k, v] of Object.entries(inputs)) {
      if (k === 'connection-token') continue;
      if (v === undefined) delete step[k];
      else step[k] = v;
    }
    const prepared = prepareStep(
      { taskDir: AZURE_TASK_DIR, inputs: step, connections: [{ name: 'InsightAppSec', id: CONNECTION, url: baseUrl, scheme: 'Token', parameters: token === undefined ? {} : { apitoken: token }, data: { region: 'us' } }] },
      workDir,
    );
    return prepared.env;
  },
  failed: (run) => /##vso\[task\.complete result=Failed;?[^\]]*\]/.test(run.stdout),
  state: (run) => (/##vso\[task\.complete result=Failed/.test(run.stdout) ? 'task.complete result=Failed' : `exit ${run.code}, no failed result`),
  passed: (run) => /##vso\[task\.complete result=Succeeded;?[^\]]*\]/.test(run.stdout) || (run.code === 0 && !/result=Failed/.test(run.stdout)),
  errors: (run) => run.stdout.split('\n').filter((l) => /##vso\[task\.(logissue type=error|complete result=Failed)/.test(l)),
  registration: `##vso[task.setsecret]${CANARY_API_KEY}`,
  cases: [
    { input: 'application', value: ' ', shown: '(whitespace)', named: /Application/ },
    { input: 'connection-token', value: undefined, shown: '(service connection without an API token)', named: /IAS Connection/ },
    { input: 'scanStatusInterval', value: '5 minutes', named: /Scan Status Interval/ },
    { input: 'scanId', value: 'not-a-uuid', named: /Attach to scan id/ },
    { input: 'reportFormats', value: 'pdf', named: /Report formats/ },
    { input: 'baseline', value: NOT_FINDINGS, shown: '(a JSON file that is not a findings report)', named: /Baseline/ },
  ],
};

const BAMBOO: Adapter = {
  name: 'Bamboo task',
  bundle: join(REPO_ROOT, 'apps/bamboo/dist/ias-bamboo.js'),
  env: (baseUrl, _workDir, inputs) =>
    overlay(
      {
        bamboo_ias_apiKey_password: CANARY_API_KEY,
        bamboo_ias_baseUrl: baseUrl,
        bamboo_ias_app: 'Demo Shop',
        bamboo_ias_scanConfig: 'Full',
        bamboo_ias_pollInterval: '1s',
        bamboo_ias_debug: 'true',
      },
      Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`bamboo_${k.replaceAll('.', '_')}`, v])),
    ),
  failed: (run) => run.code === 2,
  state: (run) => `exit ${run.code}`,
  passed: (run) => run.code === 0,
  errors: (run) => `${run.stdout}\n${run.stderr}`.split('\n').filter((l) => /^ERROR: /.test(l)),
  cases: [
    { input: 'ias.app', value: '  ', shown: '(whitespace)', named: /ias\.app/ },
    { input: 'ias.apiKey.password', value: undefined, shown: '(unset)', named: /ias\.apiKey\.password|IAS_API_KEY/ },
    { input: 'ias.pollInterval', value: '5 minutes', named: /ias\.pollInterval/ },
    { input: 'ias.maxExecution', value: '-30s', named: /ias\.maxExecution/ },
    { input: 'ias.gateQuery', value: 'vulnerability.severity="HIGH"', named: /ias\.gateQuery/ },
    { input: 'ias.reports', value: 'pdf', named: /ias\.reports/ },
    { input: 'ias.baseline', value: NOT_FINDINGS, shown: '(a JSON file that is not a findings report)', named: /ias\.baseline/ },
  ],
};

const ADAPTERS = [GITHUB, AZURE, BAMBOO];
const BUILT = ADAPTERS.filter((a) => existsSync(a.bundle));
const rows: BadInputRow[] = [];

afterAll(() => {
  const order = ADAPTERS.flatMap((a) => a.cases.map((c) => `${a.name}: ${c.input}=${c.shown ?? c.value}`));
  rows.sort((a, b) => order.indexOf(`${a.host}: ${a.input}=${a.value}`) - order.indexOf(`${b.host}: ${b.input}=${b.value}`));
  writeFragment(inject('resultsDir'), 'adapters', {
    badInputs: rows,
    secrets: [{ source: `adapters (${BUILT.map((a) => a.name).join(', ') || 'none built'}; debug on)`, texts: allCaptures().length, hits: findSecret(CANARY_API_KEY).length }],
  });
});

async function runAdapter(adapter: Adapter, label: string, inputs: Record<string, string | undefined>): Promise<{ run: CliRun; launches: number; scans: number }> {
  const running = await startSimulator({ timeScale: 0.002 });
  try {
    const run = await runBundle({ bundle: adapter.bundle, label: `${adapter.name} ${label}`, killAfterMs: 60_000, setup: (workDir) => ({ args: [], env: adapter.env(running.baseUrl, workDir, inputs) }) });
    return { run, launches: running.sim.counters.get('POST /scans'), scans: running.sim.state.scans().length };
  } finally {
    await running.close();
  }
}

describe.concurrent.each(BUILT.map((a) => [a.name, a] as const))('%s', (_name, adapter) => {
  it('end to end with debug logging on: completes, one scan, the API key nowhere in its output or files', async () => {
    const { run, scans } = await runAdapter(adapter, 'end to end', {});
    expect(adapter.passed(run), `exit ${run.code}\n${run.stdout.slice(-3000)}\n${run.stderr}`).toBe(true);
    expect(scans).toBe(1);
    const texts = allCaptures().filter((c) => c.label.startsWith(`${adapter.name} end to end`));
    expect(texts.length).toBeGreaterThan(2);
    expect(findSecret(CANARY_API_KEY, texts)).toEqual([]);
    // The key is registered with the host, so the host masks it in anything else that might print it.
    if (adapter.registration !== undefined) expect(run.stdout.split(/\r?\n/)).toContain(adapter.registration);
  });

  it.each(adapter.cases.map((c) => [`${c.input} = ${c.shown ?? JSON.stringify(c.value)}`, c] as const))('bad input %s: failure state naming the input, nothing launched', async (_title, c) => {
    const { run, launches } = await runAdapter(adapter, `bad input ${c.input}`, { [c.input]: c.value });
    const errors = adapter.errors(run);
    const naming = errors.filter((l) => c.named.test(l));
    const row: BadInputRow = { host: adapter.name, input: c.input, value: c.shown ?? String(c.value), exitCode: run.code, state: adapter.state(run), named: naming.length > 0, launches, pass: false };
    rows.push(row);
    expect(adapter.failed(run), `${run.stdout}\n${run.stderr}`).toBe(true);
    expect(launches).toBe(0);
    expect(naming, `no error names ${c.input}:\n${run.stdout}\n${run.stderr}`).not.toHaveLength(0);
    row.pass = true;
  });
});

describe('secret hygiene over the adapters', () => {
  it('the canary API key appears in no adapter output', () => {
    expect(findSecret(CANARY_API_KEY)).toEqual([]);
  });
});
