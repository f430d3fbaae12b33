import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulator, type Simulator } from '@ias/simulator';

export const PACKAGE_ROOT = join(import.meta.dirname, '..');
export const TASK_DIR = join(PACKAGE_ROOT, 'dist', 'extension', 'InsightAppSecScan');
export const BUNDLE = join(TASK_DIR, 'index.js');
export const API_KEY = 'ias-e2e-key-7f3c91d2b8a4';
export const CONNECTION = 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b';

/** A simulator on 127.0.0.1 with a fast clock (a 20-minute demo scan takes about 4 seconds). */
export async function startSimulator(options: { timeScale?: number; scenario?: Parameters<typeof createSimulator>[0] extends infer O ? O extends { scenario?: infer S } ? S : never : never } = {}): Promise<{ sim: Simulator; baseUrl: string; close(): Promise<void> }> {
  const sim = createSimulator({ scenario: options.scenario ?? 'demo', apiKey: API_KEY, timeScale: options.timeScale ?? 0.003 });
  const { baseUrl, close } = await sim.listen({ host: '127.0.0.1', port: 0 });
  return { sim, baseUrl, close: async () => { await close(); await sim.close(); } };
}

/** One `##vso[area.action k=v;…]message` line. */
export interface VsoCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
  line: number;
}

export function parseVso(stdout: string): VsoCommand[] {
  const commands: VsoCommand[] = [];
  stdout.split(/\r?\n/).forEach((text, line) => {
    const match = /##vso\[(\S+)([^\]]*)\](.*)$/.exec(text);
    if (!match) return;
    const properties: Record<string, string> = {};
    for (const pair of (match[2] ?? '').split(';')) {
      const [k, ...v] = pair.trim().split('=');
      if (k) properties[k] = v.join('=');
    }
    commands.push({ command: match[1] ?? '', properties, message: match[3] ?? '', line });
  });
  return commands;
}

export interface TaskRun {
  code: number | null;
  stdout: string;
  stderr: string;
  vso: VsoCommand[];
  /** task.complete's result. */
  result: string | undefined;
  outputs: Record<string, string>;
  staging: string;
  temp: string;
}

export interface RunOptions {
  baseUrl: string;
  inputs: Record<string, string>;
  region?: string;
  hostType?: 'build' | 'release';
  env?: Record<string, string>;
  /** Called with each chunk of stdout so far, with a way to signal the process. */
  onStdout?: (stdout: string, kill: (signal: NodeJS.Signals) => void) => void;
}

const workDirs: string[] = [];

/** Removes the agent folders of every run so far. */
export async function removeRunFolders(): Promise<void> {
  await Promise.all(workDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Spawns the built handler the way the agent does: `node index.js` with INPUT_*, ENDPOINT_* and system variables. */
export async function runTask(options: RunOptions): Promise<TaskRun> {
  const work = await mkdtemp(join(tmpdir(), 'ias-ado-'));
  workDirs.push(work);
  const staging = join(work, 'a');
  const temp = join(work, '_temp');
  await mkdir(temp, { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    SYSTEM_DEBUG: 'true',
    SYSTEM_HOSTTYPE: options.hostType ?? 'build',
    BUILD_ARTIFACTSTAGINGDIRECTORY: staging,
    SYSTEM_ARTIFACTSDIRECTORY: join(work, 'r'),
    AGENT_TEMPDIRECTORY: temp,
    [`ENDPOINT_URL_${CONNECTION}`]: options.baseUrl,
    [`ENDPOINT_AUTH_${CONNECTION}`]: JSON.stringify({ scheme: 'Token', parameters: { apitoken: API_KEY } }),
    [`ENDPOINT_AUTH_SCHEME_${CONNECTION}`]: 'Token',
    [`ENDPOINT_DATA_${CONNECTION}_REGION`]: options.region ?? 'us',
    INPUT_IASCONNECTION: CONNECTION,
    INPUT_SCANSTATUSINTERVAL: '1s',
    ...Object.fromEntries(Object.entries(options.inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...options.env,
  };
  const child = spawn(process.env.IAS_E2E_NODE ?? process.execPath, [BUNDLE], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    options.onStdout?.(stdout, (signal) => child.kill(signal));
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const vso = parseVso(stdout);
  const outputs: Record<string, string> = {};
  for (const c of vso) if (c.command === 'task.setvariable' && c.properties.isOutput === 'true' && c.properties.variable) outputs[c.properties.variable] = c.message;
  return { code, stdout, stderr, vso, result: vso.find((c) => c.command === 'task.complete')?.properties.result, outputs, staging, temp: work };
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

/** The key may appear only as the payload of `##vso[task.setsecret]` (which the agent consumes and never shows). */
export async function assertNoSecret(run: TaskRun): Promise<string[]> {
  const leaks: string[] = [];
  const lines = `${run.stdout}\n${run.stderr}`.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.includes(API_KEY) && !line.startsWith('##vso[task.setsecret]')) leaks.push(`output line ${i}: ${line.slice(0, 120)}`);
  });
  for (const [path, text] of await readTree(run.temp)) if (text.includes(API_KEY)) leaks.push(path);
  return leaks;
}
