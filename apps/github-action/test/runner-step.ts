import { mkdtempSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock, FetchLike } from '@ias/core';
import { createManualClock, createSimulator, DEFAULT_TIMELINE, loadScenario, type ManualClock, type Scenario, type Simulator } from '@ias/simulator';
import { run } from '../src/index';
import { inputVariable, parseFileCommands, readTree, type ActionRun } from './harness';

// One step of a job, run in this process the way the runner runs a node action, so the simulator's manual clock can
// drive it. The environment is the runner's contract, modelled on actions/runner:
// - inputs as INPUT_<NAME>, upper case, spaces to `_`, hyphens kept (src/Runner.Worker/Handlers/Handler.cs);
// - the main step's saved state as STATE_<name>, for the post step only (src/Runner.Worker/ActionRunner.cs);
// - GITHUB_OUTPUT, GITHUB_STATE and GITHUB_STEP_SUMMARY files, read after the step (src/Runner.Worker/FileCommandManager.cs);
// - workflow commands (`::error …::`, `::add-mask::`) on stdout.
// The real @actions/core speaks this contract, so the action cannot tell it from a runner. Only the clock and the
// network (the simulator's in-process fetch) are replaced, through run()'s overrides.

// @actions/core's summary remembers the first GITHUB_STEP_SUMMARY path it reads, so every step in this process
// shares one summary file, emptied before each step.
const SUMMARY = join(mkdtempSync(join(tmpdir(), 'ias-gha-summary-')), 'step-summary.md');

/** A simulator on a manual clock, and a core clock that advances it when the action sleeps. */
export interface ManualSimulator {
  sim: Simulator;
  clock: ManualClock;
  coreClock: Clock;
  /** The simulator behind the region's API host: requests elsewhere fail (the key must not travel). */
  fetch: FetchLike;
  /** When (on the manual clock) scans were launched and actions sent, in order. */
  requests: { method: string; path: string; at: number; action?: string }[];
  launchedAt(): number;
  actionsSent(): { action: string; afterLaunchMs: number }[];
}

/** The demo scenario with the Full configuration's scans queued for `seconds` before the usual timeline. */
export function demoQueuedFor(seconds: number): Scenario {
  const scenario = loadScenario('demo');
  const timeline = [{ status: 'QUEUED', seconds }, ...DEFAULT_TIMELINE.filter((s) => s.status !== 'QUEUED')];
  return { ...scenario, scan_configs: scenario.scan_configs.map((c) => (c.name === 'Full' ? { ...c, timeline } : c)) };
}

export function startManualSimulator(options: { scenario?: Scenario; apiKey: string; host?: string }): ManualSimulator {
  const clock = createManualClock();
  const sim = createSimulator({ scenario: options.scenario ?? 'demo', clock, apiKey: options.apiKey });
  const host = options.host ?? 'us.api.insight.rapid7.com';
  const requests: ManualSimulator['requests'] = [];
  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input as Request, init);
    const url = new URL(request.url);
    if (url.hostname !== host) throw new TypeError(`fetch failed: ${url.hostname} is not the simulated ${host}`);
    const action = request.method === 'PUT' ? ((await request.clone().json()) as { action?: string }).action : undefined;
    requests.push({ method: request.method, path: url.pathname, at: clock.now(), ...(action === undefined ? {} : { action }) });
    return sim.fetch(request);
  };
  const launchedAt = (): number => {
    const launch = requests.find((r) => r.method === 'POST' && r.path.endsWith('/scans'));
    if (launch === undefined) throw new Error('no scan was launched');
    return launch.at;
  };
  return {
    sim,
    clock,
    coreClock: { now: () => clock.now(), sleep: async (ms) => clock.advance(ms) },
    fetch,
    requests,
    launchedAt,
    actionsSent: () => requests.filter((r) => r.action !== undefined).map((r) => ({ action: r.action!, afterLaunchMs: r.at - launchedAt() })),
  };
}

/** Runs one step (main, or post when `state` holds the main step's state) and returns what the runner would see. */
export async function runStep(inputs: Record<string, string>, options: { fetch: FetchLike; clock: Clock; state?: Record<string, string> }): Promise<ActionRun & { returned: number }> {
  const workspace = await mkdtemp(join(tmpdir(), 'ias-gha-step-'));
  const files = { GITHUB_OUTPUT: join(workspace, '.runner-output'), GITHUB_STATE: join(workspace, '.runner-state'), GITHUB_STEP_SUMMARY: SUMMARY };
  for (const path of Object.values(files)) await writeFile(path, '');
  const saved = { ...process.env };
  for (const name of Object.keys(process.env)) if (/^(INPUT_|STATE_|GITHUB_|RUNNER_)/.test(name) || /_proxy$/i.test(name)) delete process.env[name];
  Object.assign(process.env, { GITHUB_WORKSPACE: workspace, GITHUB_ACTIONS: 'true', RUNNER_DEBUG: '1', ...files });
  for (const [name, value] of Object.entries(inputs)) process.env[inputVariable(name)] = value;
  for (const [name, value] of Object.entries(options.state ?? {})) process.env[`STATE_${name}`] = value;

  let stdout = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  let returned: number;
  try {
    returned = await run({ fetch: options.fetch, clock: options.clock });
  } finally {
    process.stdout.write = write;
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
  const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  process.exitCode = undefined;
  const read = async (path: string): Promise<string> => readFile(path, 'utf8');
  const summary = await read(files.GITHUB_STEP_SUMMARY);
  return {
    returned,
    code,
    signal: null,
    stdout,
    stderr: '',
    outputs: parseFileCommands(await read(files.GITHUB_OUTPUT)),
    state: parseFileCommands(await read(files.GITHUB_STATE)),
    summary,
    workspace,
    files: { ...(await readTree(workspace)), [SUMMARY]: summary },
  };
}
