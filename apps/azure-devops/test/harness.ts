import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSimulator, type SimClock, type Simulator } from '@ias/simulator';
import { removeAgentFolders, runOnAgent, type AgentJob, type AgentRun } from './agent-emulator';

export const PACKAGE_ROOT = join(import.meta.dirname, '..');
export const TASK_DIR = join(PACKAGE_ROOT, 'dist', 'extension', 'InsightAppSecScan');
export const API_KEY = 'ias-e2e-key-7f3c91d2b8a4';
/** The service connection's name, as a pipeline refers to it. */
export const CONNECTION = 'InsightAppSec';

/**
 * A simulator clock that moves `stepMs` forward each time the simulator reads it: scenario time then depends only
 * on how many requests were made, never on the wall clock, so a scan is complete by the task's first status read
 * whatever the task's poll interval (the default 5 minutes of the Rapid7 task included).
 */
export function createSteppingClock(stepMs: number): SimClock {
  let now = Date.UTC(2026, 0, 1);
  return { now: () => (now += stepMs) };
}

/** A simulator on 127.0.0.1 with a fast clock (a 20-minute demo scan takes about 4 seconds), or the given clock. */
export async function startSimulator(options: { timeScale?: number; clock?: SimClock; scenario?: Parameters<typeof createSimulator>[0] extends infer O ? O extends { scenario?: infer S } ? S : never : never } = {}): Promise<{ sim: Simulator; baseUrl: string; close(): Promise<void> }> {
  const sim = createSimulator({ scenario: options.scenario ?? 'demo', apiKey: API_KEY, ...(options.clock === undefined ? { timeScale: options.timeScale ?? 0.003 } : { clock: options.clock }) });
  const { baseUrl, close } = await sim.listen({ host: '127.0.0.1', port: 0 });
  return { sim, baseUrl, close: async () => { await close(); await sim.close(); } };
}

export interface StepOptions extends Partial<Omit<AgentJob, 'taskDir' | 'inputs' | 'connections'>> {
  baseUrl: string;
  /** The step's inputs as written in the pipeline; the connection input is added unless given. */
  inputs: Record<string, string>;
  region?: string;
  /** The connection's stored URL; the simulator's by default. */
  connectionUrl?: string;
}

const runs: AgentRun[] = [];

/** Runs one step of the packaged task on the emulated agent, with an InsightAppSec (ias-ci) connection to `baseUrl`. */
export async function runStep(options: StepOptions): Promise<AgentRun> {
  const { baseUrl, inputs, region, connectionUrl, ...rest } = options;
  const connectionInput = Object.keys(inputs).some((k) => ['iasconnection', 'apiconnection'].includes(k.toLowerCase())) ? {} : { iasConnection: CONNECTION };
  const run = await runOnAgent({
    taskDir: TASK_DIR,
    ...rest,
    inputs: { ...connectionInput, ...inputs },
    connections: [{ name: CONNECTION, url: connectionUrl ?? baseUrl, scheme: 'Token', parameters: { apitoken: API_KEY }, data: { region: region ?? 'us' } }],
  });
  runs.push(run);
  return run;
}

/** Removes the agent folders of every run so far. */
export async function removeRunFolders(): Promise<void> {
  await removeAgentFolders(runs.splice(0));
}

/** Every file under `dir`, recursively, with its text. */
export async function readTree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return files;
  }
  for (const e of entries) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    files.set(path, await readFile(path, 'latin1'));
  }
  return files;
}

/** Where a secret shows up: the task's own output (outside `##vso[task.setsecret]`, which the agent consumes) and files under the agent's folders. */
export async function findSecret(run: AgentRun, secrets: readonly string[] = [API_KEY], options: { agentMasked?: RegExp } = {}): Promise<string[]> {
  const leaks: string[] = [];
  `${run.stdout}\n${run.stderr}`.split(/\r?\n/).forEach((line, i) => {
    if (line.startsWith('##vso[task.setsecret]')) return;
    // Lines the agent masks before anyone sees them (task-lib debug-prints secret variables when it loads).
    if (options.agentMasked?.test(line) === true) return;
    for (const s of secrets) if (line.includes(s)) leaks.push(`output line ${i}: ${line.slice(0, 120)}`);
  });
  for (const line of run.log) for (const s of secrets) if (line.includes(s)) leaks.push(`log: ${line.slice(0, 120)}`);
  for (const [path, text] of await readTree(run.folders.work)) for (const s of secrets) if (text.includes(s)) leaks.push(path);
  return leaks;
}
